"""Check ``samples-masked``: a signed bundle carries no raw value, and no message says one.

A signature proves who wrote a report, not that its producer masked what it should have: a
buggy or careless producer can sign a full resident ID into a sample, and the regulator who
receives the bundle would be handed it under a VALID verdict. So every sample (inventory and
findings) must be what ``pia.masking.mask`` makes of *some* value of its entity type, and
every fingerprint must be ``hmac-sha256:`` and 32 hex digits, as ``Fingerprinter`` writes it.

A sample that is such a mask still holds no identifier whole (``shaped_identifiers``: an
email's mask keeps its domain, which can be an ID number glued to hex letters); nor does a
digest hold between its letters a resident ID whose check digit holds.

``mask`` is not idempotent (a masked ID no longer has an ID's shape), so "masked" is tested
by the way back: fill a sample's stars in again (with digits, or with a character of no
shape) and mask that; a masked sample comes back as it was, a raw value does not (``mask``
changes it). Failure messages quote a sample only masked (``shown``).

No other string nor key of the report (a finding's wording and evidence notes, a column's
comment, a skipped or not-evaluated reason, a field the schema does not name) holds a
resident ID, mobile, card or permit number: the scan masks what a comment quotes, and the
rest name kinds of data. Where a thing is (a location's names, a source), digests and
fingerprints are not free text; a digest all of decimal digits holding an identifier is
refused. A name holding such a number is refused too, whatever rules engine (``tool.rules``)
the report claims: pia writes it masked in a name (``pia.masked_names``) since engine
``NAMES_MASKED_SINCE``, and a bundle that carries it raw hands the regulator the number all
the same. The claim is the producer's own word, so a report claiming an older engine (or
none) must not let a leak through that a current one would be refused for.
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
    if not isinstance(sample, str) or not sample:
        # pia masks values it found, never an empty one: an empty sample is a value lost
        # (QA: a name's full-width digits were dropped so), not one that was masked
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


def _versions_shaped(report: dict[str, Any], manifest: dict[str, Any] | None) -> None:
    """The pia versions a report and a manifest name have a version's shape (QA Q2 B9: a
    ``tool.version`` of 0.0.1- and a resident ID was signed, and quoted by messages)."""
    tool = report.get("tool") if isinstance(report.get("tool"), dict) else {}
    named = [("tool.version", tool.get("version"))]
    if manifest is not None:
        for section, key in (("tool", "version"), ("report", "tool_version")):
            part = manifest.get(section)
            named.append((f"manifest.json {section}.{key}",
                          part.get(key) if isinstance(part, dict) else None))
    for where, version in named:
        if not isinstance(version, str) or not VERSION.fullmatch(version):
            raise Refused(CHECK, f"{where} is not a version as pia writes one (0.1.0)")


def count_difference(key: str, recorded: Any, derived: Any) -> str:
    """How a summary's count differs from the report's (``summary.by_severity.critical is 2
    but the report holds 1``): a severity, a closed vocabulary, is named as it is (QA Q2 B3:
    it was hidden as ``<not a type name>``, as an entity type shaped otherwise is)."""
    from pia.report import SEVERITIES

    if isinstance(recorded, dict) and isinstance(derived, dict):
        for name in [*derived, *recorded]:
            if recorded.get(name) != derived.get(name):
                shown = name if key == "by_severity" and name in SEVERITIES else entity_name(name)
                return (f"summary.{key}.{shown} is {_count(recorded.get(name))} but the report "
                        f"holds {_count(derived.get(name))}")
    return f"summary.{key} is {_count(recorded)} but the report holds {_count(derived)}"


def _count(value: Any) -> str:
    return "absent" if value is None else printable(json.dumps(named_counts(value)), 60)


def _unmasked(sample: Any, types: list[str]) -> str:
    """What is wrong with a sample ``is_masked`` refused: empty (a value lost, of which the
    masked form would say nothing), or not masked, then quoted masked."""
    if sample == "":
        return "is empty, where pia writes a value's mask"
    return f"is not masked (masked: {shown(sample, types)})"


def check(report: dict[str, Any], manifest: dict[str, Any] | None = None) -> str:
    """Check ``samples-masked`` over a report that passed ``report-schema`` (and over the
    manifest that lists it, which repeats its scan and names pia's versions)."""
    _versions_shaped(report, manifest)
    count = 0
    for index, item in enumerate(report["inventory"]):
        kind = item["entity_type"]
        evidence = item.get("evidence") or {}
        for n, sample in enumerate(evidence.get("samples") or []):
            if not is_masked(kind, sample):
                raise Refused(CHECK, f"inventory[{index}] ({entity_name(kind)} at "
                              f"{_where(item)}): evidence.samples[{n}] "
                              f"{_unmasked(sample, [kind])}")
            _refuse_held(sample, f"inventory[{index}] ({entity_name(kind)} at {_where(item)}): "
                         f"evidence.samples[{n}]")
            count += 1
        for n, print_ in enumerate(evidence.get("fingerprints") or []):
            if not FINGERPRINT.fullmatch(print_) or _digest_holds_identifier(print_):
                raise Refused(CHECK, f"inventory[{index}] ({entity_name(kind)} at "
                              f"{_where(item)}): evidence.fingerprints[{n}] is not "
                              "hmac-sha256: and 32 hex digits of no identifier, as pia writes "
                              "a fingerprint")
    everywhere = {item["entity_type"] for item in report["inventory"]}
    for index, finding in enumerate(report["findings"]):
        evidence = finding.get("evidence")
        samples = evidence.get("samples") if isinstance(evidence, dict) else None
        types = evidence_types(evidence, sorted(everywhere))
        for n, sample in enumerate(samples if isinstance(samples, list) else []):
            if not any(is_masked(t, sample) for t in types or [""]):
                raise Refused(CHECK, f"findings[{index}] ({printable(finding['rule_id'], 60)}): "
                              f"evidence.samples[{n}] {_unmasked(sample, types)}")
            _refuse_held(sample, f"findings[{index}] ({printable(finding['rule_id'], 60)}): "
                         f"evidence.samples[{n}]")
            count += 1
    _check_free_text(report)
    if manifest is not None:
        _check_free_text(manifest, "manifest.json: ")
    _check_names(report)
    return f"{count} samples masked"


#: identifiers that no free text in a report holds unmasked: a finding's title, observation
#: and remediation are copied from the ruleset, which names kinds of data, not anyone's; a
#: column's comment is written with the values it quotes masked; a reason or an evidence
#: note names a kind of problem. Emails, IPs and names are left out: a custom ruleset may
#: well give its DPO's address, and a comment may name its column's owner.
TEXT_IDENTIFIERS = frozenset({"CN_RESIDENT_ID", "CN_MOBILE", "CN_BANK_CARD", "CREDIT_CARD",
                              "CN_PASSPORT", "CN_HK_MACAO_PERMIT", "CN_TAIWAN_PERMIT"})
#: the names of a location (README: "locations are where things are, and a file named by a
#: number is not refused"): only these keys of a location object, not any other it holds
_NAME_KEYS = frozenset({"database", "schema", "table", "column", "path", "member", "field",
                        "bucket", "key", "file"})
#: the report's sections whose entries name their source (a URI: a name, checked apart for
#: credentials by ``credentials``)
_SOURCED = frozenset({"inventory", "facts", "findings", "skipped"})
#: digests and keyed fingerprints as pia writes them (a finding's, a ruleset's, the key's id)
_DIGEST = re.compile(r"(?:hmac-sha256:)?([0-9a-f]{64}|[0-9a-f]{32}|[0-9a-f]{16})")
#: the mobile's shape within a run of digits (a digest's digits have no boundary to look for)
_MOBILE_DIGITS = re.compile(r"(?=(1[3-9][0-9]{9}))")
#: a version as pia writes one (PEP 440: 0.1.0, 1.2.0rc1, 0.2.dev3+g1a2b3c4.d20261201; a local
#: segment starts with a letter, and no part is long enough to hold an identifier)
VERSION = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,6}){0,3}(?:(?:a|b|rc|\.post|\.dev)[0-9]{1,6})*"
                     r"(?:\+[a-z][a-z0-9]{0,11}(?:\.[a-z][a-z0-9]{0,11}){0,3})?")


