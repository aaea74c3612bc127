"""Fields of a file that name personal information its values cannot show.

A password, a pair of coordinates, a religion or a birth date looks like any other string,
number or date: no recognizer can tell ``P@ssw0rd123`` or ``39.904211`` from the text around
it. A database column holding them is known by its name (``password``, ``纬度``, ``zjxy``,
``csrq``); the same data in a CSV export, a JSON log or a ``password=...`` log line is known
the same way. The names are classified with the database connector's vocabulary
(``pia.detection.metadata.classify_name``) and the types so decided are those the database
connector lets a name decide alone (``connectors.db.classify.METADATA_SUFFICES``) that no
recognizer of the engine finds in values; each value under such a name counts as that type,
with its shape (masked, hashed, ciphertext) deciding its protection as a column's does.

Where the names come from:

- CSV/TSV headers and JSON keys (the leaf's own key), every name the vocabulary knows, as for
  a column;
- ``key=value``, ``key：value``, ``key:value``, ``"key": value`` and ``密码: value`` pairs in
  log lines (JSON embedded in a log line, URL query strings), but not names known only by two
  pinyin initials (``sr`` 生日, ``mm`` 密码, ``jd`` 经度), which free text writes for other
  things too. ``password: x``, an English word and a space after an ASCII colon, is prose as
  often as a field and is not read; nor is a value in brackets (``password=[FILTERED]``).
  A line is looked at only when it holds one of the vocabulary's terms for these types (one
  search over a batch of lines, see ``log_pairs``); lines longer than a scan window (1 MiB)
  are not looked at.

What a value that holds nothing is (empty, ``null``, ``true``/``false``, zeros, a MySQL zero date
``0000-00-00``) is skipped, and a redaction marker (``[FILTERED]``, ``<redacted>``) counts as
masked. A template's placeholder stands for a value it does not hold and is skipped too
(``${DB_PASSWORD}``, ``$DB_PASS``, ``%s``, ``{}``, ``{{ pw }}``, ``#{password}``, ``<password>``).
A name can name a setting or a metric about the data (``password_policy=strict``,
``lat_ms=12``), so a value must also look like what the name says: a password is not a flag or
a setting's word (``yes``, ``on``, ``enabled``, ``unknown``, ``strict``, ``weak``) nor one or
two characters nor an absolute path (``"pwd": "/app"``, a working directory), a Jasypt
``ENC(..)`` value is read whole (its shape says ciphertext), a birth date is not such a word
either, and a coordinate is a decimal number
of degrees in range (``39.904211``, ``116.407396E``, ``39°54'15"N``) or a pair of them
(``39.904211,116.407396``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache, lru_cache
from itertools import accumulate
from typing import Any

from pia.connectors.db.classify import METADATA_SUFFICES
from pia.detection import hs_cache
from pia.detection.checksums import luhn_valid
from pia.detection.coordinates import COORDINATE_TERMS, coordinate
from pia.detection.metadata import MetadataMatch, classify_name, vocabulary
from pia.detection.recognizers.device_id import IMEI

try:  # pragma: no cover - depends on the platform's wheels
    import hyperscan
except ImportError:  # pragma: no cover
    hyperscan = None

#: names in free log text need more than two pinyin initials (``SCORE_SHORT_INITIALS``)
LOG_KEY_SCORE = 0.75
#: a field name longer than this is not taken as one
MAX_KEY = 64
#: a value is counted (masked and fingerprinted) on at most this many characters
MAX_VALUE = 256

_NOT_VALUES = frozenset({"", "null", "none", "nil", "undefined", "true", "false", "-", "--",
                         "n/a", "na", "[]", "{}"})
#: zeros, and a zero date or time (MySQL writes ``0000-00-00 00:00:00`` for "no date")
_ZEROS = re.compile(r"[-+]?0*\.?0*|0+(?:[-/.:\sT]0+)+Z?")
#: a template's placeholder for a value: ``${VAR}``, ``$VAR``, ``$var``, ``#{field}``, ``%s``,
#: ``%(name)s``, ``{}``, ``{0}``, ``{name}``, ``{{ name }}``, ``{% tag %}``, ``<password>``
_PLACEHOLDER = re.compile(
    r"[$#]\{[^{}]*\}|\$(?:[A-Z_][A-Z0-9_]*|[a-z_]+)"
    r"|%(?:\([^()]*\))?[-+ #0]*\d*(?:\.\d+)?[sdifrxXvqo]"
    r"|\{\w*(?:[.:!][^{}]*)?\}|\{\{[^{}]*\}\}|\{%[^{}]*%\}|<[\w .\-]+>")
#: what a flag or a setting's level says: no password or birth date is written so
_SETTING_WORDS = frozenset({
    "yes", "no", "y", "n", "on", "off", "enabled", "disabled", "enable", "disable", "unknown",
    "ok", "set", "unset", "not set", "required", "optional", "none", "strict", "weak", "strong",
    "medium", "low", "high", "normal", "valid", "invalid", "expired", "changed", "reset",
    "active", "inactive", "locked", "unlocked", "visible", "shown",
    "是", "否", "开", "关", "开启", "关闭", "启用", "禁用", "未知", "已设置", "未设置",
    "强", "中", "弱", "有", "无"})
_REDACTED = frozenset({"redacted", "filtered", "protected", "hidden", "masked", "removed",
                       "omitted", "sensitive", "private"})

#: a ``key=value`` pair: the key (a word, quoted or not) not glued to what precedes it; then
#: ``=`` or a full-width colon (spaces after them only when no ``key=`` follows: ``pwd=
#: user=x`` holds no password), an ASCII colon without a space, or any colon after a quoted or
#: Chinese key; the value quoted, or up to a space or a delimiter (a template's placeholder
#: whole: ``${DB_PASSWORD}``, ``#{pwd}``, ``{{ pw }}``, which ``field_value`` skips)
_PAIR = re.compile(
    r"""(?<![\w.\-])(["']?)([^\W\d][\w.\-]{0,63})\1"""  # MAX_KEY characters at most
    r"""(?:\s*[=＝：](?:\s+(?![^\s"'=:：]+\s*[=:：]))?|:(?!\s)|(?<=["'\u4e00-\u9fff]):\s*)"""
    r"""(?:"([^"\n]*)"|'([^'\n]*)'|((?:[$#]\{[^{}\s]*\}|\{\{[^{}\n]*\}\}|ENC\([^()\s]*\))"""
    r"""[^\s"',;&<>(){}\[\]|，；、。]*|[^\s"',;&<>(){}\[\]|，；、。]+))""")


#: types a recognizer finds only in labelled forms (an ``Authorization`` header, a URI's
#: password, an IMEI beside its label), never as a bare value: a field's name decides them
#: whatever the engine holds
LABELLED_ONLY = frozenset({"CREDENTIAL", "DEVICE_ID"})


def field_types(engine: Any) -> frozenset[str]:
    """The types a field's name decides alone: those a name decides for a database column
    that no recognizer of ``engine`` finds in bare values."""
    recognized = {getattr(rec, "entity", None) for rec in getattr(engine, "recognizers", [])}
    return frozenset(METADATA_SUFFICES - (recognized - LABELLED_ONLY))


@lru_cache(maxsize=8192)
def _matches(key: str) -> tuple[MetadataMatch, ...]:
    return tuple(classify_name(key)) if len(key) <= MAX_KEY else ()


def field_match(key: str, types: frozenset[str], min_score: float = 0.0) -> MetadataMatch | None:
    """What ``key`` names among ``types`` (the strongest match), if anything."""
    for match in _matches(key):
        if match.entity_type in types and match.score >= min_score:
            return match
    return None


def field_value(value: str, entity: str | None = None, term: str | None = None
                ) -> str | None:
    """The value as counted under a field naming ``entity`` by ``term`` (the vocabulary's
    word the name matched), or None when it holds nothing (or nothing of ``entity``)."""
    value = value.strip()
    lower = value.lower()
    if lower in _NOT_VALUES or _ZEROS.fullmatch(value):
        return None
    if _PLACEHOLDER.fullmatch(value) and not redacted(value):
        return None
    if entity == "PRECISE_LOCATION" and not coordinate(value) and (
            term is None or term in COORDINATE_TERMS or value.isdigit() and len(value) <= 3):
        return None  # a lodging or trip record is words; a coordinate field holds degrees
    if entity in ("CREDENTIAL", "DATE_OF_BIRTH") and lower in _SETTING_WORDS:
        return None
    if entity == "CREDENTIAL" and (len(value) <= 2 or _PATH.fullmatch(value)):
        return None
    if entity in _FREE_TEXT and value.isdigit() and len(value) <= 3:
        return None  # a count (pia's own report tallies entity types), not a face or a faith
    if entity == "BIOMETRIC" and all(_DIGEST.fullmatch(v) for v in _LIST.split(value) if v):
        return None
    if entity == "DATE_OF_BIRTH" and not _DATE_LIKE.search(value):
        return None
    if entity == "DEVICE_ID" and _IMEI.fullmatch(value) and luhn_valid(value.replace("-", "")):
        return None  # the engine finds an IMEI beside its key's label: counted once, there
    return value[:MAX_VALUE]


_IMEI = re.compile(IMEI)


#: types whose values are words or templates: a short number under their key is a count (pia's
#: own report tallies entity types), not a face, a faith or a record. A status is kept: its
#: code (``marital_status=2``) is the status
_FREE_TEXT = frozenset({"BIOMETRIC", "RELIGION", "FINANCIAL_RECORD", "CRIMINAL_RECORD"})


#: what a birth date holds: a year, eight digits or more (19900307, an epoch), a month and a
#: day (3月7日, 03-07) or a month's name; a count under a DATE_OF_BIRTH key (pia's own
#: report tallies entity types) or a word is none
_DATE_LIKE = re.compile(
    r"(?<![0-9])(?:1[89]|20)[0-9]{2}(?![0-9])|[0-9]{8}|(?<![0-9])[0-9]{1,2}\s*[-/.月]\s*[0-9]{1,2}"
    r"|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*[0-9]")


_LIST = re.compile(r"[,;\s]+")
#: a digest as logs and tools print one (``SHA256:uNi…``, ``ab:cd:…``, 40 or 64 hex digits,
#: pia's ``hmac-sha256:…``): under a ``fingerprint`` key it is a key's or a file's, not a
#: finger's; a biometric template is far longer than any digest
_DIGEST = re.compile(
    r"(?i:(?:sha(?:1|224|256|384|512)?|md5|sm3|hmac-sha256)[:=])[A-Za-z0-9+/=:]{8,}"
    r"|[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){7,63}"
    r"|[0-9A-Fa-f]{16}|[0-9A-Fa-f]{32}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{56}|[0-9A-Fa-f]{64}"
    r"|[0-9A-Fa-f]{96}|[0-9A-Fa-f]{128}")


#: an absolute path (``pwd: /app``, the working directory a Go or shell log dumps): not a secret
_PATH = re.compile(r"/(?:[\w.\-]+/?)*|[A-Za-z]:\\[\w.\\\-]*")


def redacted(value: str) -> bool:
    """A redaction marker a logger writes for a secret (``[FILTERED]``, ``<redacted>``)."""
    return value.strip("[]<>()*_- ").lower() in _REDACTED


def _terms(types: frozenset[str]) -> tuple[list[str], list[tuple[str, ...]]]:
    """What a name of ``types`` holds (lower case): a Chinese keyword anywhere, or a term's
    tokens (a single token when the term is one word: ``zuobiao`` is ``zuo biao`` joined)."""
    vocab = vocabulary()
    chinese = sorted({keyword for keyword, entity in vocab.zh if entity in types})
    seqs = {seq for seq, (entity, score, _term) in vocab.tokens.items()
            if entity in types and score >= LOG_KEY_SCORE}
    seqs |= {(term,) for term, (entity, _score, _t) in vocab.exact.items() if entity in types}
    joined = {"".join(seq) for seq in seqs if len(seq) > 1}
    return chinese, sorted(seq for seq in seqs if len(seq) > 1 or seq[0] not in joined)


def _alternation(words: list[str]) -> str:
    """A regex matching any of ``words`` (NUL stands for an optional separator between a
    term's tokens), factored as a trie so that a search tries few branches per character;
    a word that is a prefix of another ends it (a prefix is enough to look at a line)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        if "" in node:
            return ""
        branches = [(_SEPARATOR if char == "\0" else re.escape(char)) + render(node[char])
                    for char in sorted(node)]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return render(trie)


_SEPARATOR = r"[_.\-]?"


@cache
def _trigger(types: frozenset[str]) -> re.Pattern[str] | None:
    """The terms of ``types`` in a lower-cased text (the fallback without Hyperscan)."""
    chinese, seqs = _terms(types)
    words = chinese + ["\0".join(seq) for seq in seqs]
    return re.compile(_alternation(words)) if words else None


@cache
def _database(types: frozenset[str]) -> hs_cache.Compiled | None:
    """A Hyperscan database of the terms of ``types``, or None without Hyperscan. An ASCII
    term must start where a name's token can (after a character that is no letter or digit,
    or as a capital: ``userLat``), so the ``lat`` of ``plate`` does not send a line to be
    parsed. Compiled once per process, cached per user as the engine's database is."""
    chinese, seqs = _terms(types)
    if hyperscan is None or not (chinese or seqs):
        return None
    expressions = [re.escape(word).encode() for word in chinese]
    for seq in seqs:
        body = _SEPARATOR.join(re.escape(token) for token in seq)
        first = body[0]
        expressions.append(f"(?:(?:^|[^A-Za-z0-9])[{first}{first.upper()}]|{first.upper()})"
                           f"(?i:{body[1:]})".encode())
    flags = hyperscan.HS_FLAG_MULTILINE
    return hs_cache.compile_cached(
        ["files-fields", expressions, flags],
        lambda: ({}, expressions, list(range(len(expressions))), [flags] * len(expressions)))[1]


