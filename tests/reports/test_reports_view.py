"""What every format shows: location text, evidence filtering, article labels."""

from __future__ import annotations

from typing import Any

import pytest

from pia.reports.evidence import safe_evidence
from pia.reports.references import article_text
from pia.reports.view import china_time, location_text

W = "[withheld]"


@pytest.mark.parametrize(("location", "expected"), [
    ({"database": "crm", "schema": "public", "table": "t", "column": "c"}, "crm.public.t.c"),
    ({"table": "t", "column": "c", "schema": None}, "t.c"),
    ({"path": "/var/log/a.log", "first_line": 3, "lines": [3, 9]}, "/var/log/a.log:3"),
    ({"path": "/var/log/a.log", "lines": [9, 4]}, "/var/log/a.log:4"),
    ({"path": "/logs/x.zip", "member": "in/a.log", "first_line": 2}, "/logs/x.zip!in/a.log:2"),
    ({"path": "/var/log"}, "/var/log"),
    ({"bucket": "b", "key": "k/x.csv"}, "b/k/x.csv"),
    ({"bucket": "b", "key": "archive/dump.zip", "member": "inner/customers.csv"},
     "b/archive/dump.zip!inner/customers.csv"),
    ({"bucket": "b"}, "b"),
    # an object's line is as precise as a file's
    ({"bucket": "b", "key": "k/x.csv", "first_line": 2, "lines": [2, 5]}, "b/k/x.csv:2"),
    ({"bucket": "b", "key": "a.tar.gz", "member": "x/y.log", "lines": [7, 3]},
     "b/a.tar.gz!x/y.log:3"),
    ({"file": "m/1.sql", "line": 3, "col": 5, "table": "u", "column": "p"}, "m/1.sql:3:5 (u.p)"),
    ({"file": "m/1.sql", "line": 3}, "m/1.sql:3"),
])
def test_location_text(location: dict[str, Any], expected: str) -> None:
    assert location_text(location) == expected


