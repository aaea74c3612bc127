"""How a terminal table too wide for its terminal shares the width out among its columns.

rich narrows the widest columns to one level, whatever they hold: at 80 columns it gave a
column of "严重" and "高" as many cells as the legal basis beside it, whose law titles were then
cut (``《个人信息保护`` / ``法》``), and a finding's title 9 to 11 cells. Here each text column
gets at least its widest piece (``linebreak``), its heading and what its cells ask for
(``BreakingText.least``: a finding's title), a short label (a severity) whole where it takes
little room, and the rest goes where it saves the most lines, unless rich's level way draws
no more lines. The widths are then fixed on the columns, and rich draws the table as ever.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from rich.cells import cell_len
from rich.table import Table

from pia.reports.linebreak import breaks, narrowest

#: above this many rows, rich's level way alone: weighing each cell's place costs a pass over
#: every row (an accepted-risks table of thousands of rows took seconds)
WEIGHED_ROWS = 100


@functools.lru_cache(maxsize=65536)
def _lines(text: str, hyphens: bool, cells: int) -> int:
    return sum(len(breaks(line, cells, hyphens=hyphens)) + 1
               for line in text.splitlines() or [""])


class _Shares:
    """A table's columns as texts, with the lines each cell takes at a given width."""

    def __init__(self, table: Table, room: int, word_cap: int) -> None:
        columns = table.columns
        self.cells = [[(str(c), bool(getattr(c, "hyphens", False))) for c in
                       [column.header, *column.cells]] for column in columns]
        self.room = room
        self.natural = [max(max((cell_len(line) for line in text.splitlines()), default=0)
                            for text, _ in cells) for cells in self.cells]
        self.free = [n for n, c in enumerate(columns) if not c.no_wrap and c.justify != "right"]
        self.least = [
            min(self.natural[n], max([
                cell_len(str(columns[n].header)),
                *(max(min(word_cap, narrowest(str(c), hyphens=bool(getattr(c, "hyphens", 0)))),
                      getattr(c, "least", 0)) for c in columns[n].cells)]))
            if n in self.free else self.natural[n] for n in range(len(columns))]

    def lines(self, n: int, row: int, cells: int) -> int:
        return _lines(*self.cells[n][row], cells)

    def height(self, widths: list[int]) -> int:
        return sum(max(self.lines(n, row, widths[n]) for n in range(len(widths)))
                   for row in range(len(self.cells[0])))

    def level(self, widths: list[int]) -> list[int]:
        """rich's way: the narrowest column not yet whole gets the next cell."""
        while sum(widths) < self.room and (
                wanting := [n for n in self.free if widths[n] < self.natural[n]]):
            widths[min(wanting, key=lambda n: widths[n])] += 1
        return widths

    def _shorter(self, n: int, row: int, cells: int) -> int | None:
        """The fewest cells with which column ``n`` draws ``row`` in fewer lines."""
        now = self.lines(n, row, cells)
        return next((more for more in range(cells + 1, self.natural[n] + 1)
                     if self.lines(n, row, more) < now), None)

    def _moves(self, widths: list[int]) -> Iterator[tuple[int, ...]]:
        """Per row, the widths that draw it a line shorter: every column at its height
        widened (a severity and a legal basis of two lines each: both, or neither saves)."""
        for row in range(len(self.cells[0])):
            tall = max(self.lines(n, row, widths[n]) for n in range(len(widths)))
            trial = list(widths)
            for n in range(len(widths)):
                if self.lines(n, row, widths[n]) == tall:
                    more = self._shorter(n, row, widths[n]) if n in self.free else None
                    if more is None:
                        break
                    trial[n] = more
            else:
                if sum(trial) <= self.room:
                    yield tuple(trial)

    def shortest(self, widths: list[int]) -> list[int]:
        """The cells where they save the most lines each; rich's way while none saves any."""
        while self.room > sum(widths):
            now = self.height(widths)
            options = []
            for trial in set(self._moves(widths)):
                saved, more = now - self.height(list(trial)), sum(trial) - sum(widths)
                if saved > 0:
                    options.append((saved / more, -more, trial))
            if options:
                widths = list(max(options)[2])
                continue
            wanting = [n for n in self.free if widths[n] < self.natural[n]]
            if not wanting:
                break
            widths[min(wanting, key=lambda n: widths[n])] += 1
        return widths


def allot(table: Table, width: int, word_cap: int) -> None:
    """Fix the widths of the columns of ``table`` when it is wider than ``width``; leave it
    to rich (and the caller to list it) when even the least each column needs is too wide.
    ``word_cap``: a piece wider than this may be cut (a long source name)."""
    room = width - table._extra_width - sum(table._get_padding_width(c._index)
                                            for c in table.columns)
    shares = _Shares(table, room, word_cap)
    least, natural = shares.least, shares.natural
    if sum(natural) <= room or sum(least) > room or not shares.free:
        return
    # a short label (a severity "严重 ↑ 未成年人数据", a date) whole where it takes no more
    # than a fifth of the room: cut, it reads worse than a long text a line longer
    for n in sorted(shares.free, key=lambda n: natural[n]):
        if least[n] < natural[n] <= room // 5 and sum(least) + natural[n] - least[n] <= room:
            least[n] = natural[n]
    widths = shares.level(list(least))
    if len(table.rows) <= WEIGHED_ROWS:
        widths = min(widths, shares.shortest(list(least)), key=shares.height)
    for column, cells in zip(table.columns, widths, strict=True):
        column.width = cells

