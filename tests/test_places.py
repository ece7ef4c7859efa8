"""Places: the offline gazetteer, mention finding, ranking, and the geoparsing scores."""

from __future__ import annotations

import math

import pytest

from dateline.eval.geo import (
    MAX_ERROR_KM,
    GoldToponym,
    auc_of_errors,
    error_km,
    haversine_km,
    match_spans,
    resolution_scores,
    tagging_scores,
)
from dateline.resolve.gazetteer import country_alpha2, country_alpha3, load_gazetteer, name_key
from dateline.resolve.places import resolve_places, resolve_spans


def spans_of(text: str, *names: str) -> list[tuple[int, int]]:
    """Character spans of each name, in order, searching after the previous one."""
    out, pos = [], 0
    for name in names:
        start = text.index(name, pos)
        out.append((start, start + len(name)))
        pos = start + len(name)
    return out


# -- gazetteer --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("the Gaza Strip", "gaza strip"),
        ("St. Louis", "saint louis"),
        ("Ft. Worth", "fort worth"),
        ("Port-au-Prince", "port au prince"),
        ("Zürich", "zurich"),
        ("North Korea's", "north korea"),
        ("  New   York ", "new york"),
    ],
)
def test_name_key_folds_variants(name: str, key: str) -> None:
    assert name_key(name) == key


@pytest.mark.parametrize(
    ("name", "geonameid", "country", "feature"),
    [
        ("Vladivostok", 2013348, "RU", "PPL"),
        ("Mongolia", 2029969, "MN", "PCLI"),
        ("Pyongyang", 1871859, "KP", "PPLC"),
        ("Tokyo", 1850147, "JP", "PPLC"),
        ("DPRK", 1873107, "KP", "PCLI"),
        ("U.S.", 6252001, "US", "PCLI"),
        ("Britain", 2635167, "GB", "PCLI"),
        ("Europe", 6255148, None, "CONT"),
    ],
)
def test_gazetteer_knows_geonames_identities(name: str, geonameid: int, country: str | None, feature: str) -> None:
    entries = load_gazetteer().lookup(name)
    assert any(e.geonameid == geonameid and e.country_code == country and e.feature == feature for e in entries), (
        entries[:3]
    )


@pytest.mark.parametrize(
    ("word", "country"),
    [("Mongolian", "MN"), ("Russian", "RU"), ("Japanese", "JP"), ("North Korean", "KP"), ("Russians", "RU")],
)
def test_demonyms_name_countries(word: str, country: str) -> None:
    entry = load_gazetteer().adjective(word)
    assert entry is not None and entry.country_code == country and entry.kind == "country"


def test_every_country_has_a_point() -> None:
    gaz = load_gazetteer()
    for code in ("US", "RU", "CN", "MN", "KP", "PS", "XK", "SS"):
        entry = gaz.country(code)
        assert entry is not None and entry.lat is not None and entry.lon is not None, code


def test_states_and_regions_have_points_and_codes() -> None:
    gaz = load_gazetteer()
    georgia = gaz.admin1("US", "GA")
    assert georgia is not None and georgia.geonameid == 4197000 and georgia.feature == "ADM1"
    far_east = gaz.region("the Russian Far East")
    assert far_east is not None and far_east.country_code == "RU" and far_east.kind == "region"
    assert "KY" in gaz.us_county_states("Laurel County")


@pytest.mark.parametrize(
    ("alpha2", "alpha3"), [("MN", "MNG"), ("ru", "RUS"), ("KP", "PRK"), ("XK", "XKX"), ("XX", None), (None, None)]
)
def test_country_alpha3(alpha2: str | None, alpha3: str | None) -> None:
    assert country_alpha3(alpha2) == alpha3


@pytest.mark.parametrize(("code", "alpha2"), [("JPN", "JP"), ("jp", "JP"), ("ZZZ", None)])
def test_country_alpha2(code: str, alpha2: str | None) -> None:
    assert country_alpha2(code) == alpha2


# -- ranking, given spans (no model needed) ----------------------------------------------------

AMBIGUOUS = [
    # text, names in order, the name to check, expected country, expected resolution
    ("Georgia officials met in Atlanta on Monday.", ("Georgia", "Atlanta"), "Georgia", "US", "admin1"),
    ("Fighting in Georgia spread from Tbilisi to Gori.", ("Georgia", "Tbilisi", "Gori"), "Georgia", "GE", "country"),
    ("Talks may happen in Vladivostok, Russia.", ("Vladivostok", "Russia"), "Vladivostok", "RU", "city"),
    ("He moved from Paris to Lyon and Marseille.", ("Paris", "Lyon", "Marseille"), "Paris", "FR", "city"),
    ("The fair in Paris, Texas drew crowds from Dallas.", ("Paris", "Texas", "Dallas"), "Paris", "US", "city"),
    ("Alexandria, La., police said the fire began at night.", ("Alexandria", "La."), "Alexandria", "US", "city"),
    ("Tourists flocked to Alexandria and Cairo.", ("Alexandria", "Cairo"), "Alexandria", "EG", "city"),
    ("Flooding hit London and Manchester.", ("London", "Manchester"), "London", "GB", "city"),
    ("Rockets flew from the Gaza Strip.", ("Gaza Strip",), "Gaza Strip", "PS", "region"),
    ("Ships sailed off the Korean Peninsula.", ("Korean Peninsula",), "Korean Peninsula", None, "region"),
    ("Shelling went on in Crimea and Donbas.", ("Crimea", "Donbas"), "Donbas", "UA", "region"),
    ("Trade with Europe fell.", ("Europe",), "Europe", None, "continent"),
]


