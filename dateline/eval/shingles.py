"""Main-text metrics and the readers of the public extraction gold sets.

Two ways to score extracted text against a gold standard:

- **Shingles** (CleanEval, and any gold set with the full expected text): both texts become a
  bag (multiset) of 4-token shingles over ``\\w+`` tokens, case kept as the
  scrapinghub article-extraction-benchmark does; per page, precision is
  the share of predicted shingles found in the gold bag and recall the share of gold shingles
  found in the prediction (``shingle_prf``). Pages are averaged, then F1 is taken of the two
  averages (``f1_of_averages``). ``ShingleScore``/``shingle_metrics`` give the same figures
  the way scrapinghub's article-extraction-benchmark reports them (precision averaged only
  over pages where something was predicted).
- **Snippets** (trafilatura's evaluation corpus): per page, some snippets must appear in the
  text (``with``) and some must not (``without``); counts are added over the corpus as
  true/false positives/negatives, the way trafilatura's own comparison script does
  (``snippet_counts``, ``snippet_scores``; ``SnippetCounts`` also squeezes whitespace).

Readers yield ``(id, html, ...)`` with the HTML decoded by dateline's own decoder, so every
extractor compared sees the same string.

This module is shared by the HTML extraction benchmark and the text-dump labeller's
evaluation: keep both APIs working when changing it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from dateline.errors import DocumentError
from dateline.ingest.decode import decode_bytes

SHINGLE_SIZE = 4
_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
# CleanEval gold: the first line is "URL: ..."; block starts are marked <p>, <h> or <l>.
_GOLD_URL_LINE = re.compile(r"\A\s*URL:[^\n]*\n")
_GOLD_MARKER = re.compile(r"<[phl]>", re.IGNORECASE)


def tokens(text: str) -> list[str]:
    """The ``\\w+`` tokens of a text, case kept."""
    return _TOKEN.findall(text or "")


def shingles(text: str, n: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The bag of ``n``-token shingles of ``text`` (case kept, as the standard benchmark does).

    A text with fewer tokens than ``n`` (but at least one) is a single shorter shingle, so
    that a short gold text can still be matched.

    >>> sorted(shingles("A b c d e"))
    [('A', 'b', 'c', 'd'), ('b', 'c', 'd', 'e')]
    """
    toks = tokens(text or "")
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def shingle_prf(predicted: str | None, gold: str) -> tuple[float, float]:
    """Per-page ``(precision, recall)`` of ``predicted`` against ``gold`` on 4-token shingles.

    Both empty: ``(1.0, 1.0)`` (nothing to find, nothing wrongly found). An empty prediction
    for a non-empty gold scores ``(0.0, 0.0)``: an extractor that gives up is not rewarded
    with a perfect precision. A prediction for an empty gold scores ``(0.0, 1.0)``.
    """
    pred = shingles(predicted or "")
    ref = shingles(gold)
    if not pred and not ref:
        return 1.0, 1.0
    if not pred:
        return 0.0, 0.0
    if not ref:
        return 0.0, 1.0
    common = sum((pred & ref).values())
    return common / sum(pred.values()), common / sum(ref.values())


