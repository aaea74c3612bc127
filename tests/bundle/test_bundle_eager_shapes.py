"""``samples-masked`` and a resident ID glued to hex letters: a digest is no one's, but an ID
whose check digit holds between its letters was put there (``a3f110105199003071239bc``),
and it passed the check in free text, in a digest's place and in the domain an email's mask
keeps. Digests of random data, thousands of them, still pass; as does an ID-shaped run whose
check digit fails, the digits of a digest as before. A landline is masked wherever pia writes
text, but one in free text is not refused: a ruleset may give its DPO's office number."""

from __future__ import annotations

import hashlib
import random
from typing import Any

import pytest

from pia.bundle.masked import check, masked_text
from pia.bundle.safezip import Refused
from pia.detection.checksums import mod11_2_check_char
from pia.report import new_report

BODY = "11010519900307123"
CHECKED_ID = BODY + mod11_2_check_char(BODY)
UNCHECKED_ID = BODY + str((int(mod11_2_check_char(BODY).replace("X", "0")) + 1) % 10)
GLUED = f"a3f{CHECKED_ID}bc"


def _report() -> dict[str, Any]:
    return new_report(["sqlite:///shop.db"], {}, started="2026-12-01T00:00:00Z")


def _with_email_sample(sample: str) -> dict[str, Any]:
    report = _report()
    report["inventory"].append({
        "entity_type": "EMAIL_ADDRESS", "source": "sqlite:///shop.db",
        "location": {"table": "customers", "column": "email"},
        "evidence": {"samples": [sample], "fingerprints": []}})
    return report


def _refusal(report: dict[str, Any]) -> str:
    with pytest.raises(Refused) as refused:
        check(report)
    message = str(refused.value)
    assert CHECKED_ID not in message
    return message


def test_an_email_mask_keeping_a_glued_id_in_its_domain_is_refused() -> None:
    assert check(_with_email_sample("x***@example.com")) == "1 samples masked"
    message = _refusal(_with_email_sample(f"x***@{GLUED}.com"))
    assert "inventory[0] (EMAIL_ADDRESS at" in message
    assert "evidence.samples[0] holds a CN_RESIDENT_ID (masked: x***@a3f1101**********" \
        in message


def test_a_glued_id_in_free_text_is_refused() -> None:
    report = _report()
    report["skipped"].append({"source": "sqlite:///shop.db", "location": {"table": "t"},
                              "reason": f"checksum {GLUED} did not match"})
    assert "skipped[0].reason holds a CN_RESIDENT_ID" in _refusal(report)


def test_a_digest_holding_a_checked_id_between_its_letters_is_refused() -> None:
    report = _report()
    report["facts"].append({"kind": "file", "source": "/data", "location": {"path": "/data/a"},
                            "attributes": {"sha256": ("ab" + CHECKED_ID).ljust(64, "c")}})
    assert "facts[0].attributes.sha256 holds between its hex letters a resident ID whose " \
        "check digit holds" in _refusal(report)


def test_digests_of_random_data_and_unchecked_runs_pass() -> None:
    rng = random.Random(2026)
    digests = [hashlib.sha256(rng.randbytes(32)).hexdigest() for _ in range(3000)]
    report = _report()
    report["facts"].append({"kind": "file", "source": "/data", "location": {"path": "/data/a"},
                            "attributes": {"sha256": digests,  # as pia writes them
                                           "upper": [d.upper() for d in digests[:1000]],
                                           "note": f"sha256 a3f{UNCHECKED_ID}bc"}})
    report["inventory"].append({
        "entity_type": "EMAIL_ADDRESS", "source": "sqlite:///shop.db",
        "location": {"table": "customers", "column": "email"},
        "evidence": {"samples": [f"x***@{d[:40]}.com" for d in digests[:500]],
                     "fingerprints": ["hmac-sha256:" + d[:32] for d in digests]}})
    assert check(report) == "500 samples masked"


def test_a_landline_in_free_text_is_masked_but_not_refused() -> None:
    report = _report()
    reason = "contact the DPO at 010-62345678 or E12345678"
    report["not_evaluated"].append({"rule_id": "PIPL-52-DPO", "reason": reason})
    assert "not_evaluated[0].reason holds a CN_PASSPORT (masked: " in _refusal(report)
    report["not_evaluated"][0]["reason"] = reason.replace(" or E12345678", "")
    assert check(report) == "0 samples masked"
    assert masked_text(reason) == "contact the DPO at 010******78 or E********"
