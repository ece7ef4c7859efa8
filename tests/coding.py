"""Code one text through the real resolvers and the coder: shared by the coder's tests."""

from __future__ import annotations

from datetime import date

from dateline.code import code_document
from dateline.code.event import Event

ANCHOR = date(2018, 6, 5)


def code(text: str) -> list[Event]:
    from dateline.annotate import annotate_text
    from dateline.resolve.actors import resolve_actors
    from dateline.resolve.places import resolve_places
    from dateline.resolve.times import find_times

    ann = annotate_text(text)
    return code_document(
        text,
        ann,
        article_id="t",
        mentions=resolve_actors(text, ann, date=ANCHOR),
        places=resolve_places(text, ann),
        times=find_times(text, ANCHOR, annotation=ann),
        published=ANCHOR.isoformat(),
    )
