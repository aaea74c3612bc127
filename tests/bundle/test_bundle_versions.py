"""A bundle made by another pia: a real bundle, its report edited to say another rules engine
(``tool.rules``) or pia (``tool.version``) made it, and signed again with the test key so the
signature is genuine. This pia cannot re-derive what another engine derived: such a bundle is
*undecided* (exit 2, one line naming the pia to verify with), never reported as tampered and
never valid unless this pia re-derives it alike; its signature, trust and member hashes are
checked all the same."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from bundle_helpers import members, resign, run_cli, with_members

from pia import __version__
from pia.bundle import fingerprint, load_public_key, verify_bundle
from pia.bundle.create import REPORT, create_bundle, ruleset_member
from pia.bundle.verify import CHECKS
from pia.report import dumps, summarize
from pia.rules import ENGINE, apply_rules, bundled_text, load_ruleset_text

NEWER = ENGINE + 1


def _made_by(material, *, engine="same", version=None, edit=None) -> bytes:
    """The material's bundle as another pia would have made it, signed with the test key."""
    report = copy.deepcopy(material["report"])
    if engine is None:
        report["tool"].pop("rules")
    elif engine != "same":
        report["tool"]["rules"] = engine
    if version is not None:
        report["tool"]["version"] = version
    if edit is not None:
        edit(report)
    report["summary"] = summarize(report)
    return resign(material["bundle"], material["key"], {REPORT: dumps(report).encode()})


def _derived_otherwise(report) -> None:
    """A finding as another engine derived it (one level lower)."""
    finding = next(f for f in report["findings"] if f["severity"] == "high")
    finding["severity"] = "medium"


def _newer_report(report) -> None:
    """What a newer pia may write: a field this pia's schema does not know, findings this
    pia would not derive."""
    report["tool"]["build"] = "2027.1"
    _derived_otherwise(report)


def _verify(name: str, data: bytes, capsys, *extra: str) -> tuple[int, str, str]:
    Path(name).write_bytes(data)
    return run_cli(["bundle", "verify", name, "--pubkey", "signer.key.pub", *extra], capsys)


def test_a_bundle_of_a_newer_engine_is_undecided_not_tampered(work, material, capsys):
    code, out, err = _verify("newer.zip", _made_by(material, engine=NEWER, version="9.9.0",
                                                   edit=_newer_report), capsys)
    assert code == 2
    assert err == (f"pia: bundle undecided: check rules-engine: made by a newer pia (pia 9.9.0, "
                   f"rules engine {NEWER}) than this pia {__version__} (rules engine {ENGINE}); "
                   "verify with pia >= 9.9.0. Its signature and member hashes hold; nothing in "
                   "its report was judged: a newer engine's findings cannot be re-derived "
                   "here\n")
    assert "verdict:   UNDECIDED: intact and signed, but made by another pia" in out
    assert "FAILED" not in out
    for check in ("signature-trusted", "member-hashes"):
        assert f"ok      {check}" in out
    assert "skipped report-schema: needs rules-engine" in out
    code, out, _ = _verify("newer.zip", Path("newer.zip").read_bytes(), capsys, "-f", "json")
    doc = json.loads(out)
    assert (code, doc["verdict"], doc["valid"], doc["readable"]) == (2, "undecided", False,
                                                                     True)
    assert [c["name"] for c in doc["checks"] if c["status"] == "undecided"] == ["rules-engine"]


def test_this_pias_own_version_with_another_engine_is_invalid(work, material, capsys):
    """QA regulator D5: a report naming this very pia's version with another engine (a signer
    hiding findings behind an older engine's claim) was undecided, to be verified with 'the
    pia build that made it', which cannot exist: it is a contradiction, exit 1."""
    for engine in (NEWER, ENGINE - 1, None):
        code, out, err = _verify("same.zip", _made_by(material, engine=engine), capsys)
        assert code == 1 and "UNDECIDED" not in out and err.count("\n") == 1
        assert err.startswith("pia: bundle invalid: check rules-engine failed: the report names "
                              f"this pia's own version {__version__} with ")
        assert "the report contradicts itself" in err


