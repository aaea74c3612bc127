"""Log timestamps feed the retention rules: the formats loggers write, lines that are not
separated by LF, a copytruncate hole, and files that carry no timestamp at all."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime

import pytest

from pia.connectors.files.timestamps import epoch_or_text, find_timestamp, find_timestamps
from pia.declaration import load_declaration_text
from pia.rules.engine import evaluate
from pia.rules.loader import load_rulesets

MTIME = datetime(2024, 11, 30, tzinfo=UTC)
AT_UTC = datetime(2024, 11, 29, 10, 0, tzinfo=UTC)
AT_CST = datetime(2024, 11, 29, 2, 0, tzinfo=UTC)  # 10:00 at +08:00
AT = AT_CST  # a time written without a zone is Beijing time
PI = "mobile 13812345678 id 11010519491231002X"


@pytest.mark.parametrize(("line", "expected"), [
    ("2024-11-29T10:00:00+08:00 INFO x", AT_CST),
    ("2024-11-29T10:00:00Z INFO x", AT_UTC),
    ("2024-11-29 10:00:00+0000 INFO x", AT_UTC),
    ("[29/Nov/2024:10:00:00 +0000] GET /", AT_UTC),
    ("2024-11-29 10:00:00 INFO x", AT_CST),
    ("2024/11/29 10:00:00 INFO x", AT),  # Chinese Java and .NET applications
    ("2024/11/29 10:00:00.123 INFO x", AT),
    ("2024/1/5 9:05:00 INFO x", datetime(2024, 1, 5, 1, 5, tzinfo=UTC)),
    ("2024年11月29日 10:00:00 INFO 手机", AT),
    # a written zone is taken as written (QA logs #6)
    ("2024-11-29 10:00:00.123 UTC [1234] LOG:  statement: x", AT_UTC),  # PostgreSQL's %m
    ("2024-11-29 10:00:00.123 +08 [1234] LOG:  x", AT_CST),  # PostgreSQL, Etc/GMT-8
    ("2024-11-29 10:00:00.123 CST [1234] LOG:  x", AT_CST),  # Asia/Shanghai: China's CST
    ("2024-11-29 10:00:00.123456789 +0000 UTC m=+0.01 x", AT_UTC),  # Go's time.String
    ("2024-11-29 10:00:00 GMT+08:00 INFO x", AT_CST),  # Java's z for an offset zone
    ("2024-11-29T05:00:00.000-0500 INFO x", AT_UTC),
    ("2024-11-29 19:00:00 JST INFO x", AT_UTC),
    ("2024-11-29 10:00:00 PST INFO x", AT),  # Pacific or Philippine: as if none were written
    ("2024-11-29 10:00:00 UTCX INFO x", AT),  # not a zone
    # C's ctime, year last: Apache's error_log, date(1)
    ("[Fri Nov 29 10:00:00.123456 2024] [core:error] [pid 1234] AH00126: x", AT),
    ("Fri Nov 29 10:00:00 UTC 2024 backup done", AT_UTC),
    ("Fri Nov 29 10:00:00 2024 backup done", AT),
    # a slash date with the year last, where its day is above 12
    ("11/29/2024 10:00:00 AM INFO x", AT),  # Windows, en-US
    ("11/29/2024 6:00:00 PM INFO x", AT_UTC),
    ("11/29/2024 12:00:00 AM INFO x", datetime(2024, 11, 28, 16, tzinfo=UTC)),  # midnight
    ("29/11/2024 10:00:00 INFO x", AT),  # en-GB
    ("2024年11月29日10时00分00秒 登录", AT),
    ("2024年11月29日 用户登录", datetime(2024, 11, 28, 16, tzinfo=UTC)),  # midnight in Beijing
    ("29-Nov-2024 10:00:00.123 INFO [main] x", AT),  # Tomcat
    ("[29/Nov/2024:10:00:00 +0800] GET /", AT_CST),
    ("20241129 10:00:00 INFO x", AT),
    ("1732845600000 INFO x", AT_CST),  # epoch milliseconds, then a level
    ("1732845600 [main] x", AT_CST),
    ("1732845600.123    412 10.0.0.1 TCP_MISS/200 GET http://x/", AT_CST),  # Squid
    ("I1129 10:00:00.123456  4711 main.cc:42] x", AT),  # glog, the year from the mtime
    ("Nov 29 10:00:00 host sshd[1]: x", AT),
    ("\x00" * 5000 + "2024-11-29 10:00:00 INFO x", AT),  # a copytruncate hole
    ("12:M 29 Nov 2024 10:00:00.123 * Accepted 10.1.2.3:51234", AT),  # Redis
    ('1.2.3.4 - - [29/Nov/2024:10:00:00 +0000] "GET / HTTP/1.1" 200', AT_UTC),  # nginx
    ("# Time: 2024-11-29T10:00:00.000000Z", AT_UTC),  # MySQL slow log
    ('time="2024-11-29T10:00:00+08:00" level=info msg=x', AT_CST),  # logrus
    ('{"level":"info","ts":"2024-11-29T10:00:00Z","msg":"x"}', AT_UTC),  # JSON
    ("{'level': 'info', 'time': '2024-11-29 10:00:00'}", AT),  # a Python dict
    ("<134>1 2024-11-29T10:00:00Z host app - - x", AT_UTC),  # RFC 5424 syslog
    ('"2024-11-29 10:00:00","login","x"', AT),  # CSV exports, quoted or not
    ('1,"张三","2024-11-29 10:00:00",x', AT),
    ("1,张三,2024-11-29 10:00:00,x", AT),
    # not timestamps
    ("2024119 10:00:00 x", None),  # compact dates need two-digit months and days
    ("id 123420241129 10:00:00 x", None),
    ("1732845600000 张三 13812345678", None),  # a number at a line's start may be an id
    ("1234567890,zhangsan,1", None),
    ("x 1732845600000 INFO", None),  # epochs only at a line's start
    ("1800000000 INFO x", None),  # after the file's last write
    ("11/05/2024 10:00:00 AM INFO x", None),  # 5 November (US) or 11 May (Australia)
    ("11/29/2024 13:00:00 PM INFO x", None),  # no 12-hour clock
    ("I1129 10:00:00.123 x", None),  # not glog's whole prefix: too weak without a year
    # data, not where a logger puts its time (QA logs2 #3): a quoted literal, a field that
    # is not the line's time, a date many words in
    ("SELECT COUNT(*) FROM t_log WHERE create_time > '2020-01-01 00:00:00';", None),
    ("UPDATE t SET d='2020-01-01 00:00:00' WHERE id=1", None),
    ('{"msg":"x","created":"2020-01-01 00:00:00"}', None),
    ('level=info msg="expired at 2020-01-01 00:00:00"', None),
    ("user 42 changed the plan of order 7 back to 2020-01-01 00:00:00", None),
    # after the file's last write (2024-11-30T00:00:00Z) by more than a day, in any format
    # (QA logs #7); within a day, a clock set slightly wrong
    ("2099-01-01 00:00:00 INFO x", None),
    ("2024-12-01 09:00:00 INFO x", None),  # 01:00 UTC on 1 December
    ("2024-12-01 07:59:00 INFO x", datetime(2024, 11, 30, 23, 59, tzinfo=UTC)),
    ("[01/Jan/2099:00:00:00 +0000] GET /", None),
    ('{"ts":"2099-01-01T00:00:00Z","msg":"x"}', None),
    ("[Thu Jan 01 00:00:00.000000 2099] [core:error] x", None),
    ("2099年1月1日 00:00:00 INFO x", None),
])
def test_formats(line, expected) -> None:
    assert find_timestamp(line, MTIME) == expected
    assert find_timestamps(["x", line, "y"], MTIME) == ([] if expected is None else [expected])


@pytest.mark.parametrize(("value", "expected"), [
    (1732845600, AT_CST),
    (1732845600000, AT_CST),
    ("2024-11-29 10:00:00 UTC", AT_UTC),
    (4102444800, None),  # 2100: after the file's last write
    ("2099-01-01T00:00:00Z", None),
])
def test_json_time_fields(value, expected) -> None:
    assert epoch_or_text(value, MTIME) == expected


def test_future_lines_do_not_stretch_a_logs_span(tmp_path, scan) -> None:
    """A line dated 2099 in a file last written in 2024 is not of the log: its span and its
    directory's stay those of the lines before the write (QA logs #7)."""
    facts, _ = _report(tmp_path, {
        "future.log": "2099-01-01 00:00:00 INFO future\n2024-11-29 10:00:00 INFO now\n",
        "pg.log": "2024-11-28 10:00:00.123 UTC [1234] LOG:  statement: select 1\n",
        "error_log": "[Fri Nov 29 10:00:00.123456 2024] [core:error] [pid 1234] AH00126: x\n",
    }, scan)
    spans = {os.path.basename(f["attributes"]["path"]): (
        f["attributes"]["oldest"], f["attributes"]["newest"]) for f in facts
        if f["kind"] in ("file", "log_dir")}
    assert spans == {"future.log": ("2024-11-29T02:00:00Z", "2024-11-29T02:00:00Z"),
                     "pg.log": ("2024-11-28T10:00:00Z", "2024-11-28T10:00:00Z"),
                     "error_log": ("2024-11-29T02:00:00Z", "2024-11-29T02:00:00Z"),
                     "logs": ("2024-11-28T10:00:00Z", "2024-11-29T02:00:00Z")}
    (directory,) = [f for f in facts if f["kind"] == "log_dir"]
    assert directory["attributes"]["span_days"] == 0.67


