"""Time expressions tagged and normalised TIMEX3-style, anchored on the publication date.

``find_times(text, anchor)`` runs a small, data-driven rule engine (in the spirit of
HeidelTime): each rule is one compiled regular expression built from the word tables in
``dateline/data/time_words.toml`` and a function that turns a match into a TIMEX3 value.
All rules run over the whole text; overlapping candidates are settled longest-first, then
modifiers ("early", "nearly", "the end of") are taken into the extent, and, when asked,
"from 1977 till 1983" becomes one interval ``1977/1983``.

Anchored values (``June 12``, ``Tuesday``, ``next week``) are resolved against ``anchor``
using the tense of the words nearby: "slated for June 12" looks forward, "said Tuesday"
looks back, and a news story with no clue looks back for weekdays and to the nearest year
for months. Example::

    >>> [(t.text, t.value) for t in find_times("Talks are slated for June 12.", date(2018, 6, 5))]
    [('June 12', '2018-06-12')]
"""

from __future__ import annotations

import calendar
import functools
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import Any

from dateline.records import TimeExpr

Handler = Callable[[re.Match[str], "_Context"], "_Value | None"]


@dataclass(frozen=True)
class _Value:
    value: str
    type: str = "DATE"
    anchored: bool = False
    guessed: bool = False  # a year or a direction was guessed
    confidence: float = 0.9


@dataclass
class _Candidate:
    start: int
    end: int
    priority: int
    value: _Value


# ---------------------------------------------------------------- word tables and patterns


@functools.cache
def _words() -> dict[str, Any]:
    raw = resources.files("dateline.data").joinpath("time_words.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


def _alt(words: list[str] | Any) -> str:
    """A regex alternation of phrases, longest first, spaces matching any whitespace."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


def _cased(words: list[str]) -> str:
    """Capitalised or upper-case forms only, whatever the engine's case flag."""
    forms = {w.capitalize() for w in words} | {w.upper() for w in words}
    return "(?-i:" + _alt(forms) + ")"


@functools.cache
def _patterns() -> dict[str, str]:
    w = _words()
    full_months = [k for k in w["months"] if len(k) > 3 or k == "may"]
    abbr_months = [k for k in w["months"] if k not in full_months]
    full_days = [k for k in w["weekdays"] if len(k) > 5]
    abbr_days = [k for k in w["weekdays"] if k not in full_days]
    teens = [
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ]
    tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    units = "one|two|three|four|five|six|seven|eight|nine"
    num_word = f"(?:(?:{tens})(?:[\\s-](?:{units}))?|{_alt(w['numbers'])})"
    number = rf"(?:\d+(?:[.,]\d+)?(?:\s+1/2)?|{num_word}(?:\s+and\s+a\s+half)?)"
    p = {
        "MONTH": rf"(?:{_cased(full_months)}|{_cased([*abbr_months, 'sept'])}\.?)(?![a-z])",
        "MONTHFULL": rf"{_cased(full_months)}(?![a-z])",
        "WEEKDAY": rf"(?:{_cased(full_days)}|{_cased(abbr_days)}\.)(?![a-z])",
        "DAY": r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)",
        "YEAR": rf"(?:(?:1\d{{3}}|20\d\d)(?!\d|,\d)"
        rf"|nineteen[\s-]+(?:hundred|{_alt(teens)}|(?:{tens})(?:[\s-](?:{units}))?)"
        rf"|two\s+thousand(?:\s+and)?(?:\s+(?:{units}))?)",
        "NUM": number,
        "UNIT": r"(?:second|minute|hour|day|week|fortnight|month|quarter|year|decade|centur(?:y|ies))s?",
        "SEASON": _alt(w["seasons"]),
        "PART": _alt(w["day_parts"]),
        "ORD": _alt(w["ordinals"]),
        "TZ": r"(?-i:GMT|UTC|[ECMP][SD]T|BST|CET|CEST|MSK|JST)",
        "AMPM": r"(?:a\.m\.?|p\.m\.?|am\b|pm\b)",
    }
    return p


def _compile(template: str) -> re.Pattern[str]:
    p = _patterns()
    for key in sorted(p, key=len, reverse=True):
        template = template.replace("{" + key + "}", p[key])
    return re.compile(r"(?<![\w/])(?<!\d-)(?:" + template + r")(?![\w/])", re.IGNORECASE)


# ---------------------------------------------------------------- context: anchor and tense


@functools.cache
def _tense_regex() -> re.Pattern[str]:
    w = _words()["tense"]
    return re.compile(rf"(?<!\w)(?:(?P<f>{_alt(w['future'])})|(?P<p>{_alt(w['past'])}|[a-z]{{3,}}ed))(?!\w)")


@functools.cache
def _modifier_regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    w = _words()["modifiers"]
    date_mod = re.compile(rf"(?:\b(?:{_alt(w['date'])})(?:\s+|-)|\bmid-)$", re.I)
    quantity_mod = re.compile(rf"\b(?:{_alt(w['quantity'])})\s+$", re.I)
    return date_mod, quantity_mod


_PAST_PLAN = re.compile(r"\b(?:had\s+been|had|was|were)\s+$", re.I)
_SENTENCE_END = re.compile(r"[.!?;]\s|\n\s*\n")


@dataclass
class _Context:
    text: str
    anchor: date | None

    def tense(self, start: int, end: int) -> str | None:
        """``"future"``, ``"past"`` or None: the nearest tense clue in the same sentence."""
        left = self.text[max(0, start - 90) : start]
        cuts = [m.end() for m in _SENTENCE_END.finditer(left)]
        if cuts:
            left = left[cuts[-1] :]
        right = self.text[end : end + 60]
        stop = _SENTENCE_END.search(right)
        if stop:
            right = right[: stop.start()]
        best: tuple[int, str] | None = None
        tense = _tense_regex()
        for m in tense.finditer(left):
            dist = len(left) - m.end()
            if best is None or dist <= best[0]:
                # "had been due to expire Friday": a plan in the past is past
                past_plan = m.group("f") and _PAST_PLAN.search(left, 0, m.start())
                best = (dist, "future" if m.group("f") and not past_plan else "past")
        for m in tense.finditer(right):
            dist = m.start()
            if best is None or dist < best[0]:
                best = (dist, "future" if m.group("f") else "past")
            break
        return best[1] if best else None


