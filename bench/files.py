"""MB/s of a files-connector directory scan beside ripgrep, and peak RSS on a big file.

    python bench/files.py [--mb 200] [--files 20] [--big-mb 1024] [--dir /tmp/pia-bench-files]

1. Generates (once, deterministically) ``--mb`` MB of logs in ``--files`` files: one line in
   five from pia's labelled corpus (PI in the ways real logs write it, plus hard negatives),
   the rest ordinary request lines without PI.
2. Times ``scan_serial(FilesConnector(), dir)`` in this process (one core, engine built
   beforehand), then ``rg`` with an equivalent pattern set over the same files, single-threaded
   (``-j1``) and with all cores: the practical upper bound of a regex scan that validates
   nothing and scores no context. Prints MB/s and the ratio.
3. Scans one ``--big-mb`` file in a child process and prints its peak RSS
   (``RUSAGE_CHILDREN``). ``--big-mb 0`` skips it.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from pia.connectors.base import ScanContext, ScanOptions, scan_serial  # noqa: E402
from pia.connectors.files import FilesConnector  # noqa: E402
from pia.detection.engine import default_engine  # noqa: E402
from pia.masking import Fingerprinter  # noqa: E402
from pia.sample.corpus import labelled_lines  # noqa: E402

#: what ``rg`` looks for: the same entity patterns, without validators or context
RG_PATTERNS = [
    r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])",  # resident ID
    r"(?<![0-9A-Za-z])(?:\+?86[ -]?)?1[3-9][0-9]{9}(?![0-9A-Za-z])",  # mobile
    r"(?<![0-9A-Za-z])(?:62|4[0-9]|5[1-5])[0-9]{14,17}(?![0-9A-Za-z])",  # bank card
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",  # email
    r"(?<![0-9.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![0-9.])",  # IPv4
    r"(?<![0-9A-Za-z])[EeGgDdSsPp][0-9]{8}(?![0-9A-Za-z])",  # passport
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][A-Z0-9]{5,6}",  # plate
    r"(?<![0-9])0[1-9][0-9]{1,2}-[0-9]{7,8}(?![0-9])",  # landline
]

_LOOKAROUND = re.compile(r"\(\?<?[!=][^)]*\)")

CHILD = """
import resource, sys
from datetime import UTC, datetime
from pia.connectors.base import ScanContext, ScanOptions, scan_serial
from pia.connectors.files import FilesConnector
from pia.detection.engine import default_engine
from pia.masking import Fingerprinter
ctx = ScanContext(engine=default_engine(), fingerprint=Fingerprinter(b"k" * 32),
                  now=datetime.now(UTC))
result = scan_serial(FilesConnector(), sys.argv[1], ScanOptions(), ctx)
print(sum(i["count"] for i in result.inventory))
"""


def _clean(rng: random.Random, i: int) -> str:
    return (f"2026-10-{1 + i % 28:02d} 13:{i % 60:02d}:{rng.randint(0, 59):02d} INFO "
            f"GET /api/v1/items?page={rng.randint(1, 500)} status=200 "
            f"took={rng.randint(1, 999)}ms trace={rng.getrandbits(64):016x}")


def _pool(seed: int) -> list[str]:
    rng = random.Random(seed)
    pi = [text for text, _spans in labelled_lines(20_000, seed)]
    return [rng.choice(pi) if i % 5 == 0 else _clean(rng, i) for i in range(100_000)]


def _write(path: Path, size: int, pool: list[str], offset: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        written, i = 0, offset
        while written < size:
            line = pool[i % len(pool)] + "\n"
            handle.write(line)
            written += len(line.encode())
            i += 1


def generate(folder: Path, mb: int, files: int, seed: int = 5) -> int:
    marker = folder / f".done-{mb}-{files}-{seed}"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        pool = _pool(seed)
        for n in range(files):
            _write(folder / f"app-{n:02d}.log", mb * 10**6 // files, pool, n * 7919)
        marker.write_text("")
    return sum(p.stat().st_size for p in folder.glob("*.log"))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_pia(folder: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, values found) of a serial scan in this process."""
    ctx = ScanContext(engine=default_engine(), fingerprint=Fingerprinter(b"k" * 32),
                      now=datetime.now(UTC))
    start, cpu = time.perf_counter(), time.process_time()
    result = scan_serial(FilesConnector(), str(folder), ScanOptions(), ctx)
    return (time.perf_counter() - start, time.process_time() - cpu,
            sum(i["count"] for i in result.inventory))


def time_rg(folder: Path, threads: int | None, pcre: bool) -> tuple[float, float, int] | None:
    """``rg`` over the folder; without PCRE2 the lookarounds go (Rust's regex has none)."""
    rg = shutil.which("rg")
    if rg is None:
        return None
    cmd = [rg, "--count-matches", "--no-filename", "-g", "*.log"] + (["-P"] if pcre else [])
    if threads:
        cmd += ["-j", str(threads)]
    patterns = RG_PATTERNS if pcre else [_LOOKAROUND.sub("", p) for p in RG_PATTERNS]
    for pattern in patterns:
        cmd += ["-e", pattern]
    start, cpu = time.perf_counter(), _children_cpu()
    out = subprocess.run([*cmd, str(folder)], capture_output=True, text=True, check=False)
    elapsed, cpu = time.perf_counter() - start, _children_cpu() - cpu
    return elapsed, cpu, sum(int(n) for n in out.stdout.split())


def big_file_rss(folder: Path, mb: int) -> tuple[float, float, int]:
    big = folder.parent / f"{folder.name}-big-{mb}.log"
    if not big.exists() or big.stat().st_size < mb * 10**6:
        _write(big, mb * 10**6, _pool(9), 0)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, str(big)], capture_output=True,
                         text=True, check=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, peak, int(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--big-mb", type=int, default=1024)
    parser.add_argument("--dir", default="/tmp/pia-bench-files")
    args = parser.parse_args()
    folder = Path(args.dir)
    size = generate(folder, args.mb, args.files)
    mb = size / 1e6
    print(f"corpus: {mb:.0f} MB in {args.files} files under {folder}")
    print("MB/s by wall clock and by CPU time (CPU time holds when other load shares the "
          "machine)")
    pia_s, pia_cpu, pia_n = time_pia(folder)
    print(f"{'pia files connector, 1 process':31s}: {mb / pia_s:8.2f} MB/s wall "
          f"{mb / pia_cpu:8.2f} MB/s cpu  {pia_n} values")
    for label, threads, pcre in (("rg -P, 1 thread", 1, True), ("rg -P, all threads", None, True),
                                 ("rg, no lookarounds, 1 thread", 1, False)):
        timed = time_rg(folder, threads, pcre)
        if timed is None:
            print("rg: not installed (apt-get install -y ripgrep)")
            break
        rg_s, rg_cpu, rg_n = timed
        print(f"{label:31s}: {mb / rg_s:8.2f} MB/s wall {mb / rg_cpu:8.2f} MB/s cpu  "
              f"{rg_n} raw matches; pia/rg = {rg_s / pia_s:.3f} wall, "
              f"{rg_cpu / pia_cpu:.3f} cpu")
    if args.big_mb:
        elapsed, peak, found = big_file_rss(folder, args.big_mb)
        print(f"one {args.big_mb} MB file: peak RSS {peak:.0f} MB, {args.big_mb / elapsed:.2f} "
              f"MB/s, {found} values")


if __name__ == "__main__":
    main()
