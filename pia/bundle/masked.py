"""Check ``samples-masked``: a signed bundle carries no raw value, and no message says one.

A signature proves who wrote a report, not that its producer masked what it should have: a
buggy or careless producer can sign a full resident ID into a sample, and the regulator who
receives the bundle would be handed it under a VALID verdict. So every sample (inventory and
findings) must be what ``pia.masking.mask`` makes of *some* value of its entity type, and
every fingerprint must be ``hmac-sha256:`` and 32 hex digits, as ``Fingerprinter`` writes it.

``mask`` is not idempotent (a masked ID no longer has an ID's shape), so "masked" is tested
by the way back: fill a sample's stars in again (with digits, or with a character of no
shape) and mask that; a masked sample comes back as it was, a raw value does not (``mask``
changes it). Failure messages quote a sample only masked (``shown``).

Free text (a finding's wording and evidence notes, a column's comment, a skipped or
not-evaluated reason) holds no resident ID, mobile, card or permit number: the scan masks
what a comment quotes, and the rest name kinds of data. Where a thing is (a path may be any
file's name), digests and fingerprints are not free text.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from pia.bundle.safezip import Refused, printable
from pia.masking import mask, mask_text, shaped_identifiers

CHECK = "samples-masked"
FINGERPRINT = re.compile(r"hmac-sha256:[0-9a-f]{32}")
#: what a star may have hidden: a digit (a leading 0 starts an area code, so also 1) or a
#: character no entity's shape admits (a value masked as one of unknown shape)
_FILLERS = ("0", "1", "#")


def _candidates(entity_type: str, sample: str) -> Iterable[str]:
    yield sample  # a value mask() leaves as it is (a one-character name)
    for filler in _FILLERS:
        yield sample.replace("*", filler)
    digits = sample.replace("*", "1")
    if entity_type == "CN_LANDLINE" and len(digits) > 12:  # an extension's digits follow
        yield digits[:12] + "转" + digits[12:]
    if entity_type == "CN_ADDRESS" and sample.endswith("***"):
        # an address keeps its first third (at most 6 characters) and then says ***
        prefix = sample[:-3]
        yield prefix + "#" * 2 * len(prefix) if prefix else "#"


def is_masked(entity_type: str, sample: Any) -> bool:
    """Whether ``sample`` is what ``mask(entity_type, ·)`` gives for some value."""
    if not isinstance(sample, str):
        return False
    if not sample.strip("*"):
        return True  # nothing but stars: says no more than a length
    return any(mask(entity_type, value) == sample for value in _candidates(entity_type, sample))


def shown(sample: Any, entity_types: Iterable[str] = ()) -> str:
    """A sample as a message may quote it: as it is when masked, else masked (with its
    entity type when it has one, else as a value of unknown shape)."""
    types = list(entity_types)
    if isinstance(sample, str) and any(is_masked(t, sample) for t in types or [""]):
        return printable(sample, 60)
    text = sample if isinstance(sample, str) else json.dumps(sample, ensure_ascii=False)
    return printable(mask(types[0] if len(types) == 1 else "", text), 60)


def mask_quoted(value: Any, entity_types: Iterable[str], under_samples: bool = False) -> Any:
    """``value`` (a JSON value a message quotes) with every string in a ``samples`` list, or
    every string when ``value`` is itself within one, shown masked."""
    types = list(entity_types)
    if isinstance(value, dict):
        return {k: mask_quoted(v, types, under_samples or k in ("samples", "sample"))
                for k, v in value.items()}
    if isinstance(value, list):
        return [mask_quoted(v, types, under_samples) for v in value]
    if under_samples and isinstance(value, str | int | float) and not isinstance(value, bool):
        masked = isinstance(value, str) and any(is_masked(t, value) for t in types or [""])
        return shown(value, types) if masked else f"<unmasked {shown(value, types)}>"
    return value


def evidence_types(evidence: Any, fallback: Iterable[str] = ()) -> list[str]:
    """The entity types a finding's evidence names (one, several, or counted by type)."""
    if not isinstance(evidence, dict):
        return list(fallback)
    named = [evidence.get("entity_type")] if isinstance(evidence.get("entity_type"), str) else []
    for key in ("entity_types", "by_entity_type"):
        if isinstance(evidence.get(key), list | dict):
            named += [t for t in evidence[key] if isinstance(t, str)]
    return list(dict.fromkeys(named)) or list(fallback)


def _where(item: dict[str, Any]) -> str:
    return printable(json.dumps(item.get("location"), ensure_ascii=False), 120)


