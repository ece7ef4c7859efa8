"""Places named in an article, resolved to GeoNames identities with the offline gazetteer.

Two steps, each usable alone:

1. ``find_place_mentions`` — spans that name a place: spaCy's GPE/LOC/FAC entities, a
   demonym that modifies a place noun ("on Mongolian soil", "Russian territory"), a demonym
   fused with a region ("the Russian Far East"), and capitalised names the gazetteer knows
   that the model missed ("in Vladivostok").
2. ``resolve_mentions`` — for each span, every gazetteer entry under its name, ranked by
   kind (country > capital > admin1 > city), population, and the article's context: the
   countries given by the caller, the countries and states the other places resolve to (a
   "Hall County" named elsewhere counts towards the states that have one), "Springfield,
   Illinois" patterns, and distance to the article's other places (a local news story stays
   local). A first guess from the priors, then sweeps in text order that re-rank each mention
   in the context of the others' latest guesses, until the guesses settle.

A span with no gazetteer entry is returned as an unknown place (``geonameid`` None,
``resolution`` "unknown", low confidence) rather than silently dropped or guessed.

>>> from dateline.annotate import annotate_text
>>> text = "Talks may happen in Vladivostok, Russia."
>>> [(p.text, p.geonameid, p.resolution) for p in resolve_places(text, annotate_text(text))]
[('Vladivostok', 2013348, 'city'), ('Russia', 2017370, 'country')]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dateline.records import Place
from dateline.resolve.gazetteer import (
    GazetteerEntry,
    NameMatch,
    country_alpha2,
    load_gazetteer,
    name_key,
)

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})

# Nouns that make a preceding demonym a place: "Mongolian soil", "Japanese waters".
PLACE_NOUNS = frozenset(
    {
        "soil",
        "territory",
        "territories",
        "waters",
        "water",
        "border",
        "borders",
        "side",
        "airspace",
        "coast",
        "coastline",
        "coasts",
        "land",
        "lands",
        "mainland",
        "frontier",
        "shore",
        "shores",
        "countryside",
        "ground",
        "seas",
        "sea",
        "region",
        "regions",
        "province",
        "provinces",
        "island",
        "islands",
        "capital",
        "port",
        "ports",
        "desert",
        "mountains",
        "highlands",
        "interior",
        "enclave",
        "exclave",
        "zone",
    }
)

LOCATIVE_PREPOSITIONS = frozenset(
    {"in", "at", "from", "to", "near", "into", "across", "outside", "inside", "toward", "towards", "around"}
    | {"throughout", "via", "through", "within", "between", "off", "of"}
)

# Resolution levels, by gazetteer kind.
_RESOLUTION = {"country": "country", "admin1": "admin1", "city": "city", "region": "region", "continent": "continent"}

# Scores (log-odds-like units); tuned on LGL, held out on GeoVirus (bench/geo.py).
KIND_PRIOR = {"country": 3.0, "continent": 2.6, "region": 2.4, "admin1": 2.3, "city": 0.0}
CITY_POPULATION_WEIGHT = 0.3  # per decade of population
CAPITAL_BONUS = 0.5
PRIMARY_NAME_BONUS = 0.6
NO_COORDINATES_PENALTY = 1.5
CALLER_COUNTRY_BONUS = 1.5
CONTEXT_COUNTRY_WEIGHT = 2.0  # times the share of the other mentions in that country
CONTEXT_ADMIN1_WEIGHT = 2.0  # times the share of the other mentions in that state
CONTAINER_BONUS = 3.0  # "Alexandria, La.": the next mention contains the candidate
NEAR_KM = ((50.0, 1.0), (200.0, 0.5))  # distance to another mention's guess -> bonus
CONTEXT_PASSES = 4  # most sweeps over the mentions, re-ranking each from the others' guesses
COUNTY_STATE_WEIGHT = 1.0  # a county named elsewhere, shared among the states that have one
CHILD_BONUS = 1.0  # a country or state that contains another mention's guess

ALTERNATE_NAME_PENALTY = 1.5  # a town's alternate name when another place has it as main name
DEMONYM_BONUS = 2.0
COUNTY_CONFIDENCE = 0.3  # a US county placed from the article's other places

SOURCE_CONFIDENCE = {"ner": 1.0, "gold": 1.0, "adjective": 0.9, "gazetteer": 0.8}
UNKNOWN_CONFIDENCE = 0.1

# Words that are capitalised place names in the gazetteer but far more often something else.
_GAZETTEER_STOPWORDS = frozenset(
    {
        "mobile",
        "police",
        "university",
        "university of",
        "church",
        "president",
        "governor",
        "mayor",
        "senate",
        "house",
        "congress",
        "march",
        "may",
        "june",
        "july",
        "august",
        "god",
        "mission",
        "union",
        "independence",
        "liberty",
        "victoria",
        "justice",
        "unity",
        "progress",
        "commerce",
        "industry",
        "home",
        "hope",
        "friendship",
        "peace",
        "trinity",
        "eagle",
        "media",
        "bath",
        "reading",
        "young",
        "best",
        "speed",
        "man",
        "san",
        "santa",
        "university park",
        "bureau",
    }
)
GAZETTEER_MIN_CITY_POPULATION = 100_000  # an untagged name must be a big city, a state or a country


@dataclass
class PlaceMention:
    """A span that names a place, before resolution."""

    text: str
    start: int
    end: int
    source: str = "ner"  # ner | adjective | gazetteer | gold
    label: str = ""
    fixed: GazetteerEntry | None = None  # adjectives name one place: no ranking needed
    literal: bool = True  # False when the place stands for its government ("Tokyo hopes")


@dataclass
class _Candidate:
    entry: GazetteerEntry
    primary: bool
    prior: float
    score: float = 0.0


@dataclass
class _Resolved:
    mention: PlaceMention
    candidates: list[_Candidate] = field(default_factory=list)

    @property
    def key(self) -> str:
        return name_key(self.mention.text)

    def best(self) -> _Candidate | None:
        return max(self.candidates, key=lambda c: c.score) if self.candidates else None


# -- finding mentions ------------------------------------------------------------------------


def find_place_mentions(text: str, annotation: Any) -> list[PlaceMention]:
    """Spans of ``text`` that name a place, in text order, without overlaps."""
    gaz = load_gazetteer()
    tokens = annotation.tokens
    mentions: list[PlaceMention] = []
    taken: set[int] = set()  # token indices already inside a mention or a non-place entity

    entities = sorted(annotation.entities, key=lambda e: e.start)
    for pos, ent in enumerate(entities):
        if ent.label == "NORP":
            fused = _fused_region(text, ent, entities[pos + 1] if pos + 1 < len(entities) else None, gaz)
            if fused is not None:
                mentions.append(fused)
                taken.update(range(ent.first_token, entities[pos + 1].last_token))
                continue
            if _modifies_place_noun(tokens, ent.last_token) and gaz.adjective(ent.text) is not None:
                mentions.append(
                    PlaceMention(ent.text, ent.start, ent.end, "adjective", ent.label, gaz.adjective(ent.text))
                )
            taken.update(range(ent.first_token, ent.last_token))
            continue
        if any(i in taken for i in range(ent.first_token, ent.last_token)):
            continue
        taken.update(range(ent.first_token, ent.last_token))
        if ent.label not in PLACE_LABELS and not _mislabelled_place(text, tokens, ent, gaz):
            continue
        start, end = _trim(text, ent.start, ent.end)
        if end <= start:
            continue
        head = tokens[ent.last_token - 1] if ent.last_token - 1 < len(tokens) else None
        mentions.append(PlaceMention(text[start:end], start, end, "ner", ent.label, literal=_is_literal(tokens, head)))

    # Demonyms the model did not tag NORP: "on Japanese waters".
    for tok in tokens:
        if tok.i in taken or not tok.text[:1].isupper():
            continue
        entry = gaz.adjective(tok.text)
        if entry is not None and _modifies_place_noun(tokens, tok.i + 1):
            mentions.append(PlaceMention(tok.text, tok.start, tok.end, "adjective", "", entry))
            taken.add(tok.i)

    mentions.extend(_gazetteer_mentions(text, tokens, taken, gaz))
    mentions.sort(key=lambda m: m.start)
    return mentions


def _mislabelled_place(text: str, tokens: Sequence[Any], ent: Any, gaz: Any) -> bool:
    """A PERSON or ORG the model got wrong: "in Vladivostok" tagged PERSON, "Georgia" tagged ORG.

    Taken as a place when the gazetteer knows it as a notable place and either a locative
    preposition comes right before it or the name is a country's or a state's.
    """
    if ent.label not in ("PERSON", "ORG"):
        return False
    matches = [m for m in gaz.matches(ent.text) if _notable(m)]
    if not matches:
        return False
    if any(m.entry.kind in ("country", "admin1", "continent") and m.primary for m in matches):
        return True
    previous = next((t for t in reversed(tokens[: ent.first_token]) if t.pos != "SPACE"), None)
    return previous is not None and previous.text.lower() in LOCATIVE_PREPOSITIONS


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the" and a trailing possessive from an entity span."""
    span = text[start:end]
    if span.lower().startswith("the "):
        start += 4
    span = text[start:end]
    for suffix in ("'s", "’s", "'"):
        if span.endswith(suffix):
            end -= len(suffix)
            break
    while end > start and text[end - 1] in " .,;:":
        # keep the period of an abbreviation such as "U.S." or "La."
        if text[end - 1] == "." and end - start <= 6 and "." in text[start : end - 1]:
            break
        if text[end - 1] == "." and text[start:end] in ("Ga.", "La.", "Pa.", "Va.", "Mo."):
            break
        end -= 1
    return start, end


