"""The label a column's name lends its values, and what a transaction name may not veto.

The engine sees each value of a column after a label, as a form shows it: the vocabulary
term the column's name matched (context for that entity); else the column name when it holds
one of the engine's negative words (``order_no``, ``ledger_no``), so that look-alike numbers
are recognised as transactions; else nothing (``product_name`` must not lend "name" context
to 白菜).

A negative word in a log line is the label of one value, and there it drops even an ID that
passes its check digit: ``order_id=<18 digits>`` is dropped on purpose, since a log's order
number can pass the check digit by chance. A column's name is one word over every value,
and pupils' resident IDs under ``parent_id`` vanished with it, reported nowhere (QA r2 D1).
So a column labelled by a negative word is read twice, and the values the label dropped are
kept (``recovered_values``) when they are the whole value and validated (a resident ID: check
digit, region and real birth date, score 1.0), or mobiles where the name names no quantity
(``total_size``, ``amount``, ``lsn``) and no thing's code (``sku_code``, ``barcode``,
``serial``): the label lowers only what cannot be validated.
A tree's ``parent_id`` of integers and an ``order_id`` of order numbers stay quiet, as the
same values in a log line do, and a column still needs its share of such values to count
(``classify``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pia.connectors.base import ScanContext
from pia.detection.engine import Match
from pia.detection.metadata import MetadataMatch, tokens
from pia.detection.recognizers.cn._common import TRANSACTION_WORDS
from pia.detection.recognizers.cn.mobile import CnMobileRecognizer

#: entity types a column's values are read for without its label: none (only validated ones)
NONE_BUT_VALIDATED: frozenset[str] = frozenset()
#: ... and mobiles too, where the name names no quantity or counter
MOBILES_TOO = frozenset({"CN_MOBILE"})


def _word_set(words: Sequence[str]) -> set[str]:
    """``words`` as ``has_negative`` compares them: ASCII ones as their tokens."""
    found: set[str] = set()
    for word in words:
        found.update(tokens(word) if word.isascii() else [word])
    return found


#: negative words of the mobile recognizer that name a quantity or a counter (size, amount,
#: offset, lsn): such a column's eleven-digit values are numbers, not mobiles, even unlabelled
COUNTER_WORDS = _word_set([w for w in CnMobileRecognizer.NEGATIVE_CONTEXT
                           if w not in TRANSACTION_WORDS])


#: negative words that name a code of a thing, not of anyone: a product's SKU, a barcode, a
#: serial, a batch, a version, a transaction's serial. Such a column's eleven-digit values
#: are codes, not mobiles, even unlabelled (``sku_code`` of 13x numbers: QA estate 5), where
#: ``user_id`` or ``parent`` may well hold a person's mobile
CODE_WORDS = _word_set(["sku", "barcode", "条码", "编码", "商品", "serial", "sn", "序列号",
                        "batch", "批次", "version", "build", "版本", "库存", "流水", "liushui",
                        "liushuihao", "lsh", "jyls", "jylsh"])


#: what makes a column's unlabelled eleven-digit values no mobiles
NOT_MOBILES = COUNTER_WORDS | CODE_WORDS


def negative_words(ctx: ScanContext) -> set[str]:
    """Every recognizer's negative context words, as column names are compared with them."""
    return _word_set([word for rec in ctx.engine.recognizers
                      for word in getattr(rec, "negative_context", [])])


def has_negative(column: str, negative: set[str]) -> bool:
    return negative_in(column, negative) is not None


def negative_in(text: str, negative: set[str]) -> str | None:
    """The first of ``negative`` that ``text`` holds (ASCII ones as its tokens), or None."""
    found = sorted(set(tokens(text)) & negative) or sorted(
        w for w in negative if not w.isascii() and w in text)
    return found[0] if found else None


def _is_label(comment: str | None) -> bool:
    """A comment that names what its column holds (交易流水号, ``order serial``), not one
    that quotes values: ``示例 110101… 与 138…`` or ``size 13800138000 bytes; 订单 …`` says
    nothing of the column's own values, and its words must not veto them."""
    if not comment or len(comment) > 64:
        return False
    return not any(ch.isdigit() for ch in comment)


def column_labels(columns: Sequence[str], meta: Sequence[list[MetadataMatch]],
                  ctx: ScanContext, comments: Sequence[str | None] | None = None,
                  ) -> tuple[list[str], list[frozenset[str] | None]]:
    """Per column, the label its values are read after, and for a column labelled by a
    negative word the entity types its values are also read for without the label (None
    for every other column). A comment that names no PI but holds a negative word labels
    its column's values as that word does (``jyls`` or ``ref_a`` commented 交易流水号: a
    transaction's serial number, whose Luhn-valid values are no bank cards, QA estate 1);
    the word alone is the label, as a comment may run over lines. Only a comment that is a
    label counts (``_is_label``)."""
    negative = negative_words(ctx)
    labels: list[str] = []
    unlabelled: list[frozenset[str] | None] = []
    for column, matches, comment in zip(columns, meta, comments or [None] * len(columns),
                                        strict=True):
        word = None if matches or not _is_label(comment) else negative_in(comment, negative)
        if matches:
            labels.append(f"{matches[0].term}: ")
            unlabelled.append(None)
        elif has_negative(column, negative):
            labels.append(f"{column}: ")
            unlabelled.append(NONE_BUT_VALIDATED if has_negative(column, NOT_MOBILES)
                              else MOBILES_TOO)
        elif word is not None:
            labels.append(f"{word}: ")
            unlabelled.append(NONE_BUT_VALIDATED if has_negative(comment or "", NOT_MOBILES)
                              else MOBILES_TOO)
        else:
            labels.append("")
            unlabelled.append(None)
    return labels, unlabelled


def recovered_values(lines: list[str], results: list[list[Match]],
                     recover: list[tuple[int, int, int]],
                     unlabelled: list[frozenset[str] | None],
                     recognizers: dict[str, Any]) -> dict[tuple[int, int], list[Match]]:
    """Per (column, labelled line), the matches in the line read without its label
    (``recover``: column, bare line, labelled line) that the label dropped and may not:
    whole values, validated by a check digit or of a type the column is read for."""
    recovered: dict[tuple[int, int], list[Match]] = {}
    for column, bare, labelled in recover:
        allowed = unlabelled[column] or NONE_BUT_VALIDATED
        kept = {m.entity_type for m in results[labelled]}
        line = lines[bare]
        found = [m for m in results[bare]
                 if m.entity_type not in kept and m.start == 0
                 and m.end >= len(line.rstrip())
                 and (m.entity_type in allowed
                      or (m.score >= 1.0 and getattr(recognizers.get(m.recognizer),
                                                     "CHECK_DIGIT", False)))]
        if found:
            recovered[(column, labelled)] = found
    return recovered