def _ymd(d: date) -> str:
    return d.isoformat()


def _week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


TENSE_BIAS_DAYS = 90  # how far the tense moves a date named without a year


def _month_year(month: int, ctx: _Context, start: int, end: int, day: int = 15) -> int:
    """The year of a date named without one: the nearest to the anchor, the tense breaking ties.

    A date on the wrong side of the anchor for the tense ("said ... Dec. 15" in October) counts
    as ``TENSE_BIAS_DAYS`` further away than it is.
    """
    assert ctx.anchor is not None
    tense = ctx.tense(start, end)
    best: tuple[float, int] = (float("inf"), ctx.anchor.year)
    for year in (ctx.anchor.year - 1, ctx.anchor.year, ctx.anchor.year + 1):
        when = date(year, month, min(day, calendar.monthrange(year, month)[1]))
        gap = (when - ctx.anchor).days
        cost = abs(gap) + (TENSE_BIAS_DAYS if (tense == "past" and gap > 0) or (tense == "future" and gap < 0) else 0)
        best = min(best, (cost, year))
    return best[1]


def _weekday_date(weekday: int, ctx: _Context, start: int, end: int, shift: str | None) -> date:
    assert ctx.anchor is not None
    today = ctx.anchor.isoweekday()
    tense = ctx.tense(start, end)
    if shift in ("last", "past", "previous"):
        back = (today - weekday) % 7 or 7
        return ctx.anchor - timedelta(days=back)
    if shift in ("next", "coming"):
        ahead = (weekday - today) % 7 or 7
        return ctx.anchor + timedelta(days=ahead)
    if shift == "this" or tense == "future":
        return ctx.anchor + timedelta(days=(weekday - today) % 7)
    return ctx.anchor - timedelta(days=(today - weekday) % 7)


def _number(raw: str) -> float | str | None:
    words = _words()["numbers"]
    s = re.sub(r"\s+", " ", raw.lower().strip())
    half = 0.0
    if s.endswith(" and a half"):
        s, half = s[: -len(" and a half")], 0.5
    if s.endswith(" 1/2"):
        s, half = s[:-4], 0.5
    s = s.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        n = float(s)
        return n + half
    if s in words:
        v = words[s]
        return v if isinstance(v, str) else float(v) + half
    parts = re.split(r"[\s-]", s)
    if len(parts) == 2 and parts[0] in words and parts[1] in words:
        return float(words[parts[0]]) + float(words[parts[1]]) + half
    return None


def _year(raw: str) -> int:
    """A year written in digits ("1996", "'96", "96") or words ("nineteen ninety-six")."""
    s = raw.strip().lstrip("'")
    if s.isdigit():
        y = int(s)
        return y + (1900 if y > 30 else 2000) if y < 100 else y
    words = re.split(r"[\s-]+", s.lower())
    numbers = _words()["numbers"]
    if words[0] == "nineteen":
        rest = [w for w in words[1:] if w != "hundred"]
        return 1900 + int(sum(float(numbers[w]) for w in rest if w in numbers))
    rest = [w for w in words[2:] if w != "and"]
    return 2000 + int(sum(float(numbers[w]) for w in rest if w in numbers))


def _fmt_num(n: float | str) -> str:
    if isinstance(n, str):
        return n
    return str(int(n)) if n == int(n) else f"{n:g}"


_UNIT_CODE = {
    "second": ("S", True),
    "minute": ("M", True),
    "hour": ("H", True),
    "day": ("D", False),
    "week": ("W", False),
    "fortnight": ("W", False),
    "month": ("M", False),
    "quarter": ("Q", False),
    "year": ("Y", False),
    "decade": ("DE", False),
    "century": ("CE", False),
    "centurie": ("CE", False),
}


def _unit(raw: str) -> str:
    u = raw.lower()
    return u[:-1] if u.endswith("s") and u[:-1] in _UNIT_CODE else u


def _duration(n: float | str, unit: str) -> str:
    code, clock = _UNIT_CODE[unit]
    if unit == "fortnight" and not isinstance(n, str):
        n = n * 2
    if code in ("DE", "CE") and not isinstance(n, str):
        n, code = n * (10 if code == "DE" else 100), "Y"
    return ("PT" if clock else "P") + _fmt_num(n) + code


# ---------------------------------------------------------------- rule handlers


def _need_anchor(ctx: _Context, placeholder: str) -> _Value | None:
    return None if ctx.anchor is not None else _Value(placeholder, confidence=0.3)


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _h_iso(m: re.Match[str], ctx: _Context) -> _Value | None:
    y, mo, d = _year(m["y"]), int(m["m"]), int(m["d"])
    if not _valid(y, mo, d):
        return None
    if m["hh"]:
        return _Value(f"{y:04d}-{mo:02d}-{d:02d}T{m['hh']}:{m['mm']}", "TIME", confidence=0.95)
    return _Value(f"{y:04d}-{mo:02d}-{d:02d}", confidence=0.95)


def _h_slash(m: re.Match[str], ctx: _Context) -> _Value | None:
    a, b, y = int(m["a"]), int(m["b"]), _year(m["y"])
    if y < 100:
        y += 1900 if y > 30 else 2000
    mo, d = (a, b) if a <= 12 else (b, a)
    if not _valid(y, mo, d):
        return None
    return _Value(f"{y:04d}-{mo:02d}-{d:02d}", confidence=0.85)


def _month_of(raw: str) -> int:
    return int(_words()["months"][raw.lower().rstrip(".")])


