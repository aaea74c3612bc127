"""Verifying an audit bundle offline, as a regulator would, on input that may be hostile.

Every check is named and reported on its own, passed, failed or skipped (with the check it
needs), so that "invalid" always says why:

==============================  ==========================================================
``archive-readable``            the file is a zip whose directory parses (else exit 2)
``member-names-safe``           no traversal, absolute, drive, backslash, symlink, duplicate
``archive-limits``              member count, sizes and compression ratios within limits
``members-intact``              every member decompresses, CRC and sizes agree
``bundle-digest``               the file's SHA-256 is the one ``--expect-sha256`` gives (the
                                signer sent it apart); skipped when none is given
``signature-envelope``          ``signature.dsse.json`` is a DSSE envelope as pia writes it:
                                one signature, a fingerprint key id, 64 bytes (``dsse``)
``signature-trusted``           the envelope is signed by a trusted Ed25519 key not revoked
``manifest-matches-signature``  ``manifest.json`` is byte for byte the signed payload
``manifest-well-formed``        the manifest parses and names the key that signed it
``members-complete``            no member missing from or added to the manifest's list,
                                and none pia does not write
``member-hashes``               every member's SHA-256 and size is the manifest's
``rules-engine``                the report's rules engine is not newer than this pia's
                                (``versions``: a newer one leaves the bundle undecided)
``report-schema``               ``report.json`` validates against ``pia-report/1``
``samples-masked``              every sample is masked for its entity type, every fingerprint
                                keyed, no identifier in any string or key of the report
                                or manifest, names aside (``masked``): a signed bundle
                                carries no raw value
``credentials-redacted``        no source the report names holds a password, key or token
                                (``credentials``), as pia writes none
``scan-consistent``             started <= finished <= created, no evidence dated after the
                                scan, ``complete`` and ``full`` not contradicted by the facts
``rulesets-match-report``       the bundled rulesets are those the report was evaluated with,
                                with the ids and versions the report and manifest name
``rulesets-as-shipped``         a ruleset with the id of one pia ships is byte for byte this
                                pia's copy (else it may come from another pia version)
``declaration-readable``        ``pia.yaml`` is there iff the report used one, parses, is
                                the one the report names (redacted digest, organisation),
                                and holds no identifier in any string (``masked``)
``findings-follow-from-evid…``  re-evaluating the rulesets over the bundled inventory, facts
                                and declaration, as ``pia scan`` does, gives exactly the
                                recorded findings, field for field, and ``not_evaluated``
==============================  ==========================================================

The bundle is valid when no check failed and none is *undecided*: one this pia cannot decide
because another pia made the bundle (``versions``; exit 2, naming the pia to verify with).
Nothing is extracted to disk, imported or executed: members are read into memory
(``safezip``), JSON and YAML are parsed within limits, and the rulesets are data evaluated by
pia's own engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from pia.bundle import credentials, dsse, evidence, masked, provenance, safezip, trust, versions
from pia.bundle.create import (
    DECLARATION,
    FORMAT,
    MANIFEST,
    REPORT,
    RULESET_DIR,
    RULESET_ID,
    SIGNATURE,
    ruleset_member,
    sha256,
)
from pia.bundle.safezip import DEFAULT_LIMITS, Limits, Refused
from pia.bundle.verdict import Check, Verification
from pia.bundle.words import counted
from pia.uri import scrub

CHECKS = (
    "archive-readable", "member-names-safe", "archive-limits", "members-intact", "bundle-digest",
    "signature-envelope", "signature-trusted", "manifest-matches-signature",
    "manifest-well-formed", "members-complete", "member-hashes", "rules-engine", "report-schema",
    "samples-masked", "credentials-redacted", "scan-consistent", "rulesets-match-report",
    "rulesets-as-shipped",
    "declaration-readable", "findings-follow-from-evidence",
)
MAX_REPORT = 64 * 1024 * 1024
MAX_MANIFEST = 1024 * 1024
MAX_ENVELOPE = 2 * 1024 * 1024
MAX_YAML = 1_000_000


class _Run:
    """One verification: runs checks in order, remembering what each produced."""

    def __init__(self, limits: Limits, labels: dict[str, str] | None = None,
                 where: str | None = None, revoked: dict[str, str] | None = None) -> None:
        self.limits = limits
        self.labels = labels or {}
        self.where = where
        self.revoked = revoked or {}
        self.result = Verification()
        self.members: dict[str, bytes] = {}
        self.report: Any = None  # report.json as parsed, before its schema is checked
        self.engine_differs = False  # the report's rules engine is not this pia's
        self.halted: str | None = None  # an undecided check nothing after it may judge past

    def record(self, name: str, status: str, detail: str = "",
               error: BaseException | None = None) -> None:
        # any detail may quote the bundle (a passed manifest-well-formed its created, QA D1)
        detail = masked.masked_text(detail)
        detail = scrub(detail)  # or a source with its password (QA D2)
        self.result.checks.append(Check(name, status, safezip.printable(detail, 400), error))

    def step(self, name: str, needs: list[str], func: Any) -> Any:
        """Run ``func`` as check ``name`` unless a needed check did not pass."""
        done = {c.name: c.status for c in self.result.checks}
        missing = [n for n in needs if done.get(n) != "passed"]
        if missing or self.halted:
            self.record(name, "skipped", f"needs {missing[0] if missing else self.halted}")
            return None
        try:
            value = func()
        except Refused as err:
            self.record(name, "failed", err.reason, err)
            return None
        except versions.Undecided as err:
            self.record(name, "undecided", str(err))
            return None
        except _Skip as err:
            self.record(name, "skipped", str(err))
            return None
        if isinstance(value, Passed):
            self.record(name, "passed", value.detail)
            return value.value
        self.record(name, "passed", value if isinstance(value, str) else "")
        return value if not isinstance(value, str) else True


@dataclass
class Passed:
    """A check's product together with the sentence that reports it."""

    value: Any
    detail: str


