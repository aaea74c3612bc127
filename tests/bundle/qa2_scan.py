"""A real bundle for the QA Q2 tests: ``pia scan`` of a SQLite database of customers (names,
resident IDs, mobiles, bank cards) with ``--bundle``, and the report and key beside it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bundle_helpers import run_cli

from pia.detection.checksums import luhn_valid, mod11_2_check_char

SURNAMES = "王李张刘陈杨黄赵吴周"


def resident_id(n: int) -> str:
    body = f"110101{1970 + n % 30}{1 + n % 12:02d}{1 + n % 28:02d}{100 + n:03d}"
    return body + mod11_2_check_char(body)


def bank_card(n: int) -> str:
    body = f"622202{n:012d}"
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


def mobile(n: int) -> str:
    return f"138{n:08d}"


#: the raw values the database holds: none may be in any output or bundled member
RAW_ID = next(resident_id(n) for n in range(7, 40) if resident_id(n)[-1] != "X")
RAW_MOBILE, RAW_CARD = mobile(7), bank_card(7)


class _Quiet:
    """``capsys`` for a session fixture: ``run_cli`` only reads what was printed."""

    def readouterr(self) -> tuple[str, str]:
        return "", ""


def scan_bundle(base: Path, capsys=None) -> dict:
    """Scan a fresh database under ``base`` into ``report.json`` and ``bundle.zip``."""
    capsys = capsys or _Quiet()
    db = base / "shop.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, id_card TEXT, "
                     "phone TEXT, card TEXT)")
        conn.executemany("INSERT INTO customers (name, id_card, phone, card) VALUES (?,?,?,?)",
                         [(SURNAMES[n % 10] + "小明", resident_id(n), mobile(n), bank_card(n))
                          for n in range(40)])
    key = base / "signer.key"
    assert run_cli(["keygen", str(key)], capsys)[0] == 0
    code, _, err = run_cli(["scan", f"sqlite:///{db}", "-o", str(base / "report.json"),
                            "--bundle", str(base / "bundle.zip"), "--key", str(key)], capsys)
    assert code == 1, err  # plaintext IDs: findings
    return {"base": base, "key_path": key, "pub_path": Path(f"{key}.pub"),
            "report": json.loads((base / "report.json").read_text(encoding="utf-8")),
            "bundle": (base / "bundle.zip").read_bytes()}
