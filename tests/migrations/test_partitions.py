"""PostgreSQL partitions: ``CREATE TABLE t PARTITION OF a FOR VALUES ...`` has exactly a's
columns, as a child of ``INHERITS (a)`` has them; a partition of a table with a plaintext
ID number column holds plaintext ID numbers (QA: it passed with exit 0)."""

from __future__ import annotations

from pia.migrations.check import check_text

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
G51 = "warning PIPL-51-ENCRYPT-DEIDENT"
PARENT = ("CREATE TABLE lead (id bigint, sfzh varchar(18), shouji varchar(11), "
          "created date) PARTITION BY RANGE (created);\n")


def _places(text: str) -> list[tuple[int, int, str]]:
    return [(f.line, f.col, f"{f.table}.{f.column}")
            for f in check_text("V1__p.sql", text, "postgres") if f.line > 1]


def test_a_partition_holds_its_parents_columns_found_where_it_names_the_parent() -> None:
    text = PARENT + ("CREATE TABLE lead_2024 PARTITION OF lead\n"
                     "  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n")
    assert _places(text) == [(2, 37, "lead_2024.sfzh"), (2, 37, "lead_2024.shouji")]


def test_a_partition_is_located_as_an_inherits_child_is() -> None:
    """The same parent, the same columns, the finding on the parent's name either way."""
    partition = check_text("V1.sql", PARENT + "CREATE TABLE kid PARTITION OF lead DEFAULT;\n")
    child = check_text("V1.sql", PARENT + "CREATE TABLE kid (x int) INHERITS (lead);\n")
    assert [(f.rule_id, f.column, f.params["origin"]) for f in partition if f.line == 2] == [
        (f.rule_id, f.column, f.params["origin"]) for f in child if f.line == 2] == [
        ("PIPL-28-SENSITIVE-PLAINTEXT", "sfzh", "lead"),
        ("PIPL-51-ENCRYPT-DEIDENT", "shouji", "lead")]


def test_a_partitions_own_column_options_define_no_other_column() -> None:
    """``(sfzh WITH OPTIONS NOT NULL)`` constrains the parent's column: one finding each,
    and the schema-qualified, quoted parent is found."""
    text = (PARENT.replace("lead", '"Lead"', 1)
            + 'CREATE TABLE p1 PARTITION OF public."Lead" (sfzh WITH OPTIONS NOT NULL)\n'
            "  FOR VALUES IN ('2024-01-01');\n")
    assert _places(text) == [(2, 37, "p1.sfzh"), (2, 37, "p1.shouji")]


def test_a_partition_of_a_partition_and_of_an_earlier_files_table(pia_check) -> None:
    files = {"db/V1.sql": PARENT,
             "db/V2.sql": "CREATE TABLE lead_y PARTITION OF lead FOR VALUES IN (1)\n"
                          "  PARTITION BY LIST (id);\n"
                          "CREATE TABLE lead_y1 PARTITION OF lead_y FOR VALUES IN (2);\n"}
    code, out, _err = pia_check("--lang", "en", "db/V2.sql", files=files)
    assert code == 1
    assert [line.split(" holds")[0] for line in out.splitlines()] == [
        f"db/V2.sql:1:34: {S28} lead_y.sfzh (a copy of lead.sfzh)",
        f"db/V2.sql:1:34: {G51} lead_y.shouji (a copy of lead.shouji)",
        f"db/V2.sql:3:35: {S28} lead_y1.sfzh (a copy of lead_y.sfzh)",
        f"db/V2.sql:3:35: {G51} lead_y1.shouji (a copy of lead_y.shouji)"]


def test_a_partition_of_an_unknown_table_says_its_columns_were_not_checked() -> None:
    found = check_text("V1.sql", "CREATE TABLE p PARTITION OF elsewhere DEFAULT;\n", "postgres")
    assert [(f.rule_id, f.params.get("copy"), f.params.get("source")) for f in found] == [
        ("PIA-SQL-PARSE", "p", "elsewhere")]