DECLARATION = ("version: 1\norganisation: {name: 测试公司, ciio: false}\n"
               "log_policy: {min_retention_days: 180, max_pi_retention_days: 365}\n")


def _over_retention(result, today: date) -> list:
    found = evaluate(load_rulesets(["cn-pipl"]), result.inventory, result.facts,
                     load_declaration_text(DECLARATION), today=today)
    return [f for f in found.findings if f["rule_id"] == "PIPL-19-OVER-RETENTION"]


def _report(tmp_path, files: dict[str, str | bytes], scan) -> tuple[list, list]:
    logs = tmp_path / "logs"
    logs.mkdir()
    for name, content in files.items():
        path = logs / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        stamp = MTIME.timestamp()
        os.utime(path, (stamp, stamp))
    result = scan(logs)
    return result.facts, _over_retention(result, date(2026, 11, 29))


def _retained(findings: list, name: str) -> list:
    return [f for f in findings if any(loc.get("path", "").endswith(name)
                                       for loc in f["locations"])]


def test_pi_kept_two_years_is_over_retention_whatever_the_format(tmp_path, scan) -> None:
    files = {
        "slash.log": f"2024/11/29 10:00:00 INFO {PI}\n",
        "cn.log": f"2024年11月29日 10:00:00 INFO 手机 {PI}\n",
        "epochms.log": f"1732845600000 INFO {PI}\n",
        "tomcat.log": f"29-Nov-2024 10:00:00.123 INFO [main] {PI}\n",
        "compact.log": f"20241129 10:00:00 INFO {PI}\n",
        "undated.log": f"INFO {PI}\n",  # no timestamp at all: dated by its mtime
    }
    facts, findings = _report(tmp_path, files, scan)
    oldest = {os.path.basename(f["attributes"]["path"]): f["attributes"]["oldest"]
              for f in facts if f["kind"] == "file"}
    assert oldest == {"slash.log": "2024-11-29T02:00:00Z", "cn.log": "2024-11-29T02:00:00Z",
                      "epochms.log": "2024-11-29T02:00:00Z",
                      "tomcat.log": "2024-11-29T02:00:00Z",
                      "compact.log": "2024-11-29T02:00:00Z", "undated.log": None}
    for name in files:
        assert _retained(findings, name), name
    (undated,) = _retained(findings, "undated.log")
    assert undated["evidence"]["oldest"].startswith("2024-11-30T00:00:00Z or earlier")
    assert undated["evidence"]["age_days"] == (date(2026, 11, 29) - date(2024, 11, 30)).days


