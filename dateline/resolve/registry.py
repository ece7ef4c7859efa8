"""The actor registry: countries, organisations, media, sector words, office titles and people.

The tables ship as package data in ``dateline/data/actors/`` (CSV, one header line after
``#`` comment lines on provenance). Users add their own with files in the same columns::

    # my_actors.csv -- a people table: the header names the table by its columns
    name,aliases,country,role,titles,start,end,wikidata
    Jane Roe,Roe;J. Roe,XYZ,head_of_government,,2024-01-01,,

    # my_actors.toml -- any of the tables, each an array of tables
    [[people]]
    name = "Jane Roe"
    aliases = ["Roe"]
    country = "XYZ"
    role = "head_of_government"
    start = "2024-01-01"

    [[organisations]]
    name = "Example Liberation Front"
    aliases = ["ELF"]
    country = "XYZ"
    sector = "REB"

A CSV's table is told by its header: ``role`` and ``start`` make it a people table,
``demonyms`` a countries table, ``term`` a sectors table, ``titles`` (without ``start``) a
roles table; any other ``name,aliases,country,sector,wikidata`` header is an organisations
table (``sector`` JRN rows are media). TOML files use the table names ``people``,
``countries``, ``organisations``, ``media``, ``sectors``, ``roles``. Lists are ``;``-separated
in CSV and TOML arrays (or ``;`` strings) in TOML. Dates are ISO (``2018-06-12``); an empty
``end`` means the person still holds the office. PETRARCH/CAMEO actor dictionaries
(``*.actors.txt``, ``*.txt``) are read by :mod:`dateline.resolve.dictionaries`.

User entries are added after the package's, and a user person with the same name, country
and role as a package one replaces it, so a user file can correct a term's dates.
"""

from __future__ import annotations

import csv
import functools
import io
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from dateline.errors import ConfigError

TABLES = ("countries", "organisations", "media", "sectors", "roles", "people")


@dataclass(frozen=True)
class Country:
    code: str  # ISO-3166 alpha-3
    alpha2: str
    name: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    seats: tuple[str, ...] = ()
    wikidata: str | None = None


@dataclass(frozen=True)
class Organisation:
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None  # alpha-3 or a PLOVER code (IGO, NGO, IMG, MNC)
    sector: str | None = None
    wikidata: str | None = None
    media: bool = False


@dataclass(frozen=True)
class Role:
    country: str  # alpha-3 or "*"
    role: str  # head_of_state, head_of_government, foreign_minister, ...
    titles: tuple[str, ...]
    leader: bool = False  # whether "the <country> leader" means this role


@dataclass(frozen=True)
class Person:
    """One person in one office for one term."""

    name: str
    country: str
    role: str
    start: date | None
    end: date | None  # None: still in office
    aliases: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()  # extra titles for this term; the role's titles apply too
    wikidata: str | None = None
    source: str = "package"

    def holds_at(self, when: date) -> bool:
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)

    @property
    def surname(self) -> str:
        """The short form news uses after the first mention ("Abe", "Kim", "Trump")."""
        parts = self.name.replace("-", " - ").split()
        if self.country in NO_SHORT_NAME:
            return self.name
        if self.country in FAMILY_NAME_FIRST and len(parts) > 1:
            return parts[0]
        particles = {"de", "da", "van", "von", "al", "bin", "el", "della", "di", "du", "le"}
        last = [p for p in parts if p.lower() not in particles and p != "-"]
        return last[-1] if last else self.name


# Countries whose people are named family name first in English-language news.
FAMILY_NAME_FIRST = frozenset({"CHN", "TWN", "PRK", "KOR", "VNM", "HKG", "MAC", "KHM"})
# Countries whose leaders are named by patronymic chains ("Mohammed bin Salman"): no short form.
NO_SHORT_NAME = frozenset({"SAU", "QAT", "ARE", "KWT", "BHR", "OMN", "JOR"})


