"""Main-text quality and speed of dateline's HTML path against bare ``trafilatura.extract``.

Datasets (under ``$DATELINE_SHARED/data/extraction``, default ``../shared``):

- trafilatura's evaluation corpus: snippet metric (``with`` must appear, ``without`` must not),
  counts summed over pages as in trafilatura's comparison script;
- CleanEval dev + final: 4-token shingle precision and recall per page, averaged, F1 of the
  averages.

Both extractors get the same decoded string and the same options (``include_comments=False``,
``favor_precision``/``favor_recall`` as chosen). Ours also reads metadata, checks the page
shape and runs under its time limit; a page it rejects (not an article, no text, timeout)
scores as empty text, so rejections cost F1 in the ``dateline`` row. The ``dateline (no page
check)`` row is the same path with the index-page test off: text extraction alone, the
figure to compare with trafilatura's. Each page is run by every extractor, the order rotating
from page to page so that each extractor takes each place equally often (whichever runs a
page first is 5-15% slower on it than the next one: memory and caches are warmed). Speed is
CPU time of this process (``time.process_time``), so other work on a shared machine does not
skew the comparison. The last column compares speed on the pages trafilatura extracts only:
on a page it refuses (CleanEval's HTML fragments) it spends ~1 ms, where ours extracts the
text.

Dates: on the trafilatura-eval pages whose URL carries a full date (the gold), our path is
run without the URL, so that the URL cannot give the answer away, and the stated date's
calendar day (in the page's own zone) is compared with the URL's; with htmldate's fallback
on (as shipped) and off.

    python bench/html_extraction.py                  # everything, default options
    python bench/html_extraction.py --limit 100      # a quick look
    python bench/html_extraction.py --mode precision # favor_precision=True for both
    python bench/html_extraction.py --sweep          # all three modes (slow)

Prints a markdown table and writes ``bench/results/html_extraction.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import logging
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dateline.errors import DocumentError  # noqa: E402
from dateline.eval.shingles import (  # noqa: E402
    f1_of_averages,
    iter_cleaneval,
    iter_trafilatura_eval,
    shingle_prf,
    snippet_counts,
    snippet_scores,
)
from dateline.extract.html import ExtractOptions, extract_html  # noqa: E402
from dateline.extract.timestamps import date_from_url  # noqa: E402

MODES = {
    "balanced": {"favor_precision": False, "favor_recall": False},
    "precision": {"favor_precision": True, "favor_recall": False},
    "recall": {"favor_precision": False, "favor_recall": True},
}


def shared_data() -> Path:
    env = os.environ.get("DATELINE_SHARED")
    return (Path(env) if env else ROOT.parent / "shared") / "data" / "extraction"


def make_extractors(mode: str) -> dict[str, Callable[[str, str | None], str]]:
    """``name -> f(html, url) -> text``: ours as the pipeline runs it, ours without the
    index-page check (pure text extraction), and bare trafilatura, all with the same options."""
    import trafilatura

    flags = MODES[mode]

    def ours_with(options: ExtractOptions) -> Callable[[str, str | None], str]:
        def run(html: str, url: str | None) -> str:
            try:
                return extract_html(html, url=url, timeout=30.0, options=options).text
            except DocumentError:
                return ""

        return run

    def bare(html: str, url: str | None) -> str:
        return trafilatura.extract(html, url=url, include_comments=False, **flags) or ""

    return {
        "dateline": ours_with(ExtractOptions(**flags)),
        "dateline (no page check)": ours_with(ExtractOptions(check_article=False, **flags)),
        "trafilatura": bare,
    }


def warm_up(extractors: dict[str, Callable[[str, str | None], str]]) -> None:
    """Load what both extractors load lazily (trafilatura's justext stoplists, htmldate's
    tables, py3langid), so that whichever runs first is not charged for it."""
    with contextlib.suppress(ImportError):
        from trafilatura.external import jt_stoplist_init

        jt_stoplist_init()
    page = "<html><head><title>T</title></head><body><article><p>" + "Warm up the extractor. " * 20
    page += "</p><p>Published 1 March 2021</p></article></body></html>"
    for extractor in extractors.values():
        extractor(page, "https://example.com/2021/03/01/warm-up.html")


def run_pages(
    pages: Iterable[tuple[str, str, str | None]], extractors: dict[str, Callable[[str, str | None], str]]
) -> tuple[dict[str, list[str]], dict[str, list[float]]]:
    """Run every extractor on every page; texts and CPU seconds per page, per extractor.

    The order rotates (ABC, BCA, CAB, ...): an extractor that always ran a page after another
    one would always find it warm, and look faster than it is.
    """
    names = list(extractors)
    texts: dict[str, list[str]] = {n: [] for n in names}
    seconds: dict[str, list[float]] = {n: [] for n in names}
    for index, (_, html, url) in enumerate(pages):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            started = time.process_time()
            text = extractors[name](html, url)
            seconds[name].append(time.process_time() - started)
            texts[name].append(text)
    return texts, seconds


def timing(seconds: list[float], bare_texts: list[str]) -> dict[str, float]:
    """Total CPU seconds and pages/s, on all pages and on the pages trafilatura extracts."""
    kept = [s for s, text in zip(seconds, bare_texts, strict=True) if text]
    return {
        "seconds": sum(seconds),
        "pages_per_s": len(seconds) / sum(seconds) if sum(seconds) else 0.0,
        "pages_per_s_where_trafilatura_extracts": len(kept) / sum(kept) if sum(kept) else 0.0,
    }


def bench_trafilatura_eval(root: Path, extractors: Any, limit: int | None) -> dict[str, Any]:
    items = list(itertools.islice(iter_trafilatura_eval(root), limit))
    texts, seconds = run_pages(((u, h, u) for u, h, _, _ in items), extractors)
    out: dict[str, Any] = {"pages": len(items)}
    for name, outputs in texts.items():
        counts = [snippet_counts(t, w, wo) for t, (_, _, w, wo) in zip(outputs, items, strict=True)]
        scores = snippet_scores(counts)
        scores["empty_pages"] = sum(1 for t in outputs if not t)
        out[name] = scores | timing(seconds[name], texts["trafilatura"])
    return out


def bench_cleaneval(root: Path, extractors: Any, limit: int | None) -> dict[str, Any]:
    items = list(itertools.islice(iter_cleaneval(root), limit))
    # CleanEval pages carry no real URL: the extractors get none
    texts, seconds = run_pages(((i, h, None) for i, h, _ in items), extractors)
    out: dict[str, Any] = {"pages": len(items)}
    for name, outputs in texts.items():
        pairs = [shingle_prf(t, g) for t, (_, _, g) in zip(outputs, items, strict=True)]
        precision, recall, f1 = f1_of_averages(pairs)
        out[name] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "empty_pages": sum(1 for t in outputs if not t),
        } | timing(seconds[name], texts["trafilatura"])
    return out


def bench_dates(root: Path, limit: int | None) -> dict[str, Any]:
    """Share of the URL-dated trafilatura-eval pages whose stated date has the URL's calendar
    day, our path run without the URL; htmldate's fallback on and off."""
    items = itertools.islice(iter_trafilatura_eval(root), limit)
    dated = [(html, day) for url, html, _, _ in items if (day := date_from_url(url)) is not None]
    out: dict[str, Any] = {"pages": len(dated)}
    for key, fallback in (("accuracy", True), ("accuracy_without_htmldate", False)):
        options = ExtractOptions(check_article=False, htmldate_fallback=fallback)
        right = 0
        for html, day in dated:
            try:
                stated = extract_html(html, url=None, timeout=30.0, options=options).date_local
            except DocumentError:
                continue
            right += stated is not None and stated.date() == day
        out[key] = right / len(dated) if dated else 0.0
    return out