def test_beijing_times_precede_the_write_that_logged_them(tmp_path, scan) -> None:
    """A Chinese log's last line, 00:10 on 30 November in Beijing, was written at 16:10 UTC on
    the 29th, before the file's mtime (16:32 UTC): read as UTC it postdated both the write and
    the scan. Its day in Beijing, the one the retention rules count, is the 30th."""
    path = tmp_path / "app.log"
    path.write_text("2026-11-29 08:00:00 INFO start\n2026-11-30 00:10:00 INFO mobile 13812345678\n")
    written = datetime(2026, 11, 29, 16, 32, 21, tzinfo=UTC).timestamp()
    os.utime(path, (written, written))
    (fact,) = [f for f in scan(path).facts if f["kind"] == "file"]
    attributes = fact["attributes"]
    assert (attributes["oldest"], attributes["newest"], attributes["mtime"]) == (
        "2026-11-29T00:00:00Z", "2026-11-29T16:10:00Z", "2026-11-29T16:32:21Z")
    assert attributes["newest"] <= attributes["mtime"]


@pytest.mark.parametrize(("line", "written", "expected"), [
    # 03:00 on 1 January 2025 in Beijing is still 2024 in UTC: the line is of 2025
    ("Jan  1 02:59:00 host sshd[1]: x", datetime(2024, 12, 31, 19, tzinfo=UTC),
     datetime(2024, 12, 31, 18, 59, tzinfo=UTC)),
    # a December line in a file written in January is of the year before
    ("Dec 31 23:59:00 host sshd[1]: x", datetime(2025, 1, 10, tzinfo=UTC),
     datetime(2024, 12, 31, 15, 59, tzinfo=UTC)),
])
def test_syslog_year_is_the_mtime_year_in_beijing(line, written, expected) -> None:
    assert find_timestamp(line, written) == expected


