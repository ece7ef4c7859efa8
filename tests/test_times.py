"""Time expressions: tagging and TIMEX3 normalisation against an anchor (dateline.resolve.times)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.eval.timebank import GoldTimex, parse_timeml, score_timexes
from dateline.records import TimeExpr
from dateline.resolve.times import find_times

ANCHOR = date(2018, 6, 5)  # a Tuesday, ISO week 23: the seed article's real publication week

# The sentences of the seed article (../shared/seeds/000_a638fa8de483c75b.txt) that carry times.
SEED_SENTENCES = (
    "Japanese authorities are weighing informal talks with North Korea, and they may apparently happen "
    "both on Russian and Mongolian soil. According to governmental sources cited by Japanese newspaper "
    "The Mainichi, the Japanese authorities may hold talks with the North Korean side not only at the "
    "upcoming US-North Korea summit, slated for June 12, but also on the sidelines of a global security "
    "forum in Mongolia next week, which will closely follow it. Tokyo hopes to lay the groundwork for a "
    "historic meeting, primarily in order to solve the issue of Japanese nationals abducted by Pyongyang "
    "decades ago, the sources stated. The aforementioned high-profile visits are due to occur during an "
    "economic forum in September in Vladivostok in the Russian Far East. A stumbling block in the two "
    "countries’ relations is the abduction of Japanese citizens by North Korean agents from 1977 till "
    "1983. Five Japanese nationals managed to return to their home country in the 2000s."
)
SEED_EXPECTED = {
    "June 12": "2018-06-12",
    "next week": "2018-W24",
    "decades ago": "PAST_REF",
    "September": "2018-09",
    "1977 till 1983": "1977/1983",
    "the 2000s": "200X",
}


def values(text: str, anchor: date | None = ANCHOR, **kwargs: object) -> dict[str, str]:
    return {t.text: t.value for t in find_times(text, anchor, **kwargs)}  # type: ignore[arg-type]


def only(text: str, anchor: date | None = ANCHOR, **kwargs: object) -> TimeExpr:
    found = find_times(text, anchor, **kwargs)  # type: ignore[arg-type]
    assert len(found) == 1, found
    return found[0]


def check_seed(text: str) -> None:
    found = {k.replace("\xa0", " "): v for k, v in values(text).items()}
    for phrase, value in SEED_EXPECTED.items():
        assert found.get(phrase) == value, (phrase, found)
    assert not any(t.text.lower() == "may" for t in find_times(text, ANCHOR))


def test_seed_sentences() -> None:
    check_seed(SEED_SENTENCES)


def test_seed_article(seed_text: str) -> None:
    check_seed(seed_text)


def test_seed_interval_bounds() -> None:
    t = next(t for t in find_times(SEED_SENTENCES, ANCHOR) if t.value == "1977/1983")
    assert (t.interval_start, t.interval_end, t.granularity) == ("1977-01-01", "1983-12-31", "year")


@pytest.mark.parametrize(
    ("text", "expr", "value"),
    [
        # absolute dates
        ("It was signed on 2018-06-12.", "2018-06-12", "2018-06-12"),
        ("They met on 12 June 2018.", "12 June 2018", "2018-06-12"),
        ("They met on June 12, 2018, in Singapore.", "June 12, 2018", "2018-06-12"),
        ("Filed 6/12/2018 in court.", "6/12/2018", "2018-06-12"),
        ("He was born in May 1990.", "May 1990", "1990-05"),
        ("Sales rose in 1998.", "1998", "1998"),
        ("The war ended on Saturday, April 25.", "Saturday, April 25", "2018-04-25"),
        # month and day without a year: tense and distance choose it
        ("The summit is slated for June 12.", "June 12", "2018-06-12"),
        ("The vote will be held Dec. 15.", "Dec. 15", "2018-12-15"),
        ("He said prices fell on Jan. 3.", "Jan. 3", "2018-01-03"),
        ("The forum will take place in September.", "September", "2018-09"),
        ("In May, the company said it lost money.", "May", "2018-05"),
        ("Prices fell in December.", "December", "2017-12"),
        ("Prices rose in January this year.", "January this year", "2018-01"),
        ("It started in June last year.", "June last year", "2017-06"),
        ("They will meet last Friday.", "last Friday", "2018-06-01"),
        # weekdays: past by default in news, forward when the verb looks forward
        ("The company said Friday it lost money.", "Friday", "2018-06-01"),
        ("The leaders will meet Friday.", "Friday", "2018-06-08"),
        ("He resigned on Monday.", "Monday", "2018-06-04"),
        ("She arrived Tuesday.", "Tuesday", "2018-06-05"),
        ("Talks are scheduled for next Tuesday.", "next Tuesday", "2018-06-12"),
        ("The storm hit Friday morning.", "Friday morning", "2018-06-01TMO"),
        # relative to the anchor
        ("He arrived yesterday.", "yesterday", "2018-06-04"),
        ("She leaves tomorrow.", "tomorrow", "2018-06-06"),
        ("Markets were calm today.", "today", "2018-06-05"),
        ("The forum is next week.", "next week", "2018-W24"),
        ("Prices fell last week.", "last week", "2018-W22"),
        ("It happened this week.", "this week", "2018-W23"),
        ("Sales fell last month.", "last month", "2018-05"),
        ("Sales will rise next month.", "next month", "2018-07"),
        ("Growth slowed this year.", "this year", "2018"),
        ("Growth slowed last year.", "last year", "2017"),
        ("Growth will pick up next year.", "next year", "2019"),
        ("He spoke this morning.", "this morning", "2018-06-05TMO"),
        ("Shots were fired last night.", "last night", "2018-06-04TNI"),
        ("The show airs tonight.", "tonight", "2018-06-05TNI"),
        ("He died two years ago.", "two years ago", "2016"),
        ("It closed three months ago.", "three months ago", "2018-03"),
        ("They met 10 days ago.", "10 days ago", "2018-05-26"),
        ("Prices rose earlier this year.", "earlier this year", "2018"),
        ("Talks are due early next year.", "early next year", "2019"),
        ("The law took effect this summer.", "this summer", "2018-SU"),
        ("It will open the third quarter.", "the third quarter", "2018-Q3"),
        ("Profit rose in the second quarter.", "the second quarter", "2018-Q2"),
        # vague references
        ("Japanese nationals were abducted decades ago.", "decades ago", "PAST_REF"),
        ("He recently moved.", "recently", "PAST_REF"),
        ("She was formerly a judge.", "formerly", "PAST_REF"),
        ("Prices are now rising.", "now", "PRESENT_REF"),
        ("He is currently abroad.", "currently", "PRESENT_REF"),
        ("A deal will come soon.", "soon", "FUTURE_REF"),
        ("Things may change in the future.", "the future", "FUTURE_REF"),
        ("It was common in the past.", "the past", "PAST_REF"),
        # intervals, decades, centuries
        ("He ruled from 1977 till 1983.", "1977 till 1983", "1977/1983"),
        ("He ruled between 1977 and 1983.", "1977 and 1983", "1977/1983"),
        ("He ruled 1977-1983.", "1977-1983", "1977/1983"),
        ("They returned in the 2000s.", "the 2000s", "200X"),
        ("Music of the '80s.", "the '80s", "198X"),
        ("It was built in the 19th century.", "the 19th century", "18"),
        ("It was built in the nineteenth century.", "the nineteenth century", "18"),
        # quarters, halves, seasons, fiscal years, spelled years
        ("Revenue for Q3 2018 rose.", "Q3 2018", "2018-Q3"),
        ("Revenue for the first half of 2017 rose.", "the first half of 2017", "2017-H1"),
        ("It opened in summer 2018.", "summer 2018", "2018-SU"),
        ("It opened in the winter of 1994.", "the winter of 1994", "1994-WI"),
        ("Profit for fiscal 1989 fell.", "fiscal 1989", "1989"),
        ("It happened in nineteen ninety-six.", "nineteen ninety-six", "1996"),
        ("Third-quarter profit rose.", "Third-quarter", "2017-Q3"),
        ("Stores will close on Christmas.", "Christmas", "2018-12-25"),
        # times of day
        ("The article was posted at 16:48 GMT.", "16:48 GMT", "2018-06-05T16:48"),
        ("The blast came at 10:35 a.m.", "10:35 a.m.", "2018-06-05T10:35"),
        ("Polls close at 8 p.m. Thursday.", "8 p.m. Thursday", "2018-05-31T20:00"),
        ("They met at noon.", "noon", "2018-06-05T12:00"),
    ],
)
def test_value(text: str, expr: str, value: str) -> None:
    found = values(text)
    assert found.get(expr) == value, found


@pytest.mark.parametrize(
    ("text", "expr", "value"),
    [
        ("The war lasted three years.", "three years", "P3Y"),
        ("He stayed for two weeks.", "two weeks", "P2W"),
        ("It took 24 hours.", "24 hours", "PT24H"),
        ("It took five minutes.", "five minutes", "PT5M"),
        ("The plan runs for six months.", "six months", "P6M"),
        ("He served two decades.", "two decades", "P20Y"),
        ("She spent a day there.", "a day", "P1D"),
        ("It has grown over the past three years.", "the past three years", "P3Y"),
        ("Sales for the first nine months rose.", "the first nine months", "P9M"),
        ("He signed a two-year contract.", "two-year", "P2Y"),
        ("He began the eight-year term.", "eight-year", "P8Y"),
        ("It lasted nearly forty years.", "nearly forty years", "P40Y"),
        ("It lasted several years.", "several years", "PXY"),
        ("It lasted a few days.", "a few days", "PXD"),
        ("They fought for years.", "years", "PXY"),
        ("It ran for twenty-five years.", "twenty-five years", "P25Y"),
        ("It ran for two and a half years.", "two and a half years", "P2.5Y"),
    ],
)
def test_duration(text: str, expr: str, value: str) -> None:
    t = next((t for t in find_times(text, ANCHOR) if t.text == expr), None)
    assert t is not None, find_times(text, ANCHOR)
    assert (t.value, t.type) == (value, "DURATION")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The paper is published daily.", "P1D"),
        ("They meet every year.", "P1Y"),
        ("It is revised each month.", "P1M"),
        ("Dividends are paid annually.", "P1Y"),
        ("The club meets every Thursday.", "XXXX-WXX-4"),
    ],
)
def test_set(text: str, value: str) -> None:
    t = only(text)
    assert (t.value, t.type) == (value, "SET")


@pytest.mark.parametrize(
    "text",
    [
        "They may apparently happen on Russian soil.",
        "Officials may hold talks.",
        "MAY I ASK A QUESTION?",
        "Protesters march through the capital.",
        "The company sold 1,990 shares.",
        "The company sold 1990 shares.",
        "He paid $2000 for it.",
        "Revenue rose 2010 percent.",
        "He is 37 years old.",
        "Iraq imports about a quarter of its food.",
        "Seats rose to 700 a week.",
        "Buy as soon as trading opens.",
        "He took a second look.",
        "Room 1984 is upstairs.",
        "",
        "No dates here at all.",
    ],
)
def test_not_a_time(text: str) -> None:
    assert find_times(text, ANCHOR) == []


def test_may_as_month_in_date_context() -> None:
    assert values("Elections are held on May 5.") == {"May 5": "2018-05-05"}
    assert values("Elections were held in May.") == {"May": "2018-05"}
    assert values("Elections are held in mid-May.")["mid-May"] == "2018-05"


@pytest.mark.parametrize(
    ("text", "granularity", "start", "end"),
    [
        ("next week", "week", "2018-06-11", "2018-06-17"),
        ("last month", "month", "2018-05-01", "2018-05-31"),
        ("the second quarter", "quarter", "2018-04-01", "2018-06-30"),
        ("this year", "year", "2018-01-01", "2018-12-31"),
        ("yesterday", "day", "2018-06-04", "2018-06-04"),
        ("the 2000s", "decade", "2000-01-01", "2009-12-31"),
        ("the 19th century", "century", "1800-01-01", "1899-12-31"),
        ("winter 2018", "season", "2018-12-01", "2019-02-28"),
        ("the first half of 2018", "half", "2018-01-01", "2018-06-30"),
    ],
)
def test_granularity_and_interval(text: str, granularity: str, start: str, end: str) -> None:
    t = only(text)
    assert (t.granularity, t.interval_start, t.interval_end) == (granularity, start, end)


def test_anchored_flag_and_confidence() -> None:
    absolute = only("It ended on 12 June 2018.")
    relative = only("It ended yesterday.")
    assert not absolute.anchored and relative.anchored
    untrusted = only("It ended yesterday.", anchor_trusted=False)
    assert untrusted.value == relative.value
    assert untrusted.confidence < relative.confidence
    guessed = only("It ends on June 12.")
    assert guessed.confidence < absolute.confidence
    # the absolute date does not depend on the anchor, so trusting it changes nothing
    assert only("It ended on 12 June 2018.", anchor_trusted=False).confidence == absolute.confidence


def test_no_anchor_gives_underspecified_values() -> None:
    assert values("It ends on June 12.", None) == {"June 12": "XXXX-06-12"}
    assert values("He left on Tuesday.", None) == {"Tuesday": "XXXX-WXX-2"}
    assert values("He ruled from 1977 till 1983.", None) == {"1977 till 1983": "1977/1983"}
    t = only("It happened yesterday.", None)
    assert not t.anchored and t.confidence < 0.5


def test_intervals_can_be_kept_apart() -> None:
    assert values("He ruled from 1977 till 1983.", intervals=False) == {"1977": "1977", "1983": "1983"}


def test_offsets_index_the_text() -> None:
    text = "Ünïcode — first, on 5 June 2018; then “next week”, and two days later, now."
    for t in find_times(text, ANCHOR):
        assert text[t.start : t.end] == t.text


class _Entity:
    def __init__(self, start: int, end: int, label: str) -> None:
        self.start, self.end, self.label = start, end, label


class _Annotation:
    def __init__(self, entities: list[_Entity]) -> None:
        self.entities = entities


def test_annotation_vetoes_numeric_years() -> None:
    text = "He bought 1990 of them in 1990."
    assert len(find_times(text, ANCHOR)) == 2
    found = find_times(text, ANCHOR, annotation=_Annotation([_Entity(10, 14, "CARDINAL"), _Entity(26, 30, "DATE")]))
    assert [(t.start, t.value) for t in found] == [(26, "1990")]


PIECES = [
    *"abcdefgh MTWFSJADNO0123456789-/.,:'’\n",
    *["May ", "June ", "12 ", "1977 ", "till ", "the ", "next ", "week", "ago", "years", "Friday", "p.m."],
    "nineteen ",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))),
    st.booleans(),
)
def test_any_text_is_safe(text: str, anchor: date | None, trusted: bool) -> None:
    for t in find_times(text, anchor, anchor_trusted=trusted):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.text
        assert t.value
        assert 0.0 <= t.confidence <= 1.0


@given(st.text(max_size=200), st.dates())
@settings(max_examples=200, deadline=None)
def test_any_unicode_text_is_safe(text: str, anchor: date) -> None:
    for t in find_times(text, anchor):
        assert text[t.start : t.end] == t.text


# ---------------------------------------------------------------- TimeML reader and scorer

TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>X</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-07" functionInDocument="CREATION_TIME">1998-08-07</TIMEX3></DCT>
<TEXT>
AT&amp;T <EVENT eid="e1">said</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3>
that &lt;profits&gt; rose for <TIMEX3 tid="t2" type="DURATION" value="P3Y">three years</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_timeml_reader_offsets_and_dct() -> None:
    doc = parse_timeml(TIMEML, name="X", corpus="test")
    assert doc.dct == date(1998, 8, 7)
    assert [(t.text, t.type, t.value) for t in doc.timexes] == [
        ("Friday", "DATE", "1998-08-07"),
        ("three years", "DURATION", "P3Y"),
    ]
    for t in doc.timexes:
        assert doc.text[t.start : t.end] == t.text
    assert "AT&T said Friday\nthat <profits>" in doc.text


def test_scorer_counts() -> None:
    gold = [GoldTimex(0, 6, "Friday", "DATE", "1998-08-07"), GoldTimex(10, 21, "three years", "DURATION", "P3Y")]
    system = [
        GoldTimex(0, 6, "Friday", "DATE", "1998-08-07"),  # strict, value right
        GoldTimex(4, 21, "xxthree years", "DURATION", "P2Y"),  # relaxed only, value wrong
        GoldTimex(30, 33, "now", "DATE", "PRESENT_REF"),  # spurious
    ]
    c = score_timexes(gold, system)
    assert (c.gold, c.system, c.strict, c.relaxed, c.value, c.type) == (2, 3, 1, 2, 1, 2)
    s = c.scores()
    assert s["relaxed_p"] == pytest.approx(2 / 3) and s["relaxed_r"] == 1.0
    assert s["value_p"] == pytest.approx(1 / 3) and s["value_r"] == pytest.approx(1 / 2)
    assert s["type_acc"] == 1.0