class _Skip(Exception):
    """A check that cannot run here (not a failure of the bundle)."""


def _read_archive(run: _Run, data: bytes) -> None:
    limits = run.limits
    archive = run.step("archive-readable", [], lambda: safezip.open_archive(data, limits))
    names = run.step("member-names-safe", ["archive-readable"],
                     lambda: f"{len(safezip.check_names(archive, limits))} members")
    run.step("archive-limits", ["member-names-safe"],
             lambda: safezip.check_limits(archive, limits) or "")
    members = run.step("members-intact", ["archive-limits"],
                       lambda: safezip.read_members(archive, data, limits))
    if archive is not None:
        archive.close()
    if names and members is not None:
        run.members = members
        run.result.members = {name: sha256(body) for name, body in members.items()}


def _digest(run: _Run, data: bytes, expected: str | None) -> None:
    """Check ``bundle-digest``. The file's own digest is kept for the verdict either way:
    member order and deflate level may differ between two bundles of the same content, so
    only the file's bytes tell that it is the very bundle the signer sent (QA D5)."""
    actual = run.result.sha256 = sha256(data)
    if expected is None:
        run.record("bundle-digest", "skipped", "no SHA-256 expected (--expect-sha256)")
    elif expected.lower() == actual:
        run.record("bundle-digest", "passed", "SHA-256 as expected")
    else:
        run.record("bundle-digest", "failed", f"the file's SHA-256 is {actual}, not the "
                   f"expected {safezip.printable(expected, 80)}")


def _envelope(run: _Run) -> tuple[bytes, str, bytes]:
    """The signed payload, key id and signature: exactly one signature, in the one byte form
    pia writes (``dsse.parse``, ``dsse.serialize``). No message quotes the envelope."""
    body = run.members.get(SIGNATURE)
    if body is None:
        raise Refused("signature-envelope", f"{SIGNATURE} is missing")
    try:
        envelope = safezip.load_json(body, "signature-envelope", SIGNATURE,
                                     max_bytes=MAX_ENVELOPE, limits=run.limits)
    except Refused as err:  # a duplicate key's name is the envelope's text: not quoted
        if err.reason.startswith(f"{SIGNATURE}: "):
            raise Refused("signature-envelope", f"{SIGNATURE} is not JSON with unique keys "
                          "and no NaN") from None
        raise
    try:
        parsed = dsse.parse(envelope)
    except dsse.EnvelopeError as err:
        raise Refused("signature-envelope", str(err)) from None
    if dsse.serialize(envelope) != body:
        raise Refused("signature-envelope", f"{SIGNATURE} is not in canonical form")
    return parsed


def _manifest_matches(run: _Run, payload: bytes) -> str:
    if run.members.get(MANIFEST) != payload:
        raise Refused("manifest-matches-signature", f"{MANIFEST} is not the signed payload")
    return f"{len(payload)} bytes, signed"


