"""Hostile-input-safe YAML with line numbers, for rulesets and ``pia.yaml``.

Rulesets and declarations arrive from users, and a bundle verifier re-reads them from bundles
made by someone else, so loading must be safe on hostile text: only PyYAML's SafeLoader
constructs scalars, aliases are refused (no "billion laughs"), duplicate keys are refused (the
silent last-one-wins of ``safe_load`` hides typos), and size and nesting depth are bounded.

The document is composed into nodes first, so every value's line is known; ``Document.line``
maps a JSON path (as produced by jsonschema's ``absolute_path``) to the line a reviewer edits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import stat
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from pia import interrupts
from pia.uri import scrub as scrub_uris

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000

Path = tuple[Any, ...]


class YamlProblem(Exception):
    """A YAML document cannot be accepted; carries the 1-based line when known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass
class Document:
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path | list[Any]) -> int | None:
        """The line of the value at ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


def _scalar(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        raise
    except Exception:  # noqa: BLE001 - 2026-02-30, "!!int abc", "!!int" all raise
        kind = node.tag.rsplit(":", 1)[-1]
        reason = ("not a calendar date (YYYY-MM-DD)" if kind == "timestamp"
                  else f"invalid {kind} value")
        raise YamlProblem(reason, node.start_mark.line + 1) from None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        raise YamlProblem("binary values are not allowed", node.start_mark.line + 1)
    if isinstance(value, float) and not math.isfinite(value):  # NaN and ∞ are not JSON
        raise YamlProblem("NaN and infinity are not allowed", node.start_mark.line + 1)
    return value


class _NoAliasLoader(yaml.SafeLoader):
    """Refuses an alias (``*ref``) where it is written: composed, it is the anchored node
    itself, whose line is the anchor's. Refuses nesting past MAX_DEPTH while composing, at
    the line of the node that goes too deep (PyYAML composes recursively, so 50,000 ``[``
    would otherwise end in a RecursionError that knows no line)."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise YamlProblem("YAML aliases (*ref) are not allowed", mark.line + 1)
        if self.depth > MAX_DEPTH:  # the root is composed at depth 0, as walk counts
            mark = self.peek_event().start_mark
            raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", mark.line + 1)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def parse(text: str) -> Document:
    """Parse one YAML document into plain JSON-like data plus a path → line map."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise YamlProblem(f"file larger than {MAX_BYTES} bytes")
    try:
        loader = _NoAliasLoader(text)
    except yaml.reader.ReaderError as err:  # a control character: name its line
        raise YamlProblem(f"unacceptable character #x{err.character:04x}",
                          text.count("\n", 0, max(err.position, 0)) + 1) from None
    try:
        try:
            root = loader.get_single_node()
        except yaml.reader.ReaderError as err:
            raise YamlProblem(f"unacceptable character #x{err.character:04x}",
                              text.count("\n", 0, max(err.position, 0)) + 1) from None
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            reason = " ".join(p for p in (err.context, err.problem) if p) or "invalid YAML"
            if "'\\t'" in (err.problem or "") or "tab character" in (err.problem or ""):
                reason += " (tabs are not allowed for indentation in YAML; indent with spaces)"
            raise YamlProblem(reason, mark.line + 1 if mark else None) from None
        except yaml.YAMLError as err:
            raise YamlProblem(f"invalid YAML: {type(err).__name__}") from None
        except RecursionError:  # PyYAML composes recursively: '[' * 1000 never reaches walk
            raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels") from None
        if root is None:
            return Document(None, {(): 1})
        doc = Document(None)
        seen: set[int] = set()

        def walk(node: yaml.Node, path: Path, depth: int) -> Any:
            line = node.start_mark.line + 1
            if depth > MAX_DEPTH:
                raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", line)
            if id(node) in seen:
                raise YamlProblem("YAML aliases (*ref) are not allowed", line)
            seen.add(id(node))
            if len(seen) > MAX_NODES:
                raise YamlProblem(f"more than {MAX_NODES} YAML nodes", line)
            doc.lines[path] = line
            if isinstance(node, yaml.MappingNode):
                if node.tag != "tag:yaml.org,2002:map":
                    raise YamlProblem(f"tag {node.tag} is not allowed", line)
                out: dict[str, Any] = {}
                for key_node, value_node in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        raise YamlProblem("YAML merge keys (<<) are not allowed", line)
                    if not isinstance(key_node, yaml.ScalarNode):
                        raise YamlProblem("mapping keys must be plain scalars",
                                          key_node.start_mark.line + 1)
                    key = str(_scalar(loader, key_node))
                    if key in out:
                        raise YamlProblem(f"duplicate key {key!r}", key_node.start_mark.line + 1)
                    out[key] = walk(value_node, (*path, key), depth + 1)
                    doc.lines.setdefault((*path, key), key_node.start_mark.line + 1)
                return out
            if isinstance(node, yaml.SequenceNode):
                if node.tag != "tag:yaml.org,2002:seq":
                    raise YamlProblem(f"tag {node.tag} is not allowed", line)
                return [walk(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
            try:
                return _scalar(loader, node)
            except YamlProblem as err:  # a value that cannot be read: name its path, as
                if path:                # schema errors do (accept/0/expires: ...)
                    err.reason = f"{'/'.join(map(str, path))}: {err.reason}"
                raise

        try:
            doc.data = walk(root, (), 0)
        except yaml.constructor.ConstructorError as err:
            mark = err.problem_mark
            raise YamlProblem(err.problem or "cannot construct value",
                              mark.line + 1 if mark else None) from None
        return doc
    finally:
        loader.dispose()


def read_utf8(path: Any, what: str, error: type[Exception]) -> str:
    """Read a YAML file's text, turning I/O and encoding failures into ``error``.

    A pipe (``--config <(envsubst < pia.yaml.in)``) is read too, but may never be written:
    waiting on it, Ctrl-C and SIGTERM end pia at once, where ``pia scan`` would otherwise
    hold them until its reading starts (``pia.interrupts``), which it never would."""
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        regular = True  # open says why
    try:
        with contextlib.nullcontext() if regular else interrupts.immediate(), \
                open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise error(f"cannot read {what} {path}: {err.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise error(f"{what} {path} is larger than {MAX_BYTES} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:  # where, for an editor to find the byte
        line = raw.count(b"\n", 0, err.start) + 1
        raise error(f"{path}:{line}: {what} is not UTF-8 (byte offset {err.start})") from None


def scrub(message: str) -> str:
    """Messages quote the offending value; a credential inside a URI never goes with it."""
    return scrub_uris(message)


def where(origin: str, line: int | None) -> str:
    return f"{origin}:{line}" if line else origin


@cache
def schema(name: str) -> dict[str, Any]:
    text = resources.files("pia").joinpath(f"schemas/{name}").read_text("utf-8")
    return json.loads(text)


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(name))


def _best(err: Any) -> Any:
    """For ``oneOf`` failures, explain with the branch the value was meant for: the one whose
    required keys it has (a condition with ``path`` is a comparison), else the deepest."""
    while err.context:
        options = err.context
        if err.validator == "oneOf" and isinstance(err.instance, dict):
            branches = err.schema["oneOf"]
            meant = [e for e in options
                     if isinstance(e.relative_schema_path[0], int)
                     and branches[e.relative_schema_path[0]].get("required")
                     and all(k in err.instance
                             for k in branches[e.relative_schema_path[0]]["required"])]
            options = meant or options
        err = max(options, key=lambda e: (len(e.absolute_path), e.validator != "type",
                                          -len(e.schema_path)))
    return err


_KINDS = {"boolean": "a boolean", "string": "a string", "integer": "an integer",
          "number": "a number", "array": "a list", "object": "a mapping", "null": "null"}


def _kind(value: Any) -> str:
    """What a value is, in words, without the value (``a string``, ``an integer``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _KINDS["boolean"]
    for name, types in (("integer", int), ("number", float), ("string", str),
                        ("array", list), ("object", dict)):
        if isinstance(value, types):
            return _KINDS[name]
    return type(value).__name__


def value_free(err: Any) -> str:
    """What is wrong with a value, said without echoing it (jsonschema's own messages quote
    the value)."""
    kind, limit = err.validator, err.validator_value
    if kind == "type":
        wanted = limit if isinstance(limit, list) else [limit]
        return (f"must be {' or '.join(_KINDS.get(t, t) for t in wanted)} "
                f"(got {_kind(err.instance)})")
    if kind == "enum":
        shown = ", ".join(json.dumps(v, ensure_ascii=False) for v in limit[:12])
        return f"must be one of {shown}{', …' if len(limit) > 12 else ''}"
    if kind == "required":
        return str(err.message)  # names the missing key, taken from the schema
    if kind in ("minLength", "minItems", "minProperties") and limit == 1:
        return "must not be empty"
    words = {
        "const": f"must be {json.dumps(limit, ensure_ascii=False)}",
        "pattern": f"does not have the expected form (pattern {limit})",
        "format": f"must be a valid {limit}",
        "minLength": f"must be at least {limit} characters long",
        "maxLength": f"must be at most {limit} characters long",
        "minItems": f"must have at least {limit} items",
        "maxItems": f"must have at most {limit} items",
        "minProperties": f"must have at least {limit} keys",
        "minimum": f"must be at least {limit}",
        "maximum": f"must be at most {limit}",
        "uniqueItems": "must not repeat an item",
        "contains": "has no item of the expected kind",
        "propertyNames": "has a key that is not allowed",
        "additionalProperties": "has a key that is not allowed",
    }
    return words.get(kind, f"is not allowed here ({kind} in the schema)")


def schema_problems(doc: Document, schema_name: str,
                    echo_values: bool = True) -> list[tuple[int | None, str]]:
    """Schema violations as (line, reason), in document order; the line of an unknown key is
    the key's own line. With ``echo_values=False`` (a declaration, which may hold a phone
    number typed in the wrong place) reasons never quote the offending value."""
    out = []
    validator = _validator(schema_name)
    for err in validator.iter_errors(doc.data):
        err = _best(err)
        path = list(err.absolute_path)
        reason = err.message if echo_values else value_free(err)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = set(err.schema.get("properties", {}))
            extra = sorted(k for k in err.instance if k not in allowed and not k.startswith("x-"))
            if extra:
                path = [*path, extra[0]]
                reason = f"unknown key {extra[0]!r}"
        where_ = "/".join(str(p) for p in err.absolute_path)
        out.append((doc.line(path), f"{where_ + ': ' if where_ else ''}{scrub(reason)[:300]}"))
    return sorted(out, key=lambda p: (p[0] or 0, p[1]))