def _is_literal(tokens: Sequence[Any], head: Any) -> bool:
    """False for a place that acts or owns ("Tokyo hopes", "Japan's premier"): the actor sense."""
    if head is None:
        return True
    if head.dep in ("nsubj", "nsubjpass") and tokens[head.head].pos in ("VERB", "AUX"):
        return False
    return head.dep != "poss"


def _modifies_place_noun(tokens: Sequence[Any], i: int) -> bool:
    """Whether the words from token ``i`` on reach a place noun through adjectives and "and"/"or".

    "Russian and Mongolian soil" makes both demonyms places.
    """
    for tok in tokens[i : i + 6]:
        low = tok.text.lower()
        if low in PLACE_NOUNS:
            return True
        if tok.pos in ("CCONJ", "ADJ", "PROPN") or low in (",", "and", "or") or tok.text[:1].isupper():
            continue
        return False
    return False


def _fused_region(text: str, norp: Any, nxt: Any, gaz: Any) -> PlaceMention | None:
    """ "the Russian Far East": a demonym and a LOC that together name a curated region."""
    if nxt is None or nxt.label not in ("LOC", "GPE") or nxt.start - norp.end > 1:
        return None
    span = text[norp.start : nxt.end]
    entry = gaz.region(span)
    if entry is None:
        return None
    return PlaceMention(span, norp.start, nxt.end, "ner", nxt.label, entry)


