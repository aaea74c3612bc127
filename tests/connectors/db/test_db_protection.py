"""Encrypted PI columns on a real PostgreSQL: pgcrypto ciphertext as ``encode(.., 'base64')``
writes it (a line break every 76 characters), labelled ciphertext (``AES:`` + hex) and opaque
tokens stay in the inventory under the entity their name or comment points at."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from db_servers import pg_tables

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, scan_serial


@pytest.fixture
def pg_encrypted(pg_estate: str) -> Iterator[str]:
    with pg_tables(
        pg_estate, "prot",
        "CREATE EXTENSION IF NOT EXISTS pgcrypto",
        "CREATE TABLE prot (id int, lxdh text, lxdh2 text, id_card_enc text,"
        " phone text, mobile_enc text, note text)",
        "COMMENT ON COLUMN prot.lxdh IS '联系电话 [pia:encrypted]'",
        "COMMENT ON COLUMN prot.lxdh2 IS '联系电话 [pia:encrypted]'",
        "COMMENT ON COLUMN prot.phone IS '[pia:encrypted]'",
        "INSERT INTO prot SELECT g,"
        " encode(pgp_sym_encrypt('1381234' || g, 'k'), 'base64'),"
        " replace(encode(pgp_sym_encrypt('1381234' || g, 'k'), 'base64'), E'\\n', ''),"
        " encode(pgp_sym_encrypt('11010519491231002X', 'k'), 'base64'),"
        " 'AES:' || encode(gen_random_bytes(24), 'hex'),"
        " 'T' || lpad(g::text, 9, '0'),"
        " 'see ticket ' || g FROM generate_series(1, 100) g",
    ) as dsn:
        yield dsn


def test_encrypted_columns_are_kept_under_their_named_entity(pg_encrypted: str,
                                                             ctx: ScanContext) -> None:
    res = scan_serial(connector_for(pg_encrypted), pg_encrypted,
                      ScanOptions(include=["*.prot"]), ctx)
    got = {i["location"]["column"]: (i["entity_type"], i["protection"], i["protected"])
           for i in res.inventory}
    assert got == {
        "lxdh": ("CN_MOBILE", "encrypted", True),  # wrapped base64
        "lxdh2": ("CN_MOBILE", "encrypted", True),  # the same, unwrapped
        "id_card_enc": ("CN_RESIDENT_ID", "encrypted", True),
        "phone": ("CN_MOBILE", "encrypted", True),  # AES:<hex>, a bare [pia:encrypted]
        "mobile_enc": ("CN_MOBILE", "encrypted", True),  # tokens of an unknown shape
    }
    assert all(i["evidence"]["samples"] == [] for i in res.inventory)


def test_base64_or_hex_of_plaintext_is_not_encryption(pg_estate: str,
                                                      ctx: ScanContext) -> None:
    """An encoding anyone reverses, under a name or comment that claims encryption, was called
    encrypted (QA): base64 or hex of IDs and mobiles is read as what it encodes, plaintext,
    while real ciphertext beside it stays encrypted."""
    ids = ", ".join(f"('{n}')" for n in ("11010519491231002X", "110105198005121231",
                                         "440305198001010013"))
    with pg_tables(
        pg_estate, "encoded, ids",
        "CREATE EXTENSION IF NOT EXISTS pgcrypto",
        "CREATE TABLE ids (n text)", f"INSERT INTO ids VALUES {ids}",
        "CREATE TABLE encoded (id int, id_card_enc text, mobile_enc text, sfzh text,"
        " beizhu text, lxdh_enc text)",
        "COMMENT ON COLUMN encoded.sfzh IS '身份证号（已加密）'",
        "INSERT INTO encoded SELECT g,"
        " encode(convert_to(n, 'UTF8'), 'base64'),"
        " 'ENC(' || encode(convert_to('1380013' || lpad(g::text, 4, '0'), 'UTF8'), 'base64')"
        " || ')',"
        " encode(convert_to(n, 'UTF8'), 'hex'),"
        " encode(convert_to('身份证' || n, 'UTF8'), 'base64'),"
        " encode(pgp_sym_encrypt('1381234' || g, 'k'), 'base64')"
        " FROM generate_series(1, 60) g, LATERAL (SELECT n FROM ids OFFSET g % 3 LIMIT 1) i",
    ) as dsn:
        res = scan_serial(connector_for(dsn), dsn, ScanOptions(include=["*.encoded"]), ctx)
    got = {i["location"]["column"]: (i["entity_type"], i["protection"])
           for i in res.inventory}
    assert got == {
        "id_card_enc": ("CN_RESIDENT_ID", "plaintext"),
        "mobile_enc": ("CN_MOBILE", "plaintext"),
        "sfzh": ("CN_RESIDENT_ID", "plaintext"),
        "beizhu": ("CN_RESIDENT_ID", "plaintext"),
        "lxdh_enc": ("CN_MOBILE", "encrypted"),
    }
    samples = [s for i in res.inventory for s in i["evidence"]["samples"]]
    assert samples and all("*" in s for s in samples)  # what the values encode, masked


@pytest.fixture
def pg_mixed(pg_estate: str) -> Iterator[str]:
    with pg_tables(
        pg_estate, "mixed, nothing_yet",
        "CREATE EXTENSION IF NOT EXISTS pgcrypto",
        "CREATE TABLE mixed (id int, id_no_enc text, id_card text, mobile text)",
        "CREATE TABLE nothing_yet (id int, id_card text)",
        "INSERT INTO mixed SELECT g,"
        " CASE WHEN g % 10 < 8 THEN encode(gen_random_bytes(32), 'base64')"
        "      ELSE '11010519491231002X' END,"
        " CASE WHEN g % 2 = 0 THEN '110101199003072017' ELSE '1101**********2017' END,"
        " CASE WHEN g % 2 = 0 THEN '1381234' || lpad(g::text, 4, '0')"
        "      ELSE '138****5678' END FROM generate_series(1, 100) g",
    ) as dsn:
        yield dsn


def test_a_column_partly_in_plaintext_is_plaintext(pg_mixed: str, ctx: ScanContext) -> None:
    """20 plaintext IDs among 80 ciphertexts, or half the values masked: what is stored as
    it is decides, and PIPL 28 fires; an empty table's column is known by name only, and
    no plaintext finding is raised for values never seen."""
    from pia.rules import evaluate, load_rulesets

    res = scan_serial(connector_for(pg_mixed), pg_mixed,
                      ScanOptions(include=["*.mixed", "*.nothing_yet"]), ctx)
    got = {(i["location"]["table"], i["location"]["column"]): (i["entity_type"],
                                                              i["protection"])
           for i in res.inventory}
    assert got[("mixed", "id_no_enc")] == ("CN_RESIDENT_ID", "plaintext")
    assert got[("mixed", "id_card")] == ("CN_RESIDENT_ID", "plaintext")
    assert got[("mixed", "mobile")] == ("CN_MOBILE", "plaintext")
    from datetime import date

    findings = evaluate(load_rulesets(), res.inventory, res.facts, None,
                        today=date(2026, 11, 29)).findings
    plain = {f["locations"][0]["column"] for f in findings
             if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT"}
    assert plain == {"id_no_enc", "id_card"}  # not nothing_yet.id_card: no value sampled


@pytest.fixture
def pg_biometric(pg_estate: str) -> Iterator[str]:
    with pg_tables(
        pg_estate, "bio",
        "CREATE EXTENSION IF NOT EXISTS pgcrypto",
        "CREATE TABLE bio (id int, face_template bytea, fingerprint_template text,"
        " iris_code text, zhiwen_enc bytea, renlian_hash text, address_id int)",
        "COMMENT ON COLUMN bio.address_id IS '收货地址'",
        "INSERT INTO bio SELECT g, gen_random_bytes(512),"
        " encode(gen_random_bytes(256), 'base64'), encode(gen_random_bytes(256), 'hex'),"
        " gen_random_bytes(512), encode(digest(gen_random_bytes(512), 'sha256'), 'hex'), g"
        " FROM generate_series(1, 100) g",
    ) as dsn:
        yield dsn


def test_biometric_templates_are_plaintext_unless_named_protected(
        pg_biometric: str, ctx: ScanContext) -> None:
    """A face or fingerprint template is random-looking bytes, like a digest or ciphertext:
    its shape proves no protection. Its name's _template or _code is the data itself, not an
    attribute of it; a foreign key named address_id is not an address, whatever its comment."""
    res = scan_serial(connector_for(pg_biometric), pg_biometric,
                      ScanOptions(include=["*.bio"]), ctx)
    got = {i["location"]["column"]: (i["entity_type"], i["protection"]) for i in res.inventory}
    assert got == {
        "face_template": ("BIOMETRIC", "plaintext"),
        "fingerprint_template": ("BIOMETRIC", "plaintext"),
        "iris_code": ("BIOMETRIC", "plaintext"),
        "zhiwen_enc": ("BIOMETRIC", "encrypted"),
        "renlian_hash": ("BIOMETRIC", "hashed"),  # its name tells no key
    }
    assert all(i["evidence"]["samples"] == [] for i in res.inventory)


DIGEST_DDL = ("CREATE TABLE digests (id INTEGER PRIMARY KEY, phone_hash CHAR(64),"
              " id_card_hash CHAR(64), mobile_digest TEXT, phone_md5 CHAR(32),"
              " sfzh_sha256 CHAR(64))")


def test_an_empty_digest_column_gets_the_verdict_check_migrations_gives(tmp_path: Path) -> None:
    # no value to tell a salt or a key: a name that says only "hash" is hashed, key
    # unknown, and not reversible; one that names an unsalted algorithm is, in both tools
    from pia.migrations import Declared, check_text

    db = tmp_path / "digests.db"
    with sqlite3.connect(db) as conn:
        conn.execute(DIGEST_DDL)
    out = tmp_path / "r.json"
    run = subprocess.run([sys.executable, "-m", "pia", "scan", f"sqlite://{db}", "--format",
                          "json", "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    states = {i["location"]["column"]: i["protection"] for i in report["inventory"]}
    assert states == {"phone_hash": "hashed", "id_card_hash": "hashed",
                      "mobile_digest": "hashed", "phone_md5": "hashed_unsalted",
                      "sfzh_sha256": "hashed_unsalted"}
    rule = "PIPL-73-PSEUDONYM-REVERSIBLE"
    scanned = sorted(loc["column"] for f in report["findings"] if f["rule_id"] == rule
                     for loc in f["locations"])
    found = [f for f in check_text("V.sql", DIGEST_DDL, "auto", Declared()) if f.rule_id == rule]
    checked = sorted(f.column for f in found if f.severity == "error")
    assert scanned == checked == ["phone_md5", "sfzh_sha256"]
    # the bare names are warned of: filled with digests, the scan reads them as unsalted
    assert sorted(f.column for f in found if f.severity == "warning") == [
        "id_card_hash", "mobile_digest", "phone_hash"]


def test_a_digest_name_does_not_hide_plaintext_passwords(tmp_path: Path) -> None:
    # password_digest holding plain0..plain49 was "hashed" from its name alone, with no
    # finding; values without a digest's shape are not shown salted or keyed: a password
    # is the plaintext (PIPL-28), a phone number's short digest an unsalted one (PIPL-73)
    db = tmp_path / "h.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, password_digest TEXT,"
                     " pwd_hash TEXT, phone_hash TEXT, mobile_hash TEXT, id_card_hash TEXT)")
        conn.executemany("INSERT INTO users VALUES (?, ?, ?, ?, NULL, ?)",
                         [(i, f"plain{i}", f"$2b$12${i:053d}", f"{i * 7919:08x}",
                           f"{i:064x}") for i in range(50)])
    out = tmp_path / "r.json"
    run = subprocess.run([sys.executable, "-m", "pia", "scan", f"sqlite://{db}", "--format",
                          "json", "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    states = {i["location"]["column"]: (i["entity_type"], i["protection"])
              for i in report["inventory"]}
    assert states == {
        "password_digest": ("CREDENTIAL", "plaintext"),
        "pwd_hash": ("CREDENTIAL", "hashed_salted"),  # bcrypt: the values say so
        "phone_hash": ("CN_MOBILE", "hashed_unsalted"),  # 8 hex digits: no salt, no key
        "mobile_hash": ("CN_MOBILE", "hashed"),  # no value: the name's word
        "id_card_hash": ("CN_RESIDENT_ID", "hashed_unsalted"),  # a SHA-256's shape
    }
    rules = {(f["rule_id"], loc["column"]) for f in report["findings"]
             for loc in f["locations"]}
    assert ("PIPL-28-SENSITIVE-PLAINTEXT", "password_digest") in rules
    assert ("PIPL-73-PSEUDONYM-REVERSIBLE", "phone_hash") in rules
    assert not {c for r, c in rules if r == "PIPL-28-SENSITIVE-PLAINTEXT"} - {"password_digest"}
    assert not {c for r, c in rules if r == "PIPL-73-PSEUDONYM-REVERSIBLE"} - {
        "phone_hash", "id_card_hash"}
