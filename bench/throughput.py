"""Throughput benchmark: dateline against bare spaCy on the same news articles (issue 5).

On the first ``--limit`` LGL local-news articles (default 300), side by side in one run:

- bare spaCy: ``nlp.pipe`` with the same model (``dateline.annotate.load_model()``), every
  component the model enables, its default batch size;
- dateline end to end (``Pipeline(settings=Settings().replace(text_kind="article")).run_batch``
  over RawDocuments), with the time of each stage's ``process_batch`` taken in the same pass,
  for ``parse="all"`` (the default) and ``parse="events"`` (only sentences that can hold an
  event are parsed);
- spaCy's own components timed one by one, and our conversion to ``Annotation``;
- ``run_ingest`` with 1 and 2 workers into temporary databases, and Spark ``local[2]``
  (``run_spark``) on the same JSONL files, each in a fresh process (model loading included),
  with the peak RSS of every process.

Methods are interleaved round by round (``--repeat``, default 3) and the medians are reported,
with the ratios to bare spaCy taken within each round: other jobs on a shared machine move the
absolute figures far more than the ratios.

    .venv/bin/python bench/throughput.py [--limit 300] [--repeat 3] [--shared ../shared]
                                         [--no-ingest] [--no-spark]

Prints a markdown table and writes bench/results/throughput.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def shared_folder(arg: str | None) -> Path:
    return Path(arg or os.environ.get("DATELINE_SHARED") or ROOT.parent / "shared")


def load_texts(shared: Path, limit: int) -> list[str]:
    from dateline.eval.scorecards import load_geo

    return [d.text for d in load_geo(shared / "data" / "geo", "LGL", limit)]


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    """The largest peak RSS among this process's finished children (pool workers), in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# -- in-process timings ---------------------------------------------------------------------


class TimedStage:
    """A stage that adds the seconds of each ``process_batch`` to ``seconds``."""

    def __init__(self, stage: Any) -> None:
        self.stage = stage
        self.name = stage.name
        self.needs = stage.needs
        self.provides = stage.provides
        self.seconds = 0.0

    def setup(self) -> None:
        self.stage.setup()

    def process_batch(self, items: list[Any]) -> list[Any]:
        started = time.perf_counter()
        try:
            return self.stage.process_batch(items)
        finally:
            self.seconds += time.perf_counter() - started


def dateline_pipeline(parse: str) -> tuple[Any, list[TimedStage]]:
    from dateline.annotate import Annotator
    from dateline.config import Settings
    from dateline.pipeline import Pipeline, default_stages

    settings = Settings().replace(text_kind="article")
    stages = []
    for stage in default_stages(settings):
        if isinstance(stage, Annotator):
            stage = Annotator(settings.spacy_model, settings.batch_size, parse=parse)
        stages.append(TimedStage(stage))
    pipeline = Pipeline(stages=stages, settings=settings)  # type: ignore[arg-type]
    pipeline.setup()
    return pipeline, stages


def raw_documents(texts: list[str]) -> list[Any]:
    from dateline.records import RawDocument

    return [RawDocument(f"lgl:{i}", text.encode("utf-8"), "text/plain") for i, text in enumerate(texts)]


def time_bare(nlp: Any, texts: list[str]) -> float:
    started = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return time.perf_counter() - started


def time_dateline(pipeline: Any, stages: list[TimedStage], texts: list[str]) -> dict[str, Any]:
    for stage in stages:
        stage.seconds = 0.0
    docs = raw_documents(texts)
    started = time.perf_counter()
    articles = list(pipeline.run(docs))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "stages": {s.name: s.seconds for s in stages},
        "rejected": sum(a.rejected for a in articles),
        "events": sum(len(a.events) for a in articles),
        "mentions": sum(len(a.mentions) for a in articles),
    }


