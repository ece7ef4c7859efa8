"""Event-coding gold sets: readers and scorers.

- PLOVER GSR (``events/plover/PLOVER_GSR_CAMEO.txt``): one coded event per sentence, PLOVER
  v0.5 names mapped to v0.8 (DEMAND -> REQUEST, DISAPPROVE -> ACCUSE/disapprove, INVESTIGATE
  -> ACCUSE/investigate, FIGHT -> ASSAULT). Scored on the sentence's primary event: per-type
  and macro F1; actor country and sector accuracy.
- ConfliBERT CAMEO sentences (``events/conflibert``): quad class 0-4 (0 = statements and
  appeals, CAMEO 01-02), macro F1, read off the event's CAMEO code; actor spans (S source, T
  target, R reciprocal) as span F1. ConfliBERT is the held-out check: rules were tuned on its
  even lines only (``conflibert_half(rows, "tune")``) and the odd lines (``"heldout"``) are the
  figures to quote. The file is in blocks of different label mixes, so the halves interleave.
- PETRARCH2 unit-test records: the share whose PLOVER type (CAMEO code through the crosswalk)
  the coder gives.
- event_location dev set: for a given event verb, is the chosen place the gold one.

The GSR and the PETRARCH records are coded the CAMEO way: an announced cooperative act
("will visit", "said would allow inspectors") is AGREE, an announced hostile one THREATEN.
PLOVER v0.8 codes the act itself with the auxiliary mode ``future``; ``cameo_convention``
maps our events to the older reading for scoring, and both figures are reported.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dateline.code.coder import code_document, link_place, primary_event
from dateline.code.crosswalk import PLOVER_TYPES, cameo_quad, plover_for_cameo, quad_code
from dateline.code.event import Event

V05_TO_V08 = {
    "DEMAND": ("REQUEST", None),
    "DISAPPROVE": ("ACCUSE", "disapprove"),
    "INVESTIGATE": ("ACCUSE", "investigate"),
    "FIGHT": ("ASSAULT", None),
}
# CAMEO actor codes that differ from ISO 3166 alpha-3
CAMEO_COUNTRY = {
    "JAP": "JPN",
    "ROM": "ROU",
    "UK": "GBR",
    "SER": "SRB",
    "BOS": "BIH",
    "KOS": "XKX",
    "PAL": "PSE",
    "ZAR": "COD",
    "TMP": "TLS",
}


# ----------------------------------------------------------------------------- readers


@dataclass
class GoldEvent:
    id: str
    text: str
    event: str | None
    mode: str | None = None
    actors: list[dict[str, Any]] = field(default_factory=list)
    recipients: list[dict[str, Any]] = field(default_factory=list)
    location: str | None = None


def _actor_list(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    out = []
    for a in value:
        if isinstance(a, dict):
            code = str(a.get("code") or "").strip().upper()
            out.append(
                {
                    "text": a.get("actorText") or "",
                    "country": CAMEO_COUNTRY.get(code, code) or None,
                    "sector": a.get("sector") or None,
                }
            )
    return out


def read_gsr(path: Path) -> list[GoldEvent]:
    """The GSR sentences with their v0.8 event type (the DOCUMENT record is skipped)."""
    records = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for r in records:
        if r.get("event") == "DOCUMENT" or not r.get("text"):
            continue
        event, mode = V05_TO_V08.get(r["event"], (r["event"], None))
        loc = r.get("eventLoc")
        out.append(
            GoldEvent(
                r["id"],
                r["text"],
                event,
                mode or (r.get("mode") or None),
                _actor_list(r.get("source")),
                _actor_list(r.get("target")),
                loc.get("name") if isinstance(loc, dict) else None,
            )
        )
    return out


@dataclass
class ConfliSentence:
    text: str
    quad: int
    spans: list[tuple[str, int, int]] = field(default_factory=list)  # (S|T|R, char start, char end) in ``ner_text``
    ner_text: str = ""


def read_conflibert(folder: Path) -> list[ConfliSentence]:
    """``cameo_class/train.tsv`` with the actor spans of ``cameo_ner/train.txt`` where the sentence matches."""
    rows = []
    for line in (folder / "cameo_class" / "train.tsv").read_text(encoding="utf-8").splitlines():
        if "\t" not in line:
            continue
        text, label = line.rsplit("\t", 1)
        if label.strip().isdigit():
            rows.append(ConfliSentence(text.strip(), int(label)))
    ner = _read_bio(folder / "cameo_ner" / "train.txt")
    by_key = {_key(t): (t, s) for t, s in ner}
    for row in rows:
        found = by_key.get(_key(row.text))
        if found:
            row.ner_text, row.spans = found
    return rows


CONFLIBERT_HALVES = ("tune", "heldout")


def conflibert_half(rows: Sequence[ConfliSentence], half: str) -> list[ConfliSentence]:
    """The tuning half (even lines of ``train.tsv``) or the held-out half (odd lines)."""
    if half not in CONFLIBERT_HALVES:
        raise ValueError(f"half must be one of {CONFLIBERT_HALVES}, not {half!r}")
    return list(rows[0 if half == "tune" else 1 :: 2])


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def _read_bio(path: Path) -> list[tuple[str, list[tuple[str, int, int]]]]:
    out: list[tuple[str, list[tuple[str, int, int]]]] = []
    words: list[tuple[str, str]] = []

    def flush() -> None:
        if not words:
            return
        text, spans, pos = "", [], 0
        current: list[Any] | None = None
        for word, tag in words:
            start = pos + (1 if text else 0)
            text = f"{text} {word}" if text else word
            pos = len(text)
            if tag.startswith("B-") or (tag.startswith("I-") and (current is None or current[0] != tag[2:])):
                if current:
                    spans.append(tuple(current))
                current = [tag[2:], start, pos]
            elif tag.startswith("I-") and current:
                current[2] = pos
            else:
                if current:
                    spans.append(tuple(current))
                current = None
        if current:
            spans.append(tuple(current))
        out.append((text, spans))  # type: ignore[arg-type]
        words.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2:
            flush()
            continue
        words.append((parts[0], parts[-1]))
    flush()
    return out


@dataclass
class PetrarchRecord:
    id: str
    text: str
    date: str
    codes: list[str]  # expected CAMEO event codes (one per EventCoding)


def read_petrarch(path: Path) -> list[PetrarchRecord]:
    raw = path.read_text(encoding="utf-8", errors="replace")
    raw = re.sub(r"<!--.*?-->", "", raw, flags=re.S)
    out = []
    for m in re.finditer(r"<Sentence\b([^>]*)>(.*?)</Sentence>", raw, flags=re.S):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        body = m.group(2)
        text_m = re.search(r"<Text>(.*?)</Text>", body, flags=re.S)
        if not text_m:
            continue
        codes = re.findall(r'eventcode="([^"]*)"', body)
        text = " ".join(text_m.group(1).split())
        out.append(PetrarchRecord(attrs.get("id", ""), text, attrs.get("date", ""), codes))
    return out


@dataclass
class LocationItem:
    text: str
    verb: tuple[int, int]
    location: tuple[int, int] | None


def read_event_locations(path: Path, limit: int | None = None) -> list[LocationItem]:
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and len(out) >= limit:
                break
            r = json.loads(line)
            verbs = [s for s in r.get("spans", []) if s.get("label") == "VERB"]
            locs = [s for s in r.get("spans", []) if s.get("label") == "LOCATION"]
            if len(verbs) != 1 or r.get("answer") not in (None, "accept"):
                continue
            out.append(
                LocationItem(
                    r["text"],
                    (verbs[0]["start"], verbs[0]["end"]),
                    (locs[0]["start"], locs[0]["end"]) if locs else None,
                )
            )
    return out


# ----------------------------------------------------------------------------- running the coder


@dataclass
class Coded:
    text: str
    annotation: Any
    mentions: list[Any]
    places: list[Any]
    times: list[Any]
    events: list[Event]


def resolve_texts(texts: Sequence[str], *, anchor: date | None = None, places: bool = True) -> list[Coded]:
    """Annotate and resolve (actors, places, times) a batch of single texts, without coding."""
    from dateline.annotate import annotate_texts
    from dateline.resolve.actors import resolve_actors
    from dateline.resolve.places import resolve_places
    from dateline.resolve.times import find_times

    out = []
    for text, ann in zip(texts, annotate_texts(list(texts)), strict=True):
        mentions = resolve_actors(text, ann, date=anchor)
        found_places = resolve_places(text, ann) if places else []
        times = find_times(text, anchor, annotation=ann)
        out.append(Coded(text, ann, mentions, found_places, times, []))
    return out


def code_texts(texts: Sequence[str], *, anchor: date | None = None, places: bool = True) -> list[Coded]:
    coded = resolve_texts(texts, anchor=anchor, places=places)
    published = anchor.isoformat() if anchor else None
    for c in coded:
        c.events = code_document(
            c.text, c.annotation, mentions=c.mentions, places=c.places, times=c.times, published=published
        )
    return coded


def cameo_convention(event: Event | None) -> str | None:
    """The event type the CAMEO-era gold sets expect: announced acts become AGREE / THREATEN."""
    if event is None:
        return None
    if (
        event.cameo
        and (event.cameo.startswith("03") or event.cameo.startswith("13"))
        and event.event not in ("AGREE", "THREATEN")
    ):
        return "AGREE" if event.cameo.startswith("03") else "THREATEN"
    return event.event


# ----------------------------------------------------------------------------- scorers


def f1_table(gold: Sequence[str | None], pred: Sequence[str | None], labels: Iterable[str]) -> dict[str, Any]:
    """Per-label precision, recall, F1 and their macro average over ``labels``."""
    per: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per[label] = {
            "precision": prec,
            "recall": rec,
            "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
            "support": tp + fn,
        }
    scored = [v for v in per.values() if v["support"]]
    macro = sum(v["f1"] for v in scored) / len(scored) if scored else 0.0
    accuracy = sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold) if gold else 0.0
    return {"macro_f1": macro, "accuracy": accuracy, "per_label": per, "n": len(gold)}


def score_gsr(gold: Sequence[GoldEvent], coded: Sequence[Coded]) -> dict[str, Any]:
    strict, convention = [], []
    country_hits = country_total = sector_hits = sector_total = 0
    recipient_hits = recipient_total = 0
    for g, c in zip(gold, coded, strict=True):
        ev = primary_event(c.events)
        strict.append(ev.event if ev else None)
        convention.append(cameo_convention(ev))
        predicted = {p.country for p in ev.actor} if ev else set()
        predicted_r = {p.country for p in ev.recipient} if ev else set()
        sectors = {(p.country, p.sector) for p in ev.actor} if ev else set()
        everyone = predicted | predicted_r
        for a in g.actors:
            if a["country"] and len(a["country"]) == 3:
                country_total += 1
                # reciprocal gold actors ("SRC/TAR") may sit in either list
                if a["country"] in predicted or (a["country"] in everyone and not g.recipients):
                    country_hits += 1
                    if a["sector"]:
                        sector_total += 1
                        sector_hits += (a["country"], a["sector"]) in sectors
        for a in g.recipients:
            if a["country"] and len(a["country"]) == 3:
                recipient_total += 1
                recipient_hits += a["country"] in predicted_r
    gold_types = [g.event for g in gold]
    return {
        "convention": f1_table(gold_types, convention, PLOVER_TYPES),
        "strict": f1_table(gold_types, strict, PLOVER_TYPES),
        "actor_country_accuracy": country_hits / country_total if country_total else 0.0,
        "actor_sector_accuracy": sector_hits / sector_total if sector_total else 0.0,
        "recipient_country_accuracy": recipient_hits / recipient_total if recipient_total else 0.0,
        "actor_n": country_total,
        "sector_n": sector_total,
        "recipient_n": recipient_total,
        "no_event": sum(1 for p in strict if p is None),
    }


def score_conflibert(
    gold: Sequence[ConfliSentence], coded: Sequence[Coded], spans_coded: Sequence[Coded] | None = None
) -> dict[str, Any]:
    pred = []
    for c in coded:
        ev = primary_event(c.events)
        # the labels are CAMEO quad classes: read them off the event's CAMEO code, where an
        # appeal ("urged", "called on": CAMEO 02) is quad 0 though PLOVER codes it REQUEST, and
        # in the labels' Phoenix scheme a sanction (CAMEO 16) is verbal conflict
        if ev is None:
            pred.append("0")
        elif ev.cameo:
            pred.append(str(cameo_quad(ev.cameo, "phoenix")))
        else:
            kind = cameo_convention(ev)
            pred.append(str(quad_code(kind)) if kind else "0")
    quad = f1_table([str(g.quad) for g in gold], pred, ["0", "1", "2", "3", "4"])
    result: dict[str, Any] = {"quad": quad}
    if spans_coded is not None:
        result["spans"] = score_spans([g for g in gold if g.ner_text], spans_coded)
    return result


def score_spans(gold: Sequence[ConfliSentence], coded: Sequence[Coded]) -> dict[str, Any]:
    """Actor span F1 against S/T/R spans: exact and overlapping, role-aware (S,R ~ actor, T ~ recipient)."""
    exact = overlap = n_pred = n_gold = 0
    for g, c in zip(gold, coded, strict=True):
        ev = primary_event(c.events)
        predicted = []
        if ev:
            predicted += [("A", p.start, p.end) for p in ev.actor] + [("T", p.start, p.end) for p in ev.recipient]
        gold_spans = [("T" if r == "T" else "A", s, e) for r, s, e in g.spans]
        n_pred += len(predicted)
        n_gold += len(gold_spans)
        used: set[int] = set()
        for role, s, e in predicted:
            for k, (grole, gs, ge) in enumerate(gold_spans):
                if k in used or grole != role:
                    continue
                if (s, e) == (gs, ge):
                    exact += 1
                    overlap += 1
                    used.add(k)
                    break
                if s < ge and gs < e:
                    overlap += 1
                    used.add(k)
                    break

    def f1(hits: int) -> float:
        p = hits / n_pred if n_pred else 0.0
        r = hits / n_gold if n_gold else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    return {
        "exact_f1": f1(exact),
        "overlap_f1": f1(overlap),
        "predicted": n_pred,
        "gold": n_gold,
        "sentences": len(gold),
    }


def score_petrarch(records: Sequence[PetrarchRecord], coded: Sequence[Coded]) -> dict[str, Any]:
    with_type = matched = dropped = dropped_quiet = 0
    rows = []
    for r, c in zip(records, coded, strict=True):
        gold_types = {plover_for_cameo(code)[0] for code in r.codes if code}
        gold_types.discard(None)
        kinds = {cameo_convention(e) for e in c.events}
        if not gold_types:
            dropped += 1
            dropped_quiet += not c.events
            continue
        with_type += 1
        hit = bool(gold_types & kinds)
        matched += hit
        rows.append({"id": r.id, "gold": sorted(gold_types), "predicted": sorted(k for k in kinds if k), "match": hit})
    return {
        "records": len(records),
        "with_plover_type": with_type,
        "type_match_share": matched / with_type if with_type else 0.0,
        "no_plover_type": dropped,
        "no_plover_type_quiet": dropped_quiet,
        "rows": rows,
    }


def score_locations(items: Sequence[LocationItem], *, batch: int = 256) -> dict[str, Any]:
    """For each gold verb, pick a place among the sentence's resolved places; compare spans."""
    correct = has_gold = found_gold = predicted = predicted_right = 0
    for i in range(0, len(items), batch):
        chunk = items[i : i + batch]
        coded = resolve_texts([it.text for it in chunk])
        for it, c in zip(chunk, coded, strict=True):
            choice = link_place(c.text, c.annotation, it.verb, c.places, c.mentions)
            gold = it.location
            hit = choice is not None and gold is not None and choice.start < gold[1] and gold[0] < choice.end
            if gold is None:
                correct += choice is None
            else:
                has_gold += 1
                correct += hit
                found_gold += hit
            if choice is not None:
                predicted += 1
                predicted_right += hit
    n = len(items)
    return {
        "n": n,
        "accuracy": correct / n if n else 0.0,
        "recall_with_gold": found_gold / has_gold if has_gold else 0.0,
        "precision": predicted_right / predicted if predicted else 0.0,
        "with_gold_location": has_gold,
    }


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def iter_chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def counter_table(values: Iterable[str | None]) -> dict[str, int]:
    return dict(Counter(v or "-" for v in values).most_common())
