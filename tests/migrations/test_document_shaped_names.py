"""check-migrations masked a name or a ``pia:ignore`` reason only when it held eleven digits
or more, so a table named with a passport's number (``kyc_E12345678``) or a reason quoting a
permit to Hong Kong and Macao was printed raw in every format, although ``pia.masking``
masks both shapes in any other free text. A name whose letter and digits start with a date
(a build's or a backup's, ``T20241201_backup``) stays readable."""

from __future__ import annotations

import json

PASSPORT = "E12345678"
PERMIT = "C87654321"
FORMATS = ("text", "json", "sarif", "github")
FILES = {"V1__kyc.sql": f'CREATE TABLE "kyc_{PASSPORT}" (sfzh text);\n'
                        'CREATE TABLE "t20241201_backup" (sfzh text);\n'
                        'CREATE TABLE "T20241201_backup" (sfzh text);\n'
                        "ALTER TABLE y ADD COLUMN id_card text; -- pia:ignore "
                        f"PIPL-28-SENSITIVE-PLAINTEXT fixture copied from permit {PERMIT}\n"}


def test_travel_documents_in_names_and_reasons_are_masked_in_every_format(pia_check) -> None:
    for fmt in FORMATS:
        code, out, err = pia_check("-f", fmt, "V1__kyc.sql", files=FILES)
        assert code == 1
        for raw in (PASSPORT, PERMIT):
            assert raw not in out and raw not in err, (fmt, raw)
        assert "kyc_E********" in out, fmt


def test_a_dated_name_stays_readable_and_a_reason_quoting_a_permit_accepts_nothing(
        pia_check) -> None:
    _code, out, _err = pia_check("-f", "json", "V1__kyc.sql", files=FILES)
    findings = json.loads(out)["findings"]
    tables = {f["table"] for f in findings if f["column"] == "sfzh"}
    assert tables == {"kyc_E********", "t20241201_backup", "T20241201_backup"}
    # the permit is a value written into the repository: reported, and the column stays open
    (id_card,) = [f for f in findings if f["column"] == "id_card"]
    assert id_card["status"] == "open"
    assert any(f["kind"].startswith("CN_HK_MACAO_PERMIT") for f in findings)
