"""pia scan's progress bars on a terminal are labelled in the report's language (QA: English
words under --lang zh)."""

from __future__ import annotations

import pytest

from pia.cli.progress import RichProgress

KINDS = ("sources", "partitions", "tables", "objects", "bytes", "rows")


@pytest.mark.parametrize("lang,labels", [
    ("zh", ["数据源", "分区", "表", "对象", "字节", "行"]),
    ("en", list(KINDS)),
])
def test_each_bar_is_named_in_the_language(lang: str, labels: list[str]) -> None:
    progress = RichProgress(lang)
    for what in KINDS:
        progress.start(what, 3)
    progress.advance("tables", 2)
    bars = {task.description: task for task in progress._progress.tasks}
    assert list(bars) == labels
    assert bars[labels[2]].completed == 2  # advancing by kind finds the named bar


def test_a_kind_without_a_word_keeps_its_name() -> None:
    progress = RichProgress("zh")
    progress.start("widgets", 1)
    assert [task.description for task in progress._progress.tasks] == ["widgets"]
