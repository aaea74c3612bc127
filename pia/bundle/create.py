"""Creating an audit bundle: a deterministic, signed zip a regulator can verify offline.

Members (sorted, timestamps 1980-01-01, mode 0644, deflate level 9, so the same inputs give the
same bytes; Ed25519 signatures are deterministic too):

- ``report.json``: the report, exactly as ``pia.report.dump_pieces`` writes it;
- ``rulesets/<id>.yaml``: the exact YAML text of every ruleset evaluated;
- ``pia.yaml``: the declaration the rules saw, with credentials removed (when there was one);
- ``manifest.json``: SHA-256 and size of every member above, tool version, scan parameters and
  scope, ruleset ids and content hashes, creation time, signer fingerprint;
- ``signature.dsse.json``: a DSSE envelope whose payload is ``manifest.json``, byte for byte.

Creation refuses inputs that could not verify: rulesets or a declaration other than those
the report records, a declaration holding a resident ID, mobile, card, passport or permit
number, a report whose sources still hold a credential, or one whose summary
does not count its own findings and items (``summary_disagrees``, verify's own check). Then
the bundle made is verified under the signing key, as a regulator will verify it, and refused
when a check fails: findings edited after the scan fail there (``findings-follow-from-
evidence``), so an organisation never ships a bundle the regulator rejects.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pia import __version__
from pia.bundle import dsse, masked
from pia.bundle.keys import fingerprint
from pia.bundle.safezip import WRITTEN
from pia.clock import parse_instant
from pia.errors import BundleError
from pia.report import dump_bytes, validation_errors
from pia.uri import redact

FORMAT = "pia-bundle/1"
REPORT = "report.json"
DECLARATION = "pia.yaml"
MANIFEST = "manifest.json"
SIGNATURE = "signature.dsse.json"
RULESET_DIR = "rulesets/"
RULESET_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
FIXED_TIME = WRITTEN["date_time"]


def ruleset_member(ruleset_id: str) -> str:
    return f"{RULESET_DIR}{ruleset_id}.yaml"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def declaration_text(declaration: Any) -> str:
    """``pia.yaml`` as bundled: the declaration's own ``redacted()`` view (credentials and
    secret-named keys replaced by ``***``), as YAML: the text whose digest a scan records
    (``redacted_sha256``)."""
    return declaration.redacted_text()


def _ruleset_texts(report: dict[str, Any], rulesets: list[Any]) -> dict[str, str]:
    recorded = {r["id"]: r["sha256"] for r in report["scan"].get("rulesets", [])}
    texts: dict[str, str] = {}
    for ruleset in rulesets:
        if not RULESET_ID.match(str(ruleset.id)):
            raise BundleError(f"ruleset id {str(ruleset.id)[:60]!r} cannot name a bundle member")
        if ruleset.id in texts:
            raise BundleError(f"ruleset {ruleset.id} given twice")
        digest = sha256(ruleset.text.encode("utf-8"))
        if recorded.get(ruleset.id) != digest:
            raise BundleError(f"ruleset {ruleset.id} (sha256 {digest[:12]}…) is not one the "
                              "report was evaluated with")
        texts[ruleset.id] = ruleset.text
    missing = sorted(set(recorded) - set(texts))
    if missing:
        raise BundleError(f"the report was evaluated with ruleset {missing[0]}, which was not "
                          "given (--ruleset)")
    return texts


def summary_disagrees(report: dict[str, Any]) -> str | None:
    """Why the report's summary is not the count of its findings and items, as ``pia bundle
    verify`` refuses it (``report-schema``), or None: a summary edited after the scan would
    be signed and then fail at the regulator's."""
    from pia.bundle.safezip import Refused
    from pia.bundle.verify import _counts_agree as counts_agree  # verify's own check

    try:
        counts_agree(report, None)
    except Refused as err:
        return err.reason.removeprefix(f"{REPORT}: ")
    return None


#: what to do about a report that ``raw_values`` refuses
EDITED = ("this pia writes every sample and identifier masked and every source redacted: the "
          "report was edited after the scan or written by an older pia; scan again with this "
          "pia and bundle its report")


def raw_values(report: dict[str, Any]) -> str | None:
    """What in the report is not masked, as ``pia bundle verify`` refuses it
    (``samples-masked``), or a source that holds a credential, or None. pia writes neither;
    a report edited by hand may hold both, and every copy pia makes of it (a bundle, a
    re-rendered JSON report) would carry them on."""
    from pia.bundle.credentials import credential_in
    from pia.bundle.safezip import Refused

    leaked = [s for s in report["scan"]["sources"] if redact(s) != s]
    if leaked:
        return f"source {redact(leaked[0])} holds a credential"
    leaked_elsewhere = credential_in(report)  # an item's or a fact's source: verify's check
    if leaked_elsewhere:
        return leaked_elsewhere
    try:
        masked.check(report)
    except Refused as err:
        return err.reason
    return None


