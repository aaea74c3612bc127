"""verify and show speak the regulator's language: the verdict, the banner over a shown
report and what each check checks, in Chinese or English (check ids stay as they are); and
the creation time is said to be the scan's finish when it is (bundle create's default)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from bundle_helpers import members, run_cli, with_members

from pia.bundle import CHECKS, create_bundle
from pia.bundle.words import CHECK_ZH

VERIFY = ["bundle", "verify", "bundle.zip", "--pubkey", "signer.key.pub"]
SHOW = ["bundle", "show", "bundle.zip", "--pubkey", "signer.key.pub"]


def test_verify_in_chinese_says_verdict_and_what_each_check_checks(work, capsys):
    digest = hashlib.sha256(Path("bundle.zip").read_bytes()).hexdigest()  # every check runs
    code, out, err = run_cli([*VERIFY, "--lang", "zh", "--expect-sha256", digest], capsys)
    assert code == 0 and err == ""
    assert "结论：    有效（VALID）" in out and "检查：" in out and "verdict:" not in out
    for check in CHECKS:
        assert f"  通过     {check}（{CHECK_ZH[check]}）" in out


def test_an_unexpected_digest_is_said_in_chinese(work, capsys):
    code, out, _ = run_cli([*VERIFY, "--lang", "zh"], capsys)
    assert code == 0 and "bundle-digest（" in out
    assert "未提供预期的 SHA-256（--expect-sha256）" in out


def test_every_check_has_a_chinese_description():
    assert set(CHECK_ZH) == set(CHECKS)


@pytest.mark.parametrize("env, words", [
    ({"LANG": "C.UTF-8"}, "结论："),  # as pia scan: Chinese unless the locale says otherwise
    ({"LANG": "zh_CN.UTF-8"}, "结论："),
    ({"LANG": "en_US.UTF-8"}, "verdict:   VALID"),
    ({"LANG": "bo_CN.UTF-8"}, "verdict:   VALID"),  # no Tibetan text: English
])
def test_verify_speaks_the_locale_by_default(work, capsys, monkeypatch, env, words):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, out, _ = run_cli(VERIFY, capsys)
    assert code == 0 and words in out


def test_verify_refuses_another_language(work, capsys):
    code, out, err = run_cli([*VERIFY, "--lang", "fr"], capsys)
    assert code == 2 and "--lang must be zh, en or bo" in err


def test_verify_takes_tibetan_as_show_and_the_reports_do(work, capsys):
    """bundle show --lang bo worked and bundle verify --lang bo was refused; both now say it
    in English, as a bo locale already did."""
    code, out, _err = run_cli([*VERIFY, "--lang", "bo"], capsys)
    assert code == 0 and "verdict:   VALID" in out


def test_a_failure_in_chinese_keeps_the_english_error_line(work, capsys):
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", "other.key.pub",
                              "--lang", "zh"], capsys)
    assert code == 1 and "结论：    无效（INVALID）" in out
    assert "  未通过   signature-trusted（" in out and "（未验证）" in out
    assert err.startswith("pia: bundle invalid: check signature-trusted failed: ")


@pytest.mark.parametrize("key, code, banner", [
    ("signer.key.pub", 0, "已验证（VERIFIED）：由 SHA256:"),
    ("other.key.pub", 1, "未通过验证（NOT VERIFIED）：检查 signature-trusted 未通过（"),
])
def test_show_in_chinese_translates_its_banner(work, capsys, key, code, banner):
    got, out, err = run_cli(["bundle", "show", "bundle.zip", "--pubkey", key, "--lang", "zh"],
                            capsys)
    assert got == code and out.splitlines()[1].startswith(banner)
    assert err.startswith(f"pia: {banner}")
    got, out, _ = run_cli(["bundle", "show", "bundle.zip", "--pubkey", key, "--lang", "zh",
                           "-f", "html"], capsys)
    assert re.search(r'<div role="alert"[^>]*>' + re.escape(banner), out)


def test_show_without_a_key_says_so_in_chinese(work, capsys):
    code, out, _ = run_cli(["bundle", "show", "bundle.zip", "--lang", "zh"], capsys)
    assert code == 1 and "未通过验证（NOT VERIFIED）：未提供公钥" in out.splitlines()[1]


def test_created_is_said_to_be_the_scan_finish_by_default(work, capsys):
    code, out, _ = run_cli([*VERIFY, "--lang", "en"], capsys)
    assert code == 0
    assert re.search(r"created:   \S+ \S+ \(UTC\+8\) \(= scan finished: bundle create's "
                     r"default, not when the bundle was made\)\n", out)
    _, out, _ = run_cli([*VERIFY, "--lang", "zh"], capsys)
    assert "（即扫描结束时间，bundle create 的默认值，并非打包时间）" in out


def test_a_creation_time_given_is_shown_as_it_is(material, work, capsys):
    later = create_bundle(material["report"], material["rulesets"], material["declaration"],
                          material["key"], created="2026-03-03T01:00:00Z")
    (work / "bundle.zip").write_bytes(later)
    code, out, _ = run_cli([*VERIFY, "--lang", "en"], capsys)
    assert code == 0 and "created:   2026-03-03 09:00:00 (UTC+8)\n" in out


def test_the_label_leaves_the_bundle_bytes_alone(material):
    again = create_bundle(material["report"], material["rulesets"], material["declaration"],
                          material["key"])
    assert again == material["bundle"]


def test_verify_in_chinese_lists_severities_with_full_width_commas(work, capsys):
    """`（严重 14, 高 24, 中 2）`: ASCII commas in a Chinese line, where the scan's summary line
    says `（严重 7，高 13，中 2，…）`."""
    code, out, _err = run_cli([*VERIFY, "--lang", "zh"], capsys)
    (counts,) = [line for line in out.splitlines() if line.startswith("数量：")]
    listed = re.search(r"（([^）]*)）", counts).group(1)
    assert ", " not in listed and "，" in listed, counts
    code, out, _err = run_cli([*VERIFY, "--lang", "en"], capsys)
    (counts,) = [line for line in out.splitlines() if line.startswith("counts:")]
    assert re.search(r"\((\w+ \d+, )+\w+ \d+\)", counts), counts


def _tampered(material) -> None:
    body = members(material["bundle"])["report.json"].replace(b'"high"', b'"low"', 1)
    Path("bad.zip").write_bytes(with_members(material["bundle"], {"report.json": body}))


def test_show_of_a_tampered_report_ends_in_chinese(work, material, capsys):
    """QA: 以下内容不可信; no report to show — the banner's tail was English."""
    _tampered(material)
    code, out, err = run_cli(["bundle", "show", "bad.zip", "--pubkey", "signer.key.pub",
                              "--lang", "zh"], capsys)
    assert code == 1 and out == ""
    assert err.startswith("pia: 未通过验证（NOT VERIFIED）：检查 member-hashes 未通过（")
    assert err.endswith("以下内容不可信；无法显示其中的报告\n") and "no report" not in err
    _, _, err = run_cli(["bundle", "show", "bad.zip", "--pubkey", "signer.key.pub",
                         "--lang", "en"], capsys)
    assert err.endswith("the content below is untrusted; no report to show\n")