def _gazetteer_mentions(text: str, tokens: Sequence[Any], taken: set[int], gaz: Any) -> list[PlaceMention]:
    """Capitalised proper-noun runs the model missed that the gazetteer knows as a notable place."""
    out: list[PlaceMention] = []
    i = 0
    limit = min(gaz.max_name_words, 4)
    while i < len(tokens):
        tok = tokens[i]
        if i in taken or tok.pos != "PROPN" or not tok.text[:1].isupper():
            i += 1
            continue
        found = None
        for n in range(limit, 0, -1):
            window = tokens[i : i + n]
            if len(window) < n or any(t.i in taken for t in window) or window[-1].pos != "PROPN":
                continue
            if any(t.sent != tok.sent for t in window):
                continue
            span = text[window[0].start : window[-1].end]
            key = name_key(span)
            if key in _GAZETTEER_STOPWORDS or not span[:1].isupper():
                continue
            if any(_notable(m) for m in gaz.matches(span)):
                found = (window[0].start, window[-1].end, n)
                break
        if found is None:
            i += 1
            continue
        start, end, n = found
        head = tokens[i + n - 1]
        out.append(PlaceMention(text[start:end], start, end, "gazetteer", "", literal=_is_literal(tokens, head)))
        taken.update(range(i, i + n))
        i += n
    return out


