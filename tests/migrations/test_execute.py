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
    # an expression between the pieces ends what is read; PERFORM runs no SQL
    assert [line.split(" holds")[0] for line in out.splitlines()] == [
        f"V1.sql:3:45: {S28} %I.passport_no",
        f"V1.sql:4:71: {S28} app.%I.id_card",
        f"V1.sql:5:43: {S28} u.id_number"]