#: what an entity type is named like (CN_MOBILE, EMAIL_ADDRESS, a plugin's TICKET_NO)
_ENTITY_NAME = re.compile(r"[A-Z][A-Z0-9_]{0,63}")


def entity_name(kind: Any) -> str:
    """An entity type as a message quotes it: a name shaped otherwise (a report edited to
    hold an ID number where the type belongs) is not repeated."""
    return kind if isinstance(kind, str) and _ENTITY_NAME.fullmatch(kind) else "<not a type name>"


def named_counts(counts: Any) -> Any:
    """A ``by_entity_type`` count as a message quotes it: keys through ``entity_name``."""
    if not isinstance(counts, dict):
        return counts
    return {entity_name(k): v for k, v in counts.items()}


def check(report: dict[str, Any]) -> str:
    """Check ``samples-masked`` over a report that passed ``report-schema``."""
    count = 0
    for index, item in enumerate(report["inventory"]):
        kind = item["entity_type"]
        evidence = item.get("evidence") or {}
        for n, sample in enumerate(evidence.get("samples") or []):
            if not is_masked(kind, sample):
                raise Refused(CHECK, f"inventory[{index}] ({entity_name(kind)} at "
                              f"{_where(item)}): evidence.samples[{n}] is not masked (masked: "
                              f"{shown(sample, [kind])})")
            count += 1
        for n, print_ in enumerate(evidence.get("fingerprints") or []):
            if not FINGERPRINT.fullmatch(print_):
                raise Refused(CHECK, f"inventory[{index}] ({entity_name(kind)} at "
                              f"{_where(item)}): evidence.fingerprints[{n}] is not "
                              "hmac-sha256: and 32 hex digits, as pia writes a fingerprint")
    everywhere = {item["entity_type"] for item in report["inventory"]}
    for index, finding in enumerate(report["findings"]):
        evidence = finding.get("evidence")
        samples = evidence.get("samples") if isinstance(evidence, dict) else None
        types = evidence_types(evidence, sorted(everywhere))
        for n, sample in enumerate(samples if isinstance(samples, list) else []):
            if not any(is_masked(t, sample) for t in types or [""]):
                raise Refused(CHECK, f"findings[{index}] ({printable(finding['rule_id'], 60)}): "
                              f"evidence.samples[{n}] is not masked (masked: "
                              f"{shown(sample, types)})")
            count += 1
    _check_free_text(report)
    return f"{count} samples masked"


#: identifiers that no free text in a report holds unmasked: a finding's title, observation
#: and remediation are copied from the ruleset, which names kinds of data, not anyone's; a
#: column's comment is written with the values it quotes masked; a reason or an evidence
#: note names a kind of problem. Emails, IPs and names are left out: a custom ruleset may
#: well give its DPO's address, and a comment may name its column's owner.
TEXT_IDENTIFIERS = frozenset({"CN_RESIDENT_ID", "CN_MOBILE", "CN_BANK_CARD", "CREDIT_CARD",
                              "CN_PASSPORT", "CN_HK_MACAO_PERMIT", "CN_TAIWAN_PERMIT"})
#: keys whose strings are no free text: where a thing is (a path may be any file's name),
#: what identifies it (digests, keyed fingerprints) and samples (held to the mask above)
_NOT_TEXT = frozenset({"location", "locations", "path", "source", "sources", "database",
                       "samples", "fingerprints", "fingerprint", "sha256"})


def _slots(container: Any, key: Any, where: str) -> Iterator[tuple[Any, Any, str]]:
    """(container, key, where) of every string in ``container[key]`` but those under
    ``_NOT_TEXT`` keys (walked iteratively: a report's nesting is bounded, but not by much)."""
    stack = [(container, key, where)]
    while stack:
        parent, name, at = stack.pop()
        node = parent.get(name) if isinstance(parent, dict) else parent[name]
        if isinstance(node, str):
            yield parent, name, at
        elif isinstance(node, dict):
            stack.extend((node, k, f"{at}.{printable(k, 40)}") for k in reversed(list(node))
                         if k not in _NOT_TEXT)
        elif isinstance(node, list):
            stack.extend((node, n, f"{at}[{n}]") for n in reversed(range(len(node))))


