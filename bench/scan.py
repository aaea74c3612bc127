"""End-to-end throughput of ``pia scan`` by executor and worker count, with peak RSS.

    python bench/scan.py [--mb 120] [--files 48] [--rows 300000] [--tables 12] [--repeat 3]
                         [--workers 1,2,4] [--dir /tmp/pia-bench-scan] [--only logs|db]
                         [--out bench/RESULTS.md]

1. Generates (once, deterministically) ``--mb`` MB of log files, every line from pia's
   labelled corpus (``pia.sample.corpus.labelled_lines``: PI written the ways real logs write
   it, plus hard negatives), and a SQLite estate of ``--tables`` tables holding ``--rows``
   rows in all (names, resident IDs, mobiles, e-mails, addresses, free-text remarks).
2. Runs the real CLI, ``python -m pia scan ... -o report.json``, as a subprocess for every
   configuration — serial, ``--executor local`` at each ``--workers`` count, and
   ``--executor dask`` on a LocalCluster of 2 — ``--repeat`` times, interleaved so that a
   burst of load from elsewhere hits every configuration alike. Times are wall-clock from
   process start to exit: startup (imports, Hyperscan compile, pool start) included.
3. Samples ``/proc/<pid>/status`` VmHWM of the driver and of every descendant (pool or Dask
   worker processes) every 50 ms: the driver's peak and the largest worker's peak.
4. Checks that every configuration produced the same inventory, facts and findings, and
   writes a Markdown table (best and median MB/s or rows/s, speed-up over one local worker,
   the 1-minute load average seen during the runs) with the machine's description.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from pia.sample.corpus import labelled_lines
from pia.sample.synth import Synth

KEY = "bench-key-" + "0" * 22


# --- data ---------------------------------------------------------------------------------


def make_logs(root: Path, mb: int, files: int) -> int:
    """``files`` log files totalling about ``mb`` MB; returns the bytes written."""
    marker = root / ".complete"
    if marker.exists() and marker.read_text() == f"{mb}:{files}":
        return sum(p.stat().st_size for p in root.rglob("*.log"))
    root.mkdir(parents=True, exist_ok=True)
    per_file = mb * 1_000_000 // files
    total = 0
    for i in range(files):
        folder = root / ("app-logs", "gateway-logs", "billing-logs")[i % 3]
        folder.mkdir(exist_ok=True)
        rng = random.Random(i)
        chunks, size, seed = [], 0, i * 1000
        while size < per_file:
            for text, _spans in labelled_lines(5000, seed=seed):
                line = (f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d} "
                        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00 INFO {text}\n")
                chunks.append(line)
                size += len(line.encode())
            seed += 1
        data = "".join(chunks).encode()
        (folder / f"service-{i:03d}.log").write_bytes(data)
        total += len(data)
    marker.write_text(f"{mb}:{files}")
    return total


def make_db(path: Path, tables: int, rows: int) -> int:
    """A SQLite estate of ``tables`` tables and ``rows`` rows; returns the row count."""
    marker = path.with_suffix(".complete")
    if marker.exists() and marker.read_text() == f"{tables}:{rows}" and path.exists():
        return rows
    path.unlink(missing_ok=True)
    s = Synth(20261128)
    conn = sqlite3.connect(path)
    per = rows // tables
    for t in range(tables):
        conn.execute(f"CREATE TABLE kehu_{t:02d} (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT,"
                     " sjh TEXT, email TEXT, jtzz TEXT, bz TEXT, order_no TEXT)")
        batch = []
        for _ in range(per):
            remark = s.rng.choice(["", "", f"联系电话{s.mobile()}", f"送货到{s.address()}",
                                   f"订单{s.order_number()}"])
            batch.append((s.name(), s.resident_id(), s.mobile(), s.email(), s.address(),
                          remark, s.order_number()))
        conn.executemany(f"INSERT INTO kehu_{t:02d} (xm, sfzh, sjh, email, jtzz, bz, order_no)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
        conn.commit()
    conn.close()
    marker.write_text(f"{tables}:{rows}")
    return per * tables


# --- measuring ----------------------------------------------------------------------------


def _hwm(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])  # kB
    except OSError:
        return None
    return None


def _ticks(pid: int) -> int | None:
    """CPU clock ticks (user + system) a process itself has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            stat = handle.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def _children() -> dict[int, int]:
    """pid → parent pid for every process."""
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    stat = handle.read()
                out[int(entry)] = int(stat[stat.rindex(")") + 2:].split()[1])
            except (OSError, ValueError):
                continue
    return out


