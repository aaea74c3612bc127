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


def _literal_fingerprints(pia_check, sql: str, fmt: str = "json") -> list[tuple[str, str]]:
    _code, out, _err = pia_check("V1.sql", "-f", fmt, files={"V1.sql": sql})
    return [(f["kind"], f["fingerprint"]) for f in json.loads(out)["findings"]]


def test_without_a_key_a_literal_is_identified_by_its_place_not_its_value(
        pia_check, tmp_path, monkeypatch) -> None:
    """Code scanning matches alerts by fingerprint: one that changed every run (a key made
    for the run) opened new alerts each time. Without a key, the fingerprint is the
    literal's place, the same whatever the value, and the per-user key file is not made."""
    monkeypatch.delenv("PIA_FINGERPRINT_KEY", raising=False)
    monkeypatch.delenv("PIA_FINGERPRINT_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    first = _literal_fingerprints(pia_check, seed(ID_A, ID_B))
    assert first == _literal_fingerprints(pia_check, seed(ID_B, ID_A))
    assert [kind for kind, _fp in first] == ["CN_RESIDENT_ID:literal-1",
                                             "CN_RESIDENT_ID:literal-2"]
    assert len({fp for _kind, fp in first}) == 2
    assert not (tmp_path / "config").exists()


def test_with_an_organisation_key_a_literal_is_keyed_by_it(pia_check, tmp_path,
                                                         monkeypatch) -> None:
    from pia.masking import Fingerprinter

    key = "organisation-key-0123456789abcdef"
    (tmp_path / "org.key").write_text(key + "\n", "utf-8")
    expected = [f"CN_RESIDENT_ID:{Fingerprinter(key.encode())('CN_RESIDENT_ID', ID_A)}"]
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", key)
    assert [k for k, _fp in _literal_fingerprints(pia_check, seed(ID_A))] == expected
    monkeypatch.delenv("PIA_FINGERPRINT_KEY")
    monkeypatch.setenv("PIA_FINGERPRINT_KEY_FILE", str(tmp_path / "org.key"))
    assert [k for k, _fp in _literal_fingerprints(pia_check, seed(ID_A))] == expected
