"""The DuckDB store: the only module that imports duckdb and speaks SQL.

Writes are idempotent: an article's id is the hash of its normalised text, a reject's key
is (uri, raw digest), so storing the same input twice adds no rows. Each batch is one
transaction, so a run killed at any moment leaves whole batches behind it and the same
command, run again, skips what is there (``seen``) and stores the rest.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from dateline.errors import StoreError
from dateline.records import Article

SCHEMA_VERSION = "1"


def _iso_or_none(value: str | None) -> str | None:
    return value or None


class Database:
    """A dateline database file. ``read_only`` for the web server and queries."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        if read_only and not Path(self.path).exists():
            raise StoreError(f"Database {self.path} does not exist", hint="Run `dateline ingest PATH --db FILE` first")
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"Cannot open database {self.path}: {exc}") from exc
        if not read_only:
            self._migrate()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        schema = resources.files("dateline.store").joinpath("schema.sql").read_text(encoding="utf-8")
        try:
            self.con.execute(schema)
            self.con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT (key) DO NOTHING", [SCHEMA_VERSION]
            )
        except duckdb.Error as exc:
            raise StoreError(f"Cannot create the tables in {self.path}: {exc}") from exc

    # -- runs ---------------------------------------------------------------------------

    def start_run(self, command: str, inputs: Sequence[str], settings: dict[str, Any], version: str) -> str:
        run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        # A run that was killed never finished: say so, so that `runs` tells the truth.
        self.con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        self.con.execute(
            "INSERT INTO runs (run_id, started_at, status, command, inputs, settings, version) "
            "VALUES (?, ?, 'running', ?, ?, ?, ?)",
            [run_id, datetime.now(UTC), command, json.dumps(list(inputs)), json.dumps(settings, default=str), version],
        )
        return run_id

    def finish_run(self, run_id: str, report: Any, status: str = "finished") -> None:
        self.con.execute(
            "UPDATE runs SET finished_at = ?, status = ?, documents = ?, stored = ?, rejected = ?, duplicates = ? "
            "WHERE run_id = ?",
            [datetime.now(UTC), status, report.documents, report.stored, report.rejected, report.duplicates, run_id],
        )

    # -- writing ------------------------------------------------------------------------

    def seen(self, digests: Iterable[str]) -> set[str]:
        """Which raw digests are already stored, as an article or a reject."""
        wanted = list(set(digests))
        if not wanted:
            return set()
        rows = self.con.execute(
            "SELECT digest FROM articles WHERE digest IN (SELECT unnest(?)) "
            "UNION SELECT digest FROM rejects WHERE digest IN (SELECT unnest(?))",
            [wanted, wanted],
        ).fetchall()
        return {r[0] for r in rows}

    def write(self, articles: Sequence[Article], run_id: str | None = None) -> tuple[int, int]:
        """Store a batch in one transaction; returns (stored, duplicates)."""
        good = [a for a in articles if not a.rejected]
        bad = [a for a in articles if a.rejected]
        now = datetime.now(UTC)
        try:
            self.con.execute("BEGIN TRANSACTION")
            existing = set()
            if good:
                ids = list({a.id for a in good})
                existing = {r[0] for r in self.con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [ids]).fetchall()}
            fresh: dict[str, Article] = {}
            for article in good:
                if article.id not in existing and article.id not in fresh:
                    fresh[article.id] = article
            if fresh:
                self._insert_articles(list(fresh.values()), run_id, now)
            for article in bad:
                error = next(e for e in article.errors if e.fatal)
                self.con.execute(
                    "INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [article.uri, article.digest or "", error.stage, error.code, error.message, run_id, now],
                )
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            try:
                self.con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            raise StoreError(f"Cannot write to {self.path}: {exc}") from exc
        return len(fresh), len(good) - len(fresh)

    def _insert_articles(self, articles: list[Article], run_id: str | None, now: datetime) -> None:
        rows = []
        paragraphs = []
        mentions = []
        places = []
        times = []
        for a in articles:
            doc = a.to_json()
            pub = a.published
            rows.append(
                {
                    "id": a.id,
                    "digest": a.digest or "",
                    "uri": a.uri,
                    "site": a.site,
                    "title": a.title,
                    "section": a.section,
                    "tags": a.tags,
                    "related": a.related,
                    "read_more": a.read_more,
                    "boilerplate": a.boilerplate,
                    "language": a.language,
                    "published_stated": _parse_ts(pub.stated),
                    "published_stated_source": pub.stated_source,
                    "published_trusted": pub.trusted,
                    "published_reasons": pub.reasons,
                    "published_estimate_start": _parse_date(pub.estimate_start),
                    "published_estimate_end": _parse_date(pub.estimate_end),
                    "content_type": a.content_type,
                    "extractor": a.extractor,
                    "text": a.text,
                    "n_chars": len(a.text),
                    "run_id": run_id,
                    "ingested_at": now,
                    "document": json.dumps(doc, ensure_ascii=False),
                }
            )
            for n, p in enumerate(a.paragraphs):
                paragraphs.append({"article_id": a.id, "n": n, "start_char": p.start, "end_char": p.end, "text": p.text})
            for n, m in enumerate(doc["mentions"]):
                actor = m.get("actor") or {}
                mentions.append(
                    {
                        "article_id": a.id, "n": n, "start_char": m["start"], "end_char": m["end"], "text": m["text"],
                        "label": m.get("label"), "actor_name": actor.get("name"), "country": actor.get("country"),
                        "sector": actor.get("sector"), "wikidata": actor.get("wikidata"), "role": actor.get("role"),
                        "role_start": _parse_date(actor.get("role_start")), "role_end": _parse_date(actor.get("role_end")),
                        "confidence": m.get("confidence"),
                    }
                )  # fmt: skip
            for n, p in enumerate(doc["places"]):
                places.append(
                    {
                        "article_id": a.id, "n": n, "start_char": p["start"], "end_char": p["end"], "text": p["text"],
                        "geonameid": p.get("geonameid"), "name": p.get("name"), "country_code": p.get("country_code"),
                        "lat": p.get("lat"), "lon": p.get("lon"), "feature": p.get("feature"),
                        "resolution": p.get("resolution"), "confidence": p.get("confidence"),
                    }
                )  # fmt: skip
            for n, t in enumerate(doc["times"]):
                times.append(
                    {
                        "article_id": a.id, "n": n, "start_char": t["start"], "end_char": t["end"], "text": t["text"],
                        "value": t.get("value"), "type": t.get("type"), "granularity": t.get("granularity"),
                        "interval_start": _parse_date(t.get("interval_start")),
                        "interval_end": _parse_date(t.get("interval_end")), "confidence": t.get("confidence"),
                    }
                )  # fmt: skip
        self._insert("articles", rows)
        self._insert("paragraphs", paragraphs)
        self._insert("mentions", mentions)
        self._insert("places", places)
        self._insert("times", times)

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = [r[1] for r in self.con.execute(f"PRAGMA table_info('{table}')").fetchall()]
        data = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows])
        self.con.register("_batch", data)
        try:
            casts = ", ".join(f'"{c}"' for c in columns)
            self.con.execute(f"INSERT INTO {table} ({casts}) SELECT {casts} FROM _batch")
        finally:
            self.con.unregister("_batch")

    # -- reading ------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of a parameterised query as dicts."""
        cursor = self.con.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def counts(self) -> dict[str, int]:
        tables = ["articles", "paragraphs", "mentions", "places", "times", "events", "rejects", "runs"]
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # type: ignore[index]

    def article_json(self, article_id: str) -> dict[str, Any] | None:
        row = self.con.execute("SELECT document FROM articles WHERE id = ?", [article_id]).fetchone()
        return json.loads(row[0]) if row else None

    def reject_reasons(self, run_id: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT code, count(*) AS n FROM rejects"
        params: list[Any] = []
        if run_id:
            sql += " WHERE run_id = ?"
            params.append(run_id)
        return self.query(sql + " GROUP BY code ORDER BY n DESC", params)


def _parse_ts(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parse_date(value: str | None) -> Any:
    if not value:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
