"""A connector's warning on stderr opens with ``pia: warning:`` as pia's other warnings do
(QA: ``s3://bucket: 2 noncurrent versions … not read`` and ``x.zip!bomb.log: member
refused … (possible zip bomb)`` came bare, and a CI job grepping for ``pia: warning:``
missed them), and names the file masked, as the report does. Run as a user runs it (a
process of its own, its pool's workers writing to the same stderr): pytest's own logging
capture would otherwise take the records before they reach stderr."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ID = "110101199003071233"


def test_a_refused_archive_member_is_warned_of_with_pias_prefix(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    with zipfile.ZipFile(tmp_path / "data" / f"{ID}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.log", b"0" * (20 << 20))  # a ratio of about 1000: refused
    done = subprocess.run([sys.executable, "-m", "pia", "scan", "data", "-o", "r.json", "-q"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PIA_FINGERPRINT_KEY": "k" * 32})
    warned = [line for line in done.stderr.splitlines() if "zip bomb" in line]
    assert warned, done.stderr
    assert warned[0].startswith("pia: warning: data/1101**********1233.zip!bomb.log: ")
    assert ID not in done.stderr and (tmp_path / "r.json").is_file()
