"""``dateline serve``: the web UI and the REST API over one database, opened read-only.

The only module that imports fastapi (and uvicorn). Pages are Jinja2 templates rendered on
the server with autoescaping; charts are SVG laid out by ``charts.py``; every asset is
served by the app itself (no CDN), under a Content-Security-Policy that allows no inline
script. Errors are ``{"error": {"type", "message", "hint"}}`` on ``/api`` and an HTML page
elsewhere; a 500 never shows a traceback. ``GET /api/...`` answers are kept in a bounded LRU
(``ResponseCache``), which is sound because the database is opened read-only and cannot change
while the server runs; the ``X-Cache`` header says ``hit`` or ``miss``.

Usage::

    app = create_app("dateline.duckdb")      # for any ASGI server or TestClient
    serve("dateline.duckdb", port=8000)      # uvicorn on 127.0.0.1
"""

from __future__ import annotations

import ipaddress
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

import jinja2
from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from dateline import __version__
from dateline.errors import ConfigError, DatelineError, DocumentError, InputError, StoreError, TooLargeError
from dateline.store import Database
from dateline.store import queries as q
from dateline.web import charts, models
from dateline.web.highlight import evidence_text, highlight

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,128}$"
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": models.ErrorOut, "description": "unknown id"},
    422: {"model": models.ErrorOut, "description": "a parameter that cannot be used"},
}


def _json_bytes(content: Any) -> bytes:
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


class JSON(JSONResponse):
    """Compact JSON; dates and other plain values become strings."""

    def render(self, content: Any) -> bytes:
        return _json_bytes(content)


class ResponseCache:
    """A bounded LRU of rendered JSON bodies, keyed by the normalised request.

    Sound only because the server opens the database read-only: DuckDB lets no process
    write a file that another process holds open, so an answer cannot go stale while the
    server runs (restart it after an ingest, which needs the file to itself anyway). Bounded
    by total body bytes; ``max_bytes=0`` turns it off. Errors are never cached.
    """

    def __init__(self, max_bytes: int, max_entry_bytes: int = 4 << 20) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = min(max_entry_bytes, max_bytes)
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            body = self._entries.get(key)
            if body is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        if len(body) > self.max_entry_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._entries[key] = body
            self._size += len(body)
            while self._size > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted)

    def answer(self, key: Hashable, build: Callable[[], Any]) -> Response:
        """The cached body for ``key``, else ``build()`` rendered (and kept); says which in X-Cache."""
        body = self.get(key)
        state = "hit"
        if body is None:
            body, state = _json_bytes(build()), "miss"
            self.put(key, body)
        return Response(body, media_type="application/json", headers={"x-cache": state})


# -- middleware -------------------------------------------------------------------------


class _SecurityHeaders:
    """Adds CSP, nosniff, Referrer-Policy and frame denial to every response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _DropEmptyParams:
    """On pages (not ``/api``), drop empty query parameters: an HTML form sends every field."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http" and scope.get("query_string") and not scope.get("path", "").startswith("/api/"):
            pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            scope = dict(scope, query_string=urlencode([(k, v) for k, v in pairs if v.strip()]).encode("latin-1"))
        await self.app(scope, receive, send)


