"""Verdicts the values alone do not support, on a real PostgreSQL database each.

A digest's shape cannot tell a key from none (QA dbodd 4): ``mobile_hash`` of
``HMAC-SHA256(org key, mobile)`` is taken as unsalted and reversible (PIPL-73) until the
organisation declares it (``hashed_columns``) or names it ``_hmac``, since assuming a key
would let the common unsalted digest of ID numbers pass; a proof (the row's plaintext hashes
to the digest) says unsalted outright. These scan through the CLI.

Money and quantity columns are not mobiles (QA dbodd 10): BIGINT ``price_fen`` and
``amount_cents`` of 1.3e10–1.99e10 were plaintext CN_MOBILE from their values alone. A name
or comment that says amount or quantity vetoes a match that only the numbers make; a name or
comment that says mobile, or none at all, leaves the values to decide."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from db_servers import unique, with_database

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, scan_serial

RULE = "PIPL-73-PSEUDONYM-REVERSIBLE"
KEY = b"org-secret-key"


def _mobiles(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}" for _ in range(n)]


def _hmac(mobile: str) -> str:
    return hmac.new(KEY, mobile.encode(), hashlib.sha256).hexdigest()


def _sha(mobile: str) -> str:
    return hashlib.sha256(mobile.encode()).hexdigest()


@pytest.fixture
def fx_db(pg_admin: Any) -> Iterator[tuple[str, Any]]:
    """A database of its own (fx_hash_*), dropped afterwards."""
    import psycopg

    name = unique("fx_hash")
    pg_admin.execute(f"CREATE DATABASE {name}")
    dsn = with_database("postgresql://postgres@127.0.0.1:5432/test", name)
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            yield dsn, conn
    finally:
        pg_admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _scan(dsn: str, tmp_path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    out = tmp_path / "r.json"
    run = subprocess.run([sys.executable, "-m", "pia", "scan", dsn, "-q", "--format", "json",
                          "-o", str(out), *extra], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr
    return run.returncode, json.loads(out.read_text(encoding="utf-8"))


def _states(report: dict[str, Any]) -> dict[tuple[str, str], tuple[str, str]]:
    return {(i["location"]["table"], i["location"]["column"]): (i["entity_type"],
                                                                 i["protection"])
            for i in report["inventory"]}


def _reversible(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(loc["table"], loc["column"]) for f in report["findings"] if f["rule_id"] == RULE
            for loc in f["locations"]}


def test_keyed_hashes_are_reversible_until_declared(fx_db: tuple[str, Any],
                                                   tmp_path: Path) -> None:
    """HMAC-SHA256 and SHA-256 hex look alike, so pia assumes no key the organisation has not
    declared (the unsalted digest of ID numbers is the common case); declaring the column in
    ``hashed_columns`` says a key went in, and the finding goes."""
    dsn, conn = fx_db
    conn.execute("CREATE TABLE filled(id int, mobile_hash text)")
    conn.execute("CREATE TABLE empty(id int, mobile_hash text)")
    conn.execute("CREATE TABLE blobs(id int, phone_hex text)")
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO filled VALUES (%s, %s)",
                        list(enumerate(_hmac(m) for m in _mobiles(200, 1))))
        rng = random.Random(2)
        cur.executemany("INSERT INTO blobs VALUES (%s, %s)",
                        [(i, rng.randbytes(32).hex()) for i in range(200)])
    rc, report = _scan(dsn, tmp_path)
    states = _states(report)
    assert states[("filled", "mobile_hash")] == ("CN_MOBILE", "hashed_unsalted")
    assert states[("empty", "mobile_hash")] == ("CN_MOBILE", "hashed")  # nothing to judge
    assert _reversible(report) == {("filled", "mobile_hash"), ("blobs", "phone_hex")}
    assert rc == 1
    (tmp_path / "pia.yaml").write_text(
        "version: 1\norganisation: {name: 示例}\nassets:\n"
        f"  - id: db\n    source: \"{dsn}\"\n"
        "    protection: {hashed_columns: [filled.mobile_hash, blobs.phone_hex]}\n",
        encoding="utf-8")
    rc, report = _scan(dsn, tmp_path, "--config", "pia.yaml")
    states = _states(report)
    assert states[("filled", "mobile_hash")] == ("CN_MOBILE", "hashed")
    assert _reversible(report) == set()
    assert rc == 0  # the default --fail-on high: nothing high here
    # the keyed digests themselves are never written out
    text = json.dumps(report)
    assert not any(_hmac(m) in text for m in _mobiles(200, 1))


def test_plain_sha256_of_a_mobile_is_still_proven_reversible(fx_db: tuple[str, Any],
                                                             tmp_path: Path) -> None:
    dsn, conn = fx_db
    conn.execute("CREATE TABLE users(id int, mobile text, mobile_hash text, mobile_hmac text)")
    # no plaintext beside it: a name naming an unsalted algorithm still says unsalted
    conn.execute("CREATE TABLE legacy(id int, phone_sha256 text)")
    mobiles = _mobiles(200, 3)
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO users VALUES (%s, %s, %s, %s)",
                        [(i, m, _sha(m), _hmac(m)) for i, m in enumerate(mobiles)])
        cur.executemany("INSERT INTO legacy VALUES (%s, %s)",
                        [(i, _sha(m)) for i, m in enumerate(_mobiles(200, 4))])
    rc, report = _scan(dsn, tmp_path)
    states = _states(report)
    # the name says only "hash": unsalted here is the proof, the row's mobile hashed
    assert states[("users", "mobile_hash")] == ("CN_MOBILE", "hashed_unsalted")
    assert states[("users", "mobile_hmac")] == ("CN_MOBILE", "hashed_keyed")
    assert states[("legacy", "phone_sha256")] == ("CN_MOBILE", "hashed_unsalted")
    assert _reversible(report) == {("users", "mobile_hash"), ("legacy", "phone_sha256")}
    assert rc == 1


def test_money_names_veto_numbers_that_look_like_mobiles(fx_db: tuple[str, Any],
                                                         ctx: ScanContext) -> None:
    dsn, conn = fx_db
    columns = ["price_fen", "amount_cents", "total_fee", "金额", "orderAmountFen", "c7",
               "mobile", "c1", "lxdh"]
    conn.execute("CREATE TABLE ledger(" + ", ".join(f'"{c}" bigint' for c in columns) + ")")
    conn.execute("""COMMENT ON COLUMN ledger.c7 IS '实付金额（分）'""")
    rng = random.Random(10)
    rows = [tuple(int(f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}") for _ in columns)
            for _ in range(300)]
    with conn.cursor() as cur:
        cur.executemany(f"INSERT INTO ledger VALUES ({', '.join(['%s'] * len(columns))})", rows)
    result = scan_serial(connector_for(dsn), dsn, ScanOptions(), ctx)
    found = {(i["location"]["column"], i["entity_type"]): i for i in result.inventory}
    columns_found = {column for column, _entity in found}
    # amounts, however mobile-like
    assert not columns_found & {"price_fen", "amount_cents", "total_fee", "金额",
                                "orderAmountFen", "c7"}
    # near misses: a mobile column named so, named nothing, or in pinyin initials
    for column in ("mobile", "c1", "lxdh"):
        item = found[(column, "CN_MOBILE")]
        assert item["protection"] == "plaintext" and "values" in item["signals"]
        assert item["count"] >= 200  # some 1[3-9]x prefixes are no operator's