@dataclass(eq=False)  # compared and hashed by identity: caches key on it
class Registry:
    countries: dict[str, Country] = field(default_factory=dict)
    organisations: list[Organisation] = field(default_factory=list)
    sectors: dict[str, str] = field(default_factory=dict)  # lower-case term -> sector
    roles: dict[tuple[str, str], Role] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    _by_name: dict[str, list[Person]] | None = field(default=None, repr=False)
    _by_office: dict[tuple[str, str], list[Person]] | None = field(default=None, repr=False)

    def _index(self) -> None:
        self._by_name, self._by_office = {}, {}
        for p in self.people:
            self._by_name.setdefault(p.name, []).append(p)
            self._by_office.setdefault((p.country, p.role), []).append(p)

    def role(self, country: str, role: str) -> Role | None:
        return self.roles.get((country, role)) or self.roles.get(("*", role))

    def titles(self, person: Person) -> tuple[str, ...]:
        """Every lower-case title that names ``person``'s office."""
        found = self.role(person.country, person.role)
        return tuple(dict.fromkeys((*person.titles, *(found.titles if found else ()))))

    def roles_titled(self, country: str, title: str) -> list[str]:
        """The roles that ``title`` ("premier", "leader") names in ``country``."""
        key = (country, title.lower())
        cache = self.__dict__.setdefault("_titled", {})
        if key not in cache:
            cache[key] = self._roles_titled(country, title.lower())
        return list(cache[key])

    def _roles_titled(self, country: str, title: str) -> list[str]:
        roles = {r for (c, r) in self.roles if c in (country, "*")}
        out = [r for r in sorted(roles) if (found := self.role(country, r)) and title in found.titles]
        if title == "leader":
            leaders = [r for r in sorted(roles) if (found := self.role(country, r)) and found.leader]
            held = {p.role for p in self.people if p.country == country}
            out = [r for r in leaders if r in held] or out
        return out

    def holders(self, country: str, role: str, at: date | None = None) -> list[Person]:
        """Who held ``role`` in ``country`` (at ``at`` when given), latest term first."""
        if self._by_office is None:
            self._index()
        rows = list((self._by_office or {}).get((country, role), ()))
        if at is not None:
            rows = [p for p in rows if p.holds_at(at)]
        return sorted(rows, key=lambda p: p.start or date.min, reverse=True)

    def terms_of(self, name: str) -> list[Person]:
        if self._by_name is None:
            self._index()
        return list((self._by_name or {}).get(name, ()))

    def extend(self, other: Registry) -> None:
        self.countries.update(other.countries)
        self.organisations.extend(other.organisations)
        self.sectors.update(other.sectors)
        self.roles.update(other.roles)
        replaced = {(p.name, p.country, p.role) for p in other.people}
        self.people = [p for p in self.people if (p.name, p.country, p.role) not in replaced] + other.people
        self._by_name = self._by_office = None
        self.__dict__.pop("_titled", None)


