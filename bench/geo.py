"""Geoparsing benchmark: dateline's place resolver on LGL and GeoVirus, Gritta et al.'s metrics.

Two settings:

- resolution given the gold toponym spans (how resolvers are compared): accuracy within
  161 km, AUC of the log error curve, mean and median error in km, over every gold toponym
  with coordinates; a toponym we leave unresolved counts at the maximum error (20,039 km);
- end to end: our own toponym detection (spaCy NER + demonyms + gazetteer) against the gold
  spans (P/R/F1, exact and overlapping), and accuracy within 161 km on the matched ones.

The resolver's weights were tuned on LGL; GeoVirus was held out (only scored), so its row is
the honest figure. Anchors on LGL (resolution given spans, Gritta et al. 2018): Edinburgh
geoparser 0.76 acc@161, CLAVIN 0.71.

    .venv/bin/python bench/geo.py [--data ../shared/data/geo] [--limit N] [--no-e2e] [--errors 30]

Prints a markdown table and writes bench/results/geo.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dateline.eval.scorecards import geo_results, geo_table

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "geo"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles of each set")
    parser.add_argument("--no-e2e", action="store_true", help="skip the end-to-end setting (needs spaCy)")
    parser.add_argument("--sets", default="LGL,GeoVirus")
    parser.add_argument("--errors", type=int, default=0, help="print up to N resolution errors to stderr")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "geo.json")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"Error: {args.data} is not a folder. Pass --data with lgl.xml and GeoVirus.xml.", file=sys.stderr)
        return 1

    results = geo_results(
        args.data, sets=tuple(args.sets.split(",")), limit=args.limit, e2e=not args.no_e2e, errors=args.errors
    )
    print(geo_table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"limit": args.limit, "tuned_on": "LGL", "held_out": "GeoVirus", "results": results}
    args.out.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
