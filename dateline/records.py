"""The records that flow through the pipeline, and their JSON form (design.md §3).

Every offset (``start``, ``end``) is a character offset into ``Article.text``: the
normalised article text, paragraphs joined by a blank line.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass
class RawDocument:
    """One document as a reader found it, before any cleaning.

    ``data`` is bytes when the reader does not know the encoding, str when it does (a table
    cell, a WARC record decoded by its declared charset). ``meta`` holds what the container
    said about the document: ``title``, ``date``, ``url`` from table columns or WARC headers,
    each with the name of where it came from in ``meta_source``.
    """

    uri: str
    data: bytes | str
    content_type: str | None = None  # "text/html", "text/plain" or None to sniff
    fetched_at: datetime | None = None
    meta: dict[str, str] = field(default_factory=dict)
    meta_source: dict[str, str] = field(default_factory=dict)
    text_kind: str | None = None  # overrides the run's --text-kind for this document

    @property
    def size(self) -> int:
        return len(self.data) if isinstance(self.data, bytes) else len(self.data.encode("utf-8", "replace"))

    def digest(self) -> str:
        raw = self.data if isinstance(self.data, bytes) else self.data.encode("utf-8", "surrogatepass")
        return hashlib.sha256(raw).hexdigest()


@dataclass
class Paragraph:
    text: str
    start: int
    end: int


@dataclass
class Published:
    """The publication date: what the page states and what the content allows."""

    stated: str | None = None  # ISO 8601
    stated_source: str | None = None  # page_text | html_meta | url | column | warc_header
    trusted: bool | None = None  # None: not checked yet
    reasons: list[str] = field(default_factory=list)
    estimate_start: str | None = None
    estimate_end: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "stated": self.stated,
            "stated_source": self.stated_source,
            "trusted": self.trusted,
            "reasons": list(self.reasons),
            "estimate": {"start": self.estimate_start, "end": self.estimate_end},
        }


@dataclass
class ErrorRecord:
    """A problem met with one document: ``code`` is machine-readable, ``message`` is for people."""

    stage: str
    code: str
    message: str
    fatal: bool = True

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Link:
    """A link of the article's text: its words, its target and where the words sit (offsets into
    ``Article.text``; ``None`` when the words are not found there as they are)."""

    text: str
    href: str
    start: int | None = None
    end: int | None = None


@dataclass
class Article:
    """One document after extraction; later stages add mentions, places, times and events."""

    id: str
    uri: str
    text: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    title: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    read_more: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)  # links inside the main text (HTML pages)
    boilerplate: list[str] = field(default_factory=list)
    language: str | None = None
    language_confidence: float | None = None
    published: Published = field(default_factory=Published)
    content_type: str | None = None
    digest: str | None = None  # sha256 of the raw bytes
    extractor: str | None = None  # which path produced the text: textdump, html, table
    mentions: list[Any] = field(default_factory=list)
    places: list[Any] = field(default_factory=list)
    times: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    annotation: Any = field(default=None, repr=False, compare=False)  # set by annotate; not serialised

    @property
    def site(self) -> str | None:
        parts = urlsplit(self.uri)
        if parts.scheme in ("http", "https") and parts.hostname:
            host = parts.hostname
            return host[4:] if host.startswith("www.") else host
        return None

    @property
    def rejected(self) -> bool:
        return any(e.fatal for e in self.errors)

    def set_paragraphs(self, texts: list[str]) -> None:
        """Lay paragraphs out end to end; their offsets index into ``self.text``."""
        self.paragraphs = []
        offset = 0
        for text in texts:
            self.paragraphs.append(Paragraph(text, offset, offset + len(text)))
            offset += len(text) + len(PARAGRAPH_SEPARATOR)
        self.text = PARAGRAPH_SEPARATOR.join(texts)

    def add_error(self, stage: str, code: str, message: str, *, fatal: bool = True) -> None:
        self.errors.append(ErrorRecord(stage, code, message, fatal))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": {"uri": self.uri, "site": self.site},
            "title": self.title,
            "section": self.section,
            "tags": list(self.tags),
            "related": list(self.related),
            "read_more": list(self.read_more),
            "links": [dataclasses.asdict(link) for link in self.links],
            "language": self.language,
            "published": self.published.to_json(),
            "text": self.text,
            "paragraphs": [dataclasses.asdict(p) for p in self.paragraphs],
            "boilerplate": list(self.boilerplate),
            "mentions": [_as_json(m) for m in self.mentions],
            "places": [_as_json(p) for p in self.places],
            "times": [_as_json(t) for t in self.times],
            "events": [_as_json(e) for e in self.events],
            "errors": [e.to_json() for e in self.errors],
        }


def _as_json(obj: Any) -> Any:
    if hasattr(obj, "to_json"):
        return obj.to_json()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    return obj


def parse_iso(value: str | None) -> datetime | None:
    """A timestamp as the records write it (ISO 8601, ``Z`` for UTC); a naive one is UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def article_id(text: str) -> str:
    """Content id: the same article text gets the same id, wherever it was read from."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass
class Actor:
    """A canonical actor: a country's government, an institution, a person in a role."""

    name: str
    country: str | None = None  # ISO-3166 alpha-3, or a PLOVER code (IGO, NGO, MNC, ...)
    sector: str | None = None  # GOV, MIL, REB, COP, JUD, LEG, PTY, JRN, CVL, BUS, ...
    wikidata: str | None = None
    role: str | None = None  # "head of government", "foreign minister", ...
    role_start: str | None = None  # ISO date the role began
    role_end: str | None = None  # ISO date it ended; None while it still holds
    kind: str = "country"  # country | institution | person | group


@dataclass
class Mention:
    """A span of the article that names or describes an actor."""

    text: str
    start: int
    end: int
    label: str  # the NER label or "NOMINAL"
    actor: Actor | None = None
    confidence: float = 0.0
    resolved_by: str | None = None  # how: alias table, registry, coreference, pattern, ...

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Place:
    """A place named in the article, resolved to a GeoNames identity where one fits."""

    text: str
    start: int
    end: int
    geonameid: int | None = None
    name: str | None = None
    country_code: str | None = None  # ISO-3166 alpha-2, as GeoNames has it
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None  # GeoNames feature code: PCLI, ADM1, PPLC, PPL, RGN, ...
    resolution: str = "unknown"  # country | admin1 | city | region | unknown
    confidence: float = 0.0


@dataclass
class TimeExpr:
    """A time expression normalised TIMEX3-style (``2018-06-12``, ``2018-W24``, ``PAST_REF``)."""

    text: str
    start: int
    end: int
    value: str  # TIMEX3 value
    type: str = "DATE"  # DATE | TIME | DURATION | SET
    granularity: str | None = None  # day | week | month | quarter | year | decade | century | time
    interval_start: str | None = None  # ISO date of the first day the value covers
    interval_end: str | None = None  # ISO date of the last day it covers
    anchored: bool = False  # whether the value depended on the anchor date
    confidence: float = 0.0
