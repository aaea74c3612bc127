"""MySQL and MariaDB: ``mysql://user:pass@host:port/db``, via PyMySQL.

Sessions are read-only (``SET SESSION TRANSACTION READ ONLY`` then ``START TRANSACTION READ
ONLY``) with a statement timeout, whose name differs: MySQL's ``max_execution_time`` is in
milliseconds, MariaDB's ``max_statement_time`` in seconds. Grants come from
``information_schema`` (global, schema, table and column privileges; column grants, and grants
on views traced to the columns their stored definitions name, are ``column_grants``, see
``db.grants``); SELECT granted to PUBLIC
(MariaDB 10.11) or to the anonymous user makes a public read (a named account at host ``'%'``
still authenticates). A URI without a database scans every schema the account sees but the
server's own. An account that may list only the tables granted to it one by one gets a note
that the scan of that schema is partial (information_schema hides the rest). Tables with an
integer primary key are split and sampled by key; others are read whole and sampled by a
keyed hash of the row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pymysql
import pymysql.cursors

from pia.connectors.base import ScanOptions
from pia.connectors.db import stats
from pia.connectors.db.chunking import chunk_rows, chunks
from pia.connectors.db.connector import DatabaseConnector
from pia.connectors.db.dsn import parse, reason, source_error
from pia.connectors.db.grants import (
    Relation,
    column_grants,
    mysql_view_columns,
    mysql_view_uses,
    through_views,
)
from pia.connectors.db.model import Column, Table
from pia.connectors.db.mysql_connect import open_connection, settings
from pia.connectors.db.sampling import keep_row
from pia.uri import source_kind

PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
DEFAULT_TIMEOUT_S = 300
IN_BATCH = 1000
_INTEGER = {"tinyint", "smallint", "mediumint", "int", "integer", "bigint"}
#: MySQL error codes that fail one table, not the source: SELECT/column command denied,
#: timeout, table gone, lock wait, a view over a table or column that is gone (1356) or
#: whose definer is (1449), a table marked crashed or missing its file or tablespace, a value
#: the server cannot convert
TABLE_ERRNOS = {1142, 1143, 1146, 3024, 1969, 1205, 1356, 1449, 1054, 1030, 1194, 1195,
                1017, 1812, 1932, 1267, 1270, 1271, 1366, 1292}
#: MySQL error codes that fail the source, not one table: the connection, the account, the
#: database or the server itself (gone, shutting down, out of memory or disk, read-only); like
#: PostgreSQL's classes 08, 28, 3D, 53, 57P and XX. Any other error the server raises for one
#: statement fails only the table it read (``is_table_error``)
SOURCE_ERRNOS = {1021, 1037, 1038, 1040, 1041, 1043, 1044, 1045, 1047, 1049, 1053, 1077, 1078,
                 1079, 1080, 1081, 1129, 1130, 1131, 1132, 1152, 1153, 1154, 1155, 1156, 1157,
                 1158, 1159, 1160, 1161, 1184, 1203, 1226, 1251, 1290, 1820, 1836, 1862, 1927,
                 3169, 4031}
#: how long a statement waits for a metadata lock before its table is skipped (seconds)
LOCK_TIMEOUT_S = 5
#: how a latin1 column's type ends (``Column.data_type`` carries its character set)
LATIN1 = " latin1"
#: the server's own schemas, never scanned when the URI names no database
SYSTEM_SCHEMAS = ("mysql", "information_schema", "performance_schema", "sys")


def quote_ident(name: str) -> str:
    """MySQL identifier quoting: backticks, embedded backticks doubled."""
    return "`" + name.replace("`", "``") + "`"


def _is_public(grantee: str) -> bool:
    """Anyone at all: MariaDB's PUBLIC, or the anonymous user (``''@'%'``). A named
    account at any host (``'app'@'%'``) still has to authenticate: not public."""
    user, _, host = grantee.rpartition("@") if "@" in grantee else (grantee, "", "")
    user, host = user.strip("'`"), host.strip("'`")
    return user == "" or (user.upper() == "PUBLIC" and host == "")


def _qualified(table: Table) -> str:
    """The table as its rows are read: a system-versioned one (MariaDB) with its history.

    Its history keeps the values rows had before an UPDATE or a DELETE: an ID number
    masked in place, or a closed account deleted, is still on disk there, and only ``FOR
    SYSTEM_TIME ALL`` reads it. Counts, samples and ranges then take every version of a row.
    """
    name = f"{quote_ident(table.schema or table.database)}.{quote_ident(table.name)}"
    return f"{name} FOR SYSTEM_TIME ALL" if table.history else name


def _escaped(text: str) -> str:
    """SQL text holding quoted names, as it goes to PyMySQL with parameters: the driver
    %-formats the whole statement then, so a ``%`` of a name (a table ``rate%``) read as a
    placeholder's failed the source (qa-dbodd 1). Names never go through that formatting."""
    return text.replace("%", "%%")


