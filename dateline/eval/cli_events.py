"""``dateline eval events``: run the event gold sets and print a scorecard.

Usage::

    results = run_events_eval(Path("../shared"), limit=None)
    print(format_scorecard(results))
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from dateline.eval import events as ev

# Anchor for single sentences with no date of their own: the GSR and PETRARCH sentences carry
# placeholder dates, so times are read against a fixed day and never scored.
_ANCHOR = date(2000, 1, 1)


def _data(shared: Path) -> Path:
    return shared / "data" if (shared / "data").is_dir() else shared


def run_events_eval(shared: Path, limit: int | None = None, *, location_limit: int | None = 2000) -> dict[str, Any]:
    """Score the coder on every event gold set found under ``shared`` (the folder holding ``data/``).

    ``limit`` caps the items read from each set (None: all); the event_location set is capped
    at ``location_limit`` unless ``limit`` is smaller.
    """
    data = _data(shared) / "events"
    results: dict[str, Any] = {}

    gsr_path = data / "plover" / "PLOVER_GSR_CAMEO.txt"
    if gsr_path.exists():
        gold = ev.read_gsr(gsr_path)[:limit]
        coded, seconds = ev.timed(ev.code_texts, [g.text for g in gold], anchor=_ANCHOR)
        results["gsr"] = ev.score_gsr(gold, coded) | {"seconds": seconds}

    conf = data / "conflibert"
    if (conf / "cameo_class" / "train.tsv").exists():
        sents = ev.read_conflibert(conf)[:limit]
        coded, seconds = ev.timed(ev.code_texts, [s.text for s in sents], anchor=_ANCHOR)
        span_coded = ev.code_texts([s.ner_text for s in sents if s.ner_text], anchor=_ANCHOR)
        by_text = dict(zip([s.ner_text for s in sents if s.ner_text], span_coded, strict=True))
        parts: dict[str, Any] = {}
        # the odd lines were never looked at while tuning: they are the held-out figures
        for half in (*ev.CONFLIBERT_HALVES, "all"):
            index = range(len(sents)) if half == "all" else range(0 if half == "tune" else 1, len(sents), 2)
            rows = [sents[i] for i in index]
            with_spans = [s for s in rows if s.ner_text]
            parts[half] = ev.score_conflibert(rows, [coded[i] for i in index]) | {
                "spans": ev.score_spans(with_spans, [by_text[s.ner_text] for s in with_spans])
            }
        results["conflibert"] = parts["heldout"] | {"halves": parts, "seconds": seconds}

    petr = data / "petrarch2" / "PETR.UnitTest.records.xml"
    if petr.exists():
        records = ev.read_petrarch(petr)[:limit]
        coded, seconds = ev.timed(ev.code_texts, [r.text for r in records], anchor=_ANCHOR)
        results["petrarch2"] = ev.score_petrarch(records, coded) | {"seconds": seconds}

    loc = data / "event_location" / "labeled_text_dev.jsonl"
    if loc.exists():
        cap = min(x for x in (limit, location_limit) if x is not None) if (limit or location_limit) else None
        items = ev.read_event_locations(loc, cap)
        scored, seconds = ev.timed(ev.score_locations, items)
        results["event_location"] = scored | {"seconds": seconds}

    results["speed"] = measure_speed(shared, limit=min(limit or 400, 400))
    return results


def measure_speed(shared: Path, limit: int = 400) -> dict[str, float]:
    """Sentences per second: the code stage alone, end to end (annotate + resolve + code), bare nlp.pipe."""
    from dateline.annotate import load_model
    from dateline.code.coder import code_document

    conf = _data(shared) / "events" / "conflibert"
    texts = [s.text for s in ev.read_conflibert(conf)[:limit]] if (conf / "cameo_class").is_dir() else []
    if not texts:
        return {}
    nlp = load_model()
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    bare = time.perf_counter() - t0
    t0 = time.perf_counter()
    resolved = ev.resolve_texts(texts, anchor=_ANCHOR)
    resolve_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for c in resolved:
        code_document(c.text, c.annotation, mentions=c.mentions, places=c.places, times=c.times, published="2000-01-01")
    code_s = time.perf_counter() - t0
    n = len(texts)
    return {
        "sentences": n,
        "code_only_per_s": n / code_s if code_s else 0.0,
        "end_to_end_per_s": n / (resolve_s + code_s),
        "bare_spacy_per_s": n / bare if bare else 0.0,
    }


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def format_scorecard(results: dict[str, Any]) -> str:
    """Markdown tables of the figures ``run_events_eval`` returns."""
    out: list[str] = []
    if "gsr" in results:
        g = results["gsr"]
        out += [
            "### PLOVER GSR (primary event per sentence; development set: the lexicon was tuned on it)",
            "",
            "| measure | value |",
            "|---|---|",
            f"| sentences | {g['convention']['n']} |",
            f"| event type macro-F1 (CAMEO intent convention) | {g['convention']['macro_f1']:.3f} |",
            f"| event type macro-F1 (strict v0.8: future acts keep their type) | {g['strict']['macro_f1']:.3f} |",
            f"| event type accuracy (convention) | {_pct(g['convention']['accuracy'])}% |",
            f"| actor country accuracy (n={g['actor_n']}) | {_pct(g['actor_country_accuracy'])}% |",
            f"| actor sector accuracy (n={g['sector_n']}) | {_pct(g['actor_sector_accuracy'])}% |",
            f"| recipient country accuracy (n={g['recipient_n']}) | {_pct(g['recipient_country_accuracy'])}% |",
            f"| sentences with no event | {g['no_event']} |",
            "",
            "| type | P | R | F1 | n |",
            "|---|---|---|---|---|",
        ]
        for label, row in g["convention"]["per_label"].items():
            if row["support"]:
                out.append(
                    f"| {label} | {row['precision']:.2f} | {row['recall']:.2f} | {row['f1']:.2f} | {row['support']} |"
                )
        out.append("")
    if "conflibert" in results:
        c = results["conflibert"]
        halves = c.get("halves") or {"heldout": c}
        names = [h for h in ("heldout", "tune", "all") if h in halves]
        titles = {"heldout": "held out (odd lines)", "tune": "tuning half (even lines)", "all": "all"}
        out += [
            "### ConfliBERT CAMEO sentences (held out: rules were tuned on the even lines only)",
            "",
            "| measure | " + " | ".join(titles[h] for h in names) + " |",
            "|---|" + "---|" * len(names),
        ]

        def row(label: str, get: Any) -> str:
            return f"| {label} | " + " | ".join(get(halves[h]) for h in names) + " |"

        out.append(row("sentences", lambda x: str(x["quad"]["n"])))
        out.append(row("quad class macro-F1 (0-4)", lambda x: f"{x['quad']['macro_f1']:.3f}"))
        out.append(row("quad class accuracy", lambda x: f"{_pct(x['quad']['accuracy'])}%"))
        for label in ("0", "1", "2", "3", "4"):
            out.append(row(f"quad {label} F1", lambda x, k=label: f"{x['quad']['per_label'][k]['f1']:.3f}"))
        if all("spans" in halves[h] for h in names):
            out.append(row("actor span F1, exact", lambda x: f"{x['spans']['exact_f1']:.3f}"))
            out.append(row("actor span F1, overlap", lambda x: f"{x['spans']['overlap_f1']:.3f}"))
        out.append("")
    if "petrarch2" in results:
        p = results["petrarch2"]
        out += [
            "### PETRARCH2 unit-test records (development set)",
            "",
            "| measure | value |",
            "|---|---|",
            f"| records | {p['records']} |",
            f"| with a PLOVER type (crosswalk) | {p['with_plover_type']} |",
            f"| PLOVER type matched | {_pct(p['type_match_share'])}% |",
            f"| CAMEO 01/02 records (no PLOVER type) left uncoded | {p['no_plover_type_quiet']} of {p['no_plover_type']} |",
            "",
        ]
    if "event_location" in results:
        e = results["event_location"]
        out += [
            "### event_location dev (place of a given event verb; development set)",
            "",
            "| measure | value |",
            "|---|---|",
            f"| items | {e['n']} |",
            f"| accuracy (right place, or none when gold has none) | {_pct(e['accuracy'])}% |",
            f"| recall where gold has a place (n={e['with_gold_location']}) | {_pct(e['recall_with_gold'])}% |",
            f"| precision of chosen places | {_pct(e['precision'])}% |",
            "",
        ]
    if results.get("speed"):
        s = results["speed"]
        out += [
            "### Speed (sentences/s, this machine)",
            "",
            "| stage | sentences/s |",
            "|---|---|",
            f"| code stage alone | {s['code_only_per_s']:.0f} |",
            f"| end to end (annotate + resolve + code) | {s['end_to_end_per_s']:.0f} |",
            f"| bare spaCy nlp.pipe | {s['bare_spacy_per_s']:.0f} |",
            "",
        ]
    return "\n".join(out)
