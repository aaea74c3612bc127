"""What a migration's column names say: the verdicts on names QA found misread."""

from __future__ import annotations


def test_an_id_card_number_is_a_resident_id_not_a_bank_card(pia_check) -> None:
    sql = "CREATE TABLE n (\n  id_card_number varchar(18),\n  \"IDCardNumber\" varchar(18)\n);\n"
    _code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    lines = out.splitlines()
    assert len(lines) == 2
    assert all("CN_RESIDENT_ID" in line and "CN_BANK_CARD" not in line for line in lines)
