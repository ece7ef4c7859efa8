"""Benchmark the text-dump line labeller against simple anchors on rendered gold pages.

    .venv/bin/python bench/textdump.py [--shared ../shared] [--limit N] [--methods labeller,rule,...]

Each HTML page of CleanEval (dev + final) and of trafilatura's evaluation corpus is rendered
to a text dump (``dateline.eval.textdump.render_dump``: visible text, one block per line,
chrome included). Every method then gets the dump alone and returns the main text:

- ``labeller``: ``dateline.extract.lines.label_lines(kind="page")``, the ``body`` lines;
- ``labeller_auto``: the same with ``kind="auto"``;
- ``rule``: lines of at least 6 words that end in sentence punctuation;
- ``boilerpy3``: boilerpy3's ArticleExtractor on the dump as HTML (one ``<p>`` a line);
- ``trafilatura``: ``trafilatura.extract`` on the same HTML.

CleanEval is scored with 4-token shingles (F1 of per-page averaged precision and recall),
trafilatura's corpus with its snippets. The labeller was trained on cleaneval-dev, the
odd-numbered cleaneval-final pages and the trafilatura pages whose URL's CRC-32 is odd
(``dateline.extract.line_training.is_training_page``): ``cleaneval-train`` and
``trafilatura-train`` are in-sample for it, while ``cleaneval-heldout`` (even-numbered final
pages) and ``trafilatura-heldout`` (the other half) are held out. Pages/s counts the method
alone on one core (process time, rendering excluded), over all pages; with ``--repeat N``
the whole pass is timed N times and the median is reported; ``--processes N`` also times
the labeller with the pages split across N worker processes (wall clock: what a machine with
N free cores gets). Prints a markdown table and writes ``bench/results/textdump.json``.
"""

from __future__ import annotations

import argparse
import html as html_escape
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dateline.eval.shingles import (  # noqa: E402  # noqa: E402
    ShingleScore,
    SnippetCounts,
    iter_cleaneval,
    iter_trafilatura_eval,
    shingle_metrics,
)
from dateline.eval.textdump import render_dump  # noqa: E402
from dateline.extract.line_features import compiled, forget_lines  # noqa: E402
from dateline.extract.line_training import is_training_page  # noqa: E402
from dateline.extract.lines import label_lines  # noqa: E402

_SENTENCE = re.compile(r"[.!?…][\"”’»)\]]*$")


def rule_extract(dump: str) -> str:
    """The simple anchor: lines of 6 words or more that end like a sentence."""
    keep = []
    for line in dump.splitlines():
        line = line.strip()
        if len(line.split()) >= 6 and _SENTENCE.search(line):
            keep.append(line)
    return "\n".join(keep)


def labeller_extract(dump: str, kind: str = "page") -> str:
    return "\n".join(x.text for x in label_lines(dump, kind=kind) if x.label == "body")


def _as_html(dump: str) -> str:
    body = "".join(f"<p>{html_escape.escape(line)}</p>\n" for line in dump.splitlines() if line.strip())
    return f"<html><head><title></title></head><body>\n{body}</body></html>"


def make_methods(names: list[str]) -> dict[str, Callable[[str], str]]:
    methods: dict[str, Callable[[str], str]] = {}
    for name in names:
        if name == "labeller":
            methods[name] = labeller_extract
        elif name == "labeller_auto":
            methods[name] = lambda d: labeller_extract(d, "auto")
        elif name == "rule":
            methods[name] = rule_extract
        elif name == "boilerpy3":
            try:
                from boilerpy3 import extractors
            except ImportError:
                print("boilerpy3 is not installed: skipped", file=sys.stderr)
                continue
            extractor = extractors.ArticleExtractor(raise_on_failure=False)
            methods[name] = lambda d, e=extractor: e.get_content(_as_html(d)) or ""
        elif name == "trafilatura":
            try:
                import trafilatura
            except ImportError:
                print("trafilatura is not installed: skipped", file=sys.stderr)
                continue
            methods[name] = lambda d: (
                trafilatura.extract(_as_html(d), include_comments=False, include_tables=True) or ""
            )
        else:
            raise SystemExit(f"unknown method {name!r}")
    return methods


def load(shared: Path, limit: int | None) -> dict[str, list[tuple[str, object]]]:
    """``{dataset: [(dump, gold)]}``; CleanEval gold is text, trafilatura's a snippet dict."""
    sets: dict[str, list[tuple[str, object]]] = {
        "cleaneval-train": [],
        "cleaneval-heldout": [],
        "trafilatura-train": [],
        "trafilatura-heldout": [],
    }
    extraction = shared / "data" / "extraction"
    for page_id, html, gold in iter_cleaneval(extraction / "cleaneval"):
        name = "cleaneval-train" if is_training_page(page_id) else "cleaneval-heldout"
        if limit is None or len(sets[name]) < limit:
            sets[name].append((render_dump(html), gold))
    for url, html, with_, without in iter_trafilatura_eval(extraction / "trafilatura-eval"):
        name = "trafilatura-train" if is_training_page(url) else "trafilatura-heldout"
        if limit is None or len(sets[name]) < limit:
            sets[name].append((render_dump(html), {"with": with_, "without": without}))
    return sets


