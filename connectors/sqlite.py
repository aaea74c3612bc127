"""SQLite files: ``sqlite:///abs/path.db`` or a bare ``*.db``/``*.sqlite``/``*.sqlite3`` path.

Sources are only read, and nothing is created beside them. A rollback-journal database is
opened with ``mode=ro`` (SQLite writes no file to read it, and still takes its shared lock, so a
writer in another process cannot hand us a torn page). A WAL database with no ``-wal`` file
beside it is fully checkpointed and no process has it open (a connection in WAL mode keeps its
``-wal`` file while open): it is opened with ``immutable=1`` as well, because in WAL mode even a
read-only connection would create ``-wal`` and ``-shm``. A WAL database *with* a ``-wal`` file is
live: its newest rows are only in that file, so it is opened with ``mode=ro`` and reads through
the writer's ``-shm``. A ``-wal`` with no ``-shm`` (a copied database, or one whose writer
crashed) would make SQLite create the ``-shm`` beside the source: the database and its log are
then copied to a private temporary directory and the copy is read (reading without the log
would miss committed rows). Always ``PRAGMA query_only``. Rows are addressed by rowid: large
tables are split into rowid ranges, and samples are drawn as rowid candidates looked up by key,
so a 1000-row sample of a million-row table reads ~1000 rows.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from pia.connectors.base import ScanOptions
from pia.connectors.db.chunking import chunk_rows, chunks
from pia.connectors.db.connector import DatabaseConnector
from pia.connectors.db.ddl import column_comments
from pia.connectors.db.dsn import reason
from pia.connectors.db.model import Column, Table
from pia.connectors.db.sampling import keep_row
from pia.errors import SourceError
from pia.processes import alive
from pia.uri import SQLITE_SUFFIXES, source_kind

SUFFIXES = SQLITE_SUFFIXES
#: bound parameters per ``rowid IN (...)`` lookup (SQLite's old default limit is 999)
IN_BATCH = 900


def quote_ident(name: str) -> str:
    """SQLite identifier quoting: double quotes, embedded quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def db_path(uri: str) -> Path:
    if uri.lower().startswith("sqlite:"):
        parts = urlsplit(uri)
        path = unquote(parts.path)
        if parts.netloc:  # sqlite://relative/path is not an absolute file URI
            path = parts.netloc + path
        elif path.startswith("//"):  # SQLAlchemy's sqlite:////abs/path.db: one root
            path = "/" + path.lstrip("/")
        return Path(path)
    return Path(uri)


def open_mode(path: Path) -> str:
    """URI parameters that read ``path`` without creating files beside it (module docstring)."""
    with open(path, "rb") as handle:
        header = handle.read(20)
    is_wal = header.startswith(b"SQLite format 3\x00") and header[18:19] == b"\x02"
    if is_wal and not path.with_name(path.name + "-wal").exists():
        return "mode=ro&immutable=1"
    return "mode=ro"


class _Connection(sqlite3.Connection):
    """A connection that removes the private copy it reads, if any, when closed."""

    cleanup: Any = None

    def close(self) -> None:
        super().close()
        if self.cleanup is not None:
            self.cleanup()


def _needs_copy(path: Path) -> bool:
    """A write-ahead log with no shared-memory file beside it: reading in place would create
    the ``-shm`` next to the source."""
    wal, shm = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))
    return wal.exists() and not shm.exists()


#: private copies this process made and has not removed yet
_COPIES: set[str] = set()


def _remove_copy(copy: str) -> None:
    _COPIES.discard(copy)
    shutil.rmtree(copy, ignore_errors=True)


def _on_sigterm(signum: int, frame: Any) -> None:
    """A terminated pia (or its worker) removes its copies of customer databases first,
    then dies of the signal as it would have."""
    for copy in list(_COPIES):
        _remove_copy(copy)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


def _copy_dir() -> str:
    """A private directory for a copy; SIGTERM removes it (where SIGTERM is not handled
    already, and only the main thread may set that)."""
    if (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL):
        signal.signal(signal.SIGTERM, _on_sigterm)
    _sweep_orphans()
    copy = tempfile.mkdtemp(prefix=f"{COPY_PREFIX}{os.getpid()}-")
    _COPIES.add(copy)
    return copy


