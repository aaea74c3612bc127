"""Protection states from value shapes, name hints, declarations and hash proofs."""

from __future__ import annotations

import base64
import hashlib
import random

import pytest

from pia.detection.protection import (
    classify,
    decoded_text,
    digest_algorithms,
    digest_bytes,
    hint,
    masked_entity,
    value_shape,
)

RNG = random.Random(11)
SHA256 = hashlib.sha256(b"11010119900307803X").hexdigest()


@pytest.mark.parametrize("value, shape", [
    # masked identifiers keep the shape that tells what they hide
    ("138****5678", "masked:CN_MOBILE"),
    ("1101**********123X", "masked:CN_RESIDENT_ID"),
    ("6222********1234", "masked:CN_BANK_CARD"),
    ("z***@example.cn", "masked:EMAIL_ADDRESS"),
    ("张*", "masked:CN_NAME"),
    ("AB**CD**", "masked"),
    # digests of the unsalted algorithms, hex or base64
    (hashlib.md5(b"13812345678").hexdigest(), "digest:16"),
    (hashlib.sha1(b"x").hexdigest().upper(), "digest:20"),
    (SHA256, "digest:32"),
    (base64.b64encode(hashlib.sha256(b"x").digest()).decode(), "digest:32"),
    # salted password hashes
    ("$2b$12$" + "a" * 53, "salted"),
    ("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "salted"),
    # ciphertext: high-entropy base64 or hex that is not a digest length
    (base64.b64encode(RNG.randbytes(48)).decode(), "cipher"),
    (RNG.randbytes(24).hex(), "cipher"),
    # MIME-wrapped base64, as PostgreSQL's encode(.., 'base64') writes it (76 a line)
    (base64.encodebytes(RNG.randbytes(90)).decode(), "cipher"),
    (base64.encodebytes(RNG.randbytes(90)).decode().replace("\n", "\r\n"), "cipher"),
    (base64.encodebytes(hashlib.sha512(b"x").digest()).decode(), "digest:64"),
    # labelled ciphertext: AES:, enc:, vault:v1:, Jasypt ENC(..), Spring {cipher}
    ("AES:" + RNG.randbytes(24).hex(), "cipher"),
    ("enc:" + base64.b64encode(RNG.randbytes(32)).decode(), "cipher"),
    ("vault:v1:" + base64.b64encode(RNG.randbytes(40)).decode(), "cipher"),
    ("ENC(" + base64.b64encode(RNG.randbytes(32)).decode() + ")", "cipher"),
    ("{cipher}" + RNG.randbytes(32).hex(), "cipher"),
    ("{SHA256}" + SHA256, "digest:32"),
    # plaintext, including long digit runs that are hex-alphabet but not digests
    ("13812345678", "plain"),
    ("11010119900307803X", "plain"),
    ("2024010112345678901234567890123456", "plain"),
    ("北京市朝阳区建国路88号", "plain"),
    ("hello world", "plain"),
    # labels and line breaks around plaintext stay plaintext
    ("AES:13812345678901234567", "plain"),
    ("tel:+86 138 1234 5678 ext 1", "plain"),
    ("ENC(11010119900307803X)", "plain"),
    ("https://example.cn/a/b/c/d", "plain"),
    ("line one of a note\nline two of it", "plain"),
    ("", "plain"),
    # an encoding of text, labelled or not, is no protection
    (base64.b64encode(b"11010119900307803X").decode(), "encoded"),
    (b"11010119900307803X".hex(), "encoded"),
    (b"13812345678".hex().upper(), "encoded"),
    ("ENC(" + base64.b64encode(b"13812345678").decode() + ")", "encoded"),
    (base64.b64encode("身份证 11010119900307803X".encode()).decode(), "encoded"),
    (b"zhang.san@example.com".hex(), "encoded"),
    # card numbers are digits that may pair into printable bytes: hex of only digits must
    # decode to an identifier's characters to be taken for one
    ("6222024365731234", "plain"),
    ("4026202020202020", "plain"),
])
def test_value_shape(value: str, shape: str) -> None:
    assert value_shape(value) == shape


def test_decoded_text_is_what_an_encoding_hides_and_never_of_random_bytes() -> None:
    assert decoded_text(base64.b64encode(b"13812345678").decode()) == "13812345678"
    assert decoded_text("AES:" + "手机 13812345678".encode().hex()) == "手机 13812345678"
    assert decoded_text(b"1381234".hex()) is None  # too short to say
    assert not any(decoded_text(base64.b64encode(RNG.randbytes(n)).decode())
                   or decoded_text(RNG.randbytes(n).hex()) for n in range(8, 64))


@pytest.mark.parametrize("shapes, nonnull, hint, proofs, declared, expected", [
    # values decide over names: a column called *_hash holding plaintext is plaintext
    ({}, 100, "hashed", (), None, ("plaintext", False)),
    ({"digest:32": 100}, 100, None, (), None, ("hashed_unsalted", True)),
    ({"digest:32": 100}, 100, "hashed_keyed", (), None, ("hashed_keyed", True)),
    ({"digest:32": 100}, 100, None, (), "hashed_keyed", ("hashed_keyed", True)),
    ({"digest:16": 95}, 100, "encrypted", (), None, ("encrypted", True)),
    ({"cipher": 100}, 100, None, (), None, ("encrypted", True)),
    # bcrypt/argon2/scrypt: salted per value, protected, but no key: not "keyed"
    ({"salted": 100}, 100, None, (), None, ("hashed_salted", True)),
    ({"masked:CN_MOBILE": 60}, 100, None, (), None, ("masked", True)),
    ({"cipher": 30}, 100, "encrypted", (), None, ("plaintext", False)),
    # a proof beats everything: this digest column hashes a plaintext one
    ({"digest:32": 100}, 100, "encrypted", ("sha256",), None, ("hashed_unsalted", True)),
    # no values: the name or the declaration is all there is
    ({}, 0, "encrypted", (), None, ("encrypted", True)),
    ({}, 0, None, (), "masked", ("masked", True)),
    ({}, 0, None, (), None, ("plaintext", False)),
])
def test_classify(shapes: dict[str, int], nonnull: int, hint: str | None,
                  proofs: tuple[str, ...], declared: str | None,
                  expected: tuple[str, bool]) -> None:
    result = classify(shapes, nonnull, hint, proofs, declared)
    assert (result.protection, result.protected) == expected


@pytest.mark.parametrize("hint, declared, opaque, expected", [
    # values of a shape this module does not know, holding no plaintext PI (tokens, a
    # home-grown cipher): the name or the declaration decides, as for an empty table
    ("encrypted", None, True, ("encrypted", "name")),
    (None, "encrypted", True, ("encrypted", "declared")),
    # a name that says only "hash" cannot tell a salt or a key: hashed, key unknown; one
    # that names an unsalted algorithm (phone_md5) says so, as check-migrations reads it
    # values none of which has a digest's shape under such a name are not shown to be
    # salted or keyed: unsalted at best (password_digest of plain0, plain1)
    ("hashed", None, True, ("hashed_unsalted", "name")),
    ("hashed_unsalted", None, True, ("hashed_unsalted", "name")),
    (None, "hashed", True, ("hashed", "declared")),
    # values that show PI in plain text outrank the name
    ("encrypted", None, False, ("plaintext", "values")),
    (None, None, True, ("plaintext", "values")),
])
def test_classify_opaque_values(hint: str | None, declared: str | None, opaque: bool,
                                expected: tuple[str, str]) -> None:
    result = classify({}, 100, hint, (), declared, opaque=opaque)
    assert (result.protection, result.evidence) == expected


@pytest.mark.parametrize("shapes, nonnull, expected", [
    ({}, 0, "hashed"),  # no value to tell a salt or a key: the name's word
    ({"plain": 50}, 50, "hashed_unsalted"),  # values, none a digest
    ({"plain": 40, "digest:32": 10}, 50, "hashed_unsalted"),
    ({"digest:32": 50}, 50, "hashed_unsalted"),  # a digest's shape, no key: unsalted
])
def test_a_hash_name_takes_values_of_a_digest_shape_to_be_believed(
        shapes: dict[str, int], nonnull: int, expected: str) -> None:
    assert classify(shapes, nonnull, "hashed", opaque=True).protection == expected


@pytest.mark.parametrize("shapes, hint, plain, expected", [
    # any value holding PI in plain text makes the column plaintext, however many of the
    # others are masked, hashed or encrypted (the share is of the plain ones)
    ({"cipher": 80}, "encrypted", 20, ("plaintext", 0.2)),
    ({"masked:mobile": 50}, None, 50, ("plaintext", 0.5)),
    ({"digest:32": 95}, None, 5, ("plaintext", 0.05)),
    ({"cipher": 100}, "encrypted", 0, ("encrypted", 1.0)),
    ({"masked:mobile": 60}, None, 0, ("masked", 0.6)),
])
def test_plaintext_values_outrank_protected_shapes(shapes: dict[str, int], hint: str | None,
                                                   plain: int,
                                                   expected: tuple[str, float]) -> None:
    result = classify(shapes, 100, hint, plain=plain)
    assert (result.protection, result.share) == expected


@pytest.mark.parametrize("shapes, hint, declared, expected", [
    # a biometric template is random-looking bytes: its shape proves no protection
    ({"digest:64": 100}, None, None, ("plaintext", "values")),
    ({"cipher": 100}, None, None, ("plaintext", "values")),
    ({"salted": 100}, None, None, ("plaintext", "values")),
    # only its name or the declaration says it is protected
    ({"cipher": 100}, "encrypted", None, ("encrypted", "name")),
    ({"digest:32": 100}, "hashed", None, ("hashed", "name")),
    ({"digest:32": 100}, "hashed_unsalted", None, ("hashed_unsalted", "name")),
    ({"cipher": 100}, None, "encrypted", ("encrypted", "declared")),
])
def test_random_looking_data_is_protected_only_as_declared(
        shapes: dict[str, int], hint: str | None, declared: str | None,
        expected: tuple[str, str]) -> None:
    result = classify(shapes, 100, hint, (), declared, random_is_data=True)
    assert (result.protection, result.evidence) == expected
    assert classify(shapes, 100, hint, (), declared).protected  # any other PI: protected


@pytest.mark.parametrize("plain, algorithm", [
    ("13812345678", "md5"),
    ("11010119900307803x", "sha1"),
    ("11010119900307803X", "sha256"),
    ("user@example.cn", "sm3"),
])
def test_digest_proof(plain: str, algorithm: str) -> None:
    form = plain.upper() if algorithm == "sha1" else plain
    digest = hashlib.new(algorithm, form.encode()).hexdigest()
    assert digest_algorithms(plain, digest_bytes(digest)) == algorithm
    assert digest_algorithms(plain + "0", digest_bytes(digest)) is None
    salted = hashlib.new(algorithm, b"salt" + form.encode()).digest()
    assert digest_algorithms(plain, salted) is None


def test_masked_entity_takes_the_most_common_mask() -> None:
    assert masked_entity({"masked:CN_MOBILE": 5, "masked:CN_NAME": 2, "masked": 9}) == "CN_MOBILE"
    assert masked_entity({"masked": 9, "digest:32": 1}) is None


@pytest.mark.parametrize("name, comment, expected", [
    ("card_no_enc", None, "encrypted"),
    ("phone_md5", None, "hashed_unsalted"),
    ("sfzhSha256", None, "hashed_unsalted"),
    ("phone_hash", None, "hashed"),
    ("phone_digest", None, "hashed"),
    ("mobile", "手机号（AES加密）", "encrypted"),
    ("id_card", "身份证号 脱敏", "masked"),
    # a bare algorithm in a comment is an unsalted digest, as in a name (sfzhSha256)
    ("id_card", "SHA-256 摘要", "hashed_unsalted"),
    ("id_card", "SHA-256 摘要，加盐", "hashed"),
    ("sfzh_jm", None, "encrypted"),
    ("phone", "HMAC-SM3 with the org key", "hashed_keyed"),
    ("phone", "[pia:hashed_keyed]", "hashed_keyed"),
    ("mobile", "手机号", None),
    ("jm", None, None),
    # a comment or a Chinese name that negates, wants or defers protection protects nothing
    # (QA: 未加密 read as encrypted), the rule check-migrations applies (``affirmed``)
    ("sfzh", "未加密", None),
    ("sfzh", "需要加密", None),
    ("sfzh", "明文，尚未加密", None),
    ("sfzh", "身份证号，计划于2027年加密", None),
    ("phone", "not [pia:encrypted] yet", None),
    ("phone", "TODO: HMAC", None),
    ("身份证号_未加密", None, None),
    ("身份证号_加密", None, "encrypted"),
    ("sfzh", "身份证号，已加密", "encrypted"),
    ("sfzh", "非对称加密", "encrypted"),
])
def test_hint(name: str, comment: str | None, expected: str | None) -> None:
    assert hint(name, comment) == expected
