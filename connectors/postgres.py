"""PostgreSQL: ``postgresql://user:pass@host:port/db`` (or ``postgres://``), via psycopg 3.

Every session is read-only (``default_transaction_read_only``) with a ``statement_timeout``
and a ``lock_timeout``: planning reads the catalogue only, filters by ``--include`` and
``--exclude``, and then asks the selected tables their size, so a lock on a table that is not
scanned stalls nothing and a lock on one that is skips that table alone. Every per-table query
reads ``FROM ONLY`` the table: an inheritance parent's children are tables of their own. A
partitioned table is the other way round: users name the parent (``crm.orders``), so it is
one table, read through the parent, and its partitions are not listed (``--exclude`` of the
parent excluded nothing and its N partitions gave N copies of every finding). Materialized
views are tables for this purpose (stored copies of rows); plain views only with ``--views``.
A table whose row-level security policies apply to the account gets a partial-coverage note:
the rows it shows are all the scan saw.
Grants come from the ACLs themselves (``aclexplode`` of ``relacl``/``attacl``, with the owner's
default when none was ever granted), so ``GRANT SELECT ... TO PUBLIC`` shows as a public read.
Column grants, and grants on the views of the database over a table's columns (traced through
``pg_depend``, as ``information_schema.view_column_usage`` does, but for views of any owner;
a grant on some of a view's columns through the view's query tree to the columns those are
computed from, ``db.pg_views``), are the table's ``column_grants`` (``db.grants``); a
``security_invoker`` view's grants reach nothing the reader may not read already.
Tables read whole are split by page (ctid) ranges; a sampled table is read as one partition
with ``TABLESAMPLE BERNOULLI ... REPEATABLE`` (which visits every page once: split, it would
visit every page once per range), whose keep-or-drop decision depends only on the seed and
the tuple's position.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg import sql

from pia.connectors.base import ScanOptions
from pia.connectors.db.chunking import chunk_rows, next_fetch, row_bytes
from pia.connectors.db.connector import DatabaseConnector
from pia.connectors.db.dsn import parse, reason, source_error
from pia.connectors.db.grants import column_grants, through_views
from pia.connectors.db.model import Column, Table
from pia.connectors.db.pg_types import adapt, unquotable
from pia.connectors.db.pg_views import view_lineage
from pia.connectors.db.sampling import keep_row
from pia.errors import SourceError
from pia.uri import source_kind

#: privileges reported as grants (the rest are DDL-ish and noise for PI rules)
PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
DEFAULT_TIMEOUT_S = 300
#: how long a statement waits for a lock another session holds before the table is skipped
LOCK_TIMEOUT_S = 5
#: seconds libpq may take to connect, as the MySQL side's handshake: a PostgreSQL server
#: answers its SSLRequest at once, so more is a port where something else listens, or none
CONNECT_TIMEOUT_S = 10
#: the partial-coverage note of a table whose row-level security policies apply to the account
ROW_SECURITY = ("row-level security applies to the account: only the rows its policies let it "
                "read were scanned (counts and samples are of those rows)")

#: the catalogue only: nothing here opens a relation, so a lock held on any table (a long
#: DDL, VACUUM FULL) cannot stall planning; sizes of the selected tables come after
_VERSION = """{0}.relfilenode || ':' || pg_stat_get_tuples_inserted({0}.oid) || ':'
    || pg_stat_get_tuples_updated({0}.oid) || ':' || pg_stat_get_tuples_deleted({0}.oid)"""
_TABLES = f"""
SELECT c.oid, n.nspname, c.relname, c.relkind,
       coalesce(tree.tuples, c.reltuples)::float8, coalesce(tree.pages, c.relpages)::bigint,
       -- changes with every write the statistics collector has seen, and with a rewrite;
       -- a partitioned table's, with any of its partitions'
       coalesce(tree.version, {_VERSION.format("c")}),
       has_table_privilege(c.oid, 'SELECT'), c.relispopulated, row_security_active(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL (
    SELECT sum(greatest(l.reltuples, 0)) AS tuples, sum(l.relpages) AS pages,
           string_agg({_VERSION.format("l")}, ',' ORDER BY l.oid) AS version
    FROM pg_partition_tree(c.oid) t JOIN pg_class l ON l.oid = t.relid
    WHERE t.isleaf) AS tree ON c.relkind = 'p'
WHERE c.relkind = ANY(%s) AND NOT c.relispartition AND n.nspname <> 'information_schema'
  AND n.nspname NOT LIKE 'pg\\_%%'
ORDER BY n.nspname, c.relname
"""
#: today's pages of the selected tables (pg_relation_size takes an AccessShareLock: with
#: lock_timeout a table locked by another session fails alone)
_PAGES = """
SELECT o, (pg_relation_size(o) / current_setting('block_size')::int)::bigint
FROM unnest(%s::oid[]) AS o
"""
#: tables another session holds or waits for an ACCESS EXCLUSIVE lock on (the one mode a
#: read's ACCESS SHARE waits for): asked their size alone, so that their wait is the only one
_LOCKED = """
SELECT DISTINCT l.relation FROM pg_locks l
WHERE l.relation = ANY(%s) AND l.mode = 'AccessExclusiveLock' AND l.pid <> pg_backend_pid()
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""
_COLUMNS = """
SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod),
       col_description(a.attrelid, a.attnum),
       has_column_privilege(a.attrelid, a.attnum, 'SELECT')
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

#: the (relation, column) pairs each view's query uses, views of the server's own schemas aside
_VIEW_USES = """
SELECT DISTINCT vn.nspname, v.relname, tn.nspname, t.relname, a.attname
FROM pg_class v JOIN pg_namespace vn ON vn.oid = v.relnamespace
JOIN pg_rewrite r ON r.ev_class = v.oid
JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
 AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.refobjid <> v.oid
JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
WHERE v.relkind = 'v' AND vn.nspname <> 'information_schema' AND vn.nspname NOT LIKE 'pg\\_%%'
"""
#: views that run with their owner's rights, the owner's own grants aside (what the owner
#: reads through its view, it reads through its grants on the tables below)
_DEFINER_VIEWS = """
WHERE v.relkind = 'v' AND g.grantee <> v.relowner AND n.nspname <> 'information_schema'
  AND n.nspname NOT LIKE 'pg\\_%%'
  AND NOT EXISTS (SELECT 1 FROM pg_options_to_table(v.reloptions) o
                  WHERE o.option_name = 'security_invoker' AND o.option_value::bool)
"""
#: grants on those views
_VIEW_GRANTS = """
SELECT n.nspname, v.relname,
       CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee) END,
       g.privilege_type
