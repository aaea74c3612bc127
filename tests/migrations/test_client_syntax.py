"""What a migration tool or client replaces or reads before the database does: Flyway
placeholders, Liquibase properties and delimiters, psql variables and meta-commands, T-SQL
``GO``, Oracle's ``/``; and the double-quoted names of the SQL generators (Django, Prisma,
pg_dump). Each case is a QA reproduction whose sensitive column was missed, with exit 0."""

from __future__ import annotations

import pytest

from pia.migrations.check import check_text


def verdicts(text: str, dialect: str = "auto") -> list[tuple[int, str, str]]:
    """(line, rule, table.column or '') of each finding, in file order."""
    return [(f.line, f.rule_id, f"{f.table}.{f.column}" if f.column else "")
            for f in check_text("V1__m.sql", text, dialect)]


S28 = "PIPL-28-SENSITIVE-PLAINTEXT"
G51 = "PIPL-51-ENCRYPT-DEIDENT"
PARSE = "PIA-SQL-PARSE"


def test_flyway_placeholders_are_names() -> None:
    text = ("CREATE TABLE ${schema}.member (id int, sfzh varchar(18));\n"
            "ALTER TABLE ${flyway:defaultSchema}.member ADD COLUMN shouji varchar(20);\n"
            "CREATE TABLE ${schema}.member_bak AS SELECT * FROM ${schema}.member;\n")
    assert verdicts(text) == [
        (1, S28, "${schema}.member.sfzh"),
        (2, G51, "${flyway:defaultSchema}.member.shouji"),
        (3, S28, "${schema}.member_bak.sfzh"),
        (3, G51, "${schema}.member_bak.shouji"),
    ]


def test_a_liquibase_property_is_a_type_and_a_placeholder_in_a_string_stays_text() -> None:
    text = ("--liquibase formatted sql\n--changeset a:1\n"
            "ALTER TABLE member ADD COLUMN sfzh ${textType};\n"
            "INSERT INTO member (id, note) VALUES (1, '${not_a_name} 440301198805123413');\n")
    assert verdicts(text) == [(3, S28, "member.sfzh"), (4, S28, "member.note")]


@pytest.mark.parametrize("name", [':"schema"', ":schema"])
def test_psql_variables_are_names(name: str) -> None:
    text = (f"CREATE TABLE {name}.member (id int, sfzh varchar(18));\n"
            "ALTER TABLE member ADD COLUMN shouji varchar(20);\n")
    assert verdicts(text) == [(1, S28, f"{name}.member.sfzh"), (2, G51, "member.shouji")]


def test_a_psql_string_variable_and_a_cast_to_a_quoted_type() -> None:
    text = ("INSERT INTO member (id, sfzh) VALUES (1, :'sfzh_value');\n"
            'SELECT x::"MyType" FROM t;\n'
            "ALTER TABLE member ADD COLUMN sfzh varchar(18);\n")
    assert verdicts(text) == [(3, S28, "member.sfzh")]


def test_a_table_named_by_something_else_is_said_not_skipped() -> None:
    assert verdicts("ALTER TABLE @t ADD COLUMN shouji text;\n") == [(1, PARSE, "")]


LIQUIBASE = """--liquibase formatted sql
--changeset a:1 endDelimiter:/
CREATE TABLE x (id int)
/
--changeset a:2
ALTER TABLE customer ADD COLUMN id_card VARCHAR(18);
"""
LIQUIBASE_FUNCTION = """--liquibase formatted sql

--changeset zhangwei:2 splitStatements:false endDelimiter:/
CREATE OR REPLACE FUNCTION mask_phone(p text) RETURNS text AS $$
BEGIN
  RETURN substr(p,1,3) || '****' || substr(p,8);
END;
$$ LANGUAGE plpgsql
/

--changeset lisi:3
ALTER TABLE customer ADD COLUMN mobile_phone VARCHAR(20);
"""
ORACLE = """CREATE OR REPLACE TRIGGER users_bi BEFORE INSERT ON users FOR EACH ROW
BEGIN
  :new.created := SYSDATE;
END;
/
ALTER TABLE users ADD (mobile VARCHAR2(20), passport_no VARCHAR2(9));
"""
TSQL = """CREATE TABLE [dbo].[kyc] ([id] int)
GO
ALTER TABLE [dbo].[kyc] ADD [id_card] nvarchar(18)
GO
"""
CUSTOM = """--liquibase formatted sql
--changeset a:1 endDelimiter:@@
CREATE TABLE x (id int)
@@
--changeset a:2
ALTER TABLE customer ADD COLUMN id_card VARCHAR(18);
"""