def _selected(column: Column) -> str:
    """A column as it is read: a latin1 one as its bytes (``legacy_text`` decodes them),
    since the server's conversion to utf8mb4 turns the UTF-8 or GBK a legacy application
    wrote through a latin1 connection into mojibake."""
    name = quote_ident(column.name)
    return f"CAST({name} AS BINARY)" if column.data_type.endswith(LATIN1) else name


def legacy_text(value: Any) -> Any:
    """A latin1 column's bytes as text: UTF-8 or GB18030 text, else Latin-1 as MySQL means it
    (cp1252), what the column claims."""
    if not isinstance(value, bytes | bytearray):
        return value
    return stats.legacy_text(bytes(value), "cp1252")


_GRANT = re.compile(r"^GRANT (.+?) ON (?:TABLE |FUNCTION |PROCEDURE )?(\S+?)\.(\S+) TO ", re.I)


def _unquote(name: str) -> str:
    return name[1:-1].replace("``", "`") if name.startswith("`") else name


class _Grants:
    """The scanning account's own grants (``SHOW GRANTS``), read for what they cover."""

    def __init__(self, lines: list[str]) -> None:
        self.rules: list[tuple[str, str, str]] = []  # (privileges, schema, table)
        for line in lines:
            m = _GRANT.match(line)
            if m:
                self.rules.append((m.group(1).upper(), _unquote(m.group(2)),
                                   _unquote(m.group(3))))

    @staticmethod
    def _selects(privileges: str) -> bool:
        return bool(re.search(r"(^|, )(SELECT|ALL PRIVILEGES|ALL)(,|$)", privileges))

    def whole_schema(self, schema: str) -> bool:
        """SELECT on every table of ``schema`` (global, or on the schema; a schema pattern
        with wildcards is assumed to cover it)."""
        return any(self._selects(p) and t == "*" and (s == "*" or s == schema or "%" in s
                                                      or "_" in s.replace("\\_", ""))
                   for p, s, t in self.rules)

    def columns_only(self, schema: str, table: str) -> bool:
        """SELECT on some columns of the table, not on the table."""
        if self.whole_schema(schema):
            return False
        mine = [p for p, s, t in self.rules if s == schema and t == table]
        return not any(self._selects(p) for p in mine) and any("SELECT (" in p for p in mine)


def _own_grants(cur: Any) -> _Grants | None:
    """The account's grants; None when they cannot be read or come through roles (then
    what they cover is not known here)."""
    try:
        cur.execute("SHOW GRANTS")
        lines = [str(r[0]) for r in cur.fetchall()]
    except pymysql.Error:
        return None
    if any(not _GRANT.match(line) and line.upper().startswith("GRANT ") for line in lines):
        return None  # GRANT role TO user
    return _Grants(lines)


