"""The REST API and the server-rendered pages, through FastAPI's TestClient."""

from __future__ import annotations

import json
import logging
import re

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed")

import webdb
from fastapi.testclient import TestClient

from dateline.store import Database
from dateline.store import queries as q
from dateline.web import app as web
from dateline.web.highlight import highlight

EVENT_KEYS = {"id", "event", "mode", "context", "aux", "actor", "recipient", "event_loc", "date", "enddate",
              "date_precision", "attribution", "evidence", "confidence", "cameo", "quad_code", "cluster"}  # fmt: skip
DOCUMENT_KEYS = {"id", "source", "title", "section", "tags", "related", "read_more", "language", "published",
                 "paragraphs", "boilerplate", "mentions", "places", "times", "events", "errors"}  # fmt: skip


class FakeArticle:
    def __init__(self, doc: dict) -> None:
        self.doc = doc

    def to_json(self) -> dict:
        return self.doc


def fake_process(text, *, uri=None, published=None, content_type=None, text_kind="auto"):
    if "boom" in text:
        raise RuntimeError("secret internal detail /etc/passwd")
    errors = (
        [{"stage": "read", "code": "empty", "message": "The file holds no text", "fatal": True}]
        if not text.strip()
        else []
    )
    return FakeArticle(
        {"id": "fake", "source": {"uri": uri, "site": None}, "title": None, "text": text, "published": {"stated": published},
         "content_type": content_type, "text_kind": text_kind, "events": [], "errors": errors}
    )  # fmt: skip


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    return webdb.build_database(tmp_path_factory.mktemp("web") / "web.duckdb")


@pytest.fixture(scope="module")
def client(fixture):
    app = web.create_app(fixture.path, max_body_bytes=10_000, processor=fake_process)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


