"""A migration finding and the rule ids it can carry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

SENSITIVE_RULE = "PIPL-28-SENSITIVE-PLAINTEXT"
GENERAL_RULE = "PIPL-51-ENCRYPT-DEIDENT"
UNDECLARED_RULE = "PIPL-6-MINIMISATION"
BIOMETRIC_RULE = "GB35273-6.3-RAW-BIOMETRIC"
PARSE_RULE = "PIA-SQL-PARSE"
REVERSIBLE_RULE = "PIPL-73-PSEUDONYM-REVERSIBLE"
RULE_IDS = (SENSITIVE_RULE, BIOMETRIC_RULE, GENERAL_RULE, REVERSIBLE_RULE, UNDECLARED_RULE,
            PARSE_RULE)


@dataclass
class Finding:
    """One verdict at one place; never holds a raw PI value (literals are masked)."""

    file: str
    line: int
    col: int
    rule_id: str
    severity: str  # "error" | "warning"
    message: str
    table: str = ""
    column: str = ""
    kind: str = ""  # entity type, "parse:<hash of its line>", or entity type:keyed fingerprint
    status: str = "open"  # open | suppressed | baselined
    reason: str = ""

    @property
    def target(self) -> str:
        return ".".join(p for p in (self.table, self.column) if p)

    @property
    def fingerprint(self) -> str:
        """Identity without line numbers (detect-secrets style): moving a line, or adding
        lines above it, does not resurrect an accepted finding."""
        basis = "\x1f".join((self.file, self.rule_id, self.target.lower(), self.kind))
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        out = {"file": self.file, "line": self.line, "col": self.col, "rule_id": self.rule_id,
               "severity": self.severity, "message": self.message, "table": self.table,
               "column": self.column, "kind": self.kind, "status": self.status,
               "fingerprint": self.fingerprint}
        if self.reason:
            out["reason"] = self.reason
        return out
