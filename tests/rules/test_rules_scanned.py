"""Rules over what a real scan of files gives (QA findings): the facts and inventory come from
the files connector reading files written here, then the bundled rules judge them on a fixed
China date."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from pia.declaration import load_declaration_text
from pia.rules import evaluate, load_rulesets
from pia.rules.index import day
from pia.scan import ScanRequest, run_scan


def scan(root: Path, *sources: str) -> dict:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return run_scan(ScanRequest(sources=list(sources))).report
    finally:
        os.chdir(cwd)


def table_db(root: Path, db: str, create: str, rows: list[tuple]) -> None:
    """``root/db``, an SQLite database of one table (``create``) holding ``rows``."""
    import sqlite3

    con = sqlite3.connect(root / db)
    con.execute(create)
    con.executemany(f"insert into {create.split()[2]} values "
                    f"({', '.join('?' * len(rows[0]))})", rows)
    con.commit()
    con.close()


def findings(report: dict, rule_id: str, today: dt.date, declaration: str | None = None):
    decl = load_declaration_text(declaration) if declaration else None
    result = evaluate(load_rulesets(), report["inventory"], report["facts"], decl, today=today)
    return [f for f in result.findings if f["rule_id"] == rule_id]


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-06-03T17:00:00Z", "2026-06-04"),         # 01:00 in Beijing
    ("2026-06-04T01:00:00+08:00", "2026-06-04"),
    ("2026-06-03T15:59:59Z", "2026-06-03"),         # 23:59:59 in Beijing
    ("2026-06-04 01:00:00", "2026-06-04"),          # no zone: already local
    ("2026-06-04", "2026-06-04"),
    (1780506000, "2026-06-04"),                     # 2026-06-03T17:00:00Z as epoch seconds
    (1780506000.5, "2026-06-04"),
    ("not a time", None),
    (True, None),
])
def test_a_stored_time_is_dated_by_its_day_in_beijing(value, expected) -> None:
    assert day(value) == (dt.date.fromisoformat(expected) if expected else None)


def test_a_log_line_at_one_in_the_morning_beijing_time_is_dated_that_day(tmp_path) -> None:
    """The same instant written with +08:00 and without a zone gives the same CSL-21 verdict:
    2026-06-04 01:00 in Beijing is 179 days before 2026-11-30, under six months."""
    (tmp_path / "aware").mkdir()
    (tmp_path / "aware" / "a.log").write_text(
        "2026-06-04T01:00:00+08:00 INFO user login\n2026-11-29T10:00:00+08:00 INFO ok\n",
        "utf-8")
    report = scan(tmp_path, "aware")
    (finding,) = findings(report, "CSL-21-LOG-RETENTION", dt.date(2026, 11, 30))
    assert finding["evidence"]["oldest_age_days"] == 179


def resident_id(born: str, n: int) -> str:
    """A valid resident ID (check digit and all) of someone born on ``born`` (YYYYMMDD)."""
    body = f"110101{born}{n % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def _children_db(root: Path, rows: int = 30) -> None:
    """A table of ``rows`` children (born 2018) whose birth date and ID give their age."""
    import sqlite3

    con = sqlite3.connect(root / "school.db")
    con.execute("create table xuesheng (xm text, csrq text, sfzh text, sjh text)")
    names = ["王芳", "李娜", "张伟", "刘洋", "陈静", "杨敏", "赵磊", "黄勇", "周杰", "吴霞"]
    for n in range(rows):
        born = f"2018{(n % 12) + 1:02d}{(n % 27) + 1:02d}"
        con.execute("insert into xuesheng values (?, ?, ?, ?)",
                    (names[n % 10], f"{born[:4]}-{born[4:6]}-{born[6:]}", resident_id(born, n),
                     f"139{n:08d}"))
    con.commit()
    con.close()


CHILDREN_DECLARATION = """\
version: 1
assets:
  - id: school
    source: school.db
    pi_categories: [CN_NAME, DATE_OF_BIRTH, CN_RESIDENT_ID, CN_MOBILE]
    sensitive: true
    minors: true
