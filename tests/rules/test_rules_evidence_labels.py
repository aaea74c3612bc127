"""Every evidence key a bundled rule shows has its own label in Chinese and English: a key
without one was shown humanised (``Pi objects public``) among Chinese labels."""

from __future__ import annotations

from pia.reports.i18n import _EVIDENCE, evidence_label
from pia.rules import load_rulesets


def test_every_bundled_evidence_key_has_labels() -> None:
    keys = {(key, rule.id) for ruleset in load_rulesets(None) for rule in ruleset.rules
            for key in rule.get("evidence") or {}}
    assert sorted((key, rule_id) for key, rule_id in keys if key not in _EVIDENCE) == []


def test_public_objects_label() -> None:
    assert evidence_label("pi_objects_public", "zh") == "自身 ACL 公开的含个人信息对象"
    assert evidence_label("pi_objects_public", "en") == "Objects with PI public by their own ACL"
