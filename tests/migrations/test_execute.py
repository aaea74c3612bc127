"""Dynamic DDL in DO blocks: ``EXECUTE format('...')`` and strings joined with ``||``."""

from __future__ import annotations

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
DO = ("DO $$\nBEGIN\n"
      "  EXECUTE format('ALTER TABLE %I ADD COLUMN passport_no TEXT', 'u');\n"
      "  EXECUTE format('ALTER TABLE app.%1$I ADD COLUMN %s TEXT, ADD COLUMN id_card TEXT',"
      " 'u', 'x');\n"
      "  EXECUTE 'ALTER TABLE u ADD COLUMN ' || 'id_number TEXT';\n"
      "  EXECUTE 'ALTER TABLE u ' || quote_ident(c) || ' ADD COLUMN bank_card TEXT';\n"
      "  PERFORM format('ALTER TABLE u ADD COLUMN sfzh TEXT');\n"
      "END $$;\n")


def test_format_templates_and_joined_strings_are_read(pia_check) -> None:
    """format() with a literal template is how plpgsql writes dynamic DDL; it and
    'a' || 'b' were not read, so the ID columns they add passed (exit 0)."""
    code, out, _err = pia_check("V1.sql", files={"V1.sql": DO})
    assert code == 1
    # ' || quote_ident(c) || ' after a table's name makes no statement; PERFORM runs no SQL
    assert [line.split(" holds")[0] for line in out.splitlines()] == [
        f"V1.sql:3:45: {S28} %I.passport_no",
        f"V1.sql:4:71: {S28} app.%I.id_card",
        f"V1.sql:5:43: {S28} u.id_number"]


def test_an_expression_joined_between_strings_is_a_name(pia_check) -> None:
    """``'ALTER TABLE ' || quote_ident(t) || ' ADD COLUMN ...'`` is how plpgsql names a
    table it is given: the expression ended what was read, so the column passed. It is a
    name now, said as ``format``'s ``%I`` is; an expression no string follows still ends
    what is read."""
    sql = ("DO $$\nDECLARE t text := 'kyc';\nBEGIN\n"
           "  EXECUTE 'ALTER TABLE ' || quote_ident(t) || ' ADD COLUMN sfzh text';\n"
           "  EXECUTE 'ALTER TABLE kyc ADD COLUMN '||col_name||' varchar(18), ADD shouji text';\n"
           "  EXECUTE 'ALTER TABLE kyc ADD COLUMN id_card ' || coltype;\n"
           "END $$;\n")
    code, out, _err = pia_check("--lang", "en", "V1.sql", files={"V1.sql": sql})
    assert (code, [line.split(" holds")[0] for line in out.splitlines()]) == (1, [
        f"V1.sql:4:60: {S28} %I.sfzh",
        "V1.sql:5:71: warning PIPL-51-ENCRYPT-DEIDENT kyc.shouji",
        f"V1.sql:6:39: {S28} kyc.id_card"])  # read up to the expression, as before


def test_a_do_block_in_a_plain_string_is_read_as_one_in_dollars(pia_check) -> None:
    """``DO 'BEGIN ... END'`` (a plain string, its quotes doubled inside) runs its code as
    ``DO $$ ... $$`` does: it was read as a value only, and the column it adds passed."""
    sql = ("DO 'BEGIN ALTER TABLE kyc ADD COLUMN hzhm text DEFAULT ''none''; END';\n"
           "DO LANGUAGE plpgsql 'BEGIN\n  ALTER TABLE kyc ADD COLUMN zjhm text;\nEND';\n")
    code, out, _err = pia_check("--lang", "en", "V1.sql", files={"V1.sql": sql})
    assert (code, [line.split(" holds")[0] for line in out.splitlines()]) == (1, [
        f"V1.sql:1:38: {S28} kyc.hzhm", f"V1.sql:3:30: {S28} kyc.zjhm"])
