"""Geoparsing gold sets and scores (Gritta et al. 2018, "What's missing in geoparsing?";
Gritta, Pilehvar and Collier 2019, "A pragmatic guide to geoparsing evaluation").

Readers:

- ``read_lgl``: LGL, local news (Lieberman et al. 2010) as ``lgl.xml``: ``<article>`` with
  ``<text>`` and ``<toponyms>``, each ``<toponym>`` with character ``<start>``/``<end>``,
  ``<phrase>`` and, when it was grounded, a ``<gaztag geonameid=...>`` holding ``<lat>``,
  ``<lon>`` and ``<fcode>``.
- ``read_geovirus``: GeoVirus, WikiNews (Gritta et al. 2018) as ``GeoVirus.xml``: ``<article>``
  with ``<text>`` and ``<locations>``, each ``<location>`` with ``<name>``, ``<start>``,
  ``<end>``, ``<lat>``, ``<lon>`` and a Wikipedia ``<page>``. Its offsets count from 1 (every
  one of its 2,170 spans is one character right of its name); the reader shifts them.

Scores: ``resolution_scores`` (accuracy within 161 km, AUC of the log error curve, mean and
median error), ``tagging_scores`` (toponym detection P/R/F1, exact and overlapping spans).
A toponym the resolver leaves without coordinates counts at the largest possible error,
20,039 km (half the Earth's circumference), as in Gritta et al.
"""

from __future__ import annotations