def _innodb_tables(conn: pymysql.connections.Connection, schema: str) -> int | None:
    """Tables InnoDB holds in ``schema`` (MariaDB's INNODB_SYS_TABLES, MySQL 8's
    INNODB_TABLES; both need the PROCESS privilege), or None when they cannot be read."""
    pattern = schema.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"
    for view in ("INNODB_SYS_TABLES", "INNODB_TABLES"):
        try:
            with conn.cursor() as cur:
                cur.execute(f"SELECT COUNT(*) FROM information_schema.{view}"
                            " WHERE NAME LIKE %s", (pattern,))
                count = int(cur.fetchone()[0])
            return count or None
        except pymysql.Error:
            continue
    return None


class MysqlConnector(DatabaseConnector):
    name = "mysql"
    engine = "mysql"

    def accepts(self, uri: str) -> bool:
        return source_kind(uri) == "mysql"

    def where(self, uri: str) -> str:
        return parse(uri, 3306).where

    def connect(self, uri: str) -> pymysql.connections.Connection:
        dsn = parse(uri, 3306)
        conf = settings(uri, dsn, self.engine)
        try:
            conn = open_connection(dsn, conf, self.engine)
        except pymysql.Error as err:
            raise source_error(self.engine, dsn.where, err) from None
        with conn.cursor() as cur:
            cur.execute("SELECT VERSION()")
            version = str(cur.fetchone()[0])
            if "mariadb" in version.lower():
                cur.execute(f"SET SESSION max_statement_time = {DEFAULT_TIMEOUT_S}")
            else:
                cur.execute(f"SET SESSION max_execution_time = {DEFAULT_TIMEOUT_S * 1000}")
            cur.execute(f"SET SESSION lock_wait_timeout = {LOCK_TIMEOUT_S}")
            cur.execute("SET SESSION TRANSACTION READ ONLY")
            cur.execute("START TRANSACTION READ ONLY")
        return conn

    def reflect(self, conn: pymysql.connections.Connection, uri: str,
                options: ScanOptions) -> tuple[str | None, str, list[Table]]:
        dsn = parse(uri, 3306)
        database = dsn.database
        kinds = ("BASE TABLE", "VIEW", "SYSTEM VERSIONED") if options.views else (
            "BASE TABLE", "SYSTEM VERSIONED")
        # one database, or (no database in the URI) every one the account sees but the
        # server's own
        scope, params = (("TABLE_SCHEMA = %s", (database,)) if database else
                         ("TABLE_SCHEMA NOT IN (" + ", ".join(["%s"] * len(SYSTEM_SCHEMAS))
                          + ")", SYSTEM_SCHEMAS))
        with conn.cursor() as cur:
            cur.execute("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, UPDATE_TIME, NOW()"
                        f" FROM information_schema.TABLES WHERE {scope}"
                        " ORDER BY TABLE_SCHEMA, TABLE_NAME", params)
            every = cur.fetchall()
            rels = [r for r in every if r[2] in kinds and self.wanted(r[0], r[1], options)]
            cur.execute("SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME,"
                        " CASE WHEN CHARACTER_SET_NAME = 'latin1'"
                        f" THEN CONCAT(COLUMN_TYPE, '{LATIN1}') ELSE COLUMN_TYPE END,"
                        " COLUMN_COMMENT, DATA_TYPE FROM information_schema.COLUMNS"
                        f" WHERE {scope} ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION",
                        params)
            columns: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {}
            for schema, table, name, ctype, comment, dtype in cur.fetchall():
                columns.setdefault((schema, table), []).append((name, ctype, comment, dtype))
            cur.execute("SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME"
                        f" FROM information_schema.KEY_COLUMN_USAGE WHERE {scope}"
                        " AND CONSTRAINT_NAME = 'PRIMARY'", params)
            keys: dict[tuple[str, str], list[str]] = {}
            for schema, table, name in cur.fetchall():
                keys.setdefault((schema, table), []).append(name)
            grants = self._grants(cur, scope, params)
            by_view = _through_views(cur, scope, params, {(r[0], r[1]) for r in every}, grants)
            own = _own_grants(cur)
        by_column: dict[Relation, dict[str, set[tuple[str, str]]]] = {}
        for (g_schema, g_table, g_column), pairs in grants.items():
            if g_column:
                by_column.setdefault((g_schema, g_table), {})[g_column] = pairs
        tables = []
        for schema, name, kind, updated, now in rels:
            table_grants = sorted(grants.get((schema, "", ""), set())
                                  | grants.get((schema, name, ""), set()))
            readers = {g for g, p in table_grants if p == "SELECT"}
            cols = []
            for col, ctype, comment, _dtype in columns.get((schema, name), []):
                col_readers = sorted(readers | {g for g, p in grants.get((schema, name, col),
                                                                         set())
                                                if p == "SELECT"})
                cols.append(Column(col, ctype, comment or None, col_readers,
                                   any(_is_public(g) for g in col_readers)))
            table = Table(database=schema, schema=schema, name=name, columns=cols,
                          history=kind == "SYSTEM VERSIONED",
                          grants=[{"grantee": g, "privilege": p} for g, p in table_grants],
                          column_grants=column_grants(by_column.get((schema, name), {}))
                          + by_view.get((schema, name), []),
                          public_read=any(_is_public(g) for g in readers),
                          version=_version(kind, updated, now))
            tables.append(table)
            if not cols:  # a broken view shows none: its own error says why
                self._stats(conn, table)
                table.skipped = table.skipped or "no column the account may read"
                continue
            notes = []
            if own is not None and own.columns_only(schema, name):
                notes.append("the account may read only some columns (column grants): "
                             "the others were not scanned")
            table.partial = "; ".join(notes) or None
            key = keys.get((schema, name), [])
            dtypes = {c[0]: c[3] for c in columns.get((schema, name), [])}
            if kind != "VIEW" and len(key) == 1 and dtypes.get(key[0]) in _INTEGER:
                table.key_kind, table.key = "pk", key[0]
            self._stats(conn, table)
        self.hidden = self._hidden(conn, own, database, {t.schema for t in tables})
        return dsn.host, database, tables

    def _hidden(self, conn: pymysql.connections.Connection, own: _Grants | None,
                database: str, schemas: set[str | None]) -> list[tuple[str, str]]:
        """(schema, note) for each scanned schema whose tables the account can list only one
        by one (table or column grants, no schema-wide SELECT): information_schema hides the
        others, so the scan covers part of the schema. The count of hidden tables is given
        when the account may read InnoDB's own catalogue."""
        if own is None:
            return []
        out = []
        for schema in sorted({database} | schemas if database else schemas, key=str):
            if not schema or own.whole_schema(schema):
                continue
            count = _innodb_tables(conn, schema)
            seen = len(self._listed(conn, schema))
            if count is not None and count > seen:
                note = (f"partial coverage: the account lacks privileges on {count - seen} "
                        f"of {count} tables of {schema}, which were not scanned")
            elif count is None:
                note = (f"partial coverage: the account may read only the tables and columns "
                        f"granted to it one by one in {schema}; tables it holds no grant on "
                        f"are invisible to it and were not scanned")
            else:
                continue
            out.append((schema, note))
        return out

    @staticmethod
    def _listed(conn: pymysql.connections.Connection, schema: str) -> list[str]:
        with conn.cursor() as cur:
            cur.execute("SELECT TABLE_NAME FROM information_schema.TABLES"
                        " WHERE TABLE_SCHEMA = %s AND TABLE_TYPE <> 'VIEW'", (schema,))
            return [r[0] for r in cur.fetchall()]

    def plan(self, uri: str, options: ScanOptions, ctx: Any) -> Any:
        self.hidden = []
        plan = super().plan(uri, options, ctx)
        source = plan.facts[0]["source"]
        for schema, note in dict.fromkeys(self.hidden):  # reflected twice when none selected
            plan.skipped.append({"source": source, "location": {"database": schema},
                                 "reason": f"{schema}: {note}"})
        return plan

    def _grants(self, cur: Any, scope: str, params: tuple[str, ...],
                ) -> dict[tuple[str, str, str], set[tuple[str, str]]]:
        """(schema, table, column) → {(grantee, privilege)}; (schema, "", "") holds global
        and schema grants."""
        out: dict[tuple[str, str, str], set[tuple[str, str]]] = {}
        cur.execute("SELECT GRANTEE, PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES")
        everywhere = {(g, p) for g, p in cur.fetchall() if p in PRIVILEGES}
        cur.execute(f"SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
                    f"{scope.replace('TABLE_SCHEMA', 'SCHEMA_NAME')}", params)
        for (schema,) in cur.fetchall():
            out[(schema, "", "")] = set(everywhere)
        queries = (
            "SELECT GRANTEE, PRIVILEGE_TYPE, TABLE_SCHEMA, '', '' FROM"
            f" information_schema.SCHEMA_PRIVILEGES WHERE {scope}",
            "SELECT GRANTEE, PRIVILEGE_TYPE, TABLE_SCHEMA, TABLE_NAME, '' FROM"
            f" information_schema.TABLE_PRIVILEGES WHERE {scope}",
            "SELECT GRANTEE, PRIVILEGE_TYPE, TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM"
            f" information_schema.COLUMN_PRIVILEGES WHERE {scope}",
        )
        for query in queries:
            cur.execute(query, params)
            for grantee, privilege, schema, table, column in cur.fetchall():
                if privilege in PRIVILEGES:
                    out.setdefault((schema, table, column), set()).add((grantee, privilege))
        return out

    def _stats(self, conn: pymysql.connections.Connection, table: Table) -> None:
        q = _qualified(table)
        with conn.cursor() as cur:
            try:
                if table.key_kind == "pk":
                    k = quote_ident(table.key or "")
                    cur.execute(f"SELECT MIN({k}), MAX({k}), COUNT(*) FROM {q}")
                    table.key_min, table.key_max, table.row_estimate = cur.fetchone()
                    if table.key_min is None:
                        table.key_kind, table.key = "", None
                else:
                    cur.execute(f"SELECT COUNT(*) FROM {q}")
                    table.row_estimate = cur.fetchone()[0]
            except pymysql.Error as err:
                if not self.is_table_error(err):
                    raise  # a connection that failed fails the plan
                table.key_kind, table.key, table.key_min, table.key_max = "", None, None, None
                table.skipped = reason(err)

    def fetch(self, conn: pymysql.connections.Connection, table: Table, spec: dict[str, Any],
              options: ScanOptions) -> Iterator[list[tuple[Any, ...]]]:
        legacy = [i for i, c in enumerate(table.columns) if c.data_type.endswith(LATIN1)]
        for chunk in self._rows(conn, table, spec, options):
            if legacy:
                chunk = [tuple(legacy_text(v) if i in legacy else v for i, v in enumerate(r))
                         for r in chunk]
            yield chunk

    def _rows(self, conn: pymysql.connections.Connection, table: Table, spec: dict[str, Any],
              options: ScanOptions) -> Iterator[list[tuple[Any, ...]]]:
        cols = ", ".join(_selected(c) for c in table.columns)
        q = f"SELECT {cols} FROM {_qualified(table)}"
        size = chunk_rows(table)
        if table.key_kind != "pk" or "lo" not in spec:
            fraction = options.sample / max(table.row_estimate, 1) if spec["sample"] else 1.0
            yield from chunks((r for r in self._stream(conn, q, None)
                               if keep_row(options.seed, table.qualified, r, fraction)), size)
            return
        where = f"{_escaped(q)} WHERE {_escaped(quote_ident(table.key or ''))}"
        if not spec["sample"]:
            yield from chunks(self._stream(conn, f"{where} BETWEEN %s AND %s",
                                           (spec["lo"], spec["hi"])), size)
            return
        keys = self.sample_keys(table, spec, options)
        yield from chunks(self._sampled(conn, where, keys), size)

    def _sampled(self, conn: pymysql.connections.Connection, where: str,
                 keys: list[int]) -> Iterator[tuple[Any, ...]]:
        """The sampled keys' rows, streamed (a thousand 10 MB rows are not held at once)."""
        for i in range(0, len(keys), IN_BATCH):
            batch = keys[i:i + IN_BATCH]
            yield from self._stream(conn, f"{where} IN ({','.join(['%s'] * len(batch))})",
                                    tuple(batch))

    def _stream(self, conn: pymysql.connections.Connection, query: str,
                params: tuple[Any, ...] | None) -> Iterator[tuple[Any, ...]]:
        with conn.cursor(pymysql.cursors.SSCursor) as cur:
            cur.execute(query, params)
            yield from cur  # row by row from the socket: ``chunks`` bounds what is held

    def minmax(self, conn: pymysql.connections.Connection, table: Table, spec: dict[str, Any],
               column: str) -> tuple[Any, Any]:
        c = quote_ident(column)
        q = f"SELECT MIN({c}), MAX({c}) FROM {_qualified(table)}"
        params: tuple[Any, ...] | None = None
        if table.key_kind == "pk" and "lo" in spec:
            q = f"{_escaped(q)} WHERE {_escaped(quote_ident(table.key or ''))} BETWEEN %s AND %s"
            params = (spec["lo"], spec["hi"])
        with conn.cursor() as cur:
            cur.execute(q, params)
            lo, hi = cur.fetchone()
        return lo, hi

    def driver_error(self) -> type[BaseException]:
        return pymysql.Error

    def is_table_error(self, err: BaseException) -> bool:
        """An error the server raised running one table's statement: the ``TABLE_ERRNOS``,
        and any other server error (1000-1999, 3000 and up; 2000-2999 are the client's) but
        the ``SOURCE_ERRNOS``. A view whose query fails at run time (a function it calls
        raises SIGNAL, a subquery returns two rows, a value overflows) is skipped, the rest
        of the database scanned, as on PostgreSQL (qa: one failing view failed the source)."""
        if not isinstance(err, pymysql.Error) or not err.args or not isinstance(err.args[0],
                                                                                 int):
            return False
        errno = err.args[0]
        if errno in TABLE_ERRNOS:
            return True
        return (1000 <= errno < 2000 or errno >= 3000) and errno not in SOURCE_ERRNOS


