"""`pia keygen` and `pia bundle create|verify|show` through the console: exit codes, stdout
and stderr separately, and nothing written outside the paths asked for."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest
from bundle_helpers import members, raw_zip, resign, run_cli, with_members

from pia.bundle import fingerprint, load_private_key, load_public_key
from pia.bundle.create import REPORT
from pia.report import dumps


def test_keygen_writes_0600_key_and_prints_fingerprint(work, capsys):
    code, out, err = run_cli(["keygen", "new.key"], capsys)
    assert (code, err) == (0, "")
    assert stat.S_IMODE(os.stat("new.key").st_mode) == 0o600
    public = load_public_key("new.key.pub")
    assert f"fingerprint: {fingerprint(public)}" in out
    assert load_private_key("new.key").public_key().public_bytes_raw() == \
        public.public_bytes_raw()
    code, out, err = run_cli(["keygen", "new.key"], capsys)
    assert code == 2 and "refusing to overwrite" in err and out == ""


def test_keygen_with_passphrase(work, capsys, monkeypatch):
    monkeypatch.setenv("PIA_TEST_PASS", "correct horse")
    code, out, _ = run_cli(["keygen", "locked.key", "--passphrase-env", "PIA_TEST_PASS"], capsys)
    assert code == 0 and "passphrase-protected" in out
    assert b"ENCRYPTED PRIVATE KEY" in Path("locked.key").read_bytes()
    assert b"correct horse" not in Path("locked.key").read_bytes()
    Path("pass.txt").write_text("wrong\n")
    for extra, words in [([], "is encrypted"), (["--passphrase-file", "pass.txt"], "passphrase")]:
        code, out, err = run_cli(["bundle", "create", "report.json", "--key", "locked.key",
                                  "--config", "pia.yaml", "-o", "b.zip", *extra], capsys)
        assert code == 2 and words in err and not Path("b.zip").exists()
    code, out, err = run_cli(["bundle", "create", "report.json", "--key", "locked.key",
                              "--config", "pia.yaml", "-o", "b.zip",
                              "--passphrase-env", "PIA_TEST_PASS"], capsys)
    assert code == 0, err
    assert run_cli(["bundle", "verify", "b.zip", "--pubkey", "locked.key.pub"], capsys)[0] == 0


def test_create_then_verify(work, material, capsys):
    code, out, err = run_cli(["bundle", "create", "report.json", "--key", "signer.key",
                              "--config", "pia.yaml", "-o", "made.zip", "--lang", "en"], capsys)
    assert (code, err) == (0, "") and "signed by SHA256:" in out
    assert Path("made.zip").read_bytes() == material["bundle"]  # deterministic
    code, out, err = run_cli(["bundle", "create", "report.json", "--key", "signer.key",
                              "--config", "pia.yaml", "-o", "zh.zip", "--lang", "zh"], capsys)
    assert (code, err) == (0, "") and out.startswith("审计包：zh.zip（")
    assert "签名密钥 SHA256:" in out
    code, out, err = run_cli(["bundle", "verify", "made.zip", "--pubkey", "signer.key.pub"],
                             capsys)
    assert (code, err) == (0, "")
    assert "verdict:   VALID" in out and "ok      findings-follow-from-evidence" in out
    assert "4 inventory items, 9 open findings" in out



def test_create_writes_through_no_symlink_planted_in_the_output_directory(work, material,
                                                                          capsys):
    """Another user sprays symlinks at the temporary names pia could pick (the old one was
    ``.NAME.PID.tmp``) and at the output itself: the victims keep their bytes and the
    bundle is a regular file of ours."""
    victim = work / "victim.txt"
    victim.write_text("ROOT DATA")
    (work / f".made.zip.{os.getpid()}.tmp").symlink_to(victim)
    (work / "made.zip").symlink_to(victim)
    code, _, err = run_cli(["bundle", "create", "report.json", "--key", "signer.key",
                            "--config", "pia.yaml", "-o", "made.zip"], capsys)
    assert (code, err) == (0, "")
    assert victim.read_text() == "ROOT DATA"
    assert not (work / "made.zip").is_symlink()
    assert (work / "made.zip").read_bytes() == material["bundle"]
    assert not [p for p in work.iterdir() if p.name.startswith(".made.zip.")
                and not p.is_symlink()]

@pytest.mark.parametrize("argv, words", [
    (["--config", "pia.yaml", "--ruleset", "cn-csl"], "was not given"),
    ([], "give it (--config)"),
])
def test_create_refuses_inputs_that_could_not_verify(work, capsys, argv, words):
    Path("pia.yaml").rename("declared.yaml")  # not found by default: named or nothing
    argv = ["--config", "declared.yaml", *argv[2:]] if argv else argv
    code, out, err = run_cli(["bundle", "create", "report.json", "--key", "signer.key",
                              "-o", "x.zip", *argv], capsys)
    assert code == 2 and words in err and not Path("x.zip").exists()


@pytest.mark.parametrize("edit", [
    {"findings": 35}, {"inventory_items": 3},
    {"by_severity": {"critical": 0, "high": 0, "medium": 0, "low": 0, "info": 0}},
])
def test_create_refuses_a_summary_that_contradicts_the_findings(work, material, capsys, edit):
    """An edited summary was signed (exit 0) and then failed bundle verify at the regulator's
    (report-schema): the signer refuses it with verify's own check, before signing."""
    report = json.loads(Path("report.json").read_text(encoding="utf-8"))
    report["summary"].update(edit)
    Path("edited.json").write_text(dumps(report), encoding="utf-8")
    code, out, err = run_cli(["bundle", "create", "edited.json", "--key", "signer.key",
                              "--config", "pia.yaml", "-o", "x.zip"], capsys)
    assert (code, out) == (2, "") and not Path("x.zip").exists()
    assert err.startswith("pia: error: the report's summary.") and err.count("\n") == 1
    assert "bundle verify would refuse it" in err


