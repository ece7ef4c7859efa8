"""Read queries for the web UI, the REST API and ``dateline events``: all the SQL they need.

Every value reaches DuckDB as a parameter; the only text spliced into SQL comes from the
fixed tables below (sort orders, filter fragments). Each function takes anything with
``query(sql, params) -> list[dict]``: a ``Database`` or a ``ThreadReader`` over one.

A real-world event is a cluster of events rows, one per article that reports it; counts of
events (timeline, map, network) count clusters, not reports, and ``sources`` is the number
of distinct articles in an event's cluster.

``list_events`` filters, counts and pages on the derived ``event_index`` table (cluster
sizes, lower-cased actor names, countries, place names and a rank per sort order, computed
once at clustering time) when the database vouches for it: opened read-only, and the index's
fingerprint matches the rows it was built from (``Database.event_index_ready``). Otherwise it
runs the same filters on the base tables; both give the same answers (a test checks).

Usage::

    with Database("dateline.duckdb", read_only=True) as db:
        page = list_events(db, EventFilter(actor="Japan", date_from="2018-06"), size=20)
    page.total, page.items[0]["event"]
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from dateline.errors import DatelineError


class Queryable(Protocol):
    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...


class QueryError(DatelineError):
    """A filter or sort a query cannot use; the API answers 422."""

    code = "invalid_query"
    hint = "See /docs for the accepted values"


class ThreadReader:
    """A read-only view of a ``Database`` giving each thread its own DuckDB cursor.

    One DuckDB connection must not run queries from two threads at once; cursors of the
    same connection may, and they share its cache.
    """

    def __init__(self, db: Any) -> None:
        self._db = db
        self._local = threading.local()
        self._lock = threading.Lock()
        # asked once, here, on the creating thread: the answer holds for a read-only database
        ready = getattr(db, "event_index_ready", None)
        self._indexed = bool(ready()) if callable(ready) else False
        self._memo: OrderedDict[Any, Any] = OrderedDict()

    def event_index_ready(self) -> bool:
        return self._indexed

    def memo(self, key: Any, compute: Any, limit: int = 4096) -> Any:
        """``compute()``, remembered under ``key`` (LRU of ``limit`` small values).

        Only for a read-only database: it cannot change while open, so neither can the value.
        """
        if not getattr(self._db, "read_only", False):
            return compute()
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute()
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > limit:
                self._memo.popitem(last=False)
        return value

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            with self._lock:  # creating a cursor touches the shared connection
                cursor = self._local.cursor = self._db.con.cursor()
        result = cursor.execute(sql, list(params))
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


# -- filters ----------------------------------------------------------------------------

DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
AUX_VALUES = ("none", "future", "hypothetical", "historical", "negated")
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


@dataclass(frozen=True)
class EventFilter:
    """Which events to show; every field is optional and the fields combine with AND.

    ``actor``/``recipient``: an actor's canonical name (any case) or country code
    (``JPN``). ``country``: where it happened or who took part, as ISO alpha-2 or alpha-3.
    ``type``: a PLOVER event type (``CONSULT``). ``aux``: one auxiliary mode, or ``none``
    for events that happened. ``date_from``/``date_to``: ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``; an event whose date overlaps the range is kept. ``place``: a GeoNames
    id or a place name. ``min_sources``: at least this many articles report the event.
    """

    actor: str | None = None
    recipient: str | None = None
    country: str | None = None
    type: str | None = None
    aux: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    place: str | None = None
    min_sources: int | None = None

    def validate(self) -> EventFilter:
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value and not re.match(DATE_PATTERN, value):
                raise QueryError(f"{name} must look like 2018, 2018-06 or 2018-06-12, not {value!r}")
        if self.aux and self.aux.lower() not in AUX_VALUES:
            raise QueryError(f"aux must be one of {', '.join(AUX_VALUES)}, not {self.aux!r}")
        if self.min_sources is not None and self.min_sources < 1:
            raise QueryError("min_sources must be at least 1")
        return self

    def cache_key(self) -> tuple[Any, ...]:
        """The filter reduced to what the queries use: equal keys give equal results.

        Names match in any case and countries as alpha-2 or alpha-3, so ``actor=Japan`` and
        ``actor= japan`` share a key, as do ``country=JP`` and ``country=jpn``.
        """
        self.validate()

        def text(value: str | None) -> str | None:
            return value.strip().lower() if value else None  # " " is a filter that matches nothing, not None

        place = text(self.place)
        return (
            text(self.actor),
            text(self.recipient),
            _country_codes(self.country) if self.country else None,
            (self.type.strip().upper() if self.type.isascii() else self.type.strip()) if self.type else None,
            self.aux.lower() if self.aux else None,
            self.date_from or None,
            self.date_to or None,
            int(place) if place and place.isdecimal() else place,
            self.min_sources if self.min_sources and self.min_sources > 1 else None,
        )

    def as_params(self) -> dict[str, str]:
        """The non-empty fields as query-string parameters (for links that keep the filters)."""
        return {k: str(v) for k, v in dataclasses.asdict(self).items() if v not in (None, "")}


@dataclass(frozen=True)
class ArticleFilter:
    site: str | None = None
    section: str | None = None
    language: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class Page:
    """One page of a listing: the rows and how many there are in all."""

    items: list[dict[str, Any]]
    total: int
    page: int
    size: int
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "page": self.page, "size": self.size, **self.extra}


MAX_PAGE_SIZE = 200
_CLUSTER_KEY = "coalesce(e.cluster, e.id)"


def _like(value: str) -> str:
    """A substring pattern for ILIKE that matches ``value`` literally."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _country_codes(value: str) -> tuple[str, str]:
    """(alpha-2, alpha-3) for a country code given either way; unknown codes match as given."""
    code = value.strip().upper()
    try:
        import pycountry

        country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else pycountry.countries.get(alpha_3=code)
    except (ImportError, KeyError, LookupError):
        country = None
    if country is None:
        return code, code
    return country.alpha_2, country.alpha_3


