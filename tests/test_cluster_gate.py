"""Quality gate for clustering: "one record per real event", on our own corpus.

bench/data/cluster holds 48 fictional reports (written by the team) of 17 real events with
look-alikes and 3 syndicated near-copies; the corpus ships with the repository, so this gate
always runs. It ingests the corpus twice with the real pipeline (as .txt files, and as a
JSONL table with publication dates) and scores it with bench/cluster.py. About 20 s.

Measured (bench/cluster.py, same code):

| figure | txt | published |
|---|---:|---:|
| article de-dup P / R / F1 | 1.000 / 0.333 / 0.500 | same |
| event clustering, main-type mentions P / R / F1 | 0.900 / 0.018 / 0.036 | 0.738 / 0.223 / 0.342 |
| article-pair linkage P / R / F1 | 0.857 / 0.120 / 0.211 | 0.667 / 0.400 / 0.500 |
| articles with a mention of their main type | 40 / 48 | 40 / 48 |

The floors sit a little under; raise them when the coder or the clustering improves.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "cluster"

FLOORS = {
    "dedup_precision": 0.99,
    "dedup_recall": 0.99,  # LSH candidates at 0.4 + containment: all three near-copies found
    "txt_event_precision": 0.90,
    "txt_event_recall": 0.18,  # the wire dateline is now the stated date of a plain-text article
    "txt_linkage_precision": 0.80,
    "txt_linkage_recall": 0.28,
    "published_event_precision": 0.90,  # planned and actual events kept apart
    "published_event_recall": 0.23,
    "published_event_f1": 0.37,
    "published_linkage_precision": 0.60,
    "published_linkage_recall": 0.35,
    "articles_with_main_type": 38,
}


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_cluster", ROOT / "bench" / "cluster.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return _bench().evaluate(DATA)


def test_corpus_is_well_formed() -> None:
    with open(DATA / "truth.csv", newline="", encoding="utf-8") as fh:
        truth = {row["file"]: row for row in csv.DictReader(fh)}
    files = {p.name for p in DATA.glob("*.txt")}
    assert files == set(truth) and len(files) == 48
    per_event: dict[str, int] = {}
    for name, row in truth.items():
        text = (DATA / name).read_text(encoding="utf-8")
        lines = text.split("\n")
        assert lines[0].strip() and lines[1] == "", f"{name}: headline, blank line"
        paragraphs = [p for p in text.split("\n\n")[1:] if p.strip()]
        words = len(re.findall(r"\w+", " ".join(paragraphs)))
        assert 2 <= len(paragraphs) <= 4 and 80 <= words <= 200, f"{name}: {len(paragraphs)} paragraphs, {words} words"
        assert re.fullmatch(r"20(1[89]|2[0-3])-\d\d-\d\d", row["date"]), name
        if row["copy_of"]:
            assert row["copy_of"] in truth and truth[row["copy_of"]]["event_key"] == row["event_key"]
        else:
            per_event[row["event_key"]] = per_event.get(row["event_key"], 0) + 1
    assert len(per_event) == 17 and all(2 <= n <= 5 for n in per_event.values())
    assert sum(1 for r in truth.values() if r["copy_of"]) == 3


def test_article_deduplication(result: dict[str, Any]) -> None:
    for cond in ("txt", "published"):
        a = result[cond]["articles"]
        assert a["articles"] == 48
        assert a["precision"] >= FLOORS["dedup_precision"]
        assert a["recall"] >= FLOORS["dedup_recall"]


def test_event_clustering_txt(result: dict[str, Any]) -> None:
    r = result["txt"]
    assert r["ingest"]["stored"] == 48 and r["ingest"]["rejected"] == 0
    assert r["events"]["main"]["precision"] >= FLOORS["txt_event_precision"]
    assert r["events"]["main"]["recall"] >= FLOORS["txt_event_recall"]
    assert r["article_linkage"]["precision"] >= FLOORS["txt_linkage_precision"]
    assert r["article_linkage"]["recall"] >= FLOORS["txt_linkage_recall"]


def test_event_clustering_published(result: dict[str, Any]) -> None:
    r = result["published"]
    assert r["events"]["main"]["precision"] >= FLOORS["published_event_precision"]
    assert r["events"]["main"]["recall"] >= FLOORS["published_event_recall"]
    assert r["events"]["main"]["f1"] >= FLOORS["published_event_f1"]
    assert r["article_linkage"]["precision"] >= FLOORS["published_linkage_precision"]
    assert r["article_linkage"]["recall"] >= FLOORS["published_linkage_recall"]


def test_coder_coverage_and_counts(result: dict[str, Any]) -> None:
    for cond in ("txt", "published"):
        ev = result[cond]["events"]
        assert ev["coverage"]["with_main_type"] >= FLOORS["articles_with_main_type"]
        c = ev["counts"]
        assert c["real_events"] == 17
        # clustering never adds records, and does collapse some
        assert c["clusters_all"] < c["events_stored"]