def test_create_finds_the_declaration_in_the_working_directory(work, capsys, material):
    """As pia scan does: ./pia.yaml is the declaration when the report used one."""
    code, _out, err = run_cli(["bundle", "create", "report.json", "--key", "signer.key",
                               "-o", "x.zip"], capsys)
    assert (code, err) == (0, "")
    code, out, _err = run_cli(["bundle", "verify", "x.zip", "--pubkey", "signer.key.pub"],
                              capsys)
    assert code == 0 and "verdict:   VALID" in out


def test_verify_json_and_trusted_keys_dir(work, capsys):
    Path("trusted").mkdir()
    for name in ("signer.key.pub", "other.key.pub"):
        Path("trusted", name).write_bytes(Path(name).read_bytes())
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--trusted-keys", "trusted",
                              "--format", "json"], capsys)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["valid"] and doc["signer"] == fingerprint(load_public_key("signer.key.pub"))
    assert {c["status"] for c in doc["checks"] if c["name"] != "bundle-digest"} == {"passed"}


def _flip_report(bundle: bytes) -> bytes:
    body = bytearray(members(bundle)[REPORT])
    body[len(body) // 2] ^= 0x01
    return with_members(bundle, {REPORT: bytes(body)})


CASES = [  # (name, how to make the bad bundle, exit code, failed check)
    ("one byte changed", lambda m: _flip_report(m["bundle"]), 1, "member-hashes"),
    ("member removed", lambda m: with_members(m["bundle"], {"pia.yaml": None}), 1,
     "members-complete"),
    ("member added", lambda m: with_members(m["bundle"], {"notes.txt": b"hi"}), 1,
     "members-complete"),
    ("signed by another key", lambda m: resign(m["bundle"], _other_key(m), {}), 1,
     "signature-trusted"),
    ("truncated", lambda m: m["bundle"][: len(m["bundle"]) // 2], 2, "archive-readable"),
    ("../../x member", lambda m: raw_zip([("../../x", b"pwned")]), 1, "member-names-safe"),
    ("not a zip", lambda m: b"hello", 2, "archive-readable"),
]


def _other_key(material):
    from pia.bundle import generate_keypair

    path = material["base"] / "forger.key"
    if not path.exists():
        generate_keypair(path)
    return load_private_key(path)


@pytest.mark.parametrize("name, make, code, check", CASES, ids=[c[0] for c in CASES])
def test_bad_bundles_are_refused(work, sandbox, material, capsys, name, make, code, check):
    Path("bad.zip").write_bytes(make(material))
    before = sandbox()
    for fmt in ("text", "json"):
        got, out, err = run_cli(["bundle", "verify", "bad.zip", "--pubkey", "signer.key.pub",
                                 "--format", fmt], capsys)
        assert got == code
        assert f"check {check} failed" in err and "Traceback" not in err
        if fmt == "json":
            assert json.loads(out)["valid"] is False
        else:
            assert f"FAILED  {check}" in out
    assert sandbox() == before
    assert not Path("x").exists() and not Path("../x").exists() and not Path("../../x").exists()


def test_verify_needs_a_key_and_a_readable_file(work, capsys):
    code, out, err = run_cli(["bundle", "verify", "bundle.zip"], capsys)
    assert code == 2 and "--pubkey" in err
    code, out, err = run_cli(["bundle", "verify", "missing.zip", "--pubkey", "signer.key.pub"],
                             capsys)
    assert code == 2 and "cannot read bundle missing.zip" in err


@pytest.mark.parametrize("argv, code, words", [
    (["--pubkey", "signer.key.pub"], 0, "VERIFIED: signed by SHA256:"),
    (["--pubkey", "other.key.pub"], 1, "NOT VERIFIED: check signature-trusted failed"),
    ([], 1, "NOT VERIFIED: no key given"),
])
def test_show_says_whether_it_verified(work, capsys, argv, code, words):
    got, out, err = run_cli(["bundle", "show", "bundle.zip", "--lang", "en", *argv], capsys)
    assert got == code
    assert words in err and words in out.splitlines()[1]
    assert "Personal information" in out  # the rendered report follows the verdict


def test_show_html_carries_the_verdict_inside_the_page(work, capsys):
    got, out, err = run_cli(["bundle", "show", "bundle.zip", "--format", "html", "-o",
                             "shown.html", "--pubkey", "other.key.pub"], capsys)
    page = Path("shown.html").read_text(encoding="utf-8")
    assert got == 1 and out == ""
    assert re.search(r'<body[^>]*><div role="alert"[^>]*>NOT VERIFIED: check signature-trusted',
                     page)
    assert "Personal information" in page or "个人信息" in page


def test_show_of_a_tampered_report_does_not_render_it(work, material, capsys):
    Path("bad.zip").write_bytes(_flip_report(material["bundle"]))
    got, out, err = run_cli(["bundle", "show", "bad.zip", "--pubkey", "signer.key.pub"], capsys)
    assert got == 1 and "check member-hashes failed" in err and "no report to show" in err
    assert out == ""


@pytest.mark.parametrize("created, code", [("2026-04-01T09:00:00Z", 0), ("next tuesday", 2),
                                           ("2026-04-01T09:00:00", 2),
                                           ("2025-12-01T00:00:00Z", 2),
                                           ("2099-01-01T00:00:00Z", 2)])
def test_created_time_is_recorded_or_refused(work, capsys, created, code):
    got, out, err = run_cli(["bundle", "create", "report.json", "--key", "signer.key",
                             "--config", "pia.yaml", "-o", "dated.zip", "--created", created],
                            capsys)
    assert got == code
    if code == 0:
        manifest = json.loads(members(Path("dated.zip").read_bytes())["manifest.json"])
        assert manifest["created"] == created
    else:
        assert ("not an ISO 8601 time with a zone" in err or "before the scan finished" in err
                or "is more than a day after now" in err) and err.count("\n") == 1
        assert not Path("dated.zip").exists()


def test_show_of_an_unreadable_file_exits_2(work, capsys):
    Path("junk.zip").write_bytes(b"not a zip at all")
    got, out, err = run_cli(["bundle", "show", "junk.zip"], capsys)
    assert (got, out) == (2, "") and "UNREADABLE" in err


def _trust_dir(*names: tuple[str, str]) -> str:
    Path("trust").mkdir()
    for source, name in names:
        Path("trust", name).write_bytes(Path(source).read_bytes())
    return "trust"


def test_trusted_keys_name_the_key_file_that_signed(work, capsys):
    """With a directory of companies' keys, the verdict says which file's key signed: the
    regulator named the files, and the organisation in the report is the bundle's own claim."""
    trust = _trust_dir(("signer.key.pub", "company-a.pub"), ("other.key.pub", "company-b.pub"))
    signer = fingerprint(load_public_key("signer.key.pub"))
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--trusted-keys", trust],
                             capsys)
    assert code == 0 and f"signer:    {signer} (company-a.pub)" in out
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--trusted-keys", trust,
                              "-f", "json"], capsys)
    assert json.loads(out)["signer_key"] == "company-a.pub"
    code, out, err = run_cli(["bundle", "show", "bundle.zip", "--trusted-keys", trust, "--lang",
                              "en"], capsys)
    assert code == 0 and f"VERIFIED: signed by {signer} (company-a.pub)" in err