@pytest.mark.parametrize("tamper, check", [
    (lambda data: with_members(data, {"pia.yaml": members(data)["pia.yaml"] + b"# x\n"}),
     "member-hashes"),
    (lambda data: data[: len(data) // 2], "archive-readable"),
])
def test_a_newer_engine_bundle_still_has_its_hashes_checked(work, material, capsys, tamper,
                                                            check):
    newer = _made_by(material, engine=NEWER, version="9.9.0")
    code, out, err = _verify("bad.zip", tamper(newer), capsys)
    assert code in (1, 2) and f"check {check} failed" in err and "rules-engine" not in err
    assert "UNDECIDED" not in out


def test_a_newer_engine_bundle_still_needs_a_trusted_unrevoked_key(work, material, capsys):
    Path("newer.zip").write_bytes(_made_by(material, engine=NEWER, version="9.9.0"))
    code, _, err = run_cli(["bundle", "verify", "newer.zip", "--pubkey", "other.key.pub"],
                           capsys)
    assert code == 1 and "check signature-trusted failed: signed by key id" in err
    Path("revoked.txt").write_text(fingerprint(material["key"].public_key()) + "\n")
    code, _, err = run_cli(["bundle", "verify", "newer.zip", "--pubkey", "signer.key.pub",
                            "--revoked", "revoked.txt"], capsys)
    assert code == 1 and "a key revoked in revoked.txt:1" in err


def test_findings_an_older_engine_derived_otherwise_are_undecided(work, material, capsys):
    """A report from before tool.rules existed, whose findings this engine derives otherwise:
    the one line says so first (it was cut off after the field difference), exit 2."""
    code, out, err = _verify("older.zip", _made_by(material, engine=None, version="0.0.9",
                                                   edit=_derived_otherwise), capsys)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(
        "pia: bundle undecided: check findings-follow-from-evidence: made by an older pia (pia "
        "0.0.9, no rules engine recorded, older than engine 1) than this pia "
        f"{__version__} (rules engine {ENGINE}), which derives other findings from the same "
        "evidence: not proof of tampering; verify with pia 0.0.9. First difference")
    assert ". First difference: finding " in err and ": severity is " in err
    assert "ok      rules-engine: made by pia" in out and "FAILED" not in out


def test_findings_an_older_engine_derived_alike_are_valid(work, material, capsys):
    code, out, err = _verify("older.zip", _made_by(material, engine=None, version="0.0.9"),
                             capsys)
    assert (code, err) == (0, "")
    assert ("ok      rules-engine: made by pia 0.0.9, no rules engine recorded, older than "
            f"engine 1; this pia {__version__} re-derives its findings with rules engine "
            f"{ENGINE}: if they differ, the bundle is undecided, not invalid") in out


def test_findings_this_engine_derives_otherwise_are_still_forged(work, material, capsys):
    """The same engine, other findings: no pia would derive them, so the bundle is invalid."""
    code, out, err = _verify("forged.zip", _made_by(material, edit=_derived_otherwise), capsys)
    assert code == 1 and "check findings-follow-from-evidence failed: finding " in err
    assert f"ok      rules-engine: rules engine {ENGINE}, this pia's" in out


@pytest.mark.parametrize("value", [0, -3, "2", True, 1.5])
def test_an_engine_that_is_no_version_is_refused(material, value):
    key = load_public_key(material["pub_path"])
    result = verify_bundle(_made_by(material, engine=value), {fingerprint(key): key})
    assert [c.name for c in result.failed] == ["report-schema"]
    assert "tool/rules" in result.failed[0].detail
    assert (result.checks[CHECKS.index("rules-engine")].detail
            == "tool.rules is no rules engine version (see report-schema)")


def _other_pipl(material, version: str | None) -> bytes:
    """cn-pipl as another pia shipped it (a rule's remediation reworded), the report evaluated
    with it and made by pia ``version``."""
    data = yaml.safe_load(bundled_text("cn-pipl"))
    data["rules"][0]["remediation"] = {"zh": "另行处理。", "en": "Handle it otherwise."}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    pipl = load_ruleset_text(text, "cn-pipl.yaml")
    report = copy.deepcopy(material["report"])
    recorded = report["scan"]["declaration"]
    apply_rules(report, [pipl if r.id == "cn-pipl" else r for r in material["rulesets"]],
                material["declaration"])
    report["scan"]["declaration"] = recorded
    if version is not None:
        report["tool"]["version"] = version
    return resign(material["bundle"], material["key"],
                  {REPORT: dumps(report).encode(), ruleset_member("cn-pipl"): text.encode()})


def test_a_shipped_ruleset_of_another_pia_version_is_undecided(material):
    """Another pia shipped another cn-pipl: this pia cannot say it is the one that pia
    ships (undecided); a bundle saying this pia made it must carry this pia's (failed)."""
    key = load_public_key(material["pub_path"])
    trusted = {fingerprint(key): key}
    other = verify_bundle(_other_pipl(material, "0.0.9"), trusted)
    (check,) = other.undecided
    assert check.name == "rulesets-as-shipped" and not other.failed
    assert check.detail.startswith(f"made by pia 0.0.9, not this pia {__version__}: verify "
                                   "with pia 0.0.9. bundled ruleset cn-pipl version")
    ours = verify_bundle(_other_pipl(material, None), trusted)
    assert [c.name for c in ours.failed] == ["rulesets-as-shipped"]


def test_an_earlier_release_of_a_shipped_ruleset_is_undecided_not_forged(material):
    """A bundle made before cn-pipl was updated, by a build that called itself this pia's
    version too, carries the cn-pipl of its day: a regulator must be told to verify it with
    the pia that shipped that release (undecided), not that it was forged (it failed)."""
    data = yaml.safe_load(bundled_text("cn-pipl"))
    ours = data["version"]
    data["version"] = "2020.1"
    data["rules"][0]["remediation"] = {"zh": "另行处理。", "en": "Handle it otherwise."}
    earlier = load_ruleset_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                "cn-pipl.yaml")
    rulesets = [earlier if r.id == "cn-pipl" else r for r in material["rulesets"]]
    report = copy.deepcopy(material["report"])
    recorded = report["scan"]["declaration"]
    apply_rules(report, rulesets, material["declaration"])
    report["scan"]["declaration"] = recorded
    report["summary"] = summarize(report)
    bundle = create_bundle(report, rulesets, material["declaration"], material["key"])
    key = load_public_key(material["pub_path"])
    result = verify_bundle(bundle, {fingerprint(key): key})
    (check,) = result.undecided
    assert check.name == "rulesets-as-shipped" and not result.failed
    assert check.detail.startswith("bundled ruleset cn-pipl version 2020.1 (sha256 "), check.detail
    assert f"is not the cn-pipl {ours} shipped with this pia {__version__}" in check.detail
    assert check.detail.endswith("Its signature and member hashes hold"), check.detail


def test_create_refuses_and_report_warns_about_a_newer_engine(work, capsys):
    """bundle create signed a report of a newer rules engine, which its own verify then
    called undecided; pia report rendered it without a word (QA 7)."""
    report = json.loads(Path("report.json").read_text(encoding="utf-8"))
    report["tool"]["rules"] = ENGINE + 1
    Path("newer.json").write_text(dumps(report), encoding="utf-8")
    newer = f"made by a newer pia (pia {report['tool']['version']}, rules engine {ENGINE + 1})"
    code, out, err = run_cli(["bundle", "create", "newer.json", "--key", "signer.key",
                              "--config", "pia.yaml", "-o", "x.zip"], capsys)
    assert (code, out) == (2, "") and err.count("\n") == 1 and not Path("x.zip").exists()
    assert newer in err and "bundle verify would leave the bundle undecided" in err
    code, out, err = run_cli(["report", "newer.json", "-f", "md"], capsys)
    assert code == 0 and out
    assert err == (f"pia: warning: report newer.json was {newer} than this pia "
                   f"{report['tool']['version']} (rules engine {ENGINE}): its findings are "
                   "shown as that pia derived them\n")