def _text_slots(report: dict[str, Any]) -> Iterator[tuple[Any, Any, str]]:
    """(container, key, where) of each free text string in the report."""
    for index, finding in enumerate(report["findings"]):
        rule = printable(finding.get("rule_id"), 60)
        for key in ("title", "observes", "remediation", "evidence"):
            yield from _slots(finding, key, f"findings[{index}] ({rule}): {key}")
    for index, item in enumerate(report["inventory"]):
        kind = entity_name(item.get("entity_type"))
        yield from _slots(item, "evidence", f"inventory[{index}] ({kind} at {_where(item)}): "
                                            "evidence")
    for index, fact in enumerate(report.get("facts") or []):
        yield from _slots(fact, "attributes", f"facts[{index}] (at {_where(fact)}): attributes")
    for name in ("skipped", "not_evaluated"):
        for index, entry in enumerate(report.get(name) or []):
            if isinstance(entry, dict):
                yield from _slots(entry, "reason", f"{name}[{index}]: reason")


def _free_texts(report: dict[str, Any]) -> dict[str, str]:
    """The report's free text, each distinct text with where it is first."""
    texts: dict[str, str] = {}
    for container, key, where in _text_slots(report):
        texts.setdefault(container[key], where)
    return texts


def free_text_masked(report: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``report`` with its free text's identifiers masked: what ``bundle show``
    may display of a report that failed this check (its samples are masked by the
    renderers; a comment or a reason is shown as written)."""
    report = copy.deepcopy(report)
    for container, key, _ in list(_text_slots(report)):
        container[key] = masked_text(container[key])
    return report


def _check_free_text(report: dict[str, Any]) -> None:
    """An identifier in free text (QA: a title 'Contact 13812345678' was rendered, signed and
    quoted raw; a column comment and a skipped reason holding a resident ID and a mobile
    verified VALID): refused, masked. A report holds thousands of such strings, each a
    line or a few: they are analysed in one engine call, not one call each."""
    texts = _free_texts(report)
    for (text, where), found in zip(texts.items(), identifiers_of(list(texts)), strict=True):
        if found:
            entity, start, end = found[0]
            raise Refused(CHECK, f"{where} holds a {entity} (masked: "
                          f"{mask(entity, text[start:end])}), which pia never writes there "
                          "unmasked")


def identifiers_of(texts: Sequence[str]) -> list[list[tuple[str, int, int]]]:
    """The ``TEXT_IDENTIFIERS`` in each of ``texts``: (entity type, start, end), in text
    order. All their lines go to the engine's ``analyze_lines`` at once: a match never
    crosses a newline, so a text's lines among other texts' find what the text alone
    finds (``analyze`` splits a long text so too), and each match is put back at its
    line's offset in its text. What has an identifier's shape but fails its check digit
    (``pia.masking.shaped_identifiers``) counts too: pia masks it wherever it writes text."""
    from pia.detection.engine import default_engine

    split = [text.split("\n") for text in texts]
    lines = [line for text_lines in split for line in text_lines]
    results = default_engine().analyze_lines(lines) if lines else []
    out, first = [], 0
    for text, text_lines in zip(texts, split, strict=True):
        found, offset = [], 0
        for line, matches in zip(text_lines, results[first:first + len(text_lines)],
                                 strict=True):
            found += [(m.entity_type, m.start + offset, m.end + offset) for m in matches
                      if m.entity_type in TEXT_IDENTIFIERS]
            offset += len(line) + 1
        first += len(text_lines)
        out.append(sorted({*found, *shaped_identifiers(text)}, key=lambda f: (f[1], -f[2])))
    return out


def _identifiers(text: str) -> list[tuple[str, int, int]]:
    """The ``TEXT_IDENTIFIERS`` in ``text`` (``identifiers_of``)."""
    return identifiers_of([text])[0]


def masked_text(text: str) -> str:
    """``text`` (a check's message) with every ``TEXT_IDENTIFIERS`` value in it masked: a
    check after ``samples-masked`` that quotes a report's entry (a not_evaluated reason, a
    finding's evidence) would otherwise repeat the raw value this check refused."""
    return mask_text(text, _identifiers(text))


def schema_problem(report: Any, problem: str) -> str:
    """A ``validation_errors`` line (``path: message``) fit to print: jsonschema starts its
    message with the failing value (``110101199402125972 is not of type 'string'``), which is
    masked when it is evidence, and withheld when it is an object or array (which may hold
    evidence)."""
    path, _, message = problem.partition(": ")
    instance: Any = report
    for part in path.split("/") if path != "(root)" else []:
        try:
            instance = instance[int(part) if isinstance(instance, list) else part]
        except (KeyError, IndexError, ValueError, TypeError):
            return problem
    quoted = repr(instance)
    if not (message.startswith(quoted) or quoted.startswith(message)):
        return problem
    rest = message[len(quoted):] if message.startswith(quoted) else " ..."
    if isinstance(instance, dict | list):
        return f"{path}: the value{rest}"
    if "evidence" in path.split("/"):
        return f"{path}: {shown(instance)!r}{rest}"
    return problem
