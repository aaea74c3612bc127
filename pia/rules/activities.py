"""Predicates on an asset's declared processing activities: its consent (PIPL 23, 29, 31, 39)
and its impact assessment (PIPL 55).

What an activity's consent is, only the declaration says, and only through the activities an
asset lists (``assets[].activities``). An asset that lists none says nothing of its legal
basis or consent, so the consent predicates are unknown for it, with a note saying why and
how to decide them (``UNDECIDED``): answering false passed PIPL-29's separate consent,
PIPL-31's guardian consent and PIPL-23's provision consent in silence for an asset of
sensitive PI or children's data whose activity was declared but never linked to it (QA).
An impact assessment is different: an asset with no activity has no assessment recorded,
which is the declaration gap PIPL-55-PIA-TRIGGER reports.
"""

from __future__ import annotations

from typing import Any

from pia.rules.conditions import Truth, note_undecided

Ctx = dict[str, Any]

#: why a consent predicate cannot answer for an asset that lists no activity
NO_ACTIVITY_WHY = "asset {asset} lists no processing activity"
#: how the user lets it answer
NO_ACTIVITY_HINT = ("list its processing activities, with their legal basis and consent, under"
                    " the asset's activities in pia.yaml")


def asset_activities(ctx: Ctx) -> list[dict[str, Any]] | None:
    """The declared activities the subject's asset lists; None without a declaration or an
    asset (empty when the asset lists none)."""
    if "declaration" not in ctx or "asset" not in ctx:
        return None
    wanted = set(ctx["asset"].get("activities") or [])
    return [a for a in ctx["declaration"].get("activities", []) if a["id"] in wanted]


def _consent_activities(ctx: Ctx) -> list[dict[str, Any]] | None:
    """The asset's activities, for a question about consent: None (with a note) when it
    lists none, since nothing then says whether it relies on consent."""
    activities = asset_activities(ctx)
    if activities == []:
        note_undecided(ctx, NO_ACTIVITY_WHY.format(asset=ctx["asset"].get("id")),
                       NO_ACTIVITY_HINT)
        return None
    return activities


def _consent_lacks(ctx: Ctx, kind: str) -> Truth:
    """An activity of the asset relies on consent without ``consent.<kind>: true``."""
    activities = _consent_activities(ctx)
    if activities is None:
        return None
    return any(a.get("legal_basis") == "consent"
               and (a.get("consent") or {}).get(kind) is not True for a in activities)


def consent_not_separate(ctx: Ctx) -> Truth:
    """An activity of the asset relies on consent without ``consent.separate: true``;
    unknown when the asset lists no activity."""
    return _consent_lacks(ctx, "separate")


def guardian_consent_missing(ctx: Ctx) -> Truth:
    """An activity of the asset relies on consent without ``consent.guardian: true`` (the
    consent of a parent or guardian, PIPL 31); unknown when the asset lists no activity."""
    return _consent_lacks(ctx, "guardian")


def pia_declared(ctx: Ctx) -> Truth:
    """Every activity of the asset names an impact assessment (PIPL 55); an asset with no
    declared activity has none."""
    activities = asset_activities(ctx)
    if activities is None:
        return None
    return bool(activities) and all(a.get("pia") for a in activities)
