"""A bundle's verification as ``verify_bundle`` returns it: every check with its status, and
what the signed part says (signer, scope, counts), for ``verify`` and ``show`` to print.

Everything here may be printed: sources are given redacted (``pia.uri.redact``) and every
identifier the manifest holds masked (``masked.shown_masked``), whatever it holds, and the
bundle file's own SHA-256 is kept, so that a regulator can match it with a digest received
out of band.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pia.bundle.masked import shown_masked
from pia.uri import redact


@dataclass
class Check:
    name: str
    status: str  # passed | failed | skipped | undecided
    detail: str = ""
    error: BaseException | None = field(default=None, repr=False, compare=False)
    """What refused the bundle, for ``--debug`` to show where (never in the JSON)."""


@dataclass
class Verification:
    checks: list[Check] = field(default_factory=list)
    signer: str | None = None
    signer_key: str | None = None
    sha256: str | None = None
    """The SHA-256 of the bundle file's bytes, to match a digest the signer sent apart."""
    """The trusted key file that verified the signature (``--trusted-keys``, ``--pubkey``)."""
    manifest: dict[str, Any] | None = None
    report: dict[str, Any] | None = None
    members: dict[str, str] = field(default_factory=dict)
    """SHA-256 of the content of every member read: exactly what was verified."""
    declaration: dict[str, Any] | None = None
    """The bundled ``pia.yaml`` as parsed (redacted at creation), for ``pia bundle show``."""

    @property
    def readable(self) -> bool:
        return not any(c.name == "archive-readable" and c.status == "failed" for c in self.checks)

    @property
    def valid(self) -> bool:
        return bool(self.checks) and not self.failed and not self.undecided

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.status == "failed"]

    @property
    def undecided(self) -> list[Check]:
        """Checks this pia cannot decide: another pia made the bundle (``versions``)."""
        return [c for c in self.checks if c.status == "undecided"]

    @property
    def verdict(self) -> str:
        """valid, invalid (a check failed), undecided (none failed, one this pia cannot
        decide) or unreadable."""
        return ("unreadable" if not self.readable else "invalid" if self.failed
                else "undecided" if self.undecided else "valid" if self.checks else "invalid")

    def scope(self) -> dict[str, Any]:
        """Signer, sources and counts, from the manifest (the signed part) when it parsed."""
        manifest = self.manifest or {}
        scan = manifest.get("scan") if isinstance(manifest.get("scan"), dict) else {}
        sources = scan.get("sources", [])
        sources = sources if isinstance(sources, list) else []
        claimed = shown_masked({  # the bundle's word, valid or not: printed masked (QA D1)
            "created": manifest.get("created"),
            "sources": [redact(s) if isinstance(s, str) else s for s in sources],
            "started": scan.get("started"),
            "complete": scan.get("complete"),
            "rulesets": [r.get("id") for r in manifest.get("rulesets", []) if isinstance(r, dict)],
            "counts": manifest.get("counts", {})})
        return {"sha256": self.sha256, "signer": self.signer, "signer_key": self.signer_key,
                **claimed}

    def to_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "readable": self.readable, "verdict": self.verdict,
                **self.scope(),
                "checks": [{"name": c.name, "status": c.status, "detail": c.detail}
                           for c in self.checks]}
