"""The report model: one JSON-able dict, the contract every renderer and the bundle rely on.

It is a plain dict (not classes) because it is the serialised contract itself: what a
renderer, a bundle verifier or a third-party script reads is exactly what is built here.
``validate_report`` checks it against ``pia/schemas/report.schema.json``.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from pia import __version__
from pia.errors import InputError
from pia.printable import undecodable_escaped

SCHEMA_ID = "pia-report/1"
SEVERITIES = ("info", "low", "medium", "high", "critical")

Report = dict[str, Any]


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def location_key(location: dict[str, Any]) -> tuple:
    """A total order over locations, so that reports are deterministic."""
    return tuple(sorted((k, json.dumps(v, sort_keys=True)) for k, v in location.items()))


def item_sort_key(item: dict[str, Any]) -> tuple:
    return (item["source"], location_key(item["location"]), item["entity_type"])


def new_report(
    sources: list[str],
    parameters: dict[str, Any],
    *,
    started: str | None = None,
) -> Report:
    return {
        "schema": SCHEMA_ID,
        "tool": {"name": "pia", "version": __version__},
        "scan": {
            "started": started or now_iso(),
            "finished": started or now_iso(),
            "complete": True,
            "sources": list(sources),
            "parameters": dict(parameters),
            "rulesets": [],
            "declaration": None,
        },
        "inventory": [],
        "facts": [],
        "findings": [],
        "not_evaluated": [],
        "skipped": [],
        "summary": {},
    }


def summarize(report: Report) -> dict[str, Any]:
    """Counts every format shows; stored in the report so all renderings agree."""
    by_entity = Counter(item["entity_type"] for item in report["inventory"])
    open_findings = [f for f in report["findings"] if f.get("status", "open") == "open"]
    by_severity = Counter(f["severity"] for f in open_findings)
    return {
        "sources": len(report["scan"]["sources"]),
        "inventory_items": len(report["inventory"]),
        "by_entity_type": dict(sorted(by_entity.items())),
        "findings": len(open_findings),
        "by_severity": {s: by_severity.get(s, 0) for s in SEVERITIES},
        "accepted": len(report["findings"]) - len(open_findings),
        "skipped": len(report["skipped"]),
    }


def finalize(report: Report, *, complete: bool = True) -> Report:
    """Sort everything into its canonical order and compute the summary."""
    report["inventory"].sort(key=item_sort_key)
    report["facts"].sort(key=lambda f: (f["kind"], f["source"], location_key(f["location"])))
    report["skipped"].sort(key=lambda s: (s["source"], location_key(s["location"]), s["reason"]))
    _mask_reasons(report["skipped"])
    report["scan"]["complete"] = complete
    report["scan"]["finished"] = now_iso()
    report["summary"] = summarize(report)
    return shown_text(report)


def _mask_reasons(skipped: list[dict[str, Any]]) -> None:
    """Mask the identifiers a skipped place's reason quotes: a driver's or a server's message
    may quote the value it failed on, and a report with a raw ID in it is one ``bundle
    create`` refuses to sign (``pia.bundle.masked``)."""
    from pia.bundle.masked import masked_text

    for entry in skipped:
        reason = entry.get("reason")
        if isinstance(reason, str) and sum(c.isdigit() for c in reason) >= 7:
            entry["reason"] = masked_text(reason)


_SURROGATE = re.compile("[\ud800-\udfff]")


def shown_text(value: Any) -> Any:
    """``value`` with every string that holds a lone surrogate rewritten as it is shown: a
    file name that is not UTF-8 (GBK bytes from a Windows upload) reaches Python as
    surrogate escapes, which no UTF-8 writer accepts; the name's non-ASCII bytes become
    ``\\xbf\\xcd…`` (``printable.undecodable_escaped``), as ``pia check-migrations`` names
    such files. Lists and dicts are rewritten
    in place (keys too); other values are returned as they are."""
    if isinstance(value, str):
        if _SURROGATE.search(value) is None:
            return value
        # other lone surrogates (a JSON ``\\ud800``) are no bytes of a name: written as such
        return undecodable_escaped(value).encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str | list | dict):
                value[i] = shown_text(item)
    elif isinstance(value, dict):
        for key in [k for k in value if isinstance(k, str) and _SURROGATE.search(k)]:
            value[shown_text(key)] = value.pop(key)
        for key, item in value.items():
            if isinstance(item, str | list | dict):
                value[key] = shown_text(item)
    return value


@cache
def report_schema() -> dict[str, Any]:
    text = resources.files("pia").joinpath("schemas/report.schema.json").read_text("utf-8")
    return json.loads(text)


#: schema violations collected at most: a bundle's report is untrusted input, and 100,000
#: empty inventory items (400 KB) made a million errors and took 4 GB to list them all
MAX_VALIDATION_ERRORS = 20


def validation_errors(report: Any) -> list[str]:
    """Schema violations as 'path: message' strings (empty when valid); the first
    ``MAX_VALIDATION_ERRORS`` found, in the order the validator walks the report.

    Formats are checked (``date-time``). A valid report is recognised by the compiled check
    (``_compiled``), which accepts exactly what jsonschema accepts and is some 20 times faster
    (20,000 findings and items: 9 s → under 1 s); only a report it rejects is walked by
    jsonschema, for the messages.
    """
    if _compiled()(report):
        return []
    from jsonschema import Draft202012Validator, FormatChecker

    validator = Draft202012Validator(report_schema(), format_checker=FormatChecker())
    errors = []
    for err in itertools.islice(validator.iter_errors(report), MAX_VALIDATION_ERRORS):
        path = "/".join(str(p) for p in err.absolute_path) or "(root)"
        errors.append(f"{path}: {_describe(err)[:200]}")
    return errors


def _describe(err: Any) -> str:
    """What is wrong, said from the schema's side: jsonschema's own message starts with the
    failing value (``'110101199003074514' is not one of ['critical', …]``), and a report that
    does not match may hold a raw value anywhere; keys and values of the schema are pia's own."""
    rule, expected = err.validator, err.validator_value
    if rule == "enum":
        return "is not one of " + ", ".join(map(str, expected))
    if rule == "type":
        return "is not of type " + " or ".join(
            f"'{kind}'" for kind in ([expected] if isinstance(expected, str) else expected))
    if rule == "required":  # "'source' is a required property": the schema's own name
        return str(err.message)
    if rule == "format":
        return f"is not a '{expected}'"
    if rule in ("additionalProperties", "unevaluatedProperties"):
        return "has a property the schema does not allow"
    if rule in ("pattern", "const", "minimum", "maximum", "minLength", "maxLength",
                "minItems", "maxItems", "exclusiveMinimum", "exclusiveMaximum"):
        return f"does not satisfy {rule} {json.dumps(expected, ensure_ascii=False)[:80]}"
    return f"does not satisfy {rule}"


