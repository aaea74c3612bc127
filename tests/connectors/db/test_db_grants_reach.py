"""Grants that reach PI columns other than through a grant on the table (QA M6): column grants
and grants on views over the table are table facts' ``column_grants``, and PIPL-51-ACCESS and
CSL-42-NO-DISCLOSURE judge them against the table's PI columns, naming the grantee, the view
and the PI columns reached, on the real PostgreSQL and MariaDB servers."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
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


@pytest.fixture
def pg_reach(pg_db: str, pg_admin: Any) -> Iterator[tuple[str, str, str, str]]:
    """A schema whose table ``kyc`` (resident IDs, mobiles, a grade) is granted column by
    column to an analyst (PI columns) and to bi (the grade alone), and read by views granted
    to PUBLIC: one over the mobiles, one over the grade, one ``security_invoker`` over the
    IDs, and a view over a view over the IDs granted to bi. Yields (dsn, schema, analyst,
    bi)."""
    import psycopg

    schema, analyst, bi = unique("reach"), unique("pia_analyst"), unique("pia_bi")
    for role in (analyst, bi):
        pg_admin.execute(f'CREATE ROLE "{role}"')
    with psycopg.connect(pg_db, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
        conn.execute(f'CREATE TABLE "{schema}".kyc(id int, sfzh varchar(18), shouji varchar(11),'
                     " grade int)")
        with conn.cursor() as cur:
            cur.executemany(f'INSERT INTO "{schema}".kyc VALUES (%s, %s, %s, %s)', ROWS)
        conn.execute(f'GRANT SELECT (id, sfzh, shouji) ON "{schema}".kyc TO "{analyst}"')
        conn.execute(f'GRANT SELECT (id, grade) ON "{schema}".kyc TO "{bi}"')
        for view, query, options in (("v_contact", "SELECT id, shouji FROM {}.kyc", ""),
                                     ("v_grade", "SELECT grade FROM {}.kyc", ""),
                                     ("v_invoker", "SELECT sfzh FROM {}.kyc",
                                      " WITH (security_invoker)")):
            conn.execute(f'CREATE VIEW "{schema}".{view}{options} AS '
                         + query.format(f'"{schema}"'))
            conn.execute(f'GRANT SELECT ON "{schema}".{view} TO PUBLIC')
        conn.execute(f'CREATE VIEW "{schema}".v_inner AS SELECT id, sfzh FROM "{schema}".kyc')
        conn.execute(f'CREATE VIEW "{schema}".v_outer AS SELECT sfzh FROM "{schema}".v_inner')
        conn.execute(f'GRANT SELECT ON "{schema}".v_outer TO "{bi}"')
        try:
            yield pg_db, schema, analyst, bi
        finally:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
            for role in (analyst, bi):
                conn.execute(f'DROP OWNED BY "{role}"')
    for role in (analyst, bi):
        pg_admin.execute(f'DROP ROLE "{role}"')


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


@pytest.fixture
def my_reach(my_db: str, mysql_admin: Any) -> Iterator[tuple[str, str, str]]:
    """``pg_reach`` on MariaDB: a column grant of the IDs to an analyst, a DEFINER view over
    the mobiles and an INVOKER view over the IDs granted to PUBLIC, a view over the grade
    granted to the analyst. Yields (dsn, table, analyst grantee)."""
    db, table, user = my_db.rsplit("/", 1)[-1], unique("kyc"), unique("pia_an")
    conn: Any = mysql_connect(my_db, autocommit=True)
    views = {"definer": f"{table}_contact", "invoker": f"{table}_ids",
             "grade": f"{table}_grade"}
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE `{table}`(id int primary key, sfzh varchar(18),"
                    " shouji varchar(11), grade int)")
        cur.executemany(f"INSERT INTO `{table}` VALUES (%s, %s, %s, %s)", ROWS)
        cur.execute(f"CREATE USER '{user}'@'localhost'")
        cur.execute(f"GRANT SELECT (id, sfzh) ON `{db}`.`{table}` TO '{user}'@'localhost'")
        cur.execute(f"CREATE VIEW `{views['definer']}` AS SELECT k.id, k.shouji AS tel"
                    f" FROM `{table}` k WHERE k.id >= 0")
        cur.execute(f"CREATE SQL SECURITY INVOKER VIEW `{views['invoker']}` AS"
                    f" SELECT sfzh FROM `{table}`")
        cur.execute(f"CREATE VIEW `{views['grade']}` AS SELECT grade FROM `{table}`")
        cur.execute(f"GRANT SELECT ON `{db}`.`{views['grade']}` TO '{user}'@'localhost'")
        for view in (views["definer"], views["invoker"]):
            cur.execute(f"GRANT SELECT ON `{db}`.`{view}` TO PUBLIC")
    try:
        yield my_db, table, f"'{user}'@'localhost'"
    finally:
        with conn.cursor() as cur:
            for view in (views["definer"], views["invoker"]):  # outlive the view otherwise
                cur.execute(f"REVOKE SELECT ON `{db}`.`{view}` FROM PUBLIC")
            cur.execute(f"DROP USER '{user}'@'localhost'")
            cur.execute(f"DROP VIEW {', '.join(f'`{v}`' for v in views.values())}")
            cur.execute(f"DROP TABLE `{table}`")
        conn.close()


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