#: a copy's directory: this prefix, the pid of the process reading it, a random part
COPY_PREFIX = "pia-sqlite-"
_COPY_NAME = re.compile(re.escape(COPY_PREFIX) + r"([0-9]+)-")


def _sweep_orphans() -> None:
    """Remove the copies of customer databases that a killed pia left (SIGKILL, the OOM
    killer: no handler runs): those of this user whose process is gone. A process that
    still runs, or that another user owns, keeps its copy."""
    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return
    for entry in entries:
        match = _COPY_NAME.match(entry.name)
        if match is None or int(match[1]) == os.getpid():
            continue
        try:
            ours = (entry.stat(follow_symlinks=False).st_uid == os.getuid()
                    and not entry.is_symlink())
        except OSError:  # gone from under us
            continue
        if ours and not alive(int(match[1])):
            shutil.rmtree(entry.path, ignore_errors=True)


class SqliteConnector(DatabaseConnector):
    name = "sqlite"
    engine = "sqlite"

    def accepts(self, uri: str) -> bool:
        return source_kind(uri) == "sqlite"

    def where(self, uri: str) -> str:
        return str(db_path(uri))

    def connect(self, uri: str) -> sqlite3.Connection:
        source = path = db_path(uri).absolute()
        if not path.is_file():
            raise SourceError(f"sqlite {path}: database file does not exist")
        copy = None
        try:
            if _needs_copy(path):
                copy = _copy_dir()
                for suffix in ("", "-wal"):
                    shutil.copyfile(f"{path}{suffix}", os.path.join(copy, path.name + suffix))
                path = Path(copy) / path.name
            conn = sqlite3.connect(f"file:{quote(str(path))}?{open_mode(path)}", uri=True,
                                   check_same_thread=False, factory=_Connection)
            if copy is not None:  # removed with the connection, closed or collected
                conn.cleanup = weakref.finalize(conn, _remove_copy, copy)
            conn.execute("PRAGMA query_only = 1")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except (sqlite3.Error, OSError) as err:
            if copy is not None:
                _remove_copy(copy)
            reason = err.strerror if isinstance(err, OSError) else err
            # the user's file, not the private copy (which is gone, and means nothing to them)
            raise SourceError(f"sqlite {source}: cannot open database file ({reason})") from None
        conn.text_factory = lambda b: b.decode("utf-8", "replace")
        return conn

    def reflect(self, conn: sqlite3.Connection, uri: str,
                options: ScanOptions) -> tuple[str | None, str, list[Table]]:
        database = os.path.basename(db_path(uri))
        version = _file_version(db_path(uri))
        kinds = ("table", "view") if options.views else ("table", "")
        names = conn.execute(
            "SELECT name, type, sql FROM sqlite_master WHERE type IN (?, ?)"
            " AND substr(name, 1, 7) != 'sqlite_' ORDER BY name", kinds).fetchall()
        shadows = _shadow_tables(names)
        tables = []
        for name, kind, sql in names:
            if name in shadows or not self.wanted("main", name, options):
                continue
            # table_xinfo, not table_info: generated columns are hidden from the latter;
            # hidden columns of a virtual table (1: an FTS table's own name, rank) are not data
            info = conn.execute(f"PRAGMA table_xinfo({quote_ident(name)})").fetchall()
            comments = column_comments(sql)  # SQLite's only column comments: inline in the DDL
            columns = [Column(name=row[1], data_type=row[2] or "",
                              comment=comments.get(row[1].lower())) for row in info
                       if row[6] != 1]
            table = Table(database=database, schema="main", name=name, columns=columns,
                          version=version)
            tables.append(table)
            if not columns:
                table.skipped = "no columns"
                continue
            try:
                self._stats(conn, table, kind)
            except sqlite3.DatabaseError as err:  # a virtual table whose module is missing
                table.skipped = reason(err)
        return None, database, tables

    def _stats(self, conn: sqlite3.Connection, table: Table, kind: str) -> None:
        q = quote_ident(table.name)
        if kind == "table":
            try:
                lo, hi, rows = conn.execute(
                    f"SELECT min(rowid), max(rowid), count(*) FROM {q}").fetchone()
                table.row_estimate = rows
                if rows:
                    table.key_kind, table.key, table.key_min, table.key_max = (
                        "rowid", "rowid", lo, hi)
                return
            except sqlite3.OperationalError:  # WITHOUT ROWID
                pass
        table.row_estimate = conn.execute(f"SELECT count(*) FROM {q}").fetchone()[0]

    def fetch(self, conn: sqlite3.Connection, table: Table, spec: dict[str, Any],
              options: ScanOptions) -> Iterator[list[tuple[Any, ...]]]:
        cols = ", ".join(quote_ident(c.name) for c in table.columns)
        q = f"SELECT {cols} FROM {quote_ident(table.name)}"
        size = chunk_rows(table)
        if table.key_kind != "rowid":
            fraction = options.sample / max(table.row_estimate, 1) if spec["sample"] else 1.0
            yield from chunks((r for r in conn.execute(q)
                               if keep_row(options.seed, table.qualified, r, fraction)), size)
            return
        if not spec["sample"]:
            yield from chunks(conn.execute(f"{q} WHERE rowid BETWEEN ? AND ?",
                                            (spec["lo"], spec["hi"])), size)
            return
        keys = self.sample_keys(table, spec, options)
        yield from chunks(_sampled(conn, q, keys), size)

    def minmax(self, conn: sqlite3.Connection, table: Table, spec: dict[str, Any],
               column: str) -> tuple[Any, Any]:
        c = quote_ident(column)
        q = f"SELECT min({c}), max({c}) FROM {quote_ident(table.name)}"
        if table.key_kind == "rowid":
            return conn.execute(f"{q} WHERE rowid BETWEEN ? AND ?",
                                (spec["lo"], spec["hi"])).fetchone()
        return conn.execute(q).fetchone()

    def driver_error(self) -> type[BaseException]:
        return sqlite3.Error

    def is_table_error(self, err: BaseException) -> bool:
        return isinstance(err, sqlite3.DatabaseError)


