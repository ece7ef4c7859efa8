"""Train the line labeller's word weights and stages and write line_model.json.

    python -m dateline.extract.line_training [--shared ../shared] [--out dateline/data/line_model.json]

Data: CleanEval (``$DATELINE_SHARED/data/extraction/cleaneval``) and trafilatura's evaluation
corpus (``.../trafilatura-eval``), each HTML page rendered to a text dump with
:func:`dateline.extract.visible_text.render_dump`.

- A CleanEval dump line is body when most of its 4-token shingles occur in the page's gold
  text (a line under four tokens: when it equals a gold paragraph, or is a phrase of the
  gold of two tokens or more). Each page's line weights are divided by the square root of
  their sum (:func:`page_balanced`), since the metric averages pages.
- A trafilatura dump line is body when it holds one of the page's ``with`` snippets, chrome
  when it holds a ``without`` snippet; its other lines are not used.

Training pages (:func:`is_training_page`): all of cleaneval-dev, the cleaneval-final pages
with an odd number, and the trafilatura pages whose URL hashes odd. The even-numbered final
pages and the trafilatura pages that hash even are never seen here, so ``bench/textdump.py``
reports them as held out.

First the word weights (:func:`learn_word_weights`): each word's log-odds of body among
the labelled lines, over the training pages. Stage one is a logistic regression (Newton
steps, L2) on line features; the next stage (``--tree-stages``: one by default) is boosted
depth-2 trees on the line features plus the context of the previous stage's scores. Word
weights and scores are taken out-of-fold (by page) so that each stage learns from values as
noisy as the ones it gets at run time. The decision threshold is chosen on the out-of-fold
scores of the last stage on the training pages (a validation split, never the held-out
pages). numpy only; deterministic.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from dateline.eval.shingles import iter_cleaneval, iter_trafilatura_eval, squeeze, tokens
from dateline.extract import line_features as LF  # noqa: N812
from dateline.extract.normalize import normalize_line
from dateline.extract.visible_text import render_dump

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "line_model.json"


def is_training_page(page_id: str) -> bool:
    """The split rule shared with the benchmark and the quality gate.

    ``page_id`` is a CleanEval id as :func:`dateline.eval.shingles.iter_cleaneval` gives it
    (``cleaneval-final/17``: dev and odd-numbered final pages train), or the URL of a
    trafilatura-eval page (those whose CRC-32 is odd train).
    """
    if page_id.startswith(("http://", "https://")):
        return zlib.crc32(page_id.encode("utf-8")) % 2 == 1
    split, _, number = page_id.rpartition("/")
    if split.endswith("cleaneval-dev"):
        return True
    return number.isdigit() and int(number) % 2 == 1


def _weight(n_tokens: int) -> float:
    return math.sqrt(min(n_tokens, 60)) + 0.5


def gold_line_labels(texts: Sequence[str], gold: str) -> list[tuple[int, float]]:
    """``(label, weight)`` per dump line: 1 for body; weight 0 for lines without tokens."""
    gold_tokens = tokens(gold)
    gold_shingles = {tuple(gold_tokens[i : i + 4]) for i in range(max(0, len(gold_tokens) - 3))}
    gold_stream = " " + " ".join(gold_tokens) + " "
    gold_paragraphs = {" ".join(tokens(p)) for p in gold.splitlines()}
    out = []
    for text in texts:
        toks = tokens(text)
        if not toks:
            out.append((0, 0.0))
            continue
        if len(toks) >= 4:
            grams = [tuple(toks[i : i + 4]) for i in range(len(toks) - 3)]
            body = sum(1 for g in grams if g in gold_shingles) / len(grams) >= 0.5
        else:
            joined = " ".join(toks)
            body = joined in gold_paragraphs or (len(toks) >= 2 and f" {joined} " in gold_stream)
        out.append((1 if body else 0, _weight(len(toks))))
    return out


def page_balanced(labels: Sequence[tuple[int, float]], scale: float = 15.0) -> list[tuple[int, float]]:
    """One CleanEval page's line weights divided by the square root of their sum (times ``scale``).

    CleanEval's score averages precision and recall over pages, so that a short page counts as
    much as a long one; line weights that grow with the page's size let a few long pages
    (forums, link lists) steer the fit. The square root is halfway to weighing every page the
    same (see :func:`load_pages`).
    """
    total = sum(w for _, w in labels)
    if total <= 0:
        return list(labels)
    factor = scale / math.sqrt(total)
    return [(y, w * factor) for y, w in labels]


def snippet_line_labels(texts: Sequence[str], with_: Sequence[str], without: Sequence[str]) -> list[tuple[int, float]]:
    """``(label, weight)`` per dump line from trafilatura's snippets (weight 0: no snippet)."""
    joined = " ".join(texts)
    starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    votes = np.zeros((len(texts), 2))
    for label, snippets in ((1, with_), (0, without)):
        for snippet in snippets:
            s = squeeze(snippet)
            at = joined.find(s) if s else -1
            while at >= 0:
                first = int(np.searchsorted(starts, at, side="right")) - 1
                last = int(np.searchsorted(starts, at + len(s) - 1, side="right")) - 1
                votes[first : last + 1, label] += 1
                at = joined.find(s, at + 1)
    out = []
    for text, (no, yes) in zip(texts, votes, strict=True):
        if yes and not no:
            out.append((1, _weight(len(tokens(text)))))
        elif no and not yes:
            out.append((0, _weight(len(tokens(text)))))
        else:
            out.append((0, 0.0))
    return out