def _manifest(run: _Run, payload: bytes) -> dict[str, Any]:
    manifest = safezip.load_json(payload, "manifest-well-formed", MANIFEST,
                                 max_bytes=MAX_MANIFEST, limits=run.limits)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Refused("manifest-well-formed", f"format is not {FORMAT}")
    members = manifest.get("members")
    if not isinstance(members, list) or not all(
        isinstance(m, dict) and isinstance(m.get("name"), str) and isinstance(m.get("sha256"), str)
        and isinstance(m.get("size"), int) for m in members
    ):
        raise Refused("manifest-well-formed", "members is not a list of {name, sha256, size}")
    names = [m["name"] for m in members]
    if len(set(names)) != len(names):
        raise Refused("manifest-well-formed", "a member is listed twice")
    rulesets = manifest.get("rulesets")
    if not isinstance(rulesets, list) or not all(
        isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("sha256"), str)
        for r in rulesets
    ):
        raise Refused("manifest-well-formed", "rulesets is not a list of {id, sha256}")
    signer = manifest.get("signer")
    claimed = signer.get("fingerprint") if isinstance(signer, dict) else None
    if run.result.signer and claimed != run.result.signer:
        raise Refused("manifest-well-formed", f"names signer {str(claimed)[:60]} but was signed by "
                      f"{run.result.signer}")
    run.result.manifest = manifest
    return Passed(manifest, f"{FORMAT}, created {safezip.printable(manifest.get('created'), 40)}")


def _complete(run: _Run) -> str:
    listed = {m["name"] for m in run.result.manifest["members"]} | {MANIFEST, SIGNATURE}
    present = set(run.members)
    missing, extra = sorted(listed - present), sorted(present - listed)
    if missing:
        raise Refused("members-complete", f"{missing[0]} is listed in the manifest but missing")
    if extra:
        raise Refused("members-complete", f"{extra[0]} is in the archive but not in the manifest")
    rulesets = {ruleset_member(r["id"]) for r in run.result.manifest["rulesets"]
                if RULESET_ID.match(r["id"])}
    foreign = sorted(present - {MANIFEST, SIGNATURE, REPORT, DECLARATION} - rulesets)
    if foreign:  # QA Q2 B1: a notes.txt of raw IDs, listed and signed, verified VALID
        raise Refused("members-complete", f"{safezip.printable(foreign[0], 80)} is no member "
                      f"pia writes ({MANIFEST}, {SIGNATURE}, {REPORT}, {DECLARATION} and "
                      f"{RULESET_DIR}ID.yaml for each ruleset the manifest lists)")
    return f"{len(present)} members"


def _hashes(run: _Run) -> str:
    for entry in run.result.manifest["members"]:
        body = run.members[entry["name"]]
        if len(body) != entry["size"] or sha256(body) != entry["sha256"]:
            raise Refused("member-hashes", f"{entry['name']}: SHA-256 differs from the manifest")
    return f"{len(run.result.manifest['members'])} SHA-256 digests match"


def _parsed_report(run: _Run) -> Any:
    """``report.json`` parsed within limits, once (check ``rules-engine`` reads it first)."""
    if run.report is None:
        body = run.members.get(REPORT)
        if body is None:
            raise Refused("report-schema", f"{REPORT} is missing")
        run.report = safezip.load_json(body, "report-schema", REPORT, max_bytes=MAX_REPORT,
                                       limits=run.limits)
    return run.report


def _rules_engine(run: _Run) -> str:
    """Check ``rules-engine``; a report that does not parse is left to ``report-schema``."""
    try:
        report = _parsed_report(run)
    except Refused:
        raise _Skip(f"{REPORT} unreadable (see report-schema)") from None
    if not isinstance(report, dict):
        raise _Skip(f"{REPORT} is not a report (see report-schema)")
    try:
        made = versions.made_by(run, report)
    except ImportError:
        raise _Skip("rules engine unavailable") from None
    if made is None:
        raise _Skip("tool.rules is no rules engine version (see report-schema)")
    return made


def _report(run: _Run) -> dict[str, Any]:
    from pia.report import validation_errors

    report = _parsed_report(run)
    problems = validation_errors(report)
    if problems:
        problem = masked.schema_problem(report, problems[0])  # quotes no raw sample
        raise Refused("report-schema", f"{REPORT}: {problem}")
    _counts_agree(report, run.result.manifest)
    run.result.report = report
    return Passed(report, f"{report['schema']}, {len(report['inventory'])} inventory items, "
                  f"{len(report['findings'])} findings")