def _notable(match: NameMatch) -> bool:
    e = match.entry
    if e.lat is None:
        return False
    if e.kind == "city":
        return match.primary and e.population >= GAZETTEER_MIN_CITY_POPULATION
    return e.kind in ("country", "continent") or (e.kind in ("admin1", "region") and match.primary)


# -- resolving mentions ----------------------------------------------------------------------


def resolve_places(
    text: str,
    annotation: Any,
    *,
    country_context: Sequence[str] = (),
    include_metonyms: bool = False,
) -> list[Place]:
    """Places named in ``text`` (annotated by ``dateline.annotate``), in text order.

    ``country_context``: countries the article is about (alpha-2 or alpha-3), e.g. from its
    site or section; they favour same-country readings. ``include_metonyms``: also return
    places that stand for their government ("Tokyo hopes ..."), which are actors first.
    """
    mentions = find_place_mentions(text, annotation)
    if not include_metonyms:
        mentions = [m for m in mentions if m.literal]
    return resolve_mentions(mentions, country_context=country_context)


def resolve_spans(text: str, spans: Sequence[tuple[int, int]], *, country_context: Sequence[str] = ()) -> list[Place]:
    """Resolve given toponym spans (character offsets into ``text``): the gold-span setting."""
    mentions = [PlaceMention(text[s:e], s, e, "gold") for s, e in spans]
    return resolve_mentions(mentions, country_context=country_context)


def resolve_mentions(mentions: Sequence[PlaceMention], *, country_context: Sequence[str] = ()) -> list[Place]:
    """One Place per mention, in the order given."""
    gaz = load_gazetteer()
    caller = {c for c in (country_alpha2(code) for code in country_context) if c}
    resolved = [_Resolved(m, _candidates(m, gaz)) for m in mentions]
    for r in resolved:
        for c in r.candidates:
            c.score = c.prior + (CALLER_COUNTRY_BONUS if c.entry.country_code in caller else 0.0)
    # Later passes: each mention is re-ranked in the light of the others' current guesses, in
    # text order, each new guess counting at once ("Georgia" turns into the state once "Athens"
    # has), until a sweep changes nothing.
    guesses = [_guess(r) for r in resolved]
    for _ in range(CONTEXT_PASSES):
        changed = False
        for index, r in enumerate(resolved):
            if len(r.candidates) < 2:
                continue
            context = _Context.of(resolved, guesses, index)
            following = _following_container(resolved, guesses, index)
            for c in r.candidates:
                c.score = c.prior + (CALLER_COUNTRY_BONUS if c.entry.country_code in caller else 0.0)
                c.score += context.bonus(c.entry)
                if following is not None and _contains(following, c.entry):
                    c.score += CONTAINER_BONUS
            guess = _guess(r)
            if guess is not guesses[index]:
                guesses[index] = guess
                changed = True
        if not changed:
            break
    finals = [_guess(r) for r in resolved]
    places = []
    for r in resolved:
        place = _to_place(r)
        if place.geonameid is None and place.lat is None:
            place = _county_estimate(r.mention, finals, gaz) or place
        places.append(place)
    return places


_COUNTY_SUFFIXES = (" county", " parish", " borough")


