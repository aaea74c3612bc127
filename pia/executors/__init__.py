"""Executors: where a scan's partitions run — serially, on local processes, or on Dask.

``make_executor`` builds the ``pia.scan.Executor`` the CLI asks for. Every one of them plans
on the driver, keeps a resume journal when given a state directory (``journal``), scans
partitions on workers that get their credentials out of band (``worker``), and merges on the
driver, so the report is the same whichever executor ran it (``core``).
"""

from __future__ import annotations

from pia.errors import UsageError
from pia.executors.core import (
    PartitionedExecutor,
    Runner,
    ScanInterrupted,
    SerialRunner,
    StateOptions,
)

EXECUTORS = ("local", "dask", "serial")
DASK_HINT = ('the Dask executor needs the dask extra: pip install ".[dask]" in a pia checkout'
             ' (pia-audit[dask] from your mirror; never "pia", an unrelated package)')

__all__ = ["EXECUTORS", "PartitionedExecutor", "ScanInterrupted", "make_executor"]


def make_executor(name: str, *, workers: int, scheduler: str | None = None,
                  state: str | None = None, resume: bool = False,
                  recognizer_files: list[str] | None = None,
                  lang: str = "en") -> PartitionedExecutor:
    """The executor for ``--executor NAME``; raises ``UsageError`` for impossible asks."""
    from pia import __version__

    if name not in EXECUTORS:
        raise UsageError(f"--executor must be one of {', '.join(EXECUTORS)}, not {name!r}")
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, not {workers}")
    if resume and not state:
        raise UsageError("--resume needs --state DIR (the journal of the interrupted scan)")
    if scheduler and name != "dask":
        raise UsageError("--scheduler is for --executor dask")
    runner: Runner
    if name == "dask":
        try:
            from pia.executors.dask import DaskRunner
        except ImportError as err:
            if (err.name or "").split(".")[0] not in ("dask", "distributed"):
                raise
            raise UsageError(DASK_HINT) from None
        runner = DaskRunner(workers, scheduler)
    elif name == "local":
        from pia.executors.local import LocalRunner

        runner = LocalRunner(workers)
    else:
        runner = SerialRunner()
    return PartitionedExecutor(runner, state=StateOptions(state, resume, lang),
                               recognizer_files=recognizer_files, version=__version__)
