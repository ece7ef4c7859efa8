"""TimeML reader (TimeBank, AQUAINT as TBAQ-cleaned ships them) and the TempEval-3 timex scorer.

Reading: the text of a document is the content of its ``<TEXT>`` element with every tag
removed and XML entities decoded, so gold offsets index into the plain text a tagger sees.
The document creation time (the ``TIMEX3`` with ``functionInDocument="CREATION_TIME"``,
inside ``<DCT>``) is read as the anchor and never scored, as in TempEval-3.

Scoring (UzZaman et al. 2013, "SemEval-2013 Task 1: TempEval-3", §4.1):

- strict extent match: same start and end; relaxed match: the two spans overlap. Matching is
  one-to-one (each gold and each system timex is used at most once, largest overlap first).
- extent P/R/F1: matched / system, matched / gold.
- attribute F1 (value, type): a relaxed match counts when the attribute is also equal;
  P = counted / system timexes, R = counted / gold timexes. This equals
  "attribute accuracy over relaxed matches x relaxed extent P (or R)", the TE-3 definition.
- type accuracy: share of relaxed matches whose type is right.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

_TAG_OR_ENTITY = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>|&(#?\w+);")
_ATTR = re.compile(r'([A-Za-z_:]+)="([^"]*)"')
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT = re.compile(r"<TIMEX3([^>]*functionInDocument=\"CREATION_TIME\"[^>]*)>")
CORPORA = ("TimeBank", "AQUAINT")


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str
    tid: str = ""


@dataclass
class TimeMLDoc:
    name: str
    corpus: str
    text: str
    dct: dt.date | None
    timexes: list[GoldTimex] = field(default_factory=list)


def _attrs(raw: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR.findall(raw)}


def parse_timeml(source: str, *, name: str = "", corpus: str = "") -> TimeMLDoc:
    """Plain text of ``<TEXT>`` with its TIMEX3 spans; the DCT as a date (None if unreadable)."""
    dct: dt.date | None = None
    match = _DCT.search(source)
    if match:
        value = _attrs(match.group(1)).get("value", "")
        try:
            dct = dt.date.fromisoformat(value[:10])
        except ValueError:
            dct = None
    body = _TEXT.search(source)
    raw = body.group(1) if body else ""
    parts: list[str] = []
    length = 0
    timexes: list[GoldTimex] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    pos = 0
    for m in _TAG_OR_ENTITY.finditer(raw):
        chunk = raw[pos : m.start()]
        parts.append(chunk)
        length += len(chunk)
        pos = m.end()
        if m.group(5) is not None:  # an entity: decode it (unknown ones stay as written)
            decoded = html.unescape(m.group(0))
            parts.append(decoded)
            length += len(decoded)
            continue
        closing, tag, attrs, selfclosing = m.group(1), m.group(2), m.group(3), m.group(4)
        if tag != "TIMEX3" or selfclosing:
            continue
        if not closing:
            open_timex = (length, _attrs(attrs))
        elif open_timex is not None:
            start, attr = open_timex
            open_timex = None
            if attr.get("functionInDocument") == "CREATION_TIME":
                continue
            text = "".join(parts)[start:length]
            timexes.append(
                GoldTimex(start, length, text, attr.get("type", ""), attr.get("value", ""), attr.get("tid", ""))
            )
    parts.append(raw[pos:])
    return TimeMLDoc(name, corpus, "".join(parts), dct, timexes)


def read_timeml(path: Path, *, corpus: str = "") -> TimeMLDoc:
    return parse_timeml(path.read_text(encoding="utf-8"), name=path.stem, corpus=corpus or path.parent.name)


def iter_tbaq(root: Path, corpora: Sequence[str] = CORPORA) -> Iterator[TimeMLDoc]:
    """Documents of TBAQ-cleaned (``root`` holds ``TimeBank/`` and ``AQUAINT/``), sorted by name."""
    for corpus in corpora:
        for path in sorted((root / corpus).glob("*.tml")):
            yield read_timeml(path, corpus=corpus)


class Span(Protocol):
    start: int
    end: int
    type: str
    value: str


@dataclass
class TimexCounts:
    """Counts that add up over documents; the scores are derived from them."""

    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0

    def __add__(self, other: TimexCounts) -> TimexCounts:
        return TimexCounts(
            self.gold + other.gold,
            self.system + other.system,
            self.strict + other.strict,
            self.relaxed + other.relaxed,
            self.value + other.value,
            self.type + other.type,
        )

    def _f1(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.system if self.system else 0.0
        r = hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def scores(self) -> dict[str, float]:
        sp, sr, sf = self._f1(self.strict)
        rp, rr, rf = self._f1(self.relaxed)
        vp, vr, vf = self._f1(self.value)
        _, _, tf = self._f1(self.type)
        return {
            "strict_p": sp,
            "strict_r": sr,
            "strict_f1": sf,
            "relaxed_p": rp,
            "relaxed_r": rr,
            "relaxed_f1": rf,
            "value_p": vp,
            "value_r": vr,
            "value_f1": vf,
            "value_acc": self.value / self.relaxed if self.relaxed else 0.0,
            "type_f1": tf,
            "type_acc": self.type / self.relaxed if self.relaxed else 0.0,
        }

    def to_json(self) -> dict[str, Any]:
        return {**vars(self), **{k: round(v, 4) for k, v in self.scores().items()}}


def match_timexes(gold: Sequence[Span], system: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one relaxed matches ``(gold index, system index)``, largest overlap first."""
    pairs = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > 0:
                pairs.append((-overlap, gi, si))
    pairs.sort()
    used_g: set[int] = set()
    used_s: set[int] = set()
    out = []
    for _, gi, si in pairs:
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        out.append((gi, si))
    return out


def score_timexes(gold: Sequence[Span], system: Sequence[Span]) -> TimexCounts:
    counts = TimexCounts(gold=len(gold), system=len(system))
    for gi, si in match_timexes(gold, system):
        g, s = gold[gi], system[si]
        counts.relaxed += 1
        counts.strict += g.start == s.start and g.end == s.end
        counts.value += g.value == s.value
        counts.type += g.type == s.type
    return counts


def total(counts: Iterable[TimexCounts]) -> TimexCounts:
    out = TimexCounts()
    for c in counts:
        out = out + c
    return out