def _event_where(f: EventFilter) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``events e`` and their parameters."""
    f.validate()
    where: list[str] = []
    params: list[Any] = []
    for role, value in (("actor", f.actor), ("recipient", f.recipient)):
        if value:
            where.append(
                "e.id IN (SELECT m.event_id FROM event_mentions m WHERE m.role = ? "
                "AND (lower(m.actor_name) = ? OR m.country = ?))"
            )
            params += [role, value.strip().lower(), value.strip().upper()]
    if f.country:
        alpha2, alpha3 = _country_codes(f.country)
        where.append("(e.country_code = ? OR e.id IN (SELECT m.event_id FROM event_mentions m WHERE m.country = ?))")
        params += [alpha2, alpha3]
    if f.type:
        where.append("e.event = upper(?)")
        params.append(f.type.strip())
    if f.aux:
        if f.aux.lower() == "none":
            where.append("coalesce(len(e.aux), 0) = 0")
        else:
            where.append("list_contains(e.aux, lower(?))")
            params.append(f.aux)
    if f.date_from:
        # keep an event whose last day is on or after date_from: compare at the coarser precision
        where.append("coalesce(e.enddate, e.date) >= left(?, length(coalesce(e.enddate, e.date)))")
        params.append(f.date_from)
    if f.date_to:
        where.append("e.date <= ?")
        params.append(f.date_to + "~")  # "~" sorts after digits and "-": 2018-06 covers 2018-06-30
    if f.place:
        if f.place.strip().isdecimal():
            where.append("e.geonameid = ?")
            params.append(int(f.place.strip()))
        else:
            # the names of places are in the places table; events carry the GeoNames id
            where.append(
                "e.geonameid IN (SELECT p.geonameid FROM places p WHERE lower(p.name) = ? OR lower(p.text) = ?)"
            )
            params += [f.place.strip().lower(), f.place.strip().lower()]
    if f.min_sources and f.min_sources > 1:
        where.append(
            f"{_CLUSTER_KEY} IN (SELECT coalesce(cluster, id) FROM events "
            "GROUP BY 1 HAVING count(DISTINCT article_id) >= ?)"
        )
        params.append(f.min_sources)
    return where, params


def _index_where(f: EventFilter) -> tuple[list[str], list[Any]]:
    """The conditions of ``_event_where``, on ``event_index x``: the same rows, no joins."""
    f.validate()
    where: list[str] = []
    params: list[Any] = []
    for role, value in (("actor", f.actor), ("recipient", f.recipient)):
        if value:
            where.append(f"(list_contains(x.{role}_names, ?) OR list_contains(x.{role}_countries, ?))")
            params += [value.strip().lower(), value.strip().upper()]
    if f.country:
        alpha2, alpha3 = _country_codes(f.country)
        where.append("(x.country_code = ? OR list_contains(x.countries, ?))")
        params += [alpha2, alpha3]
    if f.type:
        where.append("x.event = upper(?)")
        params.append(f.type.strip())
    if f.aux:
        if f.aux.lower() == "none":
            where.append("coalesce(len(x.aux), 0) = 0")
        else:
            where.append("list_contains(x.aux, lower(?))")
            params.append(f.aux)
    if f.date_from:
        where.append("x.last_date >= left(?, length(x.last_date))")
        params.append(f.date_from)
    if f.date_to:
        where.append("x.date <= ?")
        params.append(f.date_to + "~")
    if f.place:
        if f.place.strip().isdecimal():
            where.append("x.geonameid = ?")
            params.append(int(f.place.strip()))
        else:
            where.append("list_contains(x.place_names, ?)")
            params.append(f.place.strip().lower())
    if f.min_sources and f.min_sources > 1:
        where.append("x.n_sources >= ?")
        params.append(f.min_sources)
    return where, params


def _indexed(db: Queryable) -> bool:
    """Whether ``db`` vouches for its ``event_index`` (see ``Database.event_index_ready``)."""
    ready = getattr(db, "event_index_ready", None)
    return bool(ready()) if callable(ready) else False


def _where_sql(where: list[str]) -> str:
    return (" WHERE " + " AND ".join(where)) if where else ""


def _paging(page: int, size: int) -> tuple[int, int]:
    if page < 1:
        raise QueryError("page must be at least 1")
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise QueryError(f"size must be between 1 and {MAX_PAGE_SIZE}")
    return size, (page - 1) * size


def _loads(value: Any) -> Any:
    if value is None or isinstance(value, dict | list):
        return value
    return json.loads(value)


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        out[k] = v.isoformat() if isinstance(v, datetime | date) else v
    return out


# -- events -----------------------------------------------------------------------------

EVENT_SORTS = {
    "-date": "e.date DESC NULLS LAST, e.id",
    "date": "e.date ASC NULLS LAST, e.id",
    "-confidence": "e.confidence DESC NULLS LAST, e.id",
    "confidence": "e.confidence ASC NULLS LAST, e.id",
    "type": "e.event ASC NULLS LAST, e.date DESC NULLS LAST, e.id",
}


def list_events(
    db: Queryable, filters: EventFilter | None = None, sort: str = "-date", page: int = 1, size: int = 50
) -> Page:
    """Events matching ``filters``, each its Event JSON plus ``article`` and ``sources``."""
    filters = filters or EventFilter()
    if sort not in EVENT_SORTS:
        raise QueryError(f"sort must be one of {', '.join(EVENT_SORTS)}, not {sort!r}")
    limit, offset = _paging(page, size)
    if _indexed(db):
        return _list_events_indexed(db, filters, sort, page, size)
    where, params = _event_where(filters)
    sql_where = _where_sql(where)
    total = db.query(f"SELECT count(*) AS n FROM events e{sql_where}", params)[0]["n"]
    ids = db.query(
        f"SELECT e.id FROM events e{sql_where} ORDER BY {EVENT_SORTS[sort]} LIMIT ? OFFSET ?", [*params, limit, offset]
    )
    items = _events_by_id(db, [r["id"] for r in ids])
    return Page(items, total, page, size)


# each sort order of EVENT_SORTS as a precomputed rank in event_index
INDEX_SORTS = {"-date": "r_date_desc", "date": "r_date_asc", "-confidence": "r_conf_desc",
               "confidence": "r_conf_asc", "type": "r_type"}  # fmt: skip


def _list_events_indexed(db: Queryable, filters: EventFilter, sort: str, page: int, size: int) -> Page:
    """``list_events`` on ``event_index``: filter and page on one narrow table, then fetch the page."""
    limit, offset = _paging(page, size)
    where, params = _index_where(filters)
    rank = "x." + INDEX_SORTS[sort]
    columns = "x.id, x.article_id, x.cluster_key, x.n_sources"
    if where:
        rows = db.query(
            f"SELECT {columns} FROM event_index x{_where_sql(where)} ORDER BY {rank} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
    else:  # ranks run 1..n without gaps: a page is a range, no sort needed
        rows = db.query(
            f"SELECT {columns} FROM event_index x WHERE {rank} > ? AND {rank} <= ? ORDER BY {rank}",
            [offset, offset + limit],
        )
    if rows and len(rows) < limit:  # the last page: nothing to count
        total = offset + len(rows)
    elif not rows and offset == 0:
        total = 0
    else:

        def count() -> int:
            return db.query(f"SELECT count(*) AS n FROM event_index x{_where_sql(where)}", params)[0]["n"]

        # every page and sort of one filter has the same total: count it once (a ThreadReader remembers)
        memo = getattr(db, "memo", None)
        total = memo(("event_count", filters.cache_key()), count) if callable(memo) else count()
    sources = {r["cluster_key"]: r["n_sources"] for r in rows}
    return Page(_events_by_id(db, [r["id"] for r in rows], sources), total, page, size)


_EVENT_COLUMNS = (
    "e.id, e.article_id, e.record, e.cluster, e.event, e.mode, e.context, e.aux, e.date, e.enddate, "
    "e.date_precision, e.country_code, e.geonameid, e.lat, e.lon, e.cameo, e.quad_code, e.confidence"
)


def _events_by_id(db: Queryable, ids: list[str], sources: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """Full events for ``ids``, in that order, with their article and source count.

    ``sources`` (cluster key -> distinct articles), when the caller has it, saves counting.
    """
    if not ids:
        return []
    # small queries: a join of events with articles would scan every article. The columns
    # beyond the record are read only for a row without one (Event JSON rebuilt from them).
    rows = db.query(
        f"SELECT e.id, e.article_id, e.record, e.cluster, {_CLUSTER_KEY} AS cluster_key "
        "FROM events e WHERE e.id IN (SELECT unnest(?))",
        [ids],
    )
    bare = [r["id"] for r in rows if r["record"] is None]
    if bare:
        full = {
            r["id"]: r
            for r in db.query(f"SELECT {_EVENT_COLUMNS} FROM events e WHERE e.id IN (SELECT unnest(?))", [bare])
        }
        for r in rows:
            r.update(full.get(r["id"], {}))
    articles = {
        a["id"]: a
        for a in db.query(
            "SELECT id, title, site, uri, published_stated FROM articles WHERE id IN (SELECT unnest(?))",
            [list({r["article_id"] for r in rows})],
        )
    }
    if sources is None or any(r["cluster_key"] not in sources for r in rows):
        sources = _sources(db, list({r["cluster_key"] for r in rows}))
    by_id = {}
    for r in rows:
        a = articles.get(r["article_id"], {})
        r.update(
            article_title=a.get("title"), article_site=a.get("site"), article_uri=a.get("uri"),
            article_published=a.get("published_stated"),
        )  # fmt: skip
        record = _record(r)
        record["article_id"] = r["article_id"]
        record["article"] = {
            "id": r["article_id"],
            "title": r["article_title"],
            "site": r["article_site"],
            "uri": r["article_uri"],
            "published": r["article_published"].isoformat() if r["article_published"] else None,
        }
        record["sources"] = sources.get(r["cluster_key"], 1)
        by_id[r["id"]] = record
    return [by_id[i] for i in ids if i in by_id]


def _sources(db: Queryable, keys: list[str]) -> dict[str, int]:
    """How many distinct articles report each cluster key."""
    # an event without a cluster is its own cluster of one: only clustered keys need counting
    rows = db.query(
        "SELECT cluster AS k, count(DISTINCT article_id) AS n FROM events WHERE cluster IN (SELECT unnest(?)) GROUP BY 1",
        [[k for k in keys if k]],
    )
    return {r["k"]: r["n"] for r in rows}


def _record(row: dict[str, Any]) -> dict[str, Any]:
    """The Event JSON of a row: its ``record`` column, else what the columns hold."""
    record = _loads(row.get("record"))
    if isinstance(record, dict):
        record = dict(record)
        record.setdefault("id", row["id"])
        # the column is the truth: clustering after ingest sets it and leaves the stored record as it was
        if row.get("cluster") is not None or "cluster" not in record:
            record["cluster"] = row.get("cluster")
        return record
    return {
        "id": row["id"], "event": row.get("event"), "mode": row.get("mode"), "context": row.get("context") or [],
        "aux": row.get("aux") or [], "actor": [], "recipient": [],
        "event_loc": {"text": None, "geonameid": row.get("geonameid"), "name": None,
                      "country_code": row.get("country_code"), "lat": row.get("lat"), "lon": row.get("lon"),
                      "resolution": None},
        "date": row.get("date"), "enddate": row.get("enddate"), "date_precision": row.get("date_precision"),
        "attribution": {"source": None, "via": None}, "evidence": {"sentence": None, "trigger": None},
        "confidence": row.get("confidence"), "cameo": row.get("cameo"), "quad_code": row.get("quad_code"),
        "cluster": row.get("cluster"),
    }  # fmt: skip


def get_event_with_reports(db: Queryable, event_id: str) -> dict[str, Any] | None:
    """One event and every report of it: the events rows of its cluster with their articles."""
    found = _events_by_id(db, [event_id])
    if not found:
        return None
    event = found[0]
    key = event.get("cluster") or event_id
    rows = db.query(
        "SELECT e.id AS event_id, e.article_id, e.record, a.title, a.site, a.uri, a.published_stated, "
        "a.published_trusted, a.text FROM events e LEFT JOIN articles a ON a.id = e.article_id "
        f"WHERE {_CLUSTER_KEY} = ? ORDER BY a.published_stated NULLS LAST, e.id",
        [key],
    )
    reports = []
    for r in rows:
        record = _loads(r["record"]) or {}
        sentence = (record.get("evidence") or {}).get("sentence")
        text = r["text"] or ""
        evidence = None
        if isinstance(sentence, list) and len(sentence) == 2 and 0 <= sentence[0] <= sentence[1] <= len(text):
            evidence = text[sentence[0] : sentence[1]]
        elif isinstance(sentence, str):
            evidence = sentence
        reports.append(
            {
                "event_id": r["event_id"],
                "article_id": r["article_id"],
                "title": r["title"],
                "site": r["site"],
                "uri": r["uri"],
                "published": r["published_stated"].isoformat() if r["published_stated"] else None,
                "published_trusted": r["published_trusted"],
                "evidence": evidence,
            }
        )
    event["reports"] = reports
    return event


def timeline(db: Queryable, filters: EventFilter | None = None) -> dict[str, Any]:
    """Real-world events per day by quad class; events dated coarser than a day are counted apart."""
    where, params = _event_where(filters or EventFilter())
    rows = db.query(
        f"SELECT left(e.date, 10) AS day, coalesce(e.quad_code, 0) AS quad, count(DISTINCT {_CLUSTER_KEY}) AS n "
        f"FROM events e{_where_sql([*where, 'length(e.date) >= 10'])} GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )
    coarse = db.query(
        f"SELECT count(DISTINCT {_CLUSTER_KEY}) AS n FROM events e"
        f"{_where_sql([*where, '(e.date IS NULL OR length(e.date) < 10)'])}",
        params,
    )[0]["n"]
    days: dict[str, dict[str, int]] = {}
    for r in rows:
        counts = days.setdefault(r["day"], {"1": 0, "2": 0, "3": 0, "4": 0, "0": 0})
        counts[str(r["quad"]) if r["quad"] in (1, 2, 3, 4) else "0"] += r["n"]
    return {
        "days": [{"date": d, "counts": c, "total": sum(c.values())} for d, c in days.items()],
        "not_daily": coarse,
        "quads": {str(k): v for k, v in QUAD_NAMES.items()},
    }


def event_locations(db: Queryable, filters: EventFilter | None = None, limit: int = 400) -> list[dict[str, Any]]:
    """Where the matching events happened: one row per place with its count of real-world events."""
    where, params = _event_where(filters or EventFilter())
    rows = db.query(
        "SELECT e.geonameid, any_value(json_extract_string(e.record, '$.event_loc.name')) AS name, "
        "any_value(e.country_code) AS country_code, round(avg(e.lat), 4) AS lat, round(avg(e.lon), 4) AS lon, "
        f"count(DISTINCT {_CLUSTER_KEY}) AS n, avg(CAST(coalesce(e.quad_code, 0) >= 3 AS INTEGER)) AS conflict_share "
        f"FROM events e{_where_sql([*where, 'e.lat IS NOT NULL', 'e.lon IS NOT NULL'])} "
        "GROUP BY e.geonameid, round(e.lat, 1), round(e.lon, 1) ORDER BY n DESC LIMIT ?",
        [*params, limit],
    )
    return rows


def actor_network(db: Queryable, filters: EventFilter | None = None, limit: int = 60) -> dict[str, Any]:
    """Who acts on whom: weighted edges actor -> recipient (real-world events) and their nodes."""
    where, params = _event_where(filters or EventFilter())
    edges = db.query(
        f"WITH f AS (SELECT e.id, {_CLUSTER_KEY} AS k, coalesce(e.quad_code, 0) AS quad FROM events e{_where_sql(where)}) "
        "SELECT a.actor_name AS source, r.actor_name AS target, count(DISTINCT f.k) AS weight, "
        "round(avg(CAST(f.quad >= 3 AS INTEGER)), 3) AS conflict_share "
        "FROM f JOIN event_mentions a ON a.event_id = f.id AND a.role = 'actor' "
        "JOIN event_mentions r ON r.event_id = f.id AND r.role = 'recipient' "
        "WHERE a.actor_name IS NOT NULL AND r.actor_name IS NOT NULL AND a.actor_name <> r.actor_name "
        "GROUP BY 1, 2 ORDER BY weight DESC, source, target LIMIT ?",
        [*params, limit],
    )
    totals: dict[str, int] = {}
    for e in edges:
        totals[e["source"]] = totals.get(e["source"], 0) + e["weight"]
        totals[e["target"]] = totals.get(e["target"], 0) + e["weight"]
    nodes = [{"id": name, "weight": w} for name, w in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {"nodes": nodes, "edges": edges}


def list_event_types(db: Queryable) -> list[dict[str, Any]]:
    return db.query(
        "SELECT event AS type, any_value(quad_code) AS quad_code, count(*) AS n FROM events "
        "WHERE event IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1"
    )


# -- articles ---------------------------------------------------------------------------


def list_articles(
    db: Queryable, q: str | None = None, filters: ArticleFilter | None = None, page: int = 1, size: int = 50
) -> Page:
    """Articles whose title or text contains ``q`` (any case), newest stated date first."""
    f = filters or ArticleFilter()
    limit, offset = _paging(page, size)
    where: list[str] = []
    params: list[Any] = []
    if q and q.strip():
        where.append("(a.title ILIKE ? ESCAPE '\\' OR a.text ILIKE ? ESCAPE '\\')")
        params += [_like(q.strip()), _like(q.strip())]
    for column, value in (("site", f.site), ("section", f.section), ("language", f.language)):
        if value:
            where.append(f"lower(a.{column}) = lower(?)")
            params.append(value)
    day = "coalesce(CAST(a.published_stated AS DATE), a.published_estimate_start)"
    if f.date_from:
        where.append(f"{day} >= ?")
        params.append(f.date_from)
    if f.date_to:
        where.append(f"{day} <= ?")
        params.append(f.date_to)
    sql_where = _where_sql(where)
    total = db.query(f"SELECT count(*) AS n FROM articles a{sql_where}", params)[0]["n"]
    snippet = "NULL"
    snippet_params: list[Any] = []
    if q and q.strip():
        snippet = (
            "CASE WHEN strpos(lower(a.text), lower(?)) > 0 "
            "THEN substr(a.text, greatest(1, strpos(lower(a.text), lower(?)) - 80), 200) END"
        )
        snippet_params = [q.strip(), q.strip()]
    rows = db.query(
        f"SELECT a.id, a.title, a.site, a.section, a.language, a.uri, a.published_stated AS published, "
        f"a.published_trusted AS trusted, a.n_chars, {snippet} AS snippet, "
        "(SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events "
        f"FROM articles a{sql_where} ORDER BY a.published_stated DESC NULLS LAST, a.id LIMIT ? OFFSET ?",
        [*snippet_params, *params, limit, offset],
    )
    return Page([_jsonable(r) for r in rows], total, page, size)


def get_article(db: Queryable, article_id: str) -> dict[str, Any] | None:
    """The stored document JSON; its ``events`` are the events rows when the store has any."""
    rows = db.query("SELECT document FROM articles WHERE id = ?", [article_id])
    if not rows:
        return None
    doc = _loads(rows[0]["document"]) or {}
    stored = db.query("SELECT * FROM events WHERE article_id = ? ORDER BY id", [article_id])
    if stored:
        events = [_record(r) for r in stored]
        events.sort(key=lambda ev: ((ev.get("evidence") or {}).get("trigger") or [0])[0] or 0)
        doc["events"] = events
    return doc


def related_reports(db: Queryable, article_id: str) -> list[dict[str, Any]]:
    """Other articles that report one of this article's events (same cluster)."""
    return [
        _jsonable(r)
        for r in db.query(
            f"WITH mine AS (SELECT DISTINCT {_CLUSTER_KEY} AS k FROM events e WHERE e.article_id = ?) "
            "SELECT a.id, a.title, a.site, a.published_stated AS published, count(*) AS shared "
            f"FROM events e JOIN mine ON mine.k = {_CLUSTER_KEY} JOIN articles a ON a.id = e.article_id "
            "WHERE e.article_id <> ? GROUP BY ALL ORDER BY shared DESC, published DESC NULLS LAST LIMIT 20",
            [article_id, article_id],
        )
    ]


