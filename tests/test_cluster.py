"""De-duplication: near-duplicate articles and one record per real-world event."""

from __future__ import annotations

import dataclasses

import pytest

from dateline.cluster import EventKey, article_clusters, event_clusters, pairwise_scores, same_event, shingles

BASE = (
    "Russia and Ukraine exchanged 35 prisoners each on Saturday in a long-awaited swap that freed the "
    "film director Oleg Sentsov and 24 Ukrainian sailors captured near the Kerch Strait last year, "
    "officials in Kyiv and Moscow said, calling it a first step towards ending the war in the east."
)


def test_shingles():
    assert shingles("a b c d e f", k=5) == {"a b c d e", "b c d e f"}
    assert shingles("Too short", k=5) == {"too short"}
    assert shingles("", k=5) == set()


def test_near_duplicates_cluster_and_distinct_articles_do_not():
    light_edit = BASE.replace("on Saturday", "on Saturday morning")
    other = "North Korea fired two short-range projectiles into the sea from Suncheon on Thursday, Seoul said."
    clusters = article_clusters([("b", BASE), ("a", light_edit), ("c", other)], threshold=0.7)
    assert clusters["a"] == clusters["b"] == "a"
    assert clusters.get("c", "c") == "c"


def _event(
    eid,
    article,
    event="CONSULT",
    actors=("JPN",),
    recipients=("KOR",),
    date="2019-08-01",
    enddate=None,
    cc="TH",
    lat=13.75,
    lon=100.5,
):
    record = {
        "id": eid,
        "event": event,
        "actor": [{"country": c} for c in actors],
        "recipient": [{"country": c} for c in recipients],
        "date": date,
        "enddate": enddate,
        "event_loc": {"country_code": cc, "lat": lat, "lon": lon},
    }
    return EventKey.from_record(record, article)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (_event("1", "x"), _event("2", "y"), True),
        (_event("1", "x"), _event("2", "y", actors=("KOR",), recipients=("JPN",)), True),  # symmetric type, crossed
        (
            _event("1", "x", event="ASSAULT"),
            _event("2", "y", event="ASSAULT", actors=("KOR",), recipients=("JPN",)),
            False,
        ),
        (_event("1", "x"), _event("2", "y", event="AGREE"), False),
        (_event("1", "x"), _event("2", "y", date="2019-08-20"), False),
        (_event("1", "x"), _event("2", "y", date="2019-08-02"), True),
        (_event("1", "x"), _event("2", "y", date="2019-08"), True),  # month precision overlaps
        (_event("1", "x"), _event("2", "y", cc="JP", lat=35.7, lon=139.7), False),
        (_event("1", "x"), _event("2", "y", actors=("CHN",), recipients=("USA",)), False),
        (_event("1", "x", date=None), _event("2", "y", date=None), False),
    ],
)
def test_same_event(a, b, same):
    assert same_event(a, b) is same


def test_undated_mentions_from_near_duplicate_articles_are_one_event():
    a, b = _event("1", "x", date=None), _event("2", "y", date=None)
    assert same_event(a, b, near_duplicates=True)
    assert event_clusters([a, b], {"x": "x", "y": "x"}) == {"1": "1", "2": "1"}


def test_event_clusters_are_transitive_and_stable():
    keys = [
        _event("3", "z", date="2019-08-03"),
        _event("1", "x"),
        _event("2", "y", date="2019-08-02"),
        _event("9", "w", event="ASSAULT"),
    ]
    clusters = event_clusters(keys)
    assert clusters == {"1": "1", "2": "1", "3": "1", "9": "9"}


def test_pairwise_scores():
    truth = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert pairwise_scores(truth, truth)["f1"] == 1.0
    merged = {"a": 1, "b": 1, "c": 1, "d": 1}
    s = pairwise_scores(merged, truth)
    assert s["recall"] == 1.0 and s["precision"] == pytest.approx(2 / 6)


def test_a_meeting_with_one_party_missing_joins_only_at_the_same_place():
    full = _event("1", "x", actors=("KOR",), recipients=("JPN",))
    partial = _event("2", "y", actors=("JPN",), recipients=())
    assert same_event(full, partial)
    elsewhere = _event("3", "z", actors=("JPN",), recipients=(), cc=None, lat=None, lon=None)
    assert not same_event(full, elsewhere)


def test_planned_and_actual_events_stay_apart():
    planned = EventKey.from_record(
        {
            "id": "1",
            "event": "CONSULT",
            "aux": ["future"],
            "actor": [{"country": "USA"}],
            "recipient": [{"country": "PRK"}],
            "date": "2018-06-12",
        },
        "x",
    )
    held = EventKey.from_record(
        {
            "id": "2",
            "event": "CONSULT",
            "aux": [],
            "actor": [{"country": "USA"}],
            "recipient": [{"country": "PRK"}],
            "date": "2018-06-12",
        },
        "y",
    )
    assert not same_event(planned, held)
    assert same_event(planned, dataclasses.replace(held, id="3", status=frozenset({"future"})))


def test_statements_ignore_where_the_sentence_put_them():
    a = _event("1", "x", event="ACCUSE", actors=("GBR",), recipients=("RUS",), cc="GB", lat=51.5, lon=-0.1)
    b = _event("2", "y", event="ACCUSE", actors=("GBR",), recipients=("RUS",), cc="RU", lat=55.7, lon=37.6)
    assert same_event(a, b)


def test_a_missing_recipient_is_compatible():
    assert same_event(
        _event("1", "x", event="SANCTION", actors=("USA",), recipients=()),
        _event("2", "y", event="SANCTION", actors=("USA",), recipients=("TUR",)),
    )


def test_containment_catches_a_copy_with_a_paragraph_added():
    extra = " ".join(f"word{i}" for i in range(60))
    clusters = article_clusters([("a", BASE), ("b", BASE + " " + extra)], threshold=0.8)
    assert clusters.get("a") == clusters.get("b") == "a"


def test_mentions_in_one_article_merge_when_they_agree():
    keys = [_event("1", "x"), _event("2", "x", date="2019-08-01")]
    assert event_clusters(keys) == {"1": "1", "2": "1"}
