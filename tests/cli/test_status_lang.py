"""`pia scan`'s status lines on stderr (the file written, what the declaration named and the
scan did not meet) speak the report's language, as the summary line beside them does:
`pia: wrote json report to …` in English next to a Chinese summary read as two tools."""

from __future__ import annotations

from pathlib import Path

import pytest

from pia.cli import main


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    monkeypatch.delenv("PIA_DEBUG", raising=False)
    (tmp_path / "ok.log").write_text("nothing personal here\n", encoding="utf-8")
    assets = "".join(f"  - {{id: a{i}, source: /nowhere/a{i}/**}}\n" for i in range(12))
    (tmp_path / "pia.yaml").write_text(
        f"version: 1\nassets:\n{assets}accept:\n"
        "  - {rule: CSL-40-PUBLIC-EXPOSURE, location: {bucket: b}, reason: r, owner: o,"
        " expires: 2099-01-01}\n", encoding="utf-8")
    return tmp_path


def scan(capsys, lang: str) -> list[str]:
    with pytest.raises(SystemExit) as done:
        main(["scan", "ok.log", "--config", "pia.yaml", "-o", "r.json", "--lang", lang])
    assert done.value.code in (0, 1)
    return capsys.readouterr().err.splitlines()


def test_status_lines_in_chinese(here: Path, capsys) -> None:
    wrote, summary, assets, accept = scan(capsys, "zh")
    assert wrote == "pia：已将 JSON 报告写入 r.json"
    assert summary.startswith("pia：1 个数据源")
    assert assets == ("pia：警告：声明的资产未匹配任何已扫描的数据源："
                      + "、".join(f"a{i}" for i in range(10))
                      + " 等，另有 2 个（完整列表见 JSON 报告的 "
                        "scan.declaration.unmatched_assets）")
    assert accept == ("pia：警告：pia.yaml:16: rule CSL-40-PUBLIC-EXPOSURE：该 accept 条目未匹配"
                      "任何问题")


def test_status_lines_in_english(here: Path, capsys) -> None:
    wrote, summary, assets, accept = scan(capsys, "en")
    assert wrote == "pia: wrote json report to r.json"
    assert summary.startswith("pia: 1 source,")
    assert assets == ("pia: warning: declared asset(s) matched no scanned source: "
                      + ", ".join(f"a{i}" for i in range(10))
                      + " and 2 more (see scan.declaration.unmatched_assets in the JSON report)")
    assert accept == ("pia: warning: pia.yaml:16: rule CSL-40-PUBLIC-EXPOSURE: this accept "
                      "entry matched no finding")
