"""The HTML and Markdown inventory is capped at ``DOCUMENT_INVENTORY`` rows: the cap is
shared between the entity types, and the HTML counter counts against the report's total.
With 1,000 tables of an ID and a mobile each, the page listed 1,000 ID rows, no mobile row,
and said "1000 / 1000 显示"."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pia.reports import render, view


def _tables(report: dict[str, Any], ids: int, mobiles: int, emails: int) -> dict[str, Any]:
    """Inventory items of ``ids`` + ``mobiles`` + ``emails`` tables, grouped by type as a
    scan of many tables lists them."""
    template = next(i for i in report["inventory"] if "table" in i["location"])
    items = []
    for entity_type, n in (("CN_RESIDENT_ID", ids), ("CN_MOBILE", mobiles),
                           ("EMAIL_ADDRESS", emails)):
        items += [{**template, "entity_type": entity_type,
                   "location": {**template["location"], "table": f"t{entity_type[:4]}{k:05d}"}}
                  for k in range(n)]
    report["inventory"] = items
    report["summary"]["inventory_items"] = len(items)
    return report


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_every_entity_type_keeps_rows_under_the_cap(report: dict[str, Any], fmt: str) -> None:
    report = _tables(report, 1500, 500, 3)
    out = render(report, fmt, lang="en")
    shown = {prefix: len(set(re.findall(rf"\bt{prefix}\d{{5}}\b", out)))
             for prefix in ("CN_R", "CN_M", "EMAI")}
    assert shown["EMAI"] == 3  # a small type keeps all it has, the others share the rest
    assert shown["CN_M"] >= 490 and shown["CN_R"] >= 490
    assert sum(shown.values()) == view.DOCUMENT_INVENTORY
    assert f"+{2003 - view.DOCUMENT_INVENTORY} more, see the JSON report" in out


def test_the_counter_counts_against_the_total(report: dict[str, Any]) -> None:
    report = _tables(report, 1000, 1000, 0)
    html = render(report, "html", lang="zh")
    controls = html[html.index('data-shown-for="inventory-table"'):]
    controls = controls[:controls.index("</div>")]
    assert re.sub(r"<[^>]+>", "", '<x ' + controls) == "1000 / 2000 显示"


def test_a_short_inventory_is_listed_whole(report: dict[str, Any]) -> None:
    assert view.inventory_shown(report) == report["inventory"]
    report = _tables(report, 10, 0, 0)
    assert view.inventory_shown(report) == report["inventory"]
