"""Context words count in traditional characters too."""

from __future__ import annotations

from pia.detection.registry import build_registry
from pia.detection.scripts import script_forms, traditional


def test_forms_keep_the_declared_words_first_and_add_each_once() -> None:
    assert script_forms(["手机", "tel", "身份证号", "手机"]) == [
        "手机", "tel", "身份证号", "手機", "身份證號"]
    assert script_forms(["短信"]) == ["短信", "簡訊", "短訊"]
    assert traditional("联系电话") == "聯繫電話"


def test_every_built_in_word_that_differs_has_a_traditional_form() -> None:
    """The table knows every character of the built-in words that the scripts write
    differently: a word with one of them would otherwise count in one script only."""
    simplified_only = set("业乡价会传余储军凭创办动单号员处学审执护担态总户机条湾状电监码称"
                          "系经统编职联节营订记证话误请负责账货贷车辆运递邮银错队陆险额库"
                          "开异录内干来")
    for rec in build_registry().recognizers():
        for word in list(rec.context or []) + list(rec.negative_context):
            assert not set(traditional(word)) & simplified_only, (rec.name, word)
