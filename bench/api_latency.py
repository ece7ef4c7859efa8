"""API latency under concurrent load: p50/p99 of /api/events with typical filters.

Builds a synthetic database (tests/webdb.py; 100,000 events by default, cached beside the
results), serves it with uvicorn on 127.0.0.1 in a child process, and sends a bounded
number of requests from several threads, to loopback only. Prints a markdown table and
writes bench/results/api_latency.json. Target: p99 < 100 ms.

    .venv/bin/python bench/api_latency.py                 # 100k events, 8 threads, 2,400 requests
    .venv/bin/python bench/api_latency.py --events 20000 --requests 800
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import webdb  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET_P99_MS = 100.0

# Each query kind draws its values per request (seeded), so that no two requests are alike.
ACTORS = [a[0] for a in webdb.ACTORS]
COUNTRIES = ["JP", "US", "CN", "RU", "UA", "IR", "FR", "DE", "KP", "IN"]
TYPES = [k[0] for k in webdb.EVENT_KINDS]
PLACES = [p[0] for p in webdb.PLACES]
QUERIES: dict[str, Any] = {
    "latest, page 1-20": lambda r: {"page": r.randint(1, 20)},
    "actor": lambda r: {"actor": r.choice(ACTORS)},
    "recipient, page 1-5": lambda r: {"recipient": r.choice(ACTORS), "page": r.randint(1, 5)},
    "country + month": lambda r: {"country": r.choice(COUNTRIES), "date_from": f"2018-{r.randint(1, 12):02d}", "date_to": f"2018-{r.randint(1, 12):02d}"},
    "type + aux=none": lambda r: {"type": r.choice(TYPES), "aux": "none"},
    "min_sources=2, by confidence": lambda r: {"min_sources": 2, "sort": "-confidence", "page": r.randint(1, 5)},
    "place name": lambda r: {"place": r.choice(PLACES)},
    "date range, size 100": lambda r: {"date_from": f"2018-{r.randint(1, 12):02d}-01", "date_to": f"2018-{r.randint(1, 12):02d}-28", "size": 100},
}  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, float]:
    start = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.status, (time.perf_counter() - start) * 1000


def _wait_for(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server exited before it answered")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            status, _ = _get(conn, "/api/stats")
            conn.close()
            if status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer in time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2400, help="total, spread over the threads")
    parser.add_argument("--max-seconds", type=float, default=120, help="stop sending after this long")
    parser.add_argument("--db", default=None, help="database to build or reuse (default bench/results/api-<N>.duckdb)")
    args = parser.parse_args()

    RESULTS.mkdir(parents=True, exist_ok=True)
    db = Path(args.db or RESULTS / f"api-{args.events}.duckdb")
    if not db.exists():
        t0 = time.perf_counter()
        made = webdb.build_large(db, args.events)
        print(
            f"built {db}: {made.articles} articles, {made.events} events in {time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
        )

    port = _free_port()
    code = (
        "import uvicorn, sys; from dateline.web.app import create_app; "
        f"uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port={port}, log_level='warning')"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", code, str(db)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    try:
        _wait_for(port, server)

        def path_for(name: str, rng: random.Random) -> str:
            return "/api/events?" + urlencode(QUERIES[name](rng))

        # warm-up: each kind of query a few times, so the first-touch cost is not in the figures
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        warm = random.Random(0)
        for name in QUERIES:
            for _ in range(3):
                status, _ = _get(conn, path_for(name, warm))
                assert status == 200, (name, status)
        conn.close()
        paths = {name: "/api/events?" + urlencode(QUERIES[name](random.Random(1))) for name in QUERIES}

        names = list(paths)
        samples: dict[str, list[float]] = {n: [] for n in names}
        errors: list[str] = []
        lock = threading.Lock()
        per_thread = args.requests // args.threads
        deadline = time.monotonic() + args.max_seconds

        def worker(k: int) -> None:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            rng = random.Random(100 + k)
            for i in range(per_thread):
                if time.monotonic() > deadline:
                    break
                name = names[(k + i) % len(names)]
                try:
                    status, ms = _get(c, path_for(name, rng))
                except OSError as exc:
                    with lock:
                        errors.append(f"{name}: {exc}")
                    c.close()
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    continue
                with lock:
                    if status == 200:
                        samples[name].append(ms)
                    else:
                        errors.append(f"{name}: HTTP {status}")
            c.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=20)

    every = [ms for values in samples.values() for ms in values]
    rows = []
    for name in names:
        values = samples[name]
        if values:
            rows.append({"query": name, "example": paths[name], "n": len(values), "p50_ms": round(statistics.median(values), 1),
                         "p99_ms": round(_percentile(values, 99), 1), "max_ms": round(max(values), 1)})  # fmt: skip
    overall = {
        "n": len(every),
        "p50_ms": round(statistics.median(every), 1) if every else None,
        "p99_ms": round(_percentile(every, 99), 1) if every else None,
        "requests_per_s": round(len(every) / wall, 1) if wall else None,
    }
    result = {
        "events": args.events, "threads": args.threads, "wall_s": round(wall, 1), "errors": errors[:20],
        "n_errors": len(errors), "target_p99_ms": TARGET_P99_MS,
        "meets_target": bool(every) and overall["p99_ms"] < TARGET_P99_MS and not errors,
        "overall": overall, "queries": rows,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
    }  # fmt: skip
    (RESULTS / "api_latency.json").write_text(json.dumps(result, indent=2) + "\n")

    print(
        f"### /api/events latency: {args.events:,} events, {args.threads} threads, {len(every)} requests in {wall:.1f} s\n"
    )
    print("| query | n | p50 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['query']} | {r['n']} | {r['p50_ms']} | {r['p99_ms']} | {r['max_ms']} |")
    print(f"| **all** | {overall['n']} | {overall['p50_ms']} | {overall['p99_ms']} | |")
    verdict = "meets" if result["meets_target"] else "MISSES"
    print(
        f"\n{overall['requests_per_s']} requests/s; p99 {verdict} the {TARGET_P99_MS:.0f} ms target; {len(errors)} errors."
    )
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
