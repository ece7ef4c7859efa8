"""The PLOVER coder on sentences of our own: type, mode, auxiliary modes, roles, place, attribution."""

from __future__ import annotations

import pytest
from coding import code

from dateline.code import Coder, event_id, plover_for_cameo, primary_event
from dateline.code.crosswalk import cameo_for, cc_score, quad_code
from dateline.code.event import Participant
from dateline.code.triggers import default_lexicon, parse_lexicon
from dateline.records import Article, Published
from dateline.schema import validation_errors

# sentence, event, mode (None: any), aux
SENTENCES = [
    ("Rebels attacked an army base near Kandahar on Monday.", "ASSAULT", None, []),
    ("France will send food aid to Haiti next week.", "AID", None, ["future"]),
    ("The two foreign ministers may meet in Geneva.", "CONSULT", None, ["hypothetical"]),
    ("Police did not arrest the protesters.", "COERCE", "arrest", ["negated"]),
    ("Egypt and Israel held talks in Cairo on Tuesday.", "CONSULT", None, []),
    ("The president refused to meet the opposition leader.", "REJECT", "meet", []),
    ("Germany condemned the bombing of the embassy.", "ACCUSE", "disapprove", []),
    ("The army lifted the curfew in the capital.", "CONCEDE", None, []),
    ("Protesters blocked the main road in Dhaka.", "PROTEST", "obstruct", []),
    ("The opposition demanded the release of political prisoners.", "REQUEST", None, []),
    ("Soldiers killed dozens of villagers decades ago.", "ASSAULT", None, ["historical"]),
    ("Japan is considering sanctions against the regime.", "SANCTION", None, ["hypothetical"]),
    ("Kenya and Uganda agreed to cooperate on border security.", "AGREE", None, []),
    ("The government threatened to expel foreign journalists.", "THREATEN", None, []),
    ("Gunmen kidnapped two aid workers in northern Mali.", "ASSAULT", "abduct", []),
    ("The minister resigned on Friday.", "RETREAT", "resign", []),
    ("Syria will not accept any more refugees.", "REJECT", None, []),
    ("Serbia eased the emergency measures on Wednesday.", "CONCEDE", None, []),
]


@pytest.mark.parametrize(("text", "event", "mode", "aux"), SENTENCES)
def test_primary_event(text: str, event: str, mode: str | None, aux: list[str]) -> None:
    ev = primary_event(code(text))
    assert ev is not None, text
    assert ev.event == event
    if mode is not None:
        assert ev.mode == mode
    assert ev.aux == aux


@pytest.mark.parametrize(
    ("text", "actors", "recipients"),
    [
        (
            "Egypt and Israel held talks in Cairo on Tuesday.",
            {"EGY", "ISR"},
            set(),
        ),  # reciprocal: one event, both actors
        ("Russian troops shelled Ukrainian positions.", {"RUS"}, {"UKR"}),
        ("China met with Japan in Beijing.", {"CHN"}, {"JPN"}),
        ("Talks between India and Pakistan resumed.", {"IND", "PAK"}, set()),
    ],
)
def test_roles(text: str, actors: set[str], recipients: set[str]) -> None:
    ev = primary_event(code(text))
    assert ev is not None
    assert {p.country for p in ev.actor} == actors
    assert {p.country for p in ev.recipient} == recipients


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Rebels attacked an army base near Kandahar on Monday.", "Kandahar"),
        ("Egypt and Israel held talks in Cairo on Tuesday.", "Cairo"),
        ("Tokyo hopes to hold talks with Pyongyang.", None),  # capitals as actors are no scene
    ],
)
def test_event_place(text: str, place: str | None) -> None:
    ev = primary_event(code(text))
    assert ev is not None
    assert (ev.event_loc.text if ev.event_loc else None) == place


def test_date_comes_from_the_linked_time_not_the_publication() -> None:
    ev = primary_event(code("Egypt and Israel held talks in Cairo on June 2."))
    assert ev is not None and (ev.date, ev.date_precision) == ("2018-06-02", "day")
    ev = primary_event(code("Egypt and Israel held talks in Cairo."))
    assert ev is not None and (ev.date, ev.date_precision) == ("2018-06-05", "publication")


def test_future_from_a_date_after_publication() -> None:
    ev = primary_event(code("The summit in Singapore, slated for June 12, will bring the two leaders together."))
    assert ev is not None and ev.event == "CONSULT"
    assert ev.date == "2018-06-12" and "future" in ev.aux


