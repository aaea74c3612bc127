"""A real ``pia scan`` of a directory of small files, for tests of what the formats say about
it (apart from ``conftest.py``, imported by this name as ``reports_fixture`` is)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pia.cli import main


def scan_files(root: Path, files: dict[str, str]) -> dict[str, Any]:
    """Write ``files`` (name → text) under ``root`` and return the JSON report of scanning it
    with the CLI's default options."""
    root.mkdir(parents=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    out = root.parent / f"{root.name}.json"
    with pytest.raises(SystemExit):
        main(["scan", str(root), "-o", str(out), "-q", "--lang", "en", "--executor", "serial"])
    return json.loads(out.read_text(encoding="utf-8"))


#: a log with a mobile and an ID (one finding grouped over two categories), and a CSV export
#: of one record (its header and its row: two lines read)
LOG_AND_EXPORT = {
    "app.log": "2026-11-29 10:00:00 login phone=13812345678 id=110105199003071239\n",
    "users.csv": "name,id_card\n张三,440304198501013214\n",
}


def log_and_export(tmp: Path) -> dict[str, Any]:
    """The report of scanning ``LOG_AND_EXPORT`` under ``tmp/logs``."""
    return scan_files(tmp / "logs", LOG_AND_EXPORT)
