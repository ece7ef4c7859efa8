"""Time-expression benchmark: dateline's tagger on TBAQ-cleaned (TimeBank + AQUAINT), TempEval-3 metrics.

Each document is tagged with its creation time (DCT) as the anchor; the DCT timex itself is not
scored. TimeBank is the development set the rules were tuned on; AQUAINT is held out (never
looked at while writing rules), so its row is the honest figure. Both are TempEval-3 *training*
data, so neither row is comparable, strictly, to HeidelTime's 0.776 value F1 on the TE-3 test set.

    .venv/bin/python bench/times.py [--data ../shared/data/time/TBAQ-cleaned] [--errors 40 --corpus TimeBank]

Prints a markdown table and writes bench/results/times.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dateline.eval.scorecards import times_scorecard
from dateline.eval.timebank import TimeMLDoc, iter_tbaq, match_timexes
from dateline.resolve.times import find_times

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "time" / "TBAQ-cleaned"


def tag(doc: TimeMLDoc) -> list:
    return find_times(doc.text, doc.dct, intervals=False)


def show_errors(data: Path, corpus: str, limit: int) -> None:
    shown = 0
    for doc in iter_tbaq(data, (corpus,)):
        system = tag(doc)
        pairs = match_timexes(doc.timexes, system)
        matched_g = {g for g, _ in pairs}
        matched_s = {s for _, s in pairs}
        lines = []
        for gi, si in pairs:
            g, s = doc.timexes[gi], system[si]
            if g.value != s.value or (g.start, g.end) != (s.start, s.end):
                lines.append(f"  DIFF {g.text!r} {g.type} {g.value}  <>  {s.text!r} {s.type} {s.value}")
        lines += [f"  MISS {g.text!r} {g.type} {g.value}" for i, g in enumerate(doc.timexes) if i not in matched_g]
        text = doc.text
        lines += [
            f"  FP   {s.text!r} {s.value}   ...{text[max(0, s.start - 30) : s.end + 20]!r}..."
            for i, s in enumerate(system)
            if i not in matched_s
        ]
        if lines:
            print(f"{doc.name} dct={doc.dct}")
            print("\n".join(lines))
            shown += len(lines)
        if shown >= limit:
            break


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "times.json")
    parser.add_argument("--errors", type=int, default=0, help="print this many errors instead of the table")
    parser.add_argument("--corpus", default="TimeBank")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"Error: {args.data} is not a folder. Pass --data PATH/TBAQ-cleaned.", file=sys.stderr)
        return 1
    if args.errors:
        show_errors(args.data, args.corpus, args.errors)
        return 0
    corpora, table = times_scorecard(args.data.parent.parent)
    print(table)
    result = {
        "data": "TBAQ-cleaned (TempEval-3 training data); TimeBank = development, AQUAINT = held out",
        "metric": "TempEval-3: relaxed one-to-one overlap matching; value/type F1 = attribute-correct matches "
        "over system (P) and gold (R) counts",
        "reference": {"HeidelTime value F1 (TE-3 test)": 0.776},
        "corpora": corpora,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