@pytest.mark.parametrize(("evidence", "expected"), [
    # masked samples and keyed fingerprints pass; anything unmasked is withheld
    ({"samples": ["138****5678", "13812345678"]}, [("samples", f"138****5678, {W}")]),
    ({"fingerprints": ["hmac-sha256:0123abcd", "md5:0123"]},
     [("fingerprints", f"hmac-sha256:0123abcd, {W}")]),
    # counts, flags and identifier-like labels pass
    ({"count": 3, "share": 0.5, "public": True, "label": None, "acl": "public-read"},
     [("acl", "public-read"), ("count", "3"), ("label", "null"), ("public", "true"),
      ("share", "0.5")]),
    ({"entity_types": ["CN_MOBILE", "EMAIL_ADDRESS"]},
     [("entity_types", "CN_MOBILE, EMAIL_ADDRESS")]),
    ({"by_entity_type": {"CN_MOBILE": 3}, "severity_raised": {"from": "high", "reason": "minors"}},
     [("by_entity_type", "{Mobile number 3}"),
      ("severity_raised", "{from: high, reason: minors}")]),
    # what could be a value is withheld: digit runs, '@', free text, nesting
    ({"value": "13812345678", "mail": "a@b.cn", "note": "张伟 lives here", "row": {"a": {"b": 1}}},
     [("mail", W), ("note", W), ("row", f"{{a: {W}}}"), ("value", W)]),
    ({"id": "ID110105194912310"}, [("id", W)]),
    # a grant names the columns it reaches (QA M6); a list holding a value is withheld whole
    ({"pi_grants": [{"grantee": "PUBLIC", "privilege": "SELECT", "columns": ["sfzh", "tel"],
                     "view": "crm.v_kyc"}, {"grantee": "bi", "columns": ["a", "13812345678"]}]},
     [("pi_grants", f"{{columns: [sfzh, tel], grantee: PUBLIC, privilege: SELECT, "
                    f"view: crm.v_kyc}}, {{columns: {W}, grantee: bi}}")]),
    # dates and times are what a retention finding's age is read off: shown, with a space too
    ({"oldest": "2018-01-01 09:00:00", "newest": "2023-03-01T08:00:00.123456+08:00",
      "since": "2026-11-29", "near": "2018-01-01 09:00:00 13812345678"},
     [("near", W), ("newest", "2023-03-01T08:00:00.123456+08:00"), ("oldest",
                                                                     "2018-01-01 09:00:00"),
      ("since", "2026-11-29")]),
])
def test_safe_evidence(evidence: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert safe_evidence(evidence, "en") == expected


@pytest.mark.parametrize(("ref", "lang", "expected"), [
    # Chinese legal style: the law's short title in book-title marks, numbers in Chinese
    ({"law": "网络安全法", "article": "23", "article_2016": "21", "clause": "（三）"}, "zh",
     "《网络安全法》第二十三条第（三）项（修正前第二十一条）"),
    ({"law": "网络安全法", "article": "23", "article_2016": "21"}, "en",
     "网络安全法 Art. 23 (2016 text: Art. 21)"),
    ({"law": "个人信息保护法", "article": "28", "article_2016": "28"}, "zh",
     "《个人信息保护法》第二十八条"),
    ({"law": "PIPL", "article": "51", "clause": "(3)"}, "bo", "PIPL Art. 51(3)"),
    ({"law": "GB/T 35273-2020", "article": "6.3", "clause": "a)"}, "zh", "GB/T 35273-2020 6.3 a)"),
    # English says a clause in Arabic numerals (Art. 23(三) was read by no one)
    ({"law": "CSL", "article": "23", "clause": "(三)"}, "en", "CSL Art. 23(3)"),
    ({"law": "CSL", "article": "23", "clause": "(三)"}, "bo", "CSL Art. 23(3)"),
    ({"law": "CSL", "article": "23", "clause": "(三)"}, "zh", "《网络安全法》第二十三条第（三）项"),
    ({"law": "PIPL", "article": "13", "clause": "(二十一)"}, "zh",
     "《个人信息保护法》第十三条第（二十一）项"),
    ({"law": "NDSR", "article": "9"}, "zh", "《网络数据安全管理条例》第九条"),
    ({"law": "ACME policy", "article": "105"}, "zh", "ACME policy 第一百零五条"),
    ({"law": "PIPL", "article": "13", "clause": "(十二)"}, "en", "PIPL Art. 13(12)"),
    ({"law": "PIPL", "article": "13", "clause": "(二十一)"}, "en", "PIPL Art. 13(21)"),
])
def test_article_text(ref: dict[str, str], lang: str, expected: str) -> None:
    assert article_text(ref, lang) == expected


@pytest.mark.parametrize(("stamp", "shown"), [
    ("2027-03-31T23:00:00Z", "2027-04-01 07:00:00 (UTC+8)"),
    ("2027-03-31T15:59:59+00:00", "2027-03-31 23:59:59 (UTC+8)"),
    ("2027-03-31T23:00:00", "2027-03-31T23:00:00"),  # no zone: not guessed
    ("not a time", "not a time"),
])
def test_times_are_shown_in_china_standard_time(stamp: str, shown: str) -> None:
    assert china_time(stamp) == shown


@pytest.mark.parametrize("fmt", ["html", "md", "table"])
def test_documents_date_the_scan_in_china_standard_time(report: dict[str, Any],
                                                        fmt: str) -> None:
    """A scan at 07:00 on 1 April in Beijing is dated 1 April, the day its rules counted."""
    from pia.reports import render

    report["scan"]["started"] = "2027-03-31T23:00:00Z"
    text = render(report, fmt, lang="en")
    assert "2027-04-01 07:00:00 (UTC+8)" in text
    assert "2027-03-31T23:00:00Z" not in text


def test_a_known_reason_for_rules_not_evaluated_is_said_in_chinese() -> None:
    """The report keeps the reason as data, in English; a Chinese reader reads it in Chinese."""
    from pia.reports.view import headlines

    report = {"not_evaluated": [{"rule_id": "PIPL-17", "reason": "not evaluated: no declaration"},
                                {"rule_id": "X-1", "reason": "not evaluated: custom"}],
              "skipped": []}
    (zh,) = headlines(report, "zh")
    assert "（1 条 custom；1 条因未提供处理活动清单（pia.yaml）而未评估）" in zh
    assert "no declaration" not in zh
    (en,) = headlines(report, "en")
    assert "no declaration 1" in en


@pytest.mark.parametrize(("objects", "lang", "said"), [
    (1, "en", "object storage: up to 1 object per prefix, 8 MiB per object"),
    (200, "en", "object storage: up to 200 objects per prefix, 8 MiB per object"),
    (1, "zh", "对象存储每个前缀最多 1 个对象，每个对象最多读取 8 MiB"),
    (200, "zh", "对象存储每个前缀最多 200 个对象，每个对象最多读取 8 MiB"),
])
def test_the_object_limit_is_counted(objects: int, lang: str, said: str) -> None:
    """QA: the limits line said "up to 1 objects per prefix"."""
    from pia.reports.i18n import t
    from pia.reports.view import scope

    report = {"scan": {"sources": ["s3://b/p"], "rulesets": [],
                       "parameters": {"max_objects": objects, "max_bytes": 8388608}}}
    assert dict(scope(report, lang))[t("sampling", lang)] == said


def test_counts_by_entity_type_are_read_by_their_names() -> None:
    """{CN_BANK_CARD: 37} told a Chinese board nothing; the names are the report's own."""
    shown = dict(safe_evidence({"by_entity": {"CN_BANK_CARD": 37, "CN_MOBILE": 72}}, "zh"))
    assert shown["by_entity"] == "{银行卡号 37，手机号码 72}"  # a Chinese list's comma
    shown = dict(safe_evidence({"by_entity": {"CN_BANK_CARD": 37}}, "en"))
    # no "label: count": a scan of reports read "{口令/密码: 200}" as a password field
    assert shown["by_entity"] == "{Bank card number 37}"


@pytest.mark.parametrize(("lang", "label", "value"), [
    ("zh", "超期记录数", "未统计：扫描只读取该列的最早值和最新值"),
    ("en", "Rows past period", "not counted: the scan reads only the column's oldest and newest "
     "values"),
])
def test_rows_past_period_is_said_in_the_reports_language(lang: str, label: str,
                                                           value: str) -> None:
    """The engine's sentence is data in English; a Chinese report said "Rows past period:
    〔未显示〕" of it, the label untranslated and the value withheld as free text."""
    from pia.reports.evidence import evidence_rows
    from pia.rules.engine import ROWS_NOT_COUNTED

    rows = dict(evidence_rows({"rows_past_period": ROWS_NOT_COUNTED, "oldest":
                               "2018-01-01 09:00:00"}, lang))
    assert rows[label] == value
    assert "2018-01-01 09:00:00" in rows.values()


@pytest.mark.parametrize(("lang", "types", "raised"), [
    ("zh", "手机号码，居民身份证号码", "由“高”提升（原因：涉及不满十四周岁未成年人）"),
    ("en", "Mobile number, Resident ID number", "raised from high (minors)"),
])
def test_sarif_evidence_is_said_in_the_reports_language(report: dict[str, Any], lang: str,
                                                        types: str, raised: str) -> None:
    """SARIF showed severity_raised as "{from: high, reason: minors}" and entity types as
    codes in both languages; its keys stay the report's."""
    import json

    from pia.reports import render

    finding = report["findings"][0]
    finding["evidence"] = {"entity_types": ["CN_MOBILE", "CN_RESIDENT_ID"],
                           "severity_raised": {"from": "high", "reason": "minors"}}
    results = json.loads(render(report, "sarif", lang=lang))["runs"][0]["results"]
    evidence = next(r["properties"]["evidence"] for r in results
                    if r["ruleId"] == finding["rule_id"] and "severity_raised"
                    in r["properties"]["evidence"])
    assert evidence == {"entity_types": types, "severity_raised": raised}
