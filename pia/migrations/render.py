"""Migration findings as bytes: text, JSON, GitHub annotations, SARIF 2.1.0.

Text and GitHub formats show only open findings (what a reviewer must act on); JSON and SARIF
carry every finding with its status, suppressed and baselined ones as SARIF suppressions
(``inSource`` and ``external``), which viewers hide by default. Output is deterministic.

Every format lists a file's values of one column under one rule once (``listed``): a seed
file of 100,000 ID numbers gave 100,000 lines, annotations and results, one per value, that
buried everything else and took minutes to write. The first stands for them with how many
more there are; baselines and the summary still count each value. The statements of a file
pia could not read are listed ten at most, the tenth saying how many more there are.

``lang`` (zh, en; bo falls back to English) chooses the language of what a person reads:
the messages, and in SARIF the rules' titles and help. What a program reads stays as it is
in every language: rule ids, ``file:line:col``, the severity word of a text line, workflow
commands, and every JSON field but ``message``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pia import __version__
from pia.migrations.files import repository_root, under_root
from pia.migrations.finding import PARSE_RULE, VALUE_KEYS, Finding, Unread
from pia.migrations.rules import rule_info
from pia.printable import printable
from pia.reports.sarif import SECURITY_SEVERITY

FORMATS = ("text", "json", "sarif", "github")
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")


#: the unreadable statements (``PIA-SQL-PARSE``) of one file listed each at its place: a
#: dump in a dialect pia does not read is one warning a statement, thousands of lines
PARSE_LISTED = 10

#: stands for the list a document streams (``_streamed``)
_SENTINEL = "\x00pia-items\x00"
#: what SARIF URIs are relative to: the repository's root (``files.repository_root``)
SRCROOT = "%SRCROOT%"


def render(findings: list[Finding], fmt: str, lang: str = "en",
           unreadable: Sequence[str] = ()) -> str:
    return "".join(chunks(findings, fmt, lang, unreadable))


def chunks(findings: list[Finding], fmt: str, lang: str = "en",
           unreadable: Sequence[str] = ()) -> Iterator[str]:
    """``render``'s text in pieces, a finding at a time, as ``listed`` lists them: a file
    of many columns still gives many findings, and their JSON in one string took hundreds
    of megabytes more. ``unreadable`` are the files pia could not read (``check_files``'
    errors, exit 2): JSON lists them and SARIF says the run did not succeed; text and
    GitHub output leave them to stderr, where the error line says them."""
    if fmt == "json":
        return _json(findings, lang, unreadable)
    if fmt == "sarif":
        return _sarif(findings, lang, unreadable)
    return {"text": _text, "github": _github}[fmt](findings, lang)


class Listing(list[Finding]):
    """Findings already listed (``listed``'s list), with the counts ``summary`` gives of
    the findings they stand for: a run that counted its values as they came
    (``pia.migrations.grouped``) prints what it would have printed holding them all."""

    def __init__(self, findings: Iterable[Finding], counts: dict[str, int]) -> None:
        super().__init__(findings)
        self.counts = counts


def listed(findings: list[Finding]) -> list[Finding]:
    """The findings as every format lists them: of the findings about values (literals, a
    value in a comment) of one file, ``table.column`` (or no known column), rule and entity
    type, only
    the first, at its own line and column, with ``more`` saying how many others there are
    and ``last_line`` where the last is. Of the statements of one file pia could not read
    (``PIA-SQL-PARSE``), the first ``PARSE_LISTED``, the last of them with ``more`` and
    ``last_line`` for the others. Findings of another status (open, suppressed, baselined,
    and each suppression reason) are listed apart: a value a baseline does not accept
    stands out among a hundred thousand it does. The findings given are not changed: a
    baseline matches and counts each value and statement on its own. A ``Listing`` is
    listed already."""
    if isinstance(findings, Listing):
        return findings
    firsts: dict[tuple[str, ...], Finding] = {}
    parses: dict[tuple[str, ...], list[Finding]] = {}
    out: list[Finding] = []
    for f in findings:
        if f.rule_id == PARSE_RULE:
            shown = parses.setdefault((f.file, f.status, f.reason), [])
            if len(shown) < PARSE_LISTED:
                shown.append(replace(f) if len(shown) == PARSE_LISTED - 1 else f)
                out.append(shown[-1])
            else:
                shown[-1].more += 1
                shown[-1].last_line = max(shown[-1].last_line, f.line)
            continue
        if f.key not in VALUE_KEYS:
            out.append(f)
            continue
        # the entity type too: a bank card and an ID number in one column are two kinds,
        # each counted by a dashboard that groups by ``kind`` (QA)
        group = (f.file, f.identity, f.rule_id,
                 f.kind.partition(":")[0], f.status, f.reason)
        first = firsts.get(group)
        if first is None:
            firsts[group] = replace(f)
            out.append(firsts[group])
        else:
            first.more += 1
            first.last_line = max(first.last_line, f.line)
    return out


def _streamed(doc: dict[str, Any], items: Iterator[dict[str, Any]]) -> Iterator[str]:
    """``json.dumps(doc, indent=2)`` where the one list holding ``_SENTINEL`` holds
    ``items``, each dumped when its turn comes: the same text, never all of it at once."""
    head, _, tail = json.dumps(doc, ensure_ascii=False, indent=2).partition(
        json.dumps(_SENTINEL))
    indent = "\n" + head[head.rfind("\n") + 1:]
    first = next(items, None)
    if first is None:  # an empty list, as json.dumps writes it: []
        yield head.rstrip() + tail.lstrip() + "\n"
        return
    yield head + json.dumps(first, ensure_ascii=False, indent=2).replace("\n", indent)
    for item in items:
        yield "," + indent + json.dumps(item, ensure_ascii=False, indent=2).replace("\n", indent)
    yield tail + "\n"


def text(findings: list[Finding], lang: str = "en") -> str:
    return render(findings, "text", lang)


def _text(findings: list[Finding], lang: str = "en") -> Iterator[str]:
    """``file:line:col: severity rule message``, one open finding a line. File and column
    names come from the migration: a line break or an escape sequence in one (a quoted
    ``"id_card\n::warning file=x::..."``) is shown escaped, so it can neither start a line
    that CI reads as a workflow command nor drive the terminal."""
    return (f"{printable(f.file)}:{f.line}:{f.col}: {f.severity} {f.rule_id} "
            f"{printable(f.text(lang))}\n" for f in listed(findings) if f.status == "open")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: list[Finding], lang: str = "en") -> str:
    return render(findings, "github", lang)


def _github(findings: list[Finding], lang: str = "en") -> Iterator[str]:
    """GitHub Actions workflow commands: an annotation on the offending line. GitHub places
    an annotation by its path from the repository's root, as code scanning resolves SARIF
    URIs: a job run in ``working-directory: backend`` names ``backend/db/V1.sql`` (a file
    outside the repository by its absolute path)."""
    root = repository_root([f.file for f in findings[:1]])
    for f in listed(findings):
        if f.status != "open":
            continue
        file = under_root(f.file, root) or os.path.abspath(f.file)
        props = ",".join(f"{k}={_escape_property(str(v))}" for k, v in (
            ("file", file), ("line", f.line), ("col", f.col), ("title", f.rule_id)))
        yield f"::{f.severity} {props}::{_escape_data(f.text(lang))}\n"


def summary(findings: list[Finding]) -> dict[str, int]:
    """Findings by severity (open) or status, each value counted, as a baseline counts."""
    if isinstance(findings, Listing):
        return dict(findings.counts)
    counts = {"error": 0, "warning": 0, "suppressed": 0, "baselined": 0}
    for f in findings:
        counts[f.severity if f.status == "open" else f.status] += 1
    return counts


def as_json(findings: list[Finding], lang: str = "en") -> str:
    return render(findings, "json", lang)


def _file_of(error: str) -> str:
    return error.file if isinstance(error, Unread) else error.partition(": ")[0]


def _json(findings: list[Finding], lang: str = "en",
          unreadable: Sequence[str] = ()) -> Iterator[str]:
    """The document; ``unreadable`` lists the files not checked, each with its error (a
    field added to ``pia-migrations/1``: empty when every file was read)."""
    doc = {"schema": "pia-migrations/1", "tool": {"name": "pia", "version": __version__},
           "summary": summary(findings),
           "unreadable": [{"file": _file_of(e), "error": str(e)} for e in unreadable],
           "findings": [_SENTINEL]}
    return _streamed(doc, (f.as_dict(lang) for f in listed(findings)))


def _sarif_rule(rule_id: str, lang: str) -> dict[str, Any]:
    info = rule_info(rule_id, lang)
    rule: dict[str, Any] = {
        "id": rule_id,
        "name": "".join(p.capitalize() for p in rule_id.replace(".", "-").split("-")),
        "shortDescription": {"text": info["title"]},
        "fullDescription": {"text": info["description"]},
        "help": {"text": info["remediation"]},
        "defaultConfiguration": {"level": info["level"]},
        # GitHub ranks alerts by security-severity: the number pia scan gives the severity
        "properties": {"tags": ["privacy", "pipl"], "severity": info["severity"],
                       "security-severity": SECURITY_SEVERITY[info["severity"]],
                       "references": info["references"]},
    }
    return rule


def artifact_uri(path: str) -> str:
    """A file path as a SARIF ``artifactLocation.uri``: an RFC 3986 relative reference, so
    spaces, ``%``, ``#`` and non-ASCII names are percent-encoded (UTF-8). Only the SARIF
    carries this form; text, GitHub output, fingerprints and baselines keep the plain path."""
    return quote(path.replace("\\", "/"), safe="/")


def artifact_location(path: str, root: Path) -> dict[str, str]:
    """Where a file is for code scanning: relative to the repository's ``root`` under
    ``%SRCROOT%``, whatever the working directory; a file outside it by its absolute
    ``file:`` URI."""
    inside = under_root(path, root)
    if inside is None:
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    return {"uri": artifact_uri(inside), "uriBaseId": SRCROOT}


def _sarif_result(f: Finding, rule_index: int, lang: str, root: Path) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": f.severity,
        "message": {"text": f.text(lang)},
        "locations": [{"physicalLocation": {
            "artifactLocation": artifact_location(f.file, root),
            "region": {"startLine": max(1, f.line), "startColumn": max(1, f.col)}}}],
        "partialFingerprints": {"piaMigration/v1": f.fingerprint},
    }
    if f.target:
        result["locations"][0]["logicalLocations"] = [
            {"name": f.column or f.table, "fullyQualifiedName": f.target, "kind": "member"}]
    if f.more:
        result["properties"] = {"more": f.more, "lastLine": f.last_line}
    if f.status == "suppressed":
        result["suppressions"] = [{"kind": "inSource", "justification": f.reason}]
    elif f.status == "baselined":
        result["suppressions"] = [{"kind": "external", "justification": "baseline"}]
    return result


def sarif(findings: list[Finding], lang: str = "en") -> str:
    return render(findings, "sarif", lang)


def _invocation(unreadable: Sequence[str], root: Path) -> dict[str, Any]:
    """The run's invocation: not successful when a file could not be read (exit 2), each
    such file a notification, so code scanning does not show a run that skipped a file as
    complete."""
    return {"executionSuccessful": not unreadable, "toolExecutionNotifications": [
        {"level": "error", "message": {"text": str(e)}, "locations": [{"physicalLocation": {
            "artifactLocation": artifact_location(_file_of(e), root)}}]}
        for e in unreadable]}


def _sarif(findings: list[Finding], lang: str = "en",
           unreadable: Sequence[str] = ()) -> Iterator[str]:
    rule_ids = sorted({f.rule_id for f in findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    root = repository_root([f.file for f in findings[:1]] or [_file_of(e) for e in unreadable])
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "pia check-migrations", "version": __version__,
            "rules": [_sarif_rule(r, lang) for r in rule_ids]}},
        "invocations": [_invocation(unreadable, root)],
        "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri() + "/"}},
        "results": [_SENTINEL],
        # columns are counted in characters, not the UTF-16 units SARIF assumes
        "columnKind": "unicodeCodePoints",
    }
    if lang == "zh":  # the language of the run's messages (SARIF's default is en-US)
        run["language"] = "zh-CN"
    doc = {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return _streamed(doc, (_sarif_result(f, index[f.rule_id], lang, root)
                           for f in listed(findings)))
