"""A file or object named by a number written in full-width (or Tibetan, Devanagari) digits
holds the same person's number as one named in ASCII digits: its name item has that number's
mask and fingerprint, which the same number read from content also gets, so the one person
matches across places and reports (QA: ``fw/１３８１２３４５６７８.txt`` gave ``samples: ['']``
and another fingerprint, and a resident ID so written no item at all)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pia.connectors.name_items import NamedPlaces, name_values
from pia.masking import Fingerprinter, canonical, mask
from pia.report import validation_errors

MOBILE = "13812345678"
ID = "110101199003071233"  # its check digit holds
CARD = "6222021234567890128"  # passes Luhn
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
TIBETAN = str.maketrans("0123456789", "༠༡༢༣༤༥༦༧༨༩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
PRINTS = Fingerprinter(b"k" * 32)


@pytest.mark.parametrize("script", [FULL_WIDTH, TIBETAN, DEVANAGARI],
                         ids=["full-width", "tibetan", "devanagari"])
@pytest.mark.parametrize(("entity", "number"), [("CN_MOBILE", MOBILE),
                                                ("CN_RESIDENT_ID", ID),
                                                ("CN_BANK_CARD", CARD)])
def test_a_number_in_a_name_is_read_in_ascii_digits(script, entity, number) -> None:
    name = f"u/{number.translate(script)}.txt"
    assert name_values(name) == {entity: [number]}
    places = NamedPlaces(PRINTS)  # the S3 connector's keys and archive members go here
    places.add(name, lambda place: {"bucket": "b", "key": place})
    [item] = places.items("s3://b")
    assert item["evidence"] == {"samples": [mask(entity, number)],
                                "fingerprints": [PRINTS(entity, number)]}


@pytest.mark.parametrize("digits", ["१३८१२३४५६७८", "١٣٨١٢٣٤٥٦٧٨", "༡༣༨༡༢༣༤༥༦༧༨"])
def test_a_number_in_any_script_is_fingerprinted_as_its_ascii_digits(digits) -> None:
    assert canonical("CN_MOBILE", digits) == MOBILE
    assert PRINTS("CN_MOBILE", digits) == PRINTS("CN_MOBILE", MOBILE)


def test_a_full_width_name_matches_the_same_number_in_content(tmp_path: Path,
                                                              pia_scan) -> None:
    folder = tmp_path / "fw"
    folder.mkdir()
    (folder / f"{MOBILE.translate(FULL_WIDTH)}.txt").write_text("hello\n", encoding="utf-8")
    (folder / f"{ID.translate(FULL_WIDTH)}.txt").write_text("hello\n", encoding="utf-8")
    (folder / "ascii.txt").write_text(f"tel {MOBILE}\n", encoding="utf-8")
    (folder / "wide.txt").write_text(f"tel {MOBILE.translate(FULL_WIDTH)}\n", encoding="utf-8")
    _code, _rules, report = pia_scan(folder)
    assert validation_errors(report) == []
    text = (tmp_path / "fw.report.json").read_text(encoding="utf-8")
    for raw in (MOBILE, ID):  # the names shown hide the number, as ASCII or as written
        assert raw not in text and raw.translate(FULL_WIDTH) not in text
    items = {(i["location"]["path"], i["entity_type"]): i["evidence"]
             for i in report["inventory"]}
    content = PRINTS("CN_MOBILE", MOBILE)
    assert items[("fw/ascii.txt", "CN_MOBILE")]["fingerprints"] == [content]
    assert items[("fw/wide.txt", "CN_MOBILE")]["fingerprints"] == [content]
    assert items[("fw/138****5678.txt", "CN_MOBILE")] == {"samples": ["138****5678"],
                                                           "fingerprints": [content]}
    assert items[("fw/1101**********1233.txt", "CN_RESIDENT_ID")] == {
        "samples": ["1101**********1233"], "fingerprints": [PRINTS("CN_RESIDENT_ID", ID)]}
