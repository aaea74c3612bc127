"""The vocabulary loads as it is written, however it is read: libyaml's parser where the
PyYAML wheel has it, the Python one otherwise (``pia.detection.lexicon``); the pinyin of its
Chinese words from the file pypinyin derived (``pia.detection.pinyin_table``), which must be
what pypinyin derives now, so that a scan need not load pypinyin's dictionaries."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import yaml

from pia.detection import pinyin_table
from pia.detection.lexicon import vocabulary_data


def test_the_vocabulary_reads_the_same_with_libyaml_and_pure_python() -> None:
    text = resources.files("pia").joinpath("data/vocabulary.yaml").read_text("utf-8")
    assert vocabulary_data() == yaml.load(text, Loader=yaml.SafeLoader)
    assert vocabulary_data()["concepts"]["CN_RESIDENT_ID"]["zh"]


def test_the_pinyin_file_is_what_pypinyin_derives_from_the_vocabulary_now() -> None:
    shipped = resources.files("pia").joinpath(pinyin_table.TABLE).read_text("utf-8")
    assert shipped == pinyin_table.rendered(), \
        "stale: run python -m pia.detection.pinyin_table"


def test_every_word_reads_as_pypinyin_reads_it_in_the_file_or_not() -> None:
    words = sorted(set(pinyin_table.chinese_words(vocabulary_data())))
    assert len(words) > 300 and "银行卡号" in words
    assert all(pinyin_table.pinyin_of(w) == pinyin_table.derive(w) for w in words)
    assert pinyin_table.pinyin_of("银行卡号") == (["yin", "hang", "ka", "hao"], "yhkh")
    # a word the file does not hold (a keyword added since) is derived as before
    assert "重庆住址" not in pinyin_table._table()
    assert pinyin_table.pinyin_of("重庆住址") == (["chong", "qing", "zhu", "zhi"], "cqzz")


def test_a_scan_reads_its_vocabulary_without_loading_pypinyin() -> None:
    code = ("import sys\n"
            "from pia.detection import deletion, lexicon, metadata\n"
            "lexicon.vocabulary(); deletion.markers()\n"
            "[found] = metadata.classify_column('sfzh', '身份证号')\n"
            "print('pypinyin' in sys.modules, found.entity_type,"
            " lexicon.pinyin_initials('身份证号'))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert run.stdout.split() == ["False", "CN_RESIDENT_ID", "sfzh"]
