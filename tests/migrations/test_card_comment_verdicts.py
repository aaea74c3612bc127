"""check-migrations reads a card column's comment as the scan does (QA B): ``card_no``
commented 会员卡号 or 礼品卡号，非银行卡 is no bank card and fails no CI run."""

from __future__ import annotations

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"

VIP = ("CREATE TABLE vip (id int,\n"
       "  card_no  varchar(19) COMMENT '会员卡号',\n"
       "  card_no2 varchar(19) COMMENT '礼品卡号，非银行卡',\n"
       "  card_no3 varchar(19) COMMENT '银行卡号',\n"
       "  card_no4 varchar(19) COMMENT 'gift card number') ENGINE=InnoDB;\n")


def test_only_the_bank_card_fails(pia_check) -> None:
    code, out, _err = pia_check("V1.sql", files={"V1.sql": VIP})
    assert (code, [line.split(" holds")[0] for line in out.splitlines()]) == (
        1, [f"V1.sql:4:3: {S28} vip.card_no3"])


def test_a_membership_card_passes(pia_check) -> None:
    sql = "CREATE TABLE vip (id int, card_no varchar(19) COMMENT '会员卡号') ENGINE=InnoDB;\n"
    assert pia_check("V1.sql", files={"V1.sql": sql})[:2] == (0, "")