def time_components(nlp: Any, texts: list[str], batch_size: int = 64) -> dict[str, float]:
    """Seconds of the tokenizer and of each spaCy component alone, then of our conversion."""
    from dateline.annotate import _convert

    out: dict[str, float] = {}
    started = time.perf_counter()
    docs = list(nlp.tokenizer.pipe(texts, batch_size=batch_size))
    out["tokenizer"] = time.perf_counter() - started
    for name, proc in nlp.pipeline:
        started = time.perf_counter()
        docs = list(proc.pipe(docs, batch_size=batch_size))
        out[name] = time.perf_counter() - started
    started = time.perf_counter()
    for doc in docs:
        _convert(doc)
    out["(dateline) _convert"] = time.perf_counter() - started
    senter = nlp.get_pipe("senter") if "senter" in nlp.component_names else None
    if senter is not None:
        plain = list(nlp.tokenizer.pipe(texts, batch_size=batch_size))
        started = time.perf_counter()
        list(senter.pipe(plain, batch_size=batch_size))
        out["senter (disabled in the model)"] = time.perf_counter() - started
    return out


def parse_share(texts: list[str]) -> dict[str, Any]:
    from dateline.annotate import annotate_texts

    anns = annotate_texts(texts, parse="events")
    sents = [s for a in anns for s in a.sentences]
    tokens = sum(s.last_token - s.first_token for s in sents)
    parsed = [s for s in sents if s.parsed]
    return {
        "sentences": len(sents),
        "parsed_sentences": len(parsed),
        "tokens": tokens,
        "parsed_tokens": sum(s.last_token - s.first_token for s in parsed),
    }


# -- backends, each in a fresh process --------------------------------------------------------


def write_shards(texts: list[str], folder: Path, shards: int) -> list[str]:
    paths = []
    for n in range(shards):
        path = folder / f"lgl-{n}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for i in range(n, len(texts), shards):
                fh.write(json.dumps({"id": f"lgl-{i}", "url": f"https://lgl.example/{i}", "text": texts[i]}) + "\n")
        paths.append(str(path))
    return paths


class TreeMemory:
    """Samples the peak RSS (VmHWM) of every process below this one while a backend runs:
    pool workers, the Spark JVM and its Python workers are not this process's own memory."""

    def __init__(self, every: float = 0.5) -> None:
        import threading

        self.every = every
        self.peaks: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def sample(self) -> None:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
        mine = {os.getpid()}
        changed = True
        while changed:
            changed = False
            for pid, ppid in parents.items():
                if ppid in mine and pid not in mine:
                    mine.add(pid)
                    changed = True
        mine.discard(os.getpid())
        for pid in mine:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    mb = int(line.split()[1]) / 1024
                    if mb > self.peaks.get(pid, ("", 0.0))[1]:
                        self.peaks[pid] = (cmd[:200], mb)

    def peak(self, *, java: bool) -> float:
        values = [mb for cmd, mb in self.peaks.values() if ("java" in cmd.split(" ")[0]) == java]
        return max(values, default=0.0)


def child(kind: str, paths: list[str], folder: str, workers: int, parse: str) -> dict[str, Any]:
    """Run one backend in this (fresh) process; what it did, its time and peak memory."""
    from dateline.config import Settings

    settings = Settings().replace(text_kind="article", workers=workers, db=str(Path(folder) / "bench.duckdb"))
    started = time.perf_counter()
    with TreeMemory() as memory:
        if kind == "ingest":
            from dateline.backends.local import run_ingest

            report = run_ingest(paths, settings)
            counts = {"documents": report.documents, "stored": report.stored, "rejected": report.rejected}
        else:
            from dateline.backends.spark import run_spark

            counts = run_spark(paths, str(Path(folder) / "spark-out"), settings, master=f"local[{workers}]")
            counts = {k: counts[k] for k in ("documents", "rejected", "articles", "events")}
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "counts": counts,
        "rss_mb": peak_rss_mb(),
        "python_children_rss_mb": max(memory.peak(java=False), children_peak_rss_mb()),
        "jvm_rss_mb": memory.peak(java=True),
    }


