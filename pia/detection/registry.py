"""The recognizer registry: built-ins from a tuple, third parties from entry points, users
from YAML in Presidio's recognizer format — never discovery by import side effect.

A user recognizer file looks exactly like Presidio's::

    recognizers:
      - name: EmployeeIdRecognizer
        supported_entity: EMPLOYEE_ID
        supported_language: zh          # or supported_languages: [zh, en]
        patterns:
          - {name: employee id, regex: "(?<![0-9A-Za-z])EMP[0-9]{6}(?![0-9A-Za-z])", score: 0.6}
        context: [工号, employee]
        negative_context: [订单]          # pia extension
        deny_list: [...]                  # Presidio's deny lists work too

Duplicate names fail at load time, with the file that defined them.
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parser
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

import regex as regex_module
import yaml
from presidio_analyzer import Pattern

from pia.detection.recognizer import DEFAULT_FLAGS, PiaPatternRecognizer
from pia.detection.recognizers.cn.address import CnAddressRecognizer
from pia.detection.recognizers.cn.bank_card import CnBankCardRecognizer
from pia.detection.recognizers.cn.health import CnHealthRecognizer
from pia.detection.recognizers.cn.hk_macao_permit import CnHkMacaoPermitRecognizer
from pia.detection.recognizers.cn.landline import CnLandlineRecognizer
from pia.detection.recognizers.cn.license_plate import CnLicensePlateRecognizer
from pia.detection.recognizers.cn.military_id import CnMilitaryIdRecognizer
from pia.detection.recognizers.cn.mobile import CnMobileRecognizer
from pia.detection.recognizers.cn.name import CnNameRecognizer
from pia.detection.recognizers.cn.passport import CnPassportRecognizer
from pia.detection.recognizers.cn.resident_id import CnResidentIdRecognizer
from pia.detection.recognizers.cn.taiwan_permit import CnTaiwanPermitRecognizer
from pia.detection.recognizers.cn.uscc import CnUsccRecognizer
from pia.detection.recognizers.credential import CredentialRecognizer
from pia.detection.recognizers.device_id import ImeiRecognizer
from pia.detection.recognizers.generic import (
    CreditCardRecognizer,
    EmailRecognizer,
    IpRecognizer,
)
from pia.detection.yaml_recognizer import YamlPatternRecognizer, as_regex_flags
from pia.errors import ConfigError
from pia.printable import printable

BUILTIN_RECOGNIZERS: tuple[type[PiaPatternRecognizer], ...] = (
    CnResidentIdRecognizer,
    CnMobileRecognizer,
    CnLandlineRecognizer,
    CnBankCardRecognizer,
    CnPassportRecognizer,
    CnHkMacaoPermitRecognizer,
    CnTaiwanPermitRecognizer,
    CnMilitaryIdRecognizer,
    CnLicensePlateRecognizer,
    CnUsccRecognizer,
    CnNameRecognizer,
    CnAddressRecognizer,
    CnHealthRecognizer,
    EmailRecognizer,
    IpRecognizer,
    CreditCardRecognizer,
    CredentialRecognizer,
    ImeiRecognizer,
)

LANGUAGES = ("zh", "en")
ENTRY_POINT_GROUP = "pia.recognizers"

#: what an entity type looks like (CN_RESIDENT_ID): reports and pi_categories name it
_ENTITY = re.compile(r"[A-Z][A-Z0-9_]*")

_YAML_KEYS = {
    "name", "supported_entity", "supported_language", "supported_languages", "patterns",
    "context", "negative_context", "deny_list", "deny_list_score", "version", "type",
    "enabled", "global_regex_flags",
}


@dataclass(frozen=True)
class RecognizerInfo:
    name: str
    entity: str
    languages: tuple[str, ...]
    source: str


class Registry:
    """All recognizers of one run, one instance per (recognizer, language)."""

    def __init__(self) -> None:
        self._by_name: dict[str, list[PiaPatternRecognizer]] = {}

    def add(self, recognizers: Sequence[PiaPatternRecognizer]) -> None:
        name = recognizers[0].name
        if name in self._by_name:
            raise ConfigError(f"{_defined_at(recognizers[0])}: recognizer {name!r} is already "
                              f"defined by {_defined_at(self._by_name[name][0])}")
        self._by_name[name] = list(recognizers)

    def recognizers(self, language: str | None = None) -> list[PiaPatternRecognizer]:
        return [
            r
            for group in self._by_name.values()
            for r in group
            if language is None or r.supported_language == language
        ]

    def info(self) -> list[RecognizerInfo]:
        return [
            RecognizerInfo(
                name,
                group[0].entity,
                tuple(r.supported_language for r in group),
                group[0].source,
            )
            for name, group in self._by_name.items()
        ]


def _defined_at(recognizer: PiaPatternRecognizer) -> str:
    """Where a recognizer comes from: ``file:line`` for a YAML one, else its source."""
    line = getattr(recognizer, "line", None)
    return f"{recognizer.source}:{line}" if line else recognizer.source


def _instances(cls: type[PiaPatternRecognizer], source: str) -> list[PiaPatternRecognizer]:
    return [cls(supported_language=lang, source=source) for lang in LANGUAGES]


def _third_party() -> Iterable[tuple[type[PiaPatternRecognizer], str]]:
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        cls = ep.load()
        if not (isinstance(cls, type) and issubclass(cls, PiaPatternRecognizer)):
            raise ConfigError(f"entry point {ep.name} ({ep.value}) is not a PiaPatternRecognizer")
        yield cls, f"entry point {ep.value}"


#: the ``re`` flags a YAML recognizer may ask for (Presidio's ``global_regex_flags``)
#: (a plain int: ``~`` of a ``RegexFlag`` inverts only the defined flags, so 4096 passed)
_YAML_FLAGS = int(re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE | re.VERBOSE | re.ASCII)


def _yaml_flags(entry: dict, where: str) -> int:
    """The flags a YAML recognizer compiles with: pia's, plus what it asks for.

    DOTALL is dropped: pia matches within a line, where there is no newline to cross.
    Presidio's own default (IGNORECASE | MULTILINE | DOTALL) applies only where asked for:
    pia's patterns spell their cases out.
    """
    raw = entry.get("global_regex_flags")
    if raw is None:
        return DEFAULT_FLAGS
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0 or raw & ~_YAML_FLAGS:
        raise ConfigError(f"{where}: 'global_regex_flags' must be a sum of re flags "
                          "(IGNORECASE 2, MULTILINE 8, DOTALL 16, UNICODE 32, VERBOSE 64, "
                          "ASCII 256)")
    return (raw & ~re.DOTALL) | DEFAULT_FLAGS


#: the largest repeat count a YAML pattern may write (``x{1000}``): a value of personal
#: information is far shorter, and larger counts make compiling take seconds (``{5000}``)
#: or for ever (``{1000000000}``, in Presidio's check with the ``regex`` module)
MAX_REPEAT = 1000
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
            sre_constants.POSSESSIVE_REPEAT)


def _largest_repeat(parsed: object) -> int:
    """The largest finite bound of any repeat in a parsed pattern (``sre_parse`` tree)."""
    largest = 0
    stack = [parsed]
    while stack:
        node = stack.pop()
        if isinstance(node, sre_parser.SubPattern):
            stack.extend(node.data)
        elif isinstance(node, list | tuple):
            if len(node) == 2 and node[0] in _REPEATS:
                low, high, _item = node[1]
                largest = max(largest, low, 0 if high == sre_constants.MAXREPEAT else high)
            stack.extend(node)
    return largest


#: a Unicode property (``\p{Han}``, ``\pL``, ``\P{…}``) or another escape, read a pair at a
#: time so that an escaped backslash (``\\p``) is no property
_ESCAPE = re.compile(r"\\(?:[pP](?:\{[^}]*\}|[A-Za-z])|.)", re.DOTALL)
#: a repeat count as any regex spells it (``{5000}``, ``{2,1000000000}``)
_COUNT = re.compile(r"\{\s*([0-9]+)\s*(?:,\s*([0-9]*)\s*)?\}")


def _shape(regex: str, flags: int) -> sre_parser.SubPattern | None:
    """The pattern as ``re`` parses it, each Unicode property read as one character (only
    ``regex``, which runs users' patterns, knows them), for the checks of its repeats and
    its width; None when it uses more that only ``regex`` knows."""
    def one_character(escape: re.Match[str]) -> str:
        return "." if escape[0][1] in "pP" else escape[0]

    try:
        return sre_parser.parse(_ESCAPE.sub(one_character, regex), flags)
    except (re.error, ValueError, OverflowError, RecursionError):
        return None


def _largest_count(regex: str) -> int:
    """The largest repeat count written in a pattern ``re`` cannot parse: read from its
    text, for ``regex`` would hang compiling a huge one before saying anything."""
    return max((int(count or 0) for counts in _COUNT.findall(regex) for count in counts),
               default=0)


def _yaml_patterns(raw: object, where: str, flags: int = DEFAULT_FLAGS,
                   lines: Sequence[str] = ()) -> list[Pattern]:
    """``lines``: each pattern's ``path:line: recognizer …`` prefix, where known."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: 'patterns' must be a list")
    patterns = []
    for i, item in enumerate(raw, 1):
        at = lines[i - 1] if i <= len(lines) else where
        if not isinstance(item, dict) or "regex" not in item:
            raise ConfigError(f"{at}: pattern {i} needs 'regex' (and 'name', 'score')")
        regex, name = item["regex"], item.get("name", f"pattern {i}")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{at}: pattern {i} 'name' must be a non-empty string")
        if not isinstance(regex, str):  # not str() of a list, of null ("None") or a number
            raise ConfigError(f"{at}: pattern {i} ({name!r}) 'regex' must be a string "
                              "(quote it)")
        try:
            # before anything compiles it: Presidio's check hangs on a huge repeat count
            shape = _shape(regex, flags)
            largest = _largest_count(regex) if shape is None else _largest_repeat(shape)
            if largest > MAX_REPEAT:
                raise ConfigError(f"{at}: pattern {i} ({name!r}) repeats something more than "
                                  f"{MAX_REPEAT} times: write a smaller count")
            # the module that runs it judges it (Presidio's too): ``\p{Han}`` is valid there
            compiled = regex_module.compile(regex, as_regex_flags(flags))
            # "" and .* match nothing, always: the engine drops empty matches
            if (compiled.match("") is not None if shape is None
                    else shape.getwidth()[0] == 0):
                raise ConfigError(f"{at}: pattern {i} ({name!r}) can match the empty string; "
                                  "a pattern must match at least one character")
        # ValueError: ASCII and UNICODE together
        except (regex_module.error, ValueError, OverflowError, RecursionError) as err:
            raise ConfigError(f"{at}: pattern {i} ({name!r}) is not a valid regex: "
                              f"{err}") from None
        score = _unit_score(item.get("score", 0.5), f"{at}: pattern {i} 'score'")
        patterns.append(Pattern(name, regex, score))
    return patterns


def _unit_score(value: object, what: str) -> float:
    """A score from YAML: a number in [0, 1]. ``true`` is refused, though Python counts it
    as 1: a boolean there is a slip (``score: yes``), not a score."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ConfigError(f"{what} must be a number in [0, 1]")
    return float(value)


def _string_list(entry: dict, key: str, where: str) -> list[str] | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return value


class _Lines:
    """Where each recognizer of a YAML file, and each of its patterns, starts (1-based)."""

    def __init__(self, text: str) -> None:
        self._entries: list[tuple[int, list[int]]] = []
        self.top = 1  # the line of the 'recognizers:' value, else of the document
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return
        if root is not None:
            self.top = root.start_mark.line + 1
        if not isinstance(root, yaml.MappingNode):
            return
        for key, value in root.value:
            if key.value == "recognizers":
                self.top = value.start_mark.line + 1
            if key.value != "recognizers" or not isinstance(value, yaml.SequenceNode):
                continue
            for item in value.value:
                patterns: list[int] = []
                for item_key, item_value in (item.value if isinstance(item, yaml.MappingNode)
                                             else []):
                    if (item_key.value == "patterns"
                            and isinstance(item_value, yaml.SequenceNode)):
                        patterns = [node.start_mark.line + 1 for node in item_value.value]
                self._entries.append((item.start_mark.line + 1, patterns))

    def entry(self, index: int) -> int | None:
        """The line of recognizer ``index`` (1-based), if known."""
        return self._entries[index - 1][0] if index <= len(self._entries) else None

    def patterns(self, index: int) -> list[int]:
        return self._entries[index - 1][1] if index <= len(self._entries) else []


def _at(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


def load_yaml_recognizers(path: str | Path,
                          shown: str | None = None) -> list[list[PiaPatternRecognizer]]:
    """Recognizers from a Presidio-format YAML file, one group (all languages) per entry;
    ``shown`` is the name messages give the file (else its path)."""
    source = Path(path)
    path = Path(shown) if shown else source
    try:
        text = source.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except OSError as err:
        raise ConfigError(f"cannot read recognizer file {path}: {err.strerror}") from None
    except UnicodeDecodeError as err:
        line = err.object.count(b"\n", 0, err.start) + 1
        raise ConfigError(f"{path}:{line}: recognizer file is not UTF-8 (byte offset "
                          f"{err.start})") from None
    except (yaml.YAMLError, RecursionError) as err:
        mark = getattr(err, "problem_mark", None)
        at = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{at}: not valid YAML") from None
    lines = _Lines(text)
    if not isinstance(data, dict) or not isinstance(data.get("recognizers"), list):
        raise ConfigError(f"{path}:{lines.top}: expected a top-level 'recognizers:' list")
    groups = []
    for index, entry in enumerate(data["recognizers"], 1):
        where = f"{_at(path, lines.entry(index))}: recognizer {index}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: must be a mapping")
        unknown = sorted(set(entry) - _YAML_KEYS)
        if unknown:
            raise ConfigError(f"{where}: unknown key {unknown[0]!r}")
        enabled = entry.get("enabled", True)
        if not isinstance(enabled, bool):  # "no" in quotes is a string, and true
            raise ConfigError(f"{where}: 'enabled' must be true or false")
        if not enabled:
            continue
        entity = entry.get("supported_entity")
        name = entry.get("name")
        if not (isinstance(entity, str) and entity.strip() and isinstance(name, str)
                and name.strip()):
            raise ConfigError(f"{where}: 'name' and 'supported_entity' are required, "
                              "non-empty strings")
        where = f"{_at(path, lines.entry(index))}: recognizer {name!r}"
        if not _ENTITY.fullmatch(entity):  # reports and pi_categories name it as written
            raise ConfigError(f"{where}: 'supported_entity' {printable(entity, 60)!r} must be "
                              "an entity name: capital letters, digits and _, starting with a "
                              "letter (EMPLOYEE_ID)")
        langs = _languages(entry, where)
        flags = _yaml_flags(entry, where)
        patterns = _yaml_patterns(entry.get("patterns"), where, flags, [
            f"{_at(path, line)}: recognizer {name!r}" for line in lines.patterns(index)])
        deny_list = _string_list(entry, "deny_list", where)
        deny_list_score = _unit_score(entry.get("deny_list_score", 1.0),
                                      f"{where}: 'deny_list_score'")
        if not patterns and not deny_list:
            raise ConfigError(f"{where}: needs 'patterns' or 'deny_list'")
        try:
            group = [YamlPatternRecognizer(
                supported_language=lang,
                supported_entity=entity,
                name=name,
                patterns=patterns,
                context=_string_list(entry, "context", where) or [],
                negative_context=_string_list(entry, "negative_context", where) or [],
                deny_list=deny_list,
                deny_list_score=deny_list_score,
                regex_flags=flags,
                source=str(path),
                line=lines.entry(index),
            ) for lang in langs]
        except (ValueError, TypeError) as err:  # what Presidio itself refuses
            raise ConfigError(f"{where}: {err}") from None
        groups.append(group)
    return groups


def _languages(entry: dict, where: str) -> list[str]:
    """``supported_languages`` (a list), else ``supported_language`` (one), else zh."""
    if entry.get("supported_languages") is not None:
        langs = entry["supported_languages"]
        if not isinstance(langs, list) or not langs:
            raise ConfigError(f"{where}: 'supported_languages' must be a list of languages "
                              f"among {', '.join(LANGUAGES)}")
    else:
        langs = [entry.get("supported_language", "zh")]
    if not all(isinstance(lang, str) and lang in LANGUAGES for lang in langs):
        raise ConfigError(f"{where}: languages must be among {', '.join(LANGUAGES)}")
    return langs


def build_registry(recognizer_files: Sequence[str | Path] = (), *, plugins: bool = True,
                   labels: Mapping[str, str] | None = None) -> Registry:
    """Built-in, plugin and YAML recognizers; ``labels`` names a YAML file read from a copy
    (a worker's) by the path the user gave, in the recognizers' source and messages."""
    registry = Registry()
    for cls in BUILTIN_RECOGNIZERS:
        registry.add(_instances(cls, "builtin"))
    if plugins:
        for cls, source in _third_party():
            registry.add(_instances(cls, source))
    for path in recognizer_files:
        for group in load_yaml_recognizers(path, (labels or {}).get(str(path))):
            registry.add(group)
    return registry
