"""A file's fields named like a database column count as the column does: passwords,
coordinates, religion and birth dates in CSV exports, JSON logs and ``password=...`` log lines
(QA detect #1), located by file, field and line, masked, with their protection."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from datetime import date

import pytest

from pia.connectors.base import ScanOptions, scan_serial
from pia.connectors.files import connector, fields
from pia.connectors.files.fields import field_types, line_pairs, log_pairs
from pia.connectors.sqlite import SqliteConnector
from pia.declaration import load_declaration_text
from pia.detection.engine import default_engine
from pia.masking import mask
from pia.report import finalize, new_report, validate_report
from pia.rules.engine import evaluate
from pia.rules.loader import load_rulesets

HEADER = ["user_id", "birthday", "latitude", "longitude", "religion", "password"]
ROWS = [["1001", "1990-03-07", "39.904211", "116.407396", "佛教", "P@ssw0rd123"],
        ["1002", "2015-06-01", "31.230416", "121.473701", "基督教", "Secret!234"]]
RAW = [value for row in ROWS for value in row[1:]]
TYPES = {"birthday": "DATE_OF_BIRTH", "latitude": "PRECISE_LOCATION",
         "longitude": "PRECISE_LOCATION", "religion": "RELIGION", "password": "CREDENTIAL"}


def _fields(result) -> dict[tuple[str, str], dict]:
    return {(item["location"]["path"].rsplit("/", 1)[-1], item["location"]["field"]): item
            for item in result.inventory if "field" in item["location"]}


def _no_raw(result) -> None:
    text = json.dumps(result.inventory, ensure_ascii=False)
    for value in RAW:
        assert value not in text, value


def test_csv_jsonl_and_log_fields_are_classified_as_the_database_columns(
        tmp_path, scan, ctx) -> None:
    with open(tmp_path / "users.csv", "w", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *ROWS])
    (tmp_path / "users.jsonl").write_text("".join(
        json.dumps(dict(zip(HEADER, row, strict=True)), ensure_ascii=False) + "\n"
        for row in ROWS))
    (tmp_path / "app.log").write_text(
        "2024-11-29 10:00:00 INFO login user=zhangsan password=P@ssw0rd123 ok\n"
        '2024-11-29 10:00:01 INFO {"user":"lisi","password":"Secret!234",'
        '"lat":39.904211,"lng":116.407396}\n')
    db = tmp_path / "users.db"
    with sqlite3.connect(db) as conn:
        conn.execute(f"create table users ({', '.join(c + ' text' for c in HEADER)})")
        conn.executemany("insert into users values (?,?,?,?,?,?)", ROWS)
    conn.close()
    in_db = {(i["location"]["column"], i["entity_type"])
             for i in scan_serial(SqliteConnector(), str(db), ScanOptions(), ctx).inventory}
    assert in_db == set(TYPES.items())

    result = scan(tmp_path)
    found = _fields(result)
    for name in ("users.csv", "users.jsonl"):
        assert {(f, i["entity_type"]) for (n, f), i in found.items() if n == name} == in_db
    assert {(f, i["entity_type"]) for (n, f), i in found.items() if n == "app.log"} == {
        ("password", "CREDENTIAL"), ("lat", "PRECISE_LOCATION"), ("lng", "PRECISE_LOCATION")}
    password = found[("users.csv", "password")]
    assert password["location"] == {"path": str(tmp_path / "users.csv"), "field": "password",
                                    "first_line": 2, "lines": [2, 3]}
    assert (password["count"], password["protection"], password["protected"],
            password["sensitive"], password["signals"]) == (2, "plaintext", False, True, ["name"])
    assert password["evidence"]["samples"] == ["********"]
    assert password["evidence"]["matched_term"] == "password"
    assert found[("app.log", "password")]["location"]["lines"] == [1, 2]
    assert found[("users.csv", "birthday")]["evidence"]["minors_count"] == 1  # born 2015
    assert found[("users.csv", "latitude")]["evidence"]["samples"] == ["3*******1", "3*******6"]
    _no_raw(result)
    report = new_report([str(tmp_path)], {})
    report["inventory"], report["facts"] = result.inventory, result.facts
    validate_report(finalize(report))

    declaration = load_declaration_text(
        "version: 1\norganisation: {name: 测试公司, ciio: false}\n")
    found_rules = evaluate(load_rulesets(), result.inventory, result.facts,
                           declaration, today=date(2026, 1, 1)).findings

    def fired(rule_id: str) -> list[tuple[str, str]]:
        return sorted((os.path.basename(loc["path"]), loc["field"]) for f in found_rules
                      if f["rule_id"] == rule_id for loc in f["locations"]
                      if loc.get("field") == "password")

    # a password in a log is PI in logs; in a CSV or JSON export (data, not a log) it is
    # sensitive PI stored in plaintext
    assert fired("CSL-42-PI-IN-LOGS") == [("app.log", "password")]
    assert fired("PIPL-28-SENSITIVE-PLAINTEXT") == [("users.csv", "password"),
                                                    ("users.jsonl", "password")]


@pytest.mark.parametrize(("header", "entity"), [
    ("密码", "CREDENTIAL"), ("mima", "CREDENTIAL"), ("login_pwd", "CREDENTIAL"),
    ("纬度", "PRECISE_LOCATION"), ("jwd", "PRECISE_LOCATION"),
    ("宗教信仰", "RELIGION"), ("zjxy", "RELIGION"),
    ("出生日期", "DATE_OF_BIRTH"), ("csrq", "DATE_OF_BIRTH"),
    ("sr", "DATE_OF_BIRTH"),  # as a column is: two initials count in a header
])
def test_chinese_and_pinyin_headers(tmp_path, scan, header, entity) -> None:
    values = {"PRECISE_LOCATION": ("39.904211", "31.230416"),  # a coordinate looks like one
              "DATE_OF_BIRTH": ("1990-03-07", "2001-12-31")}.get(entity, ("x7Yq-91", "k2Lm-03"))
    (tmp_path / "export.csv").write_text(f"id,{header}\n1,{values[0]}\n2,{values[1]}\n")
    (item,) = _fields(scan(tmp_path / "export.csv")).values()
    assert (item["location"]["field"], item["entity_type"], item["count"]) == (header, entity, 2)


@pytest.mark.parametrize(("values", "protection"), [
    (["$2b$12$KIXQJj1Dd0bQH8L9e6Bxo.4mPC0rJLu0S7m5zRzBi1z3ZQ0S9yq4S"] * 2, "hashed_salted"),
    (["******", "******"], "masked"),
    (["[FILTERED]", "<redacted>"], "masked"),
    (["******", "******", "******", "hunter22"], "plaintext"),  # masked but one line
])
def test_a_fields_protection_is_decided_by_its_values(tmp_path, scan, values,
                                                      protection) -> None:
    (tmp_path / "events.jsonl").write_text("".join(
        json.dumps({"user": "u", "password": v}) + "\n" for v in values))
    (item,) = _fields(scan(tmp_path / "events.jsonl")).values()
    assert item["protection"] == protection
    assert item["protected"] is (protection != "plaintext")
    if item["protected"]:
        assert item["evidence"]["samples"] == []
        assert item["share"] == 1.0


@pytest.mark.parametrize("line", [
    "2024-11-29 10:00:00 INFO has_password=true password_len=8 pwd_updated_at=2024-01-01",
    "2024-11-29 10:00:00 INFO vehicle plate 京A12345 lat",  # no field
    "2024-11-29 10:00:00 INFO sr=44100 mm=3 jd=1",  # two initials are not enough in a log
    "2024-11-29 10:00:00 INFO password: changed for user 42",  # prose
    "2024-11-29 10:00:00 INFO password=[FILTERED] pwd= secret=null lat=0.0 dob=-",
    "2024-11-29 10:00:00 INFO gps_status=ok religion_id=3 birthday_type=lunar",
])
def test_log_lines_that_hold_no_such_value(tmp_path, scan, line) -> None:
    (tmp_path / "app.log").write_text(line + "\n")
    assert _fields(scan(tmp_path / "app.log")) == {}


@pytest.mark.parametrize(("line", "expected"), [
    ("GET /login?pwd=abc123&userPwd=x9 HTTP/1.1", [("pwd", "abc123"), ("userPwd", "x9")]),
    ("用户登录 密码：123456，生日: 1990-01-01", [("密码", "123456"), ("生日", "1990-01-01")]),
    ("cfg {'dbPassword': 'Tr0ub4dor', \"GPSLat\":31.2}",
     [("dbPassword", "Tr0ub4dor"), ("GPSLat", "31.2")]),
    ("x user.password=a1 user_birth_date=2001-02-03",
     [("user.password", "a1"), ("user_birth_date", "2001-02-03")]),
])
def test_pairs_in_log_lines(line, expected) -> None:
    types = field_types(default_engine())
    assert [(key, value) for _i, key, _m, value in log_pairs(["x", line], types)] == expected
    assert [(key, value) for key, _m, value in line_pairs(line, types)] == expected


def test_the_regex_fallback_finds_the_lines_hyperscan_finds(monkeypatch) -> None:
    types = field_types(default_engine())
    lines = ["a=1", "password=x1", "vehicle plate 京A1", "x\nlat=5", "密码：1", "İİ pwd=2",
             "userLat=3", "chuShengRiQi=1990-01-01", "nothing"] * 3
    fast = log_pairs(lines, types)
    monkeypatch.setattr(fields, "hyperscan", None)
    fields._database.cache_clear()
    try:
        assert log_pairs(lines, types) == fast
    finally:
        fields._database.cache_clear()
    assert [i for i, *_ in fast] == [base + 9 * k for k in range(3) for base in (1, 3, 4, 5, 6, 7)]


def test_fields_of_a_file_read_in_byte_ranges(tmp_path, scan, monkeypatch) -> None:
    monkeypatch.setattr(connector, "SPLIT_BYTES", 4096)
    lines = [f"2026-11-28 10:00:{i % 60:02d} INFO n={i}" for i in range(2000)]
    lines[10] = "2026-11-28 10:00:00 INFO password=first1"
    lines[1500] = "2026-11-28 10:00:00 INFO password=second2"
    (tmp_path / "app.log").write_text("\n".join(lines) + "\n")
    result = scan(tmp_path / "app.log")
    (item,) = _fields(result).values()
    assert (item["count"], item["location"]["lines"]) == (2, [11, 1501])


# Values a name's field holds that are no such value (QA regress #1, #6, #8): a setting's
# flag or level under a name that names a password, a metric under a coordinate's name, a
# template's placeholder, a MySQL zero date. Each goes through a CSV export and a JSON log.
NOT_VALUES = [
    # flags and settings' levels are no password
    ("password", ["yes", "no", "on", "off", "enabled", "disabled", "unknown", "strict",
                  "weak", "未设置"]),
    # one or two characters are no password (a count, a length, a level)
    ("password", ["3", "12", "ab"]),
    # placeholders of templates and config dumps
    ("password", ["${DB_PASSWORD}", "$DB_PASS", "$password", "%s", "%(pw)s", "{}", "{0}",
                  "{{ pw }}", "#{password}", "<password>"]),
    # a coordinate is a decimal number of degrees in range, or a pair of them
    ("latitude", ["12", "1", "45", "unknown", "on", "10米", "200.5", "120.5,130.5",
                  "1.2.3.4"]),
    # a MySQL zero date is no date; a flag is no birth date
    ("birthday", ["0000-00-00", "0000-00-00 00:00:00", "0000-00-00T00:00:00Z", "on",
                  "unknown"]),
]
VALUES = [
    ("password", ["abc", "Hunter2024!", "123456", "password", "$ecret12"]),
    ("latitude", ["39.904211", "-33.8688", "116.407396E", "39°54'15\"N", "北纬39.9042",
                  "39.904211,116.407396", "116.407396 39.904211"]),
    ("birthday", ["1990-01-01", "1990-01-01 00:00:00", "19900101"]),
]


def _write_both(folder, field: str, values: list[str]) -> None:
    folder.mkdir()
    with open(folder / "export.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["user_id", field],
                                      *([str(i), v] for i, v in enumerate(values))])
    (folder / "events.jsonl").write_text("".join(
        json.dumps({"user_id": i, field: v}, ensure_ascii=False) + "\n"
        for i, v in enumerate(values)), encoding="utf-8")


@pytest.mark.parametrize(("field", "values"), NOT_VALUES)
def test_values_that_are_not_what_the_name_says_are_not_counted(tmp_path, scan, field,
                                                                  values) -> None:
    _write_both(tmp_path / "x", field, values)
    assert _fields(scan(tmp_path / "x")) == {}


@pytest.mark.parametrize(("field", "values"), VALUES)
def test_values_that_are_what_the_name_says_are_counted(tmp_path, scan, field,
                                                        values) -> None:
    _write_both(tmp_path / "x", field, values)
    found = _fields(scan(tmp_path / "x"))
    assert {key: item["count"] for key, item in found.items()} == {
        ("export.csv", field): len(values), ("events.jsonl", field): len(values)}


SETTINGS_LOG = """\
2026-11-29 10:00:01 INFO auth password=strict lat=12 pwd=12 birthday=on
2026-11-29 10:00:03 INFO req GET /api lat=45 password=weak 密码=2 lng=unknown
2026-11-29 10:00:04 INFO login user=42 password=${DB_PASSWORD} passwd=%s pwd={{ pw }}
2026-11-29 10:00:05 INFO login user=43 password=#{password} gps_lat=1 生日=0000-00-00
2026-11-29 10:00:06 INFO login user=44 password=$DB_PASS birthday=0000-00-00 00:00:00
"""


def test_settings_and_placeholders_in_a_log_are_not_values(tmp_path, scan) -> None:
    (tmp_path / "app.log").write_text(SETTINGS_LOG, encoding="utf-8")
    assert _fields(scan(tmp_path / "app.log")) == {}
    (tmp_path / "app.log").write_text(
        SETTINGS_LOG + "2026-11-29 10:00:07 INFO set password=Hunter2024! lat=39.904211\n",
        encoding="utf-8")
    found = _fields(scan(tmp_path / "app.log"))
    assert {key: (item["count"], item["location"]["lines"]) for key, item in found.items()} == {
        ("app.log", "password"): (1, [6]), ("app.log", "lat"): (1, [6])}


def test_jasypt_ciphertext_and_a_working_directory_are_no_plaintext_password(tmp_path,
                                                                             scan) -> None:
    """``password=ENC(..)`` was read as the value ``ENC`` (the pair stopped at its bracket),
    a plaintext password raising CSL-42; ``"pwd": "/app"`` (Go's working directory) was a
    password too."""
    (tmp_path / "app.log").write_text(
        "2024-11-29 10:00:00 INFO c.e.Config : jasypt.encryptor.password="
        "ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm) "
        "db.password=ENC(nE7k1mWqz0Jv9Q2x3LrT5y8Pa4Bc6De7Fg8Hi9Jk0Lm=)\n"
        '2024-11-29 10:00:01 INFO {"msg": "config loaded", "pwd": "/app", "user": "svc"}\n'
        "2024-11-29 10:00:02 INFO login password=Hunter2024! ok\n", encoding="utf-8")
    found = _fields(scan(tmp_path / "app.log"))
    assert {key[1]: item["protection"] for key, item in found.items()} == {
        "jasypt.encryptor.password": "encrypted", "db.password": "encrypted",
        "password": "plaintext"}


def test_pia_scan_of_settings_and_placeholders_finds_nothing(tmp_path, pia_scan) -> None:
    """End to end: a settings export and a log of placeholders gave 7 critical PIPL-28 and
    high CSL-42 findings (exit 1); the export now has none (exit 0) and the log only its
    retention."""
    export = tmp_path / "export"
    export.mkdir()
    (export / "settings.csv").write_text(
        "user_id,password,lat,lng,birthday\n1001,strict,12,unknown,on\n"
        "1002,yes,45,1,0000-00-00\n1003,${DB_PASSWORD},7,off,0000-00-00 00:00:00\n",
        encoding="utf-8")
    code, rules, report = pia_scan(export)
    assert (code, rules, report["inventory"]) == (0, set(), [])
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log").write_text(SETTINGS_LOG, encoding="utf-8")
    code, rules, report = pia_scan(logs)
    assert (code, rules, report["inventory"]) == (1, {"CSL-21-LOG-RETENTION"}, [])


def test_a_credential_recognizer_leaves_password_fields_to_their_names() -> None:
    """A recognizer of credentials finds labelled forms (an Authorization header, a URI's
    password), never a bare password: a password column must still count by its name, while
    a type a recognizer finds in bare values (RELIGION here) is left to the recognizer."""
    from types import SimpleNamespace

    engine = SimpleNamespace(recognizers=[SimpleNamespace(entity="CREDENTIAL"),
                                          SimpleNamespace(entity="RELIGION")])
    assert "CREDENTIAL" in field_types(engine)
    assert "RELIGION" not in field_types(engine)


@pytest.mark.parametrize(("entity", "value", "counted"), [
    # a digest under a fingerprint key is a key's or a file's, not a finger's
    ("BIOMETRIC", "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s", False),
    ("BIOMETRIC", "ab:cd:ef:01:23:45:67:89:ab:cd", False),
    ("BIOMETRIC", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", False),
    ("BIOMETRIC", "hmac-sha256:2321b3143e7f1c3d, hmac-sha256:ad2ad8bb4ae30c91", False),
    ("BIOMETRIC", "3", False),  # a count: pia's own report tallies entity types
    ("BIOMETRIC", "Rk1SACAyMAAAAAEgAAABPAFiAMUAxQEAAAAoJ0CNAB", True),  # a template
    ("BIOMETRIC", "left_thumb.wsq", True),
    ("RELIGION", "2", False), ("RELIGION", "佛教", True),
    # a birth date holds a year, eight digits, a month and a day, or a month's name
    ("DATE_OF_BIRTH", "1", False), ("DATE_OF_BIRTH", "生日快乐", False),
    ("DATE_OF_BIRTH", "1990-03-07", True), ("DATE_OF_BIRTH", "19900307", True),
    ("DATE_OF_BIRTH", "1990年3月7日", True), ("DATE_OF_BIRTH", "3月7日", True),
    ("DATE_OF_BIRTH", "Mar 7, 1990", True), ("DATE_OF_BIRTH", "631670400000", True),
    # records are words: a small number under their key is a count
    ("CRIMINAL_RECORD", "2", False), ("CRIMINAL_RECORD", "2019年盗窃罪", True),
    ("FINANCIAL_RECORD", "12", False), ("FINANCIAL_RECORD", "逾期3次", True),
    # a status's code is the status
    ("MARITAL_STATUS", "2", True), ("SEXUAL_ORIENTATION", "同性恋", True),
    # a Luhn-valid IMEI is the engine's (found beside its key's label), anything else the
    # key's: MAC addresses, IDFAs, an IMEI that fails its check digit
    ("DEVICE_ID", "352099001761481", False), ("DEVICE_ID", "35-209900-176148-1", False),
    ("DEVICE_ID", "352099001761482", True), ("DEVICE_ID", "00:1a:2b:3c:4d:5e", True),
    ("DEVICE_ID", "6D92078A-8246-4BA4-AE5B-76104861E7C1", True),
])
def test_a_fields_value_must_have_the_shape_of_its_type(entity: str, value: str,
                                                        counted: bool) -> None:
    assert (fields.field_value(value, entity) is not None) is counted


@pytest.mark.parametrize(("key", "value", "counted"), [
    # a coordinate field holds degrees: a city, a switch or a count is no precise location
    ("lat", "39.904211", True), ("lat", "Beijing", False), ("定位", "开启", False),
    ("经纬度", "116.40,39.90", True), ("gps", "3", False),
    # a lodging or trip record is words: where a person stayed or went
    ("lodging_record", "2026-11-01 入住 如家酒店朝阳店 1203房", True),
    ("住宿记录", "如家酒店 2晚", True), ("trajectory", "北京南站→上海虹桥", True),
    ("travel_history", "2", False),  # a count
])
def test_a_location_field_holds_degrees_or_a_record_by_its_name(key: str, value: str,
                                                                 counted: bool) -> None:
    match = fields.field_match(key, frozenset({"PRECISE_LOCATION"}))
    assert match is not None
    assert (fields.field_value(value, match.entity_type, match.term) is not None) is counted


def test_a_lodging_record_is_masked_whole_a_coordinate_to_its_first_and_last_digit() -> None:
    assert mask("PRECISE_LOCATION", "如家酒店朝阳店 1203房") == "*" * 13  # no brand, no room
    assert mask("PRECISE_LOCATION", "39.904211") == "3*******1"


def test_the_coordinate_terms_are_the_vocabularys() -> None:
    from pia.detection.metadata import vocabulary

    vocab = vocabulary()
    terms = {term for entity, _score, term in [*vocab.tokens.values(), *vocab.exact.values()]
             if entity == "PRECISE_LOCATION"} | {
        word for word, entity in vocab.zh if entity == "PRECISE_LOCATION"}
    assert terms >= fields.COORDINATE_TERMS



PROFILE = {"user_id": "1001", "marital_status": "已婚", "sexual_orientation": "同性恋",
           "criminal_record": "2019年因盗窃被判处有期徒刑一年", "credit_report": "逾期3次",
           "mac_address": "00:1a:2b:3c:4d:5e", "imei": "352099001761481"}
PROFILE_TYPES = {"marital_status": "MARITAL_STATUS", "sexual_orientation": "SEXUAL_ORIENTATION",
                 "criminal_record": "CRIMINAL_RECORD", "credit_report": "FINANCIAL_RECORD",
                 "mac_address": "DEVICE_ID", "imei": "DEVICE_ID"}


def test_records_statuses_and_device_ids_count_in_files_and_columns(tmp_path, scan,
                                                                      ctx) -> None:
    """Types a name decides alone (no recognizer finds a marriage or a MAC address in bare
    text) are counted in a JSON log's fields and a table's columns alike, masked whole where
    a first character would tell (盗 of 盗窃), and an IMEI, which the engine finds beside its
    label, once."""
    (tmp_path / "profile.jsonl").write_text(json.dumps(PROFILE, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
    db = tmp_path / "profile.db"
    with sqlite3.connect(db) as conn:
        conn.execute(f"create table profiles ({', '.join(k + ' text' for k in PROFILE)})")
        conn.executemany(f"insert into profiles values ({', '.join('?' * len(PROFILE))})",
                         [tuple(PROFILE.values())] * 3)
    conn.close()
    in_db = {i["location"]["column"]: i for i in scan_serial(
        SqliteConnector(), str(db), ScanOptions(), ctx).inventory}
    assert {c: i["entity_type"] for c, i in in_db.items()} == PROFILE_TYPES
    assert in_db["criminal_record"]["evidence"]["samples"] == ["*" * 17]
    assert in_db["mac_address"]["count"] == 3

    result = scan(tmp_path)
    in_file = [i for i in result.inventory if i["location"]["path"].endswith(".jsonl")]
    assert sorted((i["location"].get("field", ""), i["entity_type"]) for i in in_file) == sorted(
        [(f, e) for f, e in PROFILE_TYPES.items() if f != "imei"] + [("", "DEVICE_ID")])
    sensitive = {i["location"].get("field"): i["sensitive"] for i in in_file}
    assert sensitive == {"marital_status": False, "sexual_orientation": True,
                         "criminal_record": True, "credit_report": True,
                         "mac_address": False, None: False}
    for item in in_file:
        if item["sensitive"]:
            assert all(set(s) == {"*"} for s in item["evidence"]["samples"]), item
    text = json.dumps(result.inventory, ensure_ascii=False) + json.dumps(list(in_db.values()),
                                                                         ensure_ascii=False)
    for value in PROFILE.values():
        assert value == "1001" or value not in text, value


def test_a_coordinate_column_holds_degrees_in_a_database_as_in_a_file(tmp_path, ctx) -> None:
    """A ``lat`` column of cities and a 定位 column of switches were precise locations in a
    database (sensitive, critical findings) and none in a log (QA review12 F3)."""
    db = tmp_path / "geo.db"
    with sqlite3.connect(db) as conn:
        conn.execute('create table users (lat text, "定位" text, user_lat text, lng real, '
                     "lat_e6 integer, lodging_record text)")
        conn.executemany("insert into users values (?, ?, ?, ?, ?, ?)",
                         [("北京", "朝阳区", "开启", 116.4 + i / 1000, 39904211 + i,
                           f"如家酒店 {i}晚") for i in range(20)])
    conn.close()
    found = {i["location"]["column"]: i for i in scan_serial(
        SqliteConnector(), str(db), ScanOptions(), ctx).inventory}
    assert {c: i["entity_type"] for c, i in found.items()} == {
        "lng": "PRECISE_LOCATION", "lat_e6": "PRECISE_LOCATION",
        "lodging_record": "PRECISE_LOCATION"}
    assert found["lng"]["count"] == 20