class _BodyLimit:
    """Refuses a request body over ``limit`` bytes with 413, by its Content-Length or as it streams."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send, int(declared) if declared.isdigit() else None)
            return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS") and declared is None:
            await self.app(scope, receive, send)
            return
        # Read the body here, bounded, and replay it: the app never sees more than the limit.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([], message), send)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                await self._refuse(send, size, streamed=True)
                return
            more = message.get("more_body", False)
        await self.app(scope, _replay(chunks, None), send)

    def _hint(self) -> str:
        return "Send a smaller document, or start the server with a larger max_body_bytes"

    async def _refuse(self, send: Callable, size: int | None, streamed: bool = False) -> None:
        message = (
            f"The request body is {'at least ' if streamed else ''}{size} bytes, over the limit of {self.limit}"
            if size is not None
            else "The Content-Length header is not a number"
        )
        body = _error_body("too_large" if size is not None else "invalid_request", message, self._hint())
        status = 413 if size is not None else 422
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _replay(chunks: list[bytes], last: dict | None) -> Callable:
    """A ``receive`` that hands the buffered body over once, then what the client sends next."""
    pending = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}] if last is None else [last]

    async def receive() -> dict:
        if pending:
            return pending.pop()
        return {"type": "http.disconnect"}

    return receive


def _error_body(kind: str, message: str, hint: str) -> bytes:
    return json.dumps({"error": {"type": kind, "message": message, "hint": hint}}).encode()


# -- templates --------------------------------------------------------------------------


def _safe_url(value: Any) -> str | None:
    """A link target only when it is http(s): a scraped ``javascript:`` URI is shown, never linked."""
    if not isinstance(value, str):
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value.strip() if scheme in ("http", "https") else None


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("dateline.web", "templates"),
        autoescape=True,  # every template, whatever its name: scraped text is hostile
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = _safe_url
    env.filters["qs"] = lambda params: urlencode({k: v for k, v in params.items() if v not in (None, "")})
    env.globals["version"] = __version__
    env.globals["quad_names"] = q.QUAD_NAMES
    return env


# -- the app ----------------------------------------------------------------------------


def event_filter(
    actor: Annotated[str | None, Query(max_length=200, description="actor's name (any case) or country code")] = None,
    recipient: Annotated[
        str | None, Query(max_length=200, description="recipient's name (any case) or country code")
    ] = None,
    country: Annotated[
        str | None,
        Query(pattern=r"^[A-Za-z]{2,3}$", description="ISO alpha-2 or alpha-3: where it happened or who took part"),
    ] = None,
    type: Annotated[
        str | None, Query(pattern=r"^[A-Za-z_]{2,40}$", description="PLOVER event type, e.g. CONSULT")
    ] = None,
    aux: Annotated[
        Literal["none", "future", "hypothetical", "historical", "negated"] | None,
        Query(description="an auxiliary mode, or none for events that happened"),
    ] = None,
    date_from: Annotated[str | None, Query(pattern=q.DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(pattern=q.DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    place: Annotated[str | None, Query(max_length=200, description="GeoNames id or place name")] = None,
    min_sources: Annotated[
        int | None, Query(ge=1, le=10_000, description="at least this many articles report it")
    ] = None,
) -> q.EventFilter:
    return q.EventFilter(actor, recipient, country, type, aux, date_from, date_to, place, min_sources)


Filters = Annotated[q.EventFilter, Depends(event_filter)]
PageNo = Annotated[int, Query(ge=1, le=100_000, description="page number, from 1")]
Size = Annotated[int, Query(ge=1, le=q.MAX_PAGE_SIZE, description="rows per page")]
Sort = Annotated[Literal["-date", "date", "-confidence", "confidence", "type"], Query(description="order")]
Id = Annotated[str, PathParam(pattern=ID_PATTERN)]


def create_app(
    db_path: str | Path,
    *,
    max_body_bytes: int = 1_000_000,
    processor: Callable[..., Any] | None = None,
    cache_bytes: int = 64 << 20,
    duckdb_threads: int | None = None,
) -> FastAPI:
    """The ASGI app over the database at ``db_path`` (opened read-only).

    The database stays open for the life of the process (``app.state.database.close()``
    closes it): an ASGI lifespan may run more than once, under test clients.

    ``processor`` replaces ``dateline.process`` for ``POST /api/process`` (tests use a fake).
    ``cache_bytes`` bounds the cache of ``GET /api/...`` answers (``ResponseCache``; 0: none).
    ``duckdb_threads`` caps DuckDB's threads per query (default: one per core).
    """
    database = Database(db_path, read_only=True)
    if duckdb_threads:
        database.con.execute(f"SET threads = {int(duckdb_threads)}")
    reader = q.ThreadReader(database)
    if not reader.event_index_ready():
        log.warning(
            "%s has no up-to-date event_index: event listings will query the base tables, slowly. "
            "Ingest again, or run Database(path).index_events() once.",
            db_path,
        )
    cache = ResponseCache(cache_bytes)
    env = _templates()
    process_lock = threading.Lock()

    app = FastAPI(
        title="dateline",
        version=__version__,
        description="Auditable event data from news: articles, PLOVER events, actors and places.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.database = database
    app.state.cache = cache
    app.mount("/static", StaticFiles(packages=[("dateline.web", "static")]), name="static")

    def page(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**context), status_code=status_code)

    # one lookup a record kind, shared by its API answer and its page; missing: a 404
    def article_or_404(article_id: str) -> dict[str, Any]:
        doc = q.get_article(reader, article_id)
        if doc is None:
            raise StarletteHTTPException(404, f"No article with id {article_id}")
        return doc

    def event_or_404(event_id: str) -> dict[str, Any]:
        event = q.get_event_with_reports(reader, event_id)
        if event is None:
            raise StarletteHTTPException(404, f"No event with id {event_id}")
        return event

    # -- errors --------------------------------------------------------------------------

    def error_response(request: Request, status: int, kind: str, message: str, hint: str) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSON({"error": {"type": kind, "message": message, "hint": hint}}, status_code=status)
        return page("error.html", status, status=status, kind=kind, message=message, hint=hint)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        kinds = {404: "not_found", 405: "method_not_allowed"}
        message = exc.detail if isinstance(exc.detail, str) else "Request failed"
        if exc.status_code == 400:  # a body that is not JSON at all: as bad as any other bad parameter
            return error_response(request, 422, "invalid_request", message, "Send a JSON object; see /docs")
        hint = "See /docs for the API's paths" if exc.status_code == 404 else ""
        return error_response(request, exc.status_code, kinds.get(exc.status_code, "http_error"), message, hint)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
            problems.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
        return error_response(request, 422, "invalid_request", "; ".join(problems), "See /docs for the accepted values")

    @app.exception_handler(DatelineError)
    async def dateline_error(request: Request, exc: DatelineError) -> Response:
        if isinstance(exc, TooLargeError):
            status = 413
        elif isinstance(exc, q.QueryError | DocumentError | InputError | ConfigError):
            status = 422
        elif isinstance(exc, StoreError):
            log.error("store error: %s", exc)
            status = 503
        else:
            status = 400
        return error_response(request, status, exc.code, exc.message, exc.hint)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        response = error_response(request, 500, "internal", "The server failed to answer", "See the server's log")
        # this response leaves through Starlette's outermost middleware, past ours: add the headers here
        for name, value in SECURITY_HEADERS:
            response.headers[name.decode()] = value.decode()
        return response

    # -- REST ----------------------------------------------------------------------------

    @app.get("/api/articles", response_model=None, responses={200: {"model": models.ArticlePage}, **ERROR_RESPONSES})
    def api_articles(
        q_: Annotated[str | None, Query(alias="q", max_length=200, description="words in the title or text")] = None,
        site: Annotated[str | None, Query(max_length=200)] = None,
        section: Annotated[str | None, Query(max_length=200)] = None,
        language: Annotated[str | None, Query(max_length=20)] = None,
        date_from: Annotated[date | None, Query(description="stated publication date, from")] = None,
        date_to: Annotated[date | None, Query(description="stated publication date, to")] = None,
        page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
        size: Size = 50,
    ) -> Response:
        """Search articles: words in the title or text (any case), site, section, language, dates."""
        filters = q.ArticleFilter(site, section, language, date_from, date_to)
        key = ("articles", q_, filters, page_no, size)
        return cache.answer(key, lambda: q.list_articles(reader, q_, filters, page_no, size).to_json())

    @app.get(
        "/api/articles/{article_id}",
        response_model=None,
        responses={200: {"model": models.Document}, **ERROR_RESPONSES},
    )
    def api_article(article_id: Id) -> Response:
        """One article's full document JSON (design.md §3)."""
        return cache.answer(("article", article_id), lambda: article_or_404(article_id))

    @app.get("/api/events", response_model=None, responses={200: {"model": models.EventPage}, **ERROR_RESPONSES})
    def api_events(filters: Filters, sort: Sort = "-date", page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1, size: Size = 50) -> Response:  # fmt: skip
        """Events matching the filters (combined with AND), a page at a time."""
        key = ("events", filters.cache_key(), sort, page_no, size)
        return cache.answer(key, lambda: q.list_events(reader, filters, sort, page_no, size).to_json())

    @app.get(
        "/api/events/{event_id}", response_model=None, responses={200: {"model": models.EventDetail}, **ERROR_RESPONSES}
    )
    def api_event(event_id: Id) -> Response:
        """One event and every article that reports it (its cluster)."""
        return cache.answer(("event", event_id), lambda: event_or_404(event_id))

    @app.get("/api/actors", response_model=None, responses={200: {"model": models.ActorPage}, **ERROR_RESPONSES})
    def api_actors(
        q_: Annotated[
            str | None, Query(alias="q", max_length=200, description="part of a name, or a country code")
        ] = None,
        page_no: PageNo = 1,
        size: Size = 50,
    ) -> Response:
        """Actors taking part in events, most active first."""
        return cache.answer(("actors", q_, page_no, size), lambda: q.list_actors(reader, q_, page_no, size).to_json())

    @app.get("/api/places", response_model=None, responses={200: {"model": models.PlacePage}, **ERROR_RESPONSES})
    def api_places(
        q_: Annotated[
            str | None, Query(alias="q", max_length=200, description="part of a name, or a country code")
        ] = None,
        page_no: PageNo = 1,
        size: Size = 50,
    ) -> Response:
        """Places named in articles, with article, mention and event counts."""
        return cache.answer(("places", q_, page_no, size), lambda: q.list_places(reader, q_, page_no, size).to_json())

    @app.get("/api/stats", response_model=None, responses={200: {"model": models.Stats}})
    def api_stats() -> Response:
        """Counts: articles, real-world events and their reports, actors, places, rejects."""
        return cache.answer(("stats",), lambda: q.stats(reader))

    @app.post(
        "/api/process",
        response_model=None,
        responses={
            200: {"model": models.Document},
            413: {"model": models.ErrorOut, "description": "body over the size limit"},
            422: {"model": models.ErrorOut, "description": "a bad body, or a document the pipeline rejects"},
        },
    )
    def api_process(body: models.ProcessIn) -> JSON:
        """Run the pipeline on one document and return its document JSON (nothing is stored)."""
        run = processor
        if run is None:
            from dateline import process as run
        payload = body.text if body.text is not None else body.html
        with process_lock:  # one pipeline, one document at a time
            article = run(
                payload,
                uri=body.url,
                published=body.published,
                content_type="text/html" if body.html is not None else "text/plain",
                text_kind=body.text_kind,
            )
        doc = article.to_json() if hasattr(article, "to_json") else article
        fatal = [e for e in doc.get("errors", []) if e.get("fatal")]
        if fatal:
            return JSON(
                {
                    "error": {
                        "type": fatal[0].get("code", "document"),
                        "message": fatal[0].get("message", ""),
                        "hint": "",
                    }
                },
                status_code=422,
            )
        return JSON(doc)

    # -- docs ----------------------------------------------------------------------------

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        spec = app.openapi()
        return page("docs.html", spec=spec, operations=_operations(spec))

    # -- pages ---------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def overview() -> HTMLResponse:
        return page(
            "index.html",
            stats=q.stats(reader),
            latest=q.latest_events(reader, 12),
            actors=q.list_actors(reader, None, 1, 12).items,
            articles=q.list_articles(reader, None, None, 1, 8).items,
        )

    @app.get("/articles", include_in_schema=False)
    def articles_page(
        q_: Annotated[str | None, Query(alias="q", max_length=200)] = None,
        site: Annotated[str | None, Query(max_length=200)] = None,
        page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    ) -> HTMLResponse:
        listing = q.list_articles(reader, q_, q.ArticleFilter(site=site or None), page_no, 50)
        return page("articles.html", listing=listing, q=q_ or "", site=site or "", params={"q": q_, "site": site})

    @app.get("/articles/{article_id}", include_in_schema=False)
    def article_page(article_id: Id) -> HTMLResponse:
        doc = article_or_404(article_id)
        events = [e for e in doc.get("events") or [] if isinstance(e, dict)]
        return page(
            "article.html",
            doc=doc,
            paragraphs=highlight(doc),
            events=events,
            evidence={str(e.get("id")): evidence_text(doc, e) for e in events},
            reports=q.related_reports(reader, article_id),
        )

    @app.get("/events", include_in_schema=False)
    def events_page(
        filters: Filters,
        sort: Sort = "-date",
        page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    ) -> HTMLResponse:
        params = filters.as_params()
        listing = q.list_events(reader, filters, sort, page_no, 50)
        timeline = q.timeline(reader, filters)
        return page(
            "events.html",
            filters=filters,
            params=params,
            sort=sort,
            listing=listing,
            timeline=charts.timeline_chart(timeline),
            timeline_data=timeline,
            map_points=charts.map_points(q.event_locations(reader, filters), params),
            network=charts.network_layout(q.actor_network(reader, filters), params),
            types=q.list_event_types(reader),
        )

    @app.get("/events/{event_id}", include_in_schema=False)
    def event_page(event_id: Id) -> HTMLResponse:
        event = event_or_404(event_id)
        record = {k: v for k, v in event.items() if k not in ("reports", "article", "article_id", "sources")}
        return page("event.html", event=event, record_json=json.dumps(record, indent=2, ensure_ascii=False))

    return _wrap(app, max_body_bytes)


