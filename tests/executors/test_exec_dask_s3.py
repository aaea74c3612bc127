"""A Dask worker elsewhere scans an S3 source with what the driver's chain resolved (its
credentials, region and ``PIA_S3_*`` timeouts), not with its own environment, which may hold
none: workers rebuilt their clients from their own environment, so a cluster on other
machines read every object of a bucket the driver could list as an error, and ignored the
timeouts the user set."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from exec_util import env, external_cluster, load, pia_cmd

pytest.importorskip("distributed")
from moto.server import ThreadedMotoServer  # noqa: E402

from pia.connectors.s3.client import Clients  # noqa: E402

ACCESS_KEY = "AKIAPIADRIVERONLY7Q3Z"
SECRET_KEY = "pia-driver-only-secret-5b1e0c"
OBJECTS = 4


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _no_aws(tmp: Path) -> dict[str, str]:
    """The tests' environment without any AWS setting: no credentials, files or metadata."""
    out = {k: v for k, v in env().items() if not k.startswith(("AWS_", "PIA_S3_"))}
    return dict(out, AWS_SHARED_CREDENTIALS_FILE=str(tmp / "none"),
                AWS_CONFIG_FILE=str(tmp / "none"), AWS_EC2_METADATA_DISABLED="true")


def test_a_remote_worker_reads_a_bucket_with_the_drivers_credentials(
        endpoint: str, tmp_path: Path) -> None:
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                      config=Config(retries={"max_attempts": 1}))
    # moto keeps one store per process: another test's server in it may hold a bucket so named
    bucket = f"crm-exports-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    for i in range(OBJECTS):
        s3.put_object(Bucket=bucket, Key=f"calls/part-{i}.log",
                      Body=f"2026-11-0{i + 1} 客户来电 手机 1391234{i:04d} 已回访\n".encode())
    workers = _no_aws(tmp_path)
    driver = dict(workers, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY,
                  AWS_DEFAULT_REGION="us-east-1")
    with external_cluster(tmp_path / "cluster", workers=1, environ=workers) as (address, _):
        done = subprocess.run(
            pia_cmd(f"s3://{bucket}", "--endpoint-url", endpoint, "--executor", "dask",
                    "--scheduler", address, "-o", "report.json", always_workers=True),
            cwd=tmp_path, env=driver, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = load(tmp_path / "report.json")
    assert report["scan"]["parameters"]["executor"] == "dask"
    assert not report["scan"].get("skipped"), report["scan"].get("skipped")
    mobiles = [item for item in report["inventory"] if item["entity_type"] == "CN_MOBILE"]
    assert sum(item["count"] for item in mobiles) == OBJECTS, report["inventory"]
    assert SECRET_KEY not in done.stderr and SECRET_KEY not in (tmp_path / "report.json"
                                                                ).read_text()


def test_a_workers_clients_take_the_drivers_timeouts_and_attempts(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PIA_S3_CONNECT_TIMEOUT", "PIA_S3_READ_TIMEOUT", "AWS_MAX_ATTEMPTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_RETRY_MODE", "legacy")  # the worker's own, overridden
    clients = Clients({}, {"PIA_S3_CONNECT_TIMEOUT": "2", "PIA_S3_READ_TIMEOUT": "7",
                           "AWS_MAX_ATTEMPTS": "5", "AWS_RETRY_MODE": "adaptive"})
    config = clients._config
    assert (config.connect_timeout, config.read_timeout) == (2.0, 7.0)
    assert config.retries == {"mode": "adaptive", "total_max_attempts": 5}
    assert os.environ["AWS_RETRY_MODE"] == "legacy"
