"""A migration finding and the rule ids it can carry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from pia.migrations.freetext import masked
from pia.migrations.identity import compared, kept_as
from pia.migrations.messages import message
from pia.migrations.rules import cite

SENSITIVE_RULE = "PIPL-28-SENSITIVE-PLAINTEXT"
GENERAL_RULE = "PIPL-51-ENCRYPT-DEIDENT"
UNDECLARED_RULE = "PIPL-6-MINIMISATION"
BIOMETRIC_RULE = "GB35273-6.3-RAW-BIOMETRIC"
PARSE_RULE = "PIA-SQL-PARSE"
REVERSIBLE_RULE = "PIPL-73-PSEUDONYM-REVERSIBLE"
RULE_IDS = (SENSITIVE_RULE, BIOMETRIC_RULE, GENERAL_RULE, REVERSIBLE_RULE, UNDECLARED_RULE,
            PARSE_RULE)
#: the messages of a finding about one value (a literal, or a value in a comment): a seed
#: file makes one per value, which ``pia.migrations.render.listed`` lists once per column
VALUE_KEYS = frozenset({"literal", "literal_at", "held"})
#: the parameters that name a table or a column, as the migration wrote it
_NAMES = frozenset({"table", "column", "origin", "was", "copy", "source"})


@dataclass(slots=True)  # a seed file makes hundreds of thousands
class Finding:
    """One verdict at one place; never holds a raw PI value (literals are masked)."""

    file: str
    line: int
    col: int
    rule_id: str
    severity: str  # "error" | "warning"
    key: str  # what it says: a message of pia.migrations.messages, with ``params``
    params: dict[str, Any] = field(default_factory=dict)
    table: str = ""
    column: str = ""
    kind: str = ""  # entity type, "parse:<hash of its line>", or entity type:keyed fingerprint
    status: str = "open"  # open | suppressed | baselined
    reason: str = ""
    cited: bool = False  # the message ends with the articles its rule rests on
    more: int = 0  # listed for itself and this many more of its column (``render.listed``)
    last_line: int = 0  # the line of the last of those

    def __post_init__(self) -> None:
        """A name can hold a value (QA: ``"kyc_13912345678"``, masked in the finding about
        the name, raw in the next): masked here, so text, JSON, SARIF, GitHub annotations and
        baseline targets all say it masked, the same way."""
        self.table = kept_as(self.table, masked(self.table))
        self.column = kept_as(self.column, masked(self.column))
        for key in _NAMES.intersection(self.params):
            if isinstance(self.params[key], str):
                self.params[key] = masked(self.params[key])

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (zh, en; bo falls back to English): never a raw value."""
        out = message(self.key, self.params, lang)
        if self.more:
            where = dict(table=self.table, column=self.column) if self.target else {}
            out += message("more_at" if where else "more",
                           dict(where, more=self.more, last=self.last_line), lang)
        citation = cite(self.rule_id, lang) if self.cited else ""
        return f"{out} [{citation}]" if citation else out

    @property
    def message(self) -> str:
        return self.text("en")

    @property
    def target(self) -> str:
        return ".".join(p for p in (self.table, self.column) if p)

    @property
    def identity(self) -> str:
        """``table.column`` as the dialect compares it (``identity.compared``): what is one
        column here is one column in a baseline, a listing and a literal's numbering."""
        return ".".join(compared(p) for p in (self.table, self.column) if p)

    @property
    def fingerprint(self) -> str:
        """Identity without line numbers (detect-secrets style): moving a line, or adding
        lines above it, does not resurrect an accepted finding. The names are compared by
        the dialect's rule: a quoted PostgreSQL name keeps its case, any other is folded."""
        return self.fingerprint_in(self.file)

    def fingerprint_in(self, file: str) -> str:
        """The fingerprint this finding had in ``file``: what a baseline accepted before
        git moved the file here (``pia.migrations.baseline.apply``)."""
        basis = "\x1f".join((file, self.rule_id, self.identity, self.kind))
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON form: only ``message`` depends on ``lang``. ``kind`` is the entity type
        (or ``parse``), what a program groups by (QA: ``CN_NAME:literal-1``); what tells
        apart the findings of one kind at one place (the n-th literal of a column, a keyed
        fingerprint of its value, a hash of an unread statement's shape) is ``instance``,
        and goes into ``fingerprint`` as before."""
        kind, _, instance = self.kind.partition(":")
        out = {"file": self.file, "line": self.line, "col": self.col, "rule_id": self.rule_id,
               "severity": self.severity, "message": self.text(lang), "table": self.table,
               "column": self.column, "kind": kind, "status": self.status,
               "fingerprint": self.fingerprint}
        if instance:
            out["instance"] = instance
        if self.reason:
            out["reason"] = self.reason
        if self.more:
            out["more"], out["last_line"] = self.more, self.last_line
        return out


class Unread(str):
    """A file pia could not read (not UTF-8, binary), as its one-line error says it
    (``file: reason``, what exit 2 prints); ``file`` names it apart, for the JSON
    ``unreadable`` list and SARIF's tool notifications (QA: a GBK migration, never checked,
    looked checked to code scanning)."""

    file: str

    def __new__(cls, file: str, reason: str) -> Unread:
        said = super().__new__(cls, reason if reason.startswith(file) else f"{file}: {reason}")
        said.file = file
        return said
