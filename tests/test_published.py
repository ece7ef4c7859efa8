"""The publication-date check: titled people, office holders, upcoming days, related headlines."""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from dateline.annotate import annotate_text
from dateline.records import Mention
from dateline.resolve.actors import resolve_actors
from dateline.resolve.published import check_published

SEED_STATED = dt.datetime(2021, 3, 1, 16, 48, tzinfo=dt.UTC)
SEED_RELATED = [
    "Nobel Peace Prize Winner to Pay for Kim Jong-un in Upcoming US-DPRK Summit",
    "Who Will Pay for Kim Jong-un's Hotel Room During US-DPRK Summit?",
]


@functools.lru_cache(maxsize=32)
def _mentions(text: str, date: dt.date | None) -> list[Mention]:
    return resolve_actors(text, annotate_text(text), date=date)


def test_seed_is_untrusted(seed_text: str) -> None:
    mentions = _mentions(seed_text, SEED_STATED.date())
    published = check_published(SEED_STATED, seed_text, mentions, None, SEED_RELATED, stated_source="page_text")
    assert published.trusted is False
    assert published.stated == "2021-03-01T16:48:00+00:00" and published.stated_source == "page_text"
    trump = [r for r in published.reasons if r.startswith("Donald Trump is called US President")]
    assert trump and "2021-01-20" in trump[0] and "the stated date 2021-03-01 is after" in trump[0]
    assert any("Shinzo Abe" in r and "2020-09-16" in r for r in published.reasons)
    # Trump's first term and Abe's second overlap from 2017-01-20 to 2020-09-16; the upcoming
    # US-North Korea summit "slated for June 12" is the Singapore summit (known_events.csv), so
    # the article comes before 2018-06-12 and at most a year before it
    assert any("US–North Korea summit (Singapore)" in r for r in published.reasons)
    assert published.estimate_end == "2018-06-12"
    assert published.estimate_start == "2017-06-11"
    assert published.to_json()["estimate"] == {"start": "2017-06-11", "end": "2018-06-12"}


def test_seed_at_its_real_date_is_trusted(seed_text: str) -> None:
    stated = dt.datetime(2018, 6, 5, 9, 0)
    published = check_published(stated, seed_text, _mentions(seed_text, stated.date()), None, SEED_RELATED)
    assert published.trusted is True
    assert published.reasons[0].startswith("No content contradicts the stated date")
    assert "June 12" in published.reasons[0]


@pytest.mark.parametrize(
    ("text", "stated", "trusted", "start", "end"),
    [
        (
            "US President Barack Obama met the Japanese premier on Monday.",
            "2019-05-01",
            False,
            "2009-01-20",
            "2017-01-20",
        ),
        (
            "US President Barack Obama met the Japanese premier on Monday.",
            "2012-05-01",
            True,
            "2009-01-20",
            "2017-01-20",
        ),
        (
            "German Chancellor Angela Merkel and French President Emmanuel Macron met.",
            "2018-01-01",
            True,
            "2017-05-14",
            "2021-12-08",
        ),
        (
            "German Chancellor Angela Merkel and French President Emmanuel Macron met.",
            "2022-06-01",
            False,
            "2017-05-14",
            "2021-12-08",
        ),
        ("Former US President Barack Obama spoke at the forum.", "2022-06-01", None, None, None),
        ("The weather was mild on Tuesday.", "2022-06-01", None, None, None),
    ],
)
def test_titled_people_bound_the_date(
    text: str, stated: str, trusted: bool | None, start: str | None, end: str | None
) -> None:
    when = dt.date.fromisoformat(stated)
    published = check_published(dt.datetime.combine(when, dt.time()), text, _mentions(text, when), None, [])
    assert published.trusted is trusted, published.reasons
    assert (published.estimate_start, published.estimate_end) == (start, end)
    assert published.reasons


def test_weekday_pins_the_year() -> None:
    text = "Prime Minister Theresa May said the vote, scheduled for Tuesday, January 15, would go ahead."
    published = check_published(dt.datetime(2019, 1, 10), text, _mentions(text, dt.date(2019, 1, 10)), None, [])
    assert published.trusted is True
    assert published.estimate_end == "2019-01-15"  # the only Tuesday 15 January in May's term


def test_related_headline_bounds_the_date() -> None:
    published = check_published(
        dt.datetime(2024, 1, 1), "Markets were calm.", [], None, ["President Barack Obama Signs Budget Deal"]
    )
    assert published.trusted is False
    assert "related headline" in published.reasons[0]


def test_nothing_to_check() -> None:
    published = check_published(None, "", [], None, [])
    assert published.trusted is None and published.reasons


def test_known_event_picks_the_year_only_when_named() -> None:
    from dateline.resolve.published import _known_days

    assert [d.isoformat() for d, _ in _known_days("the upcoming Trump-Kim summit, slated for June 12", 6, 12)] == [
        "2018-06-12"
    ]
    assert _known_days("the upcoming trade talks, slated for June 12", 6, 12) == []
    assert _known_days("the upcoming Trump–Kim summit, slated for June 13", 6, 13) == []
