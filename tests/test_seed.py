"""The founding article end to end: what issue 2 and issue 3 promise for it."""

from __future__ import annotations

import pytest

import dateline
from dateline.schema import validation_errors


@pytest.fixture(scope="module")
def seed(seed_text):
    return dateline.process(seed_text, uri="seed.txt").to_json()


def test_body_and_page_metadata(seed):
    paragraphs = [p["text"] for p in seed["paragraphs"]]
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("Japanese authorities are weighing informal talks with North Korea")
    assert paragraphs[-1].endswith("despite North Korean assertions that they had died.")
    assert not any("READ MORE" in p or "Listen Live" in p or "Get short URL" in p for p in paragraphs)
    assert seed["section"] == "Asia & Pacific"
    assert len(seed["tags"]) == 14 and seed["tags"][-1] == "Democratic Republic of North Korea (DPRK)"
    assert seed["read_more"] == ["First Day of G7: US Tariffs, NAFTA Deal, Trump-Kim Summit Dominated Agenda"]
    assert len(seed["related"]) == 4 and seed["related"][0].startswith("US Millionaire Who Dug Bunker")
    assert seed["language"] == "en"
    assert "\u00a0" not in seed["text"]
    assert validation_errors(seed) == []


def test_stated_date_is_not_trusted_and_why(seed):
    pub = seed["published"]
    assert pub["stated"] == "2021-03-01T16:48:00Z" and pub["stated_source"] == "page_text"
    assert pub["trusted"] is False
    reasons = " ".join(pub["reasons"])
    assert "Donald Trump" in reasons and "2021-01-20" in reasons
    assert pub["estimate"]["end"] == "2018-06-12"
    assert pub["estimate"]["start"] <= "2018-06-01"


def test_times_are_read_against_the_content_date(seed):
    values = {t["text"]: t["value"] for t in seed["times"]}
    assert values["June 12"] == "2018-06-12"
    assert values["next week"] == "2018-W24"
    assert values["September"] == "2018-09"
    assert values["1977 till 1983"] == "1977/1983"
    assert values["the 2000s"] == "200X"
    assert not any(t["text"].lower() == "may" for t in seed["times"])
    # anchored on an estimate, not a trusted date: confidence is lowered
    assert all(t["confidence"] < 0.9 for t in seed["times"] if t["anchored"])


@pytest.mark.parametrize(
    ("mention", "country"),
    [
        ("Tokyo", "JPN"),
        ("Japanese authorities", "JPN"),
        ("Abe", "JPN"),
        ("Pyongyang", "PRK"),
        ("DPRK", "PRK"),
        ("Kim", "PRK"),
    ],
)
def test_actors_resolve_to_their_countries(seed, mention, country):
    found = [
        m for m in seed["mentions"] if m["text"].removeprefix("the ").removeprefix("The ") == mention and m["actor"]
    ]
    assert found, f"no actor mention {mention!r}"
    assert {m["actor"]["country"] for m in found} == {country}


def test_office_holders_at_the_content_date(seed):
    by_text = {m["text"]: m["actor"] for m in seed["mentions"] if m["actor"]}
    assert by_text["Kim"]["name"] == "Kim Jong-un"
    assert by_text["Abe"]["name"] == "Shinzo Abe"


def test_vladivostok_is_its_geonames_city(seed):
    [vlad] = [p for p in seed["places"] if p["text"] == "Vladivostok"]
    assert vlad["geonameid"] == 2013348 and vlad["country_code"] == "RU" and vlad["resolution"] == "city"
