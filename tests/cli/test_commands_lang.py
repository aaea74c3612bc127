"""`pia rulesets list|show`, `pia recognizers list` and `pia keygen` speak the user's language:
``--lang``, else the locale, as `pia scan` does. A Chinese-first compliance officer got English
headers, bilingual titles and English key lines from them (QA), a title cut mid-word
(GB/T 35273—2020《信息安全技 …) and citations in a form no Chinese lawyer writes (PIPL 51(三))."""

from __future__ import annotations

import pytest

from pia.cli import main
from pia.rules import load_ruleset


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def _cells(out: str) -> str:
    """A table's text without its borders and padding, as a reader follows a wrapped cell."""
    return "".join(c for line in out.splitlines() for c in line if c not in "│┃┏┓┗┛┡┩└┘━─╇┳┻┴┬ ")


def test_rulesets_list_in_chinese_wraps_whole_titles(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(["rulesets", "list", "--lang", "zh"], capsys)
    assert (code, err) == (0, "")
    assert "标识" in out and "版本" in out and "规则数" in out and "标题" in out
    assert "version" not in out and "Personal" not in out  # Chinese titles alone
    assert "…" not in out  # wrapped, not cut
    cells = _cells(out)
    for ruleset in ("cn-csl", "cn-pipl", "cn-gbt35273"):
        assert load_ruleset(ruleset).title["zh"].replace(" ", "") in cells, ruleset


def test_rulesets_list_in_english_is_as_before_but_not_cut(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(["rulesets", "list", "--lang", "en"], capsys)
    assert code == 0 and "version" in out and "…" not in out
    title = load_ruleset("cn-gbt35273").title
    assert f"{title['zh']} / {title['en']}".replace(" ", "") in _cells(out)


def test_rulesets_show_in_chinese_cites_as_chinese_law_does(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # one line a rule: a cell's text reads whole
    code, out, _ = run(["rulesets", "show", "cn-csl", "--lang", "zh"], capsys)
    assert code == 0
    cells = _cells(out)
    assert "严重程度" in cells and "适用范围" in cells and "法律依据" in cells
    assert "severity" not in cells
    assert "《网络安全法》第二十三条第（三）项（修正前第二十一条）" in cells
    assert "(2016:" not in out and "CSL 23" not in out


def test_rulesets_show_one_rule_in_chinese(capsys) -> None:
    rule = next(r for r in load_ruleset("cn-pipl").rules if r.id == "PIPL-55-PIA-TRIGGER")
    code, out, _ = run(["rulesets", "show", "cn-pipl", rule.id, "--lang", "zh"], capsys)
    assert code == 0
    assert "标题：" in out and "整改建议：" in out and "法律依据：" in out
    assert rule.data["remediation"]["zh"] in out and rule.data["remediation"]["en"] not in out
    assert "未成年人数据：" in out and "minors" not in out
    for ref in rule["references"]:
        assert f"「{ref['quote']}」" in out
    assert "  《个人信息保护法》第五十五条：「" in out
    assert "  《个人信息保护法》第五十五条第（一）项：「" in out


@pytest.mark.parametrize(("locale", "header"), [("zh_CN.UTF-8", "名称"), ("en_US.UTF-8", "name")])
def test_recognizers_list_follows_the_locale(capsys, monkeypatch, locale: str,
                                             header: str) -> None:
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", locale)
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(["recognizers", "list"], capsys)
    assert code == 0
    first = next(line for line in out.splitlines() if "┃" in line)
    assert first.split("┃")[1].strip() == header
    if header == "名称":
        assert "个人信息种类" in first and "来源" in first and "source" not in first


def test_keygen_in_chinese(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["keygen", "k.key", "--lang", "zh"], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "私钥：k.key（权限 0600，未加密；请妥善保密）"
    assert lines[1] == "公钥：k.key.pub（交给验证审计包的人）"
    assert lines[2].startswith("指纹：") and "fingerprint" not in out
    code, out, _ = run(["keygen", "e.key", "--lang", "en"], capsys)
    assert code == 0 and out.startswith("private key: e.key (mode 0600, not encrypted; keep")


def test_an_unknown_language_is_a_usage_error_before_a_key_is_made(tmp_path, capsys,
                                                                   monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["keygen", "k.key", "--lang", "fr"], capsys)
    assert (code, out) == (2, "") and "unknown language 'fr'" in err
    assert not (tmp_path / "k.key").exists()
