"""A ``--full`` scan's report is bundled whatever its tables hold (QA): the check that a
report claiming ``full`` was not sampled compared each column's non-NULL values with the
planner's row estimate, so a complete, unedited ``--full`` report of a column mostly NULL,
of a table whose statistics lag a bulk delete, or of an interrupted scan was refused as
"sampled ... the report was edited". A table's fact now records the rows it was read on
(``rows_read``), which the check reads, and a table the scan did not finish is no sign."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from db_servers import pg_tables

from pia.bundle.evidence import sampling
from pia.bundle.safezip import Refused

ID = "11010519491231002X"


def _pia(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pia", *argv], cwd=cwd, capture_output=True,
                          text=True, timeout=300,
                          env={"PIA_FINGERPRINT_KEY": "k" * 32, "PATH": "/usr/bin:/bin"})


def test_a_full_scan_of_sparse_and_shrunk_tables_is_bundled(pg_db: str, tmp_path: Path) -> None:
    with pg_tables(pg_db, "kyc, shrunk",
                   "CREATE TABLE kyc(id int, sfzh text)",
                   f"INSERT INTO kyc SELECT g, CASE WHEN g <= 10 THEN '{ID}' END "
                   "FROM generate_series(1, 3000) g",
                   "CREATE TABLE shrunk(id int, shouji text)",
                   "INSERT INTO shrunk SELECT g, '1381234' || lpad(g::text, 4, '0') "
                   "FROM generate_series(1, 4000) g",
                   "ANALYZE kyc", "ANALYZE shrunk",
                   "ALTER TABLE shrunk SET (autovacuum_enabled = false)",
                   "DELETE FROM shrunk WHERE id > 1500"):
        run = _pia(tmp_path, "scan", pg_db, "--full", "-o", "r.json", "-q")
        assert run.returncode in (0, 1), run.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    rows = {f["location"]["table"]: f["attributes"] for f in report["facts"]
            if f["kind"] == "table"}
    assert (rows["kyc"]["rows_read"], rows["kyc"]["row_estimate"]) == (3000, 3000)
    assert rows["shrunk"]["rows_read"] == 1500 and rows["shrunk"]["row_estimate"] == 4000
    assert _pia(tmp_path, "keygen", "k.key").returncode == 0
    run = _pia(tmp_path, "bundle", "create", "r.json", "--key", "k.key", "-o", "b.zip")
    assert run.returncode == 0, run.stderr
    assert _pia(tmp_path, "bundle", "verify", "b.zip", "--pubkey", "k.key.pub").returncode == 0


def _report(rows_read: int | None, estimate: int = 5000, skipped: bool = False) -> dict:
    location = {"database": "crm", "schema": "public", "table": "customer"}
    attributes = {"row_estimate": estimate, **({"rows_read": rows_read} if rows_read else {})}
    return {"scan": {"parameters": {"full": True, "sample": 1000}},
            "facts": [{"kind": "table", "source": "postgresql://h/crm", "location": location,
                       "attributes": attributes}],
            "inventory": [{"source": "postgresql://h/crm", "location": {**location,
                                                                        "column": "sfzh"},
                           "sampled": 40}],
            "skipped": [{"source": "postgresql://h/crm", "location": copy.deepcopy(location),
                         "reason": "interrupted"}] if skipped else []}


def test_a_table_read_whole_passes_whatever_its_values() -> None:
    assert sampling(_report(rows_read=5000), "scan-consistent") == ""


@pytest.mark.parametrize("rows_read", [1000, None])
def test_a_samples_read_of_a_larger_table_is_refused(rows_read: int | None) -> None:
    with pytest.raises(Refused, match="parameters.full is true but table"):
        sampling(_report(rows_read=rows_read), "scan-consistent")


def test_a_table_the_scan_did_not_finish_is_no_sign_of_sampling() -> None:
    assert sampling(_report(rows_read=None, skipped=True), "scan-consistent") == ""
