"""Helpers of the S3 connector tests: the dummy credentials, a bucket maker, a serial scan
through an endpoint, facts by bucket. Apart from ``conftest.py`` (which holds the fixtures)
so that tests import them by a name no other directory's module has: ``from conftest
import`` found whichever conftest was imported first."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from pia.connectors.base import ScanContext, ScanOptions, SourceResult, scan_serial
from pia.connectors.s3 import S3Connector

#: distinctive dummy credentials: tests assert they never reach a report, a log or a message
ACCESS_KEY = "AKIAPIATESTKEY7Q3ZX9"
SECRET_KEY = "pia-test-secret-9f3c2a71d0e4b58c"


def make_bucket(s3: Any, name: str, region: str = "us-east-1", **kwargs: Any) -> None:
    """Create a bucket with a client of its own region (moto keeps a China-region bucket in
    the aws-cn partition, as AWS does)."""
    args: dict[str, Any] = {"Bucket": name, **kwargs}
    if region != "us-east-1":
        args["CreateBucketConfiguration"] = {"LocationConstraint": region}
    boto3.client("s3", endpoint_url=s3.meta.endpoint_url, region_name=region,
                 config=Config(retries={"max_attempts": 1})).create_bucket(**args)


def scan_with(ctx: ScanContext, endpoint: str, uri: str, **options: Any) -> SourceResult:
    """Scan ``uri`` serially through ``endpoint``; ``extra`` keys merge into the extras.
    moto stands in for AWS (``provider: aws``: its region names are AWS's) unless a test
    passes ``provider=None`` in ``extra`` (a self-hosted server's labels)."""
    extra = {"endpoint_url": endpoint, "provider": "aws", **options.pop("extra", {})}
    return scan_serial(S3Connector(), uri, ScanOptions(extra=extra, **options), ctx)


def facts_of(result: SourceResult, kind: str) -> dict[str, dict[str, Any]]:
    """Facts of one kind by bucket (``bucket``) or by ``bucket/key`` (``object``)."""
    out = {}
    for fact in result.facts:
        if fact["kind"] == kind:
            loc = fact["location"]
            out["/".join(filter(None, (loc["bucket"], loc.get("key"))))] = fact["attributes"]
    return out