def f1_of_averages(pairs: Iterable[tuple[float, float]]) -> tuple[float, float, float]:
    """``(precision, recall, f1)``: precision and recall averaged over pages, F1 of the averages."""
    items = list(pairs)
    if not items:
        return 0.0, 0.0, 0.0
    precision = sum(p for p, _ in items) / len(items)
    recall = sum(r for _, r in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def snippet_counts(
    text: str | None, with_snippets: Sequence[str], without_snippets: Sequence[str]
) -> tuple[int, int, int, int]:
    """``(tp, fn, fp, tn)`` for one page: ``with`` snippets found / missed, ``without`` found / absent.

    No text at all (``None``, or an empty string) misses every ``with`` snippet and rightly
    omits every ``without`` snippet, as in trafilatura's comparison script. Matching is exact
    substring matching, as there.
    """
    if not text:
        return 0, len(with_snippets), 0, len(without_snippets)
    tp = sum(1 for s in with_snippets if s in text)
    fp = sum(1 for s in without_snippets if s in text)
    return tp, len(with_snippets) - tp, fp, len(without_snippets) - fp


def snippet_scores(counts: tuple[int, int, int, int] | Iterable[tuple[int, int, int, int]]) -> dict[str, float]:
    """Precision, recall, F1 and accuracy from ``(tp, fn, fp, tn)``, or from many such tuples summed."""
    if isinstance(counts, tuple) and len(counts) == 4 and all(isinstance(c, int) for c in counts):
        tp, fn, fp, tn = counts
    else:
        tp = fn = fp = tn = 0
        for a, b, c, d in counts:  # type: ignore[misc]
            tp, fn, fp, tn = tp + a, fn + b, fp + c, tn + d
    total = tp + fn + fp + tn
    return {
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0,
        "accuracy": (tp + tn) / total if total else 0.0,
    }


# --- the scrapinghub-style API (used by the text-dump labeller's evaluation) ---------------


@dataclass(frozen=True)
class ShingleScore:
    """One page's shingle overlap, as fractions summing to one (or all zero).

    >>> score = ShingleScore.of("a b c d e", "a b c d")
    >>> (round(score.tp, 2), round(score.fp, 2), round(score.fn, 2))
    (0.5, 0.0, 0.5)
    """

    tp: float
    fp: float
    fn: float

    @classmethod
    def of(cls, gold: str, predicted: str, n: int = SHINGLE_SIZE) -> ShingleScore:
        true_bag, pred_bag = shingles(gold, n), shingles(predicted, n)
        tp = sum((true_bag & pred_bag).values())
        fp = sum((pred_bag - true_bag).values())
        fn = sum((true_bag - pred_bag).values())
        total = tp + fp + fn
        if total == 0:
            return cls(0.0, 0.0, 0.0)
        return cls(tp / total, fp / total, fn / total)

    @property
    def precision(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        if self.tp == 0 and self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        if self.tp == 0 and self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)


def shingle_metrics(scores: Sequence[ShingleScore]) -> dict[str, float]:
    """Precision averaged over pages with a prediction, recall over pages with gold, F1 of the two."""
    precisions = [s.precision for s in scores if s.tp + s.fp > 0]
    recalls = [s.recall for s in scores if s.tp + s.fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall, "pages": float(len(scores))}


def squeeze(text: str) -> str:
    """Whitespace runs become one space, ends trimmed (how ``SnippetCounts`` matches snippets)."""
    return _SPACE.sub(" ", text).strip()


@dataclass
class SnippetCounts:
    """Accumulated snippet outcomes over pages, with the derived scores (whitespace-insensitive)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add_page(self, result: str | None, with_: Iterable[str], without: Iterable[str]) -> None:
        """Count one page; ``result`` None means the extractor failed (every ``with`` missed)."""
        found = squeeze(result) if result is not None else None
        for snippet in with_:
            if found is not None and squeeze(snippet) in found:
                self.tp += 1
            else:
                self.fn += 1
        for snippet in without:
            if found is not None and squeeze(snippet) in found:
                self.fp += 1
            else:
                self.tn += 1

    def metrics(self) -> dict[str, float]:
        return snippet_scores((self.tp, self.fn, self.fp, self.tn))


def snippet_metrics(pages: Iterable[tuple[str | None, Mapping[str, Sequence[str]]]]) -> dict[str, float]:
    """Score ``(extracted text, {"with": [...], "without": [...]})`` pairs."""
    counts = SnippetCounts()
    for result, item in pages:
        counts.add_page(result, item.get("with", ()), item.get("without", ()))
    return counts.metrics()


# --- gold-set readers ---------------------------------------------------------------------


def _read_text_file(path: Path) -> str:
    """A gold text file: UTF-8 (with or without a BOM), else Windows-1252."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_html_file(path: Path) -> str:
    """An HTML page decoded the way dateline decodes pages, never failing."""
    data = path.read_bytes()
    try:
        return decode_bytes(data)[0]
    except DocumentError:
        return data.decode("utf-8", errors="replace")


def read_cleaneval_gold(path: str | Path) -> str:
    """The gold text of one CleanEval page: the ``URL:`` header and ``<p>``/``<h>``/``<l>`` markers removed."""
    text = _read_text_file(Path(path)).replace("\r\n", "\n")
    text = _GOLD_URL_LINE.sub("", text, count=1)
    text = _GOLD_MARKER.sub("", text)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _cleaneval_dirs(root: Path) -> list[Path]:
    """The CleanEval folders under ``root`` (itself one, or a parent of dev and final)."""
    if (root / "input").is_dir():
        return [root]
    return sorted(p for p in root.iterdir() if (p / "input").is_dir() and (p / "GoldStandard").is_dir())


def iter_cleaneval(root: str | Path) -> Iterator[tuple[str, str, str]]:
    """``(id, html, gold)`` for every CleanEval page that has a gold text, dev and final alike.

    ``root`` is a CleanEval folder (with ``input/`` and ``GoldStandard/``) or a folder holding
    several (``cleaneval-dev``, ``cleaneval-final``); ids are ``<folder>/<number>``.
    """
    for folder in _cleaneval_dirs(Path(root)):
        gold_dir = folder / "GoldStandard"
        pages = sorted((folder / "input").glob("*.html"), key=lambda p: (len(p.stem), p.stem))
        for page in pages:
            gold = gold_dir / f"{page.stem}.txt"
            if gold.is_file():
                yield f"{folder.name}/{page.stem}", _read_html_file(page), read_cleaneval_gold(gold)


def iter_trafilatura_eval(root: str | Path) -> Iterator[tuple[str, str, list[str], list[str]]]:
    """``(url, html, with, without)`` for every page of trafilatura's evaluation corpus.

    ``root`` is the corpus folder or its ``tests/`` folder (the one holding ``evaldata.json``);
    a page's HTML is looked for in ``eval/`` then ``cache/``, as trafilatura's scripts do.
    Pages whose file is missing are skipped.
    """
    base = Path(root)
    if not (base / "evaldata.json").is_file():
        base = base / "tests"
    items = json.loads((base / "evaldata.json").read_text(encoding="utf-8"))
    for url, item in items.items():
        for folder in ("eval", "cache"):
            path = base / folder / item["file"]
            if path.is_file():
                yield url, _read_html_file(path), list(item["with"]), list(item["without"])
                break