# -- actors, places, stats --------------------------------------------------------------


def list_actors(db: Queryable, q: str | None = None, page: int = 1, size: int = 50) -> Page:
    """Actors that take part in events, most active first."""
    limit, offset = _paging(page, size)
    where = ["m.actor_name IS NOT NULL"]
    params: list[Any] = []
    if q and q.strip():
        where.append("(m.actor_name ILIKE ? ESCAPE '\\' OR m.country = upper(?))")
        params += [_like(q.strip()), q.strip()]
    sql_where = _where_sql(where)
    total = db.query(
        f"SELECT count(*) AS n FROM (SELECT DISTINCT m.actor_name, m.country FROM event_mentions m{sql_where})", params
    )[0]["n"]
    rows = db.query(
        "SELECT m.actor_name AS name, m.country, mode(m.sector) AS sector, count(DISTINCT m.event_id) AS events, "
        "count(DISTINCT m.event_id) FILTER (WHERE m.role = 'actor') AS as_actor, "
        "count(DISTINCT m.event_id) FILTER (WHERE m.role = 'recipient') AS as_recipient "
        f"FROM event_mentions m{sql_where} GROUP BY m.actor_name, m.country "
        "ORDER BY events DESC, name LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return Page(rows, total, page, size)


def list_places(db: Queryable, q: str | None = None, page: int = 1, size: int = 50) -> Page:
    """Places named in articles, with how many articles name them and how many events happen there."""
    limit, offset = _paging(page, size)
    where = ["p.geonameid IS NOT NULL"]
    params: list[Any] = []
    if q and q.strip():
        where.append("(p.name ILIKE ? ESCAPE '\\' OR p.country_code = upper(?))")
        params += [_like(q.strip()), q.strip()]
    sql_where = _where_sql(where)
    total = db.query(f"SELECT count(DISTINCT p.geonameid) AS n FROM places p{sql_where}", params)[0]["n"]
    rows = db.query(
        "WITH ev AS (SELECT geonameid, count(*) AS n FROM events WHERE geonameid IS NOT NULL GROUP BY 1) "
        "SELECT p.geonameid, any_value(p.name) AS name, any_value(p.country_code) AS country_code, "
        "any_value(p.lat) AS lat, any_value(p.lon) AS lon, any_value(p.resolution) AS resolution, "
        "count(DISTINCT p.article_id) AS articles, count(*) AS mentions, coalesce(any_value(ev.n), 0) AS events "
        f"FROM places p LEFT JOIN ev ON ev.geonameid = p.geonameid{sql_where} "
        "GROUP BY p.geonameid ORDER BY articles DESC, name LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return Page(rows, total, page, size)


def stats(db: Queryable) -> dict[str, Any]:
    """Counts for the overview page and ``/api/stats``."""
    counts = db.query(
        "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM events) AS event_reports, "
        "(SELECT count(DISTINCT coalesce(cluster, id)) FROM events) AS events, "
        "(SELECT count(DISTINCT actor_name) FROM event_mentions) AS actors, "
        "(SELECT count(DISTINCT geonameid) FROM places) AS places, "
        "(SELECT count(*) FROM rejects) AS rejects, "
        "(SELECT count(*) FROM articles WHERE published_trusted = false) AS untrusted_dates, "
        "(SELECT min(date) FROM events WHERE date IS NOT NULL) AS first_event, "
        "(SELECT max(date) FROM events WHERE date IS NOT NULL) AS last_event"
    )[0]
    quads = db.query(
        "SELECT coalesce(quad_code, 0) AS quad, count(DISTINCT coalesce(cluster, id)) AS n FROM events GROUP BY 1 ORDER BY 1"
    )
    sites = db.query("SELECT site, count(*) AS n FROM articles GROUP BY 1 ORDER BY n DESC, site NULLS LAST LIMIT 10")
    languages = db.query("SELECT language, count(*) AS n FROM articles GROUP BY 1 ORDER BY n DESC LIMIT 10")
    return {
        **counts,
        "by_quad": {str(r["quad"]): r["n"] for r in quads},
        "event_types": list_event_types(db),
        "sites": sites,
        "languages": languages,
    }


def latest_events(db: Queryable, limit: int = 10) -> list[dict[str, Any]]:
    return list_events(db, EventFilter(), "-date", 1, limit).items
