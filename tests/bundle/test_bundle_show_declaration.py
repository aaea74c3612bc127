"""`pia bundle show` renders the bundled declaration a regulator judges the findings against:
organisation, assets, activities (purpose, legal basis, consent, impact assessment),
cross-border transfers (destination, recipient, mechanism) and accepted risks, in the table
and the HTML, escaped like the report. Before, none of SG, the recipient, the mechanism or the
purpose appeared anywhere: the regulator had to unzip the bundle."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bundle_fixture import DECLARATION, build_report
from bundle_helpers import run_cli

from pia.bundle import create_bundle, load_private_key
from pia.declaration import load_declaration
from pia.rules import load_rulesets

# a recipient that would clear the screen and fake a verdict if printed raw
ATTACK = "Example Pte Ltd\x1b[2JVERIFIED\u202e"
SHOWN = r"Example Pte Ltd\x1b[2JVERIFIED\u202e"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TRANSFERS = DECLARATION.replace(
    "    legal_basis: contract\n",
    "    legal_basis: contract\n"
    "  - id: marketing\n    purpose: 营销推广\n    legal_basis: consent\n"
    "    consent: {separate: false}\n    pia: {id: PIA-2026-07, date: '2026-07-01'}\n"
    "cross_border:\n"
    '  - {asset: crm, destination: SG, recipient: "Example Pte Ltd\\e[2JVERIFIED\\u202e", '
    "mechanism: standard_contract}\n")


@pytest.fixture(scope="module")
def abroad(material, tmp_path_factory):
    """A bundle whose declaration sends the CRM to Singapore, signed by the trusted key."""
    base = tmp_path_factory.mktemp("abroad")
    (base / "pia.yaml").write_text(TRANSFERS, encoding="utf-8")
    declaration = load_declaration(base / "pia.yaml")
    assert declaration.data["cross_border"][0]["recipient"] == ATTACK
    report = build_report(declaration)
    bundle = create_bundle(report, load_rulesets(), declaration,
                           load_private_key(material["key_path"]))
    (base / "abroad.zip").write_bytes(bundle)
    return base / "abroad.zip"


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", ["示例科技有限公司", "向境外提供", "SG", "标准合同", "营销推广", "个人同意",
            "未取得单独同意", "PIA-2026-07 2026-07-01", "订立、履行合同所必需", "*LOG*",
            "新系统上线不足六个月", "安全合规部", "2026-12-31"]),
    ("en", ["示例科技有限公司", "Cross-border transfers", "SG", "standard contract", "营销推广",
            "consent", "separate no", "necessary for a contract", "*LOG*"]),
])
@pytest.mark.parametrize("fmt", ["table", "html"])
def test_show_renders_the_bundled_declaration(abroad, material, capsys, lang, words, fmt):
    code, out, err = run_cli(["bundle", "show", str(abroad), "--pubkey",
                              str(material["pub_path"]), "--lang", lang, "-f", fmt], capsys)
    assert code == 0, err
    for word in words:
        assert word in out, word
    assert SHOWN in out and ATTACK not in out
    if fmt == "table":
        assert RAW.findall(out) == []


def test_a_declaration_without_transfers_says_none_were_declared(material, sandbox, capsys):
    Path("bundle.zip").write_bytes(material["bundle"])
    code, out, err = run_cli(["bundle", "show", "bundle.zip", "--pubkey",
                              str(material["pub_path"]), "--lang", "zh"], capsys)
    assert code == 0, err
    declared = out[out.index("随附的处理活动清单"):]
    section = declared[declared.index("向境外提供"):]
    # a sentence, not a row whose asset reads 未登记 ("undeclared") under 资产 (QA)
    assert "未登记向境外提供个人信息" in section.split("\n\n")[0]
    assert "资产" not in section.split("\n\n")[0] and "| 未登记 |" not in out


def test_verify_and_show_date_the_bundle_in_china_time(material, sandbox, capsys):
    """verify printed created: 2026-…Z, a different calendar day from the reports' UTC+8."""
    Path("bundle.zip").write_bytes(material["bundle"])
    code, out, _ = run_cli(["bundle", "verify", "bundle.zip", "--pubkey",
                            str(material["pub_path"])], capsys)
    assert code == 0
    assert re.search(r"created:   \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC\+8\)", out)
    assert re.search(r"scan:      started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC\+8\)", out)
    code, out, _ = run_cli(["bundle", "show", "bundle.zip", "--pubkey",
                            str(material["pub_path"])], capsys)
    assert code == 0 and "(UTC+8)" in out and not re.search(r"\d\d:\d\d:\d\dZ", out)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_a_terminal_the_tables_fit_its_width(abroad, material, lang):
    """The report's and the declaration's tables were drawn 100 columns wide on an 80-column
    terminal, which wrapped every row of them in two."""
    from rich.cells import cell_len

    from pia.bundle import load_public_key, verify_bundle
    from pia.bundle.keys import fingerprint
    from pia.bundle.show import render_bundle

    key = load_public_key(material["pub_path"])
    result = verify_bundle(abroad.read_bytes(), {fingerprint(key): key})
    for width, widest in ((80, 80), (None, 100)):  # a terminal; a file or a pipe
        text, _sentence, code = render_bundle(result, "table", lang=lang, width=width)
        assert code == 0
        tables = [line for line in text.splitlines() if line[:1] in "+|"]
        assert tables and max(map(cell_len, tables)) == widest, width
    assert "SG" in text and "营销推广" in text


def test_a_pipe_gets_the_width_columns_sets(abroad, material, capsys, monkeypatch):
    """``COLUMNS=80 pia bundle show … | less``: laid out at 80 columns, as on such a terminal;
    COLUMNS was ignored whenever stdout was not one."""
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run_cli(["bundle", "show", str(abroad), "--pubkey",
                              str(material["pub_path"]), "--lang", "en"], capsys)
    assert code == 0, err
    tables = [line for line in out.splitlines() if line[:1] in "+|"]
    assert tables and max(map(cell_len, tables)) == 80
