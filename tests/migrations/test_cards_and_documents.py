"""A card that is not a bank's (会员卡号, gift_card_no, SIM卡号) is no bank card number, and an
image of an identity document (id_card_photo, passport_photo_url) is not called its number
(QA M3): it is the same sensitive PI, said truthfully."""

from __future__ import annotations

import pytest

from pia.detection.metadata import classify_name, names_a_document_image

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"


@pytest.mark.parametrize(("name", "entities"), [
    ("gift_card_no", []), ("vip_card_no", []), ("member_card_no", []), ("sim_card_no", []),
    ("coupon_card", []), ("loyalty_card_number", []), ("会员卡号", []), ("礼品卡号", []),
    ("SIM卡号", []), ("储值卡号", []),
    # a bank's card is one still
    ("card_no", ["CN_BANK_CARD"]), ("bank_card_no", ["CN_BANK_CARD"]),
    ("debit_card_no", ["CN_BANK_CARD"]), ("银行卡号", ["CN_BANK_CARD"]), ("卡号", ["CN_BANK_CARD"]),
])
def test_only_a_banks_card_is_a_bank_card(name: str, entities: list[str]) -> None:
    assert [m.entity_type for m in classify_name(name)] == entities


#: entity type → names of its document's image or link, and names of its number
DOCUMENTS = {
    "CN_RESIDENT_ID": (["id_card_photo", "id_card_front_url", "身份证照片"], ["id_card", "sfzh"]),
    "CN_PASSPORT": (["passport_photo_url", "passport_scan"], ["passport_no"]),
}


def test_an_identity_documents_image_is_told_apart() -> None:
    for entity, (images, numbers) in DOCUMENTS.items():
        for name in images + numbers:
            assert entity in [m.entity_type for m in classify_name(name)], name
        assert [n for n in images + numbers if names_a_document_image(n, entity)] == images
    assert not names_a_document_image("face_photo", "BIOMETRIC")  # no document's


def test_the_finding_says_what_the_column_holds(pia_check) -> None:
    sql = ("CREATE TABLE cards (\n  vip_card_no varchar(32),\n  gift_card_no varchar(32),\n"
           "  id_card_photo bytea,\n  passport_no varchar(9)\n);\n"
           "COMMENT ON COLUMN cards.vip_card_no IS '会员卡号';\n")
    code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    lines = out.splitlines()
    assert code == 1 and len(lines) == 2
    assert lines[0].startswith(f"V1.sql:4:3: {S28} cards.id_card_photo holds sensitive PI, an "
                               "image of an identity document, or a link to one (CN_RESIDENT_ID")
    assert lines[1].startswith(f"V1.sql:5:3: {S28} cards.passport_no holds sensitive PI, a "
                               "passport number (CN_PASSPORT")