def table(results: dict[str, Any]) -> str:
    lines = [
        "| mode | dataset | pages | extractor | precision | recall | F1 | empty | pages/s | speed vs trafilatura "
        "| on the pages trafilatura extracts |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for mode, datasets in results["modes"].items():
        for dataset, data in datasets.items():
            base = data["trafilatura"]["pages_per_s"] or 1.0
            base_kept = data["trafilatura"]["pages_per_s_where_trafilatura_extracts"] or 1.0
            for name in [k for k in data if k != "pages"]:
                row = data[name]
                lines.append(
                    f"| {mode} | {dataset} | {data['pages']} | {name} | {row['precision']:.3f} | {row['recall']:.3f} "
                    f"| {row['f1']:.3f} | {row['empty_pages']} | {row['pages_per_s']:.1f} "
                    f"| {row['pages_per_s'] / base:.2f}x "
                    f"| {row['pages_per_s_where_trafilatura_extracts'] / base_kept:.2f}x |"
                )
    if "dates" in results:
        dates = results["dates"]
        lines.append(
            f"\nStated date, calendar day right on the {dates['pages']} trafilatura-eval pages with a date in "
            f"their URL (run without it): {dates['accuracy']:.3f} (htmldate fallback off: "
            f"{dates['accuracy_without_htmldate']:.3f})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="pages per dataset (default: all)")
    parser.add_argument("--mode", choices=sorted(MODES), default="balanced")
    parser.add_argument("--sweep", action="store_true", help="run all three modes")
    parser.add_argument("--dataset", choices=["all", "trafilatura-eval", "cleaneval"], default="all")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "html_extraction.json")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)

    import trafilatura

    data = shared_data()
    if not data.is_dir():
        print(f"No gold sets at {data}: set DATELINE_SHARED", file=sys.stderr)
        return 1
    results: dict[str, Any] = {
        "command": "python bench/html_extraction.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "trafilatura_version": trafilatura.__version__,
        "python": platform.python_version(),
        "limit": args.limit,
        "modes": {},
    }
    for mode in sorted(MODES) if args.sweep else [args.mode]:
        extractors = make_extractors(mode)
        warm_up(extractors)
        datasets: dict[str, Any] = {}
        if args.dataset in ("all", "trafilatura-eval"):
            datasets["trafilatura-eval"] = bench_trafilatura_eval(data / "trafilatura-eval", extractors, args.limit)
        if args.dataset in ("all", "cleaneval"):
            datasets["cleaneval"] = bench_cleaneval(data / "cleaneval", extractors, args.limit)
        results["modes"][mode] = datasets
    if args.dataset in ("all", "trafilatura-eval"):
        results["dates"] = bench_dates(data / "trafilatura-eval", args.limit)
    print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