def _h_month_day(m: re.Match[str], ctx: _Context) -> _Value | None:
    month = _month_of(m["mon"])
    day = int(re.match(r"\d+", m["day"]).group())  # type: ignore[union-attr]
    if m["y"]:
        year = _year(m["y"])
        if not _valid(year, month, day):
            return None
        return _Value(f"{year:04d}-{month:02d}-{day:02d}", confidence=0.95)
    if ctx.anchor is None:
        return _Value(f"XXXX-{month:02d}-{day:02d}", confidence=0.5)
    year = _month_year(month, ctx, m.start(), m.end(), day)
    if not _valid(year, month, day):
        return None
    return _Value(f"{year:04d}-{month:02d}-{day:02d}", anchored=True, guessed=True, confidence=0.8)


def _h_month_year(m: re.Match[str], ctx: _Context) -> _Value | None:
    return _Value(f"{_year(m['y']):04d}-{_month_of(m['mon']):02d}", confidence=0.95)


_MAY_CONTEXT = re.compile(
    r"(?:\b(?:in|since|until|till|by|of|during|through|early|late|last|next|this|mid)\s+|mid-)$", re.I
)


def _h_month(m: re.Match[str], ctx: _Context) -> _Value | None:
    month = _month_of(m["mon"])
    shift = (m["rel"] or "").lower()
    if (
        m["mon"].lower() == "may"
        and not shift
        and not _MAY_CONTEXT.search(ctx.text[max(0, m.start() - 12) : m.start()])
    ):
        return None
    if ctx.anchor is None:
        return _Value(f"XXXX-{month:02d}", confidence=0.5)
    year = ctx.anchor.year
    if shift in ("last", "past"):
        year -= 1 if month >= ctx.anchor.month else 0
    elif shift == "next":
        year += 1 if month <= ctx.anchor.month else 0
    elif shift != "this":
        year = _month_year(month, ctx, m.start(), m.end())
    return _Value(f"{year:04d}-{month:02d}", anchored=True, guessed=not shift, confidence=0.8)


def _h_month_rel_year(m: re.Match[str], ctx: _Context) -> _Value | None:
    month = _month_of(m["mon"])
    if ctx.anchor is None:
        return _Value(f"XXXX-{month:02d}", confidence=0.4)
    year = ctx.anchor.year + int(_words()["relative_shift"][m["rel"].lower()])
    return _Value(f"{year:04d}-{month:02d}", anchored=True, confidence=0.9)


def _h_weekday(m: re.Match[str], ctx: _Context) -> _Value | None:
    weekday = int(_words()["weekdays"][m["wd"].lower().rstrip(".")])
    part = _words()["day_parts"].get((m["part"] or "").lower(), "")
    if ctx.anchor is None:
        return _Value(f"XXXX-WXX-{weekday}" + (f"T{part}" if part else ""), confidence=0.4)
    d = _weekday_date(weekday, ctx, m.start(), m.end(), (m["rel"] or "").lower().split()[-1] if m["rel"] else None)
    if part:
        return _Value(f"{_ymd(d)}T{part}", "TIME", anchored=True, guessed=True, confidence=0.75)
    return _Value(_ymd(d), anchored=True, guessed=not m["rel"], confidence=0.8)