@pytest.mark.parametrize(("text", "expected"), [
    (LIQUIBASE, [(6, S28, "customer.id_card")]),
    (LIQUIBASE_FUNCTION, [(12, G51, "customer.mobile_phone")]),
    (ORACLE, [(6, G51, "users.mobile"), (6, S28, "users.passport_no")]),
    (TSQL, [(3, S28, "dbo.kyc.id_card")]),
    (CUSTOM, [(6, S28, "customer.id_card")]),
], ids=["liquibase", "liquibase-function", "oracle", "tsql-go", "liquibase-endDelimiter"])
def test_a_line_holding_only_the_delimiter_ends_the_statement(text: str, expected) -> None:
    assert verdicts(text) == expected


def test_a_slash_in_a_string_or_comment_line_ends_nothing() -> None:
    text = ("INSERT INTO t (note) VALUES ('a\n/\nb');\n/* x\n/\n*/\n"
            "ALTER TABLE customer ADD COLUMN id_card VARCHAR(18);\n")
    assert verdicts(text) == [(7, S28, "customer.id_card")]


@pytest.mark.parametrize("meta", ["\\set ON_ERROR_STOP on", "\\connect app",
                                  "\\restrict abcDEF123", "\\i common.sql"])
def test_a_psql_meta_command_is_a_line_of_its_own(meta: str) -> None:
    text = f"{meta}\nCREATE TABLE public.u (id int, sfzh varchar(18));\n"
    assert verdicts(text) == [(2, S28, "public.u.sfzh")]


QUOTED = """CREATE TABLE a (id int, sfzh varchar(18));
CREATE TABLE b1 AS SELECT * FROM "a";
CREATE TABLE b5 AS SELECT "sfzh" FROM a;
CREATE TABLE c2 AS SELECT l."sfzh" FROM a l;
CREATE TABLE c3 AS SELECT "l".* FROM "a" "l";
"""


def test_double_quoted_names_in_a_copy_are_names() -> None:
    assert verdicts(QUOTED) == [(1, S28, "a.sfzh"), (2, S28, "b1.sfzh"), (3, S28, "b5.sfzh"),
                                (4, S28, "c2.sfzh"), (5, S28, "c3.sfzh")]


def test_a_copy_of_a_quoted_table_no_migration_defines_is_said() -> None:
    text = 'CREATE TABLE "crm_customer_archive" AS SELECT * FROM "crm_customer";\n'
    assert verdicts(text) == [(1, PARSE, "")]


def test_in_mysql_a_double_quoted_select_item_is_a_string() -> None:
    text = ("CREATE TABLE a (id int, sfzh varchar(18)) ENGINE=InnoDB;\n"
            'CREATE TABLE b AS SELECT "sfzh" FROM a;\n')
    assert verdicts(text, "mysql") == [(1, S28, "a.sfzh")]


KEHU = ("CREATE TABLE `kehu` (`id` int, `xm` varchar(20) COMMENT '姓名', `note` text) "
        "ENGINE=InnoDB;\n")
ROW = "INSERT INTO `kehu` VALUES (1,'张伟','x'),(2,'王芳','');\n"


def test_an_insert_without_a_column_list_goes_to_the_columns_of_the_table() -> None:
    assert verdicts(KEHU + ROW) == [(1, G51, "kehu.xm"), (2, G51, "kehu.xm"),
                                    (2, G51, "kehu.xm")]


def test_an_insert_without_a_column_list_after_an_earlier_file(pia_check) -> None:
    code, out, _err = pia_check("V2__b.sql", files={"V1__a.sql": KEHU, "V2__b.sql": ROW})
    assert code == 0 and "V2__b.sql:1:30: warning PIPL-51-ENCRYPT-DEIDENT kehu.xm:" in out


def test_inherits_copies_the_parents_columns() -> None:
    text = ("CREATE TABLE lead (id bigint, sfzh varchar(18));\n"
            "CREATE TABLE kid (x int) INHERITS (lead);\n")
    assert verdicts(text) == [(1, S28, "lead.sfzh"), (2, S28, "kid.sfzh")]
