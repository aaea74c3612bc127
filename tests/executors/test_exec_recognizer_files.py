"""Workers read the scan's recognizer files from copies of their bytes; what they say about a
file (its recognizers' source, a pattern that fails or runs away) names the path the user gave,
not the worker's temporary copy."""

from __future__ import annotations

import pytest

from pia.errors import ConfigError
from pia.executors import worker

GOOD = b"""recognizers:
  - name: EMP_ID
    supported_entity: EMPLOYEE_ID
    patterns:
      - {name: emp, regex: "EMP-\\\\d{6}", score: 0.9}
"""
BAD = b"""recognizers:
  - name: EMP_ID
    supported_entity: EMPLOYEE_ID
    patterns:
      - {name: emp, regex: "a{1000000000}", score: 0.9}
"""


def test_a_workers_recognizers_name_the_users_file() -> None:
    engine = worker._engine([("emp.yaml", GOOD)], ["conf/recognizers/emp.yaml"])
    sources = {r.source for r in engine.recognizers if r.name == "EMP_ID"}
    assert sources == {"conf/recognizers/emp.yaml"}


def test_a_workers_error_about_a_recognizer_file_names_the_users_file() -> None:
    with pytest.raises(ConfigError) as refused:
        worker._engine([("emp.yaml", BAD)], ["conf/recognizers/emp.yaml"])
    assert str(refused.value).startswith("conf/recognizers/emp.yaml:")
    assert "pia-recognizers-" not in str(refused.value)
