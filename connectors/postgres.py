"""PostgreSQL: ``postgresql://user:pass@host:port/db`` (or ``postgres://``), via psycopg 3.

Every session is read-only (``default_transaction_read_only``) with a ``statement_timeout``.
Grants come from the ACLs themselves (``aclexplode`` of ``relacl``/``attacl``, with the owner's
default when none was ever granted), so ``GRANT SELECT ... TO PUBLIC`` shows as a public read.
Tables are split by page (ctid) ranges; samples use ``TABLESAMPLE BERNOULLI ... REPEATABLE``,
whose keep-or-drop decision depends only on the seed and the tuple's position, so a sample is
the same whatever the ranges.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg import sql

from pia.connectors.base import ScanOptions
from pia.connectors.db.connector import CHUNK_ROWS, DatabaseConnector
from pia.connectors.db.dsn import parse, source_error
from pia.connectors.db.model import Column, Table
from pia.connectors.db.sampling import keep_row

#: privileges reported as grants (the rest are DDL-ish and noise for PI rules)
PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
DEFAULT_TIMEOUT_S = 300

_TABLES = """
SELECT c.oid, n.nspname, c.relname, c.relkind,
       -- the planner's estimate: tuples per page at the last ANALYZE times today's pages
       CASE WHEN c.reltuples > 0 AND c.relpages > 0
            THEN (c.reltuples / c.relpages * (pg_relation_size(c.oid)
                  / current_setting('block_size')::int))::bigint
            ELSE c.reltuples::bigint END,
       (pg_relation_size(c.oid) / current_setting('block_size')::int)::bigint,
       -- changes with every write the statistics collector has seen, and with a rewrite
       c.relfilenode || ':' || pg_stat_get_tuples_inserted(c.oid) || ':'
           || pg_stat_get_tuples_updated(c.oid) || ':' || pg_stat_get_tuples_deleted(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = ANY(%s) AND n.nspname <> 'information_schema'
  AND n.nspname NOT LIKE 'pg\\_%%'
ORDER BY n.nspname, c.relname
"""
_COLUMNS = """
SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod),
       col_description(a.attrelid, a.attnum)
FROM pg_attribute a
WHERE a.attrelid = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""
_TABLE_GRANTS = """
SELECT c.oid, CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee) END,
       g.privilege_type
FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) g
WHERE c.oid = ANY(%s)
"""
_COLUMN_GRANTS = """
SELECT a.attrelid, a.attname,
       CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee) END,
       g.privilege_type
FROM pg_attribute a, aclexplode(a.attacl) g
WHERE a.attrelid = ANY(%s) AND a.attacl IS NOT NULL
"""