"""


@pytest.fixture(scope="module")
def school(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("school")
    _children_db(root)
    return root, scan(root, "school.db")


def test_an_asset_counts_the_children_of_a_table_once(school) -> None:
    """csrq and sfzh of one row are one child: the asset's count is the table's, not their
    sum (29 + 29 = 58 children for 29)."""
    tmp_path, report = school
    counts = [f["attributes"]["minors_count"] for f in report["facts"]
              if f["kind"] == "column" and f["attributes"].get("minors_count")]
    assert counts == [30, 30]  # the birth date and the ID each count the 30 children
    decl = load_declaration_text(CHILDREN_DECLARATION, str(tmp_path / "pia.yaml"))
    decl.bind(report)
    result = evaluate(load_rulesets(), report["inventory"], report["facts"], decl,
                      today=dt.date(2026, 11, 30))
    (pia,) = [f for f in result.findings if f["rule_id"] == "PIPL-55-PIA-TRIGGER"]
    assert pia["evidence"]["minors_count"] == 30


def test_every_pi_column_of_a_table_of_children_rises(school) -> None:
    """The children's names and phones are children's data as much as their birth dates."""
    _, report = school
    labels = findings(report, "PIPL-51-CLASSIFICATION", dt.date(2026, 11, 30))
    assert {f["locations"][0]["column"]: f["severity"] for f in labels} == {
        "xm": "high", "csrq": "high", "sfzh": "high", "sjh": "high"}
    assert {f["evidence"]["minors_count"] for f in labels} == {30}

    # PIPL 28: all of a child's PI is sensitive: the names and phones as much as the birth
    # dates, in the inventory and in PIPL-28-SENSITIVE-PLAINTEXT, which cites the minors'
    # clause (QA zh 11: the names were 敏感：否 with only a raised PIPL-51 finding)
    assert {i["location"]["column"] for i in report["inventory"] if i["sensitive"]} == {
        "xm", "csrq", "sfzh", "sjh"}
    plain = {f["locations"][0]["column"]: f for f in
             findings(report, "PIPL-28-SENSITIVE-PLAINTEXT", dt.date(2026, 11, 30))}
    assert set(plain) == {"xm", "csrq", "sfzh", "sjh"}
    for column in ("xm", "csrq", "sjh"):
        assert plain[column]["severity"] == "critical"
        assert plain[column]["evidence"]["triggers"] == ["children"]
        assert [r["quote"] for r in plain[column]["references"] if r["article"] == "28"] == [
            "不满十四周岁未成年人的个人信息"]
    assert plain["sfzh"]["evidence"]["triggers"] == ["sensitive_type", "children"]
    assert not findings(report, "PIPL-51-ENCRYPT-DEIDENT", dt.date(2026, 11, 30))


PIA_DECLARATION = """\
version: 1
assets:
  - {id: kyc-logs, source: kyc, pi_categories: [CN_RESIDENT_ID], sensitive: true}
  - {id: sg-logs, source: sg, pi_categories: [CN_MOBILE]}
cross_border:
  - {asset: sg-logs, destination: SG, recipient: Example Pte Ltd, mechanism: standard_contract}
