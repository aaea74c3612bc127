"""A database connection lost mid-scan costs the table being read, not the scan.

Every partition opens its own connection (``DatabaseConnector.scan_partition``), so after a
connection is killed (``pg_terminate_backend``, ``KILL``, a failover, a restart, an idle
session killer) the next partition simply connects again. A connection refused meanwhile
(the server restarting, ``max_connections`` reached) is tried again a few times, a little
later each time; when it still cannot be made, the source is remembered as lost in this
process for this planning of it (``pia.connectors.lost``, by the token its partitions carry),
and its remaining tables are said to be not read, with why, at once: a server gone
for good is not waited for once per table (1,000 tables of a 10 s connect timeout).

A table not read this way is marked ``lost`` in its partial: the database's result says so
(``SourceResult.incomplete``), and the report is not complete. What was read is kept.
"""

from __future__ import annotations

import time
from typing import Any

from pia.connectors import lost
from pia.connectors.base import Partial, Partition, ScanContext
from pia.connectors.db.dsn import reason
from pia.connectors.db.model import Table
from pia.errors import SourceError

#: connection attempts for one partition (the first and its retries) before its source is
#: taken as lost, and the pause before each retry (seconds)
RECONNECT_ATTEMPTS = 3
RECONNECT_PAUSES = (1.0, 3.0)


class LostSource(SourceError):
    """The connection for a partition could not be made again: its table is not read."""


def reconnect(connector: Any, partition: Partition, ctx: ScanContext) -> Any:
    """A connection for ``partition``, planning having connected once: tried
    ``RECONNECT_ATTEMPTS`` times, then ``LostSource`` (now and for the remaining partitions
    of its plan in this process)."""
    source = partition.source
    key = lost.key_of(partition.spec.get("run", ""), source)
    gone = lost.why_lost(key)
    if gone is not None:
        raise LostSource(gone)
    for attempt in range(RECONNECT_ATTEMPTS):
        if attempt:
            time.sleep(RECONNECT_PAUSES[min(attempt, len(RECONNECT_PAUSES)) - 1])
        try:
            return connector.connect(ctx.real_uri(source))
        except SourceError as err:
            why = _why(err)
        except connector.driver_error() as err:  # a session setting the server refused
            why = reason(err)
    raise LostSource(lost.mark_lost(
        key, f"cannot connect again ({RECONNECT_ATTEMPTS} attempts): {why}"))


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