def _is_name(path: tuple[Any, ...]) -> bool:
    """Whether the string at ``path`` is where something is: a location's name, a source."""
    if len(path) >= 2 and path[-1] in _NAME_KEYS and path[-2] in ("location",):
        return True
    if len(path) >= 3 and path[-1] in _NAME_KEYS and path[-3] == "locations":
        return True
    if len(path) == 4 and path[0] == "facts" and path[2] == "attributes" \
            and path[3] in _NAME_KEYS:  # a log directory's path, a table's database
        return True
    if len(path) == 3 and path[0] in _SOURCED and path[2] == "source":
        return True
    return path[:2] == ("scan", "sources") or path == ("scan", "declaration", "path")


def _checked_apart(path: tuple[Any, ...]) -> bool:
    """Whether the strings under ``path`` are held to a shape of their own by ``check``:
    the samples (to the mask) and the inventory's fingerprints (to a fingerprint's)."""
    return len(path) >= 4 and path[0] in ("inventory", "findings") and path[2] == "evidence" \
        and (path[3] == "samples" or (path[0], path[3]) == ("inventory", "fingerprints"))


#: the fields whose integers are sizes, counts or a seed, as the schemas name them: 16 GiB
#: (17179869184) has a mobile's eleven digits, and a 15 GB dump's size is no person's number
#: (QA: ``--max-bytes 17179869184`` made the scan's own report unbundleable)
_QUANTITIES = frozenset({
    "size", "bytes_read", "bytes_decompressed", "object_size_greater_than",
    "object_size_less_than", "rows_read", "row_estimate", "distinct_estimate",
    "subjects_estimate", "deleted_rows", "count", "lines", "objects_listed",
    "objects_sampled", "objects_named", "past_grace_estimate", "unread"})


