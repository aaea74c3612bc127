"""The journal is one file, appended to and synced in batches: a file per partition cost a
scan of 20,000 small files a file creation each and left 80 MB of them, and a sync per entry
made it four times slower. What is recorded is read back whole, a batch is synced after
SYNC_EVERY records or SYNC_SECONDS, and what is left unsynced is synced when the journal
goes."""

from __future__ import annotations

import gc
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pia.connectors.base import Partition
from pia.executors import journal as journal_module
from pia.executors.journal import SYNC_EVERY, Journal

KEY = b"k" * 32


def partitions(n: int) -> list[Partition]:
    return [Partition(connector="files", source="/logs", key=f"/logs/{i}.log@0-9", spec={},
                      state=f"9:{i}", weight=9) for i in range(n)]


def entry(partition: Partition, partial: dict) -> dict:
    return {"connector": "files", "source": "/logs", "key": partition.key,
            "state": partition.state, "events": [], "partial": partial}


@pytest.fixture
def syncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The inode of the file each data sync was for, in order."""
    made: list[int] = []
    real = journal_module._datasync

    def datasync(fd: int) -> None:
        made.append(os.fstat(fd).st_ino)
        real(fd)
    monkeypatch.setattr(journal_module, "_datasync", datasync)
    return made


def test_many_records_make_one_file_synced_in_batches(tmp_path: Path, syncs: list[int]) -> None:
    journal = Journal(tmp_path / "state", "cfg", datetime.now(UTC), False, key=KEY)
    every = partitions(3 * SYNC_EVERY)
    for partition in every:
        journal.record(partition, json.dumps({"lines": 1}), [])
    # a batch per SYNC_EVERY records, and one a second on a slow machine: not one per record,
    # and each of the journal's one file
    assert 3 <= len(syncs) < 3 + 30
    assert set(syncs) == {(tmp_path / "state" / "journal.log").stat().st_ino}
    assert os.listdir(tmp_path / "state") == ["journal.log"]
    journal.close()
    reread = Journal(tmp_path / "state", "cfg", datetime.now(UTC), True, key=KEY)
    assert reread.finished() == len(every)
    assert all(reread.lookup(p) == entry(p, {"lines": 1}) for p in every)


def test_a_batch_older_than_sync_seconds_is_synced_at_the_next_record(
        tmp_path: Path, syncs: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(journal_module.time, "monotonic", lambda: clock[0])
    journal = Journal(tmp_path / "state", "cfg", datetime.now(UTC), False, key=KEY)
    first, second, third = partitions(3)
    journal.record(first, "{}", [])
    journal.record(second, "{}", [])
    assert syncs == []  # two records, no time passed: left for the batch
    clock[0] += journal_module.SYNC_SECONDS
    journal.record(third, "{}", [])
    assert len(syncs) == 1


def test_what_is_left_unsynced_is_synced_when_the_journal_goes(tmp_path: Path,
                                                                syncs: list[int]) -> None:
    journal = Journal(tmp_path / "state", "cfg", datetime.now(UTC), False, key=KEY)
    journal.record(partitions(1)[0], "{}", [])
    journal.record(partitions(2)[1], "{}", [])
    assert syncs == []
    del journal
    gc.collect()  # as at exit: weakref.finalize runs at collection or at interpreter exit
    assert syncs == [(tmp_path / "state" / "journal.log").stat().st_ino]


def test_closing_syncs_once_and_only_what_is_new(tmp_path: Path, syncs: list[int]) -> None:
    journal = Journal(tmp_path / "state", "cfg", datetime.now(UTC), False, key=KEY)
    journal.close()
    assert syncs == []  # nothing recorded: nothing to sync (the header was, when written)
    journal = Journal(tmp_path / "state", "cfg", datetime.now(UTC), True, key=KEY)
    journal.record(partitions(1)[0], "{}", [])
    journal.close()
    journal.close()
    assert len(syncs) == 1
