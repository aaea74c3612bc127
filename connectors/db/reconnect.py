"""A database connection lost mid-scan costs the table being read, not the scan.

Every partition opens its own connection (``DatabaseConnector.scan_partition``), so after a
connection is killed (``pg_terminate_backend``, ``KILL``, a failover, a restart, an idle
session killer) the next partition simply connects again. A connection refused meanwhile
(the server restarting, ``max_connections`` reached) is tried again a few times, a little
later each time; when it still cannot be made, the source is remembered as lost in this
process, and its remaining tables are said to be not read, with why, at once: a server gone
for good is not waited for once per table (1,000 tables of a 10 s connect timeout).

A table not read this way is marked ``lost`` in its partial: the database's result says so
(``SourceResult.incomplete``), and the report is not complete. What was read is kept.
"""

from __future__ import annotations

import time
from typing import Any

from pia.connectors.base import Partial, ScanContext
from pia.connectors.db.dsn import reason
from pia.connectors.db.model import Table
from pia.errors import SourceError

#: connection attempts for one partition (the first and its retries) before its source is
#: taken as lost, and the pause before each retry (seconds)
RECONNECT_ATTEMPTS = 3
RECONNECT_PAUSES = (1.0, 3.0)

#: (source, the scan's start) → why the source could not be connected to again
_LOST: dict[tuple[str, str], str] = {}


class LostSource(SourceError):
    """The connection for a partition could not be made again: its table is not read."""


def reconnect(connector: Any, source: str, ctx: ScanContext) -> Any:
    """A connection for one partition of ``source``, planning having connected once: tried
    ``RECONNECT_ATTEMPTS`` times, then ``LostSource`` (now and for the scan's remaining
    partitions in this process)."""
    key = (source, ctx.now.isoformat())
    if key in _LOST:
        raise LostSource(_LOST[key])
    for attempt in range(RECONNECT_ATTEMPTS):
        if attempt:
            time.sleep(RECONNECT_PAUSES[min(attempt, len(RECONNECT_PAUSES)) - 1])
        try:
            return connector.connect(ctx.real_uri(source))
        except SourceError as err:
            why = _why(err)
        except connector.driver_error() as err:  # a session setting the server refused
            why = reason(err)
    _LOST[key] = f"cannot connect again ({RECONNECT_ATTEMPTS} attempts): {why}"
    raise LostSource(_LOST[key])


def lost_table(table: Table, why: str) -> Partial:
    """The partial of a table its connection was lost for (or not made again)."""
    return {"skipped": f"{table.qualified}: {why}", "lost": True}


def _why(err: SourceError) -> str:
    """A connection error's reason without its ``engine host/db:`` prefix (the skipped entry
    names the source) and without "cannot connect", which the caller says in its own words.
    A MySQL handshake the server cut is no sign of "not a MySQL server?" here: planning
    spoke to it."""
    text = str(err).split(": ", 1)[-1].removeprefix("cannot connect").lstrip(": ")
    return text.removesuffix(" (not a MySQL server?)") or "refused or no answer"
