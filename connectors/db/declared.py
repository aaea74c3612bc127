"""What the declaration (pia.yaml) says about database columns: protection and retention.

An organisation may declare that ``crm.customer.id_card`` is encrypted or that a table's
retention is measured on ``created_at``; the connector needs both to label protection and to
report the oldest and newest values the retention rules compare with the declared period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_KINDS = {"encrypted_columns": "encrypted", "hashed_columns": "hashed",
          "masked_columns": "masked"}


@dataclass
class Declared:
    protection: dict[str, str] = field(default_factory=dict)  # "table.column" → hint
    timestamps: set[str] = field(default_factory=set)  # "column" or "table.column"

    def protection_of(self, schema: str | None, table: str, column: str) -> str | None:
        for key in (f"{schema}.{table}.{column}", f"{table}.{column}"):
            if key in self.protection:
                return self.protection[key]
        return None

    def is_timestamp(self, schema: str | None, table: str, column: str) -> bool:
        return bool({column, f"{table}.{column}", f"{schema}.{table}.{column}"} & self.timestamps)


def declared(declaration: dict[str, Any] | None) -> Declared:
    out = Declared()
    for asset in (declaration or {}).get("assets", []) or []:
        for key, hint in _KINDS.items():
            for column in (asset.get("protection") or {}).get(key, []) or []:
                out.protection[column] = hint
        column = (asset.get("retention") or {}).get("timestamp_column")
        if column:
            out.timestamps.add(column)
    return out