def _clock(m: re.Match[str]) -> str | None:
    if m["noon"]:
        return "12:00" if m["noon"].lower() == "noon" else "24:00"
    hour = int(m["hh"])
    minute = int(m["mm"] or 0)
    ampm = (m["ampm"] or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 24 or minute > 59 or (not ampm and not m["mm"]):
        return None
    return f"{hour:02d}:{minute:02d}"


def _h_time(m: re.Match[str], ctx: _Context) -> _Value | None:
    clock = _clock(m)
    if clock is None:
        return None
    if m["wd"]:
        weekday = int(_words()["weekdays"][m["wd"].lower().rstrip(".")])
        if ctx.anchor is None:
            return _Value(f"XXXX-WXX-{weekday}T{clock}", "TIME", confidence=0.4)
        d = _weekday_date(weekday, ctx, m.start(), m.end(), None)
    elif m["mon"]:
        month, day = _month_of(m["mon"]), int(re.match(r"\d+", m["day"]).group())  # type: ignore[union-attr]
        if ctx.anchor is None:
            return _Value(f"XXXX-{month:02d}-{day:02d}T{clock}", "TIME", confidence=0.4)
        year = _month_year(month, ctx, m.start(), m.end(), day)
        if not _valid(year, month, day):
            return None
        d = date(year, month, day)
    elif m["rd"]:
        if ctx.anchor is None:
            return _Value(f"XXXX-XX-XXT{clock}", "TIME", confidence=0.4)
        d = ctx.anchor + timedelta(days=int(_words()["relative_days"][m["rd"].lower()]))
    else:
        if ctx.anchor is None:
            return _Value(f"XXXX-XX-XXT{clock}", "TIME", confidence=0.4)
        d = ctx.anchor
    return _Value(f"{_ymd(d)}T{clock}", "TIME", anchored=True, confidence=0.8)


def _h_relday(m: re.Match[str], ctx: _Context) -> _Value | None:
    word = re.sub(r"\s+", " ", m["rd"].lower())
    shift = int(_words()["relative_days"][word])
    part = _words()["day_parts"].get((m["part"] or "").lower(), "")
    if word == "tonight":
        part = "NI"
    if ctx.anchor is None:
        return _Value("XXXX-XX-XX" + (f"T{part}" if part else ""), confidence=0.3)
    d = ctx.anchor + timedelta(days=shift)
    if part:
        return _Value(f"{_ymd(d)}T{part}", "TIME", anchored=True, confidence=0.85)
    return _Value(_ymd(d), anchored=True, confidence=0.9)


def _h_daypart(m: re.Match[str], ctx: _Context) -> _Value | None:
    rel = m["rel"].lower()
    part = _words()["day_parts"][m["part"].lower()]
    if ctx.anchor is None:
        return _Value(f"XXXX-XX-XXT{part}", "TIME", confidence=0.3)
    d = ctx.anchor - timedelta(days=1) if rel == "last" else ctx.anchor
    return _Value(f"{_ymd(d)}T{part}", "TIME", anchored=True, confidence=0.85)


def _shift_value(unit: str, shift: int, ctx: _Context) -> str | None:
    a = ctx.anchor
    assert a is not None
    if unit == "day":
        return _ymd(a + timedelta(days=shift))
    if unit in ("week", "weekend"):
        w = _week(a + timedelta(weeks=shift))
        return w + "-WE" if unit == "weekend" else w
    if unit == "month":
        y, mo = _shift_month(a.year, a.month, shift)
        return f"{y:04d}-{mo:02d}"
    if unit == "quarter":
        q = (a.month - 1) // 3 + shift
        return f"{a.year + q // 4:04d}-Q{q % 4 + 1}"
    if unit == "year":
        return f"{a.year + shift:04d}"
    if unit == "decade":
        return f"{(a.year // 10 + shift):03d}X"
    if unit in ("century", "centurie"):
        return f"{(a.year // 100 + shift):02d}"
    return None


def _h_relunit(m: re.Match[str], ctx: _Context) -> _Value | None:
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    shift = int(_words()["relative_shift"][rel])
    unit = _unit(m["unit"])
    if ctx.anchor is None:
        placeholders = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX"}
        return _Value(placeholders.get(unit, "XXXX"), confidence=0.3)
    value = _shift_value(unit, shift, ctx)
    return _Value(value, anchored=True, confidence=0.9) if value else None


def _h_weekend(m: re.Match[str], ctx: _Context) -> _Value | None:
    if ctx.anchor is None:
        return _Value("XXXX-WXX-WE", confidence=0.3)
    future = ctx.tense(m.start(), m.end()) == "future"
    a = ctx.anchor
    if future:
        d = a + timedelta(days=(6 - a.isoweekday()) % 7)
    else:
        d = a if a.isoweekday() >= 6 else a - timedelta(days=a.isoweekday())
    return _Value(_week(d) + "-WE", anchored=True, guessed=True, confidence=0.7)


def _h_ago(m: re.Match[str], ctx: _Context) -> _Value | None:
    n = _number(m["n"])
    unit = _unit(m["unit"])
    if n is None or unit not in _UNIT_CODE:
        return None
    if isinstance(n, str) or (unit in ("decade", "century", "centurie") and n != 1):
        return _Value("PAST_REF", confidence=0.7)
    if ctx.anchor is None:
        return _Value("XXXX", confidence=0.3)
    a, k = ctx.anchor, int(n)
    if unit in ("second", "minute", "hour"):
        return _Value(_ymd(a), anchored=True, confidence=0.6)
    if unit == "decade":
        k, unit = 10, "year"
    elif unit in ("century", "centurie"):
        k, unit = 100, "year"
    if unit == "fortnight":
        k, unit = 2 * k, "week"
    if unit == "week":
        value = _week(a - timedelta(weeks=k))
    elif unit == "day":
        value = _ymd(a - timedelta(days=k))
    else:
        value = _shift_value(unit, -k, ctx) or ""
    return _Value(value, anchored=True, confidence=0.8)


def _h_duration(m: re.Match[str], ctx: _Context) -> _Value | None:
    n = _number(m["n"]) if m["n"] else "X"
    unit = _unit(m["unit"])
    if n is None or unit not in _UNIT_CODE:
        return None
    word = m["n"].lower()
    if word in ("a", "an") and unit in ("second", "quarter"):
        return None  # "a second round", "a quarter of the votes"
    if word.isdigit() and len(word) == 4 and not m.group(0).lower().endswith("s") and "-" not in m.group(0):
        return None  # "the 1988 second quarter"
    if re.match(r"\s+old\b", ctx.text[m.end() : m.end() + 5]) or m.group(0).lower().endswith("-old"):
        return None  # an age
    if word in ("a", "an") and re.search(r"(?:\d|\w+s)\s+$", ctx.text[max(0, m.start() - 30) : m.start()]):
        return None  # a rate: "$1.76 a year", "four flights a week"
    return _Value(_duration(n, unit), "DURATION", confidence=0.85)


def _h_plural(m: re.Match[str], ctx: _Context) -> _Value | None:
    return _Value(_duration("X", _unit(m["unit"])), "DURATION", confidence=0.6)


def _h_set(m: re.Match[str], ctx: _Context) -> _Value | None:
    word = m.group(0).lower()
    adverbs = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H"}
    if word in adverbs:
        return _Value(adverbs[word], "SET", confidence=0.8)
    if m["unit"]:
        unit = _unit(m["unit"])
        return _Value(_duration(1, unit), "SET", confidence=0.8)
    if m["wd"]:
        return _Value(f"XXXX-WXX-{_words()['weekdays'][m['wd'].lower().rstrip('.')]}", "SET", confidence=0.8)
    if m["mon"]:
        return _Value(f"XXXX-{_month_of(m['mon']):02d}", "SET", confidence=0.8)
    return None


def _quarter_number(raw: str) -> int | None:
    raw = raw.lower()
    if raw in ("last", "final"):
        return 4
    n = _words()["ordinals"].get(raw)
    return int(n) if n and 1 <= int(n) <= 4 else None


def _h_quarter(m: re.Match[str], ctx: _Context) -> _Value | None:
    year = _year(m["y"] or m["y2"] or m["y3"]) if m["y"] or m["y2"] or m["y3"] else None
    if not (m["ord"] or m["which"] or m["q"] or m["yr"] or m.group(0)[:3].lower() == "the"):
        return None
    fiscal = ""
    which = (m["which"] or "").lower().replace(" ", "-")
    ago = "ago" in which or "earlier" in which or bool(m["ago"])
    q = _quarter_number(m["ord"]) if m["ord"] else None
    if m["q"]:
        q = int(m["q"])
    if year is None and ctx.anchor is None:
        return _Value(f"XXXX-Q{q or 'X'}", confidence=0.3)
    if year is not None:
        if q is None:
            return None
        return _Value(f"{fiscal}{year:04d}-Q{q}", confidence=0.95)
    assert ctx.anchor is not None
    current = (ctx.anchor.month - 1) // 3 + 1
    y = ctx.anchor.year
    if q is None:
        if which in ("current", "this"):
            q = current
        elif which == "next":
            y, q = (y + 1, 1) if current == 4 else (y, current + 1)
        else:  # "the quarter", "the latest quarter", "the year-ago quarter": the last one reported
            y, q = (y - 1, 4) if current == 1 else (y, current - 1)
    elif q > current and ctx.tense(m.start(), m.end()) != "future":
        y -= 1
    if ago:
        y -= 1
    if m["yr"]:
        y = ctx.anchor.year + int(_words()["relative_shift"][m["yr"].lower()])
    return _Value(f"{y:04d}-Q{q}", anchored=True, guessed=True, confidence=0.75)


def _h_half(m: re.Match[str], ctx: _Context) -> _Value | None:
    h = 1 if m["ord"].lower() in ("first", "1st") else 2
    if m["y"]:
        return _Value(f"{_year(m['y']):04d}-H{h}", confidence=0.9)
    if ctx.anchor is None:
        return _Value(f"XXXX-H{h}", confidence=0.3)
    return _Value(f"{ctx.anchor.year:04d}-H{h}", anchored=True, guessed=True, confidence=0.7)


_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|per\s+cent|[a-z]*illion|shares|people|tons|feet|meters|miles|km|kilometers|pounds|troops"
    r"|students|residents|workers|members|votes|cases|deaths|cars|units|barrels|acres|points|yards|dollars)\b",
    re.I,
)
_NOT_YEAR_BEFORE = re.compile(r"(?:[$£€#]|\bNo\.|\bnumber|\bRoute|\bFlight|\bRoom|\bat|\babout|[\d.,])\s*$", re.I)