def _scan(database: hs_cache.Compiled, data: bytes) -> list[int]:
    """Where (byte offsets of their ends) the terms are in ``data``."""
    ends: list[int] = []
    database.scan(data, lambda _id, _from, to, _flags, _ctx: ends.append(to))
    return ends


def _hit_lines(lines: list[str], types: frozenset[str]) -> list[int]:
    """Indexes of the lines that hold a term of ``types``, in order."""
    database = _database(types)
    if database is None:
        return _hit_lines_re(lines, types)
    data = "\n".join(lines).encode("utf-8", "replace")
    ends = _scan(database, data)
    if not ends:
        return []
    if data.count(b"\n") != len(lines) - 1:  # lines split at lone CRs may hold LFs
        return [i for i, line in enumerate(lines)
                if _scan(database, line.encode("utf-8", "replace"))]
    out: list[int] = []
    index = at = 0
    for end in sorted(ends):
        index += data.count(b"\n", at, end)
        at = end
        if not out or out[-1] != index:
            out.append(index)
    return out


def _hit_lines_re(lines: list[str], types: frozenset[str]) -> list[int]:
    trigger = _trigger(types)
    if trigger is None or not lines:
        return []
    text = ("\n".join(lines) if len(lines) > 1 else lines[0]).lower()
    found = trigger.search(text)
    if found is None:
        return []
    starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    if len(text) != starts[-1] + len(lines[-1]):  # lower() lengthened a rare letter (İ)
        return [i for i, line in enumerate(lines) if trigger.search(line.lower())]
    out = []
    while found is not None:
        index = bisect_right(starts, found.start()) - 1
        out.append(index)
        if index + 1 >= len(lines):
            break
        found = trigger.search(text, starts[index + 1])
    return out


def line_pairs(line: str, types: frozenset[str]) -> list[tuple[str, MetadataMatch, str]]:
    """(field name, what it names, value) of the pairs in one log line whose names name
    one of ``types``."""
    out = []
    for m in _PAIR.finditer(line):
        match = field_match(m[2], types, LOG_KEY_SCORE)
        if match is not None:
            value = m[3] if m[3] is not None else m[4] if m[4] is not None else m[5]
            out.append((m[2], match, value))
    return out


def log_pairs(lines: list[str],
              types: frozenset[str]) -> list[tuple[int, str, MetadataMatch, str]]:
    """(index in ``lines``, field name, what it names, value) of the ``key=value`` pairs of
    log lines whose names name one of ``types``. One search over the lines joined finds the
    few lines that hold a term; only those are parsed."""
    if not types or not lines:
        return []
    return [(index, key, match, value) for index in _hit_lines(lines, types)
            for key, match, value in line_pairs(lines[index], types)]
