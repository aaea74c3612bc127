"""Encrypted PI columns on a real PostgreSQL: pgcrypto ciphertext as ``encode(.., 'base64')``
writes it (a line break every 76 characters), labelled ciphertext (``AES:`` + hex) and opaque
tokens stay in the inventory under the entity their name or comment points at."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, scan_serial


@pytest.fixture
def pg_encrypted(pg_estate: str) -> Iterator[str]:
    import psycopg

    with psycopg.connect(pg_estate, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
        conn.execute("CREATE TABLE prot (id int, lxdh text, lxdh2 text, id_card_enc text,"
                     " phone text, mobile_enc text, note text)")
        for column in ("lxdh", "lxdh2"):
            conn.execute(f"COMMENT ON COLUMN prot.{column} IS '联系电话 [pia:encrypted]'")
        conn.execute("COMMENT ON COLUMN prot.phone IS '[pia:encrypted]'")
        conn.execute(
            "INSERT INTO prot SELECT g,"
            " encode(pgp_sym_encrypt('1381234' || g, 'k'), 'base64'),"
            " replace(encode(pgp_sym_encrypt('1381234' || g, 'k'), 'base64'), E'\\n', ''),"
            " encode(pgp_sym_encrypt('11010519491231002X', 'k'), 'base64'),"
            " 'AES:' || encode(gen_random_bytes(24), 'hex'),"
            " 'T' || lpad(g::text, 9, '0'),"
            " 'see ticket ' || g FROM generate_series(1, 100) g")
    yield pg_estate
    with psycopg.connect(pg_estate, autocommit=True) as conn:
        conn.execute("DROP TABLE prot")


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
