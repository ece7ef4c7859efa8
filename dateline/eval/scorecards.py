"""Scorecards for `dateline eval` and bench/: run one gold set, return figures and a table.

Each ``*_scorecard(data, ...)`` reads a gold set under ``data`` (the ``data/`` folder of
../shared or ``$DATELINE_SHARED``), scores dateline on it and returns ``(results, markdown)``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from dateline.errors import InputError


def _folder(path: Path) -> Path:
    if not path.is_dir():
        raise InputError(
            f"{path} is not a folder", hint="Point --shared at the folder holding data/ (or set DATELINE_SHARED)"
        )
    return path


# -- time expressions (TempEval-3 on TBAQ) --------------------------------------------------


def times_results(tbaq: Path) -> dict[str, Any]:
    """TempEval-3 scores per corpus (TimeBank used for development, AQUAINT held out)."""
    from dateline.eval.timebank import CORPORA, TimexCounts, iter_tbaq, score_timexes, total
    from dateline.resolve.times import find_times

    counts: dict[str, list[TimexCounts]] = {c: [] for c in CORPORA}
    seconds = dict.fromkeys(CORPORA, 0.0)
    docs = dict.fromkeys(CORPORA, 0)
    for doc in iter_tbaq(_folder(tbaq)):
        t0 = time.perf_counter()
        # TimeML annotates the two ends of "from 1977 till 1983" separately
        system = find_times(doc.text, doc.dct, intervals=False)
        seconds[doc.corpus] += time.perf_counter() - t0
        docs[doc.corpus] += 1
        counts[doc.corpus].append(score_timexes(doc.timexes, system))
    merged = {c: total(v) for c, v in counts.items()}
    merged["overall"] = total(merged[c] for c in CORPORA)
    seconds["overall"], docs["overall"] = sum(seconds.values()), sum(docs.values())
    return {
        name: {
            **merged[name].to_json(),
            "docs": docs[name],
            "ms_per_doc": round(1000 * seconds[name] / max(docs[name], 1), 3),
        }
        for name in [*CORPORA, "overall"]
    }


def times_scorecard(data: Path) -> tuple[dict[str, Any], str]:
    results = times_results(data / "time" / "TBAQ-cleaned")
    lines = [
        "| corpus | docs | gold | strict P | strict R | strict F1 | relaxed P | relaxed R | relaxed F1 | value F1 | type acc | ms/doc |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in results.items():
        label = {"TimeBank": "TimeBank (dev)", "AQUAINT": "AQUAINT (held out)"}.get(name, name)
        lines.append(
            f"| {label} | {s['docs']} | {s['gold']} | {s['strict_p']:.3f} | {s['strict_r']:.3f} "
            f"| {s['strict_f1']:.3f} | {s['relaxed_p']:.3f} | {s['relaxed_r']:.3f} | {s['relaxed_f1']:.3f} "
            f"| {s['value_f1']:.3f} | {s['type_acc']:.3f} | {s['ms_per_doc']:.2f} |"
        )
    return results, "\n".join(lines)


# -- geoparsing (LGL, GeoVirus) -------------------------------------------------------------

GEO_SETS = {"LGL": "lgl.xml", "GeoVirus": "GeoVirus.xml"}


def load_geo(geo: Path, name: str, limit: int | None = None) -> list[Any]:
    from dateline.eval.geo import read_geovirus, read_lgl

    reader = read_lgl if name == "LGL" else read_geovirus
    docs = reader(_folder(geo) / GEO_SETS[name])
    return docs[:limit] if limit else docs


def geo_results(
    geo: Path,
    *,
    sets: tuple[str, ...] = ("LGL", "GeoVirus"),
    limit: int | None = None,
    e2e: bool = True,
    errors: int = 0,
) -> dict[str, Any]:
    from dateline.eval.geo import score_end_to_end, score_given_spans

    results: dict[str, Any] = {}
    for name in sets:
        docs = load_geo(geo, name, limit)
        t0 = time.perf_counter()
        given = score_given_spans(docs, errors)
        given["seconds"] = round(time.perf_counter() - t0, 2)
        results[name] = {"given_spans": given, "documents": {"n": len(docs)}}
        if e2e:
            t0 = time.perf_counter()
            end = score_end_to_end(docs)
            end["seconds"] = round(time.perf_counter() - t0, 2)
            results[name]["end_to_end"] = end
    return results


def geo_table(results: dict[str, Any]) -> str:
    lines = ["| set | setting | n | acc@161 | AUC | mean km | median km |", "|---|---|---:|---:|---:|---:|---:|"]
    for name, r in results.items():
        g = r["given_spans"]
        lines.append(
            f"| {name} | gold spans | {g['n']} | {g['acc161']:.3f} | {g['auc']:.3f} | {g['mean_km']:.0f} | {g['median_km']:.1f} |"
        )
    lines += [
        "",
        "| set | end to end | gold | predicted | P | R | F1 | overlap F1 | matched | acc@161 on matched |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        e = r.get("end_to_end")
        if e:
            lines.append(
                f"| {name} | spaCy+gazetteer | {e['gold']} | {e['predicted']} | {e['exact_p']:.3f} | {e['exact_r']:.3f} "
                f"| {e['exact_f1']:.3f} | {e['overlap_f1']:.3f} | {e['matched_n']} | {e['matched_acc161']:.3f} |"
            )
    return "\n".join(lines)


def geo_scorecard(data: Path, *, limit: int | None = None, e2e: bool = True) -> tuple[dict[str, Any], str]:
    results = geo_results(data / "geo", limit=limit, e2e=e2e)
    return results, geo_table(results)


# -- events ---------------------------------------------------------------------------------


def events_scorecard(data: Path, *, limit: int | None = None) -> tuple[dict[str, Any], str]:
    from dateline.eval.cli_events import format_scorecard, run_events_eval

    results = run_events_eval(_folder(data).parent, limit)
    return results, format_scorecard(results)


SCORECARDS = {"times": times_scorecard, "geo": geo_scorecard, "events": events_scorecard}
