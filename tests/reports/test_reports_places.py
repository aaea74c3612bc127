"""Where a finding is, in every format: a declared asset's finding names the asset and its
source (the location cell was empty), and per-entity-type findings at one location show the
type (they looked like the same row repeated)."""

from __future__ import annotations

import copy
from typing import Any

from pia.report import summarize
from pia.reports import render

ASSET = {"rule_id": "PIPL-29-SEPARATE-CONSENT", "ruleset": "cn-pipl", "severity": "high",
         "title": {"zh": "处理敏感个人信息未取得单独同意",
                   "en": "Sensitive personal information without separate consent"},
         "references": [{"law": "PIPL", "article": "29",
                         "quote": "处理敏感个人信息应当取得个人的单独同意"}],
         "source": "shop.db", "locations": [],
         "evidence": {"asset": "shop-db", "entity_types": ["CN_RESIDENT_ID"], "pi_items": 1},
         "remediation": {"zh": "取得单独同意", "en": "Obtain separate consent"},
         "status": "open", "fingerprint": "f" * 64}


def _item_finding(entity_type: str) -> dict[str, Any]:
    return {**copy.deepcopy(ASSET), "rule_id": "PIPL-4-UNDECLARED-PI",
            "locations": [{"table": "members", "column": "contact"}],
            "evidence": {"entity_type": entity_type, "count": 3},
            "fingerprint": entity_type.lower().ljust(64, "0")[:64]}


def test_asset_and_entity_type_are_shown_in_every_format(report: dict[str, Any]) -> None:
    report["findings"] = [ASSET, _item_finding("CN_MOBILE"), _item_finding("EMAIL_ADDRESS")]
    report["summary"] = summarize(report)
    for fmt in ("table", "md", "html"):
        out = render(report, fmt, lang="en", width=300)
        assert "asset shop-db (shop.db)" in out, fmt
        assert "members.contact [Mobile number]" in out, fmt
        assert "members.contact [Email address]" in out, fmt


def test_places_are_said_in_chinese_in_a_chinese_report(report: dict[str, Any]) -> None:
    """A Chinese report said "asset shop-db (shop.db)" and "[CN_MOBILE]"."""
    report["findings"] = [ASSET, _item_finding("CN_MOBILE")]
    report["summary"] = summarize(report)
    for fmt in ("table", "md", "html", "sarif"):
        out = render(report, fmt, lang="zh", width=300)
        assert "登记资产 shop-db（shop.db）" in out, fmt
        assert "members.contact [手机号码]" in out, fmt
        assert "asset shop-db (" not in out and "[CN_MOBILE]" not in out, fmt
