"""Objects in every format, from real scans of a loopback S3 server (moto): one artifact per
key that resolves to no other, the line PI was found on, the sampling as it was done, and how
much of each bucket was read."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urljoin

import boto3
import pytest
from moto.server import ThreadedMotoServer

from pia.cli import main
from pia.reports import render

#: keys that a lossy URI folds into one another or lets climb out of the bucket
KEYS = ["dup/a.txt", "dup//a.txt", "/lead.txt", "lead.txt", "../etc/passwd", "dir/../up.txt",
        "./dot.txt", "md|pipe](http://evil.example/x).txt", "dir/"]
#: the resident ID is on line 2 of every object
BODY = b"export 2026-11-29\nsfzh 11010519491231002X\n"


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, Any]]]:
    """The reports of two scans: odd keys and a bucket sampled (2 of 6), that bucket's
    prefix read --full."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    tmp = tmp_path_factory.mktemp("s3reports")
    with pytest.MonkeyPatch.context() as env:
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
                     "AWS_ENDPOINT_URL_S3"):
            env.delenv(name, raising=False)
        env.setenv("AWS_ACCESS_KEY_ID", "AKIAPIATESTREPORTS01")
        env.setenv("AWS_SECRET_ACCESS_KEY", "pia-test-reports-secret")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp / "none"))
        env.setenv("AWS_CONFIG_FILE", str(tmp / "none"))
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        env.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        s3.create_bucket(Bucket="rpt-keys")
        for key in KEYS:
            s3.put_object(Bucket="rpt-keys", Key=key, Body=BODY)
        s3.create_bucket(Bucket="rpt-many")
        for n in range(6):
            s3.put_object(Bucket="rpt-many", Key=f"logs/app-{n:02}.log", Body=BODY)
        out = {}
        for name, args in (("sampled", ["s3://rpt-keys", "s3://rpt-many", "--max-objects", "2"]),
                           ("full", ["s3://rpt-many/logs", "--full"])):
            path = tmp / f"{name}.json"
            with pytest.raises(SystemExit):
                main(["scan", *args, "--endpoint-url", endpoint, "--executor", "serial", "-q",
                      "-o", str(path)])
            out[name] = json.loads(path.read_text(encoding="utf-8"))
    server.stop()
    yield out


def _object_locations(sarif: dict[str, Any]) -> list[dict[str, Any]]:
    return [loc["physicalLocation"] for result in sarif["runs"][0]["results"]
            for loc in result["locations"]
            if loc["physicalLocation"]["artifactLocation"].get("uriBaseId") == "PIASOURCE"
            and loc["physicalLocation"]["artifactLocation"]["uri"].startswith("s3/rpt-keys/")]


def test_one_artifact_per_key_that_resolves_to_that_key(scans: dict[str, Any]) -> None:
    """``dup//a.txt`` and ``dup/a.txt`` were one artifact, ``../etc/passwd`` resolved to a
    bucket named etc, and ``](http://`` lost a slash."""
    physical = _object_locations(json.loads(render(scans["sampled"], "sarif", lang="en")))
    uris = {p["artifactLocation"]["uri"] for p in physical}
    assert len(uris) == len(KEYS)
    base = "file:///sources/"
    for uri in uris:
        resolved = urljoin(base, uri)
        assert resolved.startswith(base + "s3/rpt-keys/"), uri
        assert "//" not in resolved.removeprefix("file://"), uri
    assert {unquote(urljoin(base, uri).removeprefix(base + "s3/rpt-keys/"))
            for uri in uris} == set(KEYS)
    assert {"s3/rpt-keys/%2E%2E/etc/passwd", "s3/rpt-keys/dup%2F%2Fa.txt",
            "s3/rpt-keys/%2Flead.txt", "s3/rpt-keys/md%7Cpipe%5D(http:%2F%2Fevil.example/x).txt",
            "s3/rpt-keys/dir%2F"} <= uris


def test_objects_have_their_line_in_every_format(scans: dict[str, Any]) -> None:
    physical = _object_locations(json.loads(render(scans["sampled"], "sarif", lang="en")))
    assert physical and all(p.get("region") == {"startLine": 2} for p in physical)
    for fmt in ("md", "html", "table"):
        out = render(scans["sampled"], fmt, lang="en", width=200)
        assert "rpt-keys/lead.txt:2" in out, fmt
        assert "rpt-keys/dup//a.txt:2" in out, fmt


@pytest.mark.parametrize("fmt", ["md", "html", "table"])
def test_the_sampling_said_is_the_sampling_done(scans: dict[str, Any], fmt: str) -> None:
    sampled = render(scans["sampled"], fmt, lang="en", width=200)
    assert "object storage: up to 2 objects per prefix, 8 MiB per object" in sampled
    full = render(scans["full"], fmt, lang="en", width=200)
    assert "object storage: every object read whole, not sampled (--full)" in full
    assert "objects per prefix" not in full and "bytes per object" not in full
    assert "对象存储全部对象完整读取" in render(scans["full"], fmt, lang="zh", width=200)


@pytest.mark.parametrize("fmt", ["md", "html", "table"])
def test_how_much_of_each_bucket_was_read(scans: dict[str, Any], fmt: str) -> None:
    assert "rpt-many: 2 of 6 objects read" in render(scans["sampled"], fmt, lang="en",
                                                      width=200)
    assert "rpt-many/logs: 6 of 6 objects read" in render(scans["full"], fmt, lang="en",
                                                            width=200)
    assert "rpt-many：读取 2 个，共 6 个对象" in render(scans["sampled"], fmt, lang="zh",
                                                        width=200)


@pytest.mark.parametrize("fmt", ["md", "html", "table"])
def test_a_bucket_whose_listing_was_cut_short_says_at_least(scans: dict[str, Any],
                                                            fmt: str) -> None:
    """An outage or a timeout cut the listing (``listing_complete: false``): the count is of
    the objects listed, not of the bucket's, and "2 of 6" read as the whole bucket."""
    report = copy.deepcopy(scans["sampled"])
    for fact in report["facts"]:
        if fact["kind"] == "bucket" and fact["location"]["bucket"] == "rpt-many":
            fact["attributes"]["listing_complete"] = False
    out = render(report, fmt, lang="en", width=200)
    assert "rpt-many: 2 of at least 6 objects read (the listing was cut short)" in out
    assert "rpt-many: 2 of 6 objects read" not in out
    assert "rpt-many：读取 2 个，列出 6 个对象后列举中断（对象总数未知）" in render(
        report, fmt, lang="zh", width=200)


def test_a_full_scan_records_no_object_limits(scans: dict[str, Any]) -> None:
    """The JSON, the contract, says what was done too: no per-prefix or per-object limit
    under --full (it recorded the defaults, 200 objects and 8 MiB, that were not applied)."""
    assert scans["sampled"]["scan"]["parameters"]["max_objects"] == 2
    params = scans["full"]["scan"]["parameters"]
    assert (params["full"], params["max_objects"], params["max_bytes"]) == (True, None, None)