@pytest.mark.parametrize(("text", "names", "check", "country", "resolution"), AMBIGUOUS)
def test_ranking_uses_kind_population_and_co_mentions(
    text: str, names: tuple[str, ...], check: str, country: str | None, resolution: str
) -> None:
    places = resolve_spans(text, spans_of(text, *names))
    place = places[names.index(check)]
    assert (place.country_code, place.resolution) == (country, resolution), place
    assert place.lat is not None and place.lon is not None
    assert 0.0 < place.confidence <= 1.0


def test_vladivostok_resolves_to_the_russian_city() -> None:
    text = "The forum in Vladivostok, Russia opens in September."
    [vlad, russia] = resolve_spans(text, spans_of(text, "Vladivostok", "Russia"))
    assert (vlad.geonameid, vlad.country_code, vlad.resolution, vlad.feature) == (2013348, "RU", "city", "PPL")
    assert (russia.geonameid, russia.resolution) == (2017370, "country")


def test_caller_country_context_breaks_ties() -> None:
    text = "The meeting was held in Springfield."
    [plain] = resolve_spans(text, spans_of(text, "Springfield"))
    [hinted] = resolve_spans(text, spans_of(text, "Springfield"), country_context=["USA"])
    assert hinted.country_code == "US"
    assert plain.geonameid is not None


def test_unknown_places_say_so() -> None:
    text = "The meeting in Zzyzxville was cancelled."
    [place] = resolve_spans(text, spans_of(text, "Zzyzxville"))
    assert place.geonameid is None and place.resolution == "unknown" and place.lat is None
    assert place.confidence <= 0.1


def test_demonym_span_resolves_to_its_country() -> None:
    text = "Canadian officials and Russians met."
    canadian, russians = resolve_spans(text, spans_of(text, "Canadian", "Russians"))
    assert (canadian.country_code, canadian.resolution) == ("CA", "country")
    assert (russians.country_code, russians.resolution) == ("RU", "country")


def test_us_county_is_placed_near_the_article_towns_but_stays_unknown() -> None:
    text = "A fire in London destroyed a barn, Laurel County deputies said. Corbin firefighters helped."
    london, laurel, corbin = resolve_spans(text, spans_of(text, "London", "Laurel County", "Corbin"))
    assert laurel.geonameid is None and laurel.resolution == "unknown" and laurel.feature == "ADM2"
    assert laurel.country_code == "US" and laurel.confidence < 0.5
    assert laurel.lat is not None and laurel.lon is not None
    # London, Kentucky is the seat of Laurel County (about 37.13 N, 84.08 W)
    assert haversine_km(laurel.lat, laurel.lon, 37.13, -84.08) < 80
    assert corbin.country_code == "US"
    assert (london.country_code, london.geonameid) == ("US", 4298960)  # London, Kentucky


def test_a_county_named_elsewhere_steers_the_town_to_its_state() -> None:
    text = "Alexandria police said the fire began at night, and Rapides Parish deputies helped."
    alexandria, parish = resolve_spans(text, spans_of(text, "Alexandria", "Rapides Parish"))
    # only Louisiana has a Rapides Parish: Alexandria, Louisiana (31.31 N, 92.45 W), not Egypt's
    assert alexandria.country_code == "US" and alexandria.lat is not None and alexandria.lon is not None
    assert haversine_km(alexandria.lat, alexandria.lon, 31.31, -92.45) < 20
    assert parish.feature == "ADM2" and parish.geonameid is None


def test_a_shared_county_name_still_says_the_country() -> None:
    text = "The Athens City Council met Monday, Henderson County officials said."
    [athens, _] = resolve_spans(text, spans_of(text, "Athens", "Henderson County"))
    assert athens.country_code == "US"  # five states have a Henderson County; Greece has none


def test_re_ranking_uses_the_other_mentions_latest_guesses() -> None:
    text = "Athens and Jackson schools will close; Georgia officials said the storm was moving east."
    athens, jackson, georgia = resolve_spans(text, spans_of(text, "Athens", "Jackson", "Georgia"))
    assert georgia.resolution == "admin1" and georgia.country_code == "US"
    assert athens.lat is not None and athens.lon is not None and jackson.lat is not None and jackson.lon is not None
    assert haversine_km(athens.lat, athens.lon, 33.96, -83.38) < 20  # Athens, Georgia
    assert haversine_km(jackson.lat, jackson.lon, 33.29, -83.97) < 20  # Jackson, Georgia, not Mississippi


