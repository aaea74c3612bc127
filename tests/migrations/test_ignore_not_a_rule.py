"""``pia:ignore * reason`` names no rule: the author is told that ``'*'`` is not a rule id,
not that the comment has no reason (QA q2 M2), and the finding stays open. A word written
where a rule id goes may be a value (a resident ID pasted in): it is masked there too."""

from __future__ import annotations

SQL = ("CREATE TABLE t8 (id int, id_card varchar(18)); -- pia:ignore * wildcard\n"
       "CREATE TABLE t9 (id int, id_card varchar(18)); -- pia:ignore 110101199003077777 ok\n")


def test_a_star_is_not_a_rule_id(pia_check) -> None:
    code, out, err = pia_check("--lang", "en", "V8.sql", files={"V8.sql": SQL})
    assert code == 1 and out.count("error PIPL-28-SENSITIVE-PLAINTEXT") == 2
    assert "V8.sql:1: '*' is not a rule id: the pia:ignore suppresses nothing" in err
    assert "without a reason" not in err
    # a value written where the rule id goes is masked in the warning, as everywhere
    assert "names a rule that does not exist, 1101**********7777" in err
    assert "110101199003077777" not in out + err
