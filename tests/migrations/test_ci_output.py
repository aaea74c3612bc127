"""What CI reads of ``pia check-migrations``: its outputs, baselines and hook (QA round on
the migrations check, items 8, 12, 15, 16, 17, 19, 20, 21 and 23)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[2]
ID_A, ID_B = "440301198805123413", "320102199003071239"


def test_seed_values_of_two_entity_types_in_one_column_are_two_findings(pia_check) -> None:
    """QA 15: a bank card and an ID number in one column were one CN_BANK_CARD finding."""
    seed = ("INSERT INTO contact (id, note) VALUES (1, '6222021001123456789');\n"
            f"INSERT INTO contact (id, note) VALUES (2, '{ID_A}');\n")
    code, out, _err = pia_check("-f", "json", "s.sql", files={"s.sql": seed})
    assert code == 1
    kinds = sorted((f["kind"], f.get("more", 0)) for f in json.loads(out)["findings"])
    assert kinds == [("CN_BANK_CARD", 0), ("CN_RESIDENT_ID", 0)]


def test_pre_commit_hook_passes_upper_case_sql_files() -> None:
    """QA 19: the CLI checks V3__UP.SQL in a directory; the hook never passed it."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    pattern = next(h for h in hooks if h["id"] == "pia-check-migrations")["files"]
    assert re.search(pattern, "db/V3__UP.SQL") and re.search(pattern, "db/V1__a.sql")
    assert not re.search(pattern, "db/README.md")


def test_a_missing_baseline_is_an_input_error(pia_check) -> None:
    """QA 20: a typo in the baseline's path made every finding new, with no word why."""
    files = {"V1.sql": "CREATE TABLE kyc (id int, sfzh varchar(18));\n"}
    code, out, err = pia_check("--baseline", "nonexist.json", "V1.sql", files=files)
    assert code == 2 and out == ""
    assert err.strip().splitlines()[-1] == (
        "pia: error: baseline nonexist.json: no such file (write it with --update-baseline)")
    code, _out, err = pia_check("--baseline", "new.json", "--update-baseline", "V1.sql")
    assert code == 0 and Path("new.json").is_file()


def test_a_keyed_baseline_read_without_its_key_or_with_another_says_so(
        pia_check, monkeypatch) -> None:
    """QA 12: without PIA_FINGERPRINT_KEY (a fork's pull request gets no secrets), or with a
    rotated key, every accepted literal came back with no word why."""
    monkeypatch.delenv("PIA_FINGERPRINT_KEY_FILE", raising=False)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "organisation-key-0123456789abcdef")
    files = {"V2.sql": "INSERT INTO users (id, note) VALUES (1, '13912345678');\n"}
    code, _out, err = pia_check("--baseline", "b.json", "--update-baseline", "V2.sql",
                                files=files)
    assert code == 0 and "warning" not in err
    assert pia_check("--baseline", "b.json", "V2.sql")[0] == 0
    monkeypatch.delenv("PIA_FINGERPRINT_KEY")
    code, _out, err = pia_check("--baseline", "b.json", "V2.sql")
    assert code == 0  # a mobile number is a warning: exit 0, but no longer baselined
    assert err.startswith(
        "pia: warning: baseline b.json: 1 of its literal entries are keyed with the "
        "organisation key, but PIA_FINGERPRINT_KEY (or PIA_FINGERPRINT_KEY_FILE) is not set")
    assert "1 warning, 0 suppressed, 0 baselined" in err
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "another-key-0123456789abcdef-rotated")
    code, _out, err = pia_check("--baseline", "b.json", "V2.sql")
    assert err.startswith("pia: warning: baseline b.json: 1 of its literal entries were keyed "
                          "with another organisation key")
    assert err.count("pia: warning:") == 1


