"""What every format shows: location text, evidence filtering, article labels."""

from __future__ import annotations

from typing import Any

import pytest

from pia.reports.view import article_text, china_time, location_text, safe_evidence

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
     [("by_entity_type", "{Mobile number: 3}"),
      ("severity_raised", "{from: high, reason: minors}")]),
    # what could be a value is withheld: digit runs, '@', free text, nesting
    ({"value": "13812345678", "mail": "a@b.cn", "note": "张伟 lives here", "row": {"a": {"b": 1}}},
     [("mail", W), ("note", W), ("row", f"{{a: {W}}}"), ("value", W)]),
    ({"id": "ID110105194912310"}, [("id", W)]),
])
def test_safe_evidence(evidence: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert safe_evidence(evidence, "en") == expected


@pytest.mark.parametrize(("ref", "lang", "expected"), [
    ({"law": "网络安全法", "article": "23", "article_2016": "21", "clause": "（三）"}, "zh",
     "网络安全法 第23条（三）（修正前第21条）"),
    ({"law": "网络安全法", "article": "23", "article_2016": "21"}, "en",
     "网络安全法 Art. 23 (2016 text: Art. 21)"),
    ({"law": "个人信息保护法", "article": "28", "article_2016": "28"}, "zh",
     "个人信息保护法 第28条"),
    ({"law": "PIPL", "article": "51", "clause": "(3)"}, "bo", "PIPL Art. 51(3)"),
    ({"law": "GB/T 35273-2020", "article": "6.3", "clause": "a)"}, "zh", "GB/T 35273-2020 6.3a)"),
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


@pytest.mark.parametrize("fmt", ["html", "md"])
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
    assert "未提供处理活动清单 pia.yaml 1" in zh and "custom 1" in zh and "no declaration" not in zh
    (en,) = headlines(report, "en")
    assert "no declaration 1" in en


def test_counts_by_entity_type_are_read_by_their_names() -> None:
    """{CN_BANK_CARD: 37} told a Chinese board nothing; the names are the report's own."""
    shown = dict(safe_evidence({"by_entity": {"CN_BANK_CARD": 37, "CN_MOBILE": 72}}, "zh"))
    assert shown["by_entity"] == "{银行卡号: 37, 手机号码: 72}"
    shown = dict(safe_evidence({"by_entity": {"CN_BANK_CARD": 37}}, "en"))
    assert shown["by_entity"] == "{Bank card number: 37}"
