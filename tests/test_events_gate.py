"""Quality gate for the event coder: pinned floors a little under the measured figures.

Measured (bench/events.py, same code): GSR macro-F1 0.838 (CAMEO intent convention) / 0.793
(strict v0.8), actor country accuracy 0.661, sector 0.769, recipient country 0.653; ConfliBERT
held-out quarter (every other odd line, 337 sentences) quad macro-F1 0.854, actor span overlap
F1 0.749; PETRARCH2 type match 0.121; event_location first 400 accuracy 0.613.
The GSR, PETRARCH and event_location sets are development sets (the rules were tuned on them);
ConfliBERT's odd lines are held out (rules were tuned on its even lines), so the ConfliBERT
floors are the ones that say something about new text. Skipped when ../shared/data is absent.
About 25 s.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.eval import events as ev
from dateline.eval.cli_events import _ANCHOR

FLOORS = {
    "gsr_macro_f1": 0.82,
    "gsr_strict_macro_f1": 0.77,
    "gsr_actor_country": 0.63,
    # sector is scored only on actors whose country is right: right sectors rose from 93 to 100,
    # but the actors scored rose from 117 to 130, so the share fell from 0.795 to 0.769
    "gsr_actor_sector": 0.74,
    "gsr_recipient_country": 0.62,
    # held-out lines now (the first 400 lines before: one block of the file, with its own label mix)
    "conflibert_quad_macro_f1": 0.83,
    "conflibert_span_overlap_f1": 0.72,
    "petrarch_type_share": 0.10,
    "location_accuracy": 0.59,
}


def test_gsr(shared_data: Path) -> None:
    gold = ev.read_gsr(shared_data / "events" / "plover" / "PLOVER_GSR_CAMEO.txt")
    assert len(gold) == 322
    scores = ev.score_gsr(gold, ev.code_texts([g.text for g in gold], anchor=_ANCHOR))
    assert scores["convention"]["macro_f1"] >= FLOORS["gsr_macro_f1"]
    assert scores["strict"]["macro_f1"] >= FLOORS["gsr_strict_macro_f1"]
    assert scores["actor_country_accuracy"] >= FLOORS["gsr_actor_country"]
    assert scores["actor_sector_accuracy"] >= FLOORS["gsr_actor_sector"]
    assert scores["recipient_country_accuracy"] >= FLOORS["gsr_recipient_country"]


def test_conflibert(shared_data: Path) -> None:
    sents = ev.conflibert_half(ev.read_conflibert(shared_data / "events" / "conflibert"), "heldout")[::2]
    scores = ev.score_conflibert(sents, ev.code_texts([s.text for s in sents], anchor=_ANCHOR))
    assert scores["quad"]["macro_f1"] >= FLOORS["conflibert_quad_macro_f1"]
    with_spans = [s for s in sents if s.ner_text]
    spans = ev.score_spans(with_spans, ev.code_texts([s.ner_text for s in with_spans], anchor=_ANCHOR))
    assert spans["overlap_f1"] >= FLOORS["conflibert_span_overlap_f1"]


def test_petrarch(shared_data: Path) -> None:
    records = ev.read_petrarch(shared_data / "events" / "petrarch2" / "PETR.UnitTest.records.xml")
    scores = ev.score_petrarch(records, ev.code_texts([r.text for r in records], anchor=_ANCHOR))
    assert scores["type_match_share"] >= FLOORS["petrarch_type_share"]


def test_event_location(shared_data: Path) -> None:
    items = ev.read_event_locations(shared_data / "events" / "event_location" / "labeled_text_dev.jsonl", 400)
    assert ev.score_locations(items)["accuracy"] >= FLOORS["location_accuracy"]


@pytest.mark.parametrize("name", ["gsr", "conflibert", "petrarch"])
def test_readers(shared_data: Path, name: str) -> None:
    folder = shared_data / "events"
    if name == "gsr":
        gold = ev.read_gsr(folder / "plover" / "PLOVER_GSR_CAMEO.txt")
        assert {g.event for g in gold} <= set(__import__("dateline.code", fromlist=["PLOVER_TYPES"]).PLOVER_TYPES)
    elif name == "conflibert":
        sents = ev.read_conflibert(folder / "conflibert")
        assert len(sents) == 1349 and sum(1 for s in sents if s.spans) > 800
    else:
        assert len(ev.read_petrarch(folder / "petrarch2" / "PETR.UnitTest.records.xml")) > 250