def _descendants(root: int) -> set[int]:
    parents = _children()
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - found
        found |= frontier
    return found


def run(cmd: list[str], cwd: Path) -> dict[str, Any]:
    """Run ``cmd``: wall time, CPU time of it and all its (reaped) descendants, exit code,
    the driver's and the largest worker's VmHWM."""
    with tempfile.TemporaryFile("w+") as errors:
        return _run(cmd, cwd, errors)


def _run(cmd: list[str], cwd: Path, errors: Any) -> dict[str, Any]:
    env = dict(os.environ, PIA_FINGERPRINT_KEY=KEY)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors,
                            text=True)
    peaks: dict[int, int] = {}
    stop = threading.Event()

    ticks: dict[int, int] = {}

    def sample() -> None:
        while not stop.is_set():
            for pid in {proc.pid} | _descendants(proc.pid):
                value = _hwm(pid)
                if value:
                    peaks[pid] = max(peaks.get(pid, 0), value)
                used = _ticks(pid)
                if used:
                    ticks[pid] = max(ticks.get(pid, 0), used)
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        errors.seek(0)
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {errors.read()[-2000:]}")
    workers = [v for pid, v in peaks.items() if pid != proc.pid]
    # the driver's own time from wait4; its descendants' as last sampled (the forkserver
    # and pool workers are not the driver's reaped children, so wait4 misses them)
    own = usage.ru_utime + usage.ru_stime
    others = sum(t for pid, t in ticks.items() if pid != proc.pid) / os.sysconf("SC_CLK_TCK")
    return {"wall": wall, "cpu": own + others, "load": load,
            "driver_kb": peaks.get(proc.pid, 0), "worker_kb": max(workers, default=0)}


def digest(report_path: Path) -> str:
    report = json.loads(report_path.read_text(encoding="utf-8"))
    body = {k: report[k] for k in ("inventory", "facts", "findings")}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]


# --- the benchmark ------------------------------------------------------------------------


def configurations(workers: list[int], only_local: bool) -> list[tuple[str, list[str]]]:
    configs = [] if only_local else [("serial", ["--executor", "serial"])]
    configs += [(f"local x{n}", ["--executor", "local", "--workers", str(n)]) for n in workers]
    if not only_local:
        configs.append(("dask LocalCluster x2", ["--executor", "dask", "--workers", "2"]))
    return configs


def bench(name: str, source: list[str], extra: list[str], size: int, unit: str,
          workers: list[int], repeat: int, work: Path, only_local: bool = False
          ) -> list[dict[str, Any]]:
    configs = configurations(workers, only_local)
    results: dict[str, list[dict[str, Any]]] = {label: [] for label, _ in configs}
    digests: dict[str, set[str]] = {label: set() for label, _ in configs}
    for round_ in range(repeat):
        for label, args in configs:
            out = work / f"{name}-{label.replace(' ', '_')}.json"
            cmd = [sys.executable, "-m", "pia", "scan", *source, *extra, *args, "-q",
                   "--fail-on", "critical", "-o", str(out)]
            result = run(cmd, work)
            results[label].append(result)
            digests[label].add(digest(out))
            print(f"{name} round {round_ + 1} {label:>22}: {result['wall']:7.2f} s "
                  f"cpu {result['cpu']:7.2f} s load {result['load']:.1f}", flush=True)
    if len({d for ds in digests.values() for d in ds}) != 1:
        raise SystemExit(f"{name}: configurations disagree: {digests}")
    rows = []
    for label, _args in configs:
        walls = [r["wall"] for r in results[label]]
        rows.append({
            "bench": name, "config": label, "unit": unit, "size": size,
            "best": min(walls), "median": statistics.median(walls), "walls": walls,
            "load": statistics.median(r["load"] for r in results[label]),
            # CPU seconds per wall second of the fastest run: the cores the scan really got
            "cores": min(results[label], key=lambda r: r["wall"])["cpu"] / min(walls),
            "driver_mb": max(r["driver_kb"] for r in results[label]) / 1024,
            "worker_mb": max(r["worker_kb"] for r in results[label]) / 1024,
        })
    return rows


