"""``samples-masked`` reads a report's free text in one engine call, not one per string: a
report holds thousands of strings (every finding's wording, every comment and reason). The
texts' lines are analysed together with ``analyze_lines``, and what each text holds must be
what ``analyze`` finds in it alone, multi-line texts included."""

from __future__ import annotations

import pytest
from bundle_fixture import RAW_VALUES

from pia.bundle.masked import TEXT_IDENTIFIERS, check, identifiers_of, masked_text
from pia.bundle.safezip import Refused
from pia.detection.engine import DetectionEngine, default_engine
from pia.masking import shaped_identifiers
from pia.report import new_report

RAW_ID, OTHER_ID = RAW_VALUES["CN_RESIDENT_ID"]
RAW_MOBILE, OTHER_MOBILE = RAW_VALUES["CN_MOBILE"]
ESCAPED_MOBILE = "".join(f"\\u{ord(ch):04x}" for ch in RAW_MOBILE)

TEXTS = [
    f"客户身份证 {RAW_ID} 手机 {RAW_MOBILE}",
    "",
    "\n",
    "\n\n\n",
    f"第一行没有\n身份证号：{RAW_ID}\n手机：{RAW_MOBILE}，备用 {OTHER_MOBILE}",
    f"身份证号\n{OTHER_ID}",  # the context word on the line before
    f"\n{RAW_MOBILE}\n",
    f"{RAW_MOBILE[:6]}\n{RAW_MOBILE[6:]}",  # split by a newline: no mobile on either line
    RAW_ID[:9],  # the next text goes on with the rest: never read as one
    RAW_ID[9:],
    f"windows line\r\ncall {RAW_MOBILE}\r\nid {RAW_ID}\r\n",
    f'{{"phone": "{ESCAPED_MOBILE}"}}\n{{"id": "{RAW_ID}"}}',  # JSON escapes, decoded
    "信用卡号：4111111111111111\npassport E12345678 permit C12345678",
    "Contact 13812345678 for a refund",
    "\n".join(f"line {n}: order {n * 7919} shipped" for n in range(200))
    + f"\nlast line {OTHER_MOBILE}",
    "没有任何标识符的说明文字。\nNo identifier here either.",
    f"  {RAW_ID}  \n\t{RAW_MOBILE}\t",
]


def _alone(text: str) -> list[tuple[str, int, int]]:
    """What the check found before it batched: the engine over the one text, and what has
    an identifier's shape in it (``permit C12345678`` is one, though no engine's context
    word labels it)."""
    found = [(m.entity_type, m.start, m.end) for m in default_engine().analyze(text)
             if m.entity_type in TEXT_IDENTIFIERS]
    shaped = [f for f in shaped_identifiers(text) if f[0] in TEXT_IDENTIFIERS]
    return sorted({*found, *shaped}, key=lambda f: (f[1], -f[2]))


def test_batched_texts_hold_what_each_holds_alone() -> None:
    batched = identifiers_of(TEXTS)
    assert batched == [_alone(text) for text in TEXTS]
    # the proof reads matches past a text's first line and texts with none
    assert any(start > text.find("\n") >= 0 for text, found in zip(TEXTS, batched, strict=True)
               for _, start, _ in found)
    assert [] in batched and sum(map(len, batched)) >= 12
    # each text on its own, and masked_text, see the same
    assert [identifiers_of([text])[0] for text in TEXTS] == batched
    assert RAW_MOBILE not in masked_text(TEXTS[4]) and RAW_ID not in masked_text(TEXTS[10])


def test_no_texts_cost_no_engine_call() -> None:
    assert identifiers_of([]) == []


def test_a_report_s_free_text_costs_one_engine_call(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"analyze": 0, "analyze_lines": 0}
    for name in calls:
        original = getattr(DetectionEngine, name)

        def counted(self, *args, _original=original, _name=name):
            calls[_name] += 1
            return _original(self, *args)

        monkeypatch.setattr(DetectionEngine, name, counted)
    report = new_report(["/var/log/app"], {}, started="2026-01-01T00:00:00Z")
    for n in range(60):
        report["skipped"].append({"source": "/var/log/app", "location": {"path": f"/{n}.log"},
                                  "reason": f"permission denied\nretry {n} failed"})
    report["skipped"].append({"source": "/var/log/app", "location": {"path": "/x.log"},
                              "reason": f"read error\nnear {RAW_MOBILE} / {RAW_ID}"})
    report["not_evaluated"].append({"rule_id": "CSL-21-LOG-RETENTION", "reason": RAW_ID})
    with pytest.raises(Refused) as refused:
        check(report)
    assert calls == {"analyze": 0, "analyze_lines": 1}
    # the first text holding one, and in it the first one, as text by text
    assert "not_evaluated[0].reason holds a CN_RESIDENT_ID" in str(refused.value)  # first in
    # the document: every string of it is read in order, not a list of fields
    assert RAW_MOBILE not in str(refused.value) and RAW_ID not in str(refused.value)
