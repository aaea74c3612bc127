"""A WAL database without its ``-shm`` is read from a private copy; SIGTERM to the process
holding one removes it before the process dies (it used to stay until the read ended)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

PROGRAM = """
import sys, time
from pia.connectors import connector_for
conn = connector_for(sys.argv[1]).connect(sys.argv[1])
print(conn.execute("PRAGMA database_list").fetchone()[2], flush=True)
time.sleep(60)
"""


def wal_without_shm(path: Path) -> None:
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode=wal")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE t (sjh TEXT)")
    writer.commit()
    os.link(path.with_name(path.name + "-wal"), path.with_name("keep-wal"))
    writer.close()  # the last connection checkpoints and removes -wal and -shm
    os.replace(path.with_name("keep-wal"), path.with_name(path.name + "-wal"))
    assert not path.with_name(path.name + "-shm").exists()


def test_sigterm_removes_the_private_copy(tmp_path: Path) -> None:
    db = tmp_path / "shop.db"
    wal_without_shm(db)
    proc = subprocess.Popen([sys.executable, "-c", PROGRAM, str(db)], stdout=subprocess.PIPE,
                            text=True, env=dict(os.environ, TMPDIR=str(tmp_path)))
    try:
        copy = Path(proc.stdout.readline().strip())
        assert copy.name == "shop.db" and copy.parent.name.startswith("pia-sqlite-")
        assert copy.exists()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == -signal.SIGTERM
        assert not copy.parent.exists()
    finally:
        proc.kill()
        proc.wait()


def test_a_copy_a_killed_process_left_is_removed_by_the_next_one(tmp_path: Path) -> None:
    """SIGKILL (the OOM killer) runs no handler: the copy stayed in /tmp for good. The next
    pia that makes a copy removes those whose process is gone, and only those."""
    db = tmp_path / "shop.db"
    wal_without_shm(db)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    orphan = tmp_path / f"pia-sqlite-{gone.pid}-x1y2"
    alive = tmp_path / f"pia-sqlite-{os.getpid()}-a1b2"  # this test's process runs
    other = tmp_path / "pia-sqlite-notes"  # not a copy's name
    for folder in (orphan, alive, other):
        folder.mkdir(mode=0o700)
        (folder / "shop.db").write_bytes(b"a customer database")
    proc = subprocess.Popen([sys.executable, "-c", PROGRAM, str(db)], stdout=subprocess.PIPE,
                            text=True, env=dict(os.environ, TMPDIR=str(tmp_path)))
    try:
        copy = Path(proc.stdout.readline().strip())
        assert copy.parent.name.startswith(f"pia-sqlite-{proc.pid}-")
        assert not orphan.exists()
        assert alive.exists() and other.exists() and copy.exists()
    finally:
        proc.kill()
        proc.wait()
