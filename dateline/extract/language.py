"""Language of an article's text, by py3langid (the only module that imports it).

The model loads once per process, on first use, so ``import dateline`` stays fast and each
worker of a process pool pays for it once.
"""

from __future__ import annotations

import threading
from typing import Any

MIN_CHARS = 20  # below this, character n-grams say too little to trust
MIN_CONFIDENCE = 0.5  # normalised probability of the best language
SAMPLE_CHARS = 5000  # the first few thousand characters decide; the rest only costs time

_identifier: Any = None
_lock = threading.Lock()


def _get_identifier() -> Any:
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def detect_language(text: str) -> tuple[str | None, float]:
    """``(ISO 639-1 code, confidence)``; the code is None when the text is too short or the model unsure.

    >>> detect_language("The minister resigned on Monday after weeks of pressure from his party.")[0]
    'en'
    """
    sample = " ".join((text or "")[:SAMPLE_CHARS].split())
    letters = sum(1 for c in sample if c.isalpha())
    if letters < MIN_CHARS:
        return None, 0.0
    language, confidence = _get_identifier().classify(sample)
    confidence = float(confidence)
    if confidence < MIN_CONFIDENCE:
        return None, confidence
    return str(language), confidence
