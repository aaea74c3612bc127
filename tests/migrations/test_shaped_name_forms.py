"""QA r2 D3 and D9: check-migrations printed a table named with an ID grouped 6-4-4-4
(``110101-1990-0307-7777``) or a mobile with its country code glued on (``8613800138000``),
and an ignore reason quoting them, raw in every format; and it masked ``size_13800138000``,
a quantity the mobile recognizer itself knows is none."""

from __future__ import annotations

import json

ID_GROUPED = "110101-1990-0307-7777"
MOBILE_86 = "8613800138000"
FORMATS = ("text", "json", "sarif", "github")


def test_grouped_ids_and_glued_country_codes_are_masked_in_names_and_reasons(pia_check) -> None:
    files = {"1.sql": f'CREATE TABLE "t_{MOBILE_86}" (sfzh text);\n'
                      f'CREATE TABLE "t_{ID_GROUPED}" (sfzh text);\n'
                      f"ALTER TABLE y ADD COLUMN id_card text; -- pia:ignore "
                      f"PIPL-28-SENSITIVE-PLAINTEXT 见 {MOBILE_86} 与 {ID_GROUPED}\n"}
    outputs = {fmt: pia_check("-f", fmt, "1.sql", files=files) for fmt in FORMATS}
    for code, out, err in outputs.values():
        assert code == 1
        for raw in (MOBILE_86, ID_GROUPED, "13800138000", "19900307"):
            assert raw not in out and raw not in err
        assert "t_138****8000" in out and "t_1101**********7777" in out
    findings = json.loads(outputs["json"][1])["findings"]
    assert {"t_138****8000", "t_1101**********7777"} <= {f["table"] for f in findings}
    # a reason that holds a value accepts nothing (QA r2 D2): the column stays open
    (id_card,) = [f for f in findings if f["column"] == "id_card"]
    assert id_card["status"] == "open"


def test_devanagari_digits_in_a_name_are_masked(pia_check) -> None:
    files = {"2.sql": 'CREATE TABLE "t_१३८००१३८०००" (sfzh text);\n'}
    for fmt in FORMATS:
        _code, out, _err = pia_check("-f", fmt, "2.sql", files=files)
        assert "१३८००१३८०००" not in out and "t_138****8000" in out


def test_a_quantity_named_with_a_mobiles_digits_stays_readable(pia_check) -> None:
    files = {"3.sql": 'CREATE TABLE "size_13800138000" (sfzh text);\n'
                      'CREATE TABLE "tel_13800138000" (sfzh text);\n'}
    _code, out, _err = pia_check("-f", "json", "3.sql", files=files)
    tables = {f["table"] for f in json.loads(out)["findings"] if f["column"] == "sfzh"}
    assert tables == {"size_13800138000", "tel_138****8000"}