def validate_report(report: Any, name: str = "report") -> None:
    errors = validation_errors(report)
    if errors:
        raise InputError(f"{name} does not match {SCHEMA_ID}: {errors[0]}")


Check = Callable[[Any], bool]
_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    # as jsonschema's Draft 2020-12: 1.0 is an integer
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
}
#: keywords that only annotate: they never make an instance invalid
_ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs", "default", "examples"}


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _compile(schema: Any, root: dict[str, Any], refs: dict[str, Check]) -> Check:
    """A predicate equal to ``Draft202012Validator(schema, format_checker=...).is_valid``
    for the keywords the report schema uses; any other keyword raises NotImplementedError
    (and jsonschema does all the work)."""
    if schema is True:
        return lambda v: True
    if schema is False:
        return lambda v: False
    checks: list[Check] = []
    for key, arg in schema.items():
        if key in _ANNOTATIONS:
            continue
        if key == "type":
            preds = [_TYPES[name] for name in ([arg] if isinstance(arg, str) else arg)]
            checks.append(lambda v, preds=preds: any(p(v) for p in preds))
        elif key in ("enum", "const"):
            allowed = arg if key == "enum" else [arg]
            if not all(isinstance(a, str | bool) for a in allowed):
                raise NotImplementedError(key)  # jsonschema's equality of other values
            strings = frozenset(a for a in allowed if isinstance(a, str))
            # a boolean equals only itself (jsonschema: true is not 1)
            flags = tuple(a for a in allowed if isinstance(a, bool))
            checks.append(lambda v, strings=strings, flags=flags: (
                isinstance(v, str) and v in strings) or any(v is f for f in flags))
        elif key == "required":
            names = tuple(arg)
            checks.append(lambda v, names=names: not isinstance(v, dict)
                          or all(n in v for n in names))
        elif key == "properties":
            props = {name: _compile(sub, root, refs) for name, sub in arg.items()}
            checks.append(lambda v, props=props: not isinstance(v, dict) or all(
                check(v[name]) for name, check in props.items() if name in v))
        elif key == "additionalProperties":
            if "patternProperties" in schema:
                raise NotImplementedError(key)
            known = frozenset(schema.get("properties", ()))
            extra = _compile(arg, root, refs)
            checks.append(lambda v, known=known, extra=extra: not isinstance(v, dict) or all(
                extra(v[k]) for k in v if k not in known))
        elif key == "items":
            each = _compile(arg, root, refs)
            checks.append(lambda v, each=each: not isinstance(v, list)
                          or all(each(x) for x in v))
        elif key in ("minItems", "maxItems"):
            bound, low = int(arg), key == "minItems"
            checks.append(lambda v, bound=bound, low=low: not isinstance(v, list)
                          or (len(v) >= bound if low else len(v) <= bound))
        elif key in ("minimum", "maximum"):
            bound, low = arg, key == "minimum"
            checks.append(lambda v, bound=bound, low=low: not _number(v)
                          or (v >= bound if low else v <= bound))
        elif key == "pattern":
            search = re.compile(arg).search
            checks.append(lambda v, search=search: not isinstance(v, str)
                          or search(v) is not None)
        elif key == "format":
            checks.append(lambda v, fmt=arg: _format_checker().conforms(v, fmt))
        elif key == "$ref":
            if not arg.startswith("#/$defs/"):
                raise NotImplementedError(arg)
            name = arg.removeprefix("#/$defs/")
            if name not in refs:
                refs[name] = lambda v: False  # a cycle: not in the report schema
                refs[name] = _compile(root["$defs"][name], root, refs)
            checks.append(lambda v, name=name: refs[name](v))
        else:
            raise NotImplementedError(key)
    if len(checks) == 1:
        return checks[0]
    return lambda v: all(check(v) for check in checks)


