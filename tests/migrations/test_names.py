"""What a migration's column names say: the verdicts on names QA found misread."""

from __future__ import annotations


def test_an_id_card_number_is_a_resident_id_not_a_bank_card(pia_check) -> None:
    sql = "CREATE TABLE n (\n  id_card_number varchar(18),\n  \"IDCardNumber\" varchar(18)\n);\n"
    _code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    lines = out.splitlines()
    assert len(lines) == 2
    assert all("CN_RESIDENT_ID" in line and "CN_BANK_CARD" not in line for line in lines)


def test_a_name_of_an_attribute_of_pi_is_not_pi(pia_check) -> None:
    """``mobile_app_version`` and ``id_card_status`` are about a mobile and an ID card."""
    sql = ("CREATE TABLE a (\n  mobile_app_version varchar(20),\n  phone_model varchar(64),\n"
           "  mobile_country_code varchar(4),\n  id_card_status varchar(32),\n"
           "  id_card_enc_key_id text,\n  bank_card_last4 varchar(32),\n"
           "  id_card text,\n  mobile varchar(11)\n);\n")
    code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    assert code == 1
    assert [line.split()[3] for line in out.splitlines()] == ["a.id_card", "a.mobile"]


def test_a_foreign_key_template_or_position_of_pi_is_not_pi(pia_check) -> None:
    """``address_id`` references an address; ``email_template`` is a template; but a
    fingerprint template and an iris code are biometric data themselves."""
    sql = ("CREATE TABLE o (\n  address_id bigint,\n  email_template text,\n"
           "  mobile_seq int,\n  passport_id varchar(20),\n  fingerprint_template bytea,\n"
           "  iris_code bytea\n);\n")
    code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    assert code == 1
    assert [line.split()[3] for line in out.splitlines()] == [
        "o.passport_id", "o.fingerprint_template", "o.iris_code"]


def test_a_plural_name_is_the_pi_it_lists(pia_check) -> None:
    sql = ("CREATE TABLE m (\n  phones text,\n  id_cards text[],\n  emails text,\n"
           "  mobiles varchar(200)\n);\n")
    code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    assert code == 1
    verdicts = [(line.split()[3], line.split()[2]) for line in out.splitlines()]
    assert verdicts == [("m.phones", "PIPL-51-ENCRYPT-DEIDENT"),
                        ("m.id_cards", "PIPL-28-SENSITIVE-PLAINTEXT"),
                        ("m.emails", "PIPL-51-ENCRYPT-DEIDENT"),
                        ("m.mobiles", "PIPL-51-ENCRYPT-DEIDENT")]


def test_a_column_too_short_for_the_identifier_cannot_hold_it(pia_check) -> None:
    """A declared length shorter than the identifier's shortest form (a resident ID has 15
    or 18 characters, a bank card at least 12 digits) holds a code or a part, not the PI."""
    sql = ("CREATE TABLE c (\n  sfzh char(1),\n  id_card varchar(8),\n  yhkh varchar(4),\n"
           "  tel character varying(4),\n  passport_no numeric(6),\n  sfzhm char(18),\n"
           "  holder_id_card varchar(18),\n  card_no varchar(19),\n  kyc_id_card text\n);\n")
    code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    assert code == 1
    assert [line.split()[3] for line in out.splitlines()] == [
        "c.sfzhm", "c.holder_id_card", "c.card_no", "c.kyc_id_card"]


def test_a_biometric_template_is_sensitive_pi_not_a_raw_sample(pia_check) -> None:
    """A template is what GB/T 35273 6.3 asks for in place of the raw sample: the advice to
    store one does not fit it, but it is still biometric data to encrypt."""
    sql = ("CREATE TABLE b (\n  face_template bytea,\n  fingerprint_template bytea,\n"
           "  face_feature_vector bytea,\n  face_img bytea,\n  palm bytea COMMENT '掌纹特征'\n);\n")
    code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    assert code == 1
    verdicts = {line.split()[3]: line for line in out.splitlines()}
    assert list(verdicts) == ["b.face_template", "b.fingerprint_template",
                              "b.face_feature_vector", "b.face_img", "b.palm"]
    for column in ("b.face_template", "b.fingerprint_template", "b.face_feature_vector",
                   "b.palm"):
        assert " PIPL-28-SENSITIVE-PLAINTEXT " in verdicts[column]
        assert "holds a biometric template" in verdicts[column]
        assert "store a template" not in verdicts[column]
    assert " GB35273-6.3-RAW-BIOMETRIC " in verdicts["b.face_img"]
    assert "store a template" in verdicts["b.face_img"]


def test_a_type_of_listed_values_or_one_character_holds_no_identifier_or_name(
        pia_check) -> None:
    """``ENUM('home','work')`` holds a category, ``CHAR(1)`` a flag; a category of sensitive
    PI (a religion) is still PI."""
    sql = ("CREATE TABLE p (\n  phone_enum ENUM('a','b'),\n  id_card_kind SET('x','y'),\n"
           "  xm CHAR(1),\n  religion ENUM('none','buddhism'),\n  xingming CHAR(2),\n"
           "  phone VARCHAR(20)\n) ENGINE=InnoDB;\n")
    _code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    assert [line.split()[3] for line in out.splitlines()] == [
        "p.religion", "p.xingming", "p.phone"]
