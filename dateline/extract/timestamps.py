"""Stated timestamps: the dates and times a page gives for itself, in the forms news sites use.

``parse_timestamp`` finds the first date in a string, the time of day and the time zone
next to it (before or after), and returns an aware datetime in UTC with the span it read:

    >>> value, span = parse_timestamp("16:48 GMT01 March 2021")
    >>> value.isoformat(), span
    ('2021-03-01T16:48:00+00:00', (0, 22))

A string without a zone is read as UTC, and the result's ``tzinfo`` is ``ASSUMED_UTC`` (equal
to UTC in every computation, told apart with ``is_assumed_utc``). Relative forms ("3 hours
ago", "yesterday") have no anchor here and give None. Years before 1990 or after next year
are rejected, as are impossible dates.

The regexes are our own; ``dateutil``'s fuzzy parser is deliberately not used as a fallback,
because it invents dates out of noise (a page number, a price) rather than saying "none".
Time-zone abbreviations are data: ``dateline/data/timezones.csv``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ASSUMED_UTC = timezone(timedelta(0), "UTC (assumed)")
MIN_YEAR = 1990

# Month names in the languages the corpora hold most: English, German, French, Spanish.
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar janvier enero jänner",
        "february feb februar février fevrier febrero",
        "march mar märz maerz mars marzo",
        "april apr avril abril",
        "may mai mayo",
        "june jun juni juin junio",
        "july jul juli juillet julio",
        "august aug août aout agosto",
        "september sep sept septembre septiembre",
        "october oct oktober octobre octubre okt",
        "november nov novembre noviembre",
        "december dec dezember décembre decembre diciembre dez",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_WEEKDAYS = (
    "monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thu|friday|fri|saturday|sat|sunday|sun|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|"
    "samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo"
)


@dataclass(frozen=True)
class Zone:
    """One time-zone abbreviation: a fixed offset, or a region whose offset depends on the date."""

    abbr: str
    offset: timedelta
    iana: str | None = None

    def tz_for(self, naive: datetime) -> tzinfo:
        if self.iana:
            try:
                region = ZoneInfo(self.iana)
            except ZoneInfoNotFoundError:  # no tz database on this system: the standard offset
                return timezone(self.offset, self.abbr)
            return region
        return timezone(self.offset, self.abbr)


def _parse_offset(text: str) -> timedelta:
    sign = -1 if text.strip().startswith("-") else 1
    hours, _, minutes = text.strip().lstrip("+-").partition(":")
    return sign * timedelta(hours=int(hours), minutes=int(minutes or 0))


@lru_cache(maxsize=1)
def timezone_table() -> dict[str, Zone]:
    """The abbreviations of ``dateline/data/timezones.csv``, keyed in upper case."""
    source = resources.files("dateline") / "data" / "timezones.csv"
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["abbr"].strip().upper(): Zone(
            row["abbr"].strip().upper(), _parse_offset(row["utc_offset"]), row["iana"] or None
        )
        for row in rows
        if row.get("abbr")
    }


@dataclass(frozen=True)
class StatedTimestamp:
    """What ``find_timestamp`` read: the UTC value, the span, and how much the text said."""

    value: datetime
    span: tuple[int, int]
    has_time: bool
    has_zone: bool
    local: datetime | None = None  # the same instant in the zone the text stated (its calendar day)


_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_MON = rf"(?P<month>{_MONTH_RE})\.?(?![a-zà-ÿ])"
_WEEKDAY = rf"(?:(?:{_WEEKDAYS})\.?,?\s+)?"

# Date forms, tried at every position; the earliest match wins.
_DATE_FORMS = [
    # 2021-03-01, 2021-03-01T16:48:00+03:00 (time handled by the ISO form itself)
    re.compile(
        r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)"
        r"(?:[T ](?P<hour>[0-2]?\d):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d)(?:\.\d+)?)?"
        r"\s*(?P<zone>Z|[+-][01]\d:?[0-5]\d|[+-][01]\d(?!\d))?)?(?!\d)",
        re.I,
    ),
    # 1 March 2021, Mon 1 Mar 2021, 1er mars 2021, 1. März 2021, 05 Jun 2018
    re.compile(rf"{_WEEKDAY}(?<!\d){_DAY}\s*(?:de\s+)?{_MON}\s*,?\s*(?:de\s+)?{_YEAR}", re.I),
    # March 1, 2021; Tue June 5, 2018
    re.compile(rf"{_WEEKDAY}(?<![a-z]){_MON}\s+{_DAY},?\s+{_YEAR}", re.I),
    # 2021/03/01
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)(?!\d)"),
    # 01.03.2021, 01-03-2021 (day first, as everywhere dots and dashes are used)
    re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)[.-](?P<month>[01]?\d)[.-]" + _YEAR),
    # 03/01/2021 (month first, the US convention, unless the first number cannot be a month)
    re.compile(r"(?<![\d/])(?P<first>[0-3]?\d)/(?P<second>[0-3]?\d)/" + _YEAR),
]

_ZONE_ABBR = None  # built lazily from the table
_TIME = (
    r"(?P<hour>[0-2]?\d)(?:[:.h](?P<minute>[0-5]\d)(?:[:.](?P<second>[0-5]\d))?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?(?![a-z]))?"
)
_OFFSET = r"(?:(?:GMT|UTC)\s*(?P<sign>[+-])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d\d))?|(?P<sign2>[+-])(?P<oh2>[01]\d):?(?P<om2>\d\d))"
_SEPARATOR = r"[\s,|@·•–—-]*(?:\bat\b|\bum\b|\bà\b|\ba las\b)?[\s,|@·•–—-]*"


@lru_cache(maxsize=1)
def _zone_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Time-then-date (before) and time-after-date patterns, with the zone table compiled in."""
    abbrs = sorted(timezone_table(), key=len, reverse=True)
    # abbreviations are matched in capitals only: "ET" is a zone, "et" is a word
    zone = rf"(?:{_OFFSET}|(?-i:(?P<abbr>{'|'.join(abbrs)}))(?![A-Za-z]))"
    # a time is only a time with minutes or am/pm: a bare "16" is not one
    after = re.compile(rf"\A{_SEPARATOR}{_TIME}(?:\s*\(?{zone}\)?)?", re.I)
    before = re.compile(rf"{_TIME}(?:\s*\(?{zone}\)?)?{_SEPARATOR}\Z", re.I)
    return after, before


