"""A transaction's serial number (交易流水号: ``jyls``, ``jylsh``, or a column ``c3`` so commented)
holds no bank card, however its values pass Luhn, on real PostgreSQL and MariaDB scans.

QA estate defect 1: sixteen-digit Luhn-valid serials starting 94–99 (old domestic card BINs)
under ``jyls`` commented 交易流水号 were bank cards, a critical PIPL-28 finding, and under a
bare ``jyls`` (交易流水 read as a financial record) every value was a sensitive record. The
same values under ``txn_ref`` were left alone: the name, not the database, made the
difference. Real cards under ``card_no`` stay cards."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from db_estate import bank_card
from db_servers import mysql_tables, pg_tables, scan_json, unique
from stdnum import luhn

ROWS = 40
#: the serials' columns (table key, column) that must hold no PI
SERIALS = (("commented", "jyls"), ("plain", "jyls"), ("plain", "jylsh"), ("ref", "c3"))


def _serial(rng: random.Random) -> str:
    """Sixteen Luhn-valid digits under a 9x card BIN: a card by its shape and issuer."""
    body = "9" + rng.choice("45689") + "".join(rng.choice("0123456789") for _ in range(13))
    return body + luhn.calc_check_digit(body)


def _tables(seed: int) -> dict[str, list[tuple[Any, ...]]]:
    rng = random.Random(seed)
    return {
        "commented": [(i, _serial(rng)) for i in range(ROWS)],
        "plain": [(i, _serial(rng), _serial(rng)) for i in range(ROWS)],
        "ref": [(i, _serial(rng)) for i in range(ROWS)],
        "cards": [(i, bank_card(rng)) for i in range(ROWS)],
    }


COLUMNS = {"commented": ("id", "jyls"), "plain": ("id", "jyls", "jylsh"),
           "ref": ("id", "c3"), "cards": ("id", "card_no")}
#: (table key, column) → comment
COMMENTS = {("commented", "jyls"): "交易流水号", ("ref", "c3"): "交易流水号"}


def _check(report: dict[str, Any], names: dict[str, str]) -> None:
    found = {(i["location"]["table"], i["location"]["column"]): i["entity_type"]
             for i in report["inventory"]}
    for table, column in SERIALS:
        assert (names[table], column) not in found, (table, column, found)
    assert found.get((names["cards"], "card_no")) == "CN_BANK_CARD", found


def _scan(dsn: str, tables: Any, mysql: bool, seed: int, tmp_path: Path) -> None:
    names = {t: unique(f"serials_{t}") for t in COLUMNS}
    statements: list[Any] = []
    for table, rows in _tables(seed).items():
        columns = []
        for column in COLUMNS[table]:
            kind = "int" if column == "id" else "varchar(32)"
            comment = COMMENTS.get((table, column))
            columns.append(f"{column} {kind}" + (f" COMMENT '{comment}'" if mysql and comment
                                                else ""))
        statements.append(f"CREATE TABLE {names[table]} ({', '.join(columns)})")
        if not mysql:
            statements += [f"COMMENT ON COLUMN {names[t]}.{c} IS '{comment}'"
                           for (t, c), comment in COMMENTS.items() if t == table]
        statements.append((f"INSERT INTO {names[table]} VALUES"
                           f" ({', '.join(['%s'] * len(rows[0]))})", rows))
    with tables(dsn, ", ".join(names.values()), *statements):
        report = scan_json(dsn, tmp_path)
    _check(report, names)


def test_postgres_transaction_serials_hold_no_cards(pg_db: str, tmp_path: Path) -> None:
    _scan(pg_db, pg_tables, False, 1, tmp_path)


def test_mariadb_transaction_serials_hold_no_cards(my_db: str, tmp_path: Path) -> None:
    _scan(my_db, mysql_tables, True, 2, tmp_path)