"""


def test_an_impact_assessment_finding_cites_only_the_clauses_that_apply(tmp_path) -> None:
    """Sensitive logs kept at home cite 55 and 55(一), not provision to others (三) or abroad
    (四); logs of mobiles sent to Singapore cite 55(四) and say where, to whom and how."""
    for name, line in (("kyc", f"id={resident_id('19900307', 7)}"), ("sg", "mobile=13812345678")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "app.log").write_text(
            "".join(f"2026-11-2{n} 10:00:00 INFO login {line}\n" for n in range(5)), "utf-8")
    report = scan(tmp_path, "kyc", "sg")
    decl = load_declaration_text(PIA_DECLARATION, str(tmp_path / "pia.yaml"))
    decl.bind(report)
    result = evaluate(load_rulesets(), report["inventory"], report["facts"], decl,
                      today=dt.date(2026, 11, 30))
    found = {f["evidence"]["asset"]: f for f in result.findings
             if f["rule_id"] == "PIPL-55-PIA-TRIGGER"}
    cited = {asset: [(r["article"], r.get("clause")) for r in f["references"]]
             for asset, f in found.items()}
    assert cited == {"kyc-logs": [("55", None), ("55", "(一)")],
                     "sg-logs": [("55", None), ("55", "(四)")]}
    assert found["kyc-logs"]["evidence"]["triggers"] == ["sensitive"]
    assert "transfers" not in found["kyc-logs"]["evidence"]
    assert found["sg-logs"]["evidence"]["triggers"] == ["cross_border"]
    assert found["sg-logs"]["evidence"]["transfers"] == [
        {"asset": "sg-logs", "destination": "SG", "recipient": "Example Pte Ltd",
         "mechanism": "standard_contract"}]
    assert all("triggers" not in r for f in found.values() for r in f["references"])


def test_a_csv_export_is_not_a_log(tmp_path) -> None:
    """CSL-42's "PI in logs" is about logs: customers.csv (no timestamps) is a data export,
    app.log beside it is a log."""
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "customers.csv").write_text(
        "id,name,mobile\n" + "".join(f"{n},客户{n},1381234{n:04d}\n" for n in range(20)),
        "utf-8")
    (tmp_path / "files" / "app.log").write_text(
        "".join(f"2026-11-2{n} 10:00:00 INFO login mobile=1391234{n:04d}\n" for n in range(5)),
        "utf-8")
    report = scan(tmp_path, "files")
    logs = findings(report, "CSL-42-PI-IN-LOGS", dt.date(2026, 11, 30))
    assert [f["locations"][0]["path"] for f in logs] == ["files/app.log"]


def test_the_classification_remediation_names_the_label_pia_reads() -> None:
    """PIPL-51-CLASSIFICATION says how to label a column so that the finding goes away: the
    token it shows, in both languages, is what the database connector reads from a comment."""
    from pia.connectors.db.facts import classification_label
    from pia.rules.loader import load_ruleset

    rule = load_ruleset("cn-pipl").rule("PIPL-51-CLASSIFICATION")
    for text in rule["remediation"].values():
        example = text[text.index("'"):].split("'")[1]  # the comment of the example
        assert classification_label(example) == "L3", text


def test_a_sqlite_column_labelled_as_the_remediation_says_is_classified(tmp_path) -> None:
    """Following the remediation's SQLite example clears PIPL-51-CLASSIFICATION."""
    import sqlite3

    con = sqlite3.connect(tmp_path / "l.db")
    con.execute("create table members (id integer,\n phone text -- 手机号 [class:L3]\n,"
                "\n phone2 text)")
    con.executemany("insert into members values (?, ?, ?)",
                    [(n, f"1381234{n:04d}", f"1391234{n:04d}") for n in range(30)])
    con.commit()
    con.close()
    report = scan(tmp_path, "l.db")
    labels = findings(report, "PIPL-51-CLASSIFICATION", dt.date(2026, 11, 30))
    assert [f["locations"][0]["column"] for f in labels] == ["phone2"]


def test_an_image_in_a_log_archive_is_judged_as_a_loose_image(tmp_path) -> None:
    """A face photo zipped into a log directory was neither a raw biometric image (the
    archive's file fact says zip, not image) nor sensitive PI in plaintext (logs are
    CSL-42's); it is judged as the same photo next to the archive is. A log line in the same
    archive stays CSL-42's, and a text member named .png is judged by its lines."""
    import zipfile

    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    logs = tmp_path / "logs"
    logs.mkdir()
    with zipfile.ZipFile(logs / "backup.zip", "w") as archive:
        archive.writestr("faces/u1.png", png)
        archive.writestr("app.log", "2026-11-01 10:00:00 login idcard 110101199003074514\n")
        archive.writestr("face_notes.png", "2026-11-01 10:00:00 login 110101199003074514\n")
    (logs / "face_u2.png").write_bytes(png)
    report = scan(tmp_path, "logs")
    today = dt.date(2026, 11, 29)

    def where(rule_id: str) -> list[tuple]:
        return sorted((f["locations"][0]["path"], f["locations"][0].get("member", ""))
                      for f in findings(report, rule_id, today))

    images = [("logs/backup.zip", "faces/u1.png"), ("logs/face_u2.png", "")]
    assert where("GB35273-6.3-RAW-BIOMETRIC") == images
    assert where("PIPL-28-SENSITIVE-PLAINTEXT") == images
    assert where("CSL-42-PI-IN-LOGS") == [("logs/backup.zip", "app.log"),
                                          ("logs/backup.zip", "face_notes.png")]
