"""Predicates on where personal information lies: the mainland, Hong Kong, Macao and Taiwan,
or abroad (CSL 37, PIPL 38-40).

A bucket's or database's region is placed by the connector's answer, the regions table
(``pia.rules.regions``) or the organisation's ``mainland_regions``; a database, which says
nothing of where it runs, by its asset's declared ``region`` (``mainland``, ``hmt``,
``overseas`` or a region name); a region none of them places leaves the predicate unknown,
with a note saying how to decide it (``UNDECIDED``), rather than passing a localisation rule
in silence.
"""

from __future__ import annotations

from typing import Any

from pia.rules.conditions import MISSING, Truth, note_undecided, resolve
from pia.rules.regions import jurisdiction as region_jurisdiction
from pia.rules.regions import place

Ctx = dict[str, Any]
_OUTSIDE = ("hmt", "overseas")

JURISDICTION_HINT = "list the mainland ones in organisation.mainland_regions of pia.yaml"
#: why and how for a database, which says nothing of where it is: its asset does
DATABASE_REGION_WHY = "database region unknown: a database does not say where it is"
DATABASE_REGION_HINT = ("declare where its asset is in pia.yaml, as assets[].region: mainland,"
                        " hmt, overseas or a region name")
#: the jurisdictions a declaration may name directly as an asset's ``region``
PLACES = ("mainland", "hmt", "overseas")


def _jurisdiction(ctx: Ctx, region: Any, given: Any = MISSING,
                  provider: Any = None, store: Any = "bucket") -> str | None:
    """Where a region is: the connector's answer, else the regions table, else the
    organisation's ``mainland_regions`` (for private clouds and names no table knows). A
    declaration can name a region the tables do not know; it cannot move a known one. A
    connector's ``unknown`` is not looked up again: it read the name in its provider's table,
    or the name is a self-hosted server's own label (MinIO answers ``us-east-1``)."""
    if given in PLACES:
        return given
    if store == "database" and (not isinstance(region, str) or not region):
        region = resolve(ctx, "asset.region")  # where the organisation says it is
        if region in PLACES:
            return region
        if not isinstance(region, str) or not region:
            note_undecided(ctx, DATABASE_REGION_WHY, DATABASE_REGION_HINT)
            return None
    if not isinstance(region, str) or not region:
        note_undecided(ctx, "region unknown (it could not be read)",
                       "grant the auditor s3:GetBucketLocation")
        return None
    found = place(region, "unknown" if given == "unknown" else region_jurisdiction(region),
                  resolve(ctx, "org.mainland_regions"))
    if found == "unknown":
        of = " of a self-hosted endpoint" if provider == "custom" else ""
        note_undecided(ctx, f"region {region}{of} is of unknown jurisdiction", JURISDICTION_HINT)
        return None
    return found


def _subject_jurisdiction(ctx: Ctx) -> str | None:
    for kind in ("bucket", "database"):
        attrs = ctx.get(kind)
        declared = kind == "database" and resolve(ctx, "asset.region") is not MISSING
        if isinstance(attrs, dict) and ("region" in attrs or "jurisdiction" in attrs
                                        or declared):
            return _jurisdiction(ctx, attrs.get("region", MISSING),
                                 attrs.get("jurisdiction", MISSING), attrs.get("provider"),
                                 kind)
    return None


def region_in_mainland(ctx: Ctx) -> Truth:
    """The bucket or database region is in the mainland (per the connector, the regions
    table, or the organisation's ``mainland_regions`` for names no table knows); unknown when
    no region is known."""
    found = _subject_jurisdiction(ctx)
    return None if found is None else found == "mainland"


def outside_mainland(ctx: Ctx) -> Truth:
    """The bucket or database region is in Hong Kong, Macao, Taiwan or abroad."""
    found = _subject_jurisdiction(ctx)
    return None if found is None else found in _OUTSIDE


def stored_outside_mainland(ctx: Ctx) -> Truth:
    """An asset's PI is observed in a bucket or database in Hong Kong, Macao, Taiwan or
    abroad (whatever the declaration says of transfers); unknown when a store holding it has
    no known region."""
    return _any_outside(ctx, ctx.get("holders"))


def _any_outside(ctx: Ctx, places: Any) -> Truth:
    """Some of ``places`` (dicts with a region or jurisdiction) lies outside the mainland."""
    if not isinstance(places, list):
        return None
    found = [_jurisdiction(ctx, p.get("region", MISSING), p.get("jurisdiction", MISSING),
                           p.get("provider", resolve(ctx, "bucket.provider")),
                           p.get("store", "bucket"))
             for p in places if isinstance(p, dict)]
    if any(j in _OUTSIDE for j in found):
        return True
    return None if any(j is None for j in found) else False


def replicates_outside_mainland(ctx: Ctx) -> Truth:
    """The bucket replicates to a destination outside the mainland."""
    replication = resolve(ctx, "bucket.replication")
    if isinstance(replication, str):  # "access_denied", "unavailable"
        note_undecided(ctx, f"replication could not be read ({replication})",
                       "grant the auditor s3:GetReplicationConfiguration")
    return _any_outside(ctx, replication)
