"""Quality gate for places: floors a little under the measured figures on bounded subsets.

Measured (bench/geo.py, weights tuned on LGL, GeoVirus held out): resolution given gold spans,
first 300 LGL articles acc@161 0.813 / AUC 0.216, all of GeoVirus 0.782 / 0.340; end to end on
the first 40 articles, LGL exact F1 0.655 (acc@161 on matched 0.842), GeoVirus 0.874 (0.711).
Raise a floor when the resolver gets better; never lower one to make a change pass.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dateline.eval.geo import read_geovirus, read_lgl, score_end_to_end, score_given_spans

pytestmark = pytest.mark.shared


def _gold(path: Path, read: Callable[[Path], list]) -> list:
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return read(path)


@pytest.fixture(scope="module")
def lgl(shared_data: Path) -> list:
    return _gold(shared_data / "geo" / "lgl.xml", read_lgl)


@pytest.fixture(scope="module")
def geovirus(shared_data: Path) -> list:
    return _gold(shared_data / "geo" / "GeoVirus.xml", read_geovirus)


def test_readers_see_the_whole_sets(lgl: list, geovirus: list) -> None:
    assert len(lgl) == 588 and sum(len(d.toponyms) for d in lgl) == 5088
    assert len(geovirus) == 229 and sum(len(d.toponyms) for d in geovirus) == 2170
    for doc in geovirus[:20] + lgl[:20]:
        for t in doc.toponyms:
            assert doc.text[t.start : t.end] == t.text


def test_resolution_given_spans_lgl(lgl: list) -> None:
    scores = score_given_spans(lgl[:300])
    assert scores["acc161"] >= 0.79, scores
    assert scores["auc"] <= 0.24, scores


def test_resolution_given_spans_geovirus(geovirus: list) -> None:
    scores = score_given_spans(geovirus)
    assert scores["acc161"] >= 0.76, scores
    assert scores["auc"] <= 0.36, scores


def test_end_to_end_lgl(lgl: list) -> None:
    scores = score_end_to_end(lgl[:40])
    assert scores["exact_f1"] >= 0.62, scores
    assert scores["matched_acc161"] >= 0.80, scores


def test_end_to_end_geovirus(geovirus: list) -> None:
    scores = score_end_to_end(geovirus[:40])
    assert scores["exact_f1"] >= 0.84, scores
    assert scores["matched_acc161"] >= 0.67, scores
