"""Character normalisation that never moves an offset.

Chinese input methods produce full-width digits and letters (``１３８…``), Tibetan text uses
Tibetan digits (``༡༣༨…``) and full-width punctuation (``（+86）``, ``－``). Every mapping here
is one code point to one code point, so a match found in the normalised text has exactly the
same offsets in the original: no offset table is needed, and the cost is one ``str.translate``
only for texts that contain such characters at all.
"""

from __future__ import annotations

import re

_TABLE: dict[int, int] = {}
_TABLE.update({cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)})  # full-width ASCII block
_TABLE[0x3000] = 0x20  # ideographic space
_TABLE.update({0x0F20 + i: 0x30 + i for i in range(10)})  # Tibetan digits ༠-༩
_TABLE.update({0x2010: 0x2D, 0x2011: 0x2D, 0x2012: 0x2D, 0x2013: 0x2D, 0x2212: 0x2D})  # dashes
_TABLE[0x3002] = 0x2E  # ideographic full stop inside emails/IPs: 。

_NEEDS = re.compile("[\uff01-\uff5e\u3000\u0f20-\u0f29\u2010-\u2013\u2212\u3002]+")


def _translate_run(match: re.Match[str]) -> str:
    return match.group().translate(_TABLE)


def normalize(text: str) -> str:
    """Return ``text`` with full-width, Tibetan-digit and dash variants mapped to ASCII.

    ``len(normalize(t)) == len(t)`` always holds. Only runs of such characters are
    translated: ``str.translate`` over a whole buffer costs about 80 ns per character.
    """
    if _NEEDS.search(text) is None:
        return text
    return _NEEDS.sub(_translate_run, text)
