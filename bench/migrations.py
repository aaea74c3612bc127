"""`pia check-migrations` on a large seed file, beside the sqlparse-only reading.

    python bench/migrations.py [--mb 6] [--rows-per-insert 1] [--repeat 3]
                               [--shape seed|pg_dump|sqlite|mysqldump] [--dense] [--memory]

1. Generates (deterministically) a seed migration of about ``--mb`` MB: a ``CREATE TABLE``
   and ``INSERT ... VALUES`` statements of ``--rows-per-insert`` rows each (a name, a
   resident ID in one row in fifty, a mobile, an amount, a remark, a timestamp). ``--shape``
   writes them as a dump tool does, in its dialect (``SHAPES``): pg_dump's
   ``--column-inserts`` into a mixed-case table (``public."Members" ("Name", ...)``),
   SQLite's ``.dump`` (``INSERT INTO "members" VALUES(...)``, an ``X'...'`` blob), mysqldump
   (backquoted names, ``_binary '...'``, ``0x...`` and ``1e-05`` values); the reader must
   take each whole, or the two sides run the same code. ``--dense`` writes a resident ID in
   every row (three PI values a row: a seed of real customers).
2. Times, in this process (CPU time, best of ``--repeat``, rounds interleaved), reading the
   file (``check.read``) with plain INSERTs read whole (``pia.migrations.plaininsert``) and
   with every statement lexed and split by sqlparse (the reading before it), and the whole
   check (``check_text``) each way; prints seconds, MB/s and the ratio, and checks that both
   give the same findings.
3. Runs ``pia check-migrations -f json`` on the file in a child process and prints its wall
   time, CPU time and peak memory (``ru_maxrss``, the child's own), beside a run on the file's
   first row alone (what the process takes without the rows: the engine, the vocabulary),
   and the peak above that per MB of the file. ``--memory`` does only this: the in-process
   timing of step 2 holds the file's findings itself, and takes minutes on 30 MB.
   Held findings took 50 to 60 times the file's size; counted as they come
   (``pia.migrations.grouped``), what is left above the base is mostly the parsed literals
   of the file, analysed once the whole file is read.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stdnum.iso7064 import mod_11_2

import pia.migrations.check as check

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超"


def _row(rng: random.Random, n: int, dense: bool = False) -> str:
    body = f"110101{rng.randint(1950, 2015)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" \
           f"{rng.randint(0, 999):03d}"
    id_card = f"'{body}{mod_11_2.calc_check_digit(body)}'" if dense or n % 50 == 0 else "NULL"
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    return (f"({n}, '{name}', {id_card}, '1{rng.choice('3589')}{rng.randint(0, 10**9 - 1):09d}', "
            f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}, 'order {rng.randint(10**8, 10**9)}"
            f" shipped', '2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 10:00:00')")


_COLUMNS = ("id", "xm", "sfzh", "mobile", "amount", "remark", "created_at")
#: shape: (dialect, CREATE TABLE, the head of an INSERT, what follows each row's last value)
SHAPES = {
    "seed": ("postgres", "CREATE TABLE members (id bigint PRIMARY KEY, xm text, sfzh "
             "varchar(18), mobile varchar(11), amount numeric, remark text, created_at "
             "timestamp);\n", f"INSERT INTO members ({', '.join(_COLUMNS)}) VALUES ", ""),
    "pg_dump": ("postgres", 'CREATE TABLE public."Members" ("Id" bigint, "Xm" text, "Sfzh" '
                'varchar(18), "Mobile" varchar(11), "Amount" numeric, "Remark" text, '
                '"CreatedAt" timestamp);\n', 'INSERT INTO public."Members" ("Id", "Xm", '
                '"Sfzh", "Mobile", "Amount", "Remark", "CreatedAt") VALUES ', ""),
    "sqlite": ("sqlite", 'CREATE TABLE "members" (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, '
               'mobile TEXT, amount REAL, remark TEXT, created_at TEXT, photo BLOB);\n',
               'INSERT INTO "members" VALUES', ", X'89504e470d0a1a0a'"),
    "mysqldump": ("mysql", "CREATE TABLE `members` (`id` bigint, `xm` varchar(20), `sfzh` "
                  "varchar(18), `mobile` varchar(11), `amount` decimal(10,2), `remark` text, "
                  "`created_at` datetime, `salt` binary(4), `token` varbinary(16), `score` "
                  "double) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n",
                  "INSERT INTO `members` VALUES ",
                  ", _binary '\\0\\Z\\n~', 0x3F2A9C00B1, -1.5e-05"),
}


def generate(mb: float, per_insert: int, shape: str = "seed", dense: bool = False) -> str:
    rng = random.Random(2026)
    _dialect, create, head, extra = SHAPES[shape]
    out = [create]
    size, n = 0, 0
    while size < mb * 1_000_000:
        rows = ", ".join(_row(rng, n + k, dense)[:-1] + extra + ")" for k in range(per_insert))
        n += per_insert
        line = f"{head}{rows};\n"
        out.append(line)
        size += len(line.encode())
    return "".join(out)


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=6)
    parser.add_argument("--rows-per-insert", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="seed")
    parser.add_argument("--dense", action="store_true", help="a resident ID in every row")
    parser.add_argument("--memory", action="store_true",
                        help="only the child process's peak memory and CPU")
    args = parser.parse_args()
    text = generate(args.mb, args.rows_per_insert, args.shape, args.dense)
    dialect = SHAPES[args.shape][0]
    mb = len(text.encode()) / 1_000_000
    print(f"seed file ({args.shape}, {dialect}{', dense' if args.dense else ''}): {mb:.2f} MB, "
          f"{text.count(chr(10))} lines, {args.rows_per_insert} row(s) per INSERT")
    if not args.memory:
        _in_process(text, dialect, mb, args)
    _child(text, dialect, mb)


#: runs a command and prints its CPU seconds and peak RSS in KB: started from this small
#: process, not from the bench's (which holds the file's text), since a child's ``ru_maxrss``
#: counts the memory of the process it was forked from, before its ``exec``
_MEASURE = ("import os, subprocess, sys; child = subprocess.Popen(sys.argv[1:], "
            "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "_, _, u = os.wait4(child.pid, 0); child.returncode = 0; "
            "print(u.ru_utime + u.ru_stime, u.ru_maxrss)")


def _run(path: Path, dialect: str) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS in MB of one
    ``pia check-migrations`` of ``path``, from the child's own rusage."""
    start = time.monotonic()
    said = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "pia",
                           "check-migrations", "--dialect", dialect, "-f", "json", str(path)],
                          capture_output=True, text=True, check=True).stdout.split()
    return time.monotonic() - start, float(said[0]), int(said[1]) / 1024


