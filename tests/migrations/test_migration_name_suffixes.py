"""Name suffixes QA found misread by check-migrations (F8): a phone's extension is no mobile,
an ID card's fingerprint is a digest of the ID, and ``tpl`` is a template. The scan reads the
same names the same way (tests/detection/test_name_suffixes.py)."""

from __future__ import annotations


def test_an_extension_a_fingerprint_of_an_id_and_a_tpl(pia_check) -> None:
    sql = ("CREATE TABLE p (\n  contact_phone_ext varchar(8),\n  id_card_fingerprint char(64),\n"
           "  fingerprint_tpl blob,\n  mobile varchar(11),\n  user_fingerprint blob\n);\n")
    code, out, _err = pia_check("--dialect", "mysql", "V1__fp.sql", files={"V1__fp.sql": sql})
    assert code == 1
    verdicts = [(line.split()[3], line.split()[2]) for line in out.splitlines()]
    assert verdicts == [
        # a digest of the ID, not the ID: no key said, so a warning (QA F6), not PIPL-28
        ("p.id_card_fingerprint", "PIPL-73-PSEUDONYM-REVERSIBLE"),
        # a template, not a raw sample: sensitive and unprotected, not raw biometrics
        ("p.fingerprint_tpl", "PIPL-28-SENSITIVE-PLAINTEXT"),
        ("p.mobile", "PIPL-51-ENCRYPT-DEIDENT"),
        # a person's fingerprint stays one
        ("p.user_fingerprint", "GB35273-6.3-RAW-BIOMETRIC"),
    ]


def test_an_extensions_number_is_no_mobile(pia_check) -> None:
    sql = "CREATE TABLE p (\n  phone_ext_no varchar(8),\n  phone_no varchar(11)\n);\n"
    code, out, _err = pia_check("--dialect", "mysql", "V2__ext.sql", files={"V2__ext.sql": sql})
    assert code == 0  # a warning for the mobile, and nothing for the extension's number
    verdicts = [(line.split()[3], line.split()[2]) for line in out.splitlines()]
    assert verdicts == [("p.phone_no", "PIPL-51-ENCRYPT-DEIDENT")]
