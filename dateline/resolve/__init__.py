"""Resolution: who, where and when, and a publication date the content agrees with.

- ``actors``: every actor mention, named or nominal, to a canonical actor (``registry`` holds
  the curated tables: countries, organisations, office holders with their terms, sectors,
  media; ``dictionaries`` imports CAMEO/PETRARCH actor dictionaries);
- ``places``: place names to GeoNames identities (``gazetteer``);
- ``times``: time expressions to TIMEX3-style values, anchored on the publication date;
- ``published``: the stated date checked against the content.

``Resolver`` runs them in the order they need each other: actors and times on the stated
date, then the date check; when the stated date is not trusted, times and office holders
are resolved again on the date the content allows, with lower confidence.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from dateline.records import Article, parse_iso


def content_anchor(start: str | None, end: str | None) -> dt.date | None:
    """The day to read relative times against when the stated date is not trusted.

    The content's window usually ends at its firmest evidence (an upcoming event, the end of
    a term), so the anchor is the window's end, or a week before it when the window is long
    enough: an article announcing an event is written before the event, not on its day.
    """
    if not end and not start:
        return None
    if not end:
        return dt.date.fromisoformat(start[:10])  # type: ignore[index]
    last = dt.date.fromisoformat(end[:10])
    first = dt.date.fromisoformat(start[:10]) if start else None
    if first is None or (last - first).days >= 7:
        return last - dt.timedelta(days=7)
    return first


class Resolver:
    """Pipeline stage: sets mentions, places, times and the publication-date check."""

    name = "resolve"
    needs: Sequence[str] = ("annotation",)
    provides: Sequence[str] = ("mentions", "places", "times", "published")

    def __init__(self, actor_files: Sequence[str] = ()) -> None:
        self.actor_files = tuple(actor_files)
        self.registry: Any = None

    def setup(self) -> None:
        from dateline.resolve.gazetteer import load_gazetteer
        from dateline.resolve.registry import load_registry

        if self.registry is None:
            self.registry = load_registry(self.actor_files)  # shipped tables + the user's, once per worker
        load_gazetteer()

    def process_batch(self, articles: list[Article]) -> list[Article]:
        for article in articles:
            if article.annotation is not None and not article.rejected:
                self.resolve(article)
        return articles

    def resolve(self, article: Article) -> None:
        from dateline.resolve.actors import resolve_actors
        from dateline.resolve.places import resolve_places
        from dateline.resolve.published import check_published
        from dateline.resolve.times import find_times

        self.setup()
        reg = self.registry
        ann: Any = article.annotation
        stated = parse_iso(article.published.stated)
        day = stated.date() if stated else None
        mentions = resolve_actors(article.text, ann, date=day, registry=reg)
        times = find_times(article.text, day, annotation=ann)
        checked = check_published(
            stated,
            article.text,
            mentions,
            times,
            article.related,
            stated_source=article.published.stated_source,
            registry=reg,
        )
        pub = article.published
        pub.trusted, pub.reasons = checked.trusted, list(checked.reasons)
        pub.estimate_start, pub.estimate_end = checked.estimate_start, checked.estimate_end
        if checked.trusted is False:
            anchor = content_anchor(checked.estimate_start, checked.estimate_end)
            if anchor is not None:
                mentions = resolve_actors(article.text, ann, date=anchor, registry=reg)
                times = find_times(article.text, anchor, anchor_trusted=False, annotation=ann)
        elif day is None and checked.estimate_end:
            anchor = content_anchor(checked.estimate_start, checked.estimate_end)
            times = find_times(article.text, anchor, anchor_trusted=False, annotation=ann)
        countries = [
            c for c, _ in Counter(m.actor.country for m in mentions if m.actor and m.actor.country).most_common(5)
        ]
        article.mentions = mentions
        article.times = times
        article.places = resolve_places(article.text, ann, country_context=countries)
