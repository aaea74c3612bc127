"""What a migration finding says, in the language asked for: a key of ``pia.reports.i18n``
(``mig:<key>``) plus parameters, never an English sentence translated afterwards.

Parameters are data (an entity type, a table and column, a masked value, what holds the
value); each is put into the sentence as the language writes it: the entity type by its
label (``居民身份证号码`` / ``a Resident ID number``), the place and the token by their own
keys. Identifiers (entity types, ``table.column``, SQL types, markers such as
``-- pia:encrypted``) and masked values are inserted as they are. Tibetan has no text here
yet and falls back to English, as the reports do.

What the user should know but is not a finding (a ``pia:ignore`` without a reason, a
baseline of an old version) is a ``Note``, said by ``warning_line`` in the same languages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pia.reports.i18n import Said, entity_label, protection_label, severity_label, t

#: words spelt with a vowel first but read with a consonant's sound ("a unified")
_A_EXCEPTIONS = re.compile(r"^(?:uni|use|usu|eu|one\b)", re.I)
#: first words of English entity labels that keep their capital mid-sentence: names of
#: peoples and places (``Chinese name``, ``Hong Kong/Macao permit number``)
_PROPER = frozenset({"Chinese", "Hong", "Macao", "Taiwan", "Taiwanese", "Tibetan", "China",
                     "Mainland"})
#: the English sentences that count, in the singular or plural each number calls for:
#: ``reports.i18n`` has them with ``(s)`` (``mig:summary``) or always plural
#: (``mig:baseline_updated``), and its ``counted`` plurals only its own nouns; Chinese needs
#: no plural and is said by ``t``
_COUNTED_EN = {"baseline_updated": "pia: baseline {path}: {count} accepted {findings}"}
_SUMMARY_EN = ("pia: {files} checked: {errors}, {warnings}, {suppressed} suppressed, "
               "{baselined} baselined")
_NOUNS_EN = {"files": ("file", "files"), "errors": ("error", "errors"),
             "warnings": ("warning", "warnings")}


def _counted(number: int, noun: str) -> str:
    """``1 file``, ``2 files``, ``0 errors``."""
    one, many = _NOUNS_EN[noun]
    return f"{number} {one if number == 1 else many}"


def mid_sentence(label: str) -> str:
    """An English entity label as a sentence says it after its first word: ``mobile
    number``, ``resident ID number``, ``email address``; an acronym (``IP address``) or a
    name (``Chinese name``, ``Hong Kong/Macao permit number``) keeps its capitals."""
    first = label.split(" ", 1)[0]
    if not first[:1].isupper() or any(c.isupper() for c in first[1:]) or first in _PROPER:
        return label
    return label[:1].lower() + label[1:]


def with_article(noun: str) -> str:
    """``an email address``, ``a resident ID number``, ``an IP address``, ``a unified ...``;
    a mass noun has none (``health data``)."""
    if noun.lower().endswith(" data"):
        return noun
    vowel = noun[:1].lower() in "aeiou" and not _A_EXCEPTIONS.match(noun)
    return f"{'an' if vowel else 'a'} {noun}"


def _lang(lang: str) -> str:
    return "zh" if lang == "zh" else "en"


def _values(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The parameters as ``lang`` writes them, plus the phrases made of them."""
    lang = _lang(lang)
    out: dict[str, Any] = dict(params)
    entity = params.get("entity")
    if entity:
        label = entity_label(entity, lang)
        out["label"] = mid_sentence(label) if lang == "en" else label
        out["a_label"] = with_article(out["label"]) if lang == "en" else out["label"]
        sensitive = params.get("sensitive")
        if sensitive is not None:
            out["why"] = t("mig:why_sensitive" if sensitive else "mig:why_general", lang)
    if params.get("document"):  # an image of the document, or its link: not its number
        out["label"] = out["a_label"] = t("mig:document_image", lang)
    if "table" in params:
        where = ".".join(p for p in (params["table"], params.get("column")) if p)
        if params.get("origin"):
            where += t("mig:copy_of", lang).format(origin=params["origin"],
                                                   column=params.get("column", ""))
        out["where"] = where
    if params.get("signal"):
        # by its name: the column's own name (``id_card``, ``sfzh``), not the vocabulary's
        # term it matched (``id card``, 身份证号), which the migration does not hold; by its
        # comment: the term, which the comment holds
        term = (params.get("column") if params["signal"] == "name" else None) or params.get(
            "term", "")
        out["how"] = t(f"mig:how:{params['signal']}", lang).format(term=term)
        # an English sentence names the PI with its article: "holds PI, a mobile number (..)"
        out["what"] = t("mig:what", lang).format(**{**out, "label": out["a_label"]})
    if params.get("type"):
        out["a_type"] = with_article(params["type"]) if lang == "en" else params["type"]
    if params.get("holder"):
        out["holder"] = t(f"mig:holder:{params['holder']}", lang)
    if params.get("token"):
        out["token"] = t(f"mig:token:{params['token']}", lang).format(word=params.get("word"))
    out["protection"] = protection_label("hashed_unsalted", lang)
    out["keyed"] = protection_label("hashed_keyed", lang)
    return out


def message(key: str, params: Mapping[str, Any], lang: str = "en") -> str:
    """The sentence ``mig:<key>`` says with ``params``, in ``lang`` (zh, en; bo → en)."""
    lang = _lang(lang)
    if lang == "en" and key in _COUNTED_EN:
        count = params.get("count")
        findings = "finding" if count == 1 else "findings"
        return _COUNTED_EN[key].format(**{"findings": findings, **params})
    return t(f"mig:{key}", lang).format(**_values(params, lang))


def summary_line(files: int, counts: Mapping[str, int], lang: str = "en") -> str:
    """``pia: 2 files checked: 1 error, 0 warnings, ...`` /
    ``pia：已检查 2 个文件：错误 1 个，...``."""
    lang = _lang(lang)
    if lang == "en":
        return _SUMMARY_EN.format(
            files=_counted(files, "files"), errors=_counted(counts["error"], "errors"),
            warnings=_counted(counts["warning"], "warnings"),
            suppressed=counts["suppressed"], baselined=counts["baselined"])
    return t("mig:summary", lang).format(
        files=files, errors=counts["error"], warnings=counts["warning"],
        suppressed=counts["suppressed"], baselined=counts["baselined"],
        error=severity_label("error", lang), warning=severity_label("warning", lang))


class Note(Said):
    """A warning that is not a finding, as a key of ``mig:note:*`` plus parameters. As a
    ``str`` it is the English sentence, so a caller that prints notes as text
    (``pia: warning: {note}``) keeps working; ``warning_line`` says it in a language."""

    @classmethod
    def say(cls, key: str, values: Mapping[str, Any], lang: str) -> str:
        return message(f"note:{key}", values, lang)


def warning_line(note: str, lang: str = "en") -> str:
    """``pia: warning: ...`` / ``pia：警告：...``: a note on stderr in ``lang`` (zh, en;
    bo → en); a plain string (from a caller of the library) is said as it is. The files,
    columns and entries a note quotes are masked as an error line's are (``masked_line``):
    a migration's name or a baseline's entry may hold a number."""
    from pia.printable import masked_line

    text = note.said_in(lang) if isinstance(note, Note) else note
    return t("mig:warning_line", _lang(lang)).format(note=masked_line(text))
