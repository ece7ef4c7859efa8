"""Synthetic dateline databases for the web tests and the API benchmark.

``build_database(path, n_articles=..., events_per_article=...)`` writes a database with the
real schema (``Database`` creates it) and rows that look like what the pipeline stores:
articles whose ``document`` JSON carries mentions, places and times with offsets into the
text, events whose ``record`` JSON is the design §3 Event JSON with the trigger's offsets,
``event_mentions`` for every actor and recipient, and event clusters reported by several
articles. Everything is drawn from a seeded ``random.Random``: the same arguments give the
same database.

Three articles are always there and named in the returned ``Fixture``: one whose stated
date is not trusted, one full of script payloads (``hostile``), and one plain article whose
events are reported by other articles too (``clustered``).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from dateline.store import Database

# name, country (ISO alpha-3 or PLOVER code), sector, wikidata
ACTORS = [
    ("Japan", "JPN", "GOV", "Q17"),
    ("North Korea", "PRK", "GOV", "Q423"),
    ("United States", "USA", "GOV", "Q30"),
    ("China", "CHN", "GOV", "Q148"),
    ("Russia", "RUS", "GOV", "Q159"),
    ("Ukraine", "UKR", "GOV", "Q212"),
    ("Israel", "ISR", "GOV", "Q801"),
    ("Hamas", "PSE", "REB", "Q38799"),
    ("Iran", "IRN", "GOV", "Q794"),
    ("India", "IND", "GOV", "Q668"),
    ("Pakistan", "PAK", "GOV", "Q843"),
    ("France", "FRA", "GOV", "Q142"),
    ("Germany", "DEU", "GOV", "Q183"),
    ("United Nations", "IGO", "GOV", "Q1065"),
    ("Nigerian army", "NGA", "MIL", None),
    ("Boko Haram", "NGA", "REB", "Q184986"),
    ("Mexican police", "MEX", "COP", None),
    ("Syrian rebels", "SYR", "REB", None),
]

# name, geonameid, country_code (alpha-2), lat, lon, resolution
PLACES = [
    ("Ulaanbaatar", 2028462, "MN", 47.9077, 106.8832, "city"),
    ("Geneva", 2660646, "CH", 46.20222, 6.14569, "city"),
    ("Tokyo", 1850147, "JP", 35.6895, 139.69171, "city"),
    ("Pyongyang", 1871859, "KP", 39.03385, 125.75432, "city"),
    ("Washington", 4140963, "US", 38.89511, -77.03637, "city"),
    ("Beijing", 1816670, "CN", 39.9075, 116.39723, "city"),
    ("Moscow", 524901, "RU", 55.75222, 37.61556, "city"),
    ("Kyiv", 703448, "UA", 50.45466, 30.5238, "city"),
    ("Gaza", 281133, "PS", 31.50161, 34.46672, "city"),
    ("Tehran", 112931, "IR", 35.69439, 51.42151, "city"),
    ("New Delhi", 1261481, "IN", 28.63576, 77.22445, "city"),
    ("Paris", 2988507, "FR", 48.85341, 2.3488, "city"),
    ("Berlin", 2950159, "DE", 52.52437, 13.41053, "city"),
    ("Abuja", 2352778, "NG", 9.05785, 7.49508, "city"),
    ("Mexico City", 3530597, "MX", 19.42847, -99.12766, "city"),
    ("Damascus", 170654, "SY", 33.5102, 36.29128, "city"),
    ("Nairobi", 184745, "KE", -1.28333, 36.81667, "city"),
    ("Sydney", 2147714, "AU", -33.86785, 151.20732, "city"),
    ("Buenos Aires", 3435910, "AR", -34.61315, -58.37723, "city"),
    ("Brazil", 3469034, "BR", -10.0, -55.0, "country"),
]

# PLOVER type, trigger phrase, mode, quad class, CAMEO code
EVENT_KINDS = [
    ("CONSULT", "held talks with", "visit", 1, "040"),
    ("AGREE", "signed an agreement with", "", 1, "057"),
    ("SUPPORT", "praised", "", 1, "051"),
    ("REQUEST", "called on", "", 1, "020"),
    ("COOPERATE", "resumed trade with", "economic", 2, "061"),
    ("AID", "sent aid to", "humanitarian", 2, "073"),
    ("CONCEDE", "released prisoners held by", "", 2, "0841"),
    ("ACCUSE", "accused", "", 3, "112"),
    ("REJECT", "rejected a proposal from", "", 3, "120"),
    ("THREATEN", "threatened", "", 3, "130"),
    ("SANCTION", "imposed sanctions on", "", 4, "163"),
    ("PROTEST", "protested against", "", 4, "140"),
    ("MOBILIZE", "moved troops towards", "", 4, "154"),
    ("ASSAULT", "attacked", "", 4, "190"),
]

SITES = ["news.example.org", "daily.example.com", "wire.example.net", "herald.example.co.uk"]
SECTIONS = ["World", "Asia", "Europe", "Middle East", "Africa", "Americas", "Politics"]
AUX_CHOICES = [[], [], [], [], [], [], ["future"], ["negated"], ["hypothetical"], ["historical"]]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

HOSTILE = '<script>window.__xss = 1; alert("xss")</script>'
HOSTILE_IMG = '<img src=x onerror="window.__xss = 2; alert(2)">'


@dataclass
class Fixture:
    """What a test needs to know about a built database."""

    path: Path
    articles: int = 0
    events: int = 0
    untrusted: str = ""  # an article whose stated date the content contradicts
    hostile: str = ""  # an article full of script payloads
    clustered: str = ""  # an article whose first event other articles report too
    clustered_event: str = ""
    cluster_articles: list[str] = field(default_factory=list)


def _hex(*parts: Any) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]


@dataclass
class _RealEvent:
    """One real-world event; every article that reports it adds an events row in its cluster."""

    key: str
    kind: tuple[str, str, str, int, str]
    actor: tuple[str, str, str, str | None]
    recipient: tuple[str, str, str, str | None]
    place: tuple[str, int, str, float, float, str]
    day: date
    aux: list[str]


class _Builder:
    def __init__(self, seed: int, start: date, days: int) -> None:
        self.rng = random.Random(seed)
        self.start = start
        self.days = days
        self.rows: dict[str, list[dict[str, Any]]] = {
            t: []
            for t in ("articles", "paragraphs", "mentions", "places", "times", "events", "event_mentions", "clusters")
        }
        self.fixture_events: dict[str, list[str]] = {}

    def real_event(self, n: int) -> _RealEvent:
        rng = self.rng
        actor, recipient = rng.sample(ACTORS, 2)
        return _RealEvent(
            key=_hex("cluster", n),
            kind=rng.choice(EVENT_KINDS),
            actor=actor,
            recipient=recipient,
            place=rng.choice(PLACES),
            day=self.start + timedelta(days=rng.randrange(self.days)),
            aux=list(rng.choice(AUX_CHOICES)),
        )

    def article(
        self,
        n: int,
        reported: list[_RealEvent],
        *,
        title: str | None = None,
        extra_paragraphs: list[str] | None = None,
        trusted: bool = True,
        reasons: list[str] | None = None,
        uri: str | None = None,
        tags: list[str] | None = None,
        related: list[str] | None = None,
        section: str | None = None,
        links: list[dict[str, Any]] | None = None,
    ) -> str:
        rng = self.rng
        site = rng.choice(SITES)
        paragraphs: list[str] = []
        mentions: list[dict[str, Any]] = []
        places: list[dict[str, Any]] = []
        times: list[dict[str, Any]] = []
        pending_events: list[tuple[_RealEvent, dict[str, Any]]] = []
        offset = 0
        latest = max((ev.day for ev in reported), default=self.start)
        published_day = latest + timedelta(days=rng.randrange(2))

        def place_paragraph(text: str) -> int:
            nonlocal offset
            paragraphs.append(text)
            at = offset
            offset += len(text) + 2
            return at

        if extra_paragraphs:
            for text in extra_paragraphs[:1]:
                place_paragraph(text)
        for ev in reported:
            weekday = WEEKDAYS[ev.day.weekday()]
            a_name, r_name, p_name = ev.actor[0], ev.recipient[0], ev.place[0]
            verb = ev.kind[1]
            negation = "did not " if "negated" in ev.aux else ""
            future = "will " if "future" in ev.aux else ""
            # "did not" and "will" sit before the trigger; the trigger is the verb phrase itself
            lead = f"{a_name} {negation}{future}"
            sentence = f"{lead}{verb} {r_name} in {p_name} on {weekday}, officials said."
            at = place_paragraph(sentence + " " + rng.choice(_FILLER))
            a_span = (at, at + len(a_name))
            t_span = (at + len(lead), at + len(lead) + len(verb))
            r_start = t_span[1] + 1
            r_span = (r_start, r_start + len(r_name))
            p_start = r_span[1] + len(" in ")
            p_span = (p_start, p_start + len(p_name))
            d_start = p_span[1] + len(" on ")
            d_span = (d_start, d_start + len(weekday))
            for who, span in ((ev.actor, a_span), (ev.recipient, r_span)):
                mentions.append(_mention(who, span))
            places.append(_place(ev.place, p_span))
            times.append(
                {
                    "text": weekday, "start": d_span[0], "end": d_span[1], "value": ev.day.isoformat(),
                    "type": "DATE", "granularity": "day", "interval_start": ev.day.isoformat(),
                    "interval_end": ev.day.isoformat(), "anchored": True, "confidence": 0.8,
                }
            )  # fmt: skip
            pending_events.append(
                (
                    ev,
                    {
                        "sentence": [at, at + len(sentence)],
                        "trigger": list(t_span),
                        "a": a_span,
                        "r": r_span,
                        "p": p_span,
                    },
                )
            )
        for text in (extra_paragraphs or [])[1:]:
            place_paragraph(text)
        place_paragraph(rng.choice(_CLOSING))
        text = "\n\n".join(paragraphs)
        aid = _hex("article", n, text)
        headline = title or (reported[0].actor[0] + " and " + reported[0].recipient[0] if reported else "Briefing")
        events = []
        for k, (ev, spans) in enumerate(pending_events):
            eid = _hex("event", aid, k)
            record = _event_record(eid, ev, spans, text, site)
            events.append(record)
            self.fixture_events.setdefault(aid, []).append(eid)
            self.rows["events"].append(
                {
                    "id": eid, "article_id": aid, "event": record["event"], "mode": record["mode"],
                    "context": record["context"], "aux": record["aux"], "date": record["date"],
                    "enddate": record["enddate"], "date_precision": record["date_precision"],
                    "country_code": ev.place[2], "geonameid": ev.place[1], "lat": ev.place[3], "lon": ev.place[4],
                    "cameo": record["cameo"], "quad_code": record["quad_code"], "confidence": record["confidence"],
                    "cluster": ev.key, "record": json.dumps(record, ensure_ascii=False),
                }
            )  # fmt: skip
            self.rows["clusters"].append({"id": ev.key, "kind": "event", "member_id": eid})
            for role, who, span in (("actor", ev.actor, spans["a"]), ("recipient", ev.recipient, spans["r"])):
                self.rows["event_mentions"].append(
                    {
                        "event_id": eid, "article_id": aid, "role": role, "n": 0, "text": text[span[0] : span[1]],
                        "actor_name": who[0], "country": who[1], "sector": who[2],
                        "start_char": span[0], "end_char": span[1],
                    }
                )  # fmt: skip
        stated = datetime(published_day.year, published_day.month, published_day.day, 9, 30, tzinfo=UTC)
        published = {
            "stated": stated.isoformat(),
            "stated_source": "html_meta",
            "trusted": trusted,
            "reasons": list(reasons or []),
            "estimate": {
                "start": (published_day - timedelta(days=1)).isoformat() if trusted else "2018-06-01",
                "end": published_day.isoformat() if trusted else "2018-06-30",
            },
        }
        para_json = []
        start = 0
        for p in paragraphs:
            para_json.append({"text": p, "start": start, "end": start + len(p)})
            start += len(p) + 2
        uri = uri or f"https://{site}/{published_day:%Y/%m/%d}/story-{n}"
        doc = {
            "id": aid,
            "source": {"uri": uri, "site": site},
            "title": headline,
            "section": section or rng.choice(SECTIONS),
            "tags": tags if tags is not None else sorted({ev.actor[0] for ev in reported}),
            "related": related if related is not None else [f"Earlier: {rng.choice(ACTORS)[0]} responds"],
            "read_more": [],
            "links": links or [],
            "language": "en",
            "published": published,
            "text": text,
            "paragraphs": para_json,
            "boilerplate": ["Subscribe to our newsletter"],
            "mentions": mentions,
            "places": places,
            "times": times,
            "events": events,
            "errors": [],
        }
        self.rows["articles"].append(
            {
                "id": aid, "digest": _hex("raw", aid), "uri": uri, "site": site, "title": headline,
                "section": doc["section"], "tags": doc["tags"], "related": doc["related"], "read_more": [],
                "boilerplate": doc["boilerplate"], "language": "en", "published_stated": stated,
                "published_stated_source": "html_meta", "published_trusted": trusted,
                "published_reasons": published["reasons"],
                "published_estimate_start": date.fromisoformat(published["estimate"]["start"]),
                "published_estimate_end": date.fromisoformat(published["estimate"]["end"]),
                "content_type": "text/html", "extractor": "synthetic", "text": text, "n_chars": len(text),
                "run_id": "synthetic", "ingested_at": stated, "document": json.dumps(doc, ensure_ascii=False),
            }
        )  # fmt: skip
        for k, p in enumerate(para_json):
            self.rows["paragraphs"].append(
                {"article_id": aid, "n": k, "start_char": p["start"], "end_char": p["end"], "text": p["text"]}
            )
        for k, m in enumerate(mentions):
            actor = m["actor"]
            self.rows["mentions"].append(
                {
                    "article_id": aid, "n": k, "start_char": m["start"], "end_char": m["end"], "text": m["text"],
                    "label": m["label"], "actor_name": actor["name"], "country": actor["country"],
                    "sector": actor["sector"], "wikidata": actor["wikidata"], "confidence": m["confidence"],
                }
            )  # fmt: skip
        for k, p in enumerate(places):
            self.rows["places"].append(
                {"article_id": aid, "n": k, "start_char": p["start"], "end_char": p["end"], **_place_columns(p)}
            )
        for k, t in enumerate(times):
            self.rows["times"].append(
                {
                    "article_id": aid, "n": k, "start_char": t["start"], "end_char": t["end"], "text": t["text"],
                    "value": t["value"], "type": t["type"], "granularity": t["granularity"],
                    "interval_start": date.fromisoformat(t["interval_start"]),
                    "interval_end": date.fromisoformat(t["interval_end"]), "confidence": t["confidence"],
                }
            )  # fmt: skip
        return aid


_FILLER = [
    "The meeting was the first of its kind this year.",
    "Analysts said the move could shift the balance in the region.",
    "Neither side gave details of what was discussed.",
    "A spokesperson declined to comment further.",
]
_CLOSING = [
    "Further talks are expected in the coming weeks.",
    "The situation remains fluid, according to observers.",
    "Reporting by staff correspondents.",
]


def _mention(who: tuple[str, str, str, str | None], span: tuple[int, int]) -> dict[str, Any]:
    name, country, sector, wikidata = who
    return {
        "text": name,
        "start": span[0],
        "end": span[1],
        "label": "GPE" if sector == "GOV" else "ORG",
        "actor": {
            "name": name, "country": country, "sector": sector, "wikidata": wikidata, "role": None,
            "role_start": None, "role_end": None, "kind": "country" if sector == "GOV" else "group",
        },
        "confidence": 0.9,
        "resolved_by": "alias table",
    }  # fmt: skip


def _place(place: tuple[str, int, str, float, float, str], span: tuple[int, int]) -> dict[str, Any]:
    name, geonameid, cc, lat, lon, resolution = place
    return {
        "text": name, "start": span[0], "end": span[1], "geonameid": geonameid, "name": name,
        "country_code": cc, "lat": lat, "lon": lon, "feature": "PPLC" if resolution == "city" else "PCLI",
        "resolution": resolution, "confidence": 0.85,
    }  # fmt: skip


def _place_columns(p: dict[str, Any]) -> dict[str, Any]:
    keys = ("text", "geonameid", "name", "country_code", "lat", "lon", "feature", "resolution", "confidence")
    return {k: p[k] for k in keys}


def _event_record(eid: str, ev: _RealEvent, spans: dict[str, Any], text: str, site: str) -> dict[str, Any]:
    plover, _verb, mode, quad, cameo = ev.kind

    def party(who: tuple[str, str, str, str | None], span: tuple[int, int]) -> dict[str, Any]:
        return {
            "text": text[span[0] : span[1]], "name": who[0], "country": who[1], "sector": who[2],
            "wikidata": who[3], "start": span[0], "end": span[1],
        }  # fmt: skip

    p = spans["p"]
    return {
        "id": eid,
        "event": plover,
        "mode": mode,
        "context": ["diplomatic"] if quad in (1, 3) else ["military"] if plover in ("ASSAULT", "MOBILIZE") else [],
        "aux": ev.aux,
        "actor": [party(ev.actor, spans["a"])],
        "recipient": [party(ev.recipient, spans["r"])],
        "event_loc": {
            "text": text[p[0] : p[1]],
            "geonameid": ev.place[1],
            "name": ev.place[0],
            "country_code": ev.place[2],
            "lat": ev.place[3],
            "lon": ev.place[4],
            "resolution": ev.place[5],
        },
        "date": ev.day.isoformat(),
        "enddate": None,
        "date_precision": "day",
        "attribution": {"source": "officials", "via": site},
        "evidence": {"sentence": spans["sentence"], "trigger": spans["trigger"]},
        "confidence": round(0.55 + (int(eid[:4], 16) % 40) / 100, 2),
        "cameo": cameo,
        "quad_code": quad,
        "cluster": ev.key,
    }


def build_database(
    path: str | Path,
    *,
    n_articles: int = 60,
    events_per_article: int = 3,
    seed: int = 7,
    start: date = date(2018, 5, 1),
    days: int = 75,
) -> Fixture:
    """Write a synthetic database at ``path`` (replaced if present) and describe it."""
    path = Path(path)
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    b = _Builder(seed, start, days)
    fixture = Fixture(path=path)
    # each real-world event is reported by one to three articles
    pool: list[_RealEvent] = []
    n_real = max(4, n_articles * events_per_article // 2)
    for i in range(n_real):
        pool.append(b.real_event(i))

    shared = pool[0]
    shared.kind, shared.actor, shared.recipient = EVENT_KINDS[0], ACTORS[0], ACTORS[1]
    shared.place, shared.aux = PLACES[0], []
    first = b.article(
        0,
        [shared, pool[1]],
        title="Japan and North Korea hold talks in Ulaanbaatar",
        tags=["Japan", "North Korea", "diplomacy"],
        related=["Kim Jong Un to visit Beijing", "Abe calls for summit"],
        section="Asia",
    )
    fixture.clustered, fixture.clustered_event = first, b.fixture_events[first][0]
    fixture.cluster_articles = [first]
    for k in (1, 2):
        fixture.cluster_articles.append(b.article(10_000_000 + k, [shared], title=f"Report {k} of the talks"))
    fixture.untrusted = b.article(
        20_000_000,
        [pool[2]],
        title="Premier to visit Pyongyang next month",
        trusted=False,
        reasons=[
            "The text calls the summit 'upcoming', but it took place on 2018-06-12: the page is older than its stated date",
            "A related headline dates from June 2018",
        ],
    )
    hostile_event = b.real_event(n_real + 1)
    hostile_event.actor = (HOSTILE_IMG, "XXX", "GOV", None)
    fixture.hostile = b.article(
        30_000_000,
        [hostile_event],
        title=f"Hostile {HOSTILE} headline",
        extra_paragraphs=[f"Opening line {HOSTILE} and {HOSTILE_IMG} end.", '"><svg onload=alert(3)>'],
        uri="javascript:alert(4)",
        tags=[HOSTILE, "ok"],
        related=[HOSTILE_IMG],
        section='</title><script>alert("section")</script>',
        links=[{"text": HOSTILE, "href": "javascript:alert(5)", "start": None, "end": None}],
    )
    for n in range(1, n_articles - 5):
        k = max(1, events_per_article + b.rng.choice((-1, 0, 0, 1))) if events_per_article > 1 else 1
        chosen = [pool[b.rng.randrange(3, n_real)] for _ in range(k)]
        b.article(n, chosen)

    with Database(path) as db:
        for table in ("articles", "paragraphs", "mentions", "places", "times", "events", "event_mentions", "clusters"):
            rows = b.rows[table]
            if table in ("events", "clusters", "event_mentions"):
                # a duplicate key can only come from a real event drawn twice by one article: keep one
                rows = _unique(rows, _KEYS[table])
            db.insert_rows(table, rows)
        db.index_events()  # what write_clusters does at the end of an ingest
        fixture.articles = db.query("SELECT count(*) AS n FROM articles")[0]["n"]
        fixture.events = db.query("SELECT count(*) AS n FROM events")[0]["n"]
    return fixture


_KEYS = {"events": ("id",), "clusters": ("kind", "member_id"), "event_mentions": ("event_id", "role", "n")}


def _unique(rows: list[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for row in rows:
        k = tuple(row[c] for c in key)
        if k not in seen:
            seen.add(k)
            out.append(row)
    return out


def build_large(path: str | Path, n_events: int = 100_000, seed: int = 11) -> Fixture:
    """A database of about ``n_events`` events (four per article), for the benchmark."""
    return build_database(path, n_articles=n_events // 4 + 5, events_per_article=4, seed=seed, days=365)


if __name__ == "__main__":  # pragma: no cover - a handy way to look at the UI by hand
    import sys

    target = sys.argv[1] if len(sys.argv) > 1 else "web-demo.duckdb"
    made = build_database(target, n_articles=int(sys.argv[2]) if len(sys.argv) > 2 else 200)
    print(f"{made.path}: {made.articles} articles, {made.events} events; untrusted={made.untrusted}")
