"""``bundle create`` refuses what ``bundle verify`` would refuse, before the bundle ships.

QA D4: a report whose findings were edited (one removed, the summary fitted) was signed,
exit 0; the regulator's verify then failed it (``findings-follow-from-evidence``).
"""

from __future__ import annotations

import copy

import pytest
from bundle_helpers import run_cli

from pia.bundle import create_bundle
from pia.errors import BundleError
from pia.report import dumps, summarize


def _edited(material, edit) -> dict:
    report = copy.deepcopy(material["report"])
    edit(report)
    report["summary"] = summarize(report)  # fitted, so the summary check passes
    return report


def _drop_first(report):
    report["findings"].pop(0)


def _downgrade(report):
    finding = next(f for f in report["findings"] if f["severity"] != "info")
    finding["severity"] = "info"


@pytest.mark.parametrize("edit", [_drop_first, _downgrade])
def test_create_refuses_edited_findings(material, edit):
    report = _edited(material, edit)
    with pytest.raises(BundleError) as refused:
        create_bundle(report, material["rulesets"], material["declaration"], material["key"])
    message = str(refused.value)
    assert message.startswith("bundle verify would refuse it: check "
                              "findings-follow-from-evidence failed: ")
    assert "\n" not in message


def test_the_cli_exits_2_with_one_line_and_writes_nothing(work, material, capsys):
    (work / "edited.json").write_text(dumps(_edited(material, _drop_first)), encoding="utf-8")
    code, out, err = run_cli(["bundle", "create", "edited.json", "--key", "signer.key",
                              "-o", "edited.zip"], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "bundle verify would refuse it: check findings-follow-from-evidence failed" in err
    assert "Traceback" not in err and not (work / "edited.zip").exists()