def test_a_recent_mtime_does_not_date_old_content(tmp_path, scan) -> None:
    """The mtime bounds an undated file's age from below only: a file written yesterday may
    hold old lines, but it is never called old because of its mtime."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "undated.log").write_text(f"INFO {PI}\n")
    today = datetime.fromtimestamp(time.time(), UTC).date()
    assert _over_retention(scan(logs), today) == []


@pytest.mark.parametrize("ending", [b"\r", b"\r\n", b"\n"])
def test_lone_cr_line_endings(tmp_path, scan, ending) -> None:
    lines = [b"2026-11-28 10:00:00 INFO start", b"2024-11-29 10:00:00 INFO mobile 13812345678",
             b"2026-11-28 11:00:00 INFO id 11010519491231002X"]
    (tmp_path / "cr.log").write_bytes(ending.join(lines) + ending)
    result = scan(tmp_path / "cr.log")
    assert {i["entity_type"]: i["location"]["lines"] for i in result.inventory} == {
        "CN_MOBILE": [2], "CN_RESIDENT_ID": [3]}
    (fact,) = [f for f in result.facts if f["kind"] == "file"]
    assert (fact["attributes"]["lines"], fact["attributes"]["oldest"]) == (
        3, "2024-11-29T02:00:00Z")


def test_lone_cr_file_split_in_byte_ranges(tmp_path, scan, monkeypatch) -> None:
    from pia.connectors.files import connector

    monkeypatch.setattr(connector, "SPLIT_BYTES", 4096)
    lines = [f"2026-11-28 10:00:{i % 60:02d} INFO n={i}" for i in range(2000)]
    lines[1500] = "2024-11-29 10:00:00 INFO mobile 13812345678"
    (tmp_path / "cr.log").write_bytes("\r".join(lines).encode() + b"\r")
    result = scan(tmp_path / "cr.log")
    assert [(i["entity_type"], i["location"]["lines"]) for i in result.inventory] == [
        ("CN_MOBILE", [1501])]
    (fact,) = [f for f in result.facts if f["kind"] == "file"]
    assert (fact["attributes"]["lines"], fact["attributes"]["oldest"]) == (
        2000, "2024-11-29T02:00:00Z")


def test_copytruncate_hole_before_the_first_line(tmp_path, scan) -> None:
    path = tmp_path / "app.log"
    with open(path, "wb") as handle:
        handle.truncate(3 << 20)  # a sparse hole bigger than a chunk and a window
        handle.seek(3 << 20)
        handle.write(b"2026-11-29 10:00:00 INFO mobile 13812345678\n"
                     b"2026-11-29 10:00:01 INFO done\n")
    result = scan(path)
    (fact,) = [f for f in result.facts if f["kind"] == "file"]
    assert (fact["attributes"]["oldest"], fact["attributes"]["newest"],
            fact["attributes"]["lines"]) == ("2026-11-29T02:00:00Z", "2026-11-29T02:00:01Z", 2)
    assert [(i["entity_type"], i["location"]["lines"]) for i in result.inventory] == [
        ("CN_MOBILE", [1])]


SLOW_LOG = """# Time: 2026-11-20T02:00:01.000000Z
# Query_time: 0.4  Lock_time: 0.0 Rows_sent: 1  Rows_examined: 10
SELECT id FROM t_user WHERE mobile = '13812345678' LIMIT 1;
SELECT COUNT(*) FROM t_log WHERE create_time > '2020-01-01 00:00:00';
"""
JAVA_LOG = """2026-11-20 10:00:00.000 INFO  [main] c.e.Job - report for
    period 2020-01-01 00:00:00 to 2020-12-31 23:59:59