def test_a_foreign_signature_is_one_short_sentence(work, material, capsys):
    """Not a wall of trusted fingerprints: who signed, and how many keys were trusted where."""
    trust = _trust_dir(("other.key.pub", "company-b.pub"))
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--trusted-keys", trust],
                             capsys)
    signer = fingerprint(material["key"].public_key())
    other = fingerprint(load_public_key("other.key.pub"))
    assert code == 1
    assert f"signed by key id {signer}, not among 1 trusted key in trust" in err
    assert other not in err and other not in out


def test_verify_json_of_a_missing_file_is_still_json(work, capsys):
    code, out, err = run_cli(["bundle", "verify", "missing.zip", "--pubkey", "signer.key.pub",
                              "-f", "json"], capsys)
    doc = json.loads(out)
    assert code == 2 and doc["readable"] is False and doc["valid"] is False
    assert doc["checks"][0]["name"] == "archive-readable" and "missing.zip" in err


def test_a_genuine_scan_of_an_empty_local_source_verifies(work, capsys, monkeypatch):
    """A directory named as file:// whose only file is empty has no PI to record: no item.
    It was read all the same, and its bundle is valid. (A directory with no file at all is
    an error since f510ded, as a mistyped path.)"""
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    (work / "empty").mkdir()
    (work / "empty" / "app.log").write_bytes(b"")
    code, _, err = run_cli(["scan", f"file://{work / 'empty'}", "-q", "-o", "empty.json"],
                           capsys)
    assert code == 0, err
    key = next(p.name for p in work.iterdir() if p.suffix == ".key")
    code, _, err = run_cli(["bundle", "create", "empty.json", "--key", key, "-o", "e.zip"],
                           capsys)
    assert code == 0, err
    code, out, err = run_cli(["bundle", "verify", "e.zip", "--pubkey", f"{key}.pub"], capsys)
    assert code == 0, out + err