def run_child(kind: str, paths: list[str], workers: int, parse: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="dateline-bench-") as folder:
        cmd = [sys.executable, __file__, "--child", kind, "--workers", str(workers), "--folder", folder]
        cmd += ["--parse", parse, *paths]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode:
            return {"error": done.stderr[-2000:]}
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# -- the report -----------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def run(args: argparse.Namespace) -> dict[str, Any]:
    from dateline.annotate import load_model

    texts = load_texts(shared_folder(args.shared), args.limit)
    n = len(texts)
    nlp = load_model()
    pipelines = {parse: dateline_pipeline(parse) for parse in ("all", "events")}
    # warm up every method once (caches, lazy tables) on a few articles
    time_bare(nlp, texts[:10])
    for pipeline, stages in pipelines.values():
        time_dateline(pipeline, stages, texts[:10])

    rounds: list[dict[str, Any]] = []
    for r in range(args.repeat):
        row: dict[str, Any] = {}
        order = ["bare", "all", "events"]
        order = order[r % 3 :] + order[: r % 3]  # rotate so no method always runs first
        for method in order:
            if method == "bare":
                row["bare"] = time_bare(nlp, texts)
            else:
                row[method] = time_dateline(*pipelines[method], texts)
        rounds.append(row)
        print(
            f"round {r + 1}: bare {row['bare']:.1f}s, all {row['all']['seconds']:.1f}s, events {row['events']['seconds']:.1f}s",
            file=sys.stderr,
        )

    results: dict[str, Any] = {
        "articles": n,
        "characters": sum(len(t) for t in texts),
        "repeat": args.repeat,
        "machine": {
            "cpus": os.cpu_count(),
            "load_avg_1m_start": os.getloadavg()[0],
            "python": platform.python_version(),
        },
        "model": f"{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "rounds": rounds,
    }
    bare = median([r["bare"] for r in rounds])
    results["bare_spacy"] = {"seconds": bare, "articles_per_s": n / bare}
    for parse in ("all", "events"):
        secs = median([r[parse]["seconds"] for r in rounds])
        ratio = median([r["bare"] / r[parse]["seconds"] for r in rounds])
        stage_names = list(rounds[0][parse]["stages"])
        stages = {
            name: {
                "seconds": median([r[parse]["stages"][name] for r in rounds]),
                "articles_per_s": n / median([r[parse]["stages"][name] for r in rounds]),
                "ratio_to_bare": median([r["bare"] / r[parse]["stages"][name] for r in rounds]),
            }
            for name in stage_names
        }
        last = rounds[-1][parse]
        results[f"end_to_end_{parse}"] = {
            "seconds": secs,
            "articles_per_s": n / secs,
            "ratio_to_bare": ratio,
            "stages": stages,
            "events": last["events"],
            "mentions": last["mentions"],
            "rejected": last["rejected"],
        }
    results["in_process_peak_rss_mb"] = peak_rss_mb()
    if args.components:
        results["components_seconds"] = time_components(nlp, texts)
        results["parse_share"] = parse_share(texts)

    if args.ingest or args.spark:
        with tempfile.TemporaryDirectory(prefix="dateline-bench-data-") as folder:
            paths = write_shards(texts, Path(folder), args.shards)
            backends: dict[str, Any] = {}
            plan = []
            if args.ingest:
                plan += [("ingest", 1), ("ingest", 2)]
            if args.spark:
                plan += [("spark", 2)]
            for kind, workers in plan:
                print(f"{kind} with {workers} worker(s)...", file=sys.stderr)
                out = run_child(kind, paths, workers, args.parse)
                if "seconds" in out:
                    out["articles_per_s"] = n / out["seconds"]
                    # the workers' peak when there is a pool; the process's own when it does the work
                    pooled = kind == "spark" or workers > 1
                    out["rss_per_worker_mb"] = out["python_children_rss_mb"] if pooled else out["rss_mb"]
                backends[f"{kind}_{workers}"] = out
            if "seconds" in backends.get("ingest_1", {}) and "seconds" in backends.get("ingest_2", {}):
                backends["speedup_2_workers"] = backends["ingest_1"]["seconds"] / backends["ingest_2"]["seconds"]
            if "seconds" in backends.get("spark_2", {}) and "seconds" in backends.get("ingest_2", {}):
                backends["spark_vs_local_2"] = backends["ingest_2"]["seconds"] / backends["spark_2"]["seconds"]
            results["backends"] = backends
            results["backends_note"] = (
                f"{args.shards} JSONL files; each backend runs in a fresh process, model loading, the "
                "store and clustering included; pool workers load the model themselves"
            )
    results["machine"]["load_avg_1m_end"] = os.getloadavg()[0]
    return results


