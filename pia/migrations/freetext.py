"""Identifiers pia writes that a migration's author chose: a table or column name, a
``pia:ignore`` reason. They are not values, but they can hold one (QA: ``"kyc_13912345678"``,
``-- pia:ignore ... test fixture for 320102199003071239``), and pia, which finds such a
value in the same file and masks it there, must not print it raw beside that finding.

What is masked is what ``literals.UNREAD`` finds anywhere in a file (a resident ID or a card
with a valid check digit, a mobile number, an email address), masked as ``pia.masking.mask``
masks a literal, so one value reads the same in every place pia names it; and, as in any
text ``mask_text`` masks, what has an ID's, card's or mobile's shape whatever its check digit
(``pia.masking.shaped_identifiers``: ``kyc_440301198801011235`` is a person's ID all the same,
``kyc_E12345678`` a passport's number, ``C87654321`` in a reason a permit's, ``010-62345678``
a landline). Those shapes are asked of every name, not only of one with eleven digits: a
passport's number has eight, and was printed raw (``T20241201_backup``, a date, stays).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pia.masking import mask_text, shaped_identifiers

#: what every value the engine is asked for here has: eleven digits (single separators
#: allowed) or an ``@``. A name or a reason without either never loads the engine; what has
#: an identifier's shape with fewer digits (a passport, a permit, a landline) is still
#: ``shaped_identifiers``', which load nothing for a text without seven digits
_ENGINE_MAY_FIND = re.compile(r"\d(?:[ .\-_]?\d){10,}|@")


def masked(text: str) -> str:
    """``text`` with every value ``held_values`` finds in it masked (a resident ID, card,
    mobile or landline number, email address, passport's or permit's number); most names
    hold none and are returned as they are."""
    if not text:
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
    if not text:
        return []
    out: list[tuple[str, int, int]] = []
    for entity, start, end in sorted({*_found(text), *shaped_identifiers(text)},
                                     key=lambda f: (f[1], -f[2])):
        if not out or start >= out[-1][2]:
            out.append((entity, start, end))
    return out


def _found(text: str) -> list[tuple[str, int, int]]:
    """What the engine finds in ``text`` that ``literals.UNREAD`` counts anywhere."""
    if not _ENGINE_MAY_FIND.search(text):
        return []
    # imported here: the engine loads Presidio, and literals imports finding, which uses this
    from pia.detection.engine import default_engine
    from pia.migrations.literals import MIN_LITERAL_SCORE, UNREAD

    # a name's parts are joined by "_": read them apart, as a person does (sfzh_4403...)
    spaced = text.replace("_", " ")
    return [(m.entity_type, m.start, m.end) for m in default_engine().analyze(spaced)
            if m.entity_type in UNREAD and m.score >= MIN_LITERAL_SCORE]
