"""check-migrations' SARIF ranks its rules as ``pia scan``'s does (QA F7): GitHub code scanning
reads ``properties.security-severity`` to show an alert's severity and to gate branches on it."""

from __future__ import annotations

import json

from pia.reports.sarif import SECURITY_SEVERITY
from pia.rules import load_rulesets

MIGRATION = """CREATE TABLE member (
  id INT PRIMARY KEY,
  id_card VARCHAR(18),
  mobile VARCHAR(11),
  sfzh_md5 CHAR(32),
  face_image BYTEA
);
CREATE TABLE broken (x INT;
"""


def test_every_rule_has_the_security_severity_of_its_ruleset(pia_check) -> None:
    code, out, _ = pia_check("-f", "sarif", "V1__init.sql", files={"V1__init.sql": MIGRATION})
    assert code == 1
    rules = {r["id"]: r["properties"] for r in
             json.loads(out)["runs"][0]["tool"]["driver"]["rules"]}
    declared = {rule.id: rule["severity"] for ruleset in load_rulesets()
                for rule in ruleset.rules}
    assert {"PIPL-28-SENSITIVE-PLAINTEXT", "PIPL-51-ENCRYPT-DEIDENT",
            "PIPL-73-PSEUDONYM-REVERSIBLE", "PIA-SQL-PARSE"} <= set(rules)
    for rule_id, properties in rules.items():
        severity = declared.get(rule_id, "low")  # PIA-SQL-PARSE is no rule of a ruleset
        assert properties["severity"] == severity, rule_id
        assert properties["security-severity"] == SECURITY_SEVERITY[severity], rule_id
    assert rules["PIPL-28-SENSITIVE-PLAINTEXT"]["security-severity"] == "9.5"  # as pia scan
    assert rules["PIPL-73-PSEUDONYM-REVERSIBLE"]["security-severity"] == "8.0"