def median_speed(sets: dict[str, list[tuple[str, object]]], extract: Callable[[str], str], repeat: int) -> list[float]:
    """Pages/s of ``repeat`` timed passes over every page (process time, one core). Each pass
    starts with the labeller's memory of lines seen before emptied: a pass over pages it has
    already seen would be faster than a first look."""
    dumps = [dump for pages in sets.values() for dump, _ in pages]
    speeds = []
    for _ in range(repeat):
        forget_lines()
        started = time.process_time()
        for dump in dumps:
            extract(dump)
        speeds.append(len(dumps) / max(time.process_time() - started, 1e-9))
    return speeds


def _pass_over(args: tuple[str, list[str]]) -> int:
    method, dumps = args
    extract = make_methods([method])[method]
    forget_lines()
    for dump in dumps:
        extract(dump)
    return len(dumps)


def parallel_speed(sets: dict[str, list[tuple[str, object]]], method: str, processes: int, repeat: int) -> list[float]:
    """Pages/s of ``repeat`` passes over every page split across ``processes`` worker processes
    (wall time of the whole pass; the workers are started and warmed before the clock runs)."""
    import multiprocessing

    dumps = [dump for pages in sets.values() for dump, _ in pages]
    chunks = [(method, dumps[k::processes]) for k in range(processes)]
    speeds = []
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pool.map(_pass_over, [(method, dumps[:20])] * processes)  # imports, model, caches
        for _ in range(max(repeat, 1)):
            started = time.perf_counter()
            done = sum(pool.map(_pass_over, chunks))
            speeds.append(done / (time.perf_counter() - started))
    return speeds


def run(
    sets: dict[str, list[tuple[str, object]]], methods: dict[str, Callable[[str], str]], repeat: int = 0
) -> dict[str, dict]:
    results: dict[str, dict] = {}
    for method, extract in methods.items():
        results[method] = {}
        if repeat:
            speeds = median_speed(sets, extract, repeat)
            results[method]["speed"] = {"pages_per_s_runs": [round(x, 1) for x in speeds]}
            results[method]["speed"]["pages_per_s_median"] = round(statistics.median(speeds), 1)
        for dataset, pages in sets.items():
            started = time.process_time()
            outputs = []
            for dump, _ in pages:
                try:
                    outputs.append(extract(dump))
                except Exception as exc:
                    print(f"{method} failed on a page: {exc!r}", file=sys.stderr)
                    outputs.append(None)
            elapsed = time.process_time() - started
            if dataset.startswith("cleaneval"):  # shingles; trafilatura's corpus: snippets
                scores = [ShingleScore.of(gold, out or "") for (_, gold), out in zip(pages, outputs, strict=True)]
                metrics = shingle_metrics(scores)
            else:
                counts = SnippetCounts()
                for (_, item), out in zip(pages, outputs, strict=True):
                    counts.add_page(out, item["with"], item["without"])  # type: ignore[index]
                metrics = counts.metrics()
            metrics["pages_per_s"] = len(pages) / elapsed if elapsed > 0 else float("inf")
            metrics["pages"] = len(pages)
            results[method][dataset] = {k: round(v, 4) for k, v in metrics.items()}
    return results


def table(results: dict[str, dict]) -> str:
    datasets = [d for d in next(iter(results.values())) if d != "speed"]
    head = "| method | " + " | ".join(f"{d} F1 (P / R)" for d in datasets) + " | pages/s |"
    rows = [head, "|" + "---|" * (len(datasets) + 2)]
    for method, per in results.items():
        total_pages = sum(per[d]["pages"] for d in datasets)
        total_time = sum(per[d]["pages"] / per[d]["pages_per_s"] for d in datasets if per[d]["pages_per_s"])
        speed = total_pages / total_time if total_time else float("inf")
        if "speed" in per:
            speed = per["speed"]["pages_per_s_median"]
        cells = [f"{per[d]['f1']:.3f} ({per[d]['precision']:.3f} / {per[d]['recall']:.3f})" for d in datasets]
        rows.append(f"| {method} | " + " | ".join(cells) + f" | {speed:,.0f} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("DATELINE_SHARED", ROOT.parent / "shared")))
    parser.add_argument("--limit", type=int, default=None, help="at most N pages per dataset")
    parser.add_argument("--methods", default="labeller,labeller_auto,rule,boilerpy3,trafilatura")
    parser.add_argument("--repeat", type=int, default=0, help="time N extra passes over all pages; report the median")
    parser.add_argument(
        "--processes", type=int, default=0, help="also time the labeller on N worker processes (wall clock)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "textdump.json")
    args = parser.parse_args()
    if not (args.shared / "data" / "extraction").is_dir():
        print(f"Error: no gold sets under {args.shared}/data/extraction. Pass --shared.", file=sys.stderr)
        return 1
    sets = load(args.shared, args.limit)
    results = run(sets, make_methods(args.methods.split(",")), args.repeat)
    print(table(results))
    path = (
        "compiled (dateline/extract/_linescan.c)" if compiled() else "numpy (the compiled pass is not built or is off)"
    )
    print(f"line features and stage two: {path}")
    if args.processes:
        speeds = parallel_speed(sets, "labeller", args.processes, args.repeat)
        results["labeller"]["parallel_speed"] = {
            "processes": args.processes,
            "pages_per_s_runs": [round(x, 1) for x in speeds],
            "pages_per_s_median": round(statistics.median(speeds), 1),
        }
        print(f"labeller on {args.processes} processes: {statistics.median(speeds):,.0f} pages/s (wall, median)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "command": "python bench/textdump.py " + " ".join(sys.argv[1:]),
        "compiled": compiled(),
        "results": results,
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
