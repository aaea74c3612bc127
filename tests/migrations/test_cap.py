"""A seed file's values of one column are listed once, with how many more there are: 100,000
ID numbers gave 100,000 lines, annotations and SARIF results. Baselines still count each
value, so a value they do not accept is listed on its own among those they do."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).parents[2]
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(n: int) -> str:
    """A resident ID with a valid check digit and birth date, the n-th of a seed file."""
    base = f"110105{1950 + n % 50}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return base + "10X98765432"[sum(int(d) * w for d, w in zip(base, _WEIGHTS, strict=True)) % 11]


def seed(values: list[str], table: str = "kyc", column: str = "id_number") -> str:
    return f"CREATE TABLE {table} (id BIGINT, {column} TEXT -- pia:encrypted\n);\n" + "".join(
        f"INSERT INTO {table} (id, {column}) VALUES ({k}, '{v}');\n"
        for k, v in enumerate(values))


IDS = [resident_id(n) for n in range(20)]
NEW = resident_id(1234)


@pytest.fixture
def org_key(monkeypatch) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "organisation-key-0123456789abcdef")
    monkeypatch.delenv("PIA_FINGERPRINT_KEY_FILE", raising=False)


@pytest.fixture
def no_key(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("PIA_FINGERPRINT_KEY", raising=False)
    monkeypatch.delenv("PIA_FINGERPRINT_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def test_a_columns_values_are_one_line_saying_how_many_more(pia_check) -> None:
    code, out, err = pia_check("V2.sql", files={"V2.sql": seed(IDS)})
    assert code == 1 and "20 errors" in err  # the summary counts every value
    assert out.splitlines() == [out.strip()]
    assert out.startswith("V2.sql:3:") and "; 19 more in kyc.id_number in this file, " \
        "up to line 22 [" in out
    assert not any(v in out for v in IDS)


def test_in_chinese(pia_check) -> None:
    _code, out, _err = pia_check("V2.sql", "--lang", "zh", files={"V2.sql": seed(IDS)})
    assert "；本文件中 kyc.id_number 另有 19 处同类问题，至第 22 行 [" in out


def test_json_github_and_sarif_list_it_once_with_a_count(pia_check) -> None:
    files = {"V2.sql": seed(IDS)}
    doc = json.loads(pia_check("V2.sql", "-f", "json", files=files)[1])
    assert doc["summary"]["error"] == 20 and len(doc["findings"]) == 1
    first = doc["findings"][0]
    assert (first["line"], first["more"], first["last_line"]) == (3, 19, 22)
    assert sum(1 + f.get("more", 0) for f in doc["findings"]) == doc["summary"]["error"]
    github = pia_check("V2.sql", "-f", "github", files=files)[1]
    assert github.count("::error ") == 1 and "line=3," in github and "19 more" in github
    sarif = json.loads(pia_check("V2.sql", "-f", "sarif", files=files)[1])
    jsonschema.validate(sarif, json.loads((ROOT / "pia/schemas/sarif-2.1.0.json").read_text()))
    [result] = sarif["runs"][0]["results"]
    assert result["properties"] == {"more": 19, "lastLine": 22}
    assert "19 more" in result["message"]["text"]


def test_each_column_and_rule_is_listed_apart(pia_check) -> None:
    rows = "".join(f"INSERT INTO users (id, sfz, phone) VALUES ({k}, '{v}', '1381234{k:04d}');\n"
                   for k, v in enumerate(IDS[:5]))
    other = "INSERT INTO staff (id, note) VALUES (1, '11010519491231002X');\n"
    comments = "".join(f"-- fix for customer {v}\n" for v in IDS[:3])
    doc = json.loads(pia_check("V2.sql", "V3.sql", "-f", "json", files={
        "V2.sql": rows + other + comments, "V3.sql": rows})[1])
    listed = sorted((f["file"], f["table"], f["column"], f["rule_id"], f.get("more", 0))
                    for f in doc["findings"])
    assert listed == [
        ("V2.sql", "", "", "PIPL-28-SENSITIVE-PLAINTEXT", 2),  # the comments' values
        ("V2.sql", "staff", "note", "PIPL-28-SENSITIVE-PLAINTEXT", 0),
        ("V2.sql", "users", "phone", "PIPL-51-ENCRYPT-DEIDENT", 4),
        ("V2.sql", "users", "sfz", "PIPL-28-SENSITIVE-PLAINTEXT", 4),
        ("V3.sql", "users", "phone", "PIPL-51-ENCRYPT-DEIDENT", 4),
        ("V3.sql", "users", "sfz", "PIPL-28-SENSITIVE-PLAINTEXT", 4),
    ]


def test_a_suppressed_value_is_listed_apart(pia_check) -> None:
    lines = seed(IDS[:5]).splitlines(keepends=True)
    lines[4] = lines[4].replace(";\n", "; -- pia:ignore PIPL-28-SENSITIVE-PLAINTEXT fixture\n")
    text = "".join(lines)
    code, out, _err = pia_check("V2.sql", files={"V2.sql": text})
    assert code == 1 and "3 more" in out
    doc = json.loads(pia_check("V2.sql", "-f", "json", files={"V2.sql": text})[1])
    assert [(f["status"], f["line"], f.get("more", 0)) for f in doc["findings"]] == [
        ("open", 3, 3), ("suppressed", 5, 0)]


@pytest.mark.parametrize("key", ["org_key", "no_key"])
def test_a_baseline_accepts_each_value_of_a_listed_finding(pia_check, tmp_path, request,
                                                             key: str) -> None:
    """A listed finding stands for values a baseline knows one by one: accepting it
    accepts each (the file holds 20 of them); one more value, or one more copy of an
    accepted value, is new, and is listed on its own line at its own place."""
    request.getfixturevalue(key)
    code, _out, err = pia_check("V2.sql", "--baseline", "b.json", "--update-baseline",
                                files={"V2.sql": seed(IDS)})
    assert code == 0 and "20 accepted" in err
    doc = json.loads((tmp_path / "b.json").read_text("utf-8"))
    assert sum(e["count"] for e in doc["results"]) == 20 and len(doc["results"]) == 20
    code, out, err = pia_check("V2.sql", "--baseline", "b.json", files={"V2.sql": seed(IDS)})
    assert (code, out) == (0, "") and "20 baselined" in err
    for added in (NEW, IDS[0]):
        code, out, err = pia_check("V2.sql", "--baseline", "b.json",
                                   files={"V2.sql": seed([*IDS, added])})
        assert code == 1 and "1 error," in err and "20 baselined" in err
        assert out.startswith("V2.sql:23:") and " more " not in out
        found = json.loads(pia_check("V2.sql", "--baseline", "b.json", "-f", "json")[1])
        assert [(f["status"], f["line"], f.get("more", 0)) for f in found["findings"]] == [
            ("baselined", 3, 19), ("open", 23, 0)]
    # rewritten over the listed findings, the baseline still counts each value
    pia_check("V2.sql", "--baseline", "b.json", "--update-baseline")
    doc = json.loads((tmp_path / "b.json").read_text("utf-8"))
    assert sum(e["count"] for e in doc["results"]) == 21


def unreadable(count: int, start: int = 0) -> str:
    """A dump in a dialect pia does not read: ``count`` statements, each a PIA-SQL-PARSE."""
    return "".join(f"FROBNICATE rows_{n} WITH {n};\n" for n in range(start, start + count))


def test_unreadable_statements_are_listed_ten_then_how_many_more(pia_check) -> None:
    """A file of 500 statements pia cannot read gave 500 warnings: the first ten are listed
    at their own lines, the tenth says how many more there are and where the last is."""
    text = "CREATE TABLE kyc (id_card TEXT);\n" + unreadable(500)
    code, out, err = pia_check("V1.sql", "--fail-on", "error", files={"V1.sql": text})
    lines = out.splitlines()
    assert code == 1 and "500 warnings" in err  # the error of kyc.id_card; every warning
    parses = [line for line in lines if "PIA-SQL-PARSE" in line]
    assert [line.split(": ", 1)[0] for line in parses] == [f"V1.sql:{n}:1" for n in range(2, 12)]
    assert parses[-1].endswith("; 490 more in this file, up to line 501")
    assert not any(" more " in line for line in parses[:-1])
    assert len(lines) == 11  # and the column's error


def test_listing_fewer_changes_no_exit_code(pia_check) -> None:
    text = unreadable(30)
    assert pia_check("V1.sql", files={"V1.sql": text})[0] == 0  # warnings pass
    code, out, err = pia_check("V1.sql", "--fail-on", "warning", files={"V1.sql": text})
    assert code == 1 and "30 warnings" in err and out.count("\n") == 10


def test_unreadable_statements_capped_per_file_in_every_format(pia_check) -> None:
    files = {"V1.sql": unreadable(25), "V2.sql": unreadable(3), "V3.sql": unreadable(11)}
    doc = json.loads(pia_check("V1.sql", "V2.sql", "V3.sql", "-f", "json", files=files)[1])
    assert doc["summary"]["warning"] == 39
    assert sum(1 + f.get("more", 0) for f in doc["findings"]) == 39
    by_file = {name: [(f["line"], f.get("more", 0), f.get("last_line"))
                      for f in doc["findings"] if f["file"] == name] for name in files}
    assert by_file["V1.sql"] == [(n, 0, None) for n in range(1, 10)] + [(10, 15, 25)]
    assert by_file["V2.sql"] == [(n, 0, None) for n in range(1, 4)]
    assert by_file["V3.sql"] == [(n, 0, None) for n in range(1, 10)] + [(10, 1, 11)]
    github = pia_check("V1.sql", "-f", "github", files=files)[1]
    assert github.count("::warning ") == 10 and "15 more in this file" in github
    sarif = json.loads(pia_check("V1.sql", "-f", "sarif", files=files)[1])
    results = sarif["runs"][0]["results"]
    assert len(results) == 10 and results[-1]["properties"] == {"more": 15, "lastLine": 25}
    zh = pia_check("V1.sql", "--lang", "zh", files=files)[1]
    assert zh.splitlines()[-1].endswith("；本文件中另有 15 处同类问题，至第 25 行")


def test_a_baseline_accepts_each_unreadable_statement_of_the_listing(pia_check, no_key) -> None:
    """Listed ten and a count, the statements are still accepted one by one: a new one
    after the accepted is listed on its own, at its own line."""
    files = {"V1.sql": unreadable(25)}
    code, _out, err = pia_check("V1.sql", "--baseline", "b.json", "--update-baseline",
                                files=files)
    assert code == 0 and "25 accepted" in err
    code, out, err = pia_check("V1.sql", "--baseline", "b.json", "--fail-on", "warning",
                               files={"V1.sql": unreadable(25) + "GRIND 1 INTO 2;\n"})
    assert code == 1 and "25 baselined" in err
    assert out.startswith("V1.sql:26:1: warning PIA-SQL-PARSE") and " more " not in out