def _split(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(v.strip() for v in str(value).split(";") if v.strip())


def _date(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ConfigError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)") from exc


def _text(value: Any) -> str | None:
    value = str(value).strip() if value is not None else ""
    return value or None


def _rows(text: str) -> list[dict[str, str]]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def table_of(columns: Iterable[str]) -> str:
    cols = set(columns)
    if {"role", "start"} <= cols:
        return "people"
    if "demonyms" in cols or "capitals" in cols:
        return "countries"
    if "term" in cols:
        return "sectors"
    if "titles" in cols:
        return "roles"
    if {"name", "country"} <= cols:
        return "organisations"
    raise ConfigError(
        f"Cannot tell which actor table has the columns {', '.join(sorted(cols))}",
        hint="Use the columns of one of the tables in dateline/data/actors (see dateline.resolve.registry)",
    )


def _add(reg: Registry, table: str, row: dict[str, Any], where: str, source: str) -> None:
    get = row.get
    if table == "countries":
        code = (_text(get("code")) or "").upper()
        if not code:
            raise ConfigError(f"{where}: a country row needs a code")
        reg.countries[code] = Country(
            code,
            _text(get("alpha2")) or "",
            _text(get("name")) or code,
            _split(get("aliases")),
            _split(get("demonyms")),
            _split(get("abbreviations")),
            _split(get("capitals")),
            _split(get("seats")),
            _text(get("wikidata")),
        )
    elif table in ("organisations", "media"):
        name = _text(get("name"))
        if not name:
            raise ConfigError(f"{where}: an organisation row needs a name")
        sector = _text(get("sector")) or ("JRN" if table == "media" else None)
        reg.organisations.append(
            Organisation(
                name, _split(get("aliases")), _text(get("country")), sector, _text(get("wikidata")), sector == "JRN"
            )
        )
    elif table == "sectors":
        term, sector = _text(get("term")), _text(get("sector"))
        if term and sector:
            reg.sectors[term.lower()] = sector.upper()
    elif table == "roles":
        titles = tuple(t.lower() for t in _split(get("titles")))
        if titles:
            country = _text(get("country")) or "*"
            leader = (_text(get("leader")) or "no").lower() in ("yes", "true", "1")
            reg.roles[(country, _text(get("role")) or "")] = Role(country, _text(get("role")) or "", titles, leader)
    elif table == "people":
        name, country, role = _text(get("name")), _text(get("country")), _text(get("role"))
        if not (name and country and role):
            raise ConfigError(f"{where}: a person row needs name, country and role")
        reg.people.append(
            Person(
                name,
                country.upper(),
                role,
                _date(get("start"), where),
                _date(get("end"), where),
                _split(get("aliases")),
                tuple(t.lower() for t in _split(get("titles"))),
                _text(get("wikidata")),
                source,
            )
        )


def parse_csv(text: str, *, source: str = "user", table: str | None = None) -> Registry:
    reg = Registry()
    rows = _rows(text)
    if not rows:
        return reg
    kind = table or table_of(rows[0].keys())
    for n, row in enumerate(rows, start=2):
        _add(reg, kind, row, f"{source} row {n}", source)
    return reg


def parse_toml(text: str, *, source: str = "user") -> Registry:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source} is not valid TOML: {exc}") from exc
    reg = Registry()
    unknown = set(data) - set(TABLES)
    if unknown:
        raise ConfigError(f"{source}: unknown actor table(s) {', '.join(sorted(unknown))}; use {', '.join(TABLES)}")
    for table in TABLES:
        for n, row in enumerate(data.get(table, []), start=1):
            _add(reg, table, row, f"{source} [[{table}]] #{n}", source)
    return reg


def load_file(path: str | Path) -> Registry:
    """One user file: CSV, TOML, or a PETRARCH/CAMEO actor dictionary (``.txt``)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"Actor file {path} does not exist")
    text = path.read_text(encoding="utf-8")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return parse_csv(text, source=str(path))
    if suffix == ".toml":
        return parse_toml(text, source=str(path))
    if suffix == ".txt":
        from dateline.resolve.dictionaries import parse_actor_dictionary

        return parse_actor_dictionary(text, source=str(path))
    raise ConfigError(f"Actor file {path} is not .csv, .toml or .txt", hint="Rename it or convert it to CSV")


def _package_table(name: str) -> str:
    return resources.files("dateline").joinpath("data", "actors", f"{name}.csv").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=8)
def load_registry(paths: Sequence[str] = ()) -> Registry:
    """The package tables plus the user files in ``paths`` (a tuple, so the result is cached)."""
    reg = Registry()
    for name in ("countries", "organisations", "media", "sectors", "roles", "people"):
        reg.extend(parse_csv(_package_table(name), source=f"package {name}.csv", table=name))
    for path in paths:
        reg.extend(load_file(path))
    return reg
