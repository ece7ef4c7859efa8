"""The DuckDB store: the only module that imports duckdb and speaks SQL.

Writes are idempotent: an article's id is the hash of its normalised text, a reject's key
is (uri, raw digest), so storing the same input twice adds no rows. Each batch is one
transaction, so a run killed at any moment leaves whole batches behind it and the same
command, run again, skips what is there (``seen``) and stores the rest.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from dateline.errors import StoreError
from dateline.records import Article
from dateline.store.rows import ARTICLE_TABLES, TABLES, article_rows, reject_row

SCHEMA_VERSION = "1"

# One row per events row: what the web's event listing filters, counts and sorts on.
_EVENT_INDEX_SQL = """
WITH m AS (
    SELECT event_id,
        list(DISTINCT lower(actor_name)) FILTER (WHERE role = 'actor' AND actor_name IS NOT NULL) AS actor_names,
        list(DISTINCT country) FILTER (WHERE role = 'actor' AND country IS NOT NULL) AS actor_countries,
        list(DISTINCT lower(actor_name)) FILTER (WHERE role = 'recipient' AND actor_name IS NOT NULL) AS recipient_names,
        list(DISTINCT country) FILTER (WHERE role = 'recipient' AND country IS NOT NULL) AS recipient_countries,
        list(DISTINCT country) FILTER (WHERE country IS NOT NULL) AS countries
    FROM event_mentions GROUP BY event_id
),
c AS (
    SELECT coalesce(cluster, id) AS k, count(*) AS n_reports, count(DISTINCT article_id) AS n_sources
    FROM events GROUP BY 1
),
p AS (
    SELECT geonameid, list(DISTINCT name) AS names FROM (
        SELECT geonameid, lower(name) AS name FROM places WHERE geonameid IS NOT NULL AND name IS NOT NULL
        UNION ALL SELECT geonameid, lower(text) FROM places WHERE geonameid IS NOT NULL AND text IS NOT NULL
    ) GROUP BY geonameid
)
SELECT e.id, e.article_id, coalesce(e.cluster, e.id) AS cluster_key, e.event, e.date,
    coalesce(e.enddate, e.date) AS last_date, e.confidence, e.aux, e.country_code, e.geonameid,
    c.n_reports, c.n_sources,
    coalesce(m.actor_names, []) AS actor_names, coalesce(m.actor_countries, []) AS actor_countries,
    coalesce(m.recipient_names, []) AS recipient_names, coalesce(m.recipient_countries, []) AS recipient_countries,
    coalesce(m.countries, []) AS countries, coalesce(p.names, []) AS place_names,
    row_number() OVER (ORDER BY e.date DESC NULLS LAST, e.id) AS r_date_desc,
    row_number() OVER (ORDER BY e.date ASC NULLS LAST, e.id) AS r_date_asc,
    row_number() OVER (ORDER BY e.confidence DESC NULLS LAST, e.id) AS r_conf_desc,
    row_number() OVER (ORDER BY e.confidence ASC NULLS LAST, e.id) AS r_conf_asc,
    row_number() OVER (ORDER BY e.event ASC NULLS LAST, e.date DESC NULLS LAST, e.id) AS r_type
FROM events e
LEFT JOIN m ON m.event_id = e.id
LEFT JOIN c ON c.k = coalesce(e.cluster, e.id)
LEFT JOIN p ON p.geonameid = e.geonameid
"""

# What event_index was built from: counts and order-free hashes of the columns it derives from.
_INDEX_FINGERPRINT_SQL = """
SELECT 'v1:' || (SELECT count(*) FROM events) || ':'
    || coalesce((SELECT bit_xor(hash(id, article_id, cluster, event, date, enddate, confidence, aux,
                                     country_code, geonameid)) FROM events), 0) || ':'
    || coalesce((SELECT bit_xor(hash(event_id, role, n, actor_name, country)) FROM event_mentions), 0) || ':'
    || coalesce((SELECT bit_xor(hash(article_id, n, geonameid, name, text)) FROM places), 0)
