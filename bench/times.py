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
import time
from pathlib import Path

from dateline.eval.timebank import CORPORA, TimeMLDoc, TimexCounts, iter_tbaq, match_timexes, score_timexes, total
from dateline.resolve.times import find_times

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "time" / "TBAQ-cleaned"


def tag(doc: TimeMLDoc) -> list:
    return find_times(doc.text, doc.dct, intervals=False)


def run(data: Path) -> tuple[dict[str, TimexCounts], dict[str, float], dict[str, int]]:
    counts: dict[str, list[TimexCounts]] = {c: [] for c in CORPORA}
    seconds: dict[str, float] = dict.fromkeys(CORPORA, 0.0)
    docs: dict[str, int] = dict.fromkeys(CORPORA, 0)
    for doc in iter_tbaq(data):
        t0 = time.perf_counter()
        system = tag(doc)
        seconds[doc.corpus] += time.perf_counter() - t0
        docs[doc.corpus] += 1
        counts[doc.corpus].append(score_timexes(doc.timexes, system))
    return {c: total(v) for c, v in counts.items()}, seconds, docs


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
    counts, seconds, docs = run(args.data)
    rows = [*CORPORA, "overall"]
    counts["overall"] = total(counts[c] for c in CORPORA)
    seconds["overall"] = sum(seconds[c] for c in CORPORA)
    docs["overall"] = sum(docs[c] for c in CORPORA)
    print(
        "| corpus | docs | gold | strict P | strict R | strict F1 | relaxed P | relaxed R | relaxed F1 "
        "| value F1 | type acc | ms/doc |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name in rows:
        s = counts[name].scores()
        ms = 1000 * seconds[name] / max(docs[name], 1)
        label = {"TimeBank": "TimeBank (dev)", "AQUAINT": "AQUAINT (held out)"}.get(name, name)
        print(
            f"| {label} | {docs[name]} | {counts[name].gold} | {s['strict_p']:.3f} | {s['strict_r']:.3f} "
            f"| {s['strict_f1']:.3f} | {s['relaxed_p']:.3f} | {s['relaxed_r']:.3f} | {s['relaxed_f1']:.3f} "
            f"| {s['value_f1']:.3f} | {s['type_acc']:.3f} | {ms:.2f} |"
        )
    result = {
        "data": "TBAQ-cleaned (TempEval-3 training data); TimeBank = development, AQUAINT = held out",
        "metric": "TempEval-3: relaxed one-to-one overlap matching; value/type F1 = attribute-correct matches "
        "over system (P) and gold (R) counts",
        "reference": {"HeidelTime value F1 (TE-3 test)": 0.776},
        "corpora": {
            name: {
                **counts[name].to_json(),
                "docs": docs[name],
                "ms_per_doc": round(1000 * seconds[name] / max(docs[name], 1), 3),
            }
            for name in rows
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
