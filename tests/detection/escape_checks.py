"""The check the escape tests share: text written with escapes is analysed as the plain
text it stands for."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from pia.detection.engine import DetectionEngine
from pia.detection.normalize import decode_escapes, decoded


def assert_found_as_in_plain(engine: DetectionEngine, reference: DetectionEngine,
                             lines: list[str], written: list[str]) -> None:
    """``written`` (``lines`` with escapes) decodes to ``lines`` and gives the same types,
    scores and decoded values; the Hyperscan path equals the plain ``re`` ``reference``."""
    assert [decoded(line) for line in written] == lines
    plain = engine.analyze_lines(lines)
    found = engine.analyze_lines(written)
    assert [[(m.entity_type, m.score, decoded(line[m.start:m.end])) for m in ms]
            for line, ms in zip(written, found, strict=True)] == [
        [(m.entity_type, m.score, line[m.start:m.end]) for m in ms]
        for line, ms in zip(lines, plain, strict=True)]
    if engine.uses_prefilter:
        assert found == reference.analyze_lines(written)


def assert_decodes(text: str, want: str) -> None:
    """``text`` decodes to ``want``, each decoded character's span in ``text`` being the
    character itself or one whole escape of it; text with nothing to decode comes back as
    it is, without an offset table."""
    out, escapes = decode_escapes(text)
    assert out == want
    if out == text:
        assert escapes is None
        return
    assert escapes is not None
    offsets = escapes.to_original(np.arange(len(out) + 1))
    assert offsets[-1] == len(text)
    for i, ch in enumerate(out):
        piece = text[offsets[i]:offsets[i + 1]]
        # a query string's spaces decode beside an escaped character only, its hyphens
        # between digits only
        assert piece == ch or (piece[0] in "\\%" and decoded(piece) == ch) or (
            ch == " " and piece in ("+", "%20")) or (ch == "-" and piece in ("%2D", "%2d"))
    assert escapes.to_decoded(offsets).tolist() == list(range(len(out) + 1))


def lines_and_choices(pieces: list[str]) -> tuple[st.SearchStrategy, st.SearchStrategy]:
    """Hypothesis strategies: lines made of ``pieces``, and which characters to escape."""
    return (st.lists(st.lists(st.sampled_from(pieces), max_size=10).map("".join), min_size=1,
                     max_size=20),
            st.lists(st.booleans(), min_size=1, max_size=7))
