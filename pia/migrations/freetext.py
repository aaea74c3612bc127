"""Identifiers pia writes that a migration's author chose: a table or column name, a
``pia:ignore`` reason. They are not values, but they can hold one (QA: ``"kyc_13912345678"``,
``-- pia:ignore ... test fixture for 320102199003071239``), and pia, which finds such a
value in the same file and masks it there, must not print it raw beside that finding.

What is masked is what ``literals.UNREAD`` finds anywhere in a file (a resident ID or a card
with a valid check digit, a mobile number, an email address), masked as ``pia.masking.mask``
masks a literal, so one value reads the same in every place pia names it; and, as in any
text ``mask_text`` masks, what has an ID's, card's or mobile's shape whatever its check digit
(``pia.masking.shaped_identifiers``: ``kyc_440301198801011235`` is a person's ID all the same).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pia.masking import mask_text, shaped_identifiers

#: what every value ``masked`` masks has: eleven digits (single separators allowed) or an
#: ``@`` — a name or a reason without either never loads the engine
_MAY_HOLD = re.compile(r"\d(?:[ .\-_]?\d){10,}|@")


def masked(text: str) -> str:
    """``text`` with every resident ID, card or mobile number and email address in it
    masked; most names hold none and are returned as they are, at the cost of a regex."""
    if not text or not _MAY_HOLD.search(text):
        return text
    return _masked(text)


@lru_cache(maxsize=4096)  # a seed file names one column a hundred thousand times
def _masked(text: str) -> str:
    return mask_text(text, _found(text))


def held_values(text: str) -> list[tuple[str, int, int]]:
    """The values ``masked`` masks in ``text``, as (entity type, start, end), in order and
    not overlapping: what the engine finds and what has an identifier's shape whatever its
    check digit (an ID typed with a wrong one, a mobile with ``86`` glued on). A reason
    that holds one is a value written into the repository (``ignores``), reported as
    such, and not only when the engine would have found it."""
    if not text or not _MAY_HOLD.search(text):
        return []
    out: list[tuple[str, int, int]] = []
    for entity, start, end in sorted({*_found(text), *shaped_identifiers(text)},
                                     key=lambda f: (f[1], -f[2])):
        if not out or start >= out[-1][2]:
            out.append((entity, start, end))
    return out


def _found(text: str) -> list[tuple[str, int, int]]:
    """What the engine finds in ``text`` that ``literals.UNREAD`` counts anywhere."""
    # imported here: the engine loads Presidio, and literals imports finding, which uses this
    from pia.detection.engine import default_engine
    from pia.migrations.literals import MIN_LITERAL_SCORE, UNREAD

    # a name's parts are joined by "_": read them apart, as a person does (sfzh_4403...)
    spaced = text.replace("_", " ")
    return [(m.entity_type, m.start, m.end) for m in default_engine().analyze(spaced)
            if m.entity_type in UNREAD and m.score >= MIN_LITERAL_SCORE]
