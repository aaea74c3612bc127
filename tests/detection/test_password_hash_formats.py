"""The password hashes web frameworks write are salted hashes, not plaintext credentials (QA
F3): Django's ``pbkdf2_sha256$600000$salt$digest`` in every Django site's
``auth_user.password`` was read as a plaintext password, critical, while bcrypt passed.
Each format is generated here as its framework writes it (hashlib's PBKDF2 and scrypt; the
argon2 string by its documented PHC layout); strings that only join words with ``$`` or
``:`` stay plain."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import sqlite3
import string
import subprocess
import sys
from pathlib import Path

import pytest

from pia.detection.protection import salted_hash, value_shape

_ALNUM = string.ascii_letters + string.digits


def _salt(n: int = 22) -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(n))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def django_pbkdf2(password: str, algorithm: str = "sha256", iterations: int = 600_000) -> str:
    """Django's PBKDF2PasswordHasher (and PBKDF2SHA1PasswordHasher)."""
    salt = _salt()
    digest = hashlib.pbkdf2_hmac(algorithm, password.encode(), salt.encode(), iterations)
    return f"pbkdf2_{algorithm}${iterations}${salt}${_b64(digest)}"


def django_scrypt(password: str) -> str:
    """Django's ScryptPasswordHasher: scrypt$n$salt$r$p$digest."""
    salt = _salt()
    digest = hashlib.scrypt(password.encode(), salt=salt.encode(), n=2**14, r=8, p=1,
                            maxmem=64 * 1024 * 1024, dklen=64)
    return f"scrypt${2**14}${salt}$8$1${_b64(digest)}"


def django_argon2() -> str:
    """Django's Argon2PasswordHasher: ``argon2`` in front of the PHC string argon2-cffi
    writes ($argon2id$v=19$m=..,t=..,p=..$salt$digest, base64 without padding)."""
    salt = _b64(secrets.token_bytes(16)).rstrip("=")
    digest = _b64(secrets.token_bytes(32)).rstrip("=")
    return f"argon2$argon2id$v=19$m=102400,t=2,p=8${salt}${digest}"


def werkzeug_pbkdf2(password: str, iterations: int = 600_000) -> str:
    """Werkzeug's generate_password_hash(method='pbkdf2:sha256')."""
    salt = _salt(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2:sha256:{iterations}${salt}${digest.hex()}"


def werkzeug_scrypt(password: str) -> str:
    """Werkzeug's default since 3.0: scrypt:32768:8:1$salt$hex."""
    salt = _salt(16)
    digest = hashlib.scrypt(password.encode(), salt=salt.encode(), n=2**15, r=8, p=1,
                            maxmem=132 * 1024 * 1024)
    return f"scrypt:{2**15}:8:1${salt}${digest.hex()}"


@pytest.mark.parametrize("make", [
    lambda: django_pbkdf2("correct horse"),
    lambda: django_pbkdf2("correct horse", "sha1", 260_000),
    lambda: django_scrypt("correct horse"),
    django_argon2,
    lambda: "bcrypt_sha256$$2b$12$" + "".join(secrets.choice(_ALNUM) for _ in range(53)),
    lambda: werkzeug_pbkdf2("correct horse"),
    lambda: werkzeug_scrypt("correct horse"),
], ids=["django-pbkdf2_sha256", "django-pbkdf2_sha1", "django-scrypt", "django-argon2",
        "django-bcrypt_sha256", "werkzeug-pbkdf2", "werkzeug-scrypt"])
def test_framework_password_hashes_are_salted(make: object) -> None:
    value = make()  # type: ignore[operator]
    assert salted_hash(value)
    assert value_shape(value) == "salted"


@pytest.mark.parametrize("value", [
    "pbkdf2_sha256$many$salt$" + "A" * 44,  # no iteration count
    "pbkdf2_sha256$600000$salt",  # no digest
    "pbkdf2:sha256:600000$salt$not-hex-at-all-zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
    "scrypt:32768:8:1$salt$abc",  # a digest too short for one
    "argon2$argon2id$my password",
    "order$20240101$customer$13812345678",
    "张三$13812345678$北京市朝阳区",
])
def test_other_dollar_joined_strings_are_not_salted_hashes(value: str) -> None:
    assert not salted_hash(value)
    assert value_shape(value) != "salted"


def test_django_auth_user_is_no_plaintext_credential(tmp_path: Path) -> None:
    """A Django ``auth_user`` table scanned as a database: its passwords are hashed_salted,
    with no critical plaintext finding, as bcrypt's are."""
    path = tmp_path / "site.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE auth_user (id integer, password varchar(128), is_staff bool)")
    hashes = [django_pbkdf2(f"pw{i}", iterations=1_000) for i in range(40)]
    conn.executemany("INSERT INTO auth_user VALUES (?, ?, 0)", list(enumerate(hashes)))
    conn.commit()
    conn.close()
    out = tmp_path / "r.json"
    run = subprocess.run([sys.executable, "-m", "pia", "scan", f"sqlite:///{path}", "-q",
                          "--lang", "en", "-o", str(out)], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    items = [i for i in report["inventory"] if i["location"].get("column") == "password"]
    assert items and {i["protection"] for i in items} == {"hashed_salted"}, items
    assert not [f for f in report["findings"]
                if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT"]