def _wrap(app: FastAPI, max_body_bytes: int) -> FastAPI:
    app.add_middleware(_BodyLimit, limit=max_body_bytes)
    app.add_middleware(_DropEmptyParams)
    app.add_middleware(_SecurityHeaders)
    return app


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The spec's operations flattened for the docs page, with $refs resolved one level."""
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = []
            for p in op.get("parameters", []):
                schema = p.get("schema", {})
                kinds = [s.get("type") or s.get("$ref", "").rsplit("/", 1)[-1] for s in schema.get("anyOf", [schema])]
                enum = next((s.get("enum") for s in schema.get("anyOf", [schema]) if s.get("enum")), None)
                params.append(
                    {
                        "name": p["name"], "in": p["in"], "required": p.get("required", False),
                        "type": " | ".join(k for k in kinds if k), "description": p.get("description", "") or schema.get("description", ""),
                        "pattern": next((s.get("pattern") for s in schema.get("anyOf", [schema]) if s.get("pattern")), None),
                        "enum": enum, "default": schema.get("default"),
                    }
                )  # fmt: skip
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            responses = []
            for code, r in op.get("responses", {}).items():
                ref = r.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
                responses.append(
                    {"code": code, "description": r.get("description", ""), "model": ref.rsplit("/", 1)[-1]}
                )
            out.append(
                {
                    "path": path, "method": method.upper(), "summary": op.get("summary", ""),
                    "description": op.get("description", ""), "params": params,
                    "body": body.get("$ref", "").rsplit("/", 1)[-1], "responses": responses,
                    "anchor": (method + path).replace("/", "-").replace("{", "").replace("}", ""),
                }
            )  # fmt: skip
    return out


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the UI and API with uvicorn until interrupted."""
    import uvicorn

    if not _is_loopback(host):
        log.warning(
            "Serving on %s, not loopback: anyone who can reach it can read the whole database and run "
            "the pipeline through POST /api/process. There is no authentication; put a proxy with one in front.",
            host,
        )
    app = create_app(db_path)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
