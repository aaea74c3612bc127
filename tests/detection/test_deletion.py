"""Soft-delete and account-closure markers (pia.detection.deletion): which columns mark rows
deleted, by name, pinyin, Chinese and comment, and what each value they hold says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pia.detection.deletion import account_table, is_marker, read_mark

# (column, comment, table, is a marker)
MARKERS = [
    # deletion words: a marker on any table
    ("deleted_at", None, "orders", True),
    ("delete_time", None, "t_order", True),
    ("deleted_time", None, "users", True),
    ("is_deleted", None, "orders", True),
    ("isDeleted", None, "orders", True),
    ("del_flag", None, "sys_user", True),
    ("deleted", None, "files", True),
    ("is_del", None, "orders", True),
    ("gmt_deleted", None, "orders", True),
    ("user_deleted_at", None, "users", True),  # the table's own name before the term
    ("order_deleted_at", None, "orders", True),
    ("删除时间", None, "orders", True),
    ("是否删除", None, "orders", True),
    ("删除标志", None, "orders", True),
    ("shanchushijian", None, "orders", True),  # pinyin of 删除时间
    ("shan_chu_biao_zhi", None, "orders", True),
    ("zhuxiaoshijian", None, "orders", True),  # 注销 names an account's closure anywhere
    ("注销时间", None, "orders", True),
    ("flag", "删除标志（0代表存在 2代表删除）", "sys_user", True),  # RuoYi's comment
    ("sc", "删除时间，为空表示未删除", "orders", True),
    ("zt", "是否注销：0否1是", "orders", True),
    ("flag", "逻辑删除标志位", "orders", True),
    # closure words: only on tables of accounts, where closed means the account
    ("closed_at", None, "users", True),
    ("cancel_time", None, "t_member", True),
    ("cancelled_at", None, "customer_accounts", True),
    ("deactivated_at", None, "会员表", True),
    ("is_closed", None, "user", True),
    ("closed_at", None, "orders", False),  # an order closed is a record of the order
    ("cancel_time", None, "tickets", False),
    ("cancelled", None, "bookings", False),
    # who and why a row was deleted, counts and times of something else: not markers
    ("deleted_by", None, "users", False),
    ("delete_reason", None, "users", False),
    ("deleted_count", None, "users", False),
    ("is_deleted_by_admin", None, "users", False),
    ("photo_deleted_at", None, "users", False),  # the photo, not the row
    ("delete_user", None, "users", False),
    ("删除人", None, "users", False),
    ("x", "删除人", "users", False),
    ("x", "删除原因", "users", False),
    ("status", None, "users", False),  # status columns are not read as markers
    ("status", "状态", "users", False),
    # initials spell other columns as often: 上传时间 scsj, 执行时间/最新时间 zxsj
    ("scsj", None, "orders", False),
    ("zxsj", None, "users", False),
    ("scbz", None, "orders", False),
    ("created_at", None, "users", False),
    ("updated_at", None, "users", False),
]


@pytest.mark.parametrize(("column", "comment", "table", "expected"), MARKERS)
def test_markers(column: str, comment: str | None, table: str, expected: bool) -> None:
    assert is_marker(column, comment, table) is expected


@pytest.mark.parametrize(("table", "expected"), [
    ("users", True), ("t_member", True), ("CustomerAccount", True), ("会员信息", True),
    ("yonghu", True), ("orders", False), ("product_category", False), (None, False)])
def test_account_tables(table: str | None, expected: bool) -> None:
    assert account_table(table) is expected


AWARE = dt.datetime(2024, 5, 31, 17, 0, tzinfo=dt.UTC)  # 2024-06-01 01:00 in Beijing

# value, (deleted, day)
VALUES = [
    # a live row
    (None, (False, None)), (0, (False, None)), (False, (False, None)), ("0", (False, None)),
    ("N", (False, None)), ("", (False, None)), ("  ", (False, None)), (b"\x00", (False, None)),
    ("否", (False, None)), (Decimal("0"), (False, None)),
    # placeholders for "never": MySQL's zero date, the epoch
    ("0000-00-00 00:00:00", (False, None)), (dt.date(1970, 1, 1), (False, None)),
    (dt.datetime(1970, 1, 1), (False, None)),
    # a flag: deleted, no time (RuoYi writes '2')
    (1, (True, None)), (2, (True, None)), ("2", (True, None)), (True, (True, None)),
    ("Y", (True, None)), ("是", (True, None)), (b"\x01", (True, None)),
    (Decimal("1"), (True, None)),
    # a time: deleted on that day in Beijing
    (dt.datetime(2024, 1, 2, 10, 0), (True, dt.date(2024, 1, 2))),
    (AWARE, (True, dt.date(2024, 6, 1))),
    (dt.date(2024, 1, 2), (True, dt.date(2024, 1, 2))),
    ("2024-01-02 10:00:00", (True, dt.date(2024, 1, 2))),
    ("2024-01-02T10:00:00+08:00", (True, dt.date(2024, 1, 2))),
    # ThinkPHP's delete_time: epoch seconds (and milliseconds)
    (1700000000, (True, dt.date(2023, 11, 15))),
    (1700000000000, (True, dt.date(2023, 11, 15))),
    ("1700000000", (True, dt.date(2023, 11, 15))),
    # text no marker holds
    ("removed by customer service", (None, None)), (1.5, (None, None)),
]


@pytest.mark.parametrize(("value", "expected"), VALUES)
def test_values(value: object, expected: tuple[bool | None, dt.date | None]) -> None:
    assert read_mark(value) == expected