# --- learners ------------------------------------------------------------------------------


def learn_word_weights(pages: Sequence[Page], min_pages: int = 4, keep: float = 0.5) -> dict[str, float]:
    """Each word's log-odds of body against chrome over the labelled lines that hold it.

    Words are the lower-cased ``str.split`` tokens the labeller looks up (marks kept: "said."
    and "said" differ). A word must occur on ``min_pages`` pages or more, so that one site's
    own menu words do not become rules; add-one smoothing, clipped to ±4; weights closer to
    zero than ``keep`` are dropped (a word the table lacks weighs 0; at 0.5 the table keeps
    ~8,400 words, as accurate as ~13,700 at 0.2 and quicker to look up).
    """
    body: dict[str, int] = {}
    chrome: dict[str, int] = {}
    seen_on: dict[str, int] = {}
    last_page: dict[str, int] = {}
    for k, page in enumerate(pages):
        for text, (label, weight) in zip(page.texts, page.labels, strict=True):
            if weight <= 0:
                continue
            counts = body if label else chrome
            for word in set(text.lower().split()):
                counts[word] = counts.get(word, 0) + 1
                if last_page.get(word) != k:
                    last_page[word] = k
                    seen_on[word] = seen_on.get(word, 0) + 1
    n_body, n_chrome = sum(body.values()) + 1, sum(chrome.values()) + 1
    out = {}
    for word, n_pages in seen_on.items():
        if n_pages < min_pages:
            continue
        weight = math.log((body.get(word, 0) + 1) / n_body) - math.log((chrome.get(word, 0) + 1) / n_chrome)
        weight = max(-4.0, min(4.0, weight))
        if abs(weight) >= keep:
            out[word] = round(weight, 2)
    return dict(sorted(out.items()))


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = 1.0, iterations: int = 50) -> np.ndarray:
    """Weighted L2-penalised logistic regression by Newton's method (column 0 is the bias)."""
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 1e-6
    for _ in range(iterations):
        z = np.clip(x @ beta, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        gradient = x.T @ (w * (p - y)) + penalty * beta
        hessian = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-7:
            break
    return beta


_NEVER = LF._NEVER  # a threshold no feature exceeds: the node does not split (the trees drop it)


@dataclass
class _Binned:
    codes: np.ndarray  # (rows, features) bin of each value, as offsets into one flat histogram
    cuts: list[np.ndarray]
    bins: int


def _bin(x: np.ndarray, bins: int = 32) -> _Binned:
    qs = np.linspace(0, 1, bins + 1)[1:-1]
    cuts = []
    codes = np.zeros(x.shape, dtype=np.int32)
    for j in range(x.shape[1]):
        c = np.unique(np.quantile(x[:, j], qs))
        cuts.append(c)
        codes[:, j] = np.searchsorted(c, x[:, j], side="left") + j * bins
    return _Binned(codes, cuts, bins)


def _best_split(
    b: _Binned, rows: np.ndarray, g: np.ndarray, h: np.ndarray, l2: float, min_hess: float
) -> tuple[int, int, float]:
    """``(feature, cut index, gain)`` of the best split of ``rows`` (feature -1: none)."""
    n_feat = b.codes.shape[1]
    flat = b.codes[rows].ravel()
    size = n_feat * b.bins
    gh = np.bincount(flat, weights=np.repeat(g[rows], n_feat), minlength=size).reshape(n_feat, b.bins)
    hh = np.bincount(flat, weights=np.repeat(h[rows], n_feat), minlength=size).reshape(n_feat, b.bins)
    gl, hl = np.cumsum(gh, axis=1), np.cumsum(hh, axis=1)
    gt, ht = gl[:, -1:], hl[:, -1:]
    gr, hr = gt - gl, ht - hl
    gain = gl**2 / (hl + l2) + gr**2 / (hr + l2) - gt**2 / (ht + l2)
    valid = (hl >= min_hess) & (hr >= min_hess)
    valid &= np.arange(b.bins)[None, :] < np.array([len(c) for c in b.cuts])[:, None]
    gain = np.where(valid, gain, -np.inf)
    j, k = np.unravel_index(int(np.argmax(gain)), gain.shape)
    if not np.isfinite(gain[j, k]) or gain[j, k] <= 1e-9:
        return -1, 0, 0.0
    return int(j), int(k), float(gain[j, k])


def fit_trees(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    n_trees: int = 150,
    rate: float = 0.15,
    l2: float = 5.0,
    min_hess: float = 2.0,
    subsample: float = 0.5,
    seed: int = 0,
) -> dict[str, object]:
    """Boosted depth-2 trees for the logistic loss (Newton leaves), as :class:`LF.Trees` JSON."""
    rng = np.random.default_rng(seed)
    b = _bin(x)
    mean = float(np.clip(np.average(y, weights=w), 1e-3, 1 - 1e-3))
    base = math.log(mean / (1 - mean))
    margin = np.full(len(y), base)
    features, thresholds, leaves = [], [], []
    for _ in range(n_trees):
        p = 1.0 / (1.0 + np.exp(-margin))
        g, h = w * (p - y), w * p * (1 - p)
        rows = np.flatnonzero((rng.random(len(y)) < subsample) & (w > 0))
        j, k, _gain = _best_split(b, rows, g, h, l2, min_hess)
        if j < 0:
            break
        right = b.codes[rows, j] - j * b.bins > k
        node_f, node_t, leaf = [j, 0, 0], [float(b.cuts[j][k]), _NEVER, _NEVER], [0.0] * 4
        for side, part in ((0, rows[~right]), (1, rows[right])):
            cj, ck, _ = _best_split(b, part, g, h, l2, min_hess)
            if cj >= 0:
                node_f[1 + side], node_t[1 + side] = cj, float(b.cuts[cj][ck])
                go = b.codes[part, cj] - cj * b.bins > ck
                halves = (part[~go], part[go])
            else:
                halves = (part, part[:0])
            for half, sub in enumerate(halves):
                value = -g[sub].sum() / (h[sub].sum() + l2) * rate if len(sub) else 0.0
                leaf[2 * side + half] = value
        features.append(node_f)
        thresholds.append(node_t)
        leaves.append(leaf)
        trees = LF.Trees(np.array([node_f]), np.array([node_t]), np.array([leaf]), 0.0)
        margin += trees.margin(x)
    return {
        "feature": features,
        "threshold": [[round(t, 6) for t in row] for row in thresholds],
        "leaf": [[round(v, 6) for v in row] for row in leaves],
        "base": round(base, 6),
    }


# --- data ----------------------------------------------------------------------------------


@dataclass
class Page:
    page_id: str
    texts: list[str]
    labels: list[tuple[int, float]]
    gold: object  # CleanEval: gold text; trafilatura: {"with": [...], "without": [...]}


def _dump_lines(html: str) -> list[str]:
    return [t for t in (normalize_line(x) for x in render_dump(html).splitlines()) if t]


def load_pages(shared: Path, snippet_weight: float = 4.0) -> list[Page]:
    """The training pages of both gold sets, with line labels.

    CleanEval lines are weighted by :func:`page_balanced`; a trafilatura line's weight is
    multiplied by ``snippet_weight``: its pages label only the lines that hold a snippet,
    ~3,200 lines against ~52,000 CleanEval ones. (Out of fold, 4 scored a little under 3 and
    weighing every CleanEval page the same a little over both, but those two models, with
    their threshold of 0.5, took the headline list of an index page for body.)
    """
    pages = []
    extraction = shared / "data" / "extraction"
    for page_id, html, gold in iter_cleaneval(extraction / "cleaneval"):
        if is_training_page(page_id):
            texts = _dump_lines(html)
            if texts:
                pages.append(Page(page_id, texts, page_balanced(gold_line_labels(texts, gold)), gold))
    for url, html, with_, without in iter_trafilatura_eval(extraction / "trafilatura-eval"):
        if is_training_page(url):
            texts = _dump_lines(html)
            if texts:
                labels = [(y, w * snippet_weight) for y, w in snippet_line_labels(texts, with_, without)]
                pages.append(Page(url, texts, labels, {"with": with_, "without": without}))
    return pages


def _stack(per_page: list[np.ndarray], pages: list[Page], idx: Sequence[int]) -> tuple[np.ndarray, ...]:
    x = np.vstack([per_page[k] for k in idx])
    y = np.array([lab for k in idx for lab, _ in pages[k].labels], dtype=float)
    w = np.array([wt for k in idx for _, wt in pages[k].labels], dtype=float)
    return x, y, w


def train(
    pages: list[Page], folds: int = 4, l2: float = 1.0, n_trees: int = 100, tree_stages: int = 1
) -> dict[str, object]:
    """Fit the stages (a logistic one, then ``tree_stages`` of trees); returns their weights
    and the out-of-fold scores of the last stage."""
    m = LF.model()
    all_idx = list(range(len(pages)))
    fold_of = [k % folds for k in all_idx]
    # the word weights of each page come from the other folds' pages, so that every stage
    # learns from weights as unfamiliar with the page as the shipped table is with a new one
    word_weights = learn_word_weights(pages)
    feats = [np.zeros(0)] * len(pages)
    for fold in range(folds):
        fold_m = replace(m, word_weights=learn_word_weights([pages[k] for k in all_idx if fold_of[k] != fold]))
        for k in all_idx:
            if fold_of[k] == fold:
                feats[k] = LF.page_features(pages[k].texts, fold_m)
    beta1 = fit_logistic(*_stack(feats, pages, all_idx), l2=l2)
    oof = [np.zeros(0)] * len(pages)
    for fold in range(folds):
        beta = fit_logistic(*_stack(feats, pages, [k for k in all_idx if fold_of[k] != fold]), l2=l2)
        for k in all_idx:
            if fold_of[k] == fold:
                oof[k] = LF.sigmoid(feats[k] @ beta)
    stages = []
    for stage in range(2, 2 + tree_stages):
        rows = [LF.stage_rows(feats[k], oof[k]) for k in all_idx]
        stages.append(fit_trees(*_stack(rows, pages, all_idx), n_trees=n_trees, seed=stage))
        print(f"stage {stage}: {len(stages[-1]['feature'])} trees", file=sys.stderr)
        next_oof = [np.zeros(0)] * len(pages)
        for fold in range(folds):
            part = fit_trees(
                *_stack(rows, pages, [k for k in all_idx if fold_of[k] != fold]), n_trees=n_trees, seed=stage
            )
            trees = LF.Trees.from_json(part)
            for k in all_idx:
                if fold_of[k] == fold:
                    next_oof[k] = LF.sigmoid(trees.margin(rows[k]))
        oof = next_oof
    return {
        "word_weights": word_weights,
        "stage1": [round(float(b), 6) for b in beta1],
        "tree_stages": stages,
        "oof": oof,
    }


def choose_threshold(
    pages: list[Page], oof: list[np.ndarray], tolerance: float = 0.002
) -> tuple[float, dict[str, float]]:
    """The threshold in the middle of those whose mean F1 over both gold sets, on out-of-fold
    scores, is within ``tolerance`` of the best.

    The curve is flat near its top (0.45 to 0.6 within 0.002): its argmax moves with the
    trees' noise from one training to the next, its plateau does not.
    """
    from dateline.eval.shingles import ShingleScore, SnippetCounts, shingle_metrics

    curve: list[tuple[float, float, dict[str, float]]] = []
    for threshold in np.arange(0.30, 0.71, 0.05):
        shingle_scores, counts = [], SnippetCounts()
        for page, p in zip(pages, oof, strict=True):
            text = "\n".join(t for t, s in zip(page.texts, p, strict=True) if s >= threshold)
            if isinstance(page.gold, str):
                shingle_scores.append(ShingleScore.of(page.gold, text))
            else:
                counts.add_page(text, page.gold["with"], page.gold["without"])  # type: ignore[index]
        f1 = {"cleaneval": shingle_metrics(shingle_scores)["f1"], "trafilatura": counts.metrics()["f1"]}
        curve.append((round(float(threshold), 2), (f1["cleaneval"] + f1["trafilatura"]) / 2, f1))
    best = max(mean for _, mean, _ in curve)
    plateau = [point for point in curve if point[1] >= best - tolerance]
    middle = plateau[(len(plateau) - 1) // 2] if len(plateau) % 2 else plateau[len(plateau) // 2]
    return middle[0], middle[2]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = Path(os.environ.get("DATELINE_SHARED", Path(__file__).resolve().parents[3] / "shared"))
    parser.add_argument("--shared", type=Path, default=default_shared, help="folder holding data/ (default ../shared)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--tree-stages", type=int, default=1, help="stages of trees after the logistic one")
    args = parser.parse_args(argv)
    if not (args.shared / "data" / "extraction" / "cleaneval").is_dir():
        print(f"Error: CleanEval not found under {args.shared}/data/extraction. Pass --shared.", file=sys.stderr)
        return 1
    pages = load_pages(args.shared)
    fitted = train(pages, l2=args.l2, n_trees=args.trees, tree_stages=args.tree_stages)
    threshold, validation = choose_threshold(pages, fitted["oof"])  # type: ignore[arg-type]
    raw = json.loads(args.out.read_text(encoding="utf-8")) if args.out.is_file() else {}
    raw["about"] = "Line labeller weights (dateline.extract.lines); written by dateline.extract.line_training."
    raw["word_weights"] = {
        "about": "log-odds of body against chrome of each lower-case word (marks kept) on 4 training pages or more",
        "weights": fitted["word_weights"],
    }
    raw["stage1"] = {"weights": fitted["stage1"], "features": list(LF.STAGE1_NAMES)}
    raw.pop("stage2", None), raw.pop("stage3", None)
    raw["tree_stages"] = [{"trees": trees, "context": list(LF.CONTEXT_NAMES)} for trees in fitted["tree_stages"]]
    raw["threshold"] = threshold
    raw["provenance"] = {
        "data": "CleanEval (j-szulc/html-cleaning-dataset-merged @ 46e01a0): cleaneval-dev and odd-numbered "
        "cleaneval-final pages; trafilatura's evaluation corpus: pages whose URL's CRC-32 is odd (snippet "
        "labels); pages rendered to text dumps by dateline.eval.textdump.render_dump",
        "pages": len(pages),
        "lines": sum(len(p.texts) for p in pages),
        "command": "python -m dateline.extract.line_training"
        + (f" --l2 {args.l2}" if args.l2 != 1.0 else "")
        + (f" --trees {args.trees}" if args.trees != 100 else "")
        + (f" --tree-stages {args.tree_stages}" if args.tree_stages != 1 else ""),
        "trained": datetime.now(UTC).strftime("%Y-%m-%d"),
        "validation": {"threshold": threshold, "out_of_fold_f1": {k: round(v, 4) for k, v in validation.items()}},
        "held_out": "cleaneval-final even-numbered pages; trafilatura-eval pages whose URL's CRC-32 is even",
    }
    args.out.write_text(json.dumps(raw, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    LF.model.cache_clear()
    print(f"wrote {args.out}: {len(pages)} pages, threshold {threshold}, out-of-fold F1 {validation}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