def _child(text: str, dialect: str, mb: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "V2__seed.sql"
        path.write_text("\n".join(text.split("\n", 2)[:2]) + "\n", encoding="utf-8")
        _wall, base_cpu, base = _run(path, dialect)
        path.write_text(text, encoding="utf-8")
        wall, cpu, peak = _run(path, dialect)
    print(f"  pia check-migrations: {wall:.1f} s wall, {cpu:.1f} s CPU, {peak:.0f} MB peak "
          f"RSS ({base:.0f} MB and {base_cpu:.1f} s CPU for its first row alone: "
          f"{(peak - base) / mb:.1f} MB a MB of the file above that)")


def _in_process(text: str, dialect: str, mb: float, args: argparse.Namespace) -> None:
    statements = check.iter_statements

    def sqlparse_only(text: str, dialect: str, plain: bool = False):
        return statements(text, dialect)

    def read(whole: bool) -> None:
        check.iter_statements = statements if whole else sqlparse_only
        try:
            check.read(text, dialect)
        finally:
            check.iter_statements = statements

    def findings(whole: bool) -> list:
        check.iter_statements = statements if whole else sqlparse_only
        try:
            return check.check_text("V2__seed.sql", text, dialect)
        finally:
            check.iter_statements = statements

    assert findings(True) == findings(False), "the two readings disagree"
    times: dict[str, float] = {}
    for _ in range(args.repeat):  # interleaved: the machine's speed drifts
        for label, fn in (("read, rows whole", lambda: read(True)),
                          ("read, sqlparse only", lambda: read(False)),
                          ("check, rows whole", lambda: findings(True)),
                          ("check, sqlparse only", lambda: findings(False))):
            times[label] = min(times.get(label, float("inf")), _best(fn, 1))
    for label, seconds in times.items():
        print(f"  {label:<22} {seconds:7.2f} s CPU  {mb / seconds:6.2f} MB/s")
    print(f"  read:  {times['read, sqlparse only'] / times['read, rows whole']:.1f}x faster")
    print(f"  check: {times['check, sqlparse only'] / times['check, rows whole']:.1f}x faster")


if __name__ == "__main__":
    main()
