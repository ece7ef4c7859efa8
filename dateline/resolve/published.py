"""Check a page's stated publication date against what its content allows.

A stated timestamp is often the crawler's clock, not the article's date. The content bounds
the real date in three ways, each turned into a set of date intervals:

- a person called by a current office title ("US President Donald Trump") was in that office:
  the date lies within one of their terms;
- an office described without a name but whose holder the text names ("the Japanese premier
  ... Abe") bounds the date to that holder's terms in it;
- an event described as upcoming on a month and day without a year ("the upcoming summit,
  slated for June 12") happens after the article: the date lies in the year before one such
  day (the weekday, when given, picks the years).

Related headlines are read for titled people too. The intersection of all the intervals is
the window the content allows; ``trusted`` says whether the stated date falls in it.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from dateline.records import Mention, Published, TimeExpr
from dateline.resolve.registry import Person, Registry, load_registry

Interval = tuple[dt.date, dt.date]
FAR_PAST, FAR_FUTURE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH_DAY = re.compile(
    r"\b(?:(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b"
    r"(?!\s*,?\s*\d{4})"
)
_UPCOMING = re.compile(
    r"\b(?:upcoming|forthcoming|slated|scheduled|set to|set for|due to|due on|planned for|will|next|expected to)\b",
    re.I,
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
MAX_LEAD_DAYS = 366  # an event announced by month and day alone lies within the coming year


@dataclass
class Evidence:
    intervals: list[Interval]
    reason: str  # "<who> is called <title>, an office held from ... to ..."
    kind: str  # title | office | upcoming
    dates: tuple[dt.date, ...] = ()  # upcoming: the days the event may fall on


def _fmt(d: dt.date | None) -> str:
    return d.isoformat() if d else "?"


def _terms_text(intervals: Sequence[Interval]) -> str:
    parts = []
    for start, end in intervals:
        if end >= FAR_FUTURE:
            parts.append(f"from {_fmt(start)} on")
        else:
            parts.append(f"from {_fmt(start)} to {_fmt(end)}")
    return " and ".join(parts)


def _union(intervals: Sequence[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    out = []
    for s1, e1 in a:
        for s2, e2 in b:
            s, e = max(s1, s2), min(e1, e2)
            if s <= e:
                out.append((s, e))
    return _union(out)


def _terms(people: Sequence[Person]) -> list[Interval]:
    return _union([(p.start or FAR_PAST, p.end or FAR_FUTURE) for p in people])


def _title_evidence(mentions: Sequence[Mention], text: str, reg: Registry) -> list[Evidence]:
    found: list[Evidence] = []
    seen: set[tuple[str, str | None]] = set()
    for m in mentions:
        actor = m.actor
        how = m.resolved_by or ""
        if not actor or actor.kind != "person" or not actor.role or "former" in how:
            continue
        if "+title" in how:
            kind = "title"
        elif how.startswith("coreference:office"):
            kind = "office"
        else:
            continue
        key = (actor.name, actor.role)
        if key in seen:
            continue
        seen.add(key)
        terms = [p for p in reg.terms_of(actor.name) if p.role == actor.role and p.country == actor.country]
        if not terms:
            continue
        intervals = _terms(terms)
        if kind == "title":
            title = m.text[: m.text.rfind(actor.name)].strip() if actor.name in m.text else m.text
            reason = f"{actor.name} is called {title or 'by an office title'}, an office held {_terms_text(intervals)}"
        else:
            reason = (
                f'"{m.text}" is {actor.name}, who is named in the text and held that office {_terms_text(intervals)}'
            )
        found.append(Evidence(intervals, reason, kind))
    return found


def _headline_evidence(related: Sequence[str], reg: Registry) -> list[Evidence]:
    """Titled people in related headlines ("President Trump Says ..."): plain string search."""
    found = []
    for headline in related:
        low = headline.lower()
        for p in reg.people:
            if p.name.lower() not in low:
                continue
            for title in reg.titles(p):
                if re.search(rf"\b{re.escape(title)}\s+{re.escape(p.name.lower())}", low) and not re.search(
                    rf"\b(former|ex-|then-)\s*{re.escape(title)}", low
                ):
                    same = [t for t in reg.terms_of(p.name) if t.role == p.role and t.country == p.country]
                    intervals = _terms(same)
                    found.append(
                        Evidence(
                            intervals,
                            f'The related headline "{headline.strip()}" calls {p.name} '
                            f"{title}, an office held {_terms_text(intervals)}",
                            "title",
                        )
                    )
                    break
    return _dedupe(found)


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    seen, out = set(), []
    for e in evidence:
        key = (tuple(e.intervals), e.kind)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


@dataclass(frozen=True)
class KnownEvent:
    """A scheduled event with a fixed date (``dateline/data/known_events.csv``)."""

    name: str
    pattern: re.Pattern[str]
    start: dt.date
    end: dt.date


@functools.cache
def known_events() -> tuple[KnownEvent, ...]:
    """The curated table of summits and forums whose dates tell an announced day's year."""
    text = resources.files("dateline.data").joinpath("known_events.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
    out = []
    for row in rows:
        phrases = [p.strip() for p in row["patterns"].split(";") if p.strip()]
        alternation = "|".join(re.escape(p).replace(r"\-", "[-\u2013\u2014 ]") for p in phrases)
        out.append(
            KnownEvent(
                row["name"],
                re.compile(rf"\b(?:{alternation})\b", re.I),
                dt.date.fromisoformat(row["start"]),
                dt.date.fromisoformat(row["end"]),
            )
        )
    return tuple(out)


def _known_days(sentence: str, month: int, day: int) -> list[tuple[dt.date, str]]:
    """Days of known events named in ``sentence`` that fall on ``month``/``day``."""
    found = []
    for event in known_events():
        if event.pattern.search(sentence):
            when = event.start
            while when <= event.end:
                if (when.month, when.day) == (month, day):
                    found.append((when, event.name))
                when += dt.timedelta(days=1)
    return found


def _upcoming_evidence(text: str, window: list[Interval], times: Sequence[TimeExpr] | None) -> list[Evidence]:
    """ "The upcoming summit, slated for June 12": the article comes before a June 12."""
    found = []
    lo = window[0][0] if window else FAR_PAST
    hi = window[-1][1] if window else FAR_FUTURE
    unbounded = lo <= FAR_PAST or hi >= FAR_FUTURE
    if unbounded:
        # without a role window only a weekday can tell the year; look a generation back
        lo, hi = dt.date(1990, 1, 1), dt.date.today() + dt.timedelta(days=MAX_LEAD_DAYS)
    seen: set[tuple[int, int]] = set()
    for sentence in _SENTENCE.finditer(text):
        body = sentence.group(0)
        if not _UPCOMING.search(body):
            continue
        for m in _MONTH_DAY.finditer(body):
            month, day = _MONTHS[m.group("month").lower().rstrip(".")], int(m.group("day"))
            if not 1 <= day <= 31 or (month, day) in seen:
                continue
            wd = m.group("wd")
            known = [
                (d, name)
                for d, name in _known_days(body, month, day)
                if lo <= d <= hi + dt.timedelta(days=MAX_LEAD_DAYS)
            ]
            if known:
                days = sorted({d for d, _ in known})
                names = sorted({name for _, name in known})
                seen.add((month, day))
                found.append(
                    Evidence(
                        _union([(d - dt.timedelta(days=MAX_LEAD_DAYS), d) for d in days]),
                        f'"{m.group(0).strip()}" is the day of the upcoming {" or ".join(names)}, '
                        f"so the article comes before {' or '.join(d.isoformat() for d in days)}",
                        "upcoming",
                        tuple(days),
                    )
                )
                continue
            if unbounded and not wd:
                continue
            years = []
            for year in range(lo.year, hi.year + 2):
                try:
                    when = dt.date(year, month, day)
                except ValueError:
                    continue
                if wd and when.weekday() != _WEEKDAYS[wd.lower()]:
                    continue
                years.append(when)
            intervals = _union([(d - dt.timedelta(days=MAX_LEAD_DAYS), d) for d in years])
            if not intervals:
                continue
            seen.add((month, day))
            label = m.group(0).strip()
            found.append(
                Evidence(
                    intervals,
                    f'"{label}" is described as upcoming, so the article comes before it',
                    "upcoming",
                    tuple(years),
                )
            )
    del times  # explicit full dates need no year guess; the times resolver anchors on our estimate
    return found


def check_published(
    stated: dt.datetime | dt.date | None,
    text: str,
    mentions: Sequence[Mention],
    times: Sequence[TimeExpr] | None = None,
    related: Sequence[str] = (),
    *,
    stated_source: str | None = None,
    registry: Registry | None = None,
) -> Published:
    """Whether the content allows the stated date, why, and the window it allows.

    >>> check_published(None, "", []).trusted is None
    True
    """
    reg = registry or load_registry()
    stated_day = stated.date() if isinstance(stated, dt.datetime) else stated
    published = Published(stated.isoformat() if stated else None, stated_source)

    evidence = _title_evidence(mentions, text, reg) + _headline_evidence(related, reg)
    window: list[Interval] = [(FAR_PAST, FAR_FUTURE)]
    for e in evidence:
        narrowed = _intersect(window, e.intervals)
        if narrowed:
            window = narrowed
    upcoming = _upcoming_evidence(text, window if evidence else [], times)
    for e in upcoming:
        lead = dt.timedelta(days=MAX_LEAD_DAYS)
        fits = [d for d in e.dates if _intersect(window, [(d - lead, d)])]
        narrowed = _intersect(window, e.intervals)
        if not (narrowed and fits):
            continue
        window = narrowed
        if "is the day of the upcoming" in e.reason:
            pass  # a known event names its own day
        elif len(fits) == 1:
            e.reason += f"; the only such day the window allows is {fits[0].isoformat()}"
        else:
            e.reason += f"; the window allows it {_year_list([d.year for d in fits])}"
        evidence.append(e)

    if not evidence:
        published.trusted = None
        published.reasons.append("Nothing in the content bounds the publication date.")
        return published
    bounded = window != [(FAR_PAST, FAR_FUTURE)]
    if bounded:
        published.estimate_start = window[0][0].isoformat() if window[0][0] > FAR_PAST else None
        published.estimate_end = window[-1][1].isoformat() if window[-1][1] < FAR_FUTURE else None
    if stated_day is None:
        published.trusted = None
        published.reasons.extend(e.reason + "." for e in evidence)
        return published

    conflicts = []
    for e in evidence:
        if any(s <= stated_day <= end for s, end in e.intervals):
            continue
        conflicts.append(
            f"{e.reason}; the stated date {stated_day.isoformat()} is {_where(stated_day, e.intervals, e.kind)}."
        )
    if conflicts:
        published.trusted = False
        published.reasons.extend(conflicts)
        if bounded:
            published.reasons.append(
                f"The content allows {_fmt(window[0][0] if window[0][0] > FAR_PAST else None)} to "
                f"{_fmt(window[-1][1] if window[-1][1] < FAR_FUTURE else None)}."
            )
    else:
        published.trusted = True
        published.reasons.append(
            "No content contradicts the stated date: " + "; ".join(e.reason for e in evidence) + "."
        )
    return published


def _year_list(years: Sequence[int]) -> str:
    words = [str(y) for y in years]
    return "in " + (", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0])


def _where(day: dt.date, intervals: Sequence[Interval], kind: str = "title") -> str:
    before = [iv for iv in intervals if iv[1] < day]
    after = [iv for iv in intervals if iv[0] > day]
    if kind == "upcoming":
        return f"after that day ({before[-1][1].isoformat()})" if before else "outside the year before it"
    if before and after:
        return (
            f"after the term that ended {before[-1][1].isoformat()} and before the one that began "
            f"{after[0][0].isoformat()}"
        )
    if before:
        return f"after that (it ended {before[-1][1].isoformat()})"
    if after:
        return f"before that (it began {after[0][0].isoformat()})"
    return "outside it"
