"""Baselines accept a literal by a keyed fingerprint of its value, as many times as seen."""

from __future__ import annotations

import json

ID_A = "11010519491231002X"
ID_B = "11010119800103002X"  # another person: the same first and last four characters


def seed(*values: str) -> str:
    return "".join(f"INSERT INTO users (id, note) VALUES ({k}, '{v}');\n"
                   for k, v in enumerate(values))


def test_another_value_with_the_same_mask_is_new(pia_check) -> None:
    assert pia_check("V1.sql", "--baseline", "b.json", "--update-baseline",
                     files={"V1.sql": seed(ID_A)})[0] == 0
    code, out, err = pia_check("V1.sql", "--baseline", "b.json", files={"V1.sql": seed(ID_B)})
    assert code == 1 and "0 baselined" in err
    assert ID_B not in out


def test_each_occurrence_is_counted(pia_check) -> None:
    assert pia_check("V1.sql", "--baseline", "b.json", "--update-baseline",
                     files={"V1.sql": seed(ID_A, ID_A)})[0] == 0
    code, _out, err = pia_check("V1.sql", "--baseline", "b.json",
                                files={"V1.sql": seed(ID_A, ID_A)})
    assert code == 0 and "2 baselined" in err
    code, out, err = pia_check("V1.sql", "--baseline", "b.json",
                               files={"V1.sql": seed(ID_A, ID_A, ID_A)})
    assert code == 1 and "2 baselined" in err and len(out.splitlines()) == 1


def test_the_file_holds_a_salt_counts_and_no_value(pia_check, tmp_path) -> None:
    pia_check("V1.sql", "--baseline", "b.json", "--update-baseline",
              files={"V1.sql": seed(ID_A, ID_A)})
    text = (tmp_path / "b.json").read_text("utf-8")
    doc = json.loads(text)
    assert doc["version"] == 2 and len(doc["salt"]) == 64
    assert [r["count"] for r in doc["results"]] == [2]
    assert ID_A not in text and "1101**********002X" not in text


def test_a_version_1_baseline_still_accepts_columns(pia_check, tmp_path) -> None:
    pia_check("V1.sql", "--baseline", "b.json", "--update-baseline",
              files={"V1.sql": "CREATE TABLE k (id_card text);\n"})
    doc = json.loads((tmp_path / "b.json").read_text("utf-8"))
    old = {"version": 1, "results": [{k: v for k, v in r.items() if k != "count"}
                                     for r in doc["results"]]}
    (tmp_path / "b.json").write_text(json.dumps(old), "utf-8")
    code, _out, err = pia_check("V1.sql", "--baseline", "b.json")
    assert code == 0 and "1 baselined" in err


def test_a_bad_count_is_a_usage_error(pia_check, tmp_path) -> None:
    doc = {"version": 2, "salt": "0" * 64, "results": [{"fingerprint": "x", "count": 0}]}
    code, _out, err = pia_check("V1.sql", "--baseline", "b.json",
                                files={"V1.sql": "SELECT 1;\n", "b.json": json.dumps(doc)})
    assert code == 2 and "count" in err.splitlines()[-1] and "Traceback" not in err