# -- pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/events", "/articles", "/docs", "/events?actor=Japan&aux=none", "/articles?q=talks"]
)
def test_pages_render_with_security_headers(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    # every asset is the app's own: no CDN, no inline script, no inline style
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", r.text)
    assert not re.search(r"<script(?![^>]*\b(src=\"/static/|type=\"application/json\"))", r.text)
    assert " style=" not in r.text and "<style" not in r.text


def test_article_page_highlights_and_events(client, fixture):
    r = client.get(f"/articles/{fixture.clustered}")
    assert r.status_code == 200
    html = r.text
    assert '<mark class="hl hl-trigger" title="Event: CONSULT"' in html and ">held talks with</mark>" in html
    assert re.search(r'<mark class="hl hl-actor"[^>]*>Japan</mark>', html)
    assert re.search(r'<mark class="hl hl-place"[^>]*>Ulaanbaatar</mark>', html)
    assert re.search(r'<mark class="hl hl-time"[^>]*>\w+day</mark>', html)
    assert "Related headlines" in html and "Kim Jong Un to visit Beijing" in html
    assert "Report 1 of the talks" in html  # the other reports of the same event
    assert 'id="date-warning"' not in html


def test_untrusted_date_is_warned_with_reasons(client, fixture):
    html = client.get(f"/articles/{fixture.untrusted}").text
    assert 'id="date-warning"' in html and "not trusted" in html
    assert "A related headline dates from June 2018" in html
    assert "between 2018-06-01 and 2018-06-30" in html


def test_hostile_article_is_escaped(client, fixture):
    r = client.get(f"/articles/{fixture.hostile}")
    assert r.status_code == 200
    html = r.text
    assert "<script>window.__xss" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert "&lt;script&gt;window.__xss" in html and "&lt;img src=x onerror=" in html
    assert 'href="javascript:' not in html  # a scraped javascript: URI is shown, never linked
    assert "Links in the text" in html and "javascript:alert(5)" in html  # the link's target, as text
    for page in ("/", "/events", f"/events/{fixture.clustered_event}", "/articles"):
        assert "<script>window.__xss" not in client.get(page).text


def test_event_page_lists_every_report(client, fixture):
    html = client.get(f"/events/{fixture.clustered_event}").text
    for article_id in fixture.cluster_articles:
        assert f'href="/articles/{article_id}#event-' in html
    assert "3 sources" in html


def test_events_page_draws_the_charts(client):
    html = client.get("/events").text
    assert '<svg class="timeline"' in html and 'class="q1"' in html
    assert '<image href="/static/world.svg"' in html and "<circle" in html
    assert '<svg class="network"' in html and 'class="edge' in html
    data = re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>', html, re.S)
    assert data and json.loads(data.group(1))["days"]


def test_static_assets_are_served(client):
    for name, kind in (("app.css", "text/css"), ("app.js", "javascript"), ("world.svg", "image/svg+xml")):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and kind in r.headers["content-type"]
        assert "cdn" not in r.text.lower() and "http://" not in r.text.replace("http://www.w3.org", "")


def test_pages_ignore_empty_form_fields(client):
    r = client.get("/events?actor=&country=&min_sources=&aux=none&date_from=2018-06&page=")
    assert r.status_code == 200 and 'value="2018-06"' in r.text
    assert client.get("/api/events?min_sources=").status_code == 422  # the API says what is wrong


@pytest.mark.parametrize("path", ["/articles/nope", "/events/nope", "/nowhere"])
def test_page_not_found_is_an_html_page(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html") and "not_found" in r.text


# -- REST -------------------------------------------------------------------------------


def test_events_listing_shape_and_paging(client, fixture):
    r = client.get("/api/events", params={"size": 7, "page": 2})
    body = r.json()
    assert r.status_code == 200 and body["total"] == fixture.events and body["page"] == 2 and body["size"] == 7
    assert len(body["items"]) == 7
    item = body["items"][0]
    assert set(item) >= EVENT_KEYS and {"article", "sources", "article_id"} <= set(item)
    assert item["actor"][0].keys() >= {"text", "name", "country", "sector", "wikidata", "start", "end"}
    assert item["event_loc"].keys() >= {"text", "geonameid", "name", "country_code", "lat", "lon", "resolution"}
    every = [
        e["id"]
        for p in range(1, 100)
        for e in client.get("/api/events", params={"size": 50, "page": p}).json()["items"]
    ]
    assert len(every) == len(set(every)) == fixture.events


def _events(client, **params):
    r = client.get("/api/events", params={"size": 200, **params})
    assert r.status_code == 200, r.text
    return r.json()["items"]


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"actor": "japan"}, lambda e: any(a["name"] == "Japan" for a in e["actor"])),
        ({"actor": "PRK"}, lambda e: any(a["country"] == "PRK" for a in e["actor"])),
        ({"recipient": "North Korea"}, lambda e: any(a["name"] == "North Korea" for a in e["recipient"])),
        ({"type": "consult"}, lambda e: e["event"] == "CONSULT"),
        ({"aux": "none"}, lambda e: e["aux"] == []),
        ({"aux": "negated"}, lambda e: "negated" in e["aux"]),
        ({"date_from": "2018-06", "date_to": "2018-06"}, lambda e: e["date"].startswith("2018-06")),
        ({"date_from": "2018-06-10", "date_to": "2018-06-12"}, lambda e: "2018-06-10" <= e["date"] <= "2018-06-12"),
        ({"place": "ulaanbaatar"}, lambda e: e["event_loc"]["name"] == "Ulaanbaatar"),
        ({"place": "2660646"}, lambda e: e["event_loc"]["name"] == "Geneva"),
        ({"min_sources": 3}, lambda e: e["sources"] >= 3),
        (
            {"country": "JP"},
            lambda e: (
                e["event_loc"]["country_code"] == "JP" or "JPN" in [p["country"] for p in e["actor"] + e["recipient"]]
            ),
        ),
    ],
)
def test_event_filters(client, params, check):
    items = _events(client, **params)
    assert items, f"the fixture has events for {params}"
    assert all(check(e) for e in items)


