"""Reproducible samples that do not depend on how a table was partitioned.

The sample is decided per table, never per partition: the same ``--seed`` picks the same rows
whether a table is read as one partition or as twenty ranges on four workers. Two ways:

- keyed tables (SQLite rowid, an integer primary key): draw the sample's key candidates from
  the table's whole key span with a generator seeded by (seed, table), then each partition
  fetches the candidates that fall in its range by key lookup — never ``ORDER BY RANDOM()``,
  which reads and sorts the whole table;
- other rows: keep a row when a keyed hash of (seed, table, its content) falls under the
  sampling fraction (PostgreSQL does the same in C with ``TABLESAMPLE BERNOULLI ... REPEATABLE``,
  whose per-tuple decision depends only on the seed and the tuple's position).
"""

from __future__ import annotations

import hashlib
import math
import random

#: rows per partition when a table is split into key ranges
PARTITION_ROWS = 200_000
#: never draw more candidates than this many times the sample size (very sparse keys)
MAX_OVERDRAW = 20


def split_range(lo: int, hi: int, rows: int, part_rows: int = PARTITION_ROWS) -> list[list[int]]:
    """Inclusive key ranges covering [lo, hi], about ``part_rows`` rows each."""
    parts = max(1, math.ceil(rows / part_rows)) if part_rows > 0 else 1
    span = hi - lo + 1
    parts = min(parts, max(1, span))
    step = math.ceil(span / parts)
    return [[start, min(hi, start + step - 1)] for start in range(lo, hi + 1, step)]


def sample_keys(seed: int, table: str, lo: int, hi: int, rows: int, n: int) -> list[int]:
    """Sorted key candidates for a sample of about ``n`` rows of a table with ``rows`` rows
    whose keys lie in [lo, hi]; gaps in the keys are compensated by drawing more."""
    span = hi - lo + 1
    if span <= 0 or n <= 0:
        return []
    want = math.ceil(n * span / max(rows, 1))
    want = min(span, want, n * MAX_OVERDRAW)
    rng = random.Random(f"{seed}\x00{table}")
    return sorted(rng.sample(range(lo, hi + 1), want))


def keep_row(seed: int, table: str, row: tuple[object, ...], fraction: float) -> bool:
    """Keyed-hash sampling of a row by its content, for tables without a usable key."""
    if fraction >= 1.0:
        return True
    digest = hashlib.blake2b(
        repr(row).encode("utf-8", "replace"), digest_size=8, key=f"{seed}\x00{table}".encode()[:64]
    ).digest()
    return int.from_bytes(digest, "big") < fraction * 2**64