def _rulesets(run: _Run) -> list[Any]:
    from pia.rules import load_ruleset_text

    report, manifest = run.result.report, run.result.manifest
    recorded = {r["id"]: r["sha256"] for r in report["scan"]["rulesets"]}
    listed = {r["id"]: r["sha256"] for r in manifest["rulesets"]}
    bundled = {n[len(RULESET_DIR):-len(".yaml")] for n in run.members
               if n.startswith(RULESET_DIR) and n.endswith(".yaml")}
    for name in sorted(set(recorded) | set(listed) | bundled):
        if not RULESET_ID.match(name) or name not in recorded or name not in bundled \
                or listed.get(name) != recorded[name]:
            raise Refused("rulesets-match-report", f"ruleset {name[:60]} is not in all of report, "
                          "manifest and bundle with the same SHA-256")
    rulesets = []
    for name in sorted(recorded):
        body = run.members[ruleset_member(name)]
        if sha256(body) != recorded[name]:
            raise Refused("rulesets-match-report", f"{ruleset_member(name)}: SHA-256 differs from "
                          "the report's")
        text = safezip.load_text(body, "rulesets-match-report", name, max_bytes=MAX_YAML)
        try:
            ruleset = load_ruleset_text(text, ruleset_member(name))
        except Exception as err:  # a RulesetError names file:line; anything else is hostile
            raise Refused("rulesets-match-report", safezip.describe_error(err)) from None
        if ruleset.id != name:
            raise Refused("rulesets-match-report", f"{ruleset_member(name)} declares ruleset "
                          f"{str(ruleset.id)[:60]}")
        provenance.versions_agree(ruleset, report, manifest)
        rulesets.append(ruleset)
    order = [r["id"] for r in report["scan"]["rulesets"]]
    rulesets.sort(key=lambda r: order.index(r.id))
    return Passed(rulesets, ", ".join(f"{r.id} {r.version}" for r in rulesets) or "none")


def _declaration(run: _Run) -> Any:
    from pia.declaration import load_declaration_text

    recorded = run.result.report["scan"].get("declaration")
    body = run.members.get(DECLARATION)
    if bool(recorded) != (body is not None):
        state = "records" if recorded else "does not record"
        raise Refused("declaration-readable", f"the report {state} a declaration but {DECLARATION} "
                      f"is {'missing' if recorded else 'present'}")
    if body is None:
        return "no declaration was used"
    text = safezip.load_text(body, "declaration-readable", DECLARATION, max_bytes=MAX_YAML)
    try:
        declaration = load_declaration_text(text, DECLARATION)
    except Exception as err:  # a ConfigError names pia.yaml:line; anything else is hostile
        raise Refused("declaration-readable", safezip.describe_error(err)) from None
    held = masked.declaration_identifier(declaration.data, DECLARATION)
    if held:  # pia bundle create refuses it: the organisation's own text, bundled (QA D3)
        raise Refused("declaration-readable", f"{held}, which no bundle pia makes carries raw")
    run.result.declaration = declaration.data
    declaration.bind(run.result.report)  # resolve relative paths as the scan did
    provenance.declaration_agrees(body, declaration, recorded, run.result.report,
                                  run.result.manifest)
    assets = counted(len(declaration.assets), "asset", "assets")
    return Passed(declaration, f"{DECLARATION}, {assets} (credentials redacted)")


def _counts_agree(report: dict[str, Any], manifest: dict[str, Any] | None) -> None:
    """The numbers a regulator reads first (the manifest's scan and counts, which verify
    prints, and the report's summary, which show renders) must be those of the findings and
    items the report holds: the signature proves who wrote them, not that they add up."""
    from pia.report import summarize

    recorded = report["summary"]
    for key, value in summarize(report).items():
        if key in recorded and recorded[key] != value:
            raise Refused("report-schema", f"{REPORT}: "
                          f"{masked.count_difference(key, recorded[key], value)}")
    if manifest is None:
        return
    for section, source in (("scan", report["scan"]), ("counts", recorded)):
        claimed = manifest.get(section)
        if not isinstance(claimed, dict):
            raise Refused("report-schema", f"{MANIFEST}: no {section}")
        for key, value in claimed.items():
            if source.get(key) != value:
                raise Refused("report-schema", f"{MANIFEST}: {section}.{key} differs from "
                              f"{REPORT}'s")


def _findings(run: _Run, rulesets: list[Any], declaration: Any) -> str:
    try:
        return versions.findings(run, rulesets, declaration)
    except ImportError:
        raise _Skip("rules engine unavailable") from None