# -- finding mentions with the model -----------------------------------------------------------

SENTENCES = [
    # text, expected (span text, country, resolution) among the places
    ("Talks may happen on Russian and Mongolian soil.", [("Russian", "RU", "country"), ("Mongolian", "MN", "country")]),
    ("A patrol boat was seen on Japanese waters.", [("Japanese", "JP", "country")]),
    ("The forum meets in Vladivostok in the Russian Far East.", [("Russian Far East", "RU", "region")]),
    ("Abe may meet Kim either in Tokyo or Pyongyang.", [("Tokyo", "JP", "city"), ("Pyongyang", "KP", "city")]),
    ("Protesters marched through Cairo, Egypt on Friday.", [("Cairo", "EG", "city"), ("Egypt", "EG", "country")]),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_resolve_places_finds_and_resolves(text: str, expected: list[tuple[str, str, str]]) -> None:
    from dateline.annotate import annotate_text

    places = resolve_places(text, annotate_text(text))
    got = {(p.text, p.country_code, p.resolution) for p in places}
    for item in expected:
        assert item in got, places
    for p in places:
        assert text[p.start : p.end] == p.text


def test_adjectives_that_do_not_name_places_are_skipped() -> None:
    from dateline.annotate import annotate_text

    text = "Japanese authorities met the North Korean leader."
    places = resolve_places(text, annotate_text(text))
    assert [p.text for p in places] == []


def test_metonymic_capital_is_an_actor_not_a_place() -> None:
    from dateline.annotate import annotate_text

    text = "Tokyo hopes to hold talks in Pyongyang."
    ann = annotate_text(text)
    assert [p.text for p in resolve_places(text, ann)] == ["Pyongyang"]
    assert [p.text for p in resolve_places(text, ann, include_metonyms=True)] == ["Tokyo", "Pyongyang"]


def test_seed_article_places(seed_text: str) -> None:
    from dateline.annotate import annotate_text

    places = resolve_places(seed_text, annotate_text(seed_text))
    by_text: dict[str, list] = {}
    for p in places:
        by_text.setdefault(p.text, []).append(p)
    vlad = by_text["Vladivostok"][0]
    assert (vlad.geonameid, vlad.country_code, vlad.resolution) == (2013348, "RU", "city")
    assert all(p.country_code == "MN" and p.resolution == "country" for p in by_text["Mongolia"])
    assert by_text["Mongolian"][0].country_code == "MN"
    assert by_text["Russian"][0].country_code == "RU"
    assert by_text["Russian Far East"][0].resolution == "region"
    assert {p.country_code for p in by_text["Tokyo"]} == {"JP"}
    assert {p.country_code for p in by_text["Pyongyang"]} == {"KP"}
    for p in places:
        assert seed_text[p.start : p.end] == p.text
        assert p.resolution in ("country", "admin1", "city", "region", "continent", "unknown")
        if p.resolution == "unknown":
            assert p.geonameid is None and p.confidence <= 0.3


# -- scores ------------------------------------------------------------------------------------


def test_haversine_known_distance() -> None:
    # London to Paris is about 344 km
    assert haversine_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(344, abs=3)


def test_error_is_maximal_without_coordinates() -> None:
    gold = GoldToponym(0, 5, "Paris", 48.85, 2.35)
    assert error_km(gold, None, None) == MAX_ERROR_KM
    assert error_km(gold, 48.85, 2.35) == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("errors", "auc"),
    [
        ([0.0, 0.0, 0.0], 0.0),
        ([MAX_ERROR_KM] * 3, 1.0),
        ([0.0, MAX_ERROR_KM], math.log(1 + MAX_ERROR_KM) / 2 / math.log(MAX_ERROR_KM)),
    ],
)
def test_auc_of_errors(errors: list[float], auc: float) -> None:
    assert auc_of_errors(errors) == pytest.approx(auc, abs=1e-4)


def test_resolution_scores() -> None:
    scores = resolution_scores([0.0, 100.0, 200.0, 1000.0])
    assert scores["acc161"] == 0.5
    assert scores["median_km"] == 150.0
    assert scores["mean_km"] == 325.0


def test_tagging_scores_exact_and_overlap() -> None:
    gold = [(0, 5), (10, 20), (30, 35)]
    predicted = [(0, 5), (12, 20), (40, 45)]
    assert match_spans(gold, predicted) == [(0, 0), (1, 1)]
    scores = tagging_scores([(gold, predicted)])
    assert scores["exact_p"] == pytest.approx(1 / 3)
    assert scores["overlap_r"] == pytest.approx(2 / 3)
    assert scores["overlap_f1"] == pytest.approx(2 / 3)