def machine() -> dict[str, str]:
    model = "unknown"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as handle:
        mem_kb = int(handle.readline().split()[1])
    return {"nproc": str(os.cpu_count()), "affinity": str(len(os.sched_getaffinity(0))),
            "cpu": model, "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
            "python": platform.python_version(), "kernel": platform.release()}


def _rate(row: dict[str, Any], seconds: float) -> str:
    if row["unit"] == "bytes":
        return f"{row['size'] / seconds / 1e6:.2f} MB/s"
    return f"{row['size'] / seconds:,.0f} rows/s"


def markdown(rows: list[dict[str, Any]], info: dict[str, str], args: argparse.Namespace) -> str:
    lines = [
        "| bench | configuration | best s | median s | best | median | speed-up vs local x1"
        " (best / median) | cores used (best run) | driver peak RSS | largest worker peak RSS"
        " | load (1 min) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    base: dict[str, dict[str, Any]] = {r["bench"]: r for r in rows if r["config"] == "local x1"}
    for r in rows:
        ref = base.get(r["bench"])
        speed = (f"{ref['best'] / r['best']:.2f}× / {ref['median'] / r['median']:.2f}×"
                 if ref else "")
        lines.append(f"| {r['bench']} | {r['config']} | {r['best']:.2f} | {r['median']:.2f} |"
                     f" {_rate(r, r['best'])} | {_rate(r, r['median'])} | {speed} |"
                     f" {r['cores']:.2f} |"
                     f" {r['driver_mb']:.0f} MiB | {r['worker_mb']:.0f} MiB | {r['load']:.1f} |")
    head = (f"Machine: {info['nproc']} CPUs ({info['affinity']} usable), {info['cpu']}, "
            f"{info['ram']} RAM, Python {info['python']}, Linux {info['kernel']}. "
            f"Runs: {args.repeat} per configuration, interleaved.")
    return head + "\n\n" + "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=120)
    parser.add_argument("--files", type=int, default=48)
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--tables", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--dir", default="/tmp/pia-bench-scan")
    parser.add_argument("--only", choices=("logs", "db"))
    parser.add_argument("--only-local", action="store_true",
                        help="only the --workers counts of the local executor (scaling runs)")
    parser.add_argument("--out", help="write the Markdown table here (and a .json beside)")
    args = parser.parse_args()
    work = Path(args.dir)
    work.mkdir(parents=True, exist_ok=True)
    workers = [int(n) for n in args.workers.split(",")]
    rows: list[dict[str, Any]] = []
    if args.only in (None, "logs"):
        size = make_logs(work / "logs", args.mb, args.files)
        print(f"logs: {size / 1e6:.0f} MB in {args.files} files", flush=True)
        rows += bench("logs", ["logs"], [], size, "bytes", workers, args.repeat, work,
                      args.only_local)
    if args.only in (None, "db"):
        count = make_db(work / "estate.db", args.tables, args.rows)
        print(f"sqlite: {count:,} rows in {args.tables} tables", flush=True)
        rows += bench("sqlite --full", ["estate.db"], ["--full"], count, "rows", workers,
                      args.repeat, work, args.only_local)
    table = markdown(rows, machine(), args)
    print(table)
    if args.out:
        Path(args.out).write_text(table, encoding="utf-8")
        Path(args.out).with_suffix(".json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
