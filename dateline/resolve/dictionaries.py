"""Read CAMEO/PETRARCH-format actor dictionaries (the Phoenix ``*.actors.txt`` layout).

The format, as TABARI and PETRARCH read it::

    # a comment; <!-- so is this -->
    JAPAN_ [JPN]                     an entry: a phrase and its code
    +NIPPON_                         a synonym of the entry above
    SHINZO_ABE_ [JPNELI]             a person with an undated code ...
    +ABE_
     [JPNGOV 061226-070926]          ... and dated codes on the lines below it
     [JPNGOV >121226]                from that date on
     [JPNELI <061226]                before that date

Words are joined by ``_``; a trailing ``_`` marks the end of the phrase. Dates are
``YYMMDD`` (years below 50 are 20YY) or ``YYYYMMDD``. A code is a country or PLOVER
non-state code (``JPN``, ``IGO``) followed by sector codes (``GOV``, ``MIL``): the first
three letters give ``country``, the next three ``sector``.

Each dated ``GOV`` code of a person becomes a term in office (role ``government``, since
CAMEO codes do not say which office); entries without a person-like dated code become
organisations, so countries and groups resolve by their phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dateline.errors import ConfigError
from dateline.resolve.registry import Organisation, Person, Registry

_CODE = re.compile(r"\[([~A-Z0-9]+)(?:\s+([<>]?)(\d{6}|\d{8})(?:\s*-\s*(\d{6}|\d{8}))?)?\s*\]")
_XML_COMMENT = re.compile(r"<!--.*?-->", re.S)
NON_STATE = frozenset({"IGO", "NGO", "IMG", "MNC", "UAF", "REB", "PTY", "CVL", "UNK"})


@dataclass
class DictionaryEntry:
    phrase: str
    synonyms: list[str] = field(default_factory=list)
    codes: list[tuple[str, date | None, date | None]] = field(default_factory=list)  # code, start, end


def _phrase(raw: str) -> str:
    return " ".join(w for w in raw.strip().strip("+").split("_") if w).title()


def _when(raw: str, where: str) -> date:
    try:
        if len(raw) == 6:
            yy = int(raw[:2])
            return date(2000 + yy if yy < 50 else 1900 + yy, int(raw[2:4]), int(raw[4:6]))
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError as exc:
        raise ConfigError(f"{where}: {raw!r} is not a YYMMDD or YYYYMMDD date") from exc


def parse_entries(text: str, *, source: str = "dictionary") -> list[DictionaryEntry]:
    """The entries of a PETRARCH actor dictionary, in file order."""
    entries: list[DictionaryEntry] = []
    text = _XML_COMMENT.sub("", text)
    for n, line in enumerate(text.splitlines(), start=1):
        where = f"{source} line {n}"
        body = line.split("#", 1)[0].rstrip()
        if not body.strip():
            continue
        stripped = body.strip()
        codes = []
        for m in _CODE.finditer(stripped):
            code, sign, first, second = m.groups()
            start = end = None
            if first:
                when = _when(first, where)
                if second:
                    start, end = when, _when(second, where)
                elif sign == "<":
                    end = when
                else:  # ">" or a bare date: from that date on
                    start = when
            codes.append((code, start, end))
        phrase = _CODE.sub("", stripped).strip()
        if stripped.startswith("["):  # a further code of the entry above
            if not entries:
                raise ConfigError(f"{where}: a code line before any entry")
            entries[-1].codes.extend(codes)
        elif phrase.startswith("+"):
            if not entries:
                raise ConfigError(f"{where}: a synonym (+) before any entry")
            entries[-1].synonyms.append(_phrase(phrase))
            entries[-1].codes.extend(codes)
        elif phrase:
            entries.append(DictionaryEntry(_phrase(phrase), [], codes))
    return entries


def split_code(code: str) -> tuple[str | None, str | None]:
    """``JPNGOV`` -> (``JPN``, ``GOV``); ``~GOV`` -> (None, ``GOV``)."""
    code = code.strip()
    if code.startswith("~"):
        return None, code[1:4] or None
    return (code[:3] or None), (code[3:6] or None)


def parse_actor_dictionary(text: str, *, source: str = "dictionary") -> Registry:
    """A registry holding the people and organisations of a PETRARCH actor dictionary."""
    reg = Registry()
    for entry in parse_entries(text, source=source):
        dated = [(c, s, e) for c, s, e in entry.codes if s or e]
        if dated:
            for code, start, end in dated:
                country, sector = split_code(code)
                if country and sector == "GOV":
                    reg.people.append(
                        Person(entry.phrase, country, "government", start, end, tuple(entry.synonyms), source=source)
                    )
            continue  # a person: their dated codes are their terms
        undated = [c for c, s, e in entry.codes if not (s or e)]
        country, sector = split_code(undated[0]) if undated else (None, None)
        reg.organisations.append(
            Organisation(entry.phrase, tuple(entry.synonyms), country, sector, None, sector == "JRN")
        )
    return reg
