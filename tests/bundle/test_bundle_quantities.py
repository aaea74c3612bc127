"""A report pia wrote is one pia signs and renders again (QA): ``--include '*13812345678*'``
was recorded raw, and a size or a limit of eleven digits (16 GiB is 17179869184, a mobile's
shape) was read as a person's number, so ``bundle create`` and ``pia report`` refused the
scan's own report as edited. Patterns are masked as names are; a quantity is no identifier,
but an integer anywhere else still is."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from bundle_helpers import run_cli

from pia.bundle.create import raw_values
from pia.report import summarize

MOBILE = "13812345678"
SIXTEEN_GIB = 17179869184


def test_a_scan_with_such_options_is_bundled_and_rendered_again(sandbox, capsys):
    Path("logs").mkdir()
    Path("logs", f"app_{MOBILE}.log").write_text("2026-05-01 INFO 手机号=13912345994\n",
                                                 encoding="utf-8")
    code, _, err = run_cli(["scan", "logs", "--include", f"*{MOBILE}*", "--max-bytes",
                            str(SIXTEEN_GIB), "--seed", str(SIXTEEN_GIB + 1), "-o", "r.json",
                            "-q"], capsys)
    assert code == 1, err
    text = Path("r.json").read_text(encoding="utf-8")
    parameters = json.loads(text)["scan"]["parameters"]
    assert parameters["include"] == ["*138****5678*"] and MOBILE not in text
    assert (parameters["max_bytes"], parameters["seed"]) == (SIXTEEN_GIB, SIXTEEN_GIB + 1)
    assert run_cli(["keygen", "signer.key"], capsys)[0] == 0
    code, _, err = run_cli(["bundle", "create", "r.json", "--key", "signer.key", "-o", "b.zip"],
                           capsys)
    assert code == 0 and "refusing" not in err, err
    code, _, err = run_cli(["bundle", "verify", "b.zip", "--pubkey", "signer.key.pub"], capsys)
    assert code == 0, err
    code, _, err = run_cli(["report", "r.json", "-o", "again.md", "-q"], capsys)
    assert code == 0, err


def _with_fact_size(material, size: int, key: str = "size") -> dict:
    report = copy.deepcopy(material["report"])
    report["facts"][0]["attributes"][key] = size
    report["summary"] = summarize(report)
    return report


@pytest.mark.parametrize("size", [15032385536, 13812345678])
def test_an_objects_size_of_a_mobiles_shape_is_a_size(material, size):
    assert raw_values(_with_fact_size(material, size)) is None


def test_the_same_integer_in_a_field_that_is_no_quantity_is_refused(material):
    said = raw_values(_with_fact_size(material, int(MOBILE), key="note"))
    assert said is not None and "holds a CN_MOBILE" in said and MOBILE not in said