def test_country_alpha2_and_alpha3_agree(client):
    assert [e["id"] for e in _events(client, country="JP")] == [e["id"] for e in _events(client, country="jpn")]


def test_filters_combine_with_and(client):
    both = {e["id"] for e in _events(client, actor="Japan", aux="none")}
    assert both == {e["id"] for e in _events(client, actor="Japan")} & {e["id"] for e in _events(client, aux="none")}


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [("-date", "date", True), ("date", "date", False), ("-confidence", "confidence", True), ("confidence", "confidence", False), ("type", "event", False)],
)  # fmt: skip
def test_event_sorting(client, sort, key, reverse):
    values = [e[key] for e in _events(client, sort=sort)]
    assert values == sorted(values, reverse=reverse)


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "June"},
        {"date_to": "2018-6-1"},
        {"aux": "maybe"},
        {"sort": "id; DROP TABLE events"},
        {"size": 0},
        {"size": 201},
        {"page": 0},
        {"min_sources": 0},
        {"country": "Japan"},
        {"type": "CONSULT'--"},
    ],
)
def test_bad_event_parameters_are_422(client, params):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["type"] == "invalid_request" and error["message"] and error["hint"]


def test_sql_in_a_value_is_just_a_value(client):
    assert _events(client, actor="Japan' OR 1=1 --") == []
    assert client.get("/api/articles", params={"q": "%' OR '1'='1"}).json()["total"] == 0


def test_event_with_reports(client, fixture):
    r = client.get(f"/api/events/{fixture.clustered_event}")
    assert r.status_code == 200
    event = r.json()
    assert set(event) >= EVENT_KEYS and event["sources"] == 3
    assert {rep["article_id"] for rep in event["reports"]} == set(fixture.cluster_articles)
    assert all(rep["evidence"] and "held talks with" in rep["evidence"] for rep in event["reports"])


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/events/0000000000000000", 404), ("/api/articles/0000000000000000", 404), ("/api/events/bad%20id!", 422), ("/api/nowhere", 404)],
)  # fmt: skip
def test_unknown_ids(client, path, status):
    r = client.get(path)
    assert r.status_code == status
    assert r.json()["error"]["type"] in ("not_found", "invalid_request")


def test_article_search_and_filters(client, fixture):
    body = client.get("/api/articles", params={"q": "ULAANBAATAR"}).json()
    assert body["total"] >= 3 and all("ulaanbaatar" in (a["snippet"] or a["title"]).lower() for a in body["items"])
    site = body["items"][0]["site"]
    assert all(
        a["site"] == site for a in client.get("/api/articles", params={"site": site, "size": 200}).json()["items"]
    )
    dated = client.get("/api/articles", params={"date_from": "2018-06-01", "date_to": "2018-06-30", "size": 200}).json()
    assert dated["items"] and all("2018-06" in a["published"] for a in dated["items"])
    assert client.get("/api/articles", params={"date_from": "not-a-date"}).status_code == 422


def test_article_document(client, fixture):
    doc = client.get(f"/api/articles/{fixture.clustered}").json()
    assert set(doc) >= DOCUMENT_KEYS
    assert doc["id"] == fixture.clustered and doc["published"]["trusted"] is True
    trigger = doc["events"][0]["evidence"]["trigger"]
    assert doc["text"][trigger[0] : trigger[1]] == "held talks with"


def test_actors_places_stats(client, fixture):
    actors = client.get("/api/actors", params={"q": "korea"}).json()
    assert [a["name"] for a in actors["items"]] == ["North Korea"] and actors["items"][0]["country"] == "PRK"
    assert actors["items"][0]["events"] == actors["items"][0]["as_actor"] + actors["items"][0]["as_recipient"]
    places = client.get("/api/places", params={"q": "geneva"}).json()["items"]
    assert places[0]["geonameid"] == 2660646 and places[0]["articles"] >= 1
    stats = client.get("/api/stats").json()
    assert stats["articles"] == fixture.articles and stats["event_reports"] == fixture.events
    assert stats["events"] < stats["event_reports"] and stats["untrusted_dates"] == 1
    assert sum(stats["by_quad"].values()) == stats["events"]


