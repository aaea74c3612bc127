"""Name suffixes QA found misread (F8), as the scan's metadata reads them: a phone's
extension (``contact_phone_ext``) holds no mobile, an ID card's fingerprint
(``id_card_fingerprint``) is a digest of the ID as ``_digest`` is, and ``tpl`` is a template
(``fingerprint_tpl``), read so by every reader of names (``lexicon.tokens``). What stays:
a person's fingerprint is biometric, the rest of an address (``address_ext``) is address."""

from __future__ import annotations

import pytest

from pia.detection.lexicon import tokens
from pia.detection.metadata import classify_column, names_an_attribute
from pia.detection.protection import hint


def _entities(name: str) -> set[str]:
    return {m.entity_type for m in classify_column(name)}


@pytest.mark.parametrize("name", ["contact_phone_ext", "phone_extension", "landline_ext",
                                  "face_img_ext"])
def test_an_extension_is_no_pi(name: str) -> None:
    assert _entities(name) == set()


def test_a_phone_extension_is_an_attribute_of_the_phone() -> None:
    assert names_an_attribute("contact_phone_ext", "CN_MOBILE")


@pytest.mark.parametrize("name", ["phone_ext_no", "phoneExtNo", "contact_phone_ext_num",
                                  "tel_extension_number", "landline_ext_no", "电话分机号"])
def test_an_extensions_number_is_no_mobile(name: str) -> None:
    # "no" ends a mobile's name (phone_no), but here it numbers the extension
    assert _entities(name) == set()


def test_a_phone_number_stays_a_mobile_and_a_numbered_rest_of_an_address_an_address() -> None:
    assert _entities("phone_no") == {"CN_MOBILE"}
    assert _entities("联系电话") == {"CN_MOBILE"}
    assert _entities("address_ext_no") == {"CN_ADDRESS"}


@pytest.mark.parametrize("name,entity", [("id_card_fingerprint", "CN_RESIDENT_ID"),
                                         ("sfzh_fingerprint", "CN_RESIDENT_ID"),
                                         ("mobile_fingerprint", "CN_MOBILE")])
def test_a_fingerprint_of_an_identifier_is_its_digest(name: str, entity: str) -> None:
    assert _entities(name) == {entity}
    assert hint(name, None) == hint(name.replace("fingerprint", "digest"), None) == "hashed"


@pytest.mark.parametrize("name", ["fingerprint", "user_fingerprint", "fingerprint_tpl",
                                  "fingerprint_template"])
def test_a_persons_fingerprint_stays_biometric(name: str) -> None:
    assert _entities(name) == {"BIOMETRIC"}
    assert hint(name, None) is None


def test_tpl_is_read_as_template() -> None:
    assert tokens("fingerprintTpl") == ("fingerprint", "template")
    assert _entities("email_tpl") == set()  # as email_template


def test_the_rest_of_an_address_is_address() -> None:
    assert _entities("address_ext") == {"CN_ADDRESS"}