def _h_year(m: re.Match[str], ctx: _Context) -> _Value | None:
    year = _year(m["y"])
    before = ctx.text[max(0, m.start() - 12) : m.start()]
    if _NOT_YEAR_BEFORE.search(before) or _NOT_YEAR_AFTER.match(ctx.text, m.end()):
        return None
    if not 1000 <= year <= 2099 or (year < 1600 and not re.search(r"\b(?:in|since|of|from|by)\s*$", before, re.I)):
        return None
    return _Value(f"{year:04d}", confidence=0.85)


def _h_year_range(m: re.Match[str], ctx: _Context) -> _Value | None:
    y1, y2 = _year(m["y1"] or m["y3"]), _year(m["y2"] or m["y4"])
    if y2 < 100:
        y2 = y1 // 100 * 100 + y2
    if not y1 < y2 <= y1 + 200:
        return None
    return _Value(f"{y1:04d}/{y2:04d}", confidence=0.85)


def _h_decade(m: re.Match[str], ctx: _Context) -> _Value | None:
    if m["cent"]:
        return _Value(f"{m['cent']}{m['dec']}X", confidence=0.9)
    if ctx.anchor is None:
        return _Value(f"XX{m['dec']}X", confidence=0.4)
    century = ctx.anchor.year // 100 - (1 if int(m["dec"]) * 10 > ctx.anchor.year % 100 else 0)
    return _Value(f"{century:02d}{m['dec']}X", anchored=True, guessed=True, confidence=0.75)


def _h_century(m: re.Match[str], ctx: _Context) -> _Value | None:
    raw = m["ord"].lower()
    n = int(re.match(r"\d+", raw).group()) if raw[0].isdigit() else _words()["ordinals"].get(raw)  # type: ignore[union-attr]
    if not n or not 1 <= int(n) <= 21:
        return None
    return _Value(f"{int(n) - 1:02d}", confidence=0.9)


