"""What a column's comment, name or declaration claims of its protection (``claimed``), which
the scan reports where the sampled values show plaintext (qa-db L2), read as
``check-migrations`` reads the same comment: a migration adding ``sfzh`` under a comment that
claims protection gets no plaintext finding exactly when the scan hears that claim."""

from __future__ import annotations

import pytest

from pia.detection.protection import claimed
from pia.migrations import check_text

CLAIMS = [
    ("身份证号（AES加密）", ("encrypted", "comment")),
    ("加密存储", ("encrypted", "comment")),
    ("ID number, encrypted", ("encrypted", "comment")),
    ("身份证号 hashed", ("hashed", "comment")),
    ("身份证号（脱敏）", ("masked", "comment")),
    ("[pia:hashed_keyed]", ("hashed_keyed", "comment")),
]
#: comments that claim nothing: plaintext said, protection wanted or voided, transport only
NO_CLAIM = ["身份证号（明文）", "身份证号，需要加密", "未加密", "前端加密传输", "TODO: 加密",
            "身份证号"]


@pytest.mark.parametrize(("comment", "claim"), CLAIMS)
def test_a_comment_that_affirms_protection_claims_it(comment: str,
                                                    claim: tuple[str, str]) -> None:
    assert claimed("sfzh", comment) == claim


@pytest.mark.parametrize("comment", NO_CLAIM)
def test_a_comment_that_does_not_affirm_protection_claims_nothing(comment: str) -> None:
    assert claimed("sfzh", comment) is None


def test_a_name_claims_when_the_comment_does_not_and_plaintext_outranks_it() -> None:
    assert claimed("mobile_enc", None) == ("encrypted", "name")
    assert claimed("sfzh_jm", "身份证号") == ("encrypted", "name")
    assert claimed("id_card_enc", "身份证号（明文）") is None  # as check-migrations reads it
    assert claimed("sfzh", None, "encrypted") == ("encrypted", "declaration")
    assert claimed("sfzh", "身份证号（AES加密）", "masked") == ("encrypted", "comment")


@pytest.mark.parametrize("comment", [c for c, _ in CLAIMS[:3]] + NO_CLAIM)
def test_the_scan_and_check_migrations_hear_the_same_claim(comment: str) -> None:
    sql = (f"ALTER TABLE users ADD COLUMN sfzh varchar(18);\n"
           f"COMMENT ON COLUMN users.sfzh IS '{comment}';\n")
    plaintext = [f for f in check_text("V9.sql", sql, "postgres")
                 if f.rule_id == "PIPL-28-SENSITIVE-PLAINTEXT"]
    assert bool(plaintext) == (claimed("sfzh", comment) is None), comment
