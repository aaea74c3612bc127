"""Where pia's days begin: China Standard Time (UTC+8, no daylight saving).

Scans record UTC instants; every *day* pia reasons about is the day in Beijing, the clock of
the organisations and regulators it serves: an acceptance "through 2027-03-31" ends at
midnight there, a log's age and a person's age (under 14 is a minor under PIPL 28) count in
its days. A UTC date would end an acceptance at 08:00 the next morning and keep a child a
minor for the first eight hours of its fourteenth birthday.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA_TIME = timezone(timedelta(hours=8), "CST")


def china_date(when: datetime) -> date:
    """The day ``when`` (an aware datetime) falls on in China Standard Time."""
    return when.astimezone(CHINA_TIME).date()


def parse_instant(value: object) -> datetime | None:
    """``value`` as an aware datetime when it is an ISO 8601 time with a zone (``…Z`` or
    ``…+08:00``), else None: a naive time would be read in whatever zone the reading machine
    keeps, so a bundle verified in another zone would count other days."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None