def _scan_consistent(run: _Run) -> str:
    report, manifest = run.result.report, run.result.manifest
    check = "scan-consistent"
    times = evidence.timeline(report, manifest.get("created"), check)
    evidence.completeness(report, check)
    evidence.sampling(report, check)
    return times


def verify_bundle(data: bytes, trusted: dict[str, Ed25519PublicKey],
                  limits: Limits = DEFAULT_LIMITS, *, parse_unsigned: bool = False,
                  labels: dict[str, str] | None = None, where: str | None = None,
                  revoked: dict[str, str] | None = None,
                  expect_sha256: str | None = None) -> Verification:
    """Run every check over the bundle's bytes. Never raises on hostile content: an unreadable
    archive fails ``archive-readable``; the verdict is ``Verification.valid``.

    Only the envelope and the manifest are parsed before the signature is checked; the report,
    rulesets and declaration are parsed only once their hashes match a manifest signed by a
    trusted key, so unauthenticated input never reaches the YAML parser or the rules engine.
    ``parse_unsigned`` (for ``pia bundle show``, which displays unverified content under a
    warning) parses them when the hashes match the manifest even if no trusted key signed it;
    so does giving no trusted key at all. The verdict is the same either way.

    ``labels`` names the trusted keys (fingerprint → key file) and ``where`` the directory
    they came from, for the messages: which company's key signed, or that none did.
    ``revoked`` names the keys (fingerprint → ``FILE:LINE`` listing it) whose signatures count
    for nothing, trusted or not: a bundle only a revoked key signed fails
    ``signature-trusted``, whatever its self-asserted creation time. ``expect_sha256``: the
    file's SHA-256 as the signer sent it apart (``bundle-digest``)."""
    run = _Run(limits, labels, where, revoked)
    _read_archive(run, data)
    _digest(run, data, expect_sha256)
    intact = ["members-intact"]
    authentic = ["manifest-matches-signature", "member-hashes"]
    authentic += ["signature-trusted"] if trusted and not parse_unsigned else []
    parsed = run.step("signature-envelope", intact, lambda: _envelope(run))
    run.step("signature-trusted", ["signature-envelope"],
             lambda: trust.signer(run, parsed, trusted))
    run.step("manifest-matches-signature", ["signature-envelope"],
             lambda: _manifest_matches(run, parsed[0]))
    run.step("manifest-well-formed", ["signature-envelope"], lambda: _manifest(run, parsed[0]))
    run.step("members-complete", ["manifest-well-formed"], lambda: _complete(run))
    run.step("member-hashes", ["members-complete"], lambda: _hashes(run))
    run.step("rules-engine", authentic, lambda: _rules_engine(run))
    run.halted = "rules-engine" if run.result.checks[-1].status == "undecided" else None
    run.step("report-schema", authentic, lambda: _report(run))
    run.step("samples-masked", ["report-schema"],
             lambda: masked.check(run.result.report, run.result.manifest))
    run.step("credentials-redacted", ["report-schema"],
             lambda: credentials.check(run.result.report))
    run.step("scan-consistent", ["report-schema", "manifest-well-formed"],
             lambda: _scan_consistent(run))
    rulesets = run.step("rulesets-match-report", ["report-schema", "manifest-well-formed"],
                        lambda: _rulesets(run))
    run.step("rulesets-as-shipped", ["rulesets-match-report"],
             lambda: versions.shipped(run, rulesets))
    declaration = run.step("declaration-readable", ["report-schema"], lambda: _declaration(run))
    if declaration is True:  # "no declaration was used"
        declaration = None
    needs = ["rulesets-match-report", "declaration-readable"]
    run.step("findings-follow-from-evidence", needs,
             lambda: _findings(run, rulesets or [], declaration))
    if any(c.name == "samples-masked" and c.status == "failed" for c in run.result.checks):
        run.result.report = masked.free_text_masked(run.result.report)  # for bundle show
    if any(c.name == "credentials-redacted" and c.status == "failed" for c in run.result.checks):
        run.result.report = credentials.redacted(run.result.report)
    return run.result


def read_bundle_file(path: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bundle's bytes, read up to the archive limit (a larger file fails
    ``archive-readable``); a file that cannot be opened is a ``BundleError`` (exit 2)."""
    from pia.errors import BundleError

    return safezip.read_file(path, limits.archive_bytes, "bundle", BundleError)
