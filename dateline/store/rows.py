"""An article as table rows: the one mapping both the DuckDB store and the Spark backend use.

``TABLES`` names each table's columns and their types (DuckDB's names); ``schema.sql``
creates the same tables and a test checks that the two agree.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from dateline.records import Article, parse_iso

TABLES: dict[str, list[tuple[str, str]]] = {
    "articles": [
        ("id", "VARCHAR"), ("digest", "VARCHAR"), ("uri", "VARCHAR"), ("site", "VARCHAR"), ("title", "VARCHAR"),
        ("section", "VARCHAR"), ("tags", "VARCHAR[]"), ("related", "VARCHAR[]"), ("read_more", "VARCHAR[]"),
        ("boilerplate", "VARCHAR[]"), ("language", "VARCHAR"), ("published_stated", "TIMESTAMP WITH TIME ZONE"),
        ("published_stated_source", "VARCHAR"), ("published_trusted", "BOOLEAN"), ("published_reasons", "VARCHAR[]"),
        ("published_estimate_start", "DATE"), ("published_estimate_end", "DATE"), ("content_type", "VARCHAR"),
        ("extractor", "VARCHAR"), ("text", "VARCHAR"), ("n_chars", "INTEGER"), ("run_id", "VARCHAR"),
        ("ingested_at", "TIMESTAMP WITH TIME ZONE"), ("document", "JSON"),
    ],
    "paragraphs": [("article_id", "VARCHAR"), ("n", "INTEGER"), ("start_char", "INTEGER"), ("end_char", "INTEGER"), ("text", "VARCHAR")],
    "mentions": [
        ("article_id", "VARCHAR"), ("n", "INTEGER"), ("start_char", "INTEGER"), ("end_char", "INTEGER"), ("text", "VARCHAR"),
        ("label", "VARCHAR"), ("actor_name", "VARCHAR"), ("country", "VARCHAR"), ("sector", "VARCHAR"),
        ("wikidata", "VARCHAR"), ("role", "VARCHAR"), ("role_start", "DATE"), ("role_end", "DATE"), ("confidence", "DOUBLE"),
    ],
    "places": [
        ("article_id", "VARCHAR"), ("n", "INTEGER"), ("start_char", "INTEGER"), ("end_char", "INTEGER"), ("text", "VARCHAR"),
        ("geonameid", "BIGINT"), ("name", "VARCHAR"), ("country_code", "VARCHAR"), ("lat", "DOUBLE"), ("lon", "DOUBLE"),
        ("feature", "VARCHAR"), ("resolution", "VARCHAR"), ("confidence", "DOUBLE"),
    ],
    "times": [
        ("article_id", "VARCHAR"), ("n", "INTEGER"), ("start_char", "INTEGER"), ("end_char", "INTEGER"), ("text", "VARCHAR"),
        ("value", "VARCHAR"), ("type", "VARCHAR"), ("granularity", "VARCHAR"), ("interval_start", "DATE"),
        ("interval_end", "DATE"), ("confidence", "DOUBLE"),
    ],
    "events": [
        ("id", "VARCHAR"), ("article_id", "VARCHAR"), ("event", "VARCHAR"), ("mode", "VARCHAR"), ("context", "VARCHAR[]"),
        ("aux", "VARCHAR[]"), ("date", "VARCHAR"), ("enddate", "VARCHAR"), ("date_precision", "VARCHAR"),
        ("country_code", "VARCHAR"), ("geonameid", "BIGINT"), ("lat", "DOUBLE"), ("lon", "DOUBLE"), ("cameo", "VARCHAR"),
        ("quad_code", "INTEGER"), ("confidence", "DOUBLE"), ("cluster", "VARCHAR"), ("record", "JSON"),
    ],
    "event_mentions": [
        ("event_id", "VARCHAR"), ("article_id", "VARCHAR"), ("role", "VARCHAR"), ("n", "INTEGER"), ("text", "VARCHAR"),
        ("actor_name", "VARCHAR"), ("country", "VARCHAR"), ("sector", "VARCHAR"), ("start_char", "INTEGER"),
        ("end_char", "INTEGER"),
    ],
    "rejects": [
        ("uri", "VARCHAR"), ("digest", "VARCHAR"), ("stage", "VARCHAR"), ("code", "VARCHAR"), ("reason", "VARCHAR"),
        ("run_id", "VARCHAR"), ("rejected_at", "TIMESTAMP WITH TIME ZONE"),
    ],
    "clusters": [("id", "VARCHAR"), ("kind", "VARCHAR"), ("member_id", "VARCHAR")],
    # derived from events, event_mentions and places by Database.index_events(); no article writes it
    "event_index": [
        ("id", "VARCHAR"), ("article_id", "VARCHAR"), ("cluster_key", "VARCHAR"), ("event", "VARCHAR"),
        ("date", "VARCHAR"), ("last_date", "VARCHAR"), ("confidence", "DOUBLE"), ("aux", "VARCHAR[]"),
        ("country_code", "VARCHAR"), ("geonameid", "BIGINT"), ("n_reports", "INTEGER"), ("n_sources", "INTEGER"),
        ("actor_names", "VARCHAR[]"), ("actor_countries", "VARCHAR[]"), ("recipient_names", "VARCHAR[]"),
        ("recipient_countries", "VARCHAR[]"), ("countries", "VARCHAR[]"), ("place_names", "VARCHAR[]"),
        ("r_date_desc", "INTEGER"), ("r_date_asc", "INTEGER"), ("r_conf_desc", "INTEGER"), ("r_conf_asc", "INTEGER"),
        ("r_type", "INTEGER"),
    ],
    "runs": [
        ("run_id", "VARCHAR"), ("started_at", "TIMESTAMP WITH TIME ZONE"), ("finished_at", "TIMESTAMP WITH TIME ZONE"),
        ("status", "VARCHAR"), ("command", "VARCHAR"), ("inputs", "VARCHAR"), ("settings", "VARCHAR"),
        ("documents", "BIGINT"), ("stored", "BIGINT"), ("rejected", "BIGINT"), ("duplicates", "BIGINT"), ("version", "VARCHAR"),
    ],
}  # fmt: skip

ARTICLE_TABLES = ("articles", "paragraphs", "mentions", "places", "times", "events", "event_mentions")


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def article_rows(article: Article, run_id: str | None, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """The rows one stored article adds to each table."""
    doc = article.to_json()
    pub = article.published
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in ARTICLE_TABLES}
    rows["articles"].append(
        {
            "id": article.id, "digest": article.digest or "", "uri": article.uri, "site": article.site,
            "title": article.title, "section": article.section, "tags": article.tags, "related": article.related,
            "read_more": article.read_more, "boilerplate": article.boilerplate, "language": article.language,
            "published_stated": parse_iso(pub.stated), "published_stated_source": pub.stated_source,
            "published_trusted": pub.trusted, "published_reasons": pub.reasons,
            "published_estimate_start": parse_date(pub.estimate_start), "published_estimate_end": parse_date(pub.estimate_end),
            "content_type": article.content_type, "extractor": article.extractor, "text": article.text,
            "n_chars": len(article.text), "run_id": run_id, "ingested_at": now,
            "document": json.dumps(doc, ensure_ascii=False),
        }
    )  # fmt: skip
    aid = article.id
    for n, p in enumerate(doc["paragraphs"]):
        rows["paragraphs"].append(
            {"article_id": aid, "n": n, "start_char": p["start"], "end_char": p["end"], "text": p["text"]}
        )
    for n, m in enumerate(doc["mentions"]):
        actor = m.get("actor") or {}
        rows["mentions"].append(
            {
                "article_id": aid, "n": n, "start_char": m["start"], "end_char": m["end"], "text": m["text"],
                "label": m.get("label"), "actor_name": actor.get("name"), "country": actor.get("country"),
                "sector": actor.get("sector"), "wikidata": actor.get("wikidata"), "role": actor.get("role"),
                "role_start": parse_date(actor.get("role_start")), "role_end": parse_date(actor.get("role_end")),
                "confidence": m.get("confidence"),
            }
        )  # fmt: skip
    for n, p in enumerate(doc["places"]):
        rows["places"].append(
            {
                "article_id": aid, "n": n, "start_char": p["start"], "end_char": p["end"], "text": p["text"],
                "geonameid": p.get("geonameid"), "name": p.get("name"), "country_code": p.get("country_code"),
                "lat": p.get("lat"), "lon": p.get("lon"), "feature": p.get("feature"),
                "resolution": p.get("resolution"), "confidence": p.get("confidence"),
            }
        )  # fmt: skip
    for n, t in enumerate(doc["times"]):
        rows["times"].append(
            {
                "article_id": aid, "n": n, "start_char": t["start"], "end_char": t["end"], "text": t["text"],
                "value": t.get("value"), "type": t.get("type"), "granularity": t.get("granularity"),
                "interval_start": parse_date(t.get("interval_start")), "interval_end": parse_date(t.get("interval_end")),
                "confidence": t.get("confidence"),
            }
        )  # fmt: skip
    for event in doc["events"]:
        loc = event.get("event_loc") or {}
        rows["events"].append(
            {
                "id": event["id"], "article_id": aid, "event": event.get("event"), "mode": event.get("mode"),
                "context": list(event.get("context") or []), "aux": list(event.get("aux") or []),
                "date": event.get("date"), "enddate": event.get("enddate"), "date_precision": event.get("date_precision"),
                "country_code": loc.get("country_code"), "geonameid": loc.get("geonameid"), "lat": loc.get("lat"),
                "lon": loc.get("lon"), "cameo": event.get("cameo"), "quad_code": event.get("quad_code"),
                "confidence": event.get("confidence"), "cluster": event.get("cluster"),
                "record": json.dumps(event, ensure_ascii=False),
            }
        )  # fmt: skip
        for role in ("actor", "recipient"):
            for n, party in enumerate(event.get(role) or []):
                rows["event_mentions"].append(
                    {
                        "event_id": event["id"], "article_id": aid, "role": role, "n": n, "text": party.get("text"),
                        "actor_name": party.get("name"), "country": party.get("country"), "sector": party.get("sector"),
                        "start_char": party.get("start"), "end_char": party.get("end"),
                    }
                )  # fmt: skip
    return rows


def reject_row(article: Article, run_id: str | None, now: datetime) -> dict[str, Any]:
    error = next(e for e in article.errors if e.fatal)
    return {
        "uri": article.uri, "digest": article.digest or "", "stage": error.stage, "code": error.code,
        "reason": error.message, "run_id": run_id, "rejected_at": now,
    }  # fmt: skip
