"""A Presidio ``AnalyzerEngine`` built fully offline, carrying pia's recognizers.

For Presidio users who want pia's Chinese recognizers in their own pipeline, and for the
benchmark's side-by-side comparison. No spaCy model is loaded: Presidio's no-op NLP engine
is enough because every pia recognizer is pattern-based and scores its own context.
"""

from __future__ import annotations

import os

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry  # noqa: E402
from presidio_analyzer.nlp_engine import NlpEngineProvider  # noqa: E402

from pia.detection.registry import LANGUAGES, Registry, build_registry  # noqa: E402


def offline_nlp_engine(languages: tuple[str, ...] = LANGUAGES):
    config = {
        "nlp_engine_name": "no_op",
        "models": [{"lang_code": lang, "model_name": "no_op"} for lang in languages],
    }
    return NlpEngineProvider(nlp_configuration=config).create_engine()


def build_analyzer(registry: Registry | None = None) -> AnalyzerEngine:
    """An AnalyzerEngine for ``zh`` and ``en`` holding exactly pia's recognizers."""
    registry = registry or build_registry()
    presidio_registry = RecognizerRegistry(supported_languages=list(LANGUAGES))
    for recognizer in registry.recognizers():
        presidio_registry.add_recognizer(recognizer)
    return AnalyzerEngine(
        nlp_engine=offline_nlp_engine(),
        registry=presidio_registry,
        supported_languages=list(LANGUAGES),
    )