def table(res: dict[str, Any]) -> str:
    n = res["articles"]
    lines = [
        f"{n} LGL articles ({res['characters'] / n:,.0f} characters each on average), median of {res['repeat']} "
        f"interleaved rounds, {res['machine']['cpus']} CPUs (load {res['machine']['load_avg_1m_start']:.1f} at the start)",
        "",
        "| what | articles/s | × bare spaCy | notes |",
        "|---|---:|---:|---|",
        f"| bare spaCy `nlp.pipe` ({res['model']}) | {res['bare_spacy']['articles_per_s']:.2f} | 1.00 | all its enabled components |",
    ]
    for parse in ("all", "events"):
        e = res[f"end_to_end_{parse}"]
        lines.append(
            f"| dateline end to end, parse={parse} | {e['articles_per_s']:.2f} | {e['ratio_to_bare']:.2f} | "
            f"{e['events']} events, {e['mentions']} mentions |"
        )
        for name, s in e["stages"].items():
            lines.append(
                f"| &nbsp;&nbsp;stage {name} alone | {s['articles_per_s']:.2f} | {s['ratio_to_bare']:.2f} | {s['seconds']:.1f} s |"
            )
    lines.append(f"| peak RSS of this process (all of the above) | | | {res['in_process_peak_rss_mb']:.0f} MB |")
    backends = res.get("backends", {})
    for key, label in (
        ("ingest_1", "`run_ingest`, 1 worker"),
        ("ingest_2", "`run_ingest`, 2 workers"),
        ("spark_2", "Spark `local[2]`"),
    ):
        b = backends.get(key)
        if not b:
            continue
        if "error" in b:
            lines.append(f"| {label} | failed | | {b['error'].splitlines()[-1] if b['error'] else ''} |")
            continue
        lines.append(
            f"| {label} | {b['articles_per_s']:.2f} | | {b['seconds']:.1f} s, peak RSS per worker {b['rss_per_worker_mb']:.0f} MB"
            + (f", JVM {b['jvm_rss_mb']:.0f} MB" if b.get("jvm_rss_mb") else "")
            + " |"
        )
    if "speedup_2_workers" in backends:
        lines.append(f"| 2 workers vs 1 | | | speed-up {backends['speedup_2_workers']:.2f}× |")
    if "spark_vs_local_2" in backends:
        lines.append(
            f"| Spark local[2] vs local backend, 2 workers | | | {backends['spark_vs_local_2']:.2f}× the local speed |"
        )
    if "components_seconds" in res:
        comp = res["components_seconds"]
        total = sum(v for k, v in comp.items() if not k.startswith(("(", "senter")))
        lines += ["", "| spaCy component (alone, batch 64) | seconds | share of the model's time |", "|---|---:|---:|"]
        for name, secs in comp.items():
            lines.append(f"| {name} | {secs:.2f} | {secs / total:.0%} |")
        share = res["parse_share"]
        lines.append(
            f"\nparse=events parses {share['parsed_sentences']:,} of {share['sentences']:,} sentences "
            f"({share['parsed_tokens'] / max(share['tokens'], 1):.0%} of the tokens)."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shared", default=None, help="the shared folder (default $DATELINE_SHARED or ../shared)")
    parser.add_argument("--shards", type=int, default=4, help="JSONL files for the backends (Spark splits by file)")
    parser.add_argument("--parse", default="all", choices=("all", "events"), help="(backends use the default stages)")
    parser.add_argument("--no-ingest", dest="ingest", action="store_false")
    parser.add_argument("--no-spark", dest="spark", action="store_false")
    parser.add_argument("--no-components", dest="components", action="store_false")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "throughput.json")
    parser.add_argument("--child", choices=("ingest", "spark"), help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.paths, args.folder, args.workers, args.parse)))
        return 0
    shared = shared_folder(args.shared)
    if not (shared / "data" / "geo" / "lgl.xml").is_file():
        print(f"Error: {shared}/data/geo/lgl.xml is absent. Pass --shared or set DATELINE_SHARED.", file=sys.stderr)
        return 1
    results = run(args)
    print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
