"""What the "Sampling" line of a report says: how each kind of source scanned was read.

A scan of log files said "1000 rows sampled per database table (seed 0)": the parameters
record every option, whether a source used it or not, and a manager read that database rows
were sampled. The line names only the kinds of sources the scan named: databases (rows per
table and seed, or read in full), local files (read whole: only compressed files and
archives are bounded, by the decompression-bomb limits), object storage (objects per prefix
and bytes per object, in MiB, or read whole). The kind of a source is told by its URI from
the table the connectors' dispatch uses too, ``pia.uri.SOURCE_KINDS`` (``postgresql://``,
``mysql://``, ``sqlite:`` or a ``.db`` path are databases; ``s3://`` is object storage; any
other path is files): a report carries no connector name, and a renderer does not load the
connectors.
"""

from __future__ import annotations

from typing import Any

from pia import uri as source_uri
from pia.reports.i18n import counted, t

_MIB = 1 << 20


def source_kind(uri: str) -> str:
    """``database``, ``objects`` or ``files``: how the connector a source URI goes to reads it."""
    kind = source_uri.source_kind(str(uri))
    if kind in source_uri.DATABASE_KINDS:
        return "database"
    return "objects" if kind == "s3" else "files"


def size_text(size: Any) -> str:
    """A byte limit as people size it: ``8 MiB``, ``1.5 MiB``, ``64 KiB``, ``512 bytes``."""
    if not isinstance(size, int) or isinstance(size, bool):
        return str(size)
    if size >= _MIB:
        return f"{round(size / _MIB, 1):g} MiB"
    if size >= 1024:
        return f"{round(size / 1024, 1):g} KiB"
    return f"{size} bytes"


def sampling(report: dict[str, Any], lang: str) -> list[str]:
    """How the sources scanned were read, one phrase per kind of source, in the order
    databases, files, objects; empty when no source was named."""
    scan = report.get("scan") or {}
    params = scan.get("parameters") or {}
    kinds = {source_kind(uri) for uri in scan.get("sources") or []}
    out = []
    if "database" in kinds:
        if params.get("full"):
            out.append(t("sampling_full", lang))
        elif params.get("sample") is not None:
            out.append(t("sampling_fmt", lang).format(sample=params["sample"],
                                                      seed=params.get("seed", 0)))
    if "files" in kinds:
        out.append(t("files_whole", lang))
    if "objects" in kinds:
        # what was done: --full reads every object whole, whatever limits were recorded
        if params.get("full"):
            out.append(t("objects_full", lang))
        elif params.get("max_objects") is not None:
            out.append(counted("objects_fmt", lang, objects=params["max_objects"],
                               bytes=size_text(params.get("max_bytes", "?"))))
    return out