@cache
def _format_checker() -> Any:
    from jsonschema import FormatChecker

    return FormatChecker()


@cache
def _compiled() -> Check:
    """The report schema as one predicate, or (a keyword it cannot compile) a predicate that
    never accepts, so that jsonschema decides."""
    try:
        return _compile(report_schema(), report_schema(), {})
    except NotImplementedError:
        return lambda report: False


def load_report(path: str) -> Report:
    """Read and validate a saved report (``-`` for stdin). A UTF-8 BOM before it is no
    error: Windows editors and PowerShell's ``Out-File`` write one to a file they save.

    It is parsed as ``pia bundle verify`` parses a bundled one (``safezip.load_json``):
    NaN, duplicate keys and nesting past verify's depth are refused here too, so that no
    report is rendered or signed that verify would refuse, or that two parsers would read
    as two documents, and a deeply nested file is an error line, not a RecursionError."""
    import sys

    from pia.bundle.safezip import Refused, load_json

    try:
        if path == "-":  # bytes, as from a file; a stream of text only (a test's) as UTF-8
            stream = getattr(sys.stdin, "buffer", None)
            data = stream.read() if stream else sys.stdin.read().encode("utf-8")
        else:
            with open(path, "rb") as handle:
                data = handle.read()
    except OSError as err:
        raise InputError(f"cannot read report {path}: {err.strerror}") from None
    try:
        report = load_json(data.removeprefix(b"\xef\xbb\xbf"), "report", f"report {path}",
                           max_bytes=len(data))
    except Refused as err:
        raise InputError(err.reason) from None
    schema = report.get("schema") if isinstance(report, dict) else None
    later = re.fullmatch(r"pia-report/([0-9]{1,6})", schema) if isinstance(schema, str) else None
    if later and int(later[1]) > int(SCHEMA_ID.rpartition("/")[2]):
        raise InputError(f"report {path} is {schema}, made by a newer pia: this pia reads "
                         f"{SCHEMA_ID}; upgrade pia to read it")
    validate_report(report, f"report {path}")
    return report


#: the report's one JSON form: every writer (file, stdout, bundle) gives the same bytes
_ENCODER = json.JSONEncoder(ensure_ascii=False, indent=2, sort_keys=False)
_PIECE = 1 << 16  # characters per piece handed to a writer


def dump_pieces(report: Report) -> Iterator[str]:
    """The report's JSON in pieces of about 64 K characters, for writers that stream it.

    An indented dump is built by Python's pure-Python encoder out of one small string per
    token: held all at once (as ``json.dumps`` holds them before joining) they take several
    times the report's own memory, 350 MB more for a 48 MB report of 20,000 files. Pieces
    keep the transient cost at one piece.
    """
    tokens = itertools.chain(_ENCODER.iterencode(report), ("\n",))
    batches = iter(lambda: "".join(itertools.islice(tokens, 4096)), "")
    piece: list[str] = []
    size = 0
    for batch in batches:
        piece.append(batch)
        size += len(batch)
        if size >= _PIECE:
            yield "".join(piece)
            piece, size = [], 0
    if piece:
        yield "".join(piece)


def dumps(report: Report) -> str:
    """The report's JSON as one string (small reports; large ones go through ``dump_pieces``)."""
    return "".join(dump_pieces(report))


def dump_bytes(report: Report) -> bytes:
    """The report's JSON in UTF-8, without ever holding its tokens (see ``dump_pieces``)."""
    out = io.BytesIO()
    for piece in dump_pieces(report):
        out.write(piece.encode("utf-8"))
    return out.getvalue()
