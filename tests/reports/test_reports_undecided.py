"""A rule left undecided for several subjects (log directories) is one count in the terminal's
headline, by why, and each SARIF note names its subject's place."""

from __future__ import annotations

import json
from typing import Any

from pia.reports import render


def _undecided(report: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    report["not_evaluated"] = [
        {"rule_id": "CSL-21-LOG-RETENTION", "ruleset": "cn-csl", "source": path,
         "location": {"path": path},
         "reason": f"undecided for path {path}: no log entry yet: its logs are empty "
                   "(it is judged once its logs hold entries)"} for path in paths
    ] + [{"rule_id": "CSL-37-CIIO-LOCALISATION", "ruleset": "cn-csl",
          "reason": "not evaluated: no declaration"}]
    return report


def test_the_headline_counts_undecided_subjects_by_why(report: dict[str, Any]) -> None:
    out = render(_undecided(report, ["logs/a", "logs/b", "logs/c"]), "table", lang="en",
                 width=200)
    headline = next(line for line in out.splitlines() if "rules not evaluated" in line)
    assert "undecided: no log entry yet: its logs are empty 3" in headline
    assert "logs/a" not in headline and "(it is judged" not in headline


def test_each_sarif_note_of_an_undecided_subject_names_its_place(report: dict[str, Any]) -> None:
    sarif = json.loads(render(_undecided(report, ["logs/a", "logs/b"]), "sarif", lang="en"))
    notes = sarif["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
    placed = [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
              for n in notes if "locations" in n]
    assert placed == ["logs/a", "logs/b"]
    assert len(notes) == 3
