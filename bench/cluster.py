"""Clustering benchmark: "one record per real event", measured on a corpus whose truth is known.

    .venv/bin/python bench/cluster.py [--data bench/data/cluster] [--keep-db PATH]

Ingests ``bench/data/cluster/*.txt`` (48 short fictional reports of 17 real-world events,
2018-2023, with look-alike events and 3 syndicated near-copies; see its README.md) into a
temporary DuckDB with ``run_ingest`` (text_kind "article"; the ingest codes the events and
clusters them at its end), then scores:

- **article de-duplication**: pairwise P/R/F1 of the ``clusters`` table (kind='article')
  against ``truth.csv``'s ``copy_of``;
- **event clustering**: pairwise P/R/F1 over event mentions, two mentions being truly the
  same iff their articles share an ``event_key`` and both mentions have the article's main
  PLOVER type. Two item sets: ``main`` (only the mentions of the article's main type) and
  ``all`` (every mention; one of another type is a singleton in the truth, so merging two
  such mentions counts against precision even where they do describe one secondary event);
- **counts**: events stored (what GDELT would count) vs real events vs our clusters;
- **diagnosis**: for every wrongly split and wrongly merged pair of main-type mentions, the
  first condition of ``dateline.cluster.same_event`` that failed or held, so that coder
  errors (no mention of the main type, no parties, no date) are told apart from clustering
  rules (window, party matching, place);
- **what-if**: the same mentions re-clustered with other ``window_days`` and with the
  mode (aux: future, negated ...) as part of the key, without re-ingesting.

Prints markdown tables and writes bench/results/cluster.json.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "cluster"


# -- truth --------------------------------------------------------------------------------


def load_truth(data: Path = DATA) -> dict[str, dict[str, str]]:
    """``{file: {event_key, main_event_type, date, copy_of}}`` from truth.csv."""
    with open(data / "truth.csv", newline="", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


# -- ingest -------------------------------------------------------------------------------


def write_jsonl(data: Path, truth: dict[str, dict[str, str]], path: Path) -> Path:
    """The same texts as one JSONL table with a ``date`` column (truth.csv's ``published``),
    as a crawl (news-please, CC-NEWS) would give them: isolates what the missing publication
    date costs from what the clustering rules cost."""
    with open(path, "w", encoding="utf-8") as fh:
        for f in sorted(truth):
            text = (data / f).read_text(encoding="utf-8")
            row = {"url": f"https://bench.example/cluster/{f}", "text": text, "date": truth[f]["published"]}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def ingest(data: Path, db_path: Path, *, jsonl: Path | None = None) -> dict[str, Any]:
    """Ingest every .txt file of ``data`` (or the table ``jsonl``) into ``db_path``."""
    from dateline.backends.local import run_ingest
    from dateline.config import Settings

    files = [str(jsonl)] if jsonl else sorted(str(p) for p in data.glob("*.txt"))
    settings = Settings(db=str(db_path), text_kind="article", workers=1, batch_size=64)
    started = time.perf_counter()
    report = run_ingest(files, settings)
    return {
        "documents": report.documents,
        "stored": report.stored,
        "rejected": report.rejected,
        "duplicates": report.duplicates,
        "clusters": dict(report.clusters),
        "seconds": round(time.perf_counter() - started, 2),
    }


def read_db(db_path: Path) -> dict[str, Any]:
    """Articles (by file name), their article clusters, and every event with its cluster."""
    from dateline.store import Database

    with Database(db_path, read_only=True) as db:
        articles = db.query("SELECT id, uri FROM articles")
        clusters = db.query("SELECT id, member_id FROM clusters WHERE kind = 'article'")
        events = db.query("SELECT id, article_id, event, cluster, record FROM events ORDER BY id")
        texts = dict(db.article_texts())
    file_of = {a["id"]: Path(a["uri"]).name for a in articles}
    return {
        "file_of": file_of,
        "texts": texts,
        "article_cluster": {c["member_id"]: c["id"] for c in clusters},
        "events": [
            {
                "id": e["id"],
                "file": file_of.get(e["article_id"], e["article_id"]),
                "article_id": e["article_id"],
                "event": e["event"],
                "cluster": e["cluster"] or e["id"],
                "record": json.loads(e["record"]) if isinstance(e["record"], str) else e["record"],
            }
            for e in events
        ],
    }


# -- scores ---------------------------------------------------------------------------------


def score_articles(db: dict[str, Any], truth: dict[str, dict[str, str]]) -> dict[str, Any]:
    from dateline.cluster import pairwise_scores

    id_of = {f: a for a, f in db["file_of"].items()}
    predicted = {f: db["article_cluster"].get(a, a) for f, a in id_of.items() if f in truth}
    true = {f: (truth[f]["copy_of"] or f) for f in predicted}
    scores = pairwise_scores(predicted, true)
    scores["articles"] = len(predicted)
    scores["missing"] = sorted(set(truth) - set(predicted))
    scores["merged_groups"] = sorted(sorted(g) for g in _groups(predicted).values() if len(g) > 1)
    return scores


def _groups(labels: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for item, label in labels.items():
        out[label].append(item)
    return out


def event_items(db: dict[str, Any], truth: dict[str, dict[str, str]], which: str) -> tuple[dict, dict]:
    """(predicted, true) labels of the event mentions in ``which`` ('main' or 'all')."""
    predicted, true = {}, {}
    for e in db["events"]:
        t = truth.get(e["file"])
        if t is None:
            continue
        is_main = e["event"] == t["main_event_type"]
        if which == "main" and not is_main:
            continue
        predicted[e["id"]] = e["cluster"]
        true[e["id"]] = t["event_key"] if is_main else "solo:" + e["id"]
    return predicted, true


def score_events(db: dict[str, Any], truth: dict[str, dict[str, str]]) -> dict[str, Any]:
    from dateline.cluster import pairwise_scores

    out: dict[str, Any] = {}
    for which in ("main", "all"):
        predicted, true = event_items(db, truth, which)
        s = pairwise_scores(predicted, true)
        s["mentions"] = len(predicted)
        out[which] = s
    # coder coverage: articles with at least one mention of their main type
    main_files = {
        e["file"] for e in db["events"] if e["file"] in truth and e["event"] == truth[e["file"]]["main_event_type"]
    }
    out["coverage"] = {
        "articles": len(truth),
        "with_main_type": len(main_files & set(truth)),
        "without_main_type": sorted(set(truth) - main_files),
        "types_found": {
            f: sorted(Counter(e["event"] for e in db["events"] if e["file"] == f).items())
            for f in sorted(set(truth) - main_files)
        },
    }
    # per real event: into how many clusters its main-type mentions fall; per cluster, how many real events
    predicted, true = event_items(db, truth, "main")
    per_event: dict[str, set[str]] = defaultdict(set)
    per_cluster: dict[str, set[str]] = defaultdict(set)
    for m, key in true.items():
        per_event[key].add(predicted[m])
        per_cluster[predicted[m]].add(key)
    real_events = sorted({t["event_key"] for t in truth.values()})
    out["counts"] = {
        "articles": len(truth),
        "events_stored": len(db["events"]),  # what GDELT would count: one record per mention
        "main_type_mentions": len(predicted),
        "real_events": len(real_events),
        "clusters_all": len({e["cluster"] for e in db["events"]}),
        "clusters_main": len(set(predicted.values())),
        "real_events_found": len(per_event),
        "real_events_in_one_cluster": sum(1 for k in per_event.values() if len(k) == 1),
        "clusters_mixing_real_events": sum(1 for k in per_cluster.values() if len(k) > 1),
    }
    out["per_event"] = {
        key: {
            "articles": sorted(f for f, t in truth.items() if t["event_key"] == key),
            "main_mentions": sum(1 for v in true.values() if v == key),
            "clusters": len(per_event.get(key, ())),
            "articles_in_largest_cluster": _articles_in_largest(key, db, truth, predicted, true),
        }
        for key in real_events
    }
    out["mixed_clusters"] = {c: sorted(keys) for c, keys in per_cluster.items() if len(keys) > 1}
    return out


def _articles_in_largest(key: str, db: dict, truth: dict, predicted: dict, true: dict) -> int:
    file_of = {e["id"]: e["file"] for e in db["events"]}
    by_cluster: dict[str, set[str]] = defaultdict(set)
    for m, k in true.items():
        if k == key:
            by_cluster[predicted[m]].add(file_of[m])
    return max((len(v) for v in by_cluster.values()), default=0)


def article_similarity(db: dict[str, Any], truth: dict[str, dict[str, str]], threshold: float = 0.8) -> dict[str, Any]:
    """Exact 5-shingle Jaccard and containment of every article pair (48 articles: cheap), so
    that what MinHash LSH missed is told apart from what the threshold excludes."""
    from dateline.cluster import shingles

    grams = {db["file_of"][a]: shingles(t) for a, t in db["texts"].items()}
    true_pairs, others = [], []
    for f1, f2 in itertools.combinations(sorted(grams), 2):
        a, b = grams[f1], grams[f2]
        inter = len(a & b)
        row = {
            "pair": [f1, f2],
            "jaccard": round(inter / len(a | b), 3) if a | b else 0.0,
            "containment": round(inter / min(len(a), len(b)), 3) if a and b else 0.0,
        }
        if (truth[f1]["copy_of"] or f1) == (truth[f2]["copy_of"] or f2):
            true_pairs.append(row)
        else:
            others.append(row)
    others.sort(key=lambda r: -r["containment"])
    exact = {"tp": 0, "fp": 0, "fn": 0}
    for row in true_pairs:
        exact["tp" if row["jaccard"] >= threshold else "fn"] += 1
    exact["fp"] = sum(1 for row in others if row["jaccard"] >= threshold)
    return {"copies": true_pairs, "closest_non_copies": others[:5], f"exact_jaccard>={threshold}": exact}


def article_linkage(db: dict[str, Any], truth: dict[str, dict[str, str]]) -> dict[str, float]:
    """Pairwise P/R over article pairs: linked iff their main-type mentions share a cluster;
    truly linked iff they share an event_key. What a reader sees ("these reports are one event")."""
    clusters: dict[str, set[str]] = defaultdict(set)
    for e in db["events"]:
        t = truth.get(e["file"])
        if t and e["event"] == t["main_event_type"]:
            clusters[e["file"]].add(e["cluster"])
    tp = fp = fn = 0
    for f1, f2 in itertools.combinations(sorted(truth), 2):
        linked = bool(clusters[f1] & clusters[f2])
        same = truth[f1]["event_key"] == truth[f2]["event_key"]
        tp += linked and same
        fp += linked and not same
        fn += same and not linked
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "pairs": tp + fp + fn}


# -- diagnosis ------------------------------------------------------------------------------


def _keys(db: dict[str, Any]) -> dict[str, Any]:
    from dateline.cluster import EventKey

    return {e["id"]: EventKey.from_record(e["record"], e["article_id"]) for e in db["events"]}


def why(a: Any, b: Any, *, window_days: int = 2, max_km: float = 300.0, near_duplicates: bool = False) -> str:
    """The first condition of ``same_event`` that fails for (a, b), or 'match'."""
    from datetime import timedelta

    from dateline.cluster import SYMMETRIC_TYPES, _km

    if a.event != b.event:
        return "type differs"
    if not a.actors or not b.actors:
        return "no actor (coder)"
    straight = bool(a.actors & b.actors) and (bool(a.recipients & b.recipients) or not (a.recipients or b.recipients))
    crossed = a.event in SYMMETRIC_TYPES and bool(a.actors & b.recipients) and bool(a.recipients & b.actors)
    if a.event in SYMMETRIC_TYPES and not straight and not crossed:
        pa, pb = a.actors | a.recipients, b.actors | b.recipients
        straight = len(pa & pb) >= 2 or (
            bool(pa & pb) and (pa <= pb or pb <= pa) and bool(a.country) and a.country == b.country
        )
    if not (straight or crossed):
        if not (a.actors | a.recipients) & (b.actors | b.recipients):
            return "no shared party"
        if a.recipients and b.recipients and not a.recipients & b.recipients:
            return "recipients differ"
        return "one has a recipient, the other none" if bool(a.recipients) != bool(b.recipients) else "parties differ"
    if near_duplicates:
        return "match"
    if a.start is None or b.start is None:
        return "undated mention (times)"
    slack = timedelta(days=window_days)
    a_end, b_end = a.end or a.start, b.end or b.start
    if a.start > b_end + slack or b.start > a_end + slack:
        return "dates apart"
    if a.country and b.country and a.country != b.country:
        return "countries differ"
    km = _km(a, b)
    if km is not None and km > max_km:
        return "too far apart"
    return "match"


def _brief(key: Any, file: str) -> dict[str, Any]:
    return {
        "file": file,
        "event": key.event,
        "date": [str(key.start) if key.start else None, str(key.end) if key.end else None],
        "actors": sorted(key.actors),
        "recipients": sorted(key.recipients),
        "country": key.country,
    }


def diagnose(db: dict[str, Any], truth: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Why true pairs were split and false pairs merged (main-type mentions only)."""
    keys = _keys(db)
    file_of = {e["id"]: e["file"] for e in db["events"]}
    aux = {e["id"]: tuple(e["record"].get("aux") or ()) for e in db["events"]}
    predicted, true = event_items(db, truth, "main")
    art = db["article_cluster"]
    split: Counter[str] = Counter()
    split_examples: dict[str, list] = defaultdict(list)
    merged: list[dict[str, Any]] = []
    for m1, m2 in itertools.combinations(sorted(predicted), 2):
        same_true, same_pred = true[m1] == true[m2], predicted[m1] == predicted[m2]
        a, b = keys[m1], keys[m2]
        if a.article_id == b.article_id:
            reason_dup = False
        else:
            reason_dup = art.get(a.article_id, a.article_id) == art.get(b.article_id, b.article_id)
        if same_true and not same_pred:
            r = "same article" if a.article_id == b.article_id else why(a, b, near_duplicates=reason_dup)
            split[r] += 1
            if len(split_examples[r]) < 6:
                split_examples[r].append([_brief(a, file_of[m1]), _brief(b, file_of[m2])])
        elif same_pred and not same_true:
            direct = a.article_id != b.article_id and why(a, b, near_duplicates=reason_dup) == "match"
            merged.append(
                {
                    "keys": [true[m1], true[m2]],
                    "direct_link": direct,
                    "aux": [list(aux[m1]), list(aux[m2])],
                    "a": _brief(a, file_of[m1]),
                    "b": _brief(b, file_of[m2]),
                }
            )
    # mentions of the main type, as the coder saw them
    mentions = [
        {**_brief(keys[m], file_of[m]), "aux": list(aux[m]), "key": true[m], "cluster": predicted[m]}
        for m in sorted(predicted, key=lambda m: (file_of[m], m))
    ]
    return {
        "split_pairs_by_reason": dict(split.most_common()),
        "split_examples": dict(split_examples),
        "merged_pairs": len(merged),
        "merged_pairs_by_keys": dict(Counter(" + ".join(sorted(set(x["keys"]))) for x in merged).most_common()),
        "merged_direct_links": [x for x in merged if x["direct_link"]],
        "mentions": mentions,
    }


def proposed_clusters(
    keys: list[Any],
    article_cluster: dict[str, str],
    aux: dict[str, str],
    *,
    aux_key: bool = False,
    open_recipient: bool = False,
    place_types: frozenset[str] | None = None,
    within_article: bool = False,
    window_days: int = 2,
) -> dict[str, str]:
    """``event_clusters`` with the changes proposed in the report, each behind a flag, so that
    their effect is measured on the same mentions (this is a bench, not the library):

    - ``aux_key``: a planned, negated or hypothetical mention never joins an asserted one;
    - ``open_recipient``: a mention with no recipient is compatible with one that has one
      (same actor, date and place still required);
    - ``place_types``: the country/distance test only for these (physical) event types;
    - ``within_article``: mentions of one type in one article join when their parties are
      compatible (missing = compatible) and their dates agree (document-level coreference).
    """
    from datetime import timedelta

    from dateline.cluster import UnionFind, _km, same_event

    uf = UnionFind()
    for k in keys:
        uf.find(k.id)

    def dates_ok(a: Any, b: Any) -> bool:
        if a.start is None or b.start is None:
            return False
        slack = timedelta(days=window_days)
        return not (a.start > (b.end or b.start) + slack or b.start > (a.end or a.start) + slack)

    if place_types is not None:  # a diplomatic act's "place" is weak evidence: drop it
        keys = [k if k.event in place_types else replace(k, country=None, lat=None, lon=None) for k in keys]
    for a, b in itertools.combinations(keys, 2):
        if a.event != b.event or (aux_key and aux[a.id] != aux[b.id]):
            continue
        if a.article_id == b.article_id:
            if not within_article:
                continue
            pa, pb = a.actors | a.recipients, b.actors | b.recipients
            if (not pa or not pb or pa & pb) and (a.start is None or b.start is None or dates_ok(a, b)):
                uf.union(a.id, b.id)
            continue
        dup = article_cluster.get(a.article_id, a.article_id) == article_cluster.get(b.article_id, b.article_id)
        if same_event(a, b, near_duplicates=dup, window_days=window_days):
            uf.union(a.id, b.id)
        elif (
            open_recipient
            and a.actors & b.actors
            and (not a.recipients or not b.recipients)
            and dates_ok(a, b)
            and not (a.country and b.country and a.country != b.country)
        ):
            km = _km(a, b)
            if km is None or km <= 300.0:
                uf.union(a.id, b.id)
    return uf.groups()


PHYSICAL = frozenset({"ASSAULT", "PROTEST", "MOBILIZE", "AID", "COERCE", "RETREAT", "CONSULT"})


def what_if(db: dict[str, Any], truth: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Re-cluster the same mentions with other options (no re-ingest), scored on 'main'."""
    from dateline.cluster import event_clusters, pairwise_scores

    keys = _keys(db)
    aux = {e["id"]: "|".join(e["record"].get("aux") or ()) for e in db["events"]}
    _, true = event_items(db, truth, "main")
    variants: dict[str, Any] = {}

    def record(name: str, groups: dict[str, str]) -> None:
        s = pairwise_scores({m: groups[m] for m in true}, true)
        variants[name] = {k: round(v, 3) if isinstance(v, float) else v for k, v in s.items()}
        relinked = {**db, "events": [{**e, "cluster": groups[e["id"]]} for e in db["events"]]}
        variants[name]["linkage_f1"] = round(article_linkage(relinked, truth)["f1"], 3)

    base = list(keys.values())
    art = db["article_cluster"]
    for w in (0, 1, 2, 3, 7):
        record(f"window_days={w}", event_clusters(base, art, window_days=w))
    record("max_km=100", event_clusters(base, art, max_km=100.0))
    record("proposed: aux in the key", proposed_clusters(base, art, aux, aux_key=True))
    record("proposed: open recipient", proposed_clusters(base, art, aux, open_recipient=True))
    record("proposed: place test only for physical types", proposed_clusters(base, art, aux, place_types=PHYSICAL))
    record("proposed: within-article coreference", proposed_clusters(base, art, aux, within_article=True))
    record(
        "proposed: open recipient + place + within-article",
        proposed_clusters(base, art, aux, open_recipient=True, place_types=PHYSICAL, within_article=True),
    )
    record(
        "proposed: all four",
        proposed_clusters(base, art, aux, aux_key=True, open_recipient=True, place_types=PHYSICAL, within_article=True),
    )
    return variants


def dedup_what_if(db: dict[str, Any], truth: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Article de-duplication with LSH candidates at a lower threshold than the exact check,
    and with containment (|A&B| / min) instead of Jaccard."""
    from datasketch import MinHash, MinHashLSH

    from dateline.cluster import UnionFind, pairwise_scores, shingles

    def run(lsh_threshold: float, measure: str, threshold: float) -> dict[str, Any]:
        lsh = MinHashLSH(threshold=lsh_threshold, num_perm=128)
        sets: dict[str, set[str]] = {}
        uf = UnionFind()
        for aid, text in sorted(db["texts"].items()):
            grams = shingles(text)
            mh = MinHash(num_perm=128, seed=7)
            mh.update_batch([g.encode("utf-8") for g in grams])
            uf.find(aid)
            for other in lsh.query(mh):
                inter = len(grams & sets[other])
                denom = min(len(grams), len(sets[other])) if measure == "containment" else len(grams | sets[other])
                if inter / denom >= threshold:
                    uf.union(aid, other)
            lsh.insert(aid, mh)
            sets[aid] = grams
        groups = uf.groups()
        pred = {db["file_of"][a]: c for a, c in groups.items()}
        s = pairwise_scores(pred, {f: truth[f]["copy_of"] or f for f in pred})
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in s.items()}

    return {
        "LSH 0.8, Jaccard >= 0.8 (as now)": run(0.8, "jaccard", 0.8),
        "LSH 0.5, Jaccard >= 0.8": run(0.5, "jaccard", 0.8),
        "LSH 0.5, containment >= 0.9": run(0.5, "containment", 0.9),
    }


# -- report -------------------------------------------------------------------------------


CONDITIONS = {
    "txt": "plain .txt files as written (no publication date: only the dateline in the text)",
    "published": "the same texts as JSONL with a date column (the publication date a crawl gives)",
}


def score_condition(db: dict[str, Any], truth: dict[str, dict[str, str]], run: dict[str, Any]) -> dict[str, Any]:
    return {
        "ingest": run,
        "articles": score_articles(db, truth),
        "article_similarity": article_similarity(db, truth),
        "events": score_events(db, truth),
        "article_linkage": article_linkage(db, truth),
        "diagnosis": diagnose(db, truth),
        "what_if": what_if(db, truth),
        "dedup_what_if": dedup_what_if(db, truth),
    }


def evaluate(
    data: Path = DATA, keep_db: Path | None = None, conditions: tuple[str, ...] = tuple(CONDITIONS)
) -> dict[str, Any]:
    """Ingest, score and diagnose each condition; the whole result as one dict."""
    truth = load_truth(data)
    out: dict[str, Any] = {
        "corpus": {"articles": len(truth), "real_events": len({t["event_key"] for t in truth.values()})},
        "conditions": {c: CONDITIONS[c] for c in conditions},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for cond in conditions:
            db_path = Path(tmp) / f"{cond}.duckdb"
            if keep_db:
                db_path = keep_db.with_name(f"{keep_db.stem}-{cond}{keep_db.suffix}")
                db_path.unlink(missing_ok=True)
            jsonl = write_jsonl(data, truth, Path(tmp) / "cluster.jsonl") if cond == "published" else None
            run = ingest(data, db_path, jsonl=jsonl)
            out[cond] = score_condition(read_db(db_path), truth, run)
    return out


def _row(label: str, items: Any, s: dict[str, Any]) -> str:
    return f"| {label} | {items} | {s['pairs']} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |"


def format_report(r: dict[str, Any]) -> str:
    conds = list(r["conditions"])
    lines = [
        "## Clustering benchmark (bench/data/cluster)",
        "",
        f"{r['corpus']['articles']} articles, {r['corpus']['real_events']} real events. Conditions: "
        + "; ".join(f"**{c}**: {d}" for c, d in r["conditions"].items()),
        "",
        "| condition / what | items | pairs (tp+fp+fn) | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for c in conds:
        x = r[c]
        a, ev = x["articles"], x["events"]
        lines.append(_row(f"{c}: article de-duplication", a["articles"], a))
        lines.append(_row(f"{c}: event clustering, main-type mentions", ev["main"]["mentions"], ev["main"]))
        lines.append(_row(f"{c}: event clustering, all mentions", ev["all"]["mentions"], ev["all"]))
        lines.append(
            _row(f"{c}: article pairs linked by a shared event cluster", r["corpus"]["articles"], x["article_linkage"])
        )
    lines += ["", "| count | " + " | ".join(conds) + " |", "|---|" + "---:|" * len(conds)]
    labels = [
        ("events stored (GDELT-style count)", "events_stored"),
        ("real events (distinct event_key)", "real_events"),
        ("our event clusters (all mentions)", "clusters_all"),
        ("mentions of the article's main type", "main_type_mentions"),
        ("clusters of main-type mentions", "clusters_main"),
        ("real events with a main-type mention", "real_events_found"),
        ("real events whose main-type mentions are all in one cluster", "real_events_in_one_cluster"),
        ("clusters mixing real events", "clusters_mixing_real_events"),
    ]
    for label, key in labels:
        lines.append(f"| {label} | " + " | ".join(str(r[c]["events"]["counts"][key]) for c in conds) + " |")
    lines.append(
        "| articles with no mention of their main type (coder) | "
        + " | ".join(str(len(r[c]["events"]["coverage"]["without_main_type"])) for c in conds)
        + " |"
    )
    lines.append("| ingest seconds | " + " | ".join(str(r[c]["ingest"]["seconds"]) for c in conds) + " |")
    for title, key in (
        ("why true pairs of main-type mentions were split", "split_pairs_by_reason"),
        ("wrongly merged real events (mention pairs)", "merged_pairs_by_keys"),
    ):
        counts = [r[c]["diagnosis"][key] for c in conds]
        lines += ["", f"| {title} | " + " | ".join(conds) + " |", "|---|" + "---:|" * len(conds)]
        for k in sorted({k for per in counts for k in per}):
            lines.append(f"| {k} | " + " | ".join(str(per.get(k, 0)) for per in counts) + " |")
    c0 = conds[0]
    sim = r[c0]["article_similarity"]
    lines += ["", "| near-copy pair | exact Jaccard | containment | clustered |", "|---|---:|---:|---|"]
    merged_groups = r[c0]["articles"]["merged_groups"]
    for row in sim["copies"]:
        found = any(set(row["pair"]) <= set(g) for g in merged_groups)
        lines.append(
            f"| {' / '.join(row['pair'])} | {row['jaccard']} | {row['containment']} | {'yes' if found else 'no'} |"
        )
    top = sim["closest_non_copies"][0] if sim["closest_non_copies"] else None
    if top:
        lines.append(f"| closest non-copy: {' / '.join(top['pair'])} | {top['jaccard']} | {top['containment']} | - |")
    lines += ["", "| what-if, main-type mentions | " + " | ".join(conds) + " |", "|---|" + "---:|" * len(conds)]
    for k in r[c0]["what_if"]:
        lines.append(
            f"| {k} | "
            + " | ".join(
                f"P {r[c]['what_if'][k]['precision']:.2f} R {r[c]['what_if'][k]['recall']:.2f} F1 {r[c]['what_if'][k]['f1']:.3f}"
                f" (linkage F1 {r[c]['what_if'][k]['linkage_f1']:.2f})"
                for c in conds
            )
            + " |"
        )
    lines += ["", "| de-duplication what-if | P | R | F1 |", "|---|---:|---:|---:|"]
    for k, v in r[c0]["dedup_what_if"].items():
        lines.append(f"| {k} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--keep-db", type=Path, default=None, help="keep the DuckDB here (for inspection)")
    args = parser.parse_args(argv)
    if not (args.data / "truth.csv").is_file():
        print(f"No truth.csv under {args.data}", file=sys.stderr)
        return 1
    result = evaluate(args.data, args.keep_db)
    print(format_report(result))
    out = ROOT / "bench" / "results" / "cluster.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