def _quantity(path: tuple[Any, ...]) -> bool:
    """Whether the integer at ``path`` is a quantity (``_QUANTITIES``) or a parameter the
    scan was given (``scan.parameters``: a sample size, a seed, byte and object limits)."""
    return path[-1] in _QUANTITIES or (len(path) == 3 and path[:2] == ("scan", "parameters"))


def _shown_path(path: tuple[Any, ...]) -> str:
    """``path`` as a message names it (a key is any text: masked, and printable)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{mask_text(printable(part, 40), [])}"
    return out.lstrip(".")


def _strings(report: dict[str, Any]) -> Iterator[tuple[Any, Any, tuple[Any, ...], bool]]:
    """(container, key, path, is_key) of every string in the report and every key of its
    objects, and of every integer long enough to be a number that identifies someone, but
    the names (``_is_name``) and what ``check`` holds to a shape apart (walked iteratively:
    a report's nesting is bounded, but not by much). Not a list of fields: a report edited
    to hold a field the schema does not name (QA Q2 B6: an inventory item's note, a fact's
    extra, ``tool.version``) is read as well."""
    stack: list[tuple[Any, Any, tuple[Any, ...]]] = [(report, k, (k,)) for k in reversed(report)]
    for key in report:
        yield report, key, (key,), True
    while stack:
        parent, name, path = stack.pop()
        if _checked_apart(path) or _is_name(path):
            continue
        node = parent[name]
        if isinstance(node, str) or (isinstance(node, int) and not isinstance(node, bool)
                                     and abs(node) >= 10 ** 10 and not _quantity(path)):
            yield parent, name, path, False
        elif isinstance(node, dict):
            for key in node:
                yield node, key, (*path, key), True
            stack.extend((node, k, (*path, k)) for k in reversed(list(node)))
        elif isinstance(node, list):
            stack.extend((node, n, (*path, n)) for n in reversed(range(len(node))))


#: the first rules engine (``tool.rules``) of a pia that writes a number identifying a person
#: masked in every name (a path, a key, a table, a source): its reports' names hold none raw
NAMES_MASKED_SINCE = 10


def _names(report: dict[str, Any]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(text, path) of every name of the report as ``pia.masked_names`` writes it masked: a
    location's names, a fact's attributes that are names, a source (the declaration's path,
    the user's own file, is not one of them)."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(report[k], (k,)) for k in report]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if _is_name(path) and path != ("scan", "declaration", "path"):
                yield node, path
        elif isinstance(node, dict):
            stack.extend((v, (*path, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*path, n)) for n, v in enumerate(node))


def _check_names(report: dict[str, Any]) -> None:
    """A name holding a resident ID, mobile, card, passport or permit number: refused, masked,
    whatever engine the report claims (a claim of engine 9 once let a raw ID through). A
    name is looked at one path segment at a time, as ``pia.masked_names`` masks it
    (``2026/01/13800138000.log``: the digits of ``2026/01`` do not run into the mobile's)."""
    places: dict[str, tuple[Any, ...]] = {}
    for text, path in _names(report):
        if any(c.isdigit() for c in text):
            for segment in text.split("/"):
                places.setdefault(segment, path)
    for (segment, path), found in zip(places.items(), identifiers_of(list(places)),
                                      strict=True):
        if found:
            entity, start, end = found[0]
            raise Refused(CHECK, f"{_shown_path(path)} holds a {entity} (masked: "
                          f"{mask(entity, segment[start:end])}), which a pia of rules engine "
                          f"{NAMES_MASKED_SINCE} or later writes masked in a name (a bundle "
                          "claiming an older engine carries the number all the same)")


def _refuse_held(sample: str, where: str) -> None:
    """Refuse a masked sample that still holds an identifier whole: a mask keeps the domain
    of an email, and ``x***@a3f110105199003071239bc.com`` is what ``mask`` makes of an
    address at such a domain. No mask pia writes keeps seven digits of a number (an ID's
    keeps 4 and 4), so what ``shaped_identifiers`` finds in a sample was put there."""
    found = _shaped_text_identifiers(sample)
    if found:
        raise Refused(CHECK, f"{where} holds a {found[0][0]} (masked: "
                      f"{printable(mask_text(sample, found), 60)}), which no mask keeps")


def _digest_holds_identifier(text: str) -> bool:
    """Whether a digest's digits are all decimal and hold a resident ID, a mobile or a card
    (QA Q2 B7: an ID padded with zeros to a fingerprint's 32 digits passed), or hold between
    its letters a resident ID whose check digit holds (``shaped_identifiers``: a digest of
    random data holds one fewer than once in ten million). A keyed digest is all decimal
    once in (16/10)**32, so this refuses no digest pia wrote."""
    from pia.detection.checksums import luhn_valid, resident_id_check_valid

    digits = text.removeprefix("hmac-sha256:")
    if not digits.isdecimal():
        return bool(shaped_identifiers(digits))
    windows = [digits[i:i + n] for n in (18, 16, 17, 19) for i in range(len(digits) - n + 1)]
    return bool(_MOBILE_DIGITS.search(digits)) or any(
        resident_id_check_valid(w) for w in windows if len(w) == 18) or any(
        w[0] in "3456" and luhn_valid(w) for w in windows)


def _text_of(container: Any, key: Any, is_key: bool) -> str:
    text = key if is_key else container[key]
    return text if isinstance(text, str) else str(text)


def _text_slots(report: dict[str, Any]) -> Iterator[tuple[Any, Any, bool, tuple[Any, ...]]]:
    """(container, key, is_key, path) of each string the report holds that may be free
    text (a digest is held to ``_digest_holds_identifier`` instead, by ``_free_texts``)."""
    for container, key, path, is_key in _strings(report):
        if not _DIGEST.fullmatch(_text_of(container, key, is_key)):
            yield container, key, is_key, path


def _free_texts(report: dict[str, Any]) -> dict[str, tuple[tuple[Any, ...], bool]]:
    """The report's free text, each distinct text with where it is first (path, is_key);
    a digest on the way is refused if its digits hold an identifier (one walk of the
    report for both)."""
    texts: dict[str, tuple[tuple[Any, ...], bool]] = {}
    for container, key, path, is_key in _strings(report):
        text = _text_of(container, key, is_key)
        if not _DIGEST.fullmatch(text):
            texts.setdefault(text, (path, is_key))
        elif _digest_holds_identifier(text):
            held = ("is all decimal digits holding an identifier"
                    if text.removeprefix("hmac-sha256:").isdecimal()
                    else "holds between its hex letters a resident ID whose check digit holds")
            raise Refused(CHECK, f"{_shown_path(path)} {held}, which is no digest pia writes")
    return texts


def free_text_masked(report: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``report`` with the identifiers of its every string and key masked but
    the names (``_strings``): what ``bundle show`` may display of a report that failed this
    check (its samples are masked by the renderers; a comment is shown as written)."""
    report = copy.deepcopy(report)
    slots = list(_text_slots(report))
    for container, key, is_key, _ in slots:
        if not is_key:
            container[key] = masked_text(_text_of(container, key, is_key))
    for container, key, is_key, _ in reversed(slots):  # the deepest first
        if is_key and masked_text(key) != key:
            items = [(masked_text(k) if k == key else k, v) for k, v in container.items()]
            container.clear()
            container.update(items)
    return report


def _check_free_text(report: dict[str, Any], document: str = "") -> None:
    """An identifier in free text (QA: a title 'Contact 13812345678' was rendered, signed and
    quoted raw; a column comment and a skipped reason holding a resident ID and a mobile
    verified VALID): refused, masked. A report holds thousands of such strings, each a
    line or a few: they are analysed in one engine call, not one call each."""
    texts = _free_texts(report)
    for (text, (path, is_key)), found in zip(texts.items(), identifiers_of(list(texts)),
                                             strict=True):
        if found:
            entity, start, end = found[0]
            where = _shown_path(path) + (" (a key)" if is_key else "")
            raise Refused(CHECK, f"{document}{where} holds a {entity} (masked: "
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
        out.append(sorted({*found, *_shaped_text_identifiers(text)},
                          key=lambda f: (f[1], -f[2])))
    return out


def _shaped_text_identifiers(text: str) -> list[tuple[str, int, int]]:
    """What has the shape of one of the ``TEXT_IDENTIFIERS`` in ``text``: a landline is
    masked wherever pia writes text (``mask_text``), but a ruleset may give its DPO's
    office number, as it may an email address."""
    return [f for f in shaped_identifiers(text) if f[0] in TEXT_IDENTIFIERS]


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


def shown_masked(value: Any) -> Any:
    """``value`` (what ``verify`` and ``show`` print of a bundle: the manifest's scope, the
    report, the declaration) with every ``TEXT_IDENTIFIERS`` value and identifier shape in
    every string and key masked as ``masked_text`` masks a failed check's message, and in a
    name one ``/`` segment at a time too, as ``pia.masked_names`` masks it. Whatever the
    bundle says and whatever its verdict: an invalid or unsigned bundle is the one most
    likely to hold what its checks refuse (QA: a forged manifest's sources, a path that
    ``samples-masked`` refused, were printed raw under the verdict that refused them). An
    integer long enough to be a number is shown as text, masked. Each distinct text is
    analysed once, all in one engine call."""
    from pia.printable import map_strings

    value = _long_numbers_as_text(value)
    texts: dict[str, None] = {}

    def collect(text: str) -> str:
        texts[text] = None
        return text

    map_strings(value, collect)
    shown = [t for t in texts if any(c.isdigit() for c in t) and not _is_digest(t)]
    pieces = {t: ([t] + (t.split("/") if "/" in t else [])) for t in shown}
    found = iter(identifiers_of([p for t in shown for p in pieces[t]]))
    masked: dict[str, str] = {}
    for text in shown:
        spans, offset = list(next(found)), 0
        for piece in pieces[text][1:]:
            spans += [(kind, start + offset, end + offset) for kind, start, end in next(found)]
            offset += len(piece) + 1
        masked[text] = mask_text(text, spans)
    return map_strings(value, lambda text: masked.get(text, text))


def _is_digest(text: str) -> bool:
    """A digest or keyed fingerprint pia writes (not all decimal digits: those may be a
    number, ``_digest_holds_identifier``), which is no text to mask."""
    return bool(_DIGEST.fullmatch(text)) and not text.removeprefix("hmac-sha256:").isdecimal()


def _long_numbers_as_text(value: Any) -> Any:
    """``value`` with each integer of ten digits or more as text (``_strings`` reads them so)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 10:
        return str(value)
    if isinstance(value, dict):
        return {k: _long_numbers_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_long_numbers_as_text(v) for v in value]
    return value


def declaration_identifier(data: Any, origin: str = "pia.yaml") -> str | None:
    """Where the declaration (as bundled: ``Declaration.redacted()``) holds a resident ID,
    mobile, card, passport or permit number, which kind, masked; else None. The declaration
    is the organisation's own text (a purpose, an accepted risk's reason and owner, an
    asset's path), bundled beside the report and shown by ``bundle show``: a number there
    reaches the regulator as surely as one in the report (QA: a purpose holding a resident ID
    and a mobile verified VALID). Digests (an accept entry's fingerprint) are not text."""
    if not isinstance(data, dict):
        return None
    texts: dict[str, tuple[Any, ...]] = {}
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:  # every string and key, names too: the declaration is all the user's text
        node, path = stack.pop()
        if isinstance(node, dict):
            stack += [(v, (*path, k)) for k, v in reversed(node.items())]
            stack += [(str(k), (*path, k)) for k in reversed(node)]
        elif isinstance(node, list):
            stack += [(v, (*path, n)) for n, v in reversed(list(enumerate(node)))]
        elif isinstance(node, str | int) and not isinstance(node, bool):
            text = str(node)
            if any(c.isdigit() for c in text) and not _is_digest(text):
                texts.setdefault(text, path)
    for (text, path), found in zip(texts.items(), identifiers_of(list(texts)), strict=True):
        if found:
            entity, start, end = found[0]
            return (f"{origin}: {_shown_path(path)} holds a {entity} (masked: "
                    f"{mask(entity, text[start:end])})")
    return None
