"""Sensitive PI in logs (QA finding): a log naming patients' diagnoses, a religion, a
fingerprint template or a child's birth date gave no finding, because PIPL-28 left logs to
CSL-42 and CSL-42 counted only ID numbers, cards, mobiles and passwords. Now CSL-42 reports
every sensitive type, children's data and mobiles in logs, and PIPL-28 every sensitive item
CSL-42 does not look at, so each is reported once. Real log files go through ``pia scan``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from rulecases import bundled_rules, expand_item

from pia.cli import main
from pia.entities import SENSITIVE
from pia.rules import evaluate

LOGS, PLAINTEXT = "CSL-42-PI-IN-LOGS", "PIPL-28-SENSITIVE-PLAINTEXT"
#: what the repro log holds, none of which may reach a report or the terminal
RAW = ("抑郁症", "青霉素", "艾滋病", "伊斯兰教", "张伟", "建国路88号")
HIS = ("2024-12-01 10:00:00 INFO 门诊挂号 姓名:张伟 诊断结果:抑郁症 过敏史:青霉素 "
       "住址:北京市朝阳区建国路88号院3号楼501\n"
       "2024-12-01 10:00:01 INFO 会员资料 姓名:李娜 religion=伊斯兰教 既往病史:艾滋病\n")
#: health and religion words a log uses of systems, a masked diagnosis, an adult's birth date
NEAR_MISS = ("2024-12-01 10:00:00 INFO GET /healthz 200 12ms\n"
             "2024-12-01 10:00:01 INFO 系统自检 诊断结果:正常 磁盘使用率 40%\n"
             "2024-12-01 10:00:02 INFO 健康检查通过 service=order\n"
             "2024-12-01 10:00:03 DEBUG config religion_enabled=false diagnosis_module=loaded\n"
             "2024-12-01 10:00:04 INFO 用户 u1001 查询 病历 接口 /api/emr/list 返回 20 条\n"
             "2024-12-01 10:00:05 INFO 门诊挂号 姓名:张伟 诊断结果:*** 过敏史:***\n"
             "2024-12-01 10:00:06 INFO 会员 出生日期:1985-03-02 姓名:王芳\n")


def scan(root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
         *sources: str) -> tuple[int, dict, str]:
    """``pia scan SOURCES -o report.json --fail-on low``: exit code, report, terminal text."""
    monkeypatch.chdir(root)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    with pytest.raises(SystemExit) as exited:
        main(["scan", *sources, "-o", "report.json", "--fail-on", "low", "--lang", "en"])
    out, err = capsys.readouterr()
    report = json.loads((root / "report.json").read_text("utf-8"))
    return int(exited.value.code or 0), report, out + err


def write(root: Path, name: str, text: str) -> None:
    (root / "logs").mkdir(exist_ok=True)
    (root / "logs" / name).write_text(text, "utf-8")


def test_diagnoses_and_religion_in_a_log_are_one_rules_finding(tmp_path, capsys,
                                                               monkeypatch) -> None:
    """The QA repro: CSL-42 reports the health and religious data of his.log with CSL 44,
    each type once, at critical (high, raised for sensitive PI as in a database column);
    PIPL-28 does not report them again, nothing else fires (no declaration), and no
    diagnosis, religion, name or address is printed or written."""
    write(tmp_path, "his.log", HIS)
    code, report, shown = scan(tmp_path, capsys, monkeypatch, "logs")
    assert code == 1
    findings = report["findings"]
    assert {f["rule_id"] for f in findings} == {LOGS}
    assert {loc["path"] for f in findings for loc in f["locations"]} == {"logs/his.log"}
    named = [t for f in findings for t in f["evidence"]["entity_types"]]
    assert sorted(named) == ["HEALTH", "RELIGION"]  # each type in one finding only
    for finding in findings:
        assert finding["severity"] == "critical"
        assert finding["evidence"]["severity_raised"] == {"from": "high", "reason": "sensitive"}
        assert [(r["law"], r["article"], r["article_2016"]) for r in finding["references"]] == [
            ("CSL", "44", "42")]
    written = (tmp_path / "report.json").read_text("utf-8")
    assert not [raw for raw in RAW if raw in written or raw in shown]


@pytest.mark.parametrize(("line", "entity_type"), [
    ("INFO 人脸识别 user=u1001 指纹模板:ab12cd9f", "BIOMETRIC"),
    ("INFO 位置上报 user=u1001 latitude=39.904211 longitude=116.407394", "PRECISE_LOCATION"),
    ("INFO 门诊 patient=u1001 诊断结果:糖尿病", "HEALTH"),
])
def test_each_sensitive_kind_in_a_log_is_reported_by_csl_42(tmp_path, capsys, monkeypatch,
                                                            line, entity_type) -> None:
    write(tmp_path, "app.log", f"2024-12-01 10:00:00 {line}\n")
    code, report, _ = scan(tmp_path, capsys, monkeypatch, "logs")
    assert code == 1
    assert {f["rule_id"] for f in report["findings"]} == {LOGS}
    assert {t for f in report["findings"] for t in f["evidence"]["entity_types"]} == {
        entity_type}


def test_a_childs_birth_date_in_a_log_is_childrens_data(tmp_path, capsys, monkeypatch) -> None:
    """Birth dates giving two pupils an age under 14 (PIPL 28: 不满十四周岁未成年人的个人信息)
    are reported, raised to critical for the children, and so are the pupils' names beside
    them (a child's PI is sensitive whatever its type, since 4d86916; the names are free text,
    the dates a field, two places of one file); an adult's birth date and name are not."""
    write(tmp_path, "enrol.log",
          "2024-12-01 10:00:00 INFO 报名 学员姓名:王小明 出生日期:2018-05-01 班级:三年级二班\n"
          "2024-12-01 10:00:01 INFO 报名 学员姓名:李思雨 出生日期:2017-09-12 班级:四年级一班\n")
    write(tmp_path, "member.log", "2024-12-01 10:00:00 INFO 会员 出生日期:1985-03-02 姓名:王芳\n")
    code, report, _ = scan(tmp_path, capsys, monkeypatch, "logs")
    assert code == 1
    found = {}
    for finding in report["findings"]:
        assert (finding["rule_id"], finding["locations"][0]["path"]) == (LOGS, "logs/enrol.log")
        assert finding["severity"] == "critical"
        assert finding["evidence"]["severity_raised"] == {"from": "high", "reason": "minors"}
        found[tuple(finding["evidence"]["entity_types"])] = finding["locations"][0].get("field")
    assert found == {("DATE_OF_BIRTH",): "出生日期", ("CN_NAME",): None}


