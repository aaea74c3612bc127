"""What a connector is: a source URI in, inventory items, facts and skipped records out.

Connectors read and never write. They never decide what is a violation (that is the rules'
job) and they never hold raw PI beyond the function that reads it: everything they return is
masked samples, keyed fingerprints, counts and metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pia.detection.engine import DetectionEngine
    from pia.masking import Fingerprinter


@dataclass
class ScanOptions:
    """Options every connector may honour; connector-specific ones live in ``extra``."""

    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    sample: int = 1000
    seed: int = 0
    full: bool = False
    views: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def as_parameters(self) -> dict[str, Any]:
        """The options as recorded in the report (never a secret)."""
        params = {
            "include": self.include,
            "exclude": self.exclude,
            "sample": self.sample,
            "seed": self.seed,
            "full": self.full,
            "views": self.views,
        }
        params.update({k: v for k, v in self.extra.items() if not k.startswith("_")})
        return params


class Progress(Protocol):
    """Progress sink; the CLI passes a rich-backed one, tests and libraries a silent one."""

    def start(self, what: str, total: int | None = None) -> None: ...

    def advance(self, what: str, amount: int = 1) -> None: ...


class SilentProgress:
    def start(self, what: str, total: int | None = None) -> None:
        pass

    def advance(self, what: str, amount: int = 1) -> None:
        pass


@dataclass
class ScanContext:
    engine: DetectionEngine
    fingerprint: Fingerprinter
    now: datetime
    declaration: dict[str, Any] | None = None
    progress: Progress = field(default_factory=SilentProgress)


@dataclass
class SourceResult:
    inventory: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, other: SourceResult) -> None:
        self.inventory.extend(other.inventory)
        self.facts.extend(other.facts)
        self.skipped.extend(other.skipped)


class Connector(Protocol):
    """One kind of source. ``accepts`` decides by URI; ``scan`` reads it."""

    name: str

    def accepts(self, uri: str) -> bool: ...

    def scan(self, uri: str, options: ScanOptions, ctx: ScanContext) -> SourceResult: ...
