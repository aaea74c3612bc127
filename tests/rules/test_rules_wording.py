"""The words of the bundled rulesets: what a user copies from them into pia.yaml must parse,
and the Chinese texts say 登记 (recorded in the inventory, pia.yaml) where 申报 would read as a
filing with the regulator. Legal quotes (``references``) are law and are not checked here."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml

from pia.rules.loader import BUNDLED, bundled_text

#: `a: b` in backticks: a snippet of pia.yaml a user may paste
SNIPPET = re.compile(r"`([^`]*:[^`]*)`")
#: a key, dotted path or snippet followed by a full-width colon: `sensitive：true` breaks YAML
KEY_FULLWIDTH_COLON = re.compile(r"[A-Za-z_][\w.]*\s*：")


def _texts(node: object, path: str = "") -> Iterator[tuple[str, str, str]]:
    """(where, lang, text) of every {zh, en} text of a ruleset outside its references."""
    if isinstance(node, dict):
        texts = node and set(node) <= {"zh", "en", "bo"}
        if texts and all(isinstance(v, str) for v in node.values()):
            for lang, text in node.items():
                yield path, lang, text
            return
        for key, value in node.items():
            if key != "references":
                yield from _texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            where = value.get("id", i) if isinstance(value, dict) else i
            yield from _texts(value, f"{path}[{where}]")


TEXTS = [pytest.param(where, lang, text, id=f"{ruleset}:{where}:{lang}")
         for ruleset in BUNDLED
         for where, lang, text in _texts(yaml.safe_load(bundled_text(ruleset)))]


def test_the_rulesets_have_texts_and_snippets() -> None:
    assert len(TEXTS) > 100
    assert sum(bool(SNIPPET.search(text)) for _, _, text in (p.values for p in TEXTS)) >= 10


@pytest.mark.parametrize(("where", "lang", "text"), TEXTS)
def test_snippets_parse_as_yaml(where: str, lang: str, text: str) -> None:
    assert not KEY_FULLWIDTH_COLON.search(text), f"full-width colon after a key: {text}"
    for snippet in SNIPPET.findall(text):
        parsed = yaml.safe_load(snippet)
        assert isinstance(parsed, dict) and parsed, f"not a YAML mapping: `{snippet}`"


@pytest.mark.parametrize(("where", "lang", "text"), [p for p in TEXTS if p.values[1] == "zh"])
def test_zh_says_dengji_not_shenbao(where: str, lang: str, text: str) -> None:
    # 申报 is a filing with the CAC (数据出境安全评估申报); an entry of pia.yaml is 登记
    assert "申报" not in re.sub(r"(评估|免予)申报", "", text), text
