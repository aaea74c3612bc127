"""Deterministic generators of PI values and log lines with a known truth, for the files tests
and ``bench/files.py``. Values are synthetic: valid check digits, nobody's real number."""

from __future__ import annotations

import random
from collections import Counter

from stdnum import luhn
from stdnum.iso7064 import mod_11_2


class Gen:
    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)

    def resident_id(self, year: int | None = None) -> str:
        r = self.rng
        year = year or r.randint(1950, 2000)
        born = f"{year:04d}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
        base = f"110105{born}{r.randint(0, 999):03d}"
        return base + mod_11_2.calc_check_digit(base)

    def mobile(self) -> str:
        r = self.rng
        return f"1{r.choice('38')}{r.randint(0, 9)}{r.randint(0, 10**8 - 1):08d}"

    def bank_card(self) -> str:
        base = f"622202{self.rng.randint(0, 10**9 - 1):09d}"
        return base + luhn.calc_check_digit(base)

    def email(self) -> str:
        return f"user{self.rng.randint(0, 10**6)}@example.com"

    def clean_line(self, i: int) -> str:
        r = self.rng
        return (f"2024-10-{1 + i % 28:02d} 13:{i % 60:02d}:{r.randint(0, 59):02d} INFO "
                f"GET /api/v1/items?page={i} status=200 took={r.randint(1, 999)}ms "
                f"trace={r.randint(10**18, 10**19 - 1)}")

    def pi_line(self, i: int, truth: Counter, line_no: int | None = None) -> str:
        """A log line holding one to three PI values; ``truth`` counts what was planted."""
        r = self.rng
        parts = [f"2024-10-{1 + i % 28:02d} 08:{i % 60:02d}:00 INFO uid={i}"]
        kinds = r.sample(["id", "mobile", "card", "email"], r.randint(1, 3))
        for kind in kinds:
            if kind == "id":
                parts.append(f"身份证={self.resident_id()}")
                truth["CN_RESIDENT_ID"] += 1
            elif kind == "mobile":
                parts.append(f"手机 {self.mobile()}")
                truth["CN_MOBILE"] += 1
            elif kind == "card":
                parts.append(f"卡号:{self.bank_card()}")
                truth["CN_BANK_CARD"] += 1
            else:
                parts.append(f"mail {self.email()}")
                truth["EMAIL_ADDRESS"] += 1
        parts.append(f"took {r.randint(1, 999)}ms")
        return " ".join(parts)

    def log(self, lines: int, pi_every: int, truth: Counter) -> list[str]:
        return [self.pi_line(i, truth) if i % pi_every == 0 else self.clean_line(i)
                for i in range(lines)]


def counts(result) -> Counter:
    """(file name, member, entity type) → count, from a connector result's inventory."""
    out: Counter = Counter()
    for item in result.inventory:
        loc = item["location"]
        key = (loc["path"].rsplit("/", 1)[-1], loc.get("member"), item["entity_type"])
        out[key] += item["count"]
    return out
