"""One record per real-world event: near-duplicate articles, and event mentions across articles.

GDELT counts reports as events: one kidnapping reported by two hundred outlets became
hundreds of records. dateline keeps every report (an event mention, with its evidence) and
groups them:

- **articles**: MinHash LSH (datasketch) over word 5-shingles finds near-duplicate articles
  (syndicated copies, light rewrites); Jaccard ≥ ``article_threshold``.
- **events**: two event mentions describe the same real event when they have the same PLOVER
  type, share an actor and a recipient (either way round for symmetric types such as CONSULT
  and AGREE), their dates are within ``window_days`` of each other (overlapping intervals
  count), and their places, when both are known, are in the same country and within
  ``max_km``. Mentions from near-duplicate articles with the same type and parties are the
  same event whatever their dates say. Clusters are the connected components (union-find);
  a cluster's id is the smallest member id, so it is stable across runs.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

_WORD = re.compile(r"\w+")
SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
# where it happened tells events apart only for acts done in a place; a statement, a sanction
# or an expulsion is often "located" wherever the reporter's sentence puts it
PHYSICAL_TYPES = frozenset({"ASSAULT", "PROTEST", "MOBILIZE", "AID", "CONSULT"})
_STATUS = frozenset({"future", "hypothetical", "negated"})


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller id becomes the root, so a cluster's id is its smallest member
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo

    def groups(self) -> dict[str, str]:
        return {x: self.find(x) for x in list(self.parent)}


def shingles(text: str, k: int = 5) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def near_duplicate(a: set[str], b: set[str], *, threshold: float = 0.8, containment: float = 0.9) -> bool:
    """Jaccard ≥ ``threshold``, or the shorter text (≥ 20 shingles) is ``containment`` inside the longer:
    a syndicated copy with a paragraph added is still a copy."""
    inter = len(a & b)
    if inter / (len(a) + len(b) - inter) >= threshold:
        return True
    smaller = min(len(a), len(b))
    return smaller >= 20 and inter / smaller >= containment


def article_clusters(
    articles: Iterable[tuple[str, str]], *, threshold: float = 0.8, num_perm: int = 128
) -> dict[str, str]:
    """``{article_id: cluster_id}`` for near-duplicate articles (singletons are left out)."""
    from datasketch import MinHash, MinHashLSH

    # LSH at 0.8 finds a pair at Jaccard 0.8 only ~40% of the time (9 bands of 13 rows), and a
    # copy with a paragraph added sits lower still: ask it for candidates at 0.4 and let the
    # exact test decide.
    lsh = MinHashLSH(threshold=min(threshold, 0.4), num_perm=num_perm)
    signatures: dict[str, Any] = {}
    sets: dict[str, set[str]] = {}
    uf = UnionFind()
    for article_id, text in articles:
        grams = shingles(text)
        if not grams or article_id in signatures:
            continue
        mh = MinHash(num_perm=num_perm, seed=7)
        mh.update_batch([g.encode("utf-8") for g in grams])
        for other in lsh.query(mh):
            if near_duplicate(grams, sets[other], threshold=threshold):
                uf.union(article_id, other)
        lsh.insert(article_id, mh)
        signatures[article_id] = mh
        sets[article_id] = grams
    return {a: c for a, c in uf.groups().items()}


@dataclass(frozen=True)
class EventKey:
    """What event clustering compares, read from an event record."""

    id: str
    article_id: str
    event: str
    actors: frozenset[str]
    recipients: frozenset[str]
    start: date | None
    end: date | None
    country: str | None
    lat: float | None
    lon: float | None
    status: frozenset[str] = frozenset()  # future / hypothetical / negated: not the same as it happening

    @classmethod
    def from_record(cls, record: Mapping[str, Any], article_id: str) -> EventKey:
        start = _day(record.get("date"), first=True)
        end = _day(record.get("enddate"), first=False) or _day(record.get("date"), first=False)
        loc = record.get("event_loc") or {}
        return cls(
            id=record["id"],
            article_id=article_id,
            event=record.get("event") or "",
            actors=_parties(record.get("actor")),
            recipients=_parties(record.get("recipient")),
            start=start,
            end=end,
            country=loc.get("country_code"),
            lat=loc.get("lat"),
            lon=loc.get("lon"),
            status=frozenset(record.get("aux") or ()) & _STATUS,
        )


def _parties(parties: Sequence[Mapping[str, Any]] | None) -> frozenset[str]:
    out = set()
    for p in parties or []:
        key = p.get("country") or p.get("name")
        if key:
            out.add(str(key))
    return frozenset(out)


def _day(value: str | None, *, first: bool) -> date | None:
    """The first (or last) day a TIMEX-style value covers: 2018-06-12, 2018-06, 2018, 2018-W24."""
    if not value or not value[:4].isdigit():
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value):
            return date.fromisoformat(value[:10])
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday if first else monday + timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            y, mo = int(m[1]), int(m[2])
            if first:
                return date(y, mo, 1)
            return (date(y + (mo == 12), mo % 12 + 1, 1)) - timedelta(days=1)
        if re.fullmatch(r"\d{4}", value):
            return date(int(value), 1, 1) if first else date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def _km(a: EventKey, b: EventKey) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)  # type: ignore[arg-type]
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)  # type: ignore[operator]
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def same_event(
    a: EventKey, b: EventKey, *, window_days: int = 2, max_km: float = 300.0, near_duplicates: bool = False
) -> bool:
    """Whether two event mentions describe the same real-world event."""
    if a.event != b.event or a.status != b.status or not (a.actors or a.recipients) or not (b.actors or b.recipients):
        return False
    # a recipient one report leaves out is no evidence against the same event
    straight = bool(a.actors & b.actors) and (bool(a.recipients & b.recipients) or not (a.recipients and b.recipients))
    crossed = a.event in SYMMETRIC_TYPES and bool(a.actors & b.recipients) and bool(a.recipients & b.actors)
    if a.event in SYMMETRIC_TYPES and not straight and not crossed:
        # a meeting reported with both parties in one article and one party in another: the
        # smaller set of parties within the larger, at the same place (checked below)
        pa, pb = a.actors | a.recipients, b.actors | b.recipients
        straight = len(pa & pb) >= 2 or (
            bool(pa & pb) and (pa <= pb or pb <= pa) and bool(a.country) and a.country == b.country
        )
    if not (straight or crossed):
        return False
    if near_duplicates:
        return True
    if a.start is None or b.start is None:
        return False
    slack = timedelta(days=window_days)
    a_end, b_end = a.end or a.start, b.end or b.start
    if a.start > b_end + slack or b.start > a_end + slack:
        return False
    if a.event not in PHYSICAL_TYPES:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    km = _km(a, b)
    return km is None or km <= max_km


def event_clusters(
    keys: Sequence[EventKey], article_cluster: Mapping[str, str] | None = None, **options: Any
) -> dict[str, str]:
    """``{event_id: cluster_id}`` for every event mention (a singleton is its own cluster)."""
    article_cluster = article_cluster or {}
    uf = UnionFind()
    by_type: dict[str, list[EventKey]] = defaultdict(list)
    for key in keys:
        uf.find(key.id)
        by_type[key.event].append(key)
    for group in by_type.values():
        # blocking: compare only mentions that share a party
        by_party: dict[str, list[EventKey]] = defaultdict(list)
        for key in group:
            for party in key.actors | key.recipients:
                by_party[party].append(key)
        seen: set[tuple[str, str]] = set()
        for members in by_party.values():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
                    if pair in seen:
                        continue
                    seen.add(pair)
                    dup = article_cluster.get(a.article_id, a.article_id) == article_cluster.get(
                        b.article_id, b.article_id
                    )
                    if same_event(a, b, near_duplicates=dup, **options):
                        uf.union(a.id, b.id)
    return uf.groups()


def pairwise_scores(predicted: Mapping[str, str], truth: Mapping[str, str]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against the true one (same items)."""
    items = sorted(set(predicted) & set(truth))
    tp = fp = fn = 0
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            same_pred = predicted[a] == predicted[b]
            same_true = truth[a] == truth[b]
            tp += same_pred and same_true
            fp += same_pred and not same_true
            fn += same_true and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "pairs": tp + fp + fn}


def cluster_database(db: Any, **options: Any) -> dict[str, int]:
    """Recompute the article and event clusters of a database; returns how many of each."""
    articles = article_clusters(db.article_texts())
    keys = [EventKey.from_record(record, article_id) for article_id, record in db.event_records()]
    events = event_clusters(keys, articles, **options)
    db.write_clusters(articles, events)
    return {
        "article_clusters": len(set(articles.values())),
        "duplicate_articles": sum(1 for a, c in articles.items() if a != c),
        "event_clusters": len(set(events.values())),
        "event_mentions": len(events),
    }
