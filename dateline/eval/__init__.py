"""Scorers for the gold sets dateline is measured on, used by ``dateline eval`` and bench/.

``shingles`` holds the main-text metrics (4-token shingles, snippet counts) and the readers
of the two public extraction gold sets (CleanEval, trafilatura's evaluation corpus).
"""

from __future__ import annotations

from dateline.eval.shingles import (
    ShingleScore,
    SnippetCounts,
    f1_of_averages,
    iter_cleaneval,
    iter_trafilatura_eval,
    read_cleaneval_gold,
    shingle_metrics,
    shingle_prf,
    shingles,
    snippet_counts,
    snippet_metrics,
    snippet_scores,
)

__all__ = [
    "ShingleScore",
    "SnippetCounts",
    "f1_of_averages",
    "iter_cleaneval",
    "iter_trafilatura_eval",
    "read_cleaneval_gold",
    "shingle_metrics",
    "shingle_prf",
    "shingles",
    "snippet_counts",
    "snippet_metrics",
    "snippet_scores",
]
