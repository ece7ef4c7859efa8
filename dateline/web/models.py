"""The REST API's JSON shapes, for the OpenAPI spec (design.md §3 names).

The handlers return plain dicts; these models document them in ``/openapi.json`` and the
schemathesis test checks every response against them. Fields a coder may leave out are
optional, and every object allows extra keys so that a newer record still validates.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorBody(BaseModel):
    type: str = Field(description="machine-readable kind: not_found, invalid_request, too_large, internal, ...")
    message: str
    hint: str


class ErrorOut(BaseModel):
    error: ErrorBody


class Party(_Open):
    text: str | None = None
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    wikidata: str | None = None
    start: int | None = None
    end: int | None = None


class EventLoc(_Open):
    text: str | None = None
    geonameid: int | None = None
    name: str | None = None
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    resolution: str | None = None


class Attribution(_Open):
    source: str | None = None
    via: str | None = None


class Evidence(_Open):
    sentence: list[int] | str | None = Field(None, description="[start, end] offsets into the article text")
    trigger: list[int] | None = Field(None, description="[start, end] of the trigger in the article text")


class ArticleRef(_Open):
    id: str | None = None
    title: str | None = None
    site: str | None = None
    uri: str | None = None
    published: str | None = None


class Event(_Open):
    """A PLOVER v0.8 event record (design.md §3) with the article that reports it."""

    id: str
    event: str | None = None
    mode: str | None = None
    context: list[str] | str | None = None
    aux: list[str] = Field(
        default_factory=list, description="future | hypothetical | historical | negated; empty = it happened"
    )
    actor: list[Party] = Field(default_factory=list)
    recipient: list[Party] = Field(default_factory=list)
    event_loc: EventLoc | None = None
    date: str | None = None
    enddate: str | None = None
    date_precision: str | None = None
    attribution: Attribution | None = None
    evidence: Evidence | None = None
    confidence: float | dict[str, Any] | None = None
    cameo: str | None = None
    quad_code: int | None = None
    cluster: str | None = None
    article_id: str | None = None
    article: ArticleRef | None = None
    sources: int = Field(1, description="how many articles report this real-world event (its cluster)")


class Report(_Open):
    event_id: str
    article_id: str
    title: str | None = None
    site: str | None = None
    uri: str | None = None
    published: str | None = None
    published_trusted: bool | None = None
    evidence: str | None = None


class EventDetail(Event):
    reports: list[Report] = Field(default_factory=list, description="every article that reports the event")


class _PageOf(BaseModel):
    total: int
    page: int
    size: int


class EventPage(_PageOf):
    items: list[Event]


class ArticleSummary(_Open):
    id: str
    title: str | None = None
    site: str | None = None
    section: str | None = None
    language: str | None = None
    uri: str | None = None
    published: str | None = None
    trusted: bool | None = None
    n_chars: int | None = None
    snippet: str | None = None
    events: int = 0


class ArticlePage(_PageOf):
    items: list[ArticleSummary]


class Published(_Open):
    stated: str | None = None
    stated_source: str | None = None
    trusted: bool | None = None
    reasons: list[str] = Field(default_factory=list)
    estimate: dict[str, str | None] | None = None


class Document(_Open):
    """The document JSON (design.md §3)."""

    id: str
    source: dict[str, str | None] | None = None
    title: str | None = None
    section: str | None = None
    tags: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    read_more: list[str] = Field(default_factory=list)
    links: list[dict[str, Any]] = Field(default_factory=list)
    language: str | None = None
    published: Published | None = None
    text: str | None = None
    paragraphs: list[dict[str, Any]] = Field(default_factory=list)
    boilerplate: list[str] = Field(default_factory=list)
    mentions: list[dict[str, Any]] = Field(default_factory=list)
    places: list[dict[str, Any]] = Field(default_factory=list)
    times: list[dict[str, Any]] = Field(default_factory=list)
    events: list[dict[str, Any]] = Field(default_factory=list)
    errors: list[dict[str, Any]] = Field(default_factory=list)


class ActorRow(_Open):
    name: str
    country: str | None = None
    sector: str | None = None
    events: int
    as_actor: int
    as_recipient: int


class ActorPage(_PageOf):
    items: list[ActorRow]


class PlaceRow(_Open):
    geonameid: int
    name: str | None = None
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    resolution: str | None = None
    articles: int
    mentions: int
    events: int


class PlacePage(_PageOf):
    items: list[PlaceRow]


class Stats(_Open):
    articles: int
    events: int = Field(description="real-world events (clusters)")
    event_reports: int = Field(description="events rows: one per article that reports an event")
    actors: int
    places: int
    rejects: int
    untrusted_dates: int
    first_event: str | None = None
    last_event: str | None = None
    by_quad: dict[str, int]
    event_types: list[dict[str, Any]]
    sites: list[dict[str, Any]]
    languages: list[dict[str, Any]]


class ProcessIn(BaseModel):
    """One document to run through the pipeline: ``text`` or ``html``, not both."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="the document as plain text")
    html: str | None = Field(None, description="the document as HTML")
    url: str | None = Field(None, max_length=2048, description="where it came from (sets source.uri and site)")
    published: str | None = Field(
        None, max_length=40, pattern=r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$",
        description="the stated publication date, ISO 8601",
    )  # fmt: skip
    text_kind: Literal["auto", "page", "article"] = "auto"

    @model_validator(mode="after")
    def _one_body(self) -> ProcessIn:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of text or html")
        return self
