"""Train the line labeller's two logistic stages on CleanEval and write line_model.json.

    python -m dateline.extract.line_training [--shared ../shared] [--out dateline/data/line_model.json]

Data: CleanEval (``$DATELINE_SHARED/data/extraction/cleaneval``), each HTML page rendered
to a text dump with :func:`dateline.eval.textdump.render_dump`. A dump line is labelled
body when most of its 4-token shingles occur in the page's gold text (a line under four
tokens: when it equals a gold paragraph, or is a phrase of the gold of two tokens or more).
Training pages: all of cleaneval-dev and the cleaneval-final pages with an odd number;
the even-numbered final pages and the whole trafilatura corpus are never seen here, so
``bench/textdump.py`` reports them as held out.

Stage one is fitted on line features; stage two on line features plus the neighbours'
stage-one scores, taken out-of-fold (5 folds by page) so that stage two learns from
scores as noisy as the ones it gets at run time. Logistic regression by Newton steps
with an L2 penalty, numpy only; deterministic.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from dateline.eval.shingles import iter_cleaneval, tokens
from dateline.eval.textdump import render_dump
from dateline.extract import lines as L  # noqa: N812
from dateline.extract.normalize import normalize_line

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "line_model.json"


def is_training_page(page_id: str) -> bool:
    """The split rule shared with the benchmark: dev, and odd-numbered final pages.

    ``page_id`` is a CleanEval id as :func:`dateline.eval.shingles.iter_cleaneval` gives it
    (``cleaneval-final/17``).
    """
    split, _, number = page_id.rpartition("/")
    if split.endswith("cleaneval-dev"):
        return True
    return number.isdigit() and int(number) % 2 == 1


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
        out.append((1 if body else 0, math.sqrt(min(len(toks), 60)) + 0.5))
    return out


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


def load_pages(shared: Path) -> list[tuple[str, list[str], str]]:
    """``(page id, dump lines, gold)`` for every CleanEval page."""
    pages = []
    for page_id, html, gold in iter_cleaneval(shared / "data" / "extraction" / "cleaneval"):
        texts = [t for t in (normalize_line(x) for x in render_dump(html).splitlines()) if t]
        if texts:
            pages.append((page_id, texts, gold))
    return pages


def _stage2_rows(feats: np.ndarray, p1: np.ndarray) -> np.ndarray:
    return np.hstack([feats, L.context_features(p1, feats[:, 1])])


def train(pages: list[tuple[str, list[str], str]], folds: int = 5, l2: float = 1.0) -> dict[str, object]:
    model = L._model()
    per_page = []
    for _, texts, gold in pages:
        feats = L.page_features(texts, model)
        labels = gold_line_labels(texts, gold)
        per_page.append((texts, feats, labels))

    def stack(idx: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x = np.vstack([per_page[k][1] for k in idx])
        y = np.array([lab for k in idx for lab, _ in per_page[k][2]], dtype=float)
        w = np.array([wt for k in idx for _, wt in per_page[k][2]], dtype=float)
        return x, y, w

    all_idx = list(range(len(per_page)))
    beta1 = fit_logistic(*stack(all_idx), l2=l2)
    # out-of-fold stage-one scores for stage two
    oof: list[np.ndarray] = [np.zeros(0) for _ in per_page]
    for fold in range(folds):
        train_idx = [k for k in all_idx if k % folds != fold]
        beta = fit_logistic(*stack(train_idx), l2=l2)
        for k in all_idx:
            if k % folds == fold:
                oof[k] = L._sigmoid(per_page[k][1] @ beta)
    rows, ys, ws = [], [], []
    for k, (_texts, feats, labels) in enumerate(per_page):
        rows.append(_stage2_rows(feats, oof[k]))
        ys.extend(lab for lab, _ in labels)
        ws.extend(wt for _, wt in labels)
    beta2 = fit_logistic(np.vstack(rows), np.array(ys, dtype=float), np.array(ws), l2=l2)
    return {"stage1": [round(float(b), 6) for b in beta1], "stage2": [round(float(b), 6) for b in beta2]}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = Path(os.environ.get("DATELINE_SHARED", Path(__file__).resolve().parents[3] / "shared"))
    parser.add_argument("--shared", type=Path, default=default_shared, help="folder holding data/ (default ../shared)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--l2", type=float, default=1.0)
    args = parser.parse_args(argv)
    if not (args.shared / "data" / "extraction" / "cleaneval").is_dir():
        print(f"Error: CleanEval not found under {args.shared}/data/extraction. Pass --shared.", file=sys.stderr)
        return 1
    pages = [p for p in load_pages(args.shared) if is_training_page(p[0])]
    weights = train(pages, l2=args.l2)
    raw = json.loads(args.out.read_text(encoding="utf-8")) if args.out.is_file() else {}
    raw["stage1"] = {"weights": weights["stage1"], "features": L.N_STAGE1}
    raw["stage2"] = {"weights": weights["stage2"], "features": len(weights["stage2"])}
    raw["threshold"] = raw.get("threshold", 0.5)
    raw["provenance"] = {
        "data": "CleanEval (j-szulc/html-cleaning-dataset-merged @ 46e01a0): cleaneval-dev, and cleaneval-final "
        "pages with odd numbers; pages rendered to text dumps by dateline.eval.textdump.render_dump",
        "pages": len(pages),
        "lines": sum(len(p[1]) for p in pages),
        "command": "python -m dateline.extract.line_training" + (f" --l2 {args.l2}" if args.l2 != 1.0 else ""),
        "trained": datetime.now(UTC).strftime("%Y-%m-%d"),
        "held_out": "cleaneval-final even-numbered pages; all of trafilatura-eval",
    }
    args.out.write_text(json.dumps(raw, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    L._model.cache_clear()
    print(f"wrote {args.out}: {len(pages)} pages, {raw['provenance']['lines']} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