def _county_estimate(mention: PlaceMention, finals: Sequence[GazetteerEntry | None], gaz: Any) -> Place | None:
    """A US county the gazetteer has no point for, placed at the article's places in its state.

    GeoNames cities do not say their county, so the point is an estimate: the medoid of the
    article's other places in a state that has a county of that name (local news stays local),
    else the state's own point when only one state has such a county. The place stays
    ``unknown`` (no GeoNames id) with a low confidence; ``feature`` says it is a county.
    """
    key = name_key(mention.text)
    if not key.endswith(_COUNTY_SUFFIXES):
        return None
    states = gaz.us_county_states(mention.text)
    if not states:
        return None
    points = [
        (g.lat, g.lon)
        for g in finals
        if g is not None and g.country_code == "US" and g.admin1 in states and g.kind == "city" and g.lat is not None
    ]
    state = None
    if points:
        lat, lon = _medoid(points)
    else:
        admin1s = [g for g in finals if g is not None and g.kind == "admin1" and g.admin1 in states]
        if admin1s:
            state = admin1s[0]
        elif len(states) == 1:
            state = gaz.admin1("US", states[0])
        if state is None or state.lat is None or state.lon is None:
            return None
        lat, lon = state.lat, state.lon
    return Place(
        mention.text,
        mention.start,
        mention.end,
        name=mention.text,
        country_code="US",
        lat=lat,
        lon=lon,
        feature="ADM2",
        resolution="unknown",
        confidence=COUNTY_CONFIDENCE if state is None else COUNTY_CONFIDENCE / 2,
    )