"""


class Database:
    """A dateline database file. ``read_only`` for the web server and queries."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._index_ready: bool | None = None
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

    @contextlib.contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        """One transaction; any DuckDB error rolls it back and becomes a StoreError."""
        try:
            self.con.execute("BEGIN TRANSACTION")
            yield
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            with contextlib.suppress(duckdb.Error):
                self.con.execute("ROLLBACK")
            raise StoreError(f"Cannot write {what} to {self.path}: {exc}") from exc

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
        with self._transaction("the batch"):
            existing = set()
            if good:
                ids = list({a.id for a in good})
                existing = {
                    r[0]
                    for r in self.con.execute(
                        "SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [ids]
                    ).fetchall()
                }
            fresh: dict[str, Article] = {}
            for article in good:
                if article.id not in existing and article.id not in fresh:
                    fresh[article.id] = article
            if fresh:
                self._insert_articles(list(fresh.values()), run_id, now)
            for article in bad:
                row = reject_row(article, run_id, now)
                self.con.execute(
                    f"INSERT INTO rejects ({', '.join(row)}) VALUES ({', '.join('?' * len(row))}) ON CONFLICT DO NOTHING",
                    list(row.values()),
                )
        return len(fresh), len(good) - len(fresh)

    def _insert_articles(self, articles: list[Article], run_id: str | None, now: datetime) -> None:
        tables: dict[str, list[dict[str, Any]]] = {t: [] for t in ARTICLE_TABLES}
        for article in articles:
            for table, rows in article_rows(article, run_id, now).items():
                tables[table].extend(rows)
        for table, rows in tables.items():
            self.insert_rows(table, rows)

    def insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Bulk-insert rows given as dicts (missing keys are NULL) into one of ``rows.TABLES``."""
        if not rows:
            return
        columns = [name for name, _ in TABLES[table]]  # schema.sql's columns (a test checks they agree)
        data = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows])
        self.con.register("_batch", data)
        try:
            casts = ", ".join(f'"{c}"' for c in columns)
            self.con.execute(f"INSERT INTO {table} ({casts}) SELECT {casts} FROM _batch")
        finally:
            self.con.unregister("_batch")

    # -- clusters -----------------------------------------------------------------------

    def article_texts(self) -> Iterable[tuple[str, str]]:
        cursor = self.con.execute("SELECT id, text FROM articles ORDER BY id")
        while rows := cursor.fetchmany(1000):
            yield from rows

    def event_records(self) -> Iterable[tuple[str, dict[str, Any]]]:
        cursor = self.con.execute("SELECT article_id, record FROM events ORDER BY id")
        while rows := cursor.fetchmany(1000):
            for article_id, record in rows:
                yield article_id, json.loads(record)

    def write_clusters(self, articles: dict[str, str], events: dict[str, str]) -> None:
        """Replace the clusters table and the events' cluster ids in one transaction."""
        rows = [{"id": c, "kind": "article", "member_id": a} for a, c in articles.items()]
        rows += [{"id": c, "kind": "event", "member_id": e} for e, c in events.items()]
        with self._transaction("clusters"):
            self.con.execute("DELETE FROM clusters")
            self.insert_rows("clusters", rows)
            self.con.execute(
                "UPDATE events SET cluster = c.id FROM clusters c WHERE c.kind = 'event' AND c.member_id = events.id"
            )
            self._build_event_index()

    # -- the derived event index ----------------------------------------------------------

    def index_events(self) -> int:
        """Rebuild ``event_index`` from events, event_mentions and places; returns its row count.

        ``write_clusters`` does this at the end of each ingest; call it after changing those
        tables any other way (a reader ignores an index whose fingerprint no longer matches).
        """
        with self._transaction("the event index"):
            self._build_event_index()
        return self._scalar("SELECT count(*) FROM event_index")

    def _build_event_index(self) -> None:
        """Replace ``event_index`` and its fingerprint in meta (inside the caller's transaction)."""
        self.con.execute("DELETE FROM event_index")
        # physically in the default order (newest first), so a page of the unfiltered listing is a range
        self.con.execute(f"INSERT INTO event_index BY NAME ({_EVENT_INDEX_SQL}) ORDER BY r_date_desc")
        self.con.execute(
            "INSERT INTO meta VALUES ('event_index', (" + _INDEX_FINGERPRINT_SQL + ")) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        )
        self._index_ready = None

    def event_index_ready(self) -> bool:
        """Whether ``event_index`` may stand in for the tables it is derived from.

        Only for a read-only database, whose tables cannot change while it is open (DuckDB
        lets no process write a file that another holds open), so the answer is computed once
        (one scan of events, event_mentions and places) and kept. A writable one may change
        under its own connection: it always answers False and queries use the base tables.
        """
        if not self.read_only:
            return False
        if self._index_ready is None:
            try:
                stored = self.con.execute("SELECT value FROM meta WHERE key = 'event_index'").fetchall()
                self._index_ready = bool(stored) and stored[0][0] == self._scalar(_INDEX_FINGERPRINT_SQL)
            except duckdb.Error:  # a file written before the index existed
                self._index_ready = False
        return self._index_ready

    # -- reading ------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of a parameterised query as dicts."""
        cursor = self.con.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        # fetchall, not fetchone: DuckDB keeps a half-read result open and refuses the next call
        return self.con.execute(sql, list(params)).fetchall()[0][0]

    def copy_table(self, table: str, path: str | Path, fmt: str) -> int:
        """Write one table to a Parquet or CSV file; returns its row count."""
        if table not in TABLES:
            raise StoreError(f"No table called {table!r}")
        relation = self.con.table(table)
        if fmt == "parquet":
            relation.write_parquet(str(path))
        else:
            relation.write_csv(str(path), header=True)
        return self._scalar(f"SELECT count(*) FROM {table}")

    def counts(self) -> dict[str, int]:
        tables = ["articles", "paragraphs", "mentions", "places", "times", "events", "rejects", "runs"]
        return {t: self._scalar(f"SELECT count(*) FROM {t}") for t in tables}

    def article_json(self, article_id: str) -> dict[str, Any] | None:
        rows = self.con.execute("SELECT document FROM articles WHERE id = ?", [article_id]).fetchall()
        return json.loads(rows[0][0]) if rows else None

    def reject_reasons(self, run_id: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT code, count(*) AS n FROM rejects"
        params: list[Any] = []
        if run_id:
            sql += " WHERE run_id = ?"
            params.append(run_id)
        return self.query(sql + " GROUP BY code ORDER BY n DESC", params)
