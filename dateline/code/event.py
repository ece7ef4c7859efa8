"""The event record (design.md §3): one PLOVER v0.8 event with its evidence and confidences.

Every ``start``/``end`` is a character offset into ``Article.text``. ``to_json()`` gives the
public Event JSON; ``dateline/data/schema/event.schema.json`` describes it.

Conventions (documented here because users rely on them):

- Reciprocal and compound events are ONE record. "Japan and North Korea held talks",
  "talks between X and Y" and "X and Y agreed ..." put every party in ``actor`` and leave
  ``recipient`` empty (PLOVER manual §"Compound and Reciprocal Actors"). A directed event
  ("X met Y", "X attacked Y") has X in ``actor`` and Y in ``recipient``.
- ``id`` is a stable hash of the article id and the trigger's offsets: re-running the coder
  on the same text gives the same ids.
- ``aux`` empty means the text reports the event as having happened.
- ``date_precision`` is the granularity of the linked time expression (day, week, month,
  year, decade, ...), or ``"publication"`` when no time expression was linked and ``date``
  is the publication date, or ``None`` when neither is known.
- ``cameo`` is the closest CAMEO code, which can be finer than the PLOVER type: an appeal
  ("urged", "called on") is REQUEST with a CAMEO 02x code (a demand is 10x), an option under
  consideration ("is considering sending aid") keeps its type with CAMEO 014, a peacekeeping
  deployment is MOBILIZE with CAMEO 074. ``quad_code`` is the type's GDELT quad class.
- ``recipient`` may come from the trigger's complement ("offered to hand over to Britain",
  "demanded that the US cancel ...") or, when nobody is named as the target, from a scene
  abroad ("arrived in Amman": the host; "lifted a curfew in Montenegro").
- ``attribution.source`` is who says so (an outlet or a speaker); ``attribution.via`` the
  intermediary ("governmental sources cited by The Mainichi": source The Mainichi, via
  governmental sources). An unattributed hedge ("reportedly") gives source None and via
  the hedge word.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

AUX_MODES = ("future", "hypothetical", "historical", "negated")


@dataclass
class Participant:
    """One actor or recipient of an event: a text span and what it resolved to."""

    text: str
    start: int
    end: int
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    wikidata: str | None = None
    confidence: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.name,
            "country": self.country,
            "sector": self.sector,
            "wikidata": self.wikidata,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class EventPlace:
    """Where the event happened: the place linked to its trigger."""

    text: str
    start: int
    end: int
    geonameid: int | None = None
    name: str | None = None
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    resolution: str = "unknown"

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "geonameid": self.geonameid,
            "name": self.name,
            "country_code": self.country_code,
            "lat": self.lat,
            "lon": self.lon,
            "resolution": self.resolution,
        }


@dataclass
class Event:
    """One coded event. See the module docstring for the conventions."""

    article_id: str
    event: str
    trigger: tuple[int, int]
    trigger_text: str = ""
    sentence: tuple[int, int] = (0, 0)
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    aux: list[str] = field(default_factory=list)
    actor: list[Participant] = field(default_factory=list)
    recipient: list[Participant] = field(default_factory=list)
    event_loc: EventPlace | None = None
    date: str | None = None
    enddate: str | None = None
    date_precision: str | None = None
    time_span: tuple[int, int] | None = None  # evidence of the date
    attribution_source: str | None = None
    attribution_via: str | None = None
    attribution_span: tuple[int, int] | None = None
    aux_cues: list[tuple[int, int]] = field(default_factory=list)
    cameo: str | None = None
    quad_code: int | None = None
    cc_score: float | None = None
    event_confidence: float = 0.0
    actor_confidence: float = 0.0
    recipient_confidence: float = 0.0
    date_confidence: float = 0.0
    location_confidence: float = 0.0
    confidence: float = 0.0
    cluster: str | None = None
    reciprocal: bool = False

    @property
    def id(self) -> str:
        return event_id(self.article_id, self.trigger)

    def to_json(self) -> dict[str, Any]:
        evidence: dict[str, Any] = {
            "sentence": list(self.sentence),
            "trigger": list(self.trigger),
            "actor": [[p.start, p.end] for p in self.actor],
            "recipient": [[p.start, p.end] for p in self.recipient],
            "place": [self.event_loc.start, self.event_loc.end] if self.event_loc else None,
            "time": list(self.time_span) if self.time_span else None,
            "attribution": list(self.attribution_span) if self.attribution_span else None,
            "aux": [list(span) for span in self.aux_cues],
        }
        return {
            "id": self.id,
            "event": self.event,
            "mode": self.mode,
            "context": list(self.context),
            "aux": list(self.aux),
            "actor": [p.to_json() for p in self.actor],
            "recipient": [p.to_json() for p in self.recipient],
            "event_loc": self.event_loc.to_json() if self.event_loc else None,
            "date": self.date,
            "enddate": self.enddate,
            "date_precision": self.date_precision,
            "attribution": {"source": self.attribution_source, "via": self.attribution_via},
            "evidence": evidence,
            "confidence": round(self.confidence, 3),
            "field_confidence": {
                "event": round(self.event_confidence, 3),
                "actor": round(self.actor_confidence, 3),
                "recipient": round(self.recipient_confidence, 3),
                "date": round(self.date_confidence, 3),
                "location": round(self.location_confidence, 3),
            },
            "cameo": self.cameo,
            "quad_code": self.quad_code,
            "cc_score": self.cc_score,
            "cluster": self.cluster,
        }


def event_id(article_id: str, trigger: tuple[int, int]) -> str:
    """Stable id: the same trigger in the same article always gets the same id."""
    key = f"{article_id}:{trigger[0]}-{trigger[1]}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
