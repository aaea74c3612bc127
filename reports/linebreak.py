"""Where the terminal report may break a line of Chinese, English or Tibetan text.

rich breaks a line only at spaces and cuts a longer run by cells, anywhere: at 80 columns a
Chinese report printed ``第44条（修正前第4`` / ``2条）``, ``PI`` / ``PL``, ``将于202`` / ``7年``
and lines opening with ``；`` or ``）``. Here a line breaks between *pieces*, whatever no rule
of line breaking joins, after UAX #14 and the Chinese rules of 禁则 (kinsoku), simplified:

- a run of Latin letters, digits and their punctuation (``PIPL``, ``35273-2020``,
  ``crm.db.main``, ``dpo@example.cn``) is never broken; spaces, the Tibetan tsheg and shad,
  and the gaps between CJK characters are where a line breaks;
- a number stays with the counter that follows it and ``第`` with the number after it
  (``第44条``, ``2027年``), and a half-width ``(`` with what precedes it (``第51条(三)``);
  an article label in Chinese numerals (``第四十四条``, ``第（三）项``), a title in
  book-title marks (``《网络安全法》``) and a short aside in brackets (``(已接受)``) are kept
  whole where a line has room for them;
- closing punctuation (``，。；：、）」』》`` …) never starts a line, opening brackets
  (``（「『【《`` …) never end one;
- a rule id may break after a hyphen before a letter (``PIPL-28-`` / ``SENSITIVE-``), where
  the caller asks for it: a path or a URL is not broken at its hyphens, so that grep finds it.

A piece wider than a whole line is cut finer: a label or title where 禁则 allows, then
between any two characters (a closing mark may then start a line), and by cells only within
one run of Latin text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, JustifyMethod, OverflowMethod
from rich.containers import Lines
from rich.measure import Measurement
from rich.text import Text

_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_TSHEG = "\u0f0b\u0f0d"
#: the smallest units: a space run, a tsheg or shad, one CJK character, a run of anything else
_ATOM = re.compile(rf"\s+|[{_TSHEG}]|[{_CJK}]|[^\s{_TSHEG}{_CJK}]+")
_NUMERALS = "0-9〇零一二三四五六七八九十百千万两"
#: what is kept whole where a line has room: a title in book-title marks, an article label,
#: a short aside in brackets
_WORD = re.compile(rf"《[^《》\s]{{1,24}}》|第[{_NUMERALS}]+[条款项章节编]"
                   rf"|第[（(][{_NUMERALS}]+[）)]项|[（(][^（）()\s]{{1,6}}[）)]|{_ATOM.pattern}")
#: a rule id's hyphen before a letter: ``PIPL-28-`` / ``SENSITIVE-PLAINTEXT``
_HYPHEN = re.compile(r"(?<=[A-Za-z0-9]-)(?=[A-Za-z])")
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: marks that close what precedes them: never at the start of a line (禁则)
CLOSING = frozenset("，。；：、！？）」』】》〉〕〗〙〛”’…‥·・ー々〆,.;:!?)]}%")
#: marks that open what follows them: never at the end of a line
OPENING = frozenset("（「『【《〈〔〖〘〚“‘([{")
#: where the summary line breaks: between its items, not between a number and its noun
_ITEMS = re.compile(r"(?<=[，；、])|(?<=, )|(?<=· )|(?<= )(?=\()|(?=（)")


def _atoms(text: str, hyphens: bool, words: bool = False) -> list[str]:
    atoms = (_WORD if words else _ATOM).findall(text)
    if not hyphens:
        return atoms
    return [part for atom in atoms for part in _HYPHEN.split(atom)]


def _joined(before: str, after: str) -> bool:
    """Whether no line may break between two neighbouring atoms."""
    if after[0] in CLOSING or after.isspace() or before[-1] in OPENING:
        return True
    if before.isspace() or before in _TSHEG:
        return False
    return ((before == "第" and after[0].isdigit())                    # 第 | 44条
            or (before[-1].isdigit() and bool(_IDEOGRAPH.match(after)))  # 2027 | 年
            or after[0] == "(")                                           # 第51条 | (三)


def pieces(text: str, *, hyphens: bool = False, words: bool = True) -> list[str]:
    """``text`` cut where a line may break; each piece keeps the spaces after it. ``words``:
    labels and titles whole (``第四十四条``, ``《网络安全法》``)."""
    out: list[str] = []
    previous = ""
    for atom in _atoms(text, hyphens, words):
        if out and _joined(previous, atom):
            out[-1] += atom
        else:
            out.append(atom)
        previous = atom
    return out


def items(text: str) -> list[str]:
    """A list-like line (the summary) cut between its items only: ``…，`` ``高 15，`` ``（…``."""
    return [part for part in _ITEMS.split(text) if part]


def narrowest(text: str, *, hyphens: bool = False) -> int:
    """The cells ``text`` needs to be broken only where it may: its widest piece, a label or
    title cut where kinsoku allows (Chinese may break within them, as it does in print)."""
    return max((cell_len(p.rstrip()) for line in text.splitlines()
                for p in pieces(line, hyphens=hyphens, words=False)), default=0)


def _finer(piece: str, hyphens: bool) -> list[str] | None:
    """A piece too wide for a line, cut one step finer: an item into pieces, a label or title
    where kinsoku allows, then into its atoms (kinsoku gives way before a character is cut)."""
    for parts in (pieces(piece, hyphens=hyphens), pieces(piece, hyphens=hyphens, words=False),
                  _atoms(piece, hyphens)):
        if len(parts) > 1:
            return parts
    return None


def breaks(text: str, width: int, rest: int | None = None, *, hyphens: bool = False,
           by_items: bool = False) -> list[int]:
    """The offsets in ``text`` (one line) where a new line starts when it is wrapped at
    ``width`` cells, and at ``rest`` cells after the first (a continuation indented by the
    caller). Leading spaces stay on the first line; a piece that does not fit a line of its own
    is cut finer, by cells at last."""
    queue: list[str] = list(reversed(items(text) if by_items else pieces(text, hyphens=hyphens)))
    offsets: list[int] = []
    limit, used, position, started = max(width, 1), 0, 0, False
    while queue:
        piece = queue.pop()
        cells = cell_len(piece.rstrip())
        if used + cells <= limit:
            used, position = used + cells + len(piece) - len(piece.rstrip()), position + len(
                piece)
            started = started or not piece.isspace()
            continue
        if started and (cells <= max(rest or width, 1) or used >= limit):
            # the line so far is whole: the piece starts the next (one wider than any line
            # starts here, and is cut finer, rather than leave this line short)
            offsets.append(position)
            limit, used, started = max(rest or width, 1), 0, False
            queue.append(piece)
            continue
        parts = _finer(piece, hyphens)
        if parts is None:  # one run of Latin text, or one character, wider than the line
            head = chop_cells(piece, max(limit - used, 1))[0] or piece[0]  # [0]: a wide
            # character in one cell, printed and cropped by the caller
            used, position, started = limit, position + len(head), True
            if len(head) < len(piece):
                queue.append(piece[len(head):])
            continue
        queue.extend(reversed(parts))
    return offsets


def wrap(text: str, width: int, indent: str = "", *, by_items: bool = False) -> list[str]:
    """``text`` as lines of at most ``width`` cells, each after the first led by ``indent``
    (dropped when it would leave no room), without the spaces at a break."""
    if cell_len(indent) >= width:
        indent = ""
    first, *rest = _cut(text, breaks(text, width, width - cell_len(indent), by_items=by_items))
    return [first.rstrip(), *(indent + line.strip() for line in rest)]


def _cut(text: str, offsets: Iterable[int]) -> list[str]:
    bounds = [0, *offsets, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


class BreakingText(Text):
    """A rich ``Text`` that wraps where ``breaks`` says, not at spaces alone, and measures the
    narrowest width it can take as its widest piece (a table column is then not given less)."""

    def __init__(self, text: str = "", style: str = "", *, hyphens: bool = False,
                 by_items: bool = False) -> None:
        super().__init__(text, style=style)
        self.hyphens, self.by_items = hyphens, by_items
        self.least = 0  # the cells a table's caller wants its column to have, if any

    def lines(self, width: int) -> Lines:
        """The text cut at ``width`` cells, each line without the spaces at its break."""
        lines = Lines()
        for line in self.split(allow_blank=True):
            for part in line.divide(breaks(line.plain, width, hyphens=self.hyphens,
                                           by_items=self.by_items)):
                part.rstrip()
                lines.append(part)
        return lines

    def wrap(self, console: Console, width: int, *, justify: JustifyMethod | None = None,
             overflow: OverflowMethod | None = None, tab_size: int = 8,
             no_wrap: bool | None = None) -> Lines:
        """As rich's, with this module's breaks; not wrapped where rich would not wrap."""
        if (self.no_wrap if no_wrap is None else no_wrap) or overflow == "ignore" or (
                "\t" in self.plain):
            return super().wrap(console, width, justify=justify, overflow=overflow,
                                tab_size=tab_size, no_wrap=no_wrap)
        lines = self.lines(width)
        lines.justify(console, width, justify=justify or self.justify or "default",
                      overflow=overflow or self.overflow or "fold")
        for line in lines:
            line.truncate(width, overflow=overflow or self.overflow or "fold")
        return lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_len(line) for line in self.plain.splitlines()), default=0)
        return Measurement(min(narrowest(self.plain, hyphens=self.hyphens), widest), widest)
