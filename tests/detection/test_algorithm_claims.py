"""A comment that names the cipher or digest protecting its column claims that protection, as
the name suffix ``_sm4``/``_aes``/``_hmac`` does (QA migrations 17), for ``pia scan`` as for
``check-migrations``: ``国密SM4``, ``AES-256-GCM``, ``pgp_sym_encrypt`` and ``fernet`` claim
encryption, ``HMAC-SHA256`` a keyed digest; a negated one (未使用SM4) claims nothing. Where the
sampled values are plaintext, the scan reports the claim they contradict."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from stdnum.iso7064 import mod_11_2

from pia.detection.protection import claimed

CLAIMS = [
    ("身份证号，国密SM4", "encrypted"),
    ("手机号 AES-256-GCM", "encrypted"),
    ("身份证号 pgp_sym_encrypt", "encrypted"),
    ("身份证号（fernet）", "encrypted"),
    ("身份证号 HMAC-SHA256", "hashed_keyed"),
]
#: negated, or not an algorithm at all (病历摘要 is a summary; caesar holds no AES)
NO_CLAIM = ["身份证号，未使用SM4", "手机号，不做AES-256-GCM", "身份证号，未用pgp_sym_encrypt",
            "身份证号，不使用HMAC-SHA256", "病历摘要", "caesar 身份证号"]


@pytest.mark.parametrize(("comment", "claim"), CLAIMS)
def test_a_comment_naming_an_algorithm_claims_its_protection(comment: str, claim: str) -> None:
    assert claimed("c", comment) == (claim, "comment")


@pytest.mark.parametrize("comment", NO_CLAIM)
def test_a_negated_algorithm_claims_nothing(comment: str) -> None:
    assert claimed("c", comment) is None


def _resident_ids(n: int) -> list[str]:
    bodies = [f"310104{19700101 + i % 28:08d}{i % 1000:03d}" for i in range(n)]
    return [body + mod_11_2.calc_check_digit(body) for body in bodies]


def test_scan_reports_an_sm4_comment_its_plaintext_values_contradict(tmp_path: Path) -> None:
    ids = _resident_ids(40)
    path, out = tmp_path / "k.db", tmp_path / "r.json"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE kehu (\n  id integer primary key,\n"
                 "  zjhm text -- 身份证号，国密SM4\n)")
    conn.executemany("INSERT INTO kehu VALUES (?, ?)", list(enumerate(ids)))
    conn.commit()
    conn.close()
    run = subprocess.run([sys.executable, "-m", "pia", "scan", f"sqlite:///{path}", "-q",
                          "--lang", "en", "-o", str(out)], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path)
    assert run.returncode == 1, run.stderr  # plaintext resident IDs
    text = out.read_text(encoding="utf-8")
    [item] = [i for i in json.loads(text)["inventory"] if i["location"]["column"] == "zjhm"]
    assert (item["entity_type"], item["protection"]) == ("CN_RESIDENT_ID", "plaintext")
    assert (item["evidence"]["claimed_protection"], item["evidence"]["claimed_by"]) == (
        "encrypted", "comment")
    assert not any(value in text for value in ids)
