"""The "Sampling" line says how the sources scanned were read, and only those: a scan of log
files said "1000 rows sampled per database table (seed 0)" (QA 8). A finding's ``sampled``
in a file is the lines read, and is labelled so: a CSV of one record said "Sampled: 2"."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from reports_scan import log_and_export

from pia.connectors import connector_for
from pia.errors import UsageError
from pia.reports import render
from pia.reports.sampling import source_kind

DATABASE = "1000 rows sampled per database table (seed 0)"
FILES = "local files read whole (compressed files and archives up to the decompression-bomb limits)"
OBJECTS = "object storage: up to 200 objects per prefix, 8 MiB per object"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real scan of a log and a one-record CSV export, with the CLI's default options."""
    return log_and_export(tmp_path_factory.mktemp("sampling"))


def _sampling(text: str) -> str:
    """The sampling row, markup dropped: ``Sampling: …`` of the terminal and Markdown, the
    ``<th>Sampling</th><td>…</td>`` row of the HTML scope table."""
    row = re.search(r"<th scope=row>Sampling</th><td>([^<]*)</td>", text)
    if row:
        return "Sampling: " + html.unescape(row.group(1))
    (line,) = [line.strip() for line in text.splitlines() if "Sampling" in line]
    return line


@pytest.mark.parametrize("fmt", ["html", "md", "table"])
def test_a_scan_of_files_says_files_were_read_whole(scanned: dict[str, Any], fmt: str) -> None:
    line = _sampling(render(scanned, fmt, lang="en", width=400))
    assert FILES in line
    assert "database" not in line and "object" not in line
    assert "本地文件完整读取" in render(scanned, fmt, lang="zh", width=400)


#: what the Sampling line says of a source, by the connector that reads it (none: refused)
_SAID_OF = {"sqlite": "database", "postgresql": "database", "mysql": "database",
            "s3": "objects", "files": "files", None: "files"}


@pytest.mark.parametrize("source", [
    "postgresql://h/db", "POSTGRES://h/db", "mysql://h/db", "mariadb://h/db",
    "mysql+pymysql://h/db", "sqlite:///srv/app.sqlite", "sqlite:app.db", "app.DB",
    "file:///srv/app.db", "s3://b/p", "S3://b", "/var/log/app", "postgres:notes.txt",
])
def test_a_source_is_said_read_the_way_the_connector_it_goes_to_reads_it(source: str) -> None:
    """The report tells a source's kind from the scheme table the connectors' dispatch uses
    (without loading a connector): ``mysql+pymysql://`` was a database to the report but
    refused by the dispatch, ``postgres:notes.txt`` (a relative file) a database too."""
    try:
        connector: str | None = connector_for(source).name
    except UsageError:
        connector = None
    assert source_kind(source) == _SAID_OF[connector]


@pytest.mark.parametrize(("sources", "said"), [
    (["logs1"], [FILES]),
    (["s3://qa-logs"], [OBJECTS]),
    (["postgresql://auditor@db.internal/crm"], [DATABASE]),
    (["sqlite:///srv/app.sqlite"], [DATABASE]),
    (["app.db"], [DATABASE]),
    (["s3://qa-logs", "mysql://root@127.0.0.1/shop", "/var/log/app"], [DATABASE, FILES, OBJECTS]),
])
def test_the_sampling_names_only_the_kinds_of_sources_scanned(scanned: dict[str, Any],
                                                              sources: list[str],
                                                              said: list[str]) -> None:
    report = json.loads(json.dumps(scanned))
    report["scan"]["sources"] = sources
    line = _sampling(render(report, "md", lang="en"))
    assert line.split(":", 1)[1].strip(" *") == ", ".join(said)


def test_bytes_per_object_are_said_in_mib(scanned: dict[str, Any]) -> None:
    report = json.loads(json.dumps(scanned))
    report["scan"]["sources"] = ["s3://qa-logs"]
    report["scan"]["parameters"].update({"max_objects": 1, "max_bytes": 3 << 19})
    assert _sampling(render(report, "table", lang="en", width=400)).endswith(
        "up to 1 object per prefix, 1.5 MiB per object")
    assert "每个对象最多读取 1.5 MiB" in render(report, "html", lang="zh")


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_lines_of_a_csv_read_are_not_called_sampled_rows(scanned: dict[str, Any],
                                                             fmt: str) -> None:
    (finding,) = [f for f in scanned["findings"]
                  if f["locations"][0]["path"].endswith("users.csv")
                  and f["evidence"].get("entity_type") == "CN_RESIDENT_ID"]
    assert finding["evidence"]["sampled"] == 2  # the header and the one record
    out = render(scanned, fmt, lang="en")
    assert "Lines read (a CSV's header too)" in html.unescape(out)
    assert "Sampled" not in out
    assert "读取的行数（CSV 表头也计入）" in render(scanned, fmt, lang="zh")