class PostgresConnector(DatabaseConnector):
    name = "postgresql"
    engine = "postgresql"

    def accepts(self, uri: str) -> bool:
        return uri.lower().startswith(("postgresql://", "postgres://"))

    def where(self, uri: str) -> str:
        return parse(uri, 5432).where

    def connect(self, uri: str) -> psycopg.Connection[Any]:
        timeout_ms = DEFAULT_TIMEOUT_S * 1000
        try:
            conn = psycopg.connect(
                uri, connect_timeout=10,
                options=f"-c default_transaction_read_only=on -c statement_timeout={timeout_ms}",
            )
        except psycopg.Error as err:
            raise source_error(self.engine, self.where(uri), err) from None
        conn.read_only = True
        return conn

    def reflect(self, conn: psycopg.Connection[Any], uri: str,
                options: ScanOptions) -> tuple[str | None, str, list[Table]]:
        dsn = parse(uri, 5432)
        database = dsn.database or conn.info.dbname
        kinds = ["r", "v", "m"] if options.views else ["r"]
        with conn.cursor() as cur:
            rels = cur.execute(_TABLES, (kinds,)).fetchall()
            oids = [r[0] for r in rels]
            columns: dict[int, list[Column]] = {}
            for oid, name, data_type, comment in cur.execute(_COLUMNS, (oids,)):
                columns.setdefault(oid, []).append(Column(name, data_type, comment))
            grants: dict[int, set[tuple[str, str]]] = {}
            for oid, grantee, privilege in cur.execute(_TABLE_GRANTS, (oids,)):
                if privilege in PRIVILEGES:
                    grants.setdefault(oid, set()).add((grantee, privilege))
            col_readers: dict[tuple[int, str], set[str]] = {}
            for oid, column, grantee, privilege in cur.execute(_COLUMN_GRANTS, (oids,)):
                if privilege == "SELECT":
                    col_readers.setdefault((oid, column), set()).add(grantee)
        tables = []
        for oid, schema, name, kind, tuples, pages, version in rels:
            table_grants = sorted(grants.get(oid, ()))
            table_readers = {g for g, p in table_grants if p == "SELECT"}
            cols = columns.get(oid, [])
            for col in cols:
                col.readers = sorted(table_readers | col_readers.get((oid, col.name), set()))
                col.public_read = "PUBLIC" in col.readers
            table = Table(database=database, schema=schema, name=name, columns=cols,
                          row_estimate=max(int(tuples), 0),
                          grants=[{"grantee": g, "privilege": p} for g, p in table_grants],
                          public_read="PUBLIC" in table_readers,
                          # a view's rows are other tables': no version of its own
                          version=version if kind in ("r", "m") else None)
            if kind == "r" and pages > 0:
                table.key_kind, table.key = "ctid", "ctid"
                table.key_min, table.key_max = 0, pages - 1
            if tuples <= 0 and pages > 0 or kind != "r":
                table.row_estimate = self._count(conn, table)
            tables.append(table)
        conn.rollback()
        return dsn.host, database, tables

    def _count(self, conn: psycopg.Connection[Any], table: Table) -> int:
        query = sql.SQL("SELECT count(*) FROM {}").format(_name(table))
        try:
            with conn.cursor() as cur:
                return int(cur.execute(query).fetchone()[0])
        except psycopg.Error:
            conn.rollback()
            return 0

    def _where(self, table: Table, spec: dict[str, Any]) -> tuple[sql.Composable, list[Any]]:
        if table.key_kind != "ctid" or "lo" not in spec:
            return sql.SQL(""), []
        if spec.get("last"):
            return sql.SQL(" WHERE ctid >= %s::tid"), [f"({spec['lo']},0)"]
        return (sql.SQL(" WHERE ctid >= %s::tid AND ctid < %s::tid"),
                [f"({spec['lo']},0)", f"({spec['hi'] + 1},0)"])

    def fetch(self, conn: psycopg.Connection[Any], table: Table, spec: dict[str, Any],
              options: ScanOptions) -> Iterator[list[tuple[Any, ...]]]:
        cols = sql.SQL(", ").join(sql.Identifier(c.name) for c in table.columns)
        where, params = self._where(table, spec)
        sample = sql.SQL("")
        by_hash = spec["sample"] and table.key_kind != "ctid"  # views: no TABLESAMPLE
        if spec["sample"] and not by_hash:
            percent = min(100.0, 100.0 * options.sample / max(table.row_estimate, 1))
            sample = sql.SQL(" TABLESAMPLE BERNOULLI ({}) REPEATABLE ({})").format(
                sql.Literal(percent), sql.Literal(options.seed))
        query = sql.SQL("SELECT {} FROM {}{}{}").format(cols, _name(table), sample, where)
        fraction = options.sample / max(table.row_estimate, 1)
        with conn.cursor(name="pia_scan") as cur:
            cur.itersize = CHUNK_ROWS
            cur.execute(query, params)
            while rows := cur.fetchmany(CHUNK_ROWS):
                if by_hash:
                    rows = [r for r in rows if keep_row(options.seed, table.qualified, r,
                                                        fraction)]
                yield rows

    def minmax(self, conn: psycopg.Connection[Any], table: Table, spec: dict[str, Any],
               column: str) -> tuple[Any, Any]:
        where, params = self._where(table, spec)
        col = sql.Identifier(column)
        query = sql.SQL("SELECT min({}), max({}) FROM {}{}").format(col, col, _name(table), where)
        with conn.cursor() as cur:
            lo, hi = cur.execute(query, params).fetchone()
        return lo, hi

    def driver_error(self) -> type[BaseException]:
        return psycopg.Error

    def is_table_error(self, err: BaseException) -> bool:
        return isinstance(err, psycopg.errors.InsufficientPrivilege
                          | psycopg.errors.QueryCanceled | psycopg.errors.UndefinedTable)


def _name(table: Table) -> sql.Composable:
    return sql.Identifier(table.schema or "public", table.name)