def _gbk_folder(root: Path) -> None:
    (root / "db").mkdir(parents=True, exist_ok=True)
    (root / "db" / "V1__ok.sql").write_text("CREATE TABLE kyc (id int, sfzh varchar(18));\n",
                                           "utf-8")
    (root / "db" / "V2__gbk.sql").write_bytes(
        "CREATE TABLE t (id int, xm varchar(20) COMMENT '姓名');\n".encode("gbk"))


def test_json_and_sarif_name_the_files_that_could_not_be_read(pia_check, tmp_path) -> None:
    """QA 16: the reasons were only on stderr; uploaded with if: always(), code scanning
    showed a complete-looking run that never checked a GBK migration."""
    _gbk_folder(tmp_path)
    code, out, err = pia_check("-f", "json", "db")
    assert code == 2
    unreadable = json.loads(out)["unreadable"]
    assert [u["file"] for u in unreadable] == ["db/V2__gbk.sql"]
    assert unreadable[0]["error"] == err.strip().splitlines()[-1].removeprefix("pia: error: ")
    code, out, _err = pia_check("-f", "sarif", "db")
    assert code == 2
    run = json.loads(out)["runs"][0]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["message"]["text"].startswith("db/V2__gbk.sql: ")
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "db/V2__gbk.sql")
    # every file read: the field is there, empty, and the run succeeded
    (tmp_path / "db" / "V2__gbk.sql").unlink()
    code, out, _err = pia_check("-f", "json", "db")
    assert code == 1 and json.loads(out)["unreadable"] == []
    code, out, _err = pia_check("-f", "sarif", "db")
    assert json.loads(out)["runs"][0]["invocations"] == [
        {"executionSuccessful": True, "toolExecutionNotifications": []}]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=repo, check=True, capture_output=True)


def _backend_repo(tmp_path: Path, monkeypatch) -> Path:
    """A git repository whose backend/db holds a migration with a plaintext ID column, the
    working directory set to backend/ (a CI job's ``working-directory: backend``)."""
    repo = tmp_path / "repo"
    (repo / "backend" / "db").mkdir(parents=True)
    _git(repo, "init", "-q")
    (repo / "backend" / "db" / "V1__init.sql").write_text(
        "CREATE TABLE kyc (id int, sfzh varchar(18));\n", "utf-8")
    monkeypatch.chdir(repo / "backend")
    return repo


def test_sarif_uris_are_relative_to_the_repository_root(pia_check, tmp_path,
                                                        monkeypatch) -> None:
    """QA 21: from a job's ``working-directory: backend`` the URIs were relative to backend/,
    and an absolute path outside it was written as a path: code scanning resolves URIs
    against the repository's root, so the alerts pointed at no file."""
    repo = _backend_repo(tmp_path, monkeypatch)
    for path in ("db", "../backend/db", str(repo / "backend" / "db")):
        code, out, _err = pia_check("-f", "sarif", path)
        assert code == 1
        run = json.loads(out)["runs"][0]
        location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": "backend/db/V1__init.sql", "uriBaseId": "%SRCROOT%"}
        assert run["originalUriBaseIds"] == {
            "%SRCROOT%": {"uri": repo.resolve().as_uri() + "/"}}


def test_github_annotations_name_files_from_the_repository_root(pia_check, tmp_path,
                                                                 monkeypatch) -> None:
    """GitHub places an annotation by its path from the repository's root: from a job's
    ``working-directory: backend`` the annotations said ``file=db/V1__init.sql`` and landed
    on no file of the pull request."""
    repo = _backend_repo(tmp_path, monkeypatch)
    for path in ("db", "../backend/db", str(repo / "backend" / "db")):
        code, out, _err = pia_check("-f", "github", path)
        assert code == 1
        assert out.startswith("::error file=backend/db/V1__init.sql,line=1,col="), out