def test_verify_in_chinese_says_why_a_check_did_not_run(work, material, capsys):
    """A check not run said ``: needs member-hashes`` after its Chinese description; the
    detail follows a full-width colon, as every other label of the Chinese text."""
    _tampered(material)
    code, out, _ = run_cli(["bundle", "verify", "bad.zip", "--pubkey", "signer.key.pub",
                            "--lang", "zh"], capsys)
    assert code == 1
    assert f"  跳过     report-schema（{CHECK_ZH['report-schema']}）：未运行：须先通过检查 " \
           "member-hashes\n" in out
    assert f"  未通过   member-hashes（{CHECK_ZH['member-hashes']}）：report.json" in out
    assert "needs " not in out and "）: " not in out
    assert re.search(r"规则集：  [\w-]+(，[\w-]+)+（未验证）\n", out)
    _, out, _ = run_cli(["bundle", "verify", "bad.zip", "--pubkey", "signer.key.pub",
                         "--lang", "en"], capsys)
    assert "  skipped report-schema: needs member-hashes\n" in out
    assert re.search(r"rulesets:  [\w-]+(, [\w-]+)+ \(unverified\)\n", out)


def test_verify_in_chinese_says_what_each_passed_check_saw(work, capsys):
    """QA: 通过 members-complete（…）: 7 members — every passed check's sentence was English."""
    code, out, _ = run_cli([*VERIFY, "--lang", "zh"], capsys)
    assert code == 0
    said = dict(re.findall(r"^  通过\s+([\w-]+)（[^）]*）：(.*)$", out, re.MULTILINE))
    assert re.fullmatch(r"\d+ 个成员", said["members-complete"])
    assert re.fullmatch(r"由 SHA256:\S+ \(signer\.key\.pub\) 签名", said["signature-trusted"])
    assert re.fullmatch(r"pia-report/1，清单条目 \d+ 个，问题 \d+ 个", said["report-schema"])
    english = re.compile(r"\b(members|bytes|signed|digests|engine|inventory|findings|masked|"
                         r"started|shipped|assets?|credentials|declaration|re-derived)\b")
    assert [s for s in said.values() if english.search(s)] == []
    assert len(said) >= 12
    _, out, _ = run_cli([*VERIFY, "--lang", "en"], capsys)
    assert re.search(r"\n  ok      members-complete: \d+ members\n", out)
    _, out, _ = run_cli([*VERIFY, "--lang", "zh", "-f", "json"], capsys)
    checks = {c["name"]: c["detail"] for c in json.loads(out)["checks"]}
    assert re.fullmatch(r"\d+ members", checks["members-complete"])  # JSON: as the check wrote