import itertools
import math
import statistics
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MAX_ERROR_KM = 20039.0
ACCURACY_KM = 161.0  # 100 miles


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None

    @property
    def grounded(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass
class GeoDocument:
    id: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def read_lgl(path: str | Path) -> list[GeoDocument]:
    """LGL articles with their toponyms; those without a gaztag have no coordinates."""
    docs = []
    root = ET.parse(path).getroot()
    for index, article in enumerate(root.iter("article")):
        text = article.findtext("text") or ""
        toponyms = []
        for node in article.iter("toponym"):
            start, end = int(node.findtext("start") or 0), int(node.findtext("end") or 0)
            gaz = node.find("gaztag")
            if gaz is None:
                toponyms.append(GoldToponym(start, end, node.findtext("phrase") or text[start:end]))
                continue
            gid = gaz.get("geonameid")
            toponyms.append(
                GoldToponym(
                    start,
                    end,
                    node.findtext("phrase") or text[start:end],
                    _float(gaz.findtext("lat")),
                    _float(gaz.findtext("lon")),
                    int(gid) if gid and gid.isdigit() else None,
                    gaz.findtext("fcode"),
                )
            )
        docs.append(GeoDocument(article.get("docid") or str(index), text, sorted(toponyms, key=lambda t: t.start)))
    return docs


def read_geovirus(path: str | Path) -> list[GeoDocument]:
    """GeoVirus articles (WikiNews) with their grounded locations."""
    docs = []
    root = ET.parse(path).getroot()
    for index, article in enumerate(root.iter("article")):
        text = article.findtext("text") or ""
        toponyms = []
        for node in article.iter("location"):
            start, end = int(node.findtext("start") or 0), int(node.findtext("end") or 0)
            name = node.findtext("name") or ""
            if text[start:end] != name and text[start - 1 : end - 1] == name:
                start, end = start - 1, end - 1  # GeoVirus counts from 1
            toponyms.append(
                GoldToponym(
                    start,
                    end,
                    name or text[start:end],
                    _float(node.findtext("lat")),
                    _float(node.findtext("lon")),
                )
            )
        docs.append(GeoDocument(str(index), text, sorted(toponyms, key=lambda t: t.start)))
    return docs


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def error_km(gold: GoldToponym, lat: float | None, lon: float | None) -> float:
    """Distance from the gold point; the maximum error when either side has no coordinates."""
    if gold.lat is None or gold.lon is None or lat is None or lon is None:
        return MAX_ERROR_KM
    return min(MAX_ERROR_KM, haversine_km(gold.lat, gold.lon, lat, lon))


def auc_of_errors(errors: Sequence[float]) -> float:
    """Area under the sorted curve of ln(1 + error), scaled to [0, 1] by ln(20039); lower is better.

    Gritta et al.'s definition: the errors sorted ascending are the y values at x = 0..n-1,
    the area is taken with the trapezoid rule and divided by the area of the worst curve,
    ln(MAX_ERROR_KM) * (n - 1).

    >>> auc_of_errors([0.0, 0.0]), round(auc_of_errors([MAX_ERROR_KM, MAX_ERROR_KM]), 3)
    (0.0, 1.0)
    """
    if not errors:
        return 0.0
    ys = [math.log(1.0 + e) for e in sorted(errors)]
    if len(ys) == 1:
        return ys[0] / math.log(MAX_ERROR_KM)
    area = sum((a + b) / 2 for a, b in itertools.pairwise(ys))
    return area / (math.log(MAX_ERROR_KM) * (len(ys) - 1))


def resolution_scores(errors: Sequence[float]) -> dict[str, float]:
    """acc@161 km, AUC, mean and median error (km) of a list of errors."""
    if not errors:
        return {"n": 0, "acc161": 0.0, "auc": 0.0, "mean_km": 0.0, "median_km": 0.0}
    return {
        "n": len(errors),
        "acc161": sum(e <= ACCURACY_KM for e in errors) / len(errors),
        "auc": auc_of_errors(errors),
        "mean_km": statistics.fmean(errors),
        "median_km": statistics.median(errors),
    }


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match_spans(gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index): exact matches first, then one-to-one overlaps."""
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    exact = {span: i for i, span in enumerate(predicted)}
    for gi, span in enumerate(gold):
        pi = exact.get(span)
        if pi is not None and pi not in used_pred:
            pairs.append((gi, pi))
            used_gold.add(gi)
            used_pred.add(pi)
    for gi, span in enumerate(gold):
        if gi in used_gold:
            continue
        for pi, other in enumerate(predicted):
            if pi not in used_pred and _overlaps(span, other):
                pairs.append((gi, pi))
                used_gold.add(gi)
                used_pred.add(pi)
                break
    return pairs


@dataclass
class TaggingCounts:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap: int = 0

    def add(self, gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        pairs = match_spans(gold, predicted)
        self.gold += len(gold)
        self.predicted += len(predicted)
        self.overlap += len(pairs)
        self.exact += sum(gold[g] == predicted[p] for g, p in pairs)
        return pairs

    def scores(self) -> dict[str, float]:
        out: dict[str, float] = {"gold": self.gold, "predicted": self.predicted}
        for name, hits in (("exact", self.exact), ("overlap", self.overlap)):
            p = hits / self.predicted if self.predicted else 0.0
            r = hits / self.gold if self.gold else 0.0
            out[f"{name}_p"] = p
            out[f"{name}_r"] = r
            out[f"{name}_f1"] = 2 * p * r / (p + r) if p + r else 0.0
        return out


def tagging_scores(pairs: Iterable[tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]]]]) -> dict[str, float]:
    """P/R/F1 of predicted toponym spans against gold spans, over many documents."""
    counts = TaggingCounts()
    for gold, predicted in pairs:
        counts.add(gold, predicted)
    return counts.scores()


# -- runners (resolver against a gold set) ----------------------------------------------------


def score_given_spans(docs: Sequence[GeoDocument], show_errors: int = 0) -> dict[str, float]:
    """Resolve the gold spans of each document; errors over the grounded gold toponyms.

    ``show_errors``: print up to that many misses (over 161 km) to stderr, for error analysis.
    """
    from dateline.resolve.places import resolve_spans

    errors: list[float] = []
    shown = 0
    for doc in docs:
        places = resolve_spans(doc.text, [(t.start, t.end) for t in doc.toponyms])
        for gold, place in zip(doc.toponyms, places, strict=True):
            if not gold.grounded:
                continue
            err = error_km(gold, place.lat, place.lon)
            errors.append(err)
            if show_errors and err > ACCURACY_KM and shown < show_errors:
                shown += 1
                print(
                    f"  {gold.text!r} gold ({gold.lat}, {gold.lon}) {gold.feature or ''}"
                    f" -> {place.name} {place.country_code} {place.feature} {err:.0f} km",
                    file=sys.stderr,
                )
    return resolution_scores(errors)


def score_end_to_end(docs: Sequence[GeoDocument], *, include_metonyms: bool = True) -> dict[str, float]:
    """Our own detection (spaCy + gazetteer) and resolution against the gold spans.

    Metonymic places ("Tokyo hopes") are kept: the gold sets annotate every toponym.
    """
    from dateline.annotate import annotate_texts
    from dateline.resolve.places import resolve_places

    counts = TaggingCounts()
    errors: list[float] = []
    annotations = annotate_texts([d.text for d in docs], batch_size=32)
    for doc, ann in zip(docs, annotations, strict=True):
        places = resolve_places(doc.text, ann, include_metonyms=include_metonyms)
        gold = [(t.start, t.end) for t in doc.toponyms]
        predicted = [(p.start, p.end) for p in places]
        for gi, pi in counts.add(gold, predicted):
            if doc.toponyms[gi].grounded:
                errors.append(error_km(doc.toponyms[gi], places[pi].lat, places[pi].lon))
    out = counts.scores()
    matched = resolution_scores(errors)
    out["matched_n"] = matched["n"]
    out["matched_acc161"] = matched["acc161"]
    out["matched_auc"] = matched["auc"]
    return out
