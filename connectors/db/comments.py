"""A column comment as a report may show it: the examples written in it masked.

Comments are the schema's documentation, and schema writers illustrate them with real-looking
values (``手机号，如 13812345678``, ``姓名 如 张三``): the report quotes the comment, never the
value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pia.connectors.base import ScanContext
from pia.connectors.db.stats import looks_like_name
from pia.detection.metadata import classify_column
from pia.masking import mask_text


def masked_comment(comment: str | None, ctx: ScanContext, names: bool = False) -> str | None:
    """A column comment as a report may show it: a value given as an example in it
    (``手机号，如 13812345678``) masked like any other; in the comment of a column of names,
    the name-shaped words too (``姓名 如 张三``, ``客户姓名，示例：王小明``), which the engine
    sees only after a label such as 联系人."""
    if not comment:
        return comment
    found = [(m.entity_type, m.start, m.end) for m in ctx.engine.analyze(comment)]
    if names:
        found += [("CN_NAME", start, end) for start, end in _example_names(comment)]
    return mask_text(comment, found)


#: words that introduce an example in a comment
_EXAMPLE = re.compile(r"例如|比如|譬如|示例|举例|样例|例子|如|例")
_HAN_RUN = re.compile("[\u4e00-\u9fff]+")


def _example_names(comment: str) -> Iterator[tuple[int, int]]:
    """Spans of the name-shaped words of a comment: a whole Han word (between punctuation,
    spaces or example words) that has a name's shape and names no column kind, or the
    name-shaped start of the word right after an example word (示例：王小明先生)."""
    for run in _HAN_RUN.finditer(comment):
        start = run.start()
        pieces, last, after = [], 0, False
        for m in _EXAMPLE.finditer(run.group()):
            pieces.append((last, m.start(), after))
            last, after = m.end(), True
        pieces.append((last, len(run.group()), after))
        preceded = _EXAMPLE.search(comment[max(0, start - 3):start]) is not None
        for i, (lo, hi, after) in enumerate(pieces):
            word = run.group()[lo:hi]
            follows = after or (i == 0 and preceded)
            if not word:
                continue
            if looks_like_name(word) and not classify_column(word, None):
                yield start + lo, start + hi
            elif follows:
                for size in (4, 3, 2):
                    if looks_like_name(word[:size]) and not classify_column(word[:size], None):
                        yield start + lo, start + lo + size
                        break