def _check_declaration(report: dict[str, Any], declaration: Any) -> None:
    recorded = report["scan"].get("declaration")
    if recorded and declaration is None:
        raise BundleError(f"the report was evaluated with declaration {recorded.get('path')}; "
                          "give it (--config) so the verifier can re-evaluate")
    if declaration is not None and not recorded:
        raise BundleError("the report was evaluated without a declaration; do not give one")
    if declaration is not None and getattr(declaration, "sha256", None) != recorded.get("sha256"):
        raise BundleError(f"declaration {getattr(declaration, 'path', '')} is not the one the "
                          "report was evaluated with (sha256 differs)")
    held = declaration is not None and masked.declaration_identifier(
        declaration.redacted(), getattr(declaration, "path", DECLARATION))
    if held:  # bundled beside the report, and shown by bundle show (QA D3)
        raise BundleError(f"declaration {held}: a bundle carries no raw identifier; write it "
                          "otherwise there, scan again and bundle that report")
    digest = (recorded or {}).get("redacted_sha256")
    if declaration is not None and digest and \
            sha256(declaration_text(declaration).encode("utf-8")) != digest:
        raise BundleError(f"declaration {getattr(declaration, 'path', '')} redacts to a text "
                          "other than the one the scan recorded (redacted_sha256 differs): "
                          "bundle it with the pia version that scanned")


def _manifest(report: dict[str, Any], rulesets: list[Any], members: dict[str, bytes],
              key: Ed25519PrivateKey, created: str) -> bytes:
    scan = report["scan"]
    by_id = {r.id: r for r in rulesets}
    manifest = {
        "format": FORMAT,
        "tool": {"name": "pia", "version": __version__},
        "created": created,
        "signer": {"algorithm": "ed25519", "fingerprint": fingerprint(key.public_key())},
        "report": {"member": REPORT, "schema": report["schema"],
                   "tool_version": report["tool"]["version"]},
        "scan": {k: scan[k] for k in ("started", "finished", "complete", "sources", "parameters")},
        "rulesets": [
            {"id": rid, "version": getattr(by_id[rid], "version", None),
             "sha256": sha256(members[ruleset_member(rid)]), "member": ruleset_member(rid)}
            for rid in sorted(by_id)
        ],
        "declaration": (
            {"member": DECLARATION, "source_sha256": scan["declaration"].get("sha256"),
             "redacted": True}
            if DECLARATION in members else None
        ),
        "counts": {k: report["summary"].get(k) for k in
                   ("sources", "inventory_items", "findings", "by_severity", "accepted")},
        "members": [{"name": name, "sha256": sha256(data), "size": len(data)}
                    for name, data in sorted(members.items())],
    }
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def write_zip(members: dict[str, bytes]) -> bytes:
    """A zip whose bytes depend only on the members: sorted, fixed time and mode, the headers
    ``safezip.WRITTEN`` says (verify refuses any others)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = WRITTEN["compress_type"]
            info.create_system = WRITTEN["create_system"]
            info.external_attr = WRITTEN["external_attr"]
            archive.writestr(info, members[name], compresslevel=9)
    return buffer.getvalue()


def create_bundle(report: dict[str, Any], rulesets: list[Any], declaration: Any,
                  key: Ed25519PrivateKey, *, created: str | None = None) -> bytes:
    """The bundle's bytes. ``rulesets`` are the ``pia.rules.Ruleset`` objects the report was
    evaluated with (anything with ``id``, ``text`` and ``version``); ``declaration`` is the
    ``pia.declaration.Declaration`` or None. ``created`` defaults to when the scan finished,
    so that the same inputs always give the same bytes."""
    problems = validation_errors(report)
    if problems:
        raise BundleError(f"report does not match its schema: {problems[0]}")
    from pia.bundle.versions import newer_engine

    newer = newer_engine(report)
    if newer:  # its own verify would leave the bundle undecided (QA 7)
        raise BundleError(f"the report was {newer}: bundle verify would leave the bundle "
                          "undecided; bundle it with the pia that made it")
    disagreement = summary_disagrees(report)
    if disagreement:
        raise BundleError(f"the report's {disagreement}: bundle verify would refuse it; "
                          "re-render it from the scan, do not edit the summary")
    raw = raw_values(report)
    if raw:
        raise BundleError(f"report {raw}; refusing to bundle it ({EDITED})")
    _check_declaration(report, declaration)
    created = created or report["scan"]["finished"]
    made, finished = parse_instant(created), parse_instant(report["scan"]["finished"])
    if made is None:
        raise BundleError(f"creation time {created[:40]!r} is not an ISO 8601 time with a zone "
                          "(add Z or +08:00)")
    if finished is not None and made < finished:
        raise BundleError(f"creation time {created[:40]} is before the scan finished "
                          f"({report['scan']['finished']}): a bundle cannot predate its report")
    members = {REPORT: dump_bytes(report)}
    for rid, text in _ruleset_texts(report, rulesets).items():
        members[ruleset_member(rid)] = text.encode("utf-8")
    if declaration is not None:
        members[DECLARATION] = declaration_text(declaration).encode("utf-8")
    manifest = _manifest(report, rulesets, members, key, created)
    members[MANIFEST] = manifest
    members[SIGNATURE] = dsse.sign(manifest, key)
    data = write_zip(members)
    _refuse_what_verify_refuses(data, key)
    return data


def _refuse_what_verify_refuses(data: bytes, key: Ed25519PrivateKey) -> None:
    """Verify the bundle as the regulator will, under the signing key, and refuse it when a
    check fails: above all, findings that do not follow from the bundled evidence (a report
    whose findings were edited, summary fitted, was signed and then refused by verify, QA
    D4), and whatever else verify refuses that the checks before signing did not see. A
    bundle only another pia can judge (undecided) is not refused here: ``newer_engine``
    refused the one case a pia can foresee."""
    from pia.bundle.verify import verify_bundle

    public = key.public_key()
    result = verify_bundle(data, {fingerprint(public): public})
    if result.failed:
        check = result.failed[0]
        raise BundleError(f"bundle verify would refuse it: check {check.name} failed: "
                          f"{check.detail}; bundle the report pia scan wrote, unedited")