def test_a_log_that_only_looks_sensitive_stays_clean(tmp_path, capsys, monkeypatch) -> None:
    """/healthz, 健康检查, a system's 诊断结果:正常, config flags, a masked diagnosis and an
    adult's name and birth date: no sensitive PI in plaintext, no finding, exit 0."""
    write(tmp_path, "app.log", NEAR_MISS)
    code, report, _ = scan(tmp_path, capsys, monkeypatch, "logs")
    assert (code, report["findings"]) == (0, [])
    assert not {i["entity_type"] for i in report["inventory"]} & SENSITIVE


#: where a plaintext item can be, as the engine sees it: (location, file fact attributes)
PLACES = {
    "db column": ({"table": "t", "column": "c"}, None),
    "log line": ({"path": "logs/app.log", "first_line": 1, "lines": [1]}, {"is_log": True}),
    "csv export": ({"path": "exports/a.csv", "first_line": 2, "lines": [2]}, {"is_log": False}),
    "image": ({"path": "kyc/face_u1.jpg"}, {"format": "image", "lines": 0}),
    "log bucket": ({"bucket": "app-logs", "key": "2026/11/app.log"}, None),
    "other bucket": ({"bucket": "emr-archive", "key": "records.json"}, None),
    # a log is a log in any bucket, as a log file is in any directory (QA: not judged)
    "log in other bucket": ({"bucket": "shop-data", "key": "logs/app.log"}, {"is_log": True}),
    "export in other bucket": ({"bucket": "shop-data", "key": "users.csv"}, {"is_log": False}),
}


@pytest.mark.parametrize("entity_type", sorted(SENSITIVE))
@pytest.mark.parametrize("place", sorted(PLACES))
def test_plaintext_sensitive_pi_is_reported_by_exactly_one_rule(entity_type, place) -> None:
    """Every sensitive type, wherever it is stored in plaintext, fires CSL-42 or PIPL-28,
    never both and never neither."""
    location, attributes = PLACES[place]
    source = "s3://" + location["bucket"] if "bucket" in location else "src"
    item = expand_item({"source": source, "location": location, "entity_type": entity_type})
    facts = [] if attributes is None else [
        {"kind": "file", "source": source, "location": {"path": location["path"]},
         "attributes": {"path": location["path"], **attributes}} if "path" in location else
        {"kind": "object", "source": source, "location": location,
         "attributes": {**location, **attributes}}]
    fired = set()
    for rule_id in (LOGS, PLAINTEXT):
        ruleset, rule = bundled_rules()[rule_id]
        only = dataclasses.replace(ruleset, rules=(rule,))
        result = evaluate([only], [item], facts, today=dt.date(2026, 11, 28))
        fired |= {f["rule_id"] for f in result.findings}
    expected = {LOGS} if place in ("log line", "log bucket", "log in other bucket") \
        else {PLAINTEXT}
    assert fired == expected
