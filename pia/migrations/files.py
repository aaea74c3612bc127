"""Which migration files to check: the paths given, or only those a change touches.

A directory stands for every ``*.sql`` file under it, in version order (V9 before V10;
``.SQL`` too: the extension's case varies between teams and file systems; a symbolic link to
no file is an error, not a skip); a file, or a link, is named by the path given, and a file
named explicitly is checked whatever its extension, so a binary file passed by mistake is an
error, not a skip.

``--exclude GLOB`` leaves out the files it matches (``excluded``), wherever they come from:
a directory, a path named, a change, or the earlier migrations read for definitions
(``history``): a rollback (``*.down.sql``) is not a step of the migrations, and its
``DROP TABLE`` read as one made the tables it drops unknown to later files.

``--git-diff BASE`` keeps the ``*.sql`` files under the given paths that a change adds or
modifies, where "a change" is the union of:

1. commits on this branch since it forked from BASE (what a pull request shows);
2. uncommitted edits to tracked files, staged or not;
3. untracked files not ignored by ``.gitignore``: ``git ls-files --others --exclude-standard``.

(1) and (2) are one ``git diff -M --diff-filter=ACMR`` from the fork point (``git merge-base
BASE HEAD``) to the working tree, which sees renames and moves (``git mv``, or a move staged
with ``git add``); a move is seen from where the branch forked, so one made on the branch
and its later edits read as one move with edits:

- a file moved or renamed with no change to its content (``R100``) from a path under the
  paths given is no change and is not checked (QA: moving legacy migrations into an archive
  folder failed CI on their untouched SQL); moved in from elsewhere, it is a new migration;
- a file moved with edits is checked as a modified file is;
- either way ``Changes.moves`` says where it was, so baseline entries follow it
  (``pia.migrations.baseline``). ``--update-baseline`` checks unchanged moves too, to write
  their entries under the new path.

Deleted files are never checked. In CI (a clean checkout) only (1) contributes. A directory
given that holds no ``*.sql`` file at all, changed or not, is an error as without
``--git-diff``.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from pia.errors import InputError, UsageError
from pia.printable import undecodable_escaped


def _display(path: Path) -> str:
    """Paths are reported relative to the working directory when inside it, so baselines
    made from the repository root match in CI. A symbolic link is named by its own path,
    never by its target's (wherever the target lives): only the directories above it are
    resolved, when the path does not lie under the working directory as written."""
    cwd = Path.cwd()
    for absolute in (Path(os.path.abspath(path)),
                     Path(os.path.abspath(path)).parent.resolve() / path.name):
        try:
            return absolute.relative_to(cwd).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def shown(path: str) -> str:
    """A path as findings and baselines name it: a byte that is not UTF-8 (read back by
    Python as a lone surrogate) is written ``\\xe9``, so it can be printed and hashed; the
    non-ASCII bytes around it too (``printable.undecodable_escaped``)."""
    return undecodable_escaped(path)


def repository_root(files: list[str]) -> Path:
    """What SARIF URIs are relative to (``%SRCROOT%``): the git top-level of the working
    directory, else of the first file's directory, else the working directory. Code scanning
    resolves a URI against the repository's root: a job run in ``backend/`` must name
    ``backend/db/V1.sql``, not ``db/V1.sql`` (QA: its alerts pointed at no file)."""
    for where in [Path.cwd(), *(Path(os.path.abspath(f)).parent for f in files[:1])]:
        try:
            done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=where,
                                  capture_output=True, text=True, encoding="utf-8",
                                  errors="surrogateescape", check=False, timeout=30)
        except (OSError, subprocess.TimeoutExpired):  # no git, or no such directory
            continue
        if done.returncode == 0 and done.stdout.strip():
            return Path(done.stdout.strip()).resolve()
    return Path.cwd().resolve()


def under_root(path: str, root: Path) -> str | None:
    """``path`` relative to ``root`` (its directories resolved, as git resolves the
    top-level; the file itself is named as given, never by a link's target), or None when
    it lies outside."""
    full = Path(os.path.realpath(os.path.dirname(os.path.abspath(path)))) / os.path.basename(path)
    try:
        return full.relative_to(root).as_posix()
    except ValueError:
        return None


def _is_sql(name: str) -> bool:
    return name.lower().endswith(".sql")


def _as_reported(glob: str) -> str:
    """A glob with ``/`` written as the reported paths are: ``./db/rollback/*`` is
    ``db/rollback/*``, and an absolute glob under the working directory is relative to it
    (``$PWD/db/rollback/*``). Matched as written, both matched nothing, silently (QA r2 D7).
    An absolute glob elsewhere stays absolute, and is matched against absolute paths."""
    glob = re.sub(r"^(?:\./+)+", "", glob)
    if os.path.isabs(glob):
        for base in dict.fromkeys((os.getcwd(), str(Path.cwd().resolve()))):
            prefix = base.rstrip("/") + "/"
            if glob.startswith(prefix):
                return glob[len(prefix):]
    return glob


def excluded(path: str | Path, globs: Sequence[str]) -> bool:
    """Does an ``--exclude`` glob match this file? A glob without ``/`` is matched against
    the file's name (``*.down.sql``), one with ``/`` against its path as reported, relative
    to the working directory (``db/rollback/*``, ``./db/rollback/*``; ``*`` matches ``/``
    too), or against its absolute path when the glob is absolute and outside the working
    directory; all with the case as written."""
    if not globs:
        return False
    name, reported = Path(path).name, _display(Path(path))
    for glob in globs:
        if "/" not in glob:
            if fnmatchcase(name, glob):
                return True
            continue
        pattern = _as_reported(glob)
        target = os.path.abspath(path) if os.path.isabs(pattern) else reported
        if fnmatchcase(target, pattern):
            return True
    return False


def unmatched(paths: Sequence[str], globs: Sequence[str]) -> list[str]:
    """Warnings for the ``--exclude`` globs that match none of the ``*.sql`` files under the
    directories given nor the files named: a glob written against another working directory
    (``db/rollback/*`` run from the folder above) leaves the rollbacks in, with no word why.
    Only when a directory is given: a hook that names the staged files names no rollback on
    most commits, and that is no mistake."""
    if not globs or not any(Path(raw).is_dir() for raw in paths):
        return []
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        files += sorted((p for p in path.rglob("*") if _is_sql(p.name)), key=version_order) \
            if path.is_dir() else [path]
    from pia.migrations.messages import Note

    example = shown(_display(files[0])) if files else ""
    return [Note("exclude_no_path" if "/" in glob else "exclude_no_name",
                 {"glob": repr(shown(glob)), "example": example})
            for glob in globs if not any(excluded(f, [glob]) for f in files)]


def all_named_excluded(paths: Sequence[str], exclude: Sequence[str]) -> list[str]:
    """A warning when only files are named and ``exclude`` matches every one: nothing is
    checked. Not an error: a hook names a commit's staged files, and a commit that stages
    only a rollback must pass (a linter's ``--force-exclude`` does the same); but a job that
    names only rollbacks must not pass in silence."""
    named = [Path(raw) for raw in paths]
    if not named or any(path.is_dir() or not path.exists() for path in named) \
            or not all(excluded(path, exclude) for path in named):
        return []
    from pia.migrations.messages import Note

    return [Note("exclude_every_file", {"path": shown(paths[0]), "count": len(named)})]


def expand(paths: list[str], exclude: Sequence[str] = ()) -> list[str]:
    """The files the paths name, but those ``exclude`` matches; a directory without
    ``*.sql`` files (or all excluded) is an error (exit 2): a CI gate pointed at the wrong
    directory must not pass having checked nothing. Files named that are all excluded are
    no error (``all_named_excluded`` warns of them)."""
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += [_display(p) for p in _sql_files(raw, exclude)]
        elif path.exists():
            if not excluded(path, exclude):
                out.append(_display(path))
        else:
            raise InputError(missing(raw))
    return list(dict.fromkeys(out))


def _sql_files(raw: str, exclude: Sequence[str] = ()) -> list[Path]:
    """The ``*.sql`` files under a directory that ``exclude`` does not match, sorted; none
    is an error (exit 2), with or without ``--git-diff``: a CI gate pointed at the wrong
    directory must not pass having checked nothing."""
    found = [p for p in sorted(Path(raw).rglob("*"), key=version_order) if _is_sql(p.name) and (
        p.is_file() or p.is_symlink() and not p.exists())]  # a dangling link is an error
    if not found:
        raise InputError(f"{shown(raw)}: no .sql files under this directory")
    kept = [p for p in found if not excluded(p, exclude)]
    if not kept:
        raise InputError(f"{shown(raw)}: every .sql file under this directory matches "
                         f"--exclude ({len(found)} files)")
    return kept


def _name_order(name: str) -> tuple:
    """A name with its numbers compared as numbers: Flyway's ``V9__a.sql`` runs before
    ``V10__b.sql``, which a plain string sort puts first. ``re.split`` on a capture group
    puts text at even places and numbers at odd ones, so two keys always compare like with
    like; the name itself breaks ties (``V01`` and ``V1``). Flyway runs its repeatable
    migrations (``R__views.sql``) after every versioned one, whatever their names: a view
    there selects from the tables the ``V`` files made."""
    parts = re.split(r"(\d+)", name)
    return (name.startswith("R__"), tuple(int(p) if i % 2 else p for i, p in enumerate(parts)),
            name)


def version_order(path: str | Path) -> tuple:
    """The order migrations run in: by folder, then by name with versions as numbers."""
    return tuple(_name_order(part) for part in Path(path).parts)


def run_order(path: str | Path) -> tuple:
    """The order migrations of several folders run in: by name, with versions as numbers,
    whatever their folder (Flyway runs the versions of all its locations as one sequence),
    then by folder."""
    return _name_order(Path(path).name), version_order(path)


def migrations_under(location: str | Path, deep: bool = True,
                     exclude: Sequence[str] = ()) -> list[Path]:
    """The ``*.sql`` files in a folder that ``exclude`` does not match, at any depth as
    Flyway finds them in a location (or only those beside each other); none, or an
    unreadable folder, is nothing more known (not an error: it is not what the run checks)."""
    try:
        found = Path(location).rglob("*") if deep else Path(location).iterdir()
        return [p for p in found
                if _is_sql(p.name) and p.is_file() and not excluded(p, exclude)]
    except OSError:
        return []


def missing(raw: str) -> str:
    """Why a path names nothing: a symbolic link loop or a dangling link, a quoted glob (not
    expanded here), or no such file."""
    name = shown(raw)
    if os.path.islink(raw):
        try:
            Path(raw).resolve(strict=True)
        except RuntimeError:  # Python before 3.13
            return f"{name}: a symbolic link loop"
        except OSError as err:
            if err.errno == errno.ELOOP:
                return f"{name}: a symbolic link loop"
        return f"{name}: a symbolic link to a file that does not exist"
    if any(c in raw for c in "*?["):
        return (f"{name}: no such file or directory (a glob is not expanded by pia: "
                f"leave it unquoted for the shell, or give the directory)")
    return f"{name}: no such file or directory"


def _git(args: list[str], cwd: Path) -> list[str]:
    """git's output as NUL-separated names (``-z``): by default git quotes and escapes a
    path with non-ASCII characters (``"V5__\\344\\270\\255.sql"``), which names no file."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              encoding="utf-8", errors="surrogateescape", check=False,
                              timeout=60)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise UsageError(f"--git-diff needs git: {err}") from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["git failed"])[-1]
        raise UsageError(f"--git-diff: git {' '.join(args[:2])}: {reason}")
    return [name for name in done.stdout.split("\0" if "-z" in args else "\n") if name]


@dataclass
class Changes:
    """What ``--git-diff`` checks: ``files`` as ``expand`` names them, and ``moves``, each
    moved or renamed file's new name to its old one, named the same way."""

    files: list[str] = field(default_factory=list)
    moves: dict[str, str] = field(default_factory=dict)


def changes(paths: list[str], base: str, exclude: Sequence[str] = (),
            unchanged_moves: bool = False) -> Changes:
    """``*.sql`` files under ``paths`` added or modified since ``base`` (see module doc),
    but those ``exclude`` matches; files moved with no change to their content are left
    out unless ``unchanged_moves`` (``--update-baseline``, which rewrites their entries).
    The repository is the one each path is in (``git -C PATH rev-parse``), wherever pia
    runs from; a file is named as ``expand`` names it, through the path given (``../db/V2.sql``
    from a subdirectory), so reports are relative to the working directory (SARIF URIs to
    the repository's root: ``repository_root``)."""
    scopes: list[tuple[str, Path]] = []
    for raw in paths or ["."]:
        scope = Path(raw).resolve()
        if not scope.exists():
            raise InputError(missing(raw))
        if paths and scope.is_dir():
            _sql_files(raw, exclude)  # changed or not, the directory must hold migrations
        scopes.append((raw, scope))
    by_root: dict[Path, list[tuple[str, Path]]] = {}
    for raw, scope in scopes:
        inside = scope if scope.is_dir() else scope.parent
        root = Path(_git(["rev-parse", "--show-toplevel"], inside)[0]).resolve()
        by_root.setdefault(root, []).append((raw, scope))
    out = Changes()
    for root, members in by_root.items():
        for name, was, same in _changed_names(root, base):
            where = _as_given(root / name, members)
            if (not _is_sql(name) or not (root / name).is_file() or where is None
                    or excluded(where, exclude)):
                continue
            came_from = _as_given(root / was, members) if was is not None else None
            if came_from is not None:
                out.moves[_display(where)] = _display(came_from)
                if same and not unchanged_moves:
                    continue  # only moved: its content is what was checked before
            out.files.append(_display(where))
    out.files = sorted(dict.fromkeys(out.files),
                       key=lambda p: (version_order(os.path.dirname(p)), version_order(p)))
    return out


def _as_given(path: Path, scopes: list[tuple[str, Path]]) -> Path | None:
    """``path`` through the path given (``raw``) of the scope it lies in, or None."""
    full = path.resolve()
    return next((Path(raw) / full.relative_to(scope) for raw, scope in scopes
                 if full == scope or scope in full.parents), None)


def _changed_names(root: Path, base: str) -> list[tuple[str, str | None, bool]]:
    """Paths, relative to the repository ``root``, that the change adds, modifies or moves:
    each with the path it was moved from (or None) and whether its content is unchanged
    (git's ``R100``). A path untracked is new: git knows no move until it is added."""
    fork = _git(["merge-base", base, "HEAD"], root)[0]
    fields = _git(["diff", "-z", "--name-status", "-M", "--diff-filter=ACMR", fork, "--"],
                  root)
    out: dict[str, tuple[str | None, bool]] = {}
    at = 0
    while at < len(fields):
        status = fields[at]
        if status[:1] in "RC":  # R<similarity>, old, new (C: a copy, when diff.renames says so)
            was, name = fields[at + 1], fields[at + 2]
            out[name] = (was if status[0] == "R" else None, status == "R100")
            at += 3
        else:
            out[fields[at + 1]] = (None, False)
            at += 2
    for name in _git(["ls-files", "-z", "--others", "--exclude-standard"], root):
        out.setdefault(name, (None, False))
    return [(name, was, same) for name, (was, same) in out.items()]