_RELATIVE = re.compile(
    r"\b(?:\d+|an?|one|few)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b"
    r"|\b(?:yesterday|today|just now|gestern|heute|vor\s+\d+\s+(?:minuten|stunden|tagen))\b",
    re.I,
)
_LABEL = re.compile(
    r"\b(?:published|updated|last updated|posted|modified|first published|date|on|at|by|"
    r"veröffentlicht|aktualisiert|stand|publié|mis à jour|le|publicado|actualizado|el)\b|[\s:,|@·•–—()\[\]/.-]",
    re.I,
)


def _valid_year(year: int) -> bool:
    return MIN_YEAR <= year <= datetime.now(UTC).year + 1


def _month_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _MONTHS.get(text.lower().rstrip("."))


def _read_date(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if not _valid_year(year):
        return None
    if groups.get("first") is not None:
        first, second = int(groups["first"]), int(groups["second"])
        month, day = (second, first) if first > 12 else (first, second)
    else:
        month_number = _month_number(groups["month"])
        if month_number is None:
            return None
        month, day = month_number, int(groups["day"])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _read_zone(groups: dict[str, str | None]) -> Zone | timedelta | None:
    sign, hours, minutes = groups.get("sign"), groups.get("oh"), groups.get("om")
    if sign is None and groups.get("sign2"):
        sign, hours, minutes = groups["sign2"], groups["oh2"], groups["om2"]
    if sign and hours:
        offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
        return -offset if sign == "-" else offset
    if groups.get("abbr"):
        return timezone_table()[groups["abbr"].upper()]
    return None


def _read_time(groups: dict[str, str | None]) -> tuple[int, int, int] | None:
    """(hour, minute, second) from a time match; None when it is not a plausible time."""
    if groups.get("hour") is None:
        return None
    hour = int(groups["hour"] or 0)
    minute = int(groups.get("minute") or 0)
    second = int(groups.get("second") or 0)
    ampm = (groups.get("ampm") or "").lower().replace(".", "").replace(" ", "")
    if groups.get("minute") is None and not ampm:
        return None
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23:
        return None
    return hour, minute, second


def _localize(day: date, clock: tuple[int, int, int] | None, zone: Zone | timedelta | None) -> datetime:
    """The stated wall-clock time, aware in the stated zone (``ASSUMED_UTC`` without one)."""
    naive = datetime(day.year, day.month, day.day, *(clock or (0, 0, 0)))
    if zone is None:
        return naive.replace(tzinfo=ASSUMED_UTC)
    tz = timezone(zone) if isinstance(zone, timedelta) else zone.tz_for(naive)
    return naive.replace(tzinfo=tz)


def find_timestamp(text: str) -> StatedTimestamp | None:
    """The first stated timestamp in ``text``, with the time and zone next to its date."""
    if not text:
        return None
    candidates = []
    for form in _DATE_FORMS:
        for match in form.finditer(text):
            day = _read_date(match)
            if day is not None:
                candidates.append((match.start(), -(match.end() - match.start()), match, day))
                break
    if not candidates:
        return None
    _, _, match, day = min(candidates, key=lambda c: (c[0], c[1]))
    start, end = match.span()
    groups = match.groupdict()
    clock = _read_time(groups) if "hour" in groups else None
    zone: Zone | timedelta | None = None
    if clock is not None:  # the ISO form read its own time and zone
        raw_zone = groups.get("zone")
        if raw_zone:
            digits = raw_zone.replace(":", "")
            zone = timedelta(0) if raw_zone.upper() == "Z" else _parse_offset(f"{digits[:3]}:{digits[3:5] or '00'}")
    else:
        after, before = _zone_patterns()
        tail = after.match(text[end:])
        head = before.search(text[max(0, start - 40) : start])
        for found, is_after in ((tail, True), (head, False)):
            if found is None:
                continue
            clock = _read_time(found.groupdict())
            if clock is None:
                continue
            zone = _read_zone(found.groupdict())
            if is_after:
                end += found.end()
            else:
                start = max(0, start - 40) + found.start()
            break
        if clock is not None and zone is None:
            # "16:48, 1 March 2021 GMT": a zone may also follow the date when the time came first
            abbrs = "|".join(sorted(timezone_table(), key=len, reverse=True))
            trailing = re.match(rf"\s*\(?(?P<abbr>{abbrs})(?![A-Za-z])", text[end:])
            if trailing:
                zone = timezone_table()[trailing["abbr"].upper()]
                end += trailing.end()
    local = _localize(day, clock, zone)
    value = local if zone is None else local.astimezone(UTC)
    if not _valid_year(value.year):
        return None
    return StatedTimestamp(value, (start, end), clock is not None, zone is not None, local)


def parse_timestamp(s: str) -> tuple[datetime, tuple[int, int]] | None:
    """``(utc_datetime, (start, end))`` for the first stated timestamp in ``s``, or None.

    >>> parse_timestamp("March 1, 2021 4:48 PM ET")[0].isoformat()
    '2021-03-01T21:48:00+00:00'
    >>> parse_timestamp("Updated 3 hours ago") is None
    True
    """
    found = find_timestamp(s)
    if found is None:
        return None
    return found.value, found.span


def is_assumed_utc(value: datetime) -> bool:
    """True when ``value`` came from a string without a zone and UTC was assumed."""
    return value.tzinfo is ASSUMED_UTC


_URL_DATE = re.compile(
    r"(?<![\d])(?P<year>(?:19|20)\d\d)(?P<sep>[/_-])(?P<month>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)(?![\d])"
    r"|/(?P<cyear>(?:19|20)\d\d)(?P<cmonth>[01]\d)(?P<cday>[0-3]\d)(?=[/_.-]|$)"
)


def date_from_url(url: str) -> date | None:
    """The date in a URL's path (``/2018/06/05/``, ``/2018-06-05-``, ``/20180605/``), or None.

    Only full dates count: ``/2018/06/`` says a month, not a day.

    >>> date_from_url("https://example.com/news/2018/06/05/summit.html")
    datetime.date(2018, 6, 5)
    """
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url or "", flags=re.I)
    for match in _URL_DATE.finditer(path):
        year = match["year"] or match["cyear"]
        month = match["month"] or match["cmonth"]
        day = match["day"] or match["cday"]
        if not _valid_year(int(year)):
            continue
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            continue
    return None


def looks_like_timestamp_line(line: str) -> bool:
    """True for a short line that is mostly a timestamp ("Published: 12:30 PM EST, June 5, 2018").

    Relative stamps ("Updated 3 hours ago") count too: they are page furniture even though
    they cannot be turned into a date here.
    """
    text = line.strip()
    if not text or len(text) > 100:
        return False
    relative = _RELATIVE.search(text)
    found = find_timestamp(text)
    if found is None and relative is None:
        return False
    if found is not None:
        rest = text[: found.span[0]] + " " + text[found.span[1] :]
    else:
        assert relative is not None
        rest = text[: relative.start()] + " " + text[relative.end() :]
    leftover = _LABEL.sub("", rest)
    return len(leftover) <= max(6, len(text) // 4)
