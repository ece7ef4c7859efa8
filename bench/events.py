"""Event-coding benchmark: PLOVER GSR, ConfliBERT CAMEO sentences, PETRARCH2 unit records,
event_location dev, and the coder's speed.

    .venv/bin/python bench/events.py [--shared ../shared] [--limit N] [--location-limit 2000]

Prints markdown tables and writes bench/results/events.json. The GSR, the PETRARCH records and
the event_location dev file are development sets: the lexicon and the rules were tuned on them
(no model is trained on them), so their figures are not held out. ConfliBERT is the held-out
check: rules were tuned on its even lines only, and its odd lines ("held out") are the figures
to quote; the even-line and all-line figures are printed beside them for comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dateline.eval.cli_events import format_scorecard, run_events_eval

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--limit", type=int, default=None, help="items per gold set (default: all)")
    parser.add_argument("--location-limit", type=int, default=2000, help="event_location items (default 2000 of 9,686)")
    args = parser.parse_args(argv)
    if not (args.shared / "data" / "events").is_dir():
        print(f"No gold data under {args.shared}/data/events; set --shared.", file=sys.stderr)
        return 1
    results = run_events_eval(args.shared, args.limit, location_limit=args.location_limit)
    print(format_scorecard(results))
    out = ROOT / "bench" / "results" / "events.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    slim = json.loads(json.dumps(results, default=str))
    if "petrarch2" in slim:
        slim["petrarch2"]["rows"] = [r for r in slim["petrarch2"]["rows"] if not r["match"]]
    out.write_text(json.dumps(slim, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
