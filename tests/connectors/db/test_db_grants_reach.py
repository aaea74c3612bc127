"""Grants that reach PI columns other than through a grant on the table (QA M6): column grants
and grants on views over the table are table facts' ``column_grants``, and PIPL-51-ACCESS and
CSL-42-NO-DISCLOSURE judge them against the table's PI columns, naming the grantee, the view
and the PI columns reached, on the real PostgreSQL and MariaDB servers."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from db_servers import mysql_connect, unique

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, scan_serial

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _resident_id(n: int) -> str:
    body = f"11010519{80 + n % 10}0{1 + n % 9}1{n % 10}{n % 10}{n % 7}{n % 9}"[:17]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]
    return body + check


ROWS = [(n, _resident_id(n), f"1380013{n:04d}", n % 5) for n in range(30)]


def _scan(dsn: str, tmp_path: Path, *extra: str) -> dict[str, Any]:
    out = tmp_path / "r.json"
    run = subprocess.run([sys.executable, "-m", "pia", "scan", dsn, "-q", "--format", "json",
                          "-o", str(out), *extra], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    text = out.read_text(encoding="utf-8")
    assert not any(value in text for row in ROWS for value in row[1:3])  # no raw PI
    return json.loads(text)


def _evidence(report: dict[str, Any], rule_id: str, table: str) -> dict[str, Any]:
    [found] = [f for f in report["findings"] if f["rule_id"] == rule_id
               and f["locations"][0].get("table") == table]
    return found["evidence"]


def _declare(tmp_path: Path, dsn: str, readers: list[str]) -> None:
    (tmp_path / "pia.yaml").write_text(
        "version: 1\norganisation: {name: 示例}\nassets:\n"
        f"  - id: db\n    source: \"{dsn}\"\n    readers: {json.dumps(readers)}\n",
        encoding="utf-8")


@contextmanager
def _pg_kyc(pg_db: str, pg_admin: Any, prefix: str,
            *statements: str) -> Iterator[tuple[str, str, str, str]]:
    """A schema of its own holding ``kyc`` (resident IDs, mobiles, a grade) and two roles,
    an analyst and bi; ``statements`` then run with ``{s}``, ``{analyst}`` and ``{bi}``
    filled in. Yields (dsn, schema, analyst, bi); drops them all after."""
    import psycopg

    schema, analyst, bi = unique(prefix), unique("pia_analyst"), unique("pia_bi")
    for role in (analyst, bi):
        pg_admin.execute(f'CREATE ROLE "{role}"')
    with psycopg.connect(pg_db, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
        conn.execute(f'CREATE TABLE "{schema}".kyc(id int, sfzh varchar(18), shouji varchar(11),'
                     " grade int)")
        with conn.cursor() as cur:
            cur.executemany(f'INSERT INTO "{schema}".kyc VALUES (%s, %s, %s, %s)', ROWS)
        for statement in statements:
            conn.execute(statement.format(s=f'"{schema}"', analyst=f'"{analyst}"',
                                          bi=f'"{bi}"'))
        try:
            yield pg_db, schema, analyst, bi
        finally:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
            for role in (analyst, bi):
                conn.execute(f'DROP OWNED BY "{role}"')
    for role in (analyst, bi):
        pg_admin.execute(f'DROP ROLE "{role}"')


@pytest.fixture
def pg_reach(pg_db: str, pg_admin: Any) -> Iterator[tuple[str, str, str, str]]:
    """``kyc`` granted column by column to an analyst (PI columns) and to bi (the grade
    alone), and read by views granted to PUBLIC: one over the mobiles, one over the grade,
    one ``security_invoker`` over the IDs, and a view over a view over the IDs granted to bi.
    Yields (dsn, schema, analyst, bi)."""
    views = [(view, query, options) for view, query, options in (
        ("v_contact", "SELECT id, shouji FROM {s}.kyc", ""),
        ("v_grade", "SELECT grade FROM {s}.kyc", ""),
        ("v_invoker", "SELECT sfzh FROM {s}.kyc", " WITH (security_invoker)"))]
    with _pg_kyc(
            pg_db, pg_admin, "reach",
            "GRANT SELECT (id, sfzh, shouji) ON {s}.kyc TO {analyst}",
            "GRANT SELECT (id, grade) ON {s}.kyc TO {bi}",
            *(f"CREATE VIEW {{s}}.{view}{options} AS {query}" for view, query, options in views),
            *(f"GRANT SELECT ON {{s}}.{view} TO PUBLIC" for view, _q, _o in views),
            "CREATE VIEW {s}.v_inner AS SELECT id, sfzh FROM {s}.kyc",
            "CREATE VIEW {s}.v_outer AS SELECT sfzh FROM {s}.v_inner",
            "GRANT SELECT ON {s}.v_outer TO {bi}") as made:
        yield made


def test_postgres_column_and_view_grants_are_table_facts(
        pg_reach: tuple[str, str, str, str], ctx: ScanContext) -> None:
    dsn, schema, analyst, bi = pg_reach
    result = scan_serial(connector_for(dsn), dsn, ScanOptions(include=[f"{schema}.*"]), ctx)
    [kyc] = [f["attributes"] for f in result.facts
             if f["kind"] == "table" and f["location"]["table"] == "kyc"]
    assert kyc["public_read"] is False
    assert sorted(kyc["column_grants"], key=json.dumps) == sorted([
        {"grantee": analyst, "privilege": "SELECT", "columns": ["id", "sfzh", "shouji"]},
        {"grantee": bi, "privilege": "SELECT", "columns": ["grade", "id"]},
        {"grantee": "PUBLIC", "privilege": "SELECT", "columns": ["id", "shouji"],
         "view": f"{schema}.v_contact"},
        {"grantee": "PUBLIC", "privilege": "SELECT", "columns": ["grade"],
         "view": f"{schema}.v_grade"},
        # through the inner view, whose every column stands for what it reads
        {"grantee": bi, "privilege": "SELECT", "columns": ["id", "sfzh"],
         "view": f"{schema}.v_outer"},
    ], key=json.dumps)  # v_invoker: its readers need grants on kyc itself


def test_postgres_grants_reaching_pi_columns_are_findings(
        pg_reach: tuple[str, str, str, str], tmp_path: Path) -> None:
    dsn, schema, analyst, bi = pg_reach
    _declare(tmp_path, dsn, ["postgres"])
    report = _scan(dsn, tmp_path, "--include", f"{schema}.*", "--config", "pia.yaml")
    access = _evidence(report, "PIPL-51-ACCESS", "kyc")
    assert access["public_read"] is False
    public = [g for g in access["pi_grants"] if g["grantee"] == "PUBLIC"]
    assert public == [{"grantee": "PUBLIC", "privilege": "SELECT", "columns": ["shouji"],
                       "view": f"{schema}.v_contact"}]
    disclosure = _evidence(report, "CSL-42-NO-DISCLOSURE", "kyc")
    reach = {(g["grantee"], g.get("view")): g["columns"] for g in disclosure["pi_grants"]}
    assert reach == {("postgres", None): ["sfzh", "shouji"],
                     (analyst, None): ["sfzh", "shouji"],
                     ("PUBLIC", f"{schema}.v_contact"): ["shouji"],
                     (bi, f"{schema}.v_outer"): ["sfzh"]}  # bi's own grant is of the grade


@contextmanager
def _my_kyc(my_db: str, statements: list[str], views: list[str],
            public: list[str]) -> Iterator[tuple[str, str, str]]:
    """``_pg_kyc`` on MariaDB: a table ``kyc`` of its own and a user; ``statements`` run
    with ``{db}``, ``{t}`` (the table, whose name prefixes its ``views``) and ``{user}``
    filled in. Yields (dsn, table, user as a grantee); revokes what ``public`` lists (the
    grants to PUBLIC outlive their views otherwise) and drops them all after."""
    db, table, user = my_db.rsplit("/", 1)[-1], unique("kyc"), unique("pia_an")
    conn: Any = mysql_connect(my_db, autocommit=True)
    fill = {"db": db, "t": table, "user": f"'{user}'@'localhost'"}
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE `{table}`(id int primary key, sfzh varchar(18),"
                    " shouji varchar(11), grade int)")
        cur.executemany(f"INSERT INTO `{table}` VALUES (%s, %s, %s, %s)", ROWS)
        cur.execute(f"CREATE USER '{user}'@'localhost'")
        for statement in statements:
            cur.execute(statement.format(**fill))
    try:
        yield my_db, table, fill["user"]
    finally:
        with conn.cursor() as cur:
            for grant in public:
                cur.execute(f"REVOKE {grant.format(**fill)} FROM PUBLIC")
            cur.execute(f"DROP USER '{user}'@'localhost'")
            cur.execute(f"DROP VIEW {', '.join(f'`{table}_{v}`' for v in views)}")
            cur.execute(f"DROP TABLE `{table}`")
        conn.close()


@pytest.fixture
def my_reach(my_db: str, mysql_admin: Any) -> Iterator[tuple[str, str, str]]:
    """``pg_reach`` on MariaDB: a column grant of the IDs to an analyst, a DEFINER view over
    the mobiles and an INVOKER view over the IDs granted to PUBLIC, a view over the grade
    granted to the analyst. Yields (dsn, table, analyst grantee)."""
    public = ["SELECT ON `{db}`.`{t}_contact`", "SELECT ON `{db}`.`{t}_ids`"]
    with _my_kyc(my_db, [
            "GRANT SELECT (id, sfzh) ON `{db}`.`{t}` TO {user}",
            "CREATE VIEW `{t}_contact` AS SELECT k.id, k.shouji AS tel FROM `{t}` k"
            " WHERE k.id >= 0",
            "CREATE SQL SECURITY INVOKER VIEW `{t}_ids` AS SELECT sfzh FROM `{t}`",
            "CREATE VIEW `{t}_grade` AS SELECT grade FROM `{t}`",
            "GRANT SELECT ON `{db}`.`{t}_grade` TO {user}",
            *(f"GRANT {grant} TO PUBLIC" for grant in public)],
            ["contact", "ids", "grade"], public) as made:
        yield made


def test_mysql_column_and_view_grants_are_table_facts(my_reach: tuple[str, str, str],
                                                      ctx: ScanContext) -> None:
    dsn, table, analyst = my_reach
    db = dsn.rsplit("/", 1)[-1]
    result = scan_serial(connector_for(dsn), dsn, ScanOptions(include=[table]), ctx)
    [kyc] = [f["attributes"] for f in result.facts
             if f["kind"] == "table" and f["location"]["table"] == table]
    assert kyc["public_read"] is False
    assert sorted(kyc["column_grants"], key=json.dumps) == sorted([
        {"grantee": analyst, "privilege": "SELECT", "columns": ["id", "sfzh"]},
        {"grantee": "'PUBLIC'@''", "privilege": "SELECT", "columns": ["id", "shouji"],
         "view": f"{db}.{table}_contact"},
        {"grantee": analyst, "privilege": "SELECT", "columns": ["grade"],
         "view": f"{db}.{table}_grade"},
    ], key=json.dumps)


def test_mysql_grants_reaching_pi_columns_are_findings(my_reach: tuple[str, str, str],
                                                       tmp_path: Path) -> None:
    dsn, table, analyst = my_reach
    db = dsn.rsplit("/", 1)[-1]
    _declare(tmp_path, dsn, ["'root'@'localhost'"])
    report = _scan(dsn, tmp_path, "--include", table, "--config", "pia.yaml")
    access = _evidence(report, "PIPL-51-ACCESS", table)
    assert [g for g in access["pi_grants"] if g["grantee"] == "'PUBLIC'@''"] == [
        {"grantee": "'PUBLIC'@''", "privilege": "SELECT", "columns": ["shouji"],
         "view": f"{db}.{table}_contact"}]
    disclosure = _evidence(report, "CSL-42-NO-DISCLOSURE", table)
    reach = {(g["grantee"], g.get("view")): g["columns"] for g in disclosure["pi_grants"]
             if g["grantee"] in (analyst, "'PUBLIC'@''")}  # not the server's global accounts
    assert reach == {(analyst, None): ["sfzh"],
                     ("'PUBLIC'@''", f"{db}.{table}_contact"): ["shouji"]}


@pytest.fixture
def pg_view_columns(pg_db: str, pg_admin: Any) -> Iterator[tuple[str, str, str, str]]:
    """``kyc`` read whole by a view ``v_card`` granted column by column: its grade and id
    to bi, its mobiles to PUBLIC; and ``v_outer`` over it, the upper-cased IDs of which are
    granted to the analyst, its grade to no one. Yields (dsn, schema, analyst, bi)."""
    with _pg_kyc(
            pg_db, pg_admin, "vcols",
            "CREATE VIEW {s}.v_card AS SELECT k.id, k.sfzh AS idno, k.shouji, k.grade"
            " FROM {s}.kyc k WHERE k.id >= 0",
            "CREATE VIEW {s}.v_outer AS SELECT upper(c.idno) AS s, c.grade FROM {s}.v_card c",
            "GRANT SELECT (grade, id) ON {s}.v_card TO {bi}",
            "GRANT SELECT (shouji) ON {s}.v_card TO PUBLIC",
            "GRANT SELECT (s) ON {s}.v_outer TO {analyst}") as made:
        yield made


def _views_columns_reach(dsn: str, include: str, table: str, views: tuple[str, str],
                         grantees: tuple[str, str, str], readers: list[str],
                         ctx: ScanContext, tmp_path: Path) -> None:
    """What ``pg_view_columns`` and ``my_view_columns`` grant reaches: ``views`` are the
    card and outer views (``schema.view``), ``grantees`` bi, the analyst and PUBLIC."""
    card, outer = views
    bi, analyst, public = grantees
    result = scan_serial(connector_for(dsn), dsn, ScanOptions(include=[include]), ctx)
    [kyc] = [f["attributes"] for f in result.facts
             if f["kind"] == "table" and f["location"]["table"] == table]
    assert sorted(kyc["column_grants"], key=json.dumps) == sorted([
        {"grantee": bi, "privilege": "SELECT", "columns": ["grade", "id"], "view": card},
        {"grantee": public, "privilege": "SELECT", "columns": ["shouji"], "view": card},
        {"grantee": analyst, "privilege": "SELECT", "columns": ["sfzh"], "view": outer},
    ], key=json.dumps)
    _declare(tmp_path, dsn, readers)
    report = _scan(dsn, tmp_path, "--include", include, "--config", "pia.yaml")
    access = _evidence(report, "PIPL-51-ACCESS", table)
    assert [g for g in access["pi_grants"] if g["grantee"] == public] == [
        {"grantee": public, "privilege": "SELECT", "columns": ["shouji"], "view": card}]
    disclosure = _evidence(report, "CSL-42-NO-DISCLOSURE", table)
    reach = {(g["grantee"], g.get("view")): g["columns"] for g in disclosure["pi_grants"]
             if g["grantee"] in grantees}  # not the owner's, nor the server's global accounts
    assert reach == {(public, card): ["shouji"], (analyst, outer): ["sfzh"]}


def test_postgres_column_grants_on_views_reach_the_columns_they_are_computed_from(
        pg_view_columns: tuple[str, str, str, str], tmp_path: Path, ctx: ScanContext) -> None:
    """A column grant on a view reached nothing: ``GRANT SELECT (shouji) ON v_card TO
    PUBLIC`` let anyone read the mobiles of ``kyc`` unreported. Each granted view column is
    traced to the columns it is computed from, through a view over a view (``upper(idno)``
    is ``kyc.sfzh``); the grade and id granted to bi reach no PI."""
    dsn, schema, analyst, bi = pg_view_columns
    _views_columns_reach(dsn, f"{schema}.*", "kyc", (f"{schema}.v_card", f"{schema}.v_outer"),
                         (bi, analyst, "PUBLIC"), ["postgres"], ctx, tmp_path)


@pytest.fixture
def my_view_columns(my_db: str, mysql_admin: Any) -> Iterator[tuple[str, str, str]]:
    """``pg_view_columns`` on MariaDB: column privileges on a DEFINER view (the grade and id
    to the user, the mobiles to PUBLIC) and on a view over it (its upper-cased IDs to the
    user). Yields (dsn, table, grantee)."""
    public = ["SELECT (shouji) ON `{db}`.`{t}_card`"]
    with _my_kyc(my_db, [
            "CREATE VIEW `{t}_card` AS SELECT k.id, k.sfzh AS idno, k.shouji, k.grade"
            " FROM `{t}` k WHERE k.id >= 0",
            "CREATE VIEW `{t}_outer` AS SELECT upper(c.idno) AS s, c.grade FROM `{t}_card` c",
            "GRANT SELECT (grade, id) ON `{db}`.`{t}_card` TO {user}",
            "GRANT SELECT (s) ON `{db}`.`{t}_outer` TO {user}",
            *(f"GRANT {grant} TO PUBLIC" for grant in public)],
            ["outer", "card"], public) as made:
        yield made


def test_mysql_column_grants_on_views_reach_the_columns_they_are_computed_from(
        my_view_columns: tuple[str, str, str], tmp_path: Path, ctx: ScanContext) -> None:
    dsn, table, user = my_view_columns
    db = dsn.rsplit("/", 1)[-1]
    _views_columns_reach(dsn, table, table, (f"{db}.{table}_card", f"{db}.{table}_outer"),
                         (user, user, "'PUBLIC'@''"), ["'root'@'localhost'"], ctx, tmp_path)


_KNOWN = {("shop", "kyc"), ("shop", "orders"), ("shop", "v_kyc")}


@pytest.mark.parametrize(("definition", "uses"), [
    # MySQL 8: every column qualified by schema and table
    ("select `shop`.`kyc`.`sfzh` AS `id_no` from `shop`.`kyc`",
     {(("shop", "kyc"), "sfzh")}),
    # MariaDB: by the table's alias, across a join; a backquote doubled inside a name
    ("select `k`.`sfzh` AS `sfzh`,`o`.`a``b` AS `x` from (`shop`.`kyc` `k` join `shop`.`orders`"
     " `o` on(`o`.`kid` = `k`.`id`))",
     {(("shop", "kyc"), "sfzh"), (("shop", "orders"), "a`b"), (("shop", "orders"), "kid"),
      (("shop", "kyc"), "id")}),
    # by the table's bare name, a view among the relations
    ("select `v_kyc`.`sfzh` AS `sfzh` from `shop`.`v_kyc`", {(("shop", "v_kyc"), "sfzh")}),
    # a derived table's columns are not traced
    ("select `d`.`n` AS `n` from (select count(0) AS `n` from `shop`.`kyc`) `d`", set()),
])
def test_mysql_view_definitions_name_the_columns_they_read(
        definition: str, uses: set[tuple[tuple[str, str], str]]) -> None:
    from pia.connectors.db.grants import mysql_view_uses

    assert mysql_view_uses(definition, "shop", _KNOWN) == uses


@pytest.mark.parametrize(("definition", "columns"), [
    # a comma inside a string, a call and a name does not split a column
    ("select concat(`k`.`name`,',',`k`.`note`) AS `a,b`,1 AS `one`,`k`.`sfzh` AS `x`"
     " from `shop`.`kyc` `k` where `k`.`id` > 0",
     {"a,b": {(("shop", "kyc"), "name"), (("shop", "kyc"), "note")}, "one": set(),
      "x": {(("shop", "kyc"), "sfzh")}}),
    # a view's column, to be followed through that view
    ("select `v`.`sfzh` AS `s` from `shop`.`v_kyc` `v`", {"s": {(("shop", "v_kyc"), "sfzh")}}),
    # a union's columns come from every branch: not known, the whole view's uses stand
    ("select `shop`.`kyc`.`id` AS `id` from `shop`.`kyc` union select `shop`.`orders`.`id`"
     " AS `id` from `shop`.`orders`", {}),
])
def test_mysql_view_columns_are_traced_one_by_one(
        definition: str, columns: dict[str, set[tuple[tuple[str, str], str]]]) -> None:
    from pia.connectors.db.grants import mysql_view_columns

    assert mysql_view_columns(definition, "shop", _KNOWN) == columns


def test_postgres_view_columns_are_read_from_the_query_tree(pg_db: str) -> None:
    """Through a join and a subquery in FROM, by attnum (a column named ``:x`` reads as a
    field of the tree); a constant reaches nothing, a subquery in the select list and the
    columns of a union are not followed (None: the view's every use then stands)."""
    import psycopg

    from pia.connectors.db.pg_views import parse_node_tree, view_column_sources

    with psycopg.connect(pg_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE t_kyc(id int, sfzh text, name text)")
        conn.execute('CREATE VIEW v_tree AS SELECT d.x, k.name || d.x AS ":x", 1 AS one,'
                     " (SELECT max(id) FROM t_kyc) AS m FROM (SELECT sfzh AS x, id"
                     " FROM t_kyc) d JOIN t_kyc k USING (id)")
        conn.execute("CREATE VIEW v_union AS SELECT sfzh FROM t_kyc UNION SELECT name FROM t_kyc")
        try:
            oid = conn.execute("SELECT 't_kyc'::regclass::oid").fetchone()[0]
            trees = dict(conn.execute(
                "SELECT ev_class::regclass::text, ev_action::text FROM pg_rewrite"
                " WHERE ev_class IN ('v_tree'::regclass, 'v_union'::regclass)").fetchall())
        finally:
            conn.execute("DROP VIEW v_tree, v_union")
            conn.execute("DROP TABLE t_kyc")
    assert view_column_sources(parse_node_tree(trees["v_tree"])) == {
        1: {(oid, 2)}, 2: {(oid, 2), (oid, 3)}, 3: set(), 4: None}
    assert view_column_sources(parse_node_tree(trees["v_union"])) == {1: None}