def _through_views(cur: Any, scope: str, params: tuple[str, ...], relations: set[Relation],
                   grants: dict[tuple[str, str, str], set[tuple[str, str]]],
                   ) -> dict[Relation, list[dict[str, Any]]]:
    """Each table's ``column_grants`` through the views over it (``db.grants``): grants on the
    view itself or on its columns, for views that run with their definer's rights (an
    INVOKER view's reader needs grants on the tables below). A view whose definition the
    account may not see (``SHOW VIEW``) is not traced."""
    cur.execute("SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, SECURITY_TYPE FROM"
                f" information_schema.VIEWS WHERE {scope}", params)
    uses: dict[Relation, set[tuple[Relation, str]]] = {}
    lineage: dict[Relation, dict[str, set[tuple[Relation, str]] | None]] = {}
    granted: dict[Relation, set[tuple[str, str]]] = {}
    definer_views = set()
    for schema, view, definition, security in cur.fetchall():
        uses[(schema, view)] = mysql_view_uses(definition or "", schema, relations)
        lineage[(schema, view)] = mysql_view_columns(definition or "", schema, relations)
        if str(security).upper() != "INVOKER":
            granted[(schema, view)] = grants.get((schema, view, ""), set())
            definer_views.add((schema, view))
    by_column: dict[Relation, dict[str, set[tuple[str, str]]]] = {}
    for (schema, view, column), pairs in grants.items():
        if column and (schema, view) in definer_views:
            by_column.setdefault((schema, view), {})[column] = pairs
    return through_views(uses, granted, lineage, by_column)


def _version(kind: str, updated: Any, now: Any) -> str | None:
    """UPDATE_TIME, to the second: None (always rescanned) for a view, for a table not
    written since the server started (NULL), and for one written this very second or the
    last (a write later in that second would not change it)."""
    if kind == "VIEW" or updated is None or now is None:
        return None
    if (now - updated).total_seconds() < 2:
        return None
    return str(updated)