def _sampled(conn: sqlite3.Connection, query: str, keys: list[int]) -> Iterator[tuple[Any, ...]]:
    """The sampled rowids' rows, streamed (a thousand 10 MB rows are not held at once)."""
    for i in range(0, len(keys), IN_BATCH):
        batch = keys[i:i + IN_BATCH]
        yield from conn.execute(f"{query} WHERE rowid IN ({','.join('?' * len(batch))})", batch)


#: the shadow tables a full-text or R*Tree virtual table keeps its data in, by module
_SHADOWS = {
    "fts5": ("_data", "_idx", "_content", "_docsize", "_config"),
    "fts4": ("_content", "_segments", "_segdir", "_docsize", "_stat"),
    "fts3": ("_content", "_segments", "_segdir", "_docsize", "_stat"),
    "rtree": ("_node", "_parent", "_rowid"),
}
_VIRTUAL = re.compile(r"create\s+virtual\s+table\s+.*?\busing\s+(\w+)", re.I | re.S)


def _shadow_tables(names: list[tuple[str, str, str | None]]) -> set[str]:
    """Names of the shadow tables of the virtual tables among ``names``: their rows are the
    virtual table's, read through it once (an FTS table's text would be counted twice)."""
    out: set[str] = set()
    for name, _kind, sql in names:
        m = _VIRTUAL.match(sql or "")
        if m:
            out.update(name + suffix for suffix in _SHADOWS.get(m.group(1).lower(), ()))
    return out


def _file_version(path: os.PathLike[str] | str) -> str | None:
    """Size and modification time (ns) of the database file and of its write-ahead log: any
    committed write changes one of them. None when they cannot be read (always rescanned)."""
    parts = []
    for suffix in ("", "-wal"):
        try:
            st = os.stat(f"{path}{suffix}")
        except FileNotFoundError:
            parts.append("-")
            continue
        except OSError:
            return None
        parts.append(f"{st.st_size}:{st.st_mtime_ns}")
    return "/".join(parts)
