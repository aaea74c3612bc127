"""The same report whatever the executor, the number of workers or the partitioning."""

from __future__ import annotations

from pathlib import Path

import pytest
from exec_util import KEY, body, write_logs

import pia.connectors.files.connector as files_connector
from pia.connectors.base import ScanOptions
from pia.executors import make_executor
from pia.sample.estate import build_estate
from pia.scan import ScanRequest, run_scan


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("estate")
    build_estate(root)
    write_logs(root / "logs", files=3, lines=4000)
    return root


def scan(root: Path, executor: str, workers: int) -> dict:
    runner = make_executor(executor, workers=workers)
    runner.inline_bytes = runner.inline_rows = 0  # small test data: use the workers anyway
    request = ScanRequest(sources=[str(root / "logs"), str(root / "shop.db")],
                          options=ScanOptions(), declaration=str(root / "pia.yaml"),
                          executor=runner, executor_name=executor)
    outcome = run_scan(request)
    assert not outcome.failures and not outcome.interrupted
    return outcome.report


def test_serial_local_and_dask_reports_are_identical(
        estate: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    # one partitioning for the reference, another (byte ranges of 64 KiB) for the pools
    reference = scan(estate, "serial", 1)
    monkeypatch.setattr(files_connector, "SPLIT_BYTES", 64 << 10)
    local = scan(estate, "local", 2)
    dask = scan(estate, "dask", 2)
    assert reference["inventory"], "the estate holds PI: an empty inventory proves nothing"
    assert {i["location"]["path"] for i in reference["inventory"] if "path" in i["location"]}
    assert body(local) == body(reference)
    assert body(dask) == body(reference)
    assert [r["scan"]["parameters"]["executor"] for r in (reference, local, dask)] == \
        ["serial", "local", "dask"]
