"""Quality gate: the time tagger on TBAQ-cleaned must not fall below pinned floors.

Floors sit a little under the figures measured with ``bench/times.py`` (see bench/results/
times.json). TimeBank is the development set; AQUAINT was held out while writing the rules.
Raise a floor when the tagger improves; never lower one without saying why in the change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.eval.timebank import TimexCounts, iter_tbaq, score_timexes, total
from dateline.resolve.times import find_times

pytestmark = pytest.mark.shared

# corpus -> metric -> floor. Measured (bench/times.py): TimeBank strict F1 0.892, relaxed F1 0.943,
# value F1 0.805, type acc 0.961; AQUAINT strict F1 0.822, relaxed F1 0.921, value F1 0.756, type acc 0.917.
FLOORS = {
    "TimeBank": {"strict_f1": 0.87, "relaxed_f1": 0.92, "value_f1": 0.79, "type_acc": 0.94},
    "AQUAINT": {"strict_f1": 0.80, "relaxed_f1": 0.90, "value_f1": 0.74, "type_acc": 0.90},
}


@pytest.fixture(scope="module")
def counts(shared_data: Path) -> dict[str, TimexCounts]:
    root = shared_data / "time" / "TBAQ-cleaned"
    if not root.is_dir():
        pytest.skip(f"{root} is absent")
    per: dict[str, list[TimexCounts]] = {c: [] for c in FLOORS}
    for doc in iter_tbaq(root, tuple(FLOORS)):
        per[doc.corpus].append(score_timexes(doc.timexes, find_times(doc.text, doc.dct, intervals=False)))
    return {c: total(v) for c, v in per.items()}


@pytest.mark.parametrize("corpus", list(FLOORS))
def test_floors(counts: dict[str, TimexCounts], corpus: str) -> None:
    scores = counts[corpus].scores()
    below = {k: round(scores[k], 4) for k, floor in FLOORS[corpus].items() if scores[k] < floor}
    assert not below, f"{corpus} fell below its floors {FLOORS[corpus]}: {below}"


def test_corpus_sizes(counts: dict[str, TimexCounts]) -> None:
    # TBAQ-cleaned: 183 TimeBank + 73 AQUAINT documents; the DCTs are not counted.
    assert counts["TimeBank"].gold == 1243
    assert counts["AQUAINT"].gold == 579