def _h_season(m: re.Match[str], ctx: _Context) -> _Value | None:
    code = _words()["seasons"][m["season"].lower()]
    if m["y"]:
        return _Value(f"{_year(m['y']):04d}-{code}", confidence=0.9)
    if ctx.anchor is None:
        return _Value(f"XXXX-{code}", confidence=0.3)
    rel = re.sub(r"\s+", " ", (m["rel"] or "").lower())
    order = ["WI", "SP", "SU", "FA"]
    now = order[ctx.anchor.month % 12 // 3]
    year = ctx.anchor.year
    later = order.index(code) > order.index(now)
    if rel in ("last", "past", "this past"):
        year -= 1 if order.index(code) >= order.index(now) else 0
    elif rel == "next":
        year += 1 if order.index(code) <= order.index(now) else 0
    elif rel not in ("this",) and later and ctx.tense(m.start(), m.end()) == "past":
        year -= 1
    return _Value(f"{year:04d}-{code}", anchored=True, guessed=not rel, confidence=0.75)


def _h_vague(m: re.Match[str], ctx: _Context) -> _Value | None:
    phrase = re.sub(r"\s+", " ", m.group(0).lower())
    if phrase == "soon" and (
        re.search(r"\bas\s+$", ctx.text[max(0, m.start() - 4) : m.start()], re.I)
        or re.match(r"\s+after\b", ctx.text[m.end() : m.end() + 7], re.I)
    ):
        return None  # "as soon as", "soon after": relative to another event, not to now
    return _Value(_words()["vague"][phrase], confidence=0.7)


def _h_holiday(m: re.Match[str], ctx: _Context) -> _Value | None:
    md = _words()["holidays"][re.sub(r"\s+", " ", m["hol"].lower()).replace("’", "'")]
    if m["y"]:
        return _Value(f"{_year(m['y']):04d}-{md}", confidence=0.9)
    if ctx.anchor is None:
        return _Value(f"XXXX-{md}", confidence=0.3)
    year = _month_year(int(md[:2]), ctx, m.start(), m.end())
    return _Value(f"{year:04d}-{md}", anchored=True, guessed=True, confidence=0.75)


def _h_the_unit(m: re.Match[str], ctx: _Context) -> _Value | None:
    unit = _unit(m["unit"])
    if ctx.anchor is None:
        return _Value("XXXX", confidence=0.3)
    value = _shift_value(unit, 0, ctx)
    return _Value(value, anchored=True, guessed=True, confidence=0.5) if value else None


_QUARTER_TALK = re.compile(r"\bquarter\b|\bperiod\b", re.I)


def _h_year_adj(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "A year earlier", "year-ago": in an earnings report that compares quarters, the quarter."""
    if ctx.anchor is None:
        return _Value("XXXX", confidence=0.3)
    nearby = ctx.text[max(0, m.start() - 250) : m.end() + 40]
    if _QUARTER_TALK.search(nearby):
        current = (ctx.anchor.month - 1) // 3 + 1
        y, q = (ctx.anchor.year - 1, 4) if current == 1 else (ctx.anchor.year, current - 1)
        return _Value(f"{y - 1:04d}-Q{q}", anchored=True, guessed=True, confidence=0.5)
    return _Value(f"{ctx.anchor.year - 1:04d}", anchored=True, guessed=True, confidence=0.6)


def _h_fiscal(m: re.Match[str], ctx: _Context) -> _Value | None:
    y = _year(m["y"])
    if y < 100:
        y += 1900 if y > 30 else 2000
    return _Value(f"{y:04d}", confidence=0.85)


# ---------------------------------------------------------------- the rule table

_REL = r"(?:this\s+past|this\s+coming|last|past|previous|this|current|next|coming)"
_RULES: list[tuple[str, str, Handler]] = [
    ("iso", r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?:T(?P<hh>\d\d):(?P<mm>\d\d)(?::\d\d)?)?", _h_iso),
    ("slash", r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d\d)", _h_slash),
    (
        "month_day",
        r"(?:{WEEKDAY},?\s+)?(?:(?P<mon>{MONTH})\s+(?P<day>{DAY})|(?P<day2>{DAY})\s+(?:of\s+)?(?P<mon2>{MONTH}))"
        r"(?:,?\s+(?P<y>{YEAR}))?",
        None,  # filled below: both orders share one handler
    ),
    ("month_year", r"(?P<mon>{MONTH}),?\s+(?:of\s+)?(?P<y>{YEAR})", _h_month_year),
    ("month_rel_year", r"(?P<mon>{MONTH})\s+(?:of\s+)?(?P<rel>this|last|next)\s+year", _h_month_rel_year),
    ("month", r"(?:(?P<rel>last|next|this|past)\s+)?(?P<mon>{MONTHFULL})", _h_month),
    (
        "time",
        r"(?:(?P<hh>[01]?\d|2[0-4])(?::(?P<mm>[0-5]\d))?\s*(?P<ampm>{AMPM})?|(?P<noon>noon|midnight))(?:\s+{TZ})?"
        r"(?:,?\s+(?:on\s+)?(?:(?P<wd>{WEEKDAY})|(?P<rd>today|yesterday|tomorrow)|(?P<mon>{MONTH})\s+(?P<day>{DAY})))?",
        _h_time,
    ),
    (
        "weekday",
        r"(?:(?P<rel>this\s+past|this\s+coming|last|next|this|past|coming)\s+)?(?P<wd>{WEEKDAY})(?:\s+(?P<part>{PART}))?",
        _h_weekday,
    ),
    (
        "relday",
        r"(?P<rd>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|tonight|tomorrow|yesterday)"
        r"(?:\s+(?P<part>{PART}))?",
        _h_relday,
    ),
    ("daypart", r"(?P<rel>this|last|tomorrow)\s+(?P<part>{PART})", _h_daypart),
    (
        "relunit",
        rf"(?:the\s+(?=current))?(?P<rel>{_REL})\s+(?:fiscal\s+)?(?P<unit>week|weekend|month|quarter|year|decade|century)",
        _h_relunit,
    ),
    ("weekend", r"the\s+weekend", _h_weekend),
    ("year_ago", r"a\s+year\s+(?:ago|earlier)", _h_year_adj),
    ("ago", r"(?P<n>{NUM})\s+(?P<unit>{UNIT})\s+(?:or\s+so\s+)?(?:ago|earlier|before)", _h_ago),
    (
        "duration",
        r"(?:(?:the|each\s+of\s+the)\s+(?:(?:past|last|next|first|previous|coming|following|final|remaining|latest)\s+)?)?"
        r"(?P<n>{NUM})[\s-]+(?:more\s+)?(?P<unit>{UNIT})(?:-old|-long)?",
        _h_duration,
    ),
    ("duration_few", r"(?:the\s+)?(?:past|last|next|coming)\s+(?P<n>few|several)\s+(?P<unit>{UNIT})", _h_duration),
    (
        "coming",
        r"(?:the\s+)?coming\s+(?P<unit>days|weeks|months|years|decades)|(?P<unit2>weeks|months|years)\s+ahead",
        None,
    ),
    ("duration_the", r"the\s+(?:past|last|next|previous|coming)\s+(?P<n>)(?P<unit>day|week|month|year|decade)", None),
    (
        "plural",
        r"(?:(?<=\bfor\s)|(?<=\bover\s))(?P<unit>years|months|weeks|decades|centuries|days|hours)(?!\s+(?:of|to|ago))",
        _h_plural,
    ),
    (
        "set",
        r"daily|weekly|monthly|annually|yearly|hourly|(?:every|each|per)\s+(?:(?P<unit>day|week|month|quarter|year)"
        r"|(?P<wd>{WEEKDAY})|(?P<mon>{MONTHFULL}))",
        _h_set,
    ),
    (
        "quarter",
        r"(?:(?:the\s+)?(?:(?P<yr>this|last|next)\s+year's\s+|(?P<y3>{YEAR})\s+)?(?:(?P<which>latest|current|this|next|most\s+recent|year-earlier|year-ago|previous|comparable|same|fiscal"
        r"|year\s+earlier|year\s+ago)\s+)*(?:(?P<ord>first|second|third|fourth|last|final|1st|2nd|3rd|4th)[\s-]+)?"
        r"(?:fiscal\s+)?(?:quarter(?!-)|(?<=latest\s)period|(?<=earlier\s)period|(?<=ago\s)period)(?:\s+(?:of\s+)?(?:(?:fiscal\s+)?(?P<y>{YEAR})|(?P<ago>a\s+year\s+(?:ago|earlier))))?"
        r"|Q(?P<q>[1-4])(?:\s+(?P<y2>{YEAR}))?)",
        _h_quarter,
    ),
    (
        "half",
        r"(?:the\s+)?(?P<ord>first|second|last|1st|2nd)\s+half(?:\s+of\s+(?:(?:fiscal\s+)?(?P<y>{YEAR})|the\s+year))?",
        _h_half,
    ),
    (
        "year_range",
        r"(?P<y1>{YEAR})\s*(?:-|–|—|to|till|until|through)\s*(?P<y2>{YEAR}|\d\d)"
        r"|(?<=between\s)(?P<y3>{YEAR})\s+and\s+(?P<y4>{YEAR})",
        None,
    ),
    ("fiscal", r"fiscal(?:\s+year)?\s+(?P<y>{YEAR}|'?\d\d)", _h_fiscal),
    ("year", r"(?:the\s+year\s+)?(?P<y>{YEAR})(?:'s)?", _h_year),
    ("decade", r"(?:the\s+)?(?:(?:early|mid|late)[\s-]*)?(?:(?P<cent>1\d|20)|')(?P<dec>\d)0'?s", _h_decade),
    ("century", r"(?:the\s+)?(?P<ord>{ORD}|\d{1,2}(?:st|nd|rd|th))[\s-]+century", _h_century),
    (
        "season",
        r"(?:(?P<rel>this\s+past|last|this|next|past)\s+|the\s+|(?<=\bin\s))(?:(?:early|late|mid)[\s-]*)?"
        r"(?P<season>{SEASON})(?:\s+(?:of\s+)?(?P<y>{YEAR}))?|(?P<season2>spring|summer|autumn|winter)\s+(?P<y2>{YEAR})",
        None,
    ),
    ("vague", "VAGUE", _h_vague),
    ("holiday", r"(?P<hol>HOLIDAY)(?:\s+(?P<y>{YEAR}))?", _h_holiday),
    ("the_unit", r"the\s+(?:full\s+|fiscal\s+|same\s+)?(?P<unit>year|month|week)", _h_the_unit),
    ("year_adj", r"the\s+year-(?:earlier|ago)\s+period|year-(?:earlier|ago)(?:\s+period)?", _h_year_adj),
    ("year_end", r"(?:the\s+)?(?:(?P<rel>this|last|next)\s+)?year(?:'s)?[\s-]end", None),
]


def _h_month_day_any(m: re.Match[str], ctx: _Context) -> _Value | None:
    class _M(dict):  # the two word orders share one handler
        def start(self) -> int:
            return m.start()

        def end(self) -> int:
            return m.end()

    view = _M(mon=m["mon"] or m["mon2"], day=m["day"] or m["day2"], y=m["y"])
    return _h_month_day(view, ctx)  # type: ignore[arg-type]


def _h_duration_the(m: re.Match[str], ctx: _Context) -> _Value | None:
    return _Value(_duration(1, _unit(m["unit"])), "DURATION", confidence=0.7)


def _h_year_range_any(m: re.Match[str], ctx: _Context) -> _Value | None:
    return _h_year_range(m, ctx)


def _h_season_any(m: re.Match[str], ctx: _Context) -> _Value | None:
    if m["season2"]:
        code = _words()["seasons"][m["season2"].lower()]
        return _Value(f"{_year(m['y2']):04d}-{code}", confidence=0.9)
    return _h_season(m, ctx)


def _h_coming(m: re.Match[str], ctx: _Context) -> _Value | None:
    return _Value(_duration("X", _unit(m["unit"] or m["unit2"])), "DURATION", confidence=0.6)


def _h_year_end(m: re.Match[str], ctx: _Context) -> _Value | None:
    if ctx.anchor is None:
        return _Value("XXXX-12", confidence=0.3)
    shift = int(_words()["relative_shift"][m["rel"].lower()]) if m["rel"] else 0
    return _Value(f"{ctx.anchor.year + shift:04d}", anchored=True, guessed=True, confidence=0.6)


_LATE_HANDLERS: dict[str, Handler] = {
    "coming": _h_coming,
    "year_end": _h_year_end,
    "month_day": _h_month_day_any,
    "duration_the": _h_duration_the,
    "year_range": _h_year_range_any,
    "season": _h_season_any,
}


@dataclass(frozen=True)
class _Rule:
    name: str
    regex: re.Pattern[str]
    handler: Handler
    priority: int


@functools.cache
def _rules() -> tuple[_Rule, ...]:
    w = _words()
    out = []
    for priority, (name, template, handler) in enumerate(_RULES):
        template = template.replace("VAGUE", _alt(w["vague"])).replace("HOLIDAY", _alt(w["holidays"]))
        out.append(_Rule(name, _compile(template), handler or _LATE_HANDLERS[name], priority))
    return tuple(out)


# ---------------------------------------------------------------- extent fixes, intervals, records

_LEADING_THE = re.compile(r"the\s+(?=[\w.]+-(?:year|month|week|day|hour|minute|quarter)\b)", re.I)
_INTERVAL = re.compile(r"\s*(?:-|–|—|to|till|until|through|and)\s*$", re.I)
_INTERVAL_START = re.compile(r"\b(?:from|between)\s+$", re.I)


def _extend(text: str, cand: _Candidate) -> None:
    left = text[max(0, cand.start - 40) : cand.start]
    if (
        cand.value.type == "DURATION"
        or cand.value.value.startswith(("P", "PAST"))
        or re.search(r"\b(?:ago|earlier)$", text[cand.start : cand.end])
    ):
        m = _modifier_regexes()[1].search(left)
        if m:
            cand.start -= len(left) - m.start()
            return
    if cand.value.type in ("DATE", "TIME") and not cand.value.value.endswith("_REF"):
        m = _modifier_regexes()[0].search(left)
        if m:
            cand.start -= len(left) - m.start()


def _select(cands: list[_Candidate]) -> list[_Candidate]:
    """Longest candidates first; ties go to the rule listed first."""
    chosen: list[_Candidate] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.priority, c.start)):
        if all(c.end <= o.start or c.start >= o.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def _merge_intervals(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for c in chosen:
        prev = out[-1] if out else None
        if prev and "/" not in prev.value.value and prev.value.type == "DATE" and c.value.type == "DATE":
            between = text[prev.end : c.start]
            head = text[max(0, prev.start - 10) : prev.start]
            if _INTERVAL.fullmatch(between) and _INTERVAL_START.search(head) and _parse_value(prev.value.value)[0]:
                first, last = prev.value, c.value
                if _parse_value(last.value)[0] and first.value < last.value:
                    merged = _Value(
                        f"{first.value}/{last.value}",
                        anchored=first.anchored or last.anchored,
                        guessed=first.guessed or last.guessed,
                        confidence=min(first.confidence, last.confidence),
                    )
                    out[-1] = _Candidate(prev.start, c.end, prev.priority, merged)
                    continue
        out.append(c)
    return out


_SEASON_SPAN = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def _parse_value(value: str) -> tuple[str | None, str | None, str | None]:
    """Granularity and the first and last day a value covers (None where it names no span)."""
    if "/" in value:
        a, b = value.split("/", 1)
        ga, sa, _ = _parse_value(a)
        _, _, eb = _parse_value(b)
        return ga, sa, eb
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(T.*)?", value)
    if m:
        return ("time" if m[4] else "day"), value[:10], value[:10]
    m = re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", value)
    if m:
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        first = monday + timedelta(days=5) if m[3] else monday
        return "week", first.isoformat(), (monday + timedelta(days=6)).isoformat()
    m = re.fullmatch(r"(\d{4})-(\d\d)", value)
    if m:
        y, mo = int(m[1]), int(m[2])
        return "month", f"{y:04d}-{mo:02d}-01", f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"
    m = re.fullmatch(r"(\d{4})-Q([1-4])", value)
    if m:
        y, q = int(m[1]), int(m[2])
        last = 3 * q
        return "quarter", f"{y:04d}-{last - 2:02d}-01", f"{y:04d}-{last:02d}-{calendar.monthrange(y, last)[1]:02d}"
    m = re.fullmatch(r"(\d{4})-H([12])", value)
    if m:
        y = int(m[1])
        return "half", f"{y:04d}-{'01' if m[2] == '1' else '07'}-01", f"{y:04d}-{'06-30' if m[2] == '1' else '12-31'}"
    m = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value)
    if m:
        y = int(m[1])
        a, b = _SEASON_SPAN[m[2]]
        ey, em = (y + 1, b - 12) if b > 12 else (y, b)
        return "season", f"{y:04d}-{a:02d}-01", f"{ey:04d}-{em:02d}-{calendar.monthrange(ey, em)[1]:02d}"
    if re.fullmatch(r"\d{4}", value):
        return "year", f"{value}-01-01", f"{value}-12-31"
    if re.fullmatch(r"\d{3}X", value):
        return "decade", f"{value[:3]}0-01-01", f"{value[:3]}9-12-31"
    if re.fullmatch(r"\d\d", value):
        return "century", f"{value}00-01-01", f"{value}99-12-31"
    return None, None, None


def _granularity(v: _Value) -> str | None:
    if v.type == "DURATION" or v.type == "SET":
        return None
    g = _parse_value(v.value)[0]
    if g is None and v.value.startswith("XXXX"):
        g = "day" if re.fullmatch(r"XXXX-\d\d-\d\d|XXXX-XX-XX", v.value) else None
    return g


def find_times(
    text: str,
    anchor: date | None,
    *,
    anchor_trusted: bool = True,
    annotation: Any = None,
    intervals: bool = True,
) -> list[TimeExpr]:
    """Every time expression in ``text``, normalised against ``anchor`` (the publication date).

    ``anchor_trusted=False`` lowers the confidence of every value that depended on the anchor.
    ``annotation`` (``dateline.annotate.Annotation``) is optional: its entities veto bare years
    that spaCy reads as money, counts or quantities. ``intervals=False`` keeps "from 1977 till
    1983" as two expressions, the way TimeML annotates it.
    """
    ctx = _Context(text, anchor)
    cands: list[_Candidate] = []
    for rule in _rules():
        if not intervals and rule.name == "year_range":
            continue
        for m in rule.regex.finditer(text):
            value = rule.handler(m, ctx)
            if value is not None and value.value:
                cands.append(_Candidate(m.start(), m.end(), rule.priority, value))
    if annotation is not None:
        cands = _veto_by_entities(cands, annotation)
    chosen = _select(cands)
    for c in chosen:
        _extend(text, c)
        lead = _LEADING_THE.match(text, c.start, c.end)
        if lead:  # TimeML leaves "the" out before an adjective: "the eight-year [term]"
            c.start = lead.end()
    if intervals:
        chosen = _merge_intervals(text, chosen)
    out = []
    for c in chosen:
        v = c.value
        granularity, first, last = _parse_value(v.value) if v.type in ("DATE", "TIME") else (None, None, None)
        confidence = v.confidence * (0.85 if v.guessed else 1.0)
        if v.anchored and not anchor_trusted:
            confidence *= 0.6
        out.append(
            TimeExpr(
                text=text[c.start : c.end],
                start=c.start,
                end=c.end,
                value=v.value,
                type=v.type,
                granularity=granularity or _granularity(v),
                interval_start=first,
                interval_end=last,
                anchored=v.anchored,
                confidence=round(confidence, 3),
            )
        )
    return out


_NUMERIC_LABELS = {"MONEY", "CARDINAL", "QUANTITY", "PERCENT"}


def _veto_by_entities(cands: list[_Candidate], annotation: Any) -> list[_Candidate]:
    numeric = [(e.start, e.end) for e in getattr(annotation, "entities", []) if e.label in _NUMERIC_LABELS]
    if not numeric:
        return cands
    keep = []
    for c in cands:
        bare_year = re.fullmatch(r"\d{4}", c.value.value) is not None
        if bare_year and any(s <= c.start and c.end <= e for s, e in numeric):
            continue
        keep.append(c)
    return keep