def test_verify_counts_in_english_agree_in_number(work, material, capsys):
    """'1 source(s)' and '1 open findings' read as a tool that does not look at its numbers."""
    run_cli(["bundle", "create", "report.json", "--key", "signer.key", "--config", "pia.yaml",
             "-o", "made.zip"], capsys)
    code, out, _ = run_cli(["bundle", "verify", "made.zip", "--pubkey", "signer.key.pub",
                            "--lang", "en"], capsys)
    sources = json.loads(Path("report.json").read_text())["scan"]["sources"]
    noun = "source" if len(sources) == 1 else "sources"
    assert code == 0 and f", {len(sources)} {noun}\n" in out and "(s)" not in out


def test_create_from_a_report_with_a_custom_ruleset_says_to_give_its_file(work, capsys):
    """The report records a custom ruleset's id only, not its file: `unknown ruleset
    'qs-internal'` left the user to guess that --ruleset FILE and the built-in ids were
    wanted, in the report's order."""
    report = json.loads(Path("report.json").read_text(encoding="utf-8"))
    builtin = [r["id"] for r in report["scan"]["rulesets"]]
    report["scan"]["rulesets"].insert(0, {"id": "qs-internal", "version": "1",
                                          "sha256": "0" * 64})
    Path("custom.json").write_text(dumps(report), encoding="utf-8")
    code, out, err = run_cli(["bundle", "create", "custom.json", "--key", "signer.key",
                              "--config", "pia.yaml", "-o", "custom.zip"], capsys)
    assert code == 2 and out == "" and not Path("custom.zip").exists()
    listed = " ".join(["--ruleset <file of qs-internal>",
                       *(f"--ruleset {i}" for i in builtin)])
    assert err == ("pia: error: report custom.json was evaluated with ruleset 'qs-internal', "
                   "not built in: give its file with --ruleset FILE, and the built-in ones it "
                   f"used, as the report lists them: {listed}\n")


