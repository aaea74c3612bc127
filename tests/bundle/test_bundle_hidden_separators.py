"""QA Q2 B4: a resident ID written 6-8-4 with a no-break space, a tab, a line feed, an
ideographic space, a zero-width or other invisible format character, a soft hyphen, or a dot,
underscore or slash between its groups passed ``samples-masked`` (a plain space or a hyphen
did not). The shared masker (``pia.masking.shaped_identifiers``) now reads them all as a
space; dates, versions, IP addresses and timestamps stay readable."""

from __future__ import annotations

import copy

import pytest
from bundle_helpers import resign, run_cli
from qa2_scan import RAW_CARD, RAW_ID, RAW_MOBILE

from pia.bundle import load_private_key
from pia.bundle.create import REPORT
from pia.masking import mask_text, shaped_identifiers
from pia.report import dumps

SEPARATORS = {"nbsp": "\u00a0", "tab": "\t", "lf": "\n", "ideographic": "\u3000",
              "zwsp": "\u200b", "zwnj": "\u200c", "word-joiner": "\u2060", "bom": "\ufeff",
              "soft-hyphen": "\u00ad", "dot": ".", "underscore": "_", "slash": "/"}


def _split(value: str, groups: tuple[int, ...], sep: str) -> str:
    out, at = [], 0
    for size in groups:
        out.append(value[at:at + size])
        at += size
    return sep.join(out)


@pytest.mark.parametrize("sep", SEPARATORS)
def test_an_id_split_by_it_fails_verify(scanned, capsys, tmp_path, sep):
    report = copy.deepcopy(scanned["report"])
    written = _split(RAW_ID, (6, 8, 4), SEPARATORS[sep])
    report["facts"][0]["attributes"]["data_type"] = "TEXT " + written
    key = load_private_key(scanned["key_path"])
    path = tmp_path / "b.zip"
    path.write_bytes(resign(scanned["bundle"], key, {REPORT: dumps(report).encode()}))
    code, out, err = run_cli(["bundle", "verify", str(path), "--pubkey",
                              str(scanned["pub_path"]), "--lang", "en"], capsys)
    assert code == 1 and "FAILED  samples-masked: facts[0].attributes.data_type holds a " \
        "CN_RESIDENT_ID" in out, out
    assert "(masked: 1" in out and written not in out + err and RAW_ID not in out + err


@pytest.mark.parametrize("sep", SEPARATORS)
def test_the_masker_hides_ids_mobiles_and_cards_so_split(sep):
    s = SEPARATORS[sep]
    for value, groups in ((RAW_ID, (6, 8, 4)), (RAW_ID, (6, 4, 2, 2, 4)),
                          (RAW_MOBILE, (3, 4, 4)), (RAW_CARD, (4, 4, 4, 4, 3))):
        text = f"联系 {_split(value, groups, s)} 谢谢"
        masked = mask_text(text, [])
        assert shaped_identifiers(text), (value, groups)
        visible = "".join(c for c in masked if c.isdigit())
        assert "*" in masked and value not in visible and len(visible) <= 8, masked
        assert masked.startswith("联系 ") and masked.endswith(" 谢谢")


@pytest.mark.parametrize("text", ["2024.01.01 12:00:00", "2024/12/01", "192.168.100.200",
                                  "10.0.0.1/24", "v1.2.3", "1.20.300.4000", "2026-12-01T03:38:55Z",
                                  "ts=1733023135.123456", "size_13800138000 bytes",
                                  "20240101_123000_123", "build 2024.1201.1530.12"])
def test_dates_versions_addresses_and_timestamps_stay_readable(text):
    assert shaped_identifiers(text) == [] and mask_text(text, []) == text
