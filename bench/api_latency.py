"""API latency under concurrent load: p50/p99 of /api/events with typical filters.

Builds a synthetic database (tests/webdb.py; 100,000 events by default, cached beside the
results; its derived event_index is rebuilt if missing or stale), serves it with uvicorn on
127.0.0.1 in a child process, and sends a bounded number of requests from several threads,
to loopback only. Prints a markdown table and writes bench/results/api_latency.json.
Target: p99 < 100 ms.

The server caches answers (``ResponseCache``), so what the figures measure depends on how
often a request repeats an earlier one. Each request draws its filters, sort, page and size
at random from a large space (``--mix varied``, the default), so most miss the cache; the
server's X-Cache header gives the measured miss rate, reported beside the latencies.
``--cache-bytes 0`` turns the cache off (every request queries DuckDB); ``--pool N`` draws
every request from N fixed paths (mostly hits: the cached case). ``--mix classic`` is the
first version's eight query kinds with few distinct values.

    .venv/bin/python bench/api_latency.py --requests 1600 --max-seconds 90
    .venv/bin/python bench/api_latency.py --cache-bytes 0 --threads 1 --requests 400
    .venv/bin/python bench/api_latency.py --code /tmp/base     # serve another checkout's code
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
SORTS = ["-date", "date", "-confidence", "confidence", "type"]
AUX = ["none", "future", "hypothetical", "historical", "negated"]


def _month(r: random.Random) -> str:
    return f"{r.choice((2018, 2019))}-{r.randint(1, 12):02d}"


def _day(r: random.Random) -> str:
    return f"{_month(r)}-{r.randint(1, 28):02d}"


# Draws from spaces of thousands of distinct requests each: most miss the server's cache.
VARIED: dict[str, Any] = {
    "latest, any sort, page 1-2000": lambda r: {"page": r.randint(1, 2000), "sort": r.choice(SORTS)},
    "actor, any sort, page 1-20": lambda r: {"actor": r.choice(ACTORS), "sort": r.choice(SORTS), "page": r.randint(1, 20)},
    "recipient + aux, page 1-10": lambda r: {"recipient": r.choice(ACTORS), "aux": r.choice(AUX), "page": r.randint(1, 10)},
    "country + months": lambda r: {"country": r.choice(COUNTRIES), "date_from": _month(r), "date_to": _month(r), "page": r.randint(1, 3)},
    "type + aux, size 20-200": lambda r: {"type": r.choice(TYPES), "aux": r.choice(AUX), "size": r.choice((20, 50, 100, 200)), "page": r.randint(1, 4)},
    "min_sources 2-6, any sort": lambda r: {"min_sources": r.randint(2, 6), "sort": r.choice(SORTS), "page": r.randint(1, 50)},
    "place name + actor": lambda r: {"place": r.choice(PLACES), "actor": r.choice(ACTORS), "sort": r.choice(SORTS)},
    "day range, size 100": lambda r: {"date_from": _day(r), "date_to": _day(r), "size": 100, "page": r.randint(1, 3)},
}  # fmt: skip

CLASSIC: dict[str, Any] = {
    "latest, page 1-20": lambda r: {"page": r.randint(1, 20)},
    "actor": lambda r: {"actor": r.choice(ACTORS)},
    "recipient, page 1-5": lambda r: {"recipient": r.choice(ACTORS), "page": r.randint(1, 5)},
    "country + month": lambda r: {"country": r.choice(COUNTRIES), "date_from": f"2018-{r.randint(1, 12):02d}", "date_to": f"2018-{r.randint(1, 12):02d}"},
    "type + aux=none": lambda r: {"type": r.choice(TYPES), "aux": "none"},
    "min_sources=2, by confidence": lambda r: {"min_sources": 2, "sort": "-confidence", "page": r.randint(1, 5)},
    "place name": lambda r: {"place": r.choice(PLACES)},
    "date range, size 100": lambda r: {"date_from": f"2018-{r.randint(1, 12):02d}-01", "date_to": f"2018-{r.randint(1, 12):02d}-28", "size": 100},
}  # fmt: skip
MIXES = {"varied": VARIED, "classic": CLASSIC}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, float, str | None]:
    start = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.status, (time.perf_counter() - start) * 1000, response.getheader("x-cache")


def _ensure_index(db: Path) -> None:
    """Build the database's derived event_index if it is missing or stale (older files)."""
    from dateline.store import Database

    with Database(db, read_only=True) as ro:
        if ro.event_index_ready():
            return
    t0 = time.perf_counter()
    with Database(db) as rw:
        rw.index_events()
    print(f"indexed {db} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def _wait_for(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server exited before it answered")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            status, _, _ = _get(conn, "/api/stats")
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
    parser.add_argument("--mix", choices=sorted(MIXES), default="varied", help="which requests (see above)")
    parser.add_argument("--pool", type=int, default=0, help="draw every request from this many fixed paths")
    parser.add_argument("--cache-bytes", type=int, default=None, help="the server's cache size; 0: off")
    parser.add_argument("--duckdb-threads", type=int, default=None, help="the server's DuckDB threads")
    parser.add_argument("--code", default=str(ROOT), help="the checkout whose dateline package to serve")
    parser.add_argument("--no-index", action="store_true", help="leave the database's event_index as it is")
    args = parser.parse_args()
    queries = MIXES[args.mix]

    RESULTS.mkdir(parents=True, exist_ok=True)
    db = Path(args.db or RESULTS / f"api-{args.events}.duckdb")
    if not db.exists():
        t0 = time.perf_counter()
        made = webdb.build_large(db, args.events)
        print(
            f"built {db}: {made.articles} articles, {made.events} events in {time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
        )

    if not args.no_index:
        _ensure_index(db)

    port = _free_port()
    options = "" if args.cache_bytes is None else f", cache_bytes={args.cache_bytes}"
    options += "" if args.duckdb_threads is None else f", duckdb_threads={args.duckdb_threads}"
    code = (
        "import uvicorn, sys; from dateline.web.app import create_app; "
        f"uvicorn.run(create_app(sys.argv[1]{options}), host='127.0.0.1', port={port}, log_level='warning')"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", code, str(db)], cwd=args.code, env={**os.environ, "PYTHONPATH": args.code}
    )
    load_before = os.getloadavg()
    try:
        _wait_for(port, server)

        pools: dict[str, list[str]] = {}
        if args.pool:
            pick = random.Random(2)
            for name in queries:
                pools[name] = [
                    "/api/events?" + urlencode(queries[name](pick)) for _ in range(max(1, args.pool // len(queries)))
                ]

        def path_for(name: str, rng: random.Random) -> str:
            if pools:
                return rng.choice(pools[name])
            return "/api/events?" + urlencode(queries[name](rng))

        # warm-up: each kind of query a few times (seeded apart from the measured ones), so the
        # first-touch cost is not in the figures
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        warm = random.Random(0)
        for name in queries:
            for _ in range(3):
                status, _, _ = _get(conn, path_for(name, warm))
                assert status == 200, (name, status)
        conn.close()
        paths = {name: "/api/events?" + urlencode(queries[name](random.Random(1))) for name in queries}

        names = list(paths)
        samples: dict[str, list[float]] = {n: [] for n in names}
        cache_states: dict[str | None, int] = {}
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
                    status, ms, state = _get(c, path_for(name, rng))
                except OSError as exc:
                    with lock:
                        errors.append(f"{name}: {exc}")
                    c.close()
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    continue
                with lock:
                    cache_states[state] = cache_states.get(state, 0) + 1
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
        load_after = os.getloadavg()
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
    answered = sum(cache_states.values())
    misses = cache_states.get("miss", 0)
    cache = {
        "hits": cache_states.get("hit", 0), "misses": misses, "unreported": cache_states.get(None, 0),
        "miss_rate": round(misses / answered, 3) if answered and None not in cache_states else None,
    }  # fmt: skip
    result = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]), "mix": args.mix, "pool": args.pool,
        "cache_bytes": args.cache_bytes, "duckdb_threads": args.duckdb_threads, "code": args.code, "cache": cache,
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in load_after]},
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
    rate = "not reported by this server" if cache["miss_rate"] is None else f"{cache['miss_rate']:.1%}"
    print(
        f"mix {args.mix}{f', pool {args.pool}' if args.pool else ''}; cache miss rate {rate} "
        f"({cache['misses']} misses, {cache['hits']} hits); load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after (1 min), {os.cpu_count()} CPUs."
    )
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
