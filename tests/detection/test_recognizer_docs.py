from pathlib import Path

from pia.detection.docs import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "recognizers.md"


def test_recognizer_docs_are_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/recognizers.md is stale: python -m pia.detection.docs > docs/recognizers.md")