def _medoid(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The point with the least total distance to the others."""
    return min(points, key=lambda p: sum(haversine_km(p[0], p[1], q[0], q[1]) for q in points))


def _candidates(mention: PlaceMention, gaz: Any) -> list[_Candidate]:
    if mention.fixed is not None:
        return [_Candidate(mention.fixed, True, _prior(mention.fixed, True))]
    matches = gaz.matches(mention.text)
    if not matches and mention.text.isupper() and len(mention.text) > 4:
        matches = gaz.matches(mention.text.title())  # "KENYA" in a headline
    has_primary = any(m.primary for m in matches)
    out = []
    for m in matches:
        prior = _prior(m.entry, m.primary)
        if has_primary and not m.primary and m.entry.kind == "city":
            prior -= ALTERNATE_NAME_PENALTY  # "Maryville" is Maryville before it is Beeville's old name
        out.append(_Candidate(m.entry, m.primary, prior))
    adjective = gaz.adjective(mention.text) if mention.text[:1].isupper() else None
    if adjective is not None and all(c.entry is not adjective for c in out):
        # a demonym span ("Russians", "Canadian") names its country before any town of that name
        out.append(_Candidate(adjective, True, _prior(adjective, True) + DEMONYM_BONUS))
    return out


def _prior(entry: GazetteerEntry, primary: bool) -> float:
    score = KIND_PRIOR.get(entry.kind, 0.0)
    if entry.kind == "city":
        score += CITY_POPULATION_WEIGHT * math.log10(entry.population + 10)
        if entry.is_capital:
            score += CAPITAL_BONUS
    if primary:
        score += PRIMARY_NAME_BONUS
    if entry.lat is None:
        score -= NO_COORDINATES_PENALTY
    return score


def _guess(r: _Resolved) -> GazetteerEntry | None:
    best = r.best()
    return best.entry if best is not None else None


@dataclass
class _Context:
    countries: Counter[str]
    admin1: Counter[tuple[str, str]]  # weighted: a county counts towards each state that has one
    points: list[tuple[float, float]]
    children: list[GazetteerEntry]
    total: int

    @classmethod
    def of(cls, resolved: Sequence[_Resolved], guesses: Sequence[GazetteerEntry | None], index: int) -> _Context:
        own = resolved[index].key
        countries: Counter[str] = Counter()
        admin1: Counter[tuple[str, str]] = Counter()
        points: list[tuple[float, float]] = []
        children: list[GazetteerEntry] = []
        total = 0
        gaz = load_gazetteer()
        for r, guess in zip(resolved, guesses, strict=True):
            if r.key == own:
                continue
            if guess is None:
                # "Hall County": no point of its own, but a US county in one of a few states
                among = gaz.us_county_states(r.mention.text) if r.key.endswith(_COUNTY_SUFFIXES) else []
                if among:
                    total += 1
                    countries["US"] += 1
                    for state in among:
                        admin1[("US", state)] += COUNTY_STATE_WEIGHT / len(among)
                continue
            total += 1
            if guess.country_code:
                countries[guess.country_code] += 1
            if guess.admin1 and guess.country_code and guess.kind in ("city", "admin1", "region"):
                admin1[(guess.country_code, guess.admin1)] += 1
            if guess.kind in ("city", "admin1", "region") and guess.lat is not None and guess.lon is not None:
                points.append((guess.lat, guess.lon))
            if guess.kind in ("city", "admin1"):
                children.append(guess)
        return cls(countries, admin1, points, children, total)

    def bonus(self, entry: GazetteerEntry) -> float:
        if not self.total:
            return 0.0
        score = 0.0
        if entry.country_code and entry.kind != "country":
            score += CONTEXT_COUNTRY_WEIGHT * self.countries[entry.country_code] / self.total
        elif entry.kind == "country" and entry.country_code:
            score += CONTEXT_COUNTRY_WEIGHT * 0.5 * self.countries[entry.country_code] / self.total
        if entry.admin1 and entry.country_code and entry.kind in ("city", "region"):
            score += CONTEXT_ADMIN1_WEIGHT * self.admin1[(entry.country_code, entry.admin1)] / self.total
        if entry.kind in ("country", "admin1") and any(_contains(entry, child) for child in self.children):
            score += CHILD_BONUS
        if entry.kind in ("city", "region") and entry.lat is not None and entry.lon is not None and self.points:
            nearest = min(haversine_km(entry.lat, entry.lon, lat, lon) for lat, lon in self.points)
            for radius, bonus in NEAR_KM:
                if nearest <= radius:
                    score += bonus
                    break
        return score


def _following_container(
    resolved: Sequence[_Resolved], guesses: Sequence[GazetteerEntry | None], index: int
) -> GazetteerEntry | None:
    """The state or country right after ", " ("Alexandria, La."), which should contain this one."""
    if index + 1 >= len(resolved):
        return None
    here, nxt = resolved[index].mention, resolved[index + 1].mention
    if not 1 <= nxt.start - here.end <= 2:
        return None
    guess = guesses[index + 1]
    if guess is None or guess.kind not in ("country", "admin1"):
        # the comma pattern may pick the state reading of an ambiguous name ("Georgia")
        for c in resolved[index + 1].candidates:
            if c.entry.kind in ("country", "admin1"):
                return c.entry
        return None
    return guess


def _contains(container: GazetteerEntry, entry: GazetteerEntry) -> bool:
    if container is entry or container.country_code is None or container.country_code != entry.country_code:
        return False
    if container.kind == "country":
        return entry.kind != "country"
    if container.kind == "admin1":
        return entry.kind == "city" and container.admin1 is not None and container.admin1 == entry.admin1
    return False


def _to_place(r: _Resolved) -> Place:
    m = r.mention
    best = r.best()
    if best is None:
        return Place(m.text, m.start, m.end, confidence=UNKNOWN_CONFIDENCE)
    e = best.entry
    # How far ahead the winner is: a softmax over the candidates' scores.
    total = sum(math.exp(c.score - best.score) for c in r.candidates)
    confidence = (1.0 / total) * SOURCE_CONFIDENCE.get(m.source, 0.8)
    if e.lat is None:
        confidence = min(confidence, 0.5)
    return Place(
        m.text,
        m.start,
        m.end,
        geonameid=e.geonameid,
        name=e.name,
        country_code=e.country_code,
        lat=e.lat,
        lon=e.lon,
        feature=e.feature,
        resolution=_RESOLUTION.get(e.kind, "unknown"),
        confidence=round(confidence, 3),
    )


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
