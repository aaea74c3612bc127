"""What the declaration (pia.yaml) says about database columns: protection, retention and the
grace period of rows marked deleted.

An organisation may declare that ``crm.customer.id_card`` is encrypted or that a table's
retention is measured on ``created_at``; the connector needs both to label protection and to
report the oldest and newest values the retention rules compare with the declared period.
What an asset declares applies only to the sources (and databases) that asset covers, matched
as ``pia.declaration`` matches them (the most specific asset wins): ``enc.sfzh`` declared
encrypted in one database says nothing about an ``enc.sfzh`` in another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pia.declaration import DEFAULT_DELETION_GRACE_DAYS, Declaration

_KINDS = {"encrypted_columns": "encrypted", "hashed_columns": "hashed",
          "masked_columns": "masked"}


@dataclass
class Declared:
    protection: dict[str, str] = field(default_factory=dict)  # "table.column" → hint
    timestamps: set[str] = field(default_factory=set)  # "column" or "table.column"
    #: how long rows marked deleted may keep their PI (days, who said so:
    #: ``Declaration.deletion_grace``), which ``softdelete`` counts rows past
    deletion_grace: tuple[int, str] = (DEFAULT_DELETION_GRACE_DAYS, "default")

    def protection_of(self, schema: str | None, table: str, column: str) -> str | None:
        for key in (f"{schema}.{table}.{column}", f"{table}.{column}"):
            if key in self.protection:
                return self.protection[key]
        return None

    def is_timestamp(self, schema: str | None, table: str, column: str) -> bool:
        return bool({column, f"{table}.{column}", f"{schema}.{table}.{column}"} & self.timestamps)


def declared(declaration: dict[str, Any] | None, source: str,
             location: dict[str, Any]) -> Declared:
    """The protection and retention columns of the asset that covers ``source`` at
    ``location`` (its database); nothing when no asset covers it. Relative local paths are
    taken from the directories ``Declaration.connector_data`` recorded (else the current
    one)."""
    out = Declared()
    if not declaration:
        return out
    known = Declaration.from_connector_data(declaration)
    asset = known.asset_for(source, location)
    out.deletion_grace = known.deletion_grace(asset)
    if asset is None:
        return out
    for key, hint in _KINDS.items():
        for column in (asset.get("protection") or {}).get(key, []) or []:
            out.protection[column] = hint
    column = (asset.get("retention") or {}).get("timestamp_column")
    if column:
        out.timestamps.add(column)
    return out