def test_an_ignore_whose_reason_holds_an_id_suppresses_nothing(pia_check) -> None:
    """QA 8: the reason went raw into JSON and into SARIF's justification (uploaded to code
    scanning), and the ID written in it was suppressed by the comment it sits in. QA r2 D2:
    such a comment accepted the finding it names all the same, so new PI written into the
    repository passed CI; now it accepts nothing, and neither ID is printed."""
    files = {"c.sql": f"INSERT INTO t (note) VALUES ('{ID_A}'); -- pia:ignore "
                      f"PIPL-28-SENSITIVE-PLAINTEXT test fixture for {ID_B} per ticket\n"}
    code, out, _err = pia_check("-f", "json", "c.sql", files=files)
    assert code == 1
    assert ID_A not in out and ID_B not in out
    report = json.loads(out)
    assert report["summary"]["suppressed"] == 0
    assert [(f["status"], f["kind"]) for f in report["findings"]] == [
        ("open", "CN_RESIDENT_ID"), ("open", "CN_RESIDENT_ID")]
    code, out, _err = pia_check("-f", "sarif", "c.sql")
    assert code == 1 and ID_A not in out and ID_B not in out
    assert not [r for r in json.loads(out)["runs"][0]["results"] if "suppressions" in r]


def test_an_id_or_mobile_in_a_quoted_name_is_masked_in_every_output(pia_check) -> None:
    """QA 23: masked in the finding about the quoted name, raw in the column's finding: in
    text, JSON table/column, SARIF logicalLocations, GitHub annotations and baselines."""
    files = {"n.sql": f'ALTER TABLE t ADD COLUMN "sfzh_{ID_A}" text;\n'
                      'CREATE TABLE "kyc_13912345678" (id int, shouji text);\n'}
    outputs = []
    for fmt in ("text", "json", "sarif", "github"):
        code, out, _err = pia_check("-f", fmt, "n.sql", files=files)
        assert code == 1
        outputs.append(out)
    code, _out, _err = pia_check("--baseline", "b.json", "--update-baseline", "n.sql")
    outputs.append(Path("b.json").read_text("utf-8"))
    for out in outputs:
        assert ID_A not in out and "13912345678" not in out
    text, as_json, sarif, github, baseline = outputs
    assert "t.sfzh_4403**********3413 holds sensitive PI" in text
    assert "by its name 'sfzh_4403**********3413'" in text
    assert "kyc_139****5678.shouji" in text and "kyc_139****5678.shouji" in github
    columns = {(f["table"], f["column"]) for f in json.loads(as_json)["findings"]}
    assert {("t", "sfzh_4403**********3413"), ("kyc_139****5678", "shouji")} <= columns
    logical = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
               for r in json.loads(sarif)["runs"][0]["results"]
               if "logicalLocations" in r["locations"][0]}
    assert {"t.sfzh_4403**********3413", "kyc_139****5678.shouji"} <= logical
    targets = {e["target"] for e in json.loads(baseline)["results"]}
    assert {"t.sfzh_4403**********3413", "kyc_139****5678.shouji"} <= targets


def test_an_id_with_a_wrong_check_digit_in_a_name_or_reason_is_masked(pia_check) -> None:
    """QA D1: a legacy or hand-typed ID (its check digit wrong) is still a person's: in a
    quoted name or an ignore reason it is masked in every output, as a valid one is."""
    bad = "440301198801011235"  # the check digit would be 8
    files = {"n.sql": f'ALTER TABLE t ADD COLUMN "sfzh_{bad}" text;\n'
                      f"INSERT INTO t (note) VALUES ('{ID_A}'); -- pia:ignore "
                      f"PIPL-28-SENSITIVE-PLAINTEXT test fixture for {bad} per ticket\n"}
    outputs = [pia_check("-f", fmt, "n.sql", files=files)[1]
               for fmt in ("text", "json", "sarif", "github")]
    for out in outputs:
        assert bad not in out and "4403**********1235" in out
    findings = json.loads(outputs[1])["findings"]
    assert "sfzh_4403**********1235" in {f["column"] for f in findings}
    assert {f["status"] for f in findings} == {"open"}  # a reason with an ID accepts nothing
