"""The fields rules may name (pia/schemas/context.schema.json) cover what connectors report:
a fact attribute missing there would make the loader refuse a correct rule."""

from __future__ import annotations

import os
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pia.rules.fields import namespaces


def _known(kind: str) -> set[str]:
    return set(namespaces()[kind]["properties"])


@pytest.fixture(scope="module")
def estate_report(tmp_path_factory) -> dict[str, Any]:
    from pia.sample.estate import build_estate
    from pia.scan import ScanRequest, run_scan

    root = tmp_path_factory.mktemp("estate")
    build_estate(root)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return run_scan(ScanRequest(sources=["shop.db", "logs"])).report
    finally:
        os.chdir(cwd)


def test_database_and_log_facts_only_carry_known_attributes(estate_report) -> None:
    kinds = {f["kind"] for f in estate_report["facts"]}
    assert {"database", "table", "column", "file", "log_dir"} <= kinds
    for fact in estate_report["facts"]:
        assert set(fact["attributes"]) <= _known(fact["kind"]), fact["kind"]
    for item in estate_report["inventory"]:
        assert set(item) <= _known("item")
        assert set(item["evidence"]) <= set(_known_item_evidence())


def _known_item_evidence() -> set[str]:
    return set(namespaces()["item"]["properties"]["evidence"]["properties"])


class _DeniedClient:
    """Every S3 call answers AccessDenied: the fact still names each attribute it reads."""

    def __getattr__(self, name: str):
        def call(**_: Any) -> None:
            raise ClientError({"Error": {"Code": "AccessDenied"}}, name)
        return call


def test_object_storage_facts_only_carry_known_attributes() -> None:
    from pia.connectors.s3.connector import object_fact
    from pia.connectors.s3.posture import bucket_fact

    bucket = bucket_fact(_DeniedClient(), "s3://b", "b", "cn-north-1", "aws")
    assert set(bucket["attributes"]) <= _known("bucket")
    obj = object_fact("s3://b", {"bucket": "b", "key": "k", "last_modified": None, "size": 1,
                                 "bytes_read": 1})
    assert set(obj["attributes"]) <= _known("object")
