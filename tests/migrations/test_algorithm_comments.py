"""A comment that names the algorithm protecting its column is read as the name suffix is and
as ``pia scan`` reads it (QA migrations 17): ``国密SM4``, ``AES-256-GCM``, ``pgp_sym_encrypt``
say ciphertext, ``HMAC-SHA256`` a keyed digest, and a bare ``SHA256`` an unsalted digest, which
over an enumerable identifier is PIPL-73 as ``sfzh_sha256`` is. 摘要 alone is a summary
(病历摘要 holds medical text in plain), and a negated algorithm (未使用SM4) protects nothing."""

from __future__ import annotations

import pytest

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
G51 = "warning PIPL-51-ENCRYPT-DEIDENT"
R73 = "error PIPL-73-PSEUDONYM-REVERSIBLE"

#: a MySQL column's comment → the verdict on it (None: protected, no finding)
VERDICTS = [
    ("身份证号，国密SM4", None),
    ("手机号 AES-256-GCM", None),
    ("身份证号 pgp_sym_encrypt", None),
    ("身份证号 HMAC-SHA256", None),
    ("身份证号SHA256", R73),
    ("手机号（MD5）", R73),
    ("身份证号，SM3摘要", R73),
    # salted: not the bare digest enumeration reverses (no error), but no key is said, and
    # the scan cannot tell a salted digest's values from a bare one's (QA F6)
    ("身份证号，SHA-256 加盐", "warning PIPL-73-PSEUDONYM-REVERSIBLE"),
    ("病历摘要", S28),  # a summary, not a digest
    ("身份证号，未使用SM4", S28),
    ("身份证号，不做MD5", S28),
    ("身份证号，未用pgp_sym_encrypt", S28),
    ("身份证号，不使用HMAC-SHA256", S28),
    ("手机号，暂未AES-256-GCM", G51),
]


@pytest.mark.parametrize(("comment", "verdict"), VERDICTS)
def test_a_comment_naming_an_algorithm_claims_what_it_does(pia_check, comment: str,
                                                           verdict: str | None) -> None:
    sql = f"CREATE TABLE `k` (\n  `c` varchar(64) COMMENT '{comment}'\n) ENGINE=InnoDB;\n"
    code, out, err = pia_check("V1.sql", files={"V1.sql": sql})
    if verdict is None:
        assert (code, out) == (0, ""), (comment, out, err)
    else:
        assert code == (1 if verdict.startswith("error") else 0), (comment, err)
        assert [line.split(" k.c")[0] for line in out.splitlines()] == [
            f"V1.sql:2:3: {verdict}"], (comment, out)


def test_a_comment_names_the_unsalted_digest_a_name_suffix_names(pia_check) -> None:
    sql = ("CREATE TABLE `k` (\n  `sfzh_sha256` char(64),\n"
           "  `e` char(64) COMMENT '身份证号SHA256'\n) ENGINE=InnoDB;\n")
    code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    rules = [line.split(" holds")[0].split(" k.")[0].split(": ", 1)[1]
             for line in out.splitlines()]
    assert (code, rules) == (1, [R73, R73])
