"""Actor resolution: the seed article, other countries and eras, the tables and user files."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from pathlib import Path

import pytest

from dateline.annotate import annotate_text
from dateline.records import Mention
from dateline.resolve.actors import resolve_actors
from dateline.resolve.dictionaries import parse_actor_dictionary, parse_entries
from dateline.resolve.registry import load_file, load_registry, parse_csv, parse_toml

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "actors"
SEED_DATE = dt.date(2018, 6, 5)


@functools.lru_cache(maxsize=64)
def _resolve(text: str, date: dt.date | None = SEED_DATE, paths: tuple[str, ...] = ()) -> list[Mention]:
    return resolve_actors(text, annotate_text(text), date=date, registry=load_registry(paths))


def _find(mentions: list[Mention], text: str) -> list[Mention]:
    return [m for m in mentions if m.text == text]


@pytest.fixture(scope="module")
def seed_mentions(seed_text: str) -> list[Mention]:
    return _resolve(seed_text)


@pytest.mark.parametrize(
    ("text", "country", "sector", "name"),
    [
        ("Tokyo", "JPN", "GOV", "Japan government"),
        ("Japanese authorities", "JPN", "GOV", "Japan government"),
        ("the Japanese authorities", "JPN", "GOV", "Japan government"),
        ("Abe", "JPN", "GOV", "Shinzo Abe"),
        ("Pyongyang", "PRK", "GOV", "North Korea government"),
        ("the DPRK", "PRK", None, "North Korea"),
        ("Kim", "PRK", "GOV", "Kim Jong-un"),
        ("the North Korean side", "PRK", "GOV", "North Korea government"),
        ("the Japanese premier", "JPN", "GOV", "Shinzo Abe"),
        ("the North Korean leader", "PRK", "GOV", "Kim Jong-un"),
        ("The Mainichi", "JPN", "JRN", "Mainichi Shimbun"),
        ("the Disarmament and Peace Institute", "PRK", "GOV", "Disarmament and Peace Institute"),
        ("Foreign Ministry", "JPN", "GOV", "Foreign Ministry"),
        ("US President Donald Trump", "USA", "GOV", "Donald Trump"),
        ("North Korean agents", "PRK", "SPY", "North Korea intelligence"),
        ("Japanese nationals", "JPN", "CVL", "Japan civilians"),
    ],
)
def test_seed_mentions(seed_mentions: list[Mention], text: str, country: str, sector: str | None, name: str) -> None:
    found = _find(seed_mentions, text)
    assert found, f"no mention {text!r} in {[m.text for m in seed_mentions]}"
    for m in found:
        assert m.actor is not None
        assert (m.actor.country, m.actor.sector, m.actor.name) == (country, sector, name), m
        assert 0 < m.confidence <= 1 and m.resolved_by


def test_seed_roles_and_places(seed_mentions: list[Mention]) -> None:
    premier = _find(seed_mentions, "the Japanese premier")[0].actor
    assert premier and (premier.role, premier.role_start, premier.role_end) == (
        "head_of_government",
        "2012-12-26",
        "2020-09-16",
    )
    trump = _find(seed_mentions, "US President Donald Trump")[0].actor
    assert trump and (trump.role, trump.role_start, trump.role_end) == ("head_of_state", "2017-01-20", "2021-01-20")
    texts = {m.text for m in seed_mentions}
    # places are not actors: "on Russian and Mongolian soil", "a forum in Mongolia", "in Tokyo or Pyongyang"
    assert not any("soil" in t for t in texts)
    assert all(m.actor.kind == "country" and m.actor.sector == "GOV" for m in _find(seed_mentions, "Pyongyang"))
    tokyo = [m for m in _find(seed_mentions, "Tokyo") if m.resolved_by == "alias:capital as government"]
    assert len(tokyo) == 1  # "Tokyo hopes", not "talks either in Tokyo or Pyongyang"
    assert len(_find(seed_mentions, "Pyongyang")) == 1  # "abducted by Pyongyang"


def test_seed_ner_corrections(seed_mentions: list[Mention]) -> None:
    mainichi = _find(seed_mentions, "The Mainichi")[0]
    assert mainichi.resolved_by == "alias:media (NER said GPE)"
    dprk = _find(seed_mentions, "the DPRK")[0]
    assert dprk.actor and dprk.actor.kind == "country" and "NER said ORG" in (dprk.resolved_by or "")


def test_seed_kim_without_date(seed_text: str) -> None:
    mentions = _resolve(seed_text, None)
    kims = [m for m in mentions if m.text == "Kim"]
    assert kims and all(m.actor and m.actor.name == "Kim Jong-un" for m in kims)


@pytest.mark.parametrize(
    ("text", "date", "span", "name"),
    [
        (
            "The British prime minister met union leaders.",
            dt.date(2005, 3, 1),
            "The British prime minister",
            "Tony Blair",
        ),
        (
            "The British prime minister met union leaders.",
            dt.date(2020, 3, 1),
            "The British prime minister",
            "Boris Johnson",
        ),
        ("The German chancellor spoke in Berlin.", dt.date(2010, 5, 1), "The German chancellor", "Angela Merkel"),
        ("The German chancellor spoke to reporters.", dt.date(2023, 5, 1), "The German chancellor", "Olaf Scholz"),
        ("The Russian president warned Kyiv.", dt.date(2009, 5, 1), "The Russian president", "Dmitry Medvedev"),
        ("The Russian president warned Kyiv.", dt.date(2015, 5, 1), "The Russian president", "Vladimir Putin"),
        ("The Chinese premier visited Africa.", dt.date(2015, 5, 1), "The Chinese premier", "Li Keqiang"),
        ("The French president called the Kremlin.", dt.date(2019, 1, 1), "The French president", "Emmanuel Macron"),
        (
            "The Indian prime minister said Pakistan must act.",
            dt.date(2010, 1, 1),
            "The Indian prime minister",
            "Manmohan Singh",
        ),
        (
            "The Ukrainian president visited Warsaw.",
            dt.date(2023, 1, 1),
            "The Ukrainian president",
            "Volodymyr Zelensky",
        ),
        ("Iran's supreme leader denounced the deal.", dt.date(2018, 1, 1), "Iran's supreme leader", "Ali Khamenei"),
        ("The South Korean president met Kim.", dt.date(2018, 4, 27), "The South Korean president", "Moon Jae-in"),
        ("The US secretary of state flew to Seoul.", dt.date(2019, 1, 1), "The US secretary of state", "Mike Pompeo"),
    ],
)
def test_offices_by_date(text: str, date: dt.date, span: str, name: str) -> None:
    found = _find(_resolve(text, date), span)
    assert found, [m.text for m in _resolve(text, date)]
    assert found[0].actor and found[0].actor.name == name
    assert found[0].resolved_by == "registry:office@date"


@pytest.mark.parametrize(
    ("text", "span", "country", "sector"),
    [
        ("The Kremlin rejected the claims on Monday.", "The Kremlin", "RUS", "GOV"),
        ("Beijing warned Washington against new tariffs.", "Beijing", "CHN", "GOV"),
        ("Beijing warned Washington against new tariffs.", "Washington", "USA", "GOV"),
        ("Israeli troops entered the town.", "Israeli troops", "ISR", "MIL"),
        ("Syrian rebels shelled the base.", "Syrian rebels", "SYR", "REB"),
        ("French police arrested three men.", "French police", "FRA", "COP"),
        ("NATO said the drills would continue.", "NATO", "IGO", "MIL"),
        ("Reuters reported the talks had stalled.", "Reuters", "GBR", "JRN"),
        ("Yonhap said the missile flew 400 km.", "Yonhap", "KOR", "JRN"),
        ("The UAE and KSA signed a pact.", "The UAE", "ARE", None),
        ("The UAE and KSA signed a pact.", "KSA", "SAU", None),
    ],
)
def test_other_actors(text: str, span: str, country: str, sector: str | None) -> None:
    found = _find(_resolve(text, None), span)
    assert found, [m.text for m in _resolve(text, None)]
    assert found[0].actor and (found[0].actor.country, found[0].actor.sector) == (country, sector)


@pytest.mark.parametrize(
    "text",
    [
        "The summit was held in Beijing last week.",
        "Delegates arrived at Tokyo on Tuesday.",
        "Troops massed on Russian soil near the border.",
        "Students learn the Japanese language.",
        "Let us meet in May.",
    ],
)
def test_places_and_words_are_not_actors(text: str) -> None:
    assert _resolve(text, None) == []


def test_person_with_title_and_country() -> None:
    found = _resolve("Prime Minister Boris Johnson resigned.", None)
    assert found[0].text == "Prime Minister Boris Johnson"
    assert found[0].actor and found[0].actor.role == "head_of_government"


def test_registry_tables() -> None:
    reg = load_registry()
    assert len(reg.countries) >= 249 and reg.countries["PRK"].abbreviations == ("DPRK",)
    assert "Tokyo" in reg.countries["JPN"].capitals
    assert reg.sectors["agents"] == "SPY" and reg.sectors["premier"] == "GOV"
    assert any(o.name == "United Nations" and o.wikidata == "Q1065" for o in reg.organisations)
    assert {p.name for p in reg.holders("JPN", "head_of_government", SEED_DATE)} == {"Shinzo Abe"}
    assert {p.name for p in reg.holders("USA", "head_of_state", dt.date(2021, 3, 1))} == {"Joe Biden"}
    assert len(reg.people) >= 300


def test_people_terms_are_consistent() -> None:
    """No term ends before it starts, and no office has two holders on the same day."""
    reg = load_registry()
    by_office: dict[tuple[str, str], list] = {}
    for p in reg.people:
        assert p.start is not None, p
        assert p.end is None or p.start <= p.end, p
        by_office.setdefault((p.country, p.role), []).append(p)
    for office, terms in by_office.items():
        terms.sort(key=lambda p: p.start)
        for a, b in itertools.pairwise(terms):
            assert a.end is not None and a.end <= b.start, (office, a.name, b.name)


def test_user_csv_actor() -> None:
    path = str(FIXTURES / "user_people.csv")
    mentions = _resolve("New Zealand's prime minister Jane Roe visited Fiji.", dt.date(2032, 1, 1), (path,))
    roe = [m for m in mentions if m.actor and m.actor.name == "Jane Roe"]
    assert roe and roe[0].actor.role_start == "2031-01-01"
    later = _resolve("The New Zealand prime minister spoke.", dt.date(2032, 6, 1), (path,))
    assert later[0].actor and later[0].actor.name == "Jane Roe"


def test_user_toml_organisation() -> None:
    reg = load_file(FIXTURES / "user_orgs.toml")
    assert reg.organisations[0].aliases == ("ELF",) and reg.organisations[0].sector == "REB"
    text = "The ELF claimed the attack."
    mentions = resolve_actors(text, annotate_text(text), registry=load_registry((str(FIXTURES / "user_orgs.toml"),)))
    assert mentions[0].actor and mentions[0].actor.name == "Example Liberation Front"


def test_petrarch_dictionary() -> None:
    text = (FIXTURES / "tiny.actors.txt").read_text(encoding="utf-8")
    entries = parse_entries(text)
    assert [e.phrase for e in entries] == ["Freedonia", "Rufus T Firefly", "Trentino", "Sylvania Army"]
    assert entries[1].synonyms == ["Firefly"]
    assert entries[1].codes == [
        ("FRDELI", None, None),
        ("FRDGOV", dt.date(2033, 1, 1), dt.date(2033, 12, 31)),
        ("FRDGOV", dt.date(2035, 6, 15), None),
    ]
    reg = parse_actor_dictionary(text)
    assert [(p.name, p.start, p.end) for p in reg.people] == [
        ("Rufus T Firefly", dt.date(2033, 1, 1), dt.date(2033, 12, 31)),
        ("Rufus T Firefly", dt.date(2035, 6, 15), None),
        ("Trentino", None, dt.date(1933, 12, 31)),
    ]
    army = next(o for o in reg.organisations if o.name == "Sylvania Army")
    assert (army.country, army.sector) == ("SYL", "MIL")
    mentions = resolve_actors(
        "Rufus T Firefly spoke.",
        annotate_text("Rufus T Firefly spoke."),
        date=dt.date(2033, 5, 1),
        registry=load_registry((str(FIXTURES / "tiny.actors.txt"),)),
    )
    assert mentions[0].actor and mentions[0].actor.country == "FRD"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,aliases,country,role,titles,start,end,wikidata\nX,,USA,head_of_state,,2020-13-01,,\n", "ISO date"),
        ("foo,bar\n1,2\n", "Cannot tell"),
    ],
)
def test_bad_user_csv(content: str, message: str) -> None:
    from dateline.errors import ConfigError

    with pytest.raises(ConfigError, match=message):
        parse_csv(content)


def test_bad_toml_table() -> None:
    from dateline.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown actor table"):
        parse_toml("[[leaders]]\nname = 'x'\n")


def test_capital_before_a_time_phrase_keeps_its_role():
    from dateline.annotate import annotate_text
    from dateline.resolve.actors import resolve_actors

    text = "Tokyo wants to settle the fate of Japanese nationals abducted by Pyongyang decades ago, the sources said."
    mentions = resolve_actors(text, annotate_text(text))
    found = {m.text: m.actor.country for m in mentions if m.actor}
    assert found.get("Pyongyang") == "PRK"