@pytest.mark.parametrize(
    ("text", "source", "via"),
    [
        ("According to officials cited by Reuters, troops clashed with rebels.", "Reuters", "officials"),
        ("Troops clashed with rebels, the army said.", "the army", None),
        ("Troops reportedly clashed with rebels.", None, "reportedly"),
    ],
)
def test_attribution(text: str, source: str | None, via: str | None) -> None:
    ev = primary_event(code(text))
    assert ev is not None
    assert (ev.attribution_source, ev.attribution_via) == (source, via)


def test_json_matches_the_schema_and_design_keys() -> None:
    events = code("Egypt and Israel held talks in Cairo on June 2, according to officials.")
    assert events
    data = events[0].to_json()
    assert validation_errors(data, "event") == []
    assert set(data) >= {"id", "event", "mode", "context", "aux", "actor", "recipient", "event_loc", "date", "enddate"}
    assert set(data) >= {"date_precision", "attribution", "evidence", "confidence", "cameo", "quad_code", "cluster"}
    assert set(data["actor"][0]) == {"text", "name", "country", "sector", "wikidata", "start", "end"}
    assert data["cluster"] is None and data["quad_code"] == 1


def test_event_id_is_stable() -> None:
    assert event_id("abc", (3, 8)) == event_id("abc", (3, 8))
    assert event_id("abc", (3, 8)) != event_id("abc", (3, 9))
    first = [e.id for e in code("Rebels attacked an army base near Kandahar.")]
    assert first == [e.id for e in code("Rebels attacked an army base near Kandahar.")]


@pytest.mark.parametrize(
    ("cameo", "event", "mode"),
    [
        ("042", "CONSULT", "visit"),
        ("0874", "RETREAT", "disarm"),
        ("1123", "ACCUSE", "allege"),
        ("173", "COERCE", "arrest"),
        ("190", "ASSAULT", None),
        ("010", None, None),
        ("023", None, None),
        ("1056", "REQUEST", "yield"),
    ],
)
def test_crosswalk(cameo: str, event: str | None, mode: str | None) -> None:
    assert plover_for_cameo(cameo)[:2] == (event, mode)


@pytest.mark.parametrize(
    ("event", "mode", "intent", "cameo", "quad", "score"),
    [
        ("CONSULT", "visit", False, "042", 1, 4.0),
        ("ASSAULT", "abduct", False, "181", 4, -8.5),
        ("AID", None, False, "070", 2, 10.0),
        ("CONSULT", None, True, "036", 1, 2.5),
        ("ASSAULT", None, True, "138", 4, -9.0),
        ("SANCTION", None, False, "160", 4, -6.0),
    ],
)
def test_codes_and_scores(event: str, mode: str | None, intent: bool, cameo: str, quad: int, score: float) -> None:
    assert cameo_for(event, mode, intent=intent) == cameo
    assert quad_code(event) == quad
    assert cc_score(event, mode) == score


def test_lexicon_rows_and_extension() -> None:
    rows = parse_lexicon(
        "# comment\nkind,phrase,pos,event,mode,context,weight\nevent,storm out,V,PROTEST,walkout,,0.7\n"
    )
    assert rows[0].phrase == ("storm", "out") and rows[0].event == "PROTEST" and rows[0].weight == 0.7
    lexicon = default_lexicon()
    assert {"event", "governor", "light", "future", "speech", "context"} <= {e.kind for e in lexicon.entries}
    assert all(
        e.event in (None, *__import__("dateline.code", fromlist=["PLOVER_TYPES"]).PLOVER_TYPES) for e in lexicon.entries
    )


def test_coder_stage_sets_events() -> None:
    from dateline.annotate import annotate_text

    text = "Rebels attacked an army base near Kandahar."
    article = Article(id="a1", uri="<t>", text=text, published=Published(stated="2018-06-05T00:00:00Z"))
    article.annotation = annotate_text(text)
    coder = Coder()
    assert coder.needs == ("annotation", "mentions", "places", "times") and coder.provides == ("events",)
    coder.process(article)
    assert [e.event for e in article.events] == ["ASSAULT"]
    assert article.events[0].date_precision == "publication" and article.events[0].date == "2018-06-05"
    assert article.to_json()["events"][0]["id"] == event_id("a1", article.events[0].trigger)


def test_participant_json() -> None:
    p = Participant("Japan", 0, 5, "Japan", "JPN", "GOV")
    assert p.to_json() == {
        "text": "Japan",
        "name": "Japan",
        "country": "JPN",
        "sector": "GOV",
        "wikidata": None,
        "start": 0,
        "end": 5,
    }
