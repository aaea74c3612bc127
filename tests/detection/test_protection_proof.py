"""Real digests, keyed and unkeyed, go through ``value_shape`` and ``classify`` as a column's
sampled values do. Their shape cannot tell a key from none, so no key is assumed: digest-
shaped values are unsalted until a name (``_hmac``) or the declaration (``hashed_columns``)
says a key went in, and a proof (``digest_algorithms`` hashing the row's plaintext) says
unsalted outright."""

from __future__ import annotations

import hashlib
import hmac
import random
from collections import Counter

import pytest

from pia.detection.protection import (
    classify,
    digest_algorithms,
    digest_bytes,
    hint,
    value_shape,
)

MOBILES = [f"138{n:08d}" for n in range(0, 10_000_000, 97_001)]


def _keyed(mobile: str) -> str:
    return hmac.new(b"org-secret-key", mobile.encode(), hashlib.sha256).hexdigest()


def _unsalted(mobile: str) -> str:
    return hashlib.sha256(mobile.encode()).hexdigest()


def _random(mobile: str) -> str:
    return random.Random(mobile).randbytes(32).hex()


def _column(make: object) -> tuple[Counter[str], list[str]]:
    values = [make(m) for m in MOBILES]  # type: ignore[operator]
    return Counter(value_shape(v) for v in values), values


def _proofs(values: list[str]) -> list[str]:
    """What the connector's proof finds: the row's plaintext hashed, unsalted."""
    found = []
    for mobile, value in zip(MOBILES, values, strict=True):
        raw = digest_bytes(value)
        algorithm = digest_algorithms(mobile, raw) if raw else None
        if algorithm:
            found.append(algorithm)
    return found


@pytest.mark.parametrize("make, name, expected", [
    # HMAC, SHA-256 and random bytes have one shape: no key said, none assumed
    (_keyed, "mobile_hash", ("hashed_unsalted", "values")),
    (_unsalted, "mobile_hash", ("hashed_unsalted", "values")),
    (_random, "phone_hex", ("hashed_unsalted", "values")),
    (_keyed, "mobile_digest", ("hashed_unsalted", "values")),
    # names that say how: an unsalted algorithm, a key
    (_unsalted, "mobile_sha256", ("hashed_unsalted", "name")),
    (_keyed, "mobile_hmac", ("hashed_keyed", "name")),
    (_random, "mobile_enc", ("encrypted", "name")),
])
def test_a_digest_shape_is_unsalted_until_a_name_says_how(make: object, name: str,
                                                expected: tuple[str, str]) -> None:
    shapes, values = _column(make)
    assert set(shapes) == {"digest:32"}
    # no plaintext beside the column, so no proof
    got = classify(shapes, len(values), hint(name), opaque=True)
    assert (got.protection, got.evidence) == expected
    assert got.protected


def test_a_proof_says_unsalted_and_a_keyed_hash_gives_none() -> None:
    shapes, values = _column(_unsalted)
    proofs = _proofs(values)
    assert proofs == ["sha256"] * len(MOBILES)
    got = classify(shapes, len(values), hint("mobile_hash"), proofs, opaque=True)
    assert (got.protection, got.evidence) == ("hashed_unsalted", "proof:sha256")
    # keyed: the same plaintext beside it proves nothing
    shapes, values = _column(_keyed)
    assert _proofs(values) == []
    got = classify(shapes, len(values), hint("mobile_hash"), _proofs(values), opaque=True)
    assert (got.protection, got.evidence) == ("hashed_unsalted", "values")


@pytest.mark.parametrize("declared, expected", [
    ("hashed", ("hashed", "declared")),
    ("hashed_keyed", ("hashed_keyed", "declared")),
    ("encrypted", ("encrypted", "declared")),
])
def test_a_declaration_says_what_a_digest_shape_cannot(declared: str,
                                                       expected: tuple[str, str]) -> None:
    shapes, values = _column(_keyed)
    got = classify(shapes, len(values), hint("c1"), declared=declared, opaque=True)
    assert (got.protection, got.evidence) == expected


def test_a_declared_hash_column_is_not_called_unsalted() -> None:
    """An empty ``mobile_hash`` shows nothing either way; a filled one shows digests of no
    known key, which the organisation that keyed them declares."""
    shapes, values = _column(_keyed)
    assert classify({}, 0, hint("mobile_hash")).protection == "hashed"
    filled = classify(shapes, len(values), hint("mobile_hash"), opaque=True,
                      declared="hashed")
    assert (filled.protection, filled.evidence) == ("hashed", "declared")