def test_openapi_and_docs_are_local(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/events", "/api/events/{event_id}", "/api/actors",
                 "/api/places", "/api/stats", "/api/process"):  # fmt: skip
        assert path in spec["paths"]
    names = [p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]]
    assert {"actor", "recipient", "country", "type", "aux", "date_from", "date_to", "place", "min_sources"} <= set(
        names
    )
    docs = client.get("/docs").text
    assert "GET /api/events" in docs and "swagger" not in docs.lower()


# -- POST /api/process ------------------------------------------------------------------


def test_process_returns_the_document(client):
    r = client.post(
        "/api/process",
        json={"text": "Some text.", "url": "https://x.example/a", "published": "2018-06-12", "text_kind": "article"},
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["source"]["uri"] == "https://x.example/a" and doc["published"]["stated"] == "2018-06-12"
    assert doc["content_type"] == "text/plain" and doc["text_kind"] == "article"
    assert client.post("/api/process", json={"html": "<p>x</p>"}).json()["content_type"] == "text/html"


@pytest.mark.parametrize(
    "body",
    [{}, {"text": "a", "html": "<p>a</p>"}, {"text": "a", "text_kind": "poem"}, {"text": "a", "published": "last week"}, {"text": "a", "extra": 1}],
)  # fmt: skip
def test_process_bad_bodies_are_422(client, body):
    r = client.post("/api/process", json=body)
    assert r.status_code == 422 and r.json()["error"]["type"] == "invalid_request"


def test_process_rejected_document_is_422(client):
    r = client.post("/api/process", json={"text": "   "})
    assert r.status_code == 422 and r.json()["error"]["type"] == "empty"


def test_process_body_limit(client):
    big = {"text": "x" * 20_000}
    r = client.post("/api/process", json=big)
    assert r.status_code == 413 and r.json()["error"]["type"] == "too_large"

    def chunks():  # no Content-Length: the limit holds as the body streams
        for _ in range(30):
            yield b"x" * 1000

    r = client.post("/api/process", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["type"] == "too_large"


def test_server_error_leaks_nothing(client):
    r = client.post("/api/process", json={"text": "boom"})
    assert r.status_code == 500
    assert r.json() == {
        "error": {"type": "internal", "message": "The server failed to answer", "hint": "See the server's log"}
    }
    assert "content-security-policy" in r.headers


@pytest.mark.slow
def test_process_runs_the_real_pipeline(fixture):
    app = web.create_app(fixture.path)
    text = "Japan and North Korea held talks in Ulaanbaatar on Tuesday, officials said.\n\nThe talks will resume next month."
    with TestClient(app) as c:
        r = c.post("/api/process", json={"text": text, "text_kind": "article", "url": "https://news.example.org/a"})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert set(doc) >= DOCUMENT_KEYS and doc["source"]["site"] == "news.example.org"
    assert doc["paragraphs"][0]["text"].startswith("Japan and North Korea")


# -- the server -------------------------------------------------------------------------


def test_the_database_is_opened_read_only(fixture):
    app = web.create_app(fixture.path)
    db = app.state.database
    assert db.read_only
    with pytest.raises(Exception, match="read-only"):
        db.con.execute("CREATE TABLE x (i INTEGER)")
    db.close()


def test_missing_database_is_a_user_error(tmp_path):
    with pytest.raises(web.StoreError, match="does not exist"):
        web.create_app(tmp_path / "none.duckdb")


@pytest.mark.parametrize(
    ("host", "warned"), [("127.0.0.1", False), ("localhost", False), ("::1", False), ("0.0.0.0", True)]
)
def test_serve_warns_off_loopback(monkeypatch, caplog, fixture, host, warned):
    calls = []
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    with caplog.at_level(logging.WARNING, logger="dateline.web.app"):
        web.serve(fixture.path, host=host, port=8123)
    assert calls and calls[0]["host"] == host and calls[0]["port"] == 8123
    assert ("not loopback" in caplog.text) is warned


# -- highlighting and queries, without HTTP ---------------------------------------------


def test_highlight_cuts_overlapping_spans_and_drops_bad_offsets():
    doc = {
        "text": "Japan met Korea.\n\nSecond <b>para</b>.",
        "paragraphs": [{"text": "Japan met Korea.", "start": 0, "end": 16}, {"text": "Second <b>para</b>.", "start": 18, "end": 37}],
        "mentions": [{"start": 0, "end": 5, "text": "Japan", "actor": {"name": "Japan", "country": "JPN"}},
                     {"start": 3, "end": 999, "text": "bad"}, {"start": "0", "end": 2}],
        "places": [{"start": 10, "end": 15, "name": "Korea"}],
        "times": [], "events": [{"id": "e1", "event": "CONSULT", "evidence": {"trigger": [0, 9]}}],
    }  # fmt: skip
    paras = highlight(doc)
    assert ["".join(p.text for p in para) for para in paras] == ["Japan met Korea.", "Second <b>para</b>."]
    first = paras[0]
    assert [(p.text, p.kinds) for p in first] == [
        ("Japan", ["trigger", "actor"]), (" met", ["trigger"]), (" ", []), ("Korea", ["place"]), (".", []),
    ]  # fmt: skip
    assert first[0].events == ["e1"] and "Actor: Japan (JPN)" in first[0].title


def test_month_precision_events_overlap_date_ranges(fixture, tmp_path):
    path = tmp_path / "month.duckdb"
    webdb.build_database(path, n_articles=8)
    with Database(path) as db:
        db.con.execute(
            "UPDATE events SET date = '2018-06', date_precision = 'month' WHERE id = (SELECT min(id) FROM events)"
        )
        month_id = db.query("SELECT min(id) AS id FROM events")[0]["id"]
        for date_from, date_to, expected in [("2018-06-15", "2018-06-20", True), ("2018-05-01", "2018-05-31", False),
                                             ("2018", "2018", True), ("2018-07", None, False), (None, "2018-06-01", True)]:  # fmt: skip
            ids = [
                e["id"] for e in q.list_events(db, q.EventFilter(date_from=date_from, date_to=date_to), size=200).items
            ]
            assert (month_id in ids) is expected, (date_from, date_to)
        assert q.timeline(db)["not_daily"] == 1


@pytest.mark.parametrize(
    "bad",
    [q.EventFilter(date_from="June"), q.EventFilter(aux="perhaps"), q.EventFilter(min_sources=0)],
)
def test_event_filter_validation(fixture, bad):
    with Database(fixture.path, read_only=True) as db, pytest.raises(q.QueryError):
        q.list_events(db, bad)


def test_timeline_and_network_count_real_world_events(fixture):
    with Database(fixture.path, read_only=True) as db:
        days = q.timeline(db)["days"]
        assert sum(d["total"] for d in days) == db.query("SELECT count(DISTINCT cluster) AS n FROM events")[0]["n"]
        net = q.actor_network(db, q.EventFilter(actor="Japan", recipient="North Korea"))
        assert {"source": "Japan", "target": "North Korea"}.items() <= net["edges"][0].items()
        assert net["edges"][0]["weight"] >= 1


# -- the derived event index and the response cache -------------------------------------


class _BaseTables:
    """A database seen without its event_index: queries take the base-table path."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def query(self, sql, params=()):
        return self.db.query(sql, params)


INDEX_CASES = [
    {}, {"actor": "Japan"}, {"actor": "prk"}, {"actor": " "}, {"recipient": "north korea"}, {"country": "JP"},
    {"country": "jpn"}, {"type": "consult"}, {"aux": "none"}, {"aux": "negated"}, {"date_from": "2018-06"},
    {"date_to": "2018-06-12"}, {"date_from": "2018-05-20", "date_to": "2018-06"}, {"place": "ulaanbaatar"},
    {"place": "2660646"}, {"place": "²"}, {"min_sources": 2}, {"min_sources": 3, "actor": "japan"},
    {"actor": "Japan", "aux": "none", "country": "MN"},
]  # fmt: skip


@pytest.mark.parametrize("params", INDEX_CASES)
def test_event_index_answers_as_the_base_tables_do(fixture, params):
    with Database(fixture.path, read_only=True) as db:
        assert db.event_index_ready()
        f = q.EventFilter(**params)
        for sort in q.EVENT_SORTS:
            for page, size in ((1, 7), (3, 7), (1, 200), (40, 7)):
                fast = q.list_events(db, f, sort, page, size).to_json()
                assert fast == q.list_events(_BaseTables(db), f, sort, page, size).to_json(), (sort, page, size)


def test_a_stale_event_index_is_ignored_until_rebuilt(tmp_path):
    made = webdb.build_database(tmp_path / "stale.duckdb", n_articles=10)
    with Database(made.path) as db:
        assert not db.event_index_ready()  # a writable database may change: never trusted
        event_id = db.query("SELECT min(id) AS id FROM events")[0]["id"]
        db.con.execute("UPDATE events SET cluster = 'moved', date = '1999-01-01' WHERE id = ?", [event_id])
    with Database(made.path, read_only=True) as db:
        assert not db.event_index_ready()
        page = q.list_events(db, q.EventFilter(date_to="1999"))
        assert [e["id"] for e in page.items] == [event_id] and page.items[0]["cluster"] == "moved"
    with Database(made.path) as db:
        clusters = {r["id"]: r["cluster"] for r in db.query("SELECT id, cluster FROM events")}
        db.write_clusters({}, clusters)  # what an ingest ends with: it rebuilds the index
    with Database(made.path, read_only=True) as db:
        assert db.event_index_ready()
        page = q.list_events(db, q.EventFilter(date_to="1999"))
        assert [e["id"] for e in page.items] == [event_id] and page.items[0]["cluster"] == "moved"


def test_an_old_file_without_the_index_still_answers(tmp_path):
    made = webdb.build_database(tmp_path / "old.duckdb", n_articles=10)
    with Database(made.path) as db:
        db.con.execute("DROP TABLE event_index")
        db.con.execute("DELETE FROM meta WHERE key = 'event_index'")
    with Database(made.path, read_only=True) as db:
        assert not db.event_index_ready()
        assert q.list_events(db, q.EventFilter(actor="Japan")).total > 0


def test_api_answers_are_cached_by_normalised_query(fixture):
    app = web.create_app(fixture.path)
    with TestClient(app) as c:
        first = c.get("/api/events", params={"actor": "Japan", "country": "JP", "size": 5})
        again = c.get("/api/events", params={"actor": " japan", "country": "jpn", "size": 5})
        other = c.get("/api/events", params={"actor": "Japan", "country": "JP", "size": 5, "page": 2})
        assert (first.headers["x-cache"], again.headers["x-cache"], other.headers["x-cache"]) == ("miss", "hit", "miss")
        assert first.content == again.content and first.json()["items"] != other.json()["items"]
        assert c.get("/api/events", params={"aux": "maybe"}).status_code == 422  # errors are not cached
        assert c.get("/api/events/0000000000000000").status_code == 404
        assert c.get("/api/events/0000000000000000").status_code == 404
    off = web.create_app(fixture.path, cache_bytes=0)
    with TestClient(off) as c:
        assert [c.get("/api/events").headers["x-cache"] for _ in range(2)] == ["miss", "miss"]


def test_response_cache_is_bounded():
    cache = web.ResponseCache(max_bytes=100)
    for k in range(10):
        cache.put(k, b"x" * 30)
    assert cache.get(9) and cache.get(7) and cache.get(6) is None and cache._size <= 100
    cache.put("big", b"x" * 101)
    assert cache.get("big") is None
