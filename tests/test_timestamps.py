"""Stated timestamps in the forms news pages and their metadata use."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dateline.extract.timestamps import (
    ASSUMED_UTC,
    date_from_url,
    find_timestamp,
    is_assumed_utc,
    looks_like_timestamp_line,
    parse_timestamp,
    timezone_table,
)

NEXT_YEAR = datetime.now(UTC).year + 1


@pytest.mark.parametrize(
    ("text", "expected", "zoned"),
    [
        # the seed article's stamp: the zone glued to the day
        ("16:48 GMT01 March 2021", "2021-03-01T16:48:00+00:00", True),
        ("01.03.2021", "2021-03-01T00:00:00+00:00", False),
        ("March 1, 2021 4:48 PM ET", "2021-03-01T21:48:00+00:00", True),  # EST in March
        ("July 4, 2021 4:48 PM ET", "2021-07-04T20:48:00+00:00", True),  # EDT in July
        ("Mon 1 Mar 2021 16.48 GMT", "2021-03-01T16:48:00+00:00", True),
        ("2021-03-01T16:48:00+03:00", "2021-03-01T13:48:00+00:00", True),
        ("2021-03-01T16:48:00Z", "2021-03-01T16:48:00+00:00", True),
        ("2021-03-01T16:48:00.123+0530", "2021-03-01T11:18:00+00:00", True),
        ("2021-03-01 16:48", "2021-03-01T16:48:00+00:00", False),
        ("2021-03-01", "2021-03-01T00:00:00+00:00", False),
        ("1 March 2021 | 16:48", "2021-03-01T16:48:00+00:00", False),
        ("Published: 12:30 PM EST, Tue June 5, 2018", "2018-06-05T17:30:00+00:00", True),
        ("Tue, 05 Jun 2018 16:48:00 +0000", "2018-06-05T16:48:00+00:00", True),  # RFC 2822
        ("Tue, 05 Jun 2018 16:48:00 -0400", "2018-06-05T20:48:00+00:00", True),
        ("16:48, 1 March 2021 BST", "2021-03-01T15:48:00+00:00", True),
        ("Updated 1 March 2021, 09:05 CET", "2021-03-01T08:05:00+00:00", True),
        ("1 March 2021 12:00 (MSK)", "2021-03-01T09:00:00+00:00", True),
        ("1 March 2021 10:00 JST", "2021-03-01T01:00:00+00:00", True),
        ("1 March 2021 10:00 GMT+2", "2021-03-01T08:00:00+00:00", True),
        ("March 1st, 2021 at 9:15 a.m. PST", "2021-03-01T17:15:00+00:00", True),
        ("Posted on 2018/06/05", "2018-06-05T00:00:00+00:00", False),
        ("12/25/2019", "2019-12-25T00:00:00+00:00", False),  # month first
        ("25/12/2019", "2019-12-25T00:00:00+00:00", False),  # cannot be month first
        ("1er mars 2021 à 16h48", "2021-03-01T16:48:00+00:00", False),
        ("1. März 2021, 16:48 Uhr", "2021-03-01T16:48:00+00:00", False),
        ("5 de junio de 2018", "2018-06-05T00:00:00+00:00", False),
        ("12 PM EST, June 5, 2018", "2018-06-05T17:00:00+00:00", True),
    ],
)
def test_parse_timestamp(text: str, expected: str, zoned: bool) -> None:
    parsed = parse_timestamp(text)
    assert parsed is not None
    value, (start, end) = parsed
    assert value.isoformat() == expected
    assert value.utcoffset() is not None and value.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert is_assumed_utc(value) is not zoned
    assert 0 <= start < end <= len(text)


@pytest.mark.parametrize(
    "text",
    [
        "Updated 3 hours ago",  # relative: no anchor here
        "yesterday at 16:48",
        "Page 3 of 12",
        "1 March 1980",  # before 1990
        f"1 March {NEXT_YEAR + 1}",  # after next year
        "31 February 2021",  # no such day
        "2021-13-01",
        "June 2018",  # a month is not a timestamp
        "Call 0800 123 4567",
        "",
        "Price: 16.48 EUR",
    ],
)
def test_parse_timestamp_rejects(text: str) -> None:
    assert parse_timestamp(text) is None


def test_span_covers_only_the_timestamp() -> None:
    text = "Reporting by Jane Doe. Published: 12:30 PM EST, Tue June 5, 2018. More below."
    parsed = parse_timestamp(text)
    assert parsed is not None
    start, end = parsed[1]
    assert text[start:end] == "12:30 PM EST, Tue June 5, 2018"


def test_local_keeps_the_stated_zone() -> None:
    found = find_timestamp("2022-01-15T00:48:00+01:00")
    assert found is not None and found.local is not None
    assert found.local.date() == date(2022, 1, 15)
    assert found.value.date() == date(2022, 1, 14)
    assert found.has_time and found.has_zone


def test_assumed_utc_equals_utc() -> None:
    value = parse_timestamp("01.03.2021")[0]  # type: ignore[index]
    assert value.tzinfo is ASSUMED_UTC
    assert value == datetime(2021, 3, 1, tzinfo=UTC)
    assert not is_assumed_utc(datetime(2021, 3, 1, tzinfo=UTC))


def test_zone_abbreviations_are_capitals_only() -> None:
    # "et" is a word, not US Eastern time
    value = parse_timestamp("1 March 2021 16:48 et cetera")[0]  # type: ignore[index]
    assert is_assumed_utc(value)


def test_timezone_table_is_data() -> None:
    table = timezone_table()
    for abbr in ("GMT", "UTC", "BST", "CET", "CEST", "EST", "EDT", "CST", "PST", "MSK", "JST", "KST", "IST"):
        assert abbr in table
    assert table["IST"].offset.total_seconds() == 5.5 * 3600
    assert table["ET"].iana == "America/New_York"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/2018/06/05/summit-ends.html", date(2018, 6, 5)),
        ("https://example.com/news/world/2018/6/5/summit", date(2018, 6, 5)),
        ("https://example.com/news/2018-06-05-summit-ends", date(2018, 6, 5)),
        ("https://example.com/news/20180605/summit", date(2018, 6, 5)),
        ("https://example.com/2018/06/", None),  # a month only
        ("https://example.com/2018/13/45/x", None),
        ("https://example.com/article/123456789", None),
        ("https://2018.example.com/06/05/x", None),  # the host is not the path
        ("https://example.com/1980/01/01/old", None),
        ("", None),
    ],
)
def test_date_from_url(url: str, expected: date | None) -> None:
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("16:48 GMT01 March 2021", True),
        ("Published: 12:30 PM EST, Tue June 5, 2018", True),
        ("Updated 3 hours ago", True),
        ("1 March 2021 | 16:48", True),
        ("Last updated on 01.03.2021", True),
        ("Mon 1 Mar 2021 16.48 GMT", True),
        ("The summit opened on 1 March 2021 with a speech by the president.", False),
        ("Leaders agree on grain corridor", False),
        ("", False),
        ("By Jane Doe, 1 March 2021", False),
    ],
)
def test_looks_like_timestamp_line(line: str, expected: bool) -> None:
    assert looks_like_timestamp_line(line) is expected
