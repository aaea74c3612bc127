"""MySQL and MariaDB: ``mysql://user:pass@host:port/db``, via PyMySQL.

Sessions are read-only (``SET SESSION TRANSACTION READ ONLY`` then ``START TRANSACTION READ
ONLY``) with a statement timeout, whose name differs: MySQL's ``max_execution_time`` is in
milliseconds, MariaDB's ``max_statement_time`` in seconds. Grants come from
``information_schema`` (global, schema, table and column privileges); a grantee whose host is
``'%'`` holding SELECT makes a public read. Tables with an integer primary key are split and
sampled by key; others are read whole and sampled by a keyed hash of the row.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pymysql
import pymysql.cursors

from pia.connectors.base import ScanOptions
from pia.connectors.db.connector import CHUNK_ROWS, DatabaseConnector, chunks
from pia.connectors.db.dsn import parse, source_error
from pia.connectors.db.model import Column, Table
from pia.connectors.db.sampling import keep_row

PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
DEFAULT_TIMEOUT_S = 300
IN_BATCH = 1000
_INTEGER = {"tinyint", "smallint", "mediumint", "int", "integer", "bigint"}
#: MySQL error codes that fail one table, not the source (SELECT/column command denied,
#: timeout, table gone)
TABLE_ERRNOS = {1142, 1143, 1146, 3024, 1969}


def quote_ident(name: str) -> str:
    """MySQL identifier quoting: backticks, embedded backticks doubled."""
    return "`" + name.replace("`", "``") + "`"


def _host_of(grantee: str) -> str:
    return grantee.rsplit("@", 1)[-1].strip("'") if "@" in grantee else ""


class MysqlConnector(DatabaseConnector):
    name = "mysql"
    engine = "mysql"

    def accepts(self, uri: str) -> bool:
        return uri.lower().startswith(("mysql://", "mariadb://", "mysql+pymysql://"))

    def where(self, uri: str) -> str:
        return parse(uri, 3306).where

    def connect(self, uri: str) -> pymysql.connections.Connection:
        dsn = parse(uri, 3306)
        try:
            conn = pymysql.connect(
                host=dsn.host, port=dsn.port or 3306, user=dsn.user or "root",
                password=dsn.password or "", database=dsn.database or None,
                charset="utf8mb4", connect_timeout=10, autocommit=False,
            )
        except pymysql.Error as err:
            raise source_error(self.engine, dsn.where, err) from None
        with conn.cursor() as cur:
            cur.execute("SELECT VERSION()")
            version = str(cur.fetchone()[0])
            if "mariadb" in version.lower():
                cur.execute(f"SET SESSION max_statement_time = {DEFAULT_TIMEOUT_S}")
            else:
                cur.execute(f"SET SESSION max_execution_time = {DEFAULT_TIMEOUT_S * 1000}")
            cur.execute("SET SESSION TRANSACTION READ ONLY")
            cur.execute("START TRANSACTION READ ONLY")
        return conn

    def reflect(self, conn: pymysql.connections.Connection, uri: str,
                options: ScanOptions) -> tuple[str | None, str, list[Table]]:
        dsn = parse(uri, 3306)
        database = dsn.database
        kinds = ("BASE TABLE", "VIEW", "SYSTEM VERSIONED") if options.views else (
            "BASE TABLE", "SYSTEM VERSIONED")
        with conn.cursor() as cur:
            cur.execute("SELECT TABLE_NAME, TABLE_TYPE, TABLE_ROWS, UPDATE_TIME, NOW()"
                        " FROM information_schema.TABLES"
                        " WHERE TABLE_SCHEMA = %s ORDER BY TABLE_NAME", (database,))
            rels = [r for r in cur.fetchall() if r[1] in kinds]
            cur.execute("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, COLUMN_COMMENT, DATA_TYPE"
                        " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s"
                        " ORDER BY TABLE_NAME, ORDINAL_POSITION", (database,))
            columns: dict[str, list[tuple[str, str, str, str]]] = {}
            for table, name, ctype, comment, dtype in cur.fetchall():
                columns.setdefault(table, []).append((name, ctype, comment, dtype))
            cur.execute("SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE"
                        " WHERE TABLE_SCHEMA = %s AND CONSTRAINT_NAME = 'PRIMARY'", (database,))
            keys: dict[str, list[str]] = {}
            for table, name in cur.fetchall():
                keys.setdefault(table, []).append(name)
            grants = self._grants(cur, database)
        tables = []
        for name, kind, _rows, updated, now in rels:
            table_grants = sorted(grants.get(("", ""), set()) | grants.get((name, ""), set()))
            readers = {g for g, p in table_grants if p == "SELECT"}
            cols = []
            for col, ctype, comment, _dtype in columns.get(name, []):
                col_readers = sorted(readers | {g for g, p in grants.get((name, col), set())
                                                if p == "SELECT"})
                cols.append(Column(col, ctype, comment or None, col_readers,
                                   any(_host_of(g) == "%" for g in col_readers)))
            table = Table(database=database, schema=database, name=name, columns=cols,
                          grants=[{"grantee": g, "privilege": p} for g, p in table_grants],
                          public_read=any(_host_of(g) == "%" for g in readers),
                          version=_version(kind, updated, now))
            key = keys.get(name, [])
            dtypes = {c[0]: c[3] for c in columns.get(name, [])}
            if kind != "VIEW" and len(key) == 1 and dtypes.get(key[0]) in _INTEGER:
                table.key_kind, table.key = "pk", key[0]
            self._stats(conn, table)
            tables.append(table)
        return dsn.host, database, tables

    def _grants(self, cur: Any, database: str) -> dict[tuple[str, str], set[tuple[str, str]]]:
        """(table, column) → {(grantee, privilege)}; ("", "") holds global and schema grants."""
        out: dict[tuple[str, str], set[tuple[str, str]]] = {}
        queries = (
            ("SELECT GRANTEE, PRIVILEGE_TYPE, '', '' FROM information_schema.USER_PRIVILEGES",
             ()),
            ("SELECT GRANTEE, PRIVILEGE_TYPE, '', '' FROM information_schema.SCHEMA_PRIVILEGES"
             " WHERE TABLE_SCHEMA = %s", (database,)),
            ("SELECT GRANTEE, PRIVILEGE_TYPE, TABLE_NAME, '' FROM"
             " information_schema.TABLE_PRIVILEGES WHERE TABLE_SCHEMA = %s", (database,)),
            ("SELECT GRANTEE, PRIVILEGE_TYPE, TABLE_NAME, COLUMN_NAME FROM"
             " information_schema.COLUMN_PRIVILEGES WHERE TABLE_SCHEMA = %s", (database,)),
        )
        for query, params in queries:
            cur.execute(query, params)
            for grantee, privilege, table, column in cur.fetchall():
                if privilege in PRIVILEGES:
                    out.setdefault((table, column), set()).add((grantee, privilege))
        return out

    def _stats(self, conn: pymysql.connections.Connection, table: Table) -> None:
        q = quote_ident(table.name)
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
                    raise  # anything but "no privilege" fails the plan, loudly
                # the partition will record the skip
                table.key_kind, table.key, table.key_min, table.key_max = "", None, None, None

    def fetch(self, conn: pymysql.connections.Connection, table: Table, spec: dict[str, Any],
              options: ScanOptions) -> Iterator[list[tuple[Any, ...]]]:
        cols = ", ".join(quote_ident(c.name) for c in table.columns)
        q = f"SELECT {cols} FROM {quote_ident(table.name)}"
        if table.key_kind != "pk" or "lo" not in spec:
            fraction = options.sample / max(table.row_estimate, 1) if spec["sample"] else 1.0
            yield from chunks(r for r in self._stream(conn, q, ())
                              if keep_row(options.seed, table.qualified, r, fraction))
            return
        k = quote_ident(table.key or "")
        if not spec["sample"]:
            yield from chunks(self._stream(conn, f"{q} WHERE {k} BETWEEN %s AND %s",
                                           (spec["lo"], spec["hi"])))
            return
        keys = self.sample_keys(table, spec, options)
        rows: list[tuple[Any, ...]] = []
        with conn.cursor() as cur:
            for i in range(0, len(keys), IN_BATCH):
                batch = keys[i:i + IN_BATCH]
                cur.execute(f"{q} WHERE {k} IN ({','.join(['%s'] * len(batch))})", batch)
                rows += cur.fetchall()
        yield from chunks(rows)

    def _stream(self, conn: pymysql.connections.Connection, query: str,
                params: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        with conn.cursor(pymysql.cursors.SSCursor) as cur:
            cur.execute(query, params)
            while rows := cur.fetchmany(CHUNK_ROWS):
                yield from rows

    def minmax(self, conn: pymysql.connections.Connection, table: Table, spec: dict[str, Any],
               column: str) -> tuple[Any, Any]:
        c = quote_ident(column)
        q = f"SELECT MIN({c}), MAX({c}) FROM {quote_ident(table.name)}"
        params: tuple[Any, ...] = ()
        if table.key_kind == "pk" and "lo" in spec:
            q += f" WHERE {quote_ident(table.key or '')} BETWEEN %s AND %s"
            params = (spec["lo"], spec["hi"])
        with conn.cursor() as cur:
            cur.execute(q, params)
            lo, hi = cur.fetchone()
        return lo, hi

    def driver_error(self) -> type[BaseException]:
        return pymysql.Error

    def is_table_error(self, err: BaseException) -> bool:
        return (isinstance(err, pymysql.Error) and bool(err.args)
                and err.args[0] in TABLE_ERRNOS)


def _version(kind: str, updated: Any, now: Any) -> str | None:
    """UPDATE_TIME, to the second: None (always rescanned) for a view, for a table not
    written since the server started (NULL), and for one written this very second or the
    last (a write later in that second would not change it)."""
    if kind == "VIEW" or updated is None or now is None:
        return None
    if (now - updated).total_seconds() < 2:
        return None
    return str(updated)