def test_create_names_the_report_with_an_unmasked_sample_and_says_what_to_do(work, capsys):
    """It said `report inventory[4] ...; refusing to bundle it (re-render it from the scan)`:
    no file named, unlike pia report, and nothing a user could do about a bundle."""
    report = json.loads(Path("report.json").read_text(encoding="utf-8"))
    item = next(i for i in report["inventory"] if i["evidence"].get("samples"))
    item["evidence"]["samples"] = ["440106200009016001"]
    Path("raw.json").write_text(dumps(report), encoding="utf-8")
    code, out, err = run_cli(["bundle", "create", "raw.json", "--key", "signer.key",
                              "--config", "pia.yaml", "-o", "raw.zip"], capsys)
    assert code == 2 and out == "" and not Path("raw.zip").exists()
    assert err.startswith("pia: error: report raw.json: inventory[") and err.count("\n") == 1
    assert "evidence.samples[0] is not masked" in err and "440106200009016001" not in err
    assert err.endswith("; refusing to bundle it (this pia writes every sample and identifier "
                        "masked and every source redacted: the report was edited after the "
                        "scan or written by an older pia; scan again with this pia and bundle "
                        "its report)\n")


def test_a_trust_store_holding_one_key_under_two_names_is_refused(work, capsys):
    """The verdict names the key file that verified, for the regulator to check the company:
    with one key under two names it named the alphabetically first, silently (QA 10)."""
    Path("trusted").mkdir()
    for name in ("company-a.pub", "company-z.pub"):
        Path("trusted", name).write_bytes(Path("signer.key.pub").read_bytes())
    Path("trusted", "other.pub").write_bytes(Path("other.key.pub").read_bytes())
    for command in ("verify", "show"):
        code, out, err = run_cli(["bundle", command, "bundle.zip", "--trusted-keys", "trusted"],
                                 capsys)
        assert (code, out) == (2, "")
        assert err == ("pia: error: trusted keys directory trusted holds one key under two "
                       "names, company-a.pub and company-z.pub: keep the file of the company "
                       "it belongs to\n")


def test_verify_notes_a_bundle_created_after_its_own_clock(work, material, capsys):
    """A bundle dated 2099 verified VALID with no remark (QA 12): noted, as evidence dated
    after the scan is, not refused (the signer's clock may simply be wrong)."""
    Path("later.zip").write_bytes(resign(material["bundle"], material["key"], {},
                                         manifest_edit=lambda m: m.update(
                                             created="2099-01-01T00:00:00Z")))
    code, out, err = run_cli(["bundle", "verify", "later.zip", "--pubkey", "signer.key.pub",
                              "--lang", "en"], capsys)
    assert (code, err) == (0, "") and "verdict:   VALID" in out
    assert ("NOTE: created \"2099-01-01T00:00:00Z\" is more than a day after this machine's "
            "clock") in out


@pytest.mark.parametrize("text, says", [("", "it is empty"), ("\n\n", "it is empty"),
                                        ("\nsecret\n", "its first line is empty")])
def test_an_empty_passphrase_line_is_named_as_such(work, capsys, text, says):
    """A file whose first line is blank but whose next is not was called empty (QA 15)."""
    Path("pass.txt").write_text(text)
    code, out, err = run_cli(["keygen", "new.key", "--passphrase-file", "pass.txt"], capsys)
    assert (code, out) == (2, "") and not Path("new.key").exists()
    assert err == (f"pia: error: passphrase file pass.txt: {says} (the passphrase is its first"
                   " line)\n")
