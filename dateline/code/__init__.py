"""PLOVER event coding: the ``Coder`` stage, the event record, the lexicon and the crosswalk.

Usage (an article that went through annotate and resolve)::

    coder = Coder()
    article = coder.process(article)      # needs annotation, mentions, places, times
    [e.to_json()["event"] for e in article.events]
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dateline.code.coder import code_document, primary_event, publication_date, publication_is_a_date
from dateline.code.crosswalk import PLOVER_TYPES, cameo_for, plover_for_cameo, quad_code
from dateline.code.event import Event, EventPlace, Participant, event_id
from dateline.code.triggers import Lexicon, default_lexicon, load_lexicon

log = logging.getLogger(__name__)


class Coder:
    """Pipeline stage: sets ``article.events`` from its annotation, mentions, places and times.

    ``lexicon``: a path to a trigger CSV of the shipped shape, added to the shipped lexicon.
    """

    name = "code"
    needs: Sequence[str] = ("annotation", "mentions", "places", "times")
    provides: Sequence[str] = ("events",)

    def __init__(self, lexicon: str | Path | None = None) -> None:
        self.lexicon_path = lexicon
        self.lexicon: Lexicon | None = None

    def setup(self) -> None:
        if self.lexicon is None:
            self.lexicon = load_lexicon(self.lexicon_path) if self.lexicon_path else default_lexicon()

    def process(self, article: Any) -> Any:
        return self.process_batch([article])[0]

    def process_batch(self, articles: list[Any]) -> list[Any]:
        self.setup()
        for article in articles:
            if getattr(article, "rejected", False) or article.annotation is None:
                continue
            article.events = code_document(
                article.text,
                article.annotation,
                article_id=article.id,
                mentions=article.mentions,
                places=article.places,
                times=article.times,
                published=publication_date(article.published),
                publication_stands_in=publication_is_a_date(article.published),
                lexicon=self.lexicon,
            )
        return articles


__all__ = [
    "PLOVER_TYPES",
    "Coder",
    "Event",
    "EventPlace",
    "Lexicon",
    "Participant",
    "cameo_for",
    "code_document",
    "event_id",
    "load_lexicon",
    "plover_for_cameo",
    "primary_event",
    "publication_date",
    "quad_code",
]
