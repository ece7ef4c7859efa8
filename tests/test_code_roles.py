"""Who is the target, what is no event, where it happened: the coder's harder cases.

Each row is a sentence and what a PLOVER coder must say about its primary event; the rules
behind them are in ``dateline.code.roles`` (recipients), ``dateline.code.coder`` (statements,
places) and the lexicon's ``appeal``/``denial``/``statement``/``stance`` rows.
"""

from __future__ import annotations

from typing import Any

import pytest
from coding import code

from dateline.code import code_document, primary_event
from dateline.code.crosswalk import cameo_quad, quad_code
from dateline.code.event import Event


def primary(text: str) -> Event:
    ev = primary_event(code(text))
    assert ev is not None, text
    return ev


# sentence, actor countries, recipient countries, recipient text (None: any)
ROLES = [
    # an apposition names the counterpart
    (
        "Japanese Foreign Minister Taro Kono met his South Korean counterpart Kang Kyung-wha in Bangkok.",
        {"JPN"},
        {"KOR"},
        "Kang Kyung-wha",
    ),
    # a counterpart with a two-word demonym and no name
    ("China's foreign minister met his Russian counterpart in Moscow.", {"CHN"}, {"RUS"}, None),
    # a country the actor tables leave to the place resolver
    ("Argentina has apologized to Brazil for the incident.", {"ARG"}, {"BRA"}, "Brazil"),
    # the recipient of the complement is the recipient of the governing event
    ("Libya has offered to hand over to Great Britain two of its nationals.", {"LBY"}, {"GBR"}, None),
    ("Syria says it is willing to withdraw its troops from Lebanon.", {"SYR"}, {"LBN"}, None),
    ("The PRC demanded that the US cancel plans to sell weapons to Taiwan.", {"CHN"}, {"USA"}, None),
    # the author of what is rejected
    ("Yemen has rejected a U.S. request to interrogate detainees.", {"YEM"}, {"USA"}, None),
    # a stative passive keeps its subject as the actor
    ("Israel is opposed to French mediation.", {"ISR"}, {"FRA"}, None),
    # a visit's host and a curfew's province: the scene abroad is the target
    ("Iraqi President Saddam Hussein arrived in Amman on Wednesday.", {"IRQ"}, {"JOR"}, "Amman"),
    ("Serbia lifted a night curfew in Montenegro.", {"SRB"}, {"MNE"}, None),
]


@pytest.mark.parametrize(("text", "actors", "recipients", "recipient_text"), ROLES)
def test_roles(text: str, actors: set[str], recipients: set[str], recipient_text: str | None) -> None:
    ev = primary(text)
    assert {p.country for p in ev.actor} == actors
    assert {p.country for p in ev.recipient} == recipients
    if recipient_text is not None:
        assert [p.text for p in ev.recipient] == [recipient_text]


def test_a_scene_at_home_is_no_target() -> None:
    ev = primary("Egypt and Israel held talks in Cairo on Tuesday.")
    assert not ev.recipient


@pytest.mark.parametrize(
    "text",
    [
        "The government denied charges that it tortured a Jesuit priest.",  # a denial, and the claim it denies
        "The ministry declined to comment on the attack.",  # no comment
        "The president expressed condolences to Turkey after the attack in Ankara.",  # background
    ],
)
def test_statements_are_no_events(text: str) -> None:
    assert code(text) == []


@pytest.mark.parametrize(
    ("text", "event", "cameo", "quad"),
    [
        # PLOVER v0.8 codes every request; CAMEO tells an appeal (02) from a demand (10)
        ("The UN urged Israel to ease restrictions on Palestinian workers.", "REQUEST", "025", 0),
        ("The opposition demanded the release of political prisoners.", "REQUEST", "10", 3),
        # a policy option under consideration: CAMEO 014, the event keeps its type
        ("Japan is considering sending aid to North Korea.", "AID", "014", 0),
        ("The army lifted the curfew in the capital.", "CONCEDE", "08", 2),
    ],
)
def test_cameo_codes(text: str, event: str, cameo: str, quad: int) -> None:
    ev = primary(text)
    assert ev.event == event
    assert ev.cameo is not None and ev.cameo.startswith(cameo)
    assert cameo_quad(ev.cameo) == quad


def test_quads_agree_with_cameo_roots() -> None:
    """The type-level quad class is the quad of the type's CAMEO root (CONCEDE is CAMEO 08: 2)."""
    from dateline.code import PLOVER_TYPES
    from dateline.code.crosswalk import cameo_for

    for event in PLOVER_TYPES:
        assert quad_code(event) == cameo_quad(cameo_for(event, None)), event


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Rebels stormed the village of Mainok on Sunday.", "Mainok"),  # the object is the scene
        ("Israel is opposed to French mediation in peace negotiations with Syria.", None),  # a party, no scene
        ("A suicide bomber attacked a ceremony in the Yemen city of Ibb.", "Ibb"),  # the narrower place
    ],
)
def test_event_location(text: str, place: str | None) -> None:
    ev = primary(text)
    assert (ev.event_loc.text if ev.event_loc else None) == place


def test_unparsed_sentences_do_not_break_the_coder() -> None:
    """The annotator may skip the parse of sentences with no trigger word: their tokens have no
    label and are their own heads. The coder still codes the parsed sentences, and never fails."""
    from dateline.annotate import annotate_text

    text = "Weather was fine on Monday in Kabul. Rebels attacked the town."
    ann = annotate_text(text)

    def unparse(sentence: Any) -> None:
        for i in range(sentence.first_token, sentence.last_token):
            tok: Any = ann.tokens[i]
            tok.dep, tok.head = "", i

    unparse(ann.sentences[0])
    assert [e.event for e in code_document(text, ann)] == ["ASSAULT"]
    unparse(ann.sentences[1])
    assert isinstance(code_document(text, ann), list)
