"""`pia check-migrations` on a large seed file, beside the sqlparse-only reading.

    python bench/migrations.py [--mb 6] [--rows-per-insert 1] [--repeat 3]

1. Generates (deterministically) a seed migration of about ``--mb`` MB: a ``CREATE TABLE``
   and ``INSERT ... VALUES`` statements of ``--rows-per-insert`` rows each (a name, a
   resident ID in one row in fifty, a mobile, an amount, a remark, a timestamp).
2. Times, in this process (CPU time, best of ``--repeat``, rounds interleaved), reading the
   file (``check.read``) with plain INSERTs read whole (``pia.migrations.plaininsert``) and
   with every statement lexed and split by sqlparse (the reading before it), and the whole
   check (``check_text``) each way; prints seconds, MB/s and the ratio, and checks that both
   give the same findings.
3. Runs ``pia check-migrations`` on the file in a child process and prints its wall time and
   peak memory (``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stdnum.iso7064 import mod_11_2

import pia.migrations.check as check

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超"


def _row(rng: random.Random, n: int) -> str:
    body = f"110101{rng.randint(1950, 2015)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" \
           f"{rng.randint(0, 999):03d}"
    id_card = f"'{body}{mod_11_2.calc_check_digit(body)}'" if n % 50 == 0 else "NULL"
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    return (f"({n}, '{name}', {id_card}, '1{rng.choice('3589')}{rng.randint(0, 10**9 - 1):09d}', "
            f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}, 'order {rng.randint(10**8, 10**9)}"
            f" shipped', '2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 10:00:00')")


def generate(mb: float, per_insert: int) -> str:
    rng = random.Random(2026)
    out = ["CREATE TABLE members (id bigint PRIMARY KEY, xm text, sfzh varchar(18), "
           "mobile varchar(11), amount numeric, remark text, created_at timestamp);\n"]
    size, n = 0, 0
    while size < mb * 1_000_000:
        rows = ", ".join(_row(rng, n + k) for k in range(per_insert))
        n += per_insert
        line = f"INSERT INTO members (id, xm, sfzh, mobile, amount, remark, created_at) " \
               f"VALUES {rows};\n"
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
    args = parser.parse_args()
    text = generate(args.mb, args.rows_per_insert)
    mb = len(text.encode()) / 1_000_000
    statements = check.iter_statements

    def sqlparse_only(text: str, dialect: str, plain: bool = False):
        return statements(text, dialect)

    def read(whole: bool) -> None:
        check.iter_statements = statements if whole else sqlparse_only
        try:
            check.read(text, "postgres")
        finally:
            check.iter_statements = statements

    def findings(whole: bool) -> list:
        check.iter_statements = statements if whole else sqlparse_only
        try:
            return check.check_text("V2__seed.sql", text, "postgres")
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
    print(f"seed file: {mb:.2f} MB, {text.count(chr(10))} lines, "
          f"{args.rows_per_insert} row(s) per INSERT")
    for label, seconds in times.items():
        print(f"  {label:<22} {seconds:7.2f} s CPU  {mb / seconds:6.2f} MB/s")
    print(f"  read:  {times['read, sqlparse only'] / times['read, rows whole']:.1f}x faster")
    print(f"  check: {times['check, sqlparse only'] / times['check, rows whole']:.1f}x faster")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "V2__seed.sql"
        path.write_text(text, encoding="utf-8")
        start = time.monotonic()
        subprocess.run([sys.executable, "-m", "pia", "check-migrations", str(path)],
                       stdout=subprocess.DEVNULL, check=False)
        wall = time.monotonic() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  pia check-migrations: {wall:.1f} s wall, {peak:.0f} MB peak")


if __name__ == "__main__":
    main()
