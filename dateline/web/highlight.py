"""The article view's highlighted text, built from offsets on the server.

An article's text is cut at every span boundary (actors, places, times, event triggers),
paragraph by paragraph; each piece carries the kinds of span that cover it. The template
writes each piece through Jinja's autoescaping, so scraped text never becomes markup,
whatever it holds. Offsets that do not fit the text are dropped, never trusted.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Span:
    start: int
    end: int
    kind: str  # actor | place | time | trigger
    label: str
    event: str | None = None  # the event id, for a trigger


@dataclass
class Piece:
    text: str
    kinds: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    @property
    def css(self) -> str:
        return " ".join(f"hl hl-{k}" if i == 0 else f"hl-{k}" for i, k in enumerate(self.kinds))

    @property
    def title(self) -> str:
        return " · ".join(self.labels)


def _offset(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _valid(start: Any, end: Any, length: int) -> bool:
    s, e = _offset(start), _offset(end)
    return s is not None and e is not None and 0 <= s < e <= length


def spans_of(doc: dict[str, Any]) -> list[Span]:
    """The highlightable spans of a document JSON (mentions, places, times, event triggers)."""
    text = doc.get("text") or ""
    n = len(text)
    spans: list[Span] = []
    for m in doc.get("mentions") or []:
        if isinstance(m, dict) and _valid(m.get("start"), m.get("end"), n):
            actor = m.get("actor") or {}
            bits = [actor.get("name") or m.get("text") or ""]
            extra = ", ".join(str(x) for x in (actor.get("country"), actor.get("sector"), actor.get("role")) if x)
            label = f"Actor: {bits[0]}" + (f" ({extra})" if extra else "")
            spans.append(Span(m["start"], m["end"], "actor", label))
    for p in doc.get("places") or []:
        if isinstance(p, dict) and _valid(p.get("start"), p.get("end"), n):
            where = ", ".join(str(x) for x in (p.get("name"), p.get("country_code"), p.get("resolution")) if x)
            spans.append(Span(p["start"], p["end"], "place", f"Place: {where or p.get('text')}"))
    for t in doc.get("times") or []:
        if isinstance(t, dict) and _valid(t.get("start"), t.get("end"), n):
            spans.append(Span(t["start"], t["end"], "time", f"Time: {t.get('value')}"))
    for ev in doc.get("events") or []:
        if not isinstance(ev, dict):
            continue
        trigger = (ev.get("evidence") or {}).get("trigger")
        if isinstance(trigger, list) and len(trigger) == 2 and _valid(trigger[0], trigger[1], n):
            spans.append(Span(trigger[0], trigger[1], "trigger", f"Event: {ev.get('event')}", str(ev.get("id"))))
    return spans


def paragraphs_of(doc: dict[str, Any]) -> list[tuple[int, int]]:
    """(start, end) of each paragraph; the stored ones when they fit the text, else split on blank lines."""
    text = doc.get("text") or ""
    stored = []
    for p in doc.get("paragraphs") or []:
        if isinstance(p, dict) and _valid(p.get("start"), p.get("end"), len(text)):
            stored.append((p["start"], p["end"]))
    if stored:
        return sorted(stored)
    out, pos = [], 0
    for chunk in text.split("\n\n"):
        if chunk:
            out.append((pos, pos + len(chunk)))
        pos += len(chunk) + 2
    return out


_ORDER = {"trigger": 0, "actor": 1, "place": 2, "time": 3}


def highlight(doc: dict[str, Any]) -> list[list[Piece]]:
    """The article text as paragraphs of pieces, each piece with the spans covering it."""
    text = doc.get("text") or ""
    spans = spans_of(doc)
    result = []
    for p_start, p_end in paragraphs_of(doc):
        inside = [s for s in spans if s.start < p_end and s.end > p_start]
        cuts = {p_start, p_end}
        for s in inside:
            cuts.add(max(s.start, p_start))
            cuts.add(min(s.end, p_end))
        points = sorted(cuts)
        pieces = []
        for a, b in itertools.pairwise(points):
            if a >= b:
                continue
            covering = sorted((s for s in inside if s.start <= a and s.end >= b), key=lambda s: _ORDER[s.kind])
            kinds: list[str] = []
            for s in covering:
                if s.kind not in kinds:
                    kinds.append(s.kind)
            pieces.append(
                Piece(
                    text[a:b],
                    kinds,
                    list(dict.fromkeys(s.label for s in covering)),
                    [s.event for s in covering if s.event],
                )
            )
        result.append(pieces)
    return result


def evidence_text(doc: dict[str, Any], event: dict[str, Any]) -> str | None:
    """The evidence sentence of an event: its offsets into the text, or the sentence itself."""
    sentence = (event.get("evidence") or {}).get("sentence")
    text = doc.get("text") or ""
    if isinstance(sentence, list) and len(sentence) == 2 and _valid(sentence[0], sentence[1], len(text)):
        return text[sentence[0] : sentence[1]]
    return sentence if isinstance(sentence, str) else None
