"""Progress on stderr with rich, only when stderr is a terminal; silent otherwise."""

from __future__ import annotations

import sys
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class RichProgress:
    """Implements ``pia.connectors.base.Progress``: one bar per kind of work, each labelled
    in the report's language (the kinds are English words: sources, tables, bytes...)."""

    def __init__(self, lang: str = "en") -> None:
        self._lang = lang
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TimeRemainingColumn(),
            console=Console(file=sys.stderr), transient=True,
        )
        self._tasks: dict[str, int] = {}

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._progress.stop()

    def start(self, what: str, total: int | None = None) -> None:
        if what in self._tasks:
            task = self._tasks[what]
            current = self._progress.tasks[task].total or 0
            self._progress.update(task, total=current + (total or 0))
        else:
            self._tasks[what] = self._progress.add_task(self.label(what), total=total)

    def label(self, what: str) -> str:
        """How a bar for ``what`` is named in this language (a kind pia has no word for: as is)."""
        from pia.reports.i18n import has_key, t

        key = f"progress:{what}"
        return t(key, self._lang) if has_key(key) else what

    def advance(self, what: str, amount: int = 1) -> None:
        if what not in self._tasks:
            self.start(what)
        self._progress.advance(self._tasks[what], amount)


def wanted(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()
