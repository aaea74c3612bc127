"""Renderers: one report model, five formats (JSON, HTML, Markdown, SARIF, terminal).

An explicit registry keyed by format id, so ``pia scan --format`` and ``pia report --format``
accept exactly the same names and produce the same bytes for the same report. Renderers are
pure functions of the report dict: no I/O, no clock, no environment (except ``default_lang``,
which the CLI calls when ``--lang`` is not given).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pia.errors import UsageError
from pia.printable import document_safe
from pia.report import dump_pieces, dumps
from pia.reports import html, markdown, sarif, table
from pia.reports.i18n import LANGS, check_lang, default_lang

__all__ = ["FORMATS", "LANGS", "RENDERERS", "check_format", "default_lang", "render",
           "render_pieces"]

Renderer = Callable[..., str]


def _json(report: dict[str, Any], **_: Any) -> str:
    return dumps(report)


RENDERERS: dict[str, Renderer] = {
    "json": _json,
    "html": html.render,
    "md": markdown.render,
    "sarif": sarif.render,
    "table": table.render,
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)


def check_format(fmt: str) -> str:
    """``fmt`` if pia renders it, else a usage error naming the formats there are."""
    if fmt not in RENDERERS:
        raise UsageError(f"unknown report format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return fmt


def render(report: dict[str, Any], fmt: str, *, lang: str = "zh", width: int | None = None,
           color: bool = False, quiet: bool = False, limit: int | None = None) -> str:
    """Render ``report`` as ``fmt``. ``width``/``color``/``quiet``/``limit`` (findings listed
    per rule) concern the terminal format."""
    text = RENDERERS[check_format(fmt)](report, lang=check_lang(lang), width=width, color=color,
                                        quiet=quiet, limit=limit)
    # the table escapes each string itself (it knows its layout); JSON and SARIF escape
    # controls as JSON does; HTML and Markdown carry the report's strings as they are
    return document_safe(text) if fmt in ("html", "md") else text


def render_pieces(report: dict[str, Any], fmt: str, *, lang: str = "zh",
                  width: int | None = None, color: bool = False,
                  quiet: bool = False, limit: int | None = None) -> Iterator[str]:
    """``render`` in pieces to write one after the other: the same text, but JSON (the
    format of the largest reports) is never held whole (see ``pia.report.dump_pieces``)."""
    if fmt == "json":
        check_lang(lang)
        return dump_pieces(report)
    return iter((render(report, fmt, lang=lang, width=width, color=color, quiet=quiet,
                        limit=limit),))
