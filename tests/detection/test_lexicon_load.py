"""The vocabulary loads as it is written, however it is read: libyaml's parser where the
PyYAML wheel has it, the Python one otherwise (``pia.detection.lexicon``), and pypinyin only
when a keyword's pinyin is first asked for."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import yaml

from pia.detection.lexicon import vocabulary_data


def test_the_vocabulary_reads_the_same_with_libyaml_and_pure_python() -> None:
    text = resources.files("pia").joinpath("data/vocabulary.yaml").read_text("utf-8")
    assert vocabulary_data() == yaml.load(text, Loader=yaml.SafeLoader)
    assert vocabulary_data()["concepts"]["CN_RESIDENT_ID"]["zh"]


def test_pypinyin_is_loaded_by_the_first_pinyin_asked_for_not_by_importing_the_lexicon() -> None:
    code = ("import sys, pia.detection.lexicon as lexicon, pia.detection.metadata;"
            "before = 'pypinyin' in sys.modules;"
            "print(before, lexicon.pinyin_initials('身份证号'), 'pypinyin' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert run.stdout.split() == ["False", "sfzh", "True"]