2026-11-21 10:00:00.000 INFO  [main] c.e.Job - mobile 13812345678
"""
NGINX_LOG = """1.2.3.4 - - [20/Nov/2026:10:00:00 +0800] "GET / HTTP/1.1" 200 5
1.2.3.4 - - [21/Nov/2026:10:00:00 +0800] "GET /?phone=13812345678 HTTP/1.1" 200 5
"""


@pytest.mark.parametrize(("content", "oldest", "newest"), [
    # a SQL literal in a slow log is no time of the log: its # Time: headers date it
    (SLOW_LOG, "2026-11-20T02:00:01Z", "2026-11-20T02:00:01Z"),
    # most lines lead with their time: a continuation line's dates do not count
    (JAVA_LOG, "2026-11-20T02:00:00Z", "2026-11-21T02:00:00Z"),
    # every line's time stands after the client's address: they all count
    (NGINX_LOG, "2026-11-20T02:00:00Z", "2026-11-21T02:00:00Z"),
])
def test_a_log_is_dated_by_where_its_logger_puts_times(tmp_path, scan, content, oldest,
                                                         newest) -> None:
    path = tmp_path / "app.log"
    path.write_text(content)
    (fact,) = [f for f in scan(path).facts if f["kind"] == "file"]
    assert (fact["attributes"]["oldest"], fact["attributes"]["newest"]) == (oldest, newest)


def test_sql_dates_in_a_slow_log_do_not_hide_short_retention(tmp_path, scan) -> None:
    """A 9-day-old slow log whose SQL names 2020 is still 9 days old: CSL 21 (logs kept at
    least six months) holds against it."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "slow.log").write_text(SLOW_LOG)
    stamp = datetime(2026, 11, 29, tzinfo=UTC).timestamp()
    os.utime(logs / "slow.log", (stamp, stamp))
    result = scan(logs)
    found = evaluate(load_rulesets(["cn-csl"]), result.inventory, result.facts,
                load_declaration_text(DECLARATION), today=date(2026, 11, 29))
    assert "CSL-21-LOG-RETENTION" in {f["rule_id"] for f in found.findings}
