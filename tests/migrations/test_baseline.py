"""Baselines accept a literal by a fingerprint of its value under the organisation key
(never stored in the file), else by its place; as many times as seen."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from pia.migrations import check_files

ID_A = "11010519491231002X"
ID_B = "11010119800103002X"  # another person: the same first and last four characters


ORG_KEY = "organisation-key-0123456789abcdef"


@pytest.fixture
def org_key(monkeypatch) -> str:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", ORG_KEY)
    monkeypatch.delenv("PIA_FINGERPRINT_KEY_FILE", raising=False)
    return ORG_KEY


@pytest.fixture
def no_key(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("PIA_FINGERPRINT_KEY", raising=False)
    monkeypatch.delenv("PIA_FINGERPRINT_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def seed(*values: str) -> str:
    return "".join(f"INSERT INTO users (id, note) VALUES ({k}, '{v}');\n"
                   for k, v in enumerate(values))


@pytest.mark.usefixtures("org_key")
def test_another_value_with_the_same_mask_is_new(pia_check) -> None:
    assert pia_check("V1.sql", "--baseline", "b.json", "--update-baseline",
                     files={"V1.sql": seed(ID_A)})[0] == 0
    code, out, err = pia_check("V1.sql", "--baseline", "b.json", files={"V1.sql": seed(ID_B)})
    assert code == 1 and "0 baselined" in err
    assert ID_B not in out


@pytest.mark.usefixtures("org_key")
def test_each_occurrence_is_counted(pia_check) -> None:
    assert pia_check("V1.sql", "--baseline", "b.json", "--update-baseline",
                     files={"V1.sql": seed(ID_A, ID_A)})[0] == 0
    code, _out, err = pia_check("V1.sql", "--baseline", "b.json",
                                files={"V1.sql": seed(ID_A, ID_A)})
    assert code == 0 and "2 baselined" in err
    code, out, err = pia_check("V1.sql", "--baseline", "b.json",
                               files={"V1.sql": seed(ID_A, ID_A, ID_A)})
    assert code == 1 and "2 baselined" in err and len(out.splitlines()) == 1


def brute_force(doc: dict, masked_candidates: list[str], key: str | None = None) -> set[str]:
    """What the reviewer ran: every candidate the masked form allows, HMACed under every
    string the baseline holds (the version 2 salt was one), or under ``key``."""
    keys = [key] if key else [v for v in doc.values() if isinstance(v, str)]
    found = set()
    for entry in doc["results"]:
        _entity, _, tag = entry["kind"].partition(":hmac-sha256:")
        for k in keys:
            for value in masked_candidates:
                data = f"CN_MOBILE\x00{value}".encode()
                if hmac.new(k.encode(), data, hashlib.sha256).hexdigest()[:32] == tag:
                    found.add(value)
    return found


@pytest.mark.usefixtures("org_key")
def test_the_file_holds_counts_and_nothing_to_recover_a_value_with(pia_check, tmp_path) -> None:
    pia_check("V1.sql", "--baseline", "b.json", "--update-baseline",
              files={"V1.sql": seed(ID_A, ID_A, "13812345678")})
    text = (tmp_path / "b.json").read_text("utf-8")
    doc = json.loads(text)
    assert doc["version"] == 3 and "salt" not in doc and ORG_KEY not in text
    assert sorted(r["count"] for r in doc["results"]) == [1, 2]
    assert ID_A not in text and "1101**********002X" not in text and "13812345678" not in text
    candidates = [f"138{m:04d}5678" for m in range(10000)]  # what 138****5678 allows
    assert brute_force(doc, candidates) == set()
    assert brute_force(doc, candidates, key=ORG_KEY) == {"13812345678"}  # who holds the key


@pytest.mark.usefixtures("no_key")
def test_without_a_key_a_baseline_knows_literals_by_their_place(pia_check, tmp_path) -> None:
    """The trade-off: nothing derived from the value, and no key to share, but a value
    replaced in the same place stays accepted."""
    assert pia_check("V1.sql", "--baseline", "b.json", "--update-baseline",
                     files={"V1.sql": seed(ID_A)})[0] == 0
    doc = json.loads((tmp_path / "b.json").read_text("utf-8"))
    assert [r["kind"] for r in doc["results"]] == ["CN_RESIDENT_ID:literal-1"]
    code, _out, err = pia_check("V1.sql", "--baseline", "b.json", files={"V1.sql": seed(ID_B)})
    assert code == 0 and "1 baselined" in err
    assert not (tmp_path / "config").exists()


@pytest.mark.usefixtures("no_key")
def test_a_version_2_baseline_still_accepts_with_a_warning_until_rewritten(
        pia_check, tmp_path) -> None:
    from pia.masking import Fingerprinter
    from pia.migrations import check_files

    salt = "5a" * 32
    (tmp_path / "V1.sql").write_text(seed(ID_A), "utf-8")
    findings, _ = check_files(["V1.sql"], fingerprint=Fingerprinter(salt.encode()))
    old = {"version": 2, "salt": salt, "results": [
        {"fingerprint": f.fingerprint, "file": f.file, "rule_id": f.rule_id,
         "target": f.target, "kind": f.kind, "count": 1} for f in findings]}
    (tmp_path / "b.json").write_text(json.dumps(old), "utf-8")
    code, _out, err = pia_check("V1.sql", "--baseline", "b.json")
    assert code == 0 and "1 baselined" in err
    assert "version 2 stores the key" in err and "--update-baseline" in err
    assert pia_check("V1.sql", "--baseline", "b.json", "--update-baseline")[0] == 0
    doc = json.loads((tmp_path / "b.json").read_text("utf-8"))
    assert doc["version"] == 3 and "salt" not in doc
    assert [r["kind"] for r in doc["results"]] == ["CN_RESIDENT_ID:literal-1"]
    code, _out, err = pia_check("V1.sql", "--baseline", "b.json")
    assert code == 0 and "1 baselined" in err and "version 2" not in err


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
    """Each literal's, as the baseline knows them (the output lists a column's once)."""
    pia_check("V1.sql", "-f", fmt, files={"V1.sql": sql})
    return [(f.kind, f.fingerprint) for f in check_files(["V1.sql"])[0]]


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


def test_update_baseline_into_a_missing_directory_is_a_usage_error(pia_check, tmp_path) -> None:
    """A traceback and exit 1 (a "violation" to CI); now one line and exit 2, and no
    directory is made for a mistyped path."""
    target = tmp_path / "nodir" / "baseline.json"
    code, _out, err = pia_check("V1.sql", "--baseline", str(target), "--update-baseline",
                                files={"V1.sql": "CREATE TABLE t (id_card text);\n"})
    assert code == 2
    assert err.splitlines()[-1] == (f"pia: error: cannot write baseline {target}: "
                                    f"no such directory {tmp_path / 'nodir'}")
    assert "Traceback" not in err and not (tmp_path / "nodir").exists()


def test_a_baseline_nested_past_the_parser_is_a_one_line_error(pia_check) -> None:
    """A baseline nested 3,000 deep died with a RecursionError traceback, exit 1: the code
    CI reads as findings (QA)."""
    code, out, err = pia_check("V1.sql", "--baseline", "deep.json",
                               files={"V1.sql": "SELECT 1;\n",
                                      "deep.json": '{"a":' * 3000 + "1" + "}" * 3000})
    assert (code, out) == (2, "")
    assert err.strip().splitlines() == [
        "pia: error: baseline deep.json: not a readable JSON file (nested too deep)"]