FROM pg_class v JOIN pg_namespace n ON n.oid = v.relnamespace,
     aclexplode(coalesce(v.relacl, acldefault('r', v.relowner))) g
""" + _DEFINER_VIEWS
#: grants on columns of those views
_VIEW_COLUMN_GRANTS = """
SELECT v.oid, n.nspname, v.relname, a.attname,
       CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee) END,
       g.privilege_type
FROM pg_class v JOIN pg_namespace n ON n.oid = v.relnamespace
JOIN pg_attribute a ON a.attrelid = v.oid AND a.attnum > 0 AND NOT a.attisdropped
 AND a.attacl IS NOT NULL,
     aclexplode(a.attacl) g
""" + _DEFINER_VIEWS


class PostgresConnector(DatabaseConnector):
    name = "postgresql"
    engine = "postgresql"

    def accepts(self, uri: str) -> bool:
        return source_kind(uri) == "postgres"

    def where(self, uri: str) -> str:
        return parse(uri, 5432).where

    def connect(self, uri: str) -> psycopg.Connection[Any]:
        timeout_ms = DEFAULT_TIMEOUT_S * 1000
        try:
            conn = psycopg.connect(
                uri, connect_timeout=CONNECT_TIMEOUT_S,
                options=f"-c default_transaction_read_only=on -c statement_timeout={timeout_ms}"
                        f" -c lock_timeout={LOCK_TIMEOUT_S * 1000}",
            )
        except psycopg.errors.ConnectionTimeout:
            # libpq's SSLRequest unanswered (an HTTP server waits for a request line), or a
            # firewall dropping packets: "statement or connection timed out" named neither
            raise SourceError(f"{self.engine} {self.where(uri)}: cannot connect: no answer as "
                              f"PostgreSQL within {CONNECT_TIMEOUT_S} s (not a PostgreSQL "
                              "server, or a firewall dropping the connection?)") from None
        except psycopg.Error as err:
            raise source_error(self.engine, self.where(uri), err) from None
        conn.read_only = True
        adapt(conn)
        return conn

    def reflect(self, conn: psycopg.Connection[Any], uri: str,
                options: ScanOptions) -> tuple[str | None, str, list[Table]]:
        dsn = parse(uri, 5432)
        database = dsn.database or conn.info.dbname
        # materialized views hold copies of rows, at rest like a table's: always scanned;
        # a partitioned table is scanned through its parent, partitions never on their own
        kinds = ["r", "p", "m", "v"] if options.views else ["r", "p", "m"]
        with conn.cursor() as cur:
            rels = [r for r in cur.execute(_TABLES, (kinds,)).fetchall()
                    if self.wanted(r[1], r[2], options)]
            oids = [r[0] for r in rels]
            columns: dict[int, list[Column]] = {}
            hidden: dict[int, list[str]] = {}
            unread: dict[int, list[Column]] = {}
            for oid, name, data_type, comment, readable in cur.execute(_COLUMNS, (oids,)):
                columns.setdefault(oid, [])
                if readable:
                    columns[oid].append(Column(name, data_type, comment))
                else:
                    hidden.setdefault(oid, []).append(name)
                    unread.setdefault(oid, []).append(Column(name, data_type, comment))
            grants: dict[int, set[tuple[str, str]]] = {}
            for oid, grantee, privilege in cur.execute(_TABLE_GRANTS, (oids,)):
                if privilege in PRIVILEGES:
                    grants.setdefault(oid, set()).add((grantee, privilege))
            col_grants: dict[int, dict[str, set[tuple[str, str]]]] = {}
            for oid, column, grantee, privilege in cur.execute(_COLUMN_GRANTS, (oids,)):
                if privilege in PRIVILEGES:
                    col_grants.setdefault(oid, {}).setdefault(column, set()).add(
                        (grantee, privilege))
            by_view = _through_views(cur)
        pages = self._pages(conn, [r[0] for r in rels if r[3] in ("r", "m") and r[8]])
        tables = []
        for (oid, schema, name, kind, tuples, relpages, version, readable, populated,
             policed) in rels:
            table_grants = sorted(grants.get(oid, ()))
            table_readers = {g for g, p in table_grants if p == "SELECT"}
            cols = columns.get(oid, [])
            own_cols = col_grants.get(oid, {})
            for col in cols:
                col.readers = sorted(table_readers | {g for g, p in own_cols.get(col.name, ())
                                                      if p == "SELECT"})
                col.public_read = "PUBLIC" in col.readers
            legacy = unquotable(conn, [schema, name, *(c.name for c in cols)])
            table = Table(database=database, schema=schema, name=name, columns=cols,
                          grants=[{"grantee": g, "privilege": p} for g, p in table_grants],
                          column_grants=column_grants(own_cols) + by_view.get((schema, name),
                                                                              []),
                          public_read="PUBLIC" in table_readers,
                          # a view's rows are other tables': no version of its own
                          version=version if kind != "v" else None)
            tables.append(table)
            table.unread = unread.get(oid, [])  # their names and comments are still read
            if legacy:
                table.skipped = legacy
                continue
            if not cols:
                table.skipped = "permission denied" if hidden.get(oid) or not readable else (
                    "no columns")
                continue
            notes = []
            if hidden.get(oid):
                notes.append(f"permission denied on {len(hidden[oid])} of "
                             f"{len(hidden[oid]) + len(cols)} columns (not scanned: "
                             f"{', '.join(hidden[oid])})")
            if policed:
                notes.append(ROW_SECURITY)
            table.partial = "; ".join(notes) or None
            if kind == "m" and not populated:  # its own error says why
                self._count(conn, table)
                continue
            now = pages.get(oid)
            if isinstance(now, str):
                table.skipped = now
                continue
            now = relpages if now is None else now
            # the planner's estimate: tuples per page at the last ANALYZE times today's pages
            table.row_estimate = max(0, int(tuples / relpages * now if tuples > 0 and relpages > 0
                                            else tuples))
            if kind == "p":
                # through the parent: TABLESAMPLE samples every partition, read whole
                # in one pass (ctids repeat from one partition to the next)
                table.key_kind = "tree"
            elif kind in ("r", "m") and now > 0 and oid in hidden:
                table.key_kind = "pages"  # ctid needs a table grant: sampled, not split
            elif kind in ("r", "m") and now > 0:
                table.key_kind, table.key = "ctid", "ctid"
                table.key_min, table.key_max = 0, now - 1
            if kind == "v" or tuples <= 0 and (now > 0 or kind == "p"):
                self._count(conn, table)
        conn.rollback()
        return dsn.host, database, tables

    def _pages(self, conn: psycopg.Connection[Any], oids: list[int]) -> dict[int, int | str]:
        """Today's page count of each table, or why it cannot be had (a lock). A table locked
        by another session is asked alone and the others all at once: asked together, the
        lock's timeout was waited for twice, once for all of them and once for it alone
        (qa-db: one locked table made a 4 s scan take 25 s)."""
        with conn.cursor() as cur:
            locked = {r[0] for r in cur.execute(_LOCKED, (oids,)).fetchall()}
        out = self._sizes(conn, [o for o in oids if o not in locked])
        for oid in oids:
            if oid in locked:
                out.update(self._sizes(conn, [oid]))
        return out

    def _sizes(self, conn: psycopg.Connection[Any], oids: list[int]) -> dict[int, int | str]:
        """``_pages`` of ``oids``: all at once, then one by one when one of them waits for a
        lock taken since (each one's wait then comes twice)."""
        if not oids:
            return {}
        try:
            with conn.cursor() as cur:
                return dict(cur.execute(_PAGES, (oids,)).fetchall())
        except psycopg.Error as err:
            conn.rollback()
            if not self.is_table_error(err) or len(oids) <= 1:
                if len(oids) == 1 and self.is_table_error(err):
                    return {oids[0]: reason(err)}
                raise
        out: dict[int, int | str] = {}
        for oid in oids:
            out.update(self._sizes(conn, [oid]))
        return out

    def _count(self, conn: psycopg.Connection[Any], table: Table) -> None:
        # through a column the account may read: with column grants only, count(*) of the
        # table itself is denied
        query = sql.SQL("SELECT count(*) FROM (SELECT {} FROM {}) AS t").format(
            sql.Identifier(table.columns[0].name), _from(table))
        try:
            with conn.cursor() as cur:
                table.row_estimate = int(cur.execute(query).fetchone()[0])
        except psycopg.Error as err:
            conn.rollback()
            if not self.is_table_error(err):
                raise
            table.skipped = reason(err)

    def ranges(self, table: Table, options: ScanOptions) -> list[dict[str, Any]]:
        """Page ranges for a table read whole; a sampled table is one partition, because
        TABLESAMPLE BERNOULLI visits every page of the relation whatever ctid range filters
        its rows: split into P ranges it read the table P times (1M rows: 5 x 7,353 pages)."""
        if self.sampling(table, options):
            return [{}]
        return super().ranges(table, options)

    @staticmethod
    def _where(table: Table, spec: dict[str, Any]) -> sql.Composable:
        """The partition's page range. Its bounds are literals, not parameters: with
        parameters the driver reads every ``%`` of the statement as a placeholder's, and a
        ``%`` in a quoted table name failed the whole source (qa-dbodd 1)."""
        if table.key_kind != "ctid" or "lo" not in spec:
            return sql.SQL("")
        lo = sql.Literal(f"({int(spec['lo'])},0)")
        if spec.get("last"):
            return sql.SQL(" WHERE ctid >= {}::tid").format(lo)
        return sql.SQL(" WHERE ctid >= {}::tid AND ctid < {}::tid").format(
            lo, sql.Literal(f"({int(spec['hi']) + 1},0)"))

    def fetch(self, conn: psycopg.Connection[Any], table: Table, spec: dict[str, Any],
              options: ScanOptions) -> Iterator[list[tuple[Any, ...]]]:
        cols = sql.SQL(", ").join(sql.Identifier(c.name) for c in table.columns)
        where = self._where(table, spec)
        sample = sql.SQL("")
        # views: no TABLESAMPLE
        by_hash = spec["sample"] and table.key_kind not in ("ctid", "pages", "tree")
        if spec["sample"] and not by_hash:
            percent = min(100.0, 100.0 * options.sample / max(table.row_estimate, 1))
            sample = sql.SQL(" TABLESAMPLE BERNOULLI ({}) REPEATABLE ({})").format(
                sql.Literal(percent), sql.Literal(options.seed))
        query = sql.SQL("SELECT {} FROM {}{}{}").format(cols, _from(table), sample, where)
        fraction = options.sample / max(table.row_estimate, 1)
        with conn.cursor(name="pia_scan") as cur:
            size = cur.itersize = chunk_rows(table)
            cur.execute(query)
            widest, want = 0, 1  # a first row, to see how wide rows are (CHUNK_BYTES)
            while rows := cur.fetchmany(want):
                widest = max(widest, max(map(row_bytes, rows)))
                want = next_fetch(size, widest)
                if by_hash:
                    rows = [r for r in rows if keep_row(options.seed, table.qualified, r,
                                                        fraction)]
                yield rows

    def minmax(self, conn: psycopg.Connection[Any], table: Table, spec: dict[str, Any],
               column: str) -> tuple[Any, Any]:
        col = sql.Identifier(column)
        query = sql.SQL("SELECT min({}), max({}) FROM {}{}").format(
            col, col, _from(table), self._where(table, spec))
        with conn.cursor() as cur:
            lo, hi = cur.execute(query).fetchone()
        return lo, hi

    def driver_error(self) -> type[BaseException]:
        return psycopg.Error

    def is_table_error(self, err: BaseException) -> bool:
        """Anything the server says about one relation (no privilege, a lock, a timeout, a
        materialized view never populated, a view over a dropped table, a value it cannot
        convert); not a connection that failed or the server shutting down. A value the
        driver cannot convert has no SQLSTATE (``pg_types`` keeps those as text): it fails
        its table, not the source."""
        state = getattr(err, "sqlstate", None) or ""
        if not state:
            return isinstance(err, psycopg.DataError)
        return not state.startswith(("08", "28", "3D", "57P", "53", "XX"))


def _through_views(cur: psycopg.Cursor[Any]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Each table's ``column_grants`` through the views over it (``db.grants``): grants on
    a view, and on its columns (traced column by column: ``pg_views``)."""
    uses: dict[tuple[str, str], set[tuple[tuple[str, str], str]]] = {}
    for vschema, view, schema, table, column in cur.execute(_VIEW_USES):
        uses.setdefault((vschema, view), set()).add(((schema, table), column))
    granted: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for vschema, view, grantee, privilege in cur.execute(_VIEW_GRANTS):
        if privilege in PRIVILEGES and (vschema, view) in uses:
            granted.setdefault((vschema, view), set()).add((grantee, privilege))
    by_column: dict[tuple[str, str], dict[str, set[tuple[str, str]]]] = {}
    oids = set()
    for oid, vschema, view, column, grantee, privilege in cur.execute(_VIEW_COLUMN_GRANTS):
        if privilege in PRIVILEGES and (vschema, view) in uses:
            by_column.setdefault((vschema, view), {}).setdefault(column, set()).add(
                (grantee, privilege))
            oids.add(oid)
    lineage = view_lineage(cur, oids) if oids else {}
    return through_views(uses, granted, lineage, by_column)


def _from(table: Table) -> sql.Composable:
    """What a table's rows are read from: ``ONLY`` the table (an inheritance parent's own
    rows, its children are tables of their own), a partitioned table whole (its partitions
    are not tables of their own)."""
    name = sql.Identifier(table.schema or "public", table.name)
    return name if table.key_kind == "tree" else sql.SQL("ONLY {}").format(name)

