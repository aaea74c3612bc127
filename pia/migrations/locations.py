"""Where a project keeps its migrations: the folders a checked file's history is looked for in.

A change may copy or rename a column of a table that a migration in another folder defines:
Flyway runs the versions of all its ``locations`` as one sequence (``V1`` in
``db/migration``, ``V2`` in ``db/vendor/postgres``), Django numbers each app's
``apps/*/migrations`` apart, and either may nest folders. Looking only beside the changed
file missed those definitions; looking through the whole repository would read fixtures,
dumps and vendored SQL as history. So history is looked for

- in the folder of each file the run checks, beside it (not in its subfolders);
- at any depth, in the folders given as paths, and
- the filesystem locations Flyway is configured with in the working directory
  (``flyway.conf``'s ``flyway.locations``, ``flyway.toml``'s ``[flyway] locations``;
  ``classpath:db/migration`` as Maven lays it out, ``src/main/resources/db/migration``),

and nowhere else.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

_CONF_LINE = re.compile(r"^\s*flyway\.locations\s*[=:]\s*(.*?)\s*$", re.M)
#: where Maven and Gradle put what Flyway finds on the classpath
_CLASSPATH_ROOTS = ("src/main/resources",)


def given(paths: list[str]) -> list[str]:
    """The folders among the paths: a file's own folder is read beside it, not at any
    depth (a file at the repository's root is no reason to read the whole repository)."""
    return [p for p in dict.fromkeys(paths) if os.path.isdir(p)]


def _flyway_entries(root: Path) -> list[str]:
    """The ``locations`` of Flyway's configuration in ``root``, as written; a file that
    cannot be read or parsed configures nothing (it is Flyway's, not pia's, to report)."""
    entries: list[str] = []
    try:
        conf = (root / "flyway.conf").read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        conf = ""
    for value in _CONF_LINE.findall(conf):
        entries += [e.strip() for e in value.split(",")]
    try:
        toml = tomllib.loads((root / "flyway.toml").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        toml = {}
    section = toml.get("flyway")
    listed = section.get("locations") if isinstance(section, dict) else None
    if isinstance(listed, list):
        entries += [str(e).strip() for e in listed]
    return [e for e in entries if e]


def configured(root: str | Path = ".") -> list[str]:
    """The folders of Flyway's configured locations that exist under ``root``: a
    ``filesystem:`` location as written, a ``classpath:`` one (Flyway's default prefix)
    under ``src/main/resources``; others (``s3:``, ``gcs:``) name no local folder."""
    root = Path(root)
    out: list[str] = []
    for entry in _flyway_entries(root):
        prefix, _, rest = entry.partition(":") if ":" in entry else ("classpath", "", entry)
        rest = rest.strip().strip("/") if prefix == "classpath" else rest.strip()
        candidates = {"filesystem": [rest],
                      "classpath": [f"{r}/{rest}" for r in _CLASSPATH_ROOTS]}.get(prefix, [])
        out += [c for c in candidates if c and (root / c).is_dir()]
    return list(dict.fromkeys(os.path.normpath(str(root / c)) for c in out))
