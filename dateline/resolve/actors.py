"""Actor mentions: every span that names or describes an actor, resolved to a canonical ``Actor``.

``resolve_actors(text, annotation, date=...)`` reads the tokens and the dependency parse of
``dateline.annotate`` and the registry tables, and finds:

- countries by any name, abbreviation or demonym ("the DPRK", "Japanese authorities" ->
  JPN GOV), skipping places ("on Russian soil", "talks in Tokyo");
- capitals and seats of government used as governments ("Tokyo hopes", "the Kremlin said"):
  a subject, agent or object of a verb is an actor, the object of in/at/to is a place;
- organisations and news outlets, whatever spaCy's label ("The Mainichi" tagged GPE);
- institutions by pattern in their country's context ("the country's Foreign Ministry",
  "the Disarmament and Peace Institute, North Korea's Foreign Ministry think tank");
- people by name ("US President Donald Trump"), by short name ("Kim", "Abe": the fuller
  mention in the document, else the registry at ``date``) and by office ("the Japanese
  premier": a holder named in the document, else whoever held it at ``date``).

The alias index is built once per registry and is a plain dict of normalised strings, so
resolution costs a few dict lookups per token.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from dateline.annotate import Annotation, Token
from dateline.records import Actor, Mention
from dateline.resolve.registry import Organisation, Person, Registry, load_registry

MAX_ALIAS_TOKENS = 8
# Objects of these prepositions are places, not actors ("talks in Tokyo", "on Russian soil").
PLACE_PREPOSITIONS = frozenset(
    [
        "in",
        "at",
        "to",
        "into",
        "inside",
        "within",
        "throughout",
        "across",
        "near",
        "around",
        "toward",
        "towards",
        "on",
        "onto",
        "outside",
        "via",
    ]
)
# Nouns that make a country word a place ("on Russian soil", "Japanese waters").
PLACE_NOUNS = frozenset(
    [
        "soil",
        "territory",
        "territories",
        "waters",
        "airspace",
        "border",
        "borders",
        "coast",
        "land",
        "lands",
        "region",
        "regions",
        "city",
        "cities",
        "capital",
        "province",
        "provinces",
        "island",
        "islands",
        "mainland",
        "peninsula",
        "side-of",
    ]
)
INSTITUTION_WORDS = frozenset(
    [
        "ministry",
        "bureau",
        "institute",
        "agency",
        "council",
        "committee",
        "commission",
        "department",
        "office",
        "army",
        "navy",
        "force",
        "forces",
        "party",
        "court",
        "parliament",
        "assembly",
        "service",
        "services",
        "guard",
        "guards",
        "corps",
        "authority",
        "administration",
        "cabinet",
        "secretariat",
        "directorate",
        "embassy",
        "academy",
        "centre",
        "center",
        "foundation",
        "union",
        "front",
    ]
)
STATE_INSTITUTIONS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
SECTOR_NAMES = {
    "GOV": "government",
    "MIL": "military",
    "REB": "rebels",
    "COP": "police",
    "JUD": "judiciary",
    "LEG": "legislature",
    "PTY": "party",
    "OPP": "opposition",
    "JRN": "media",
    "CVL": "civilians",
    "BUS": "business",
    "EDU": "education",
    "MED": "health",
    "REL": "religious",
    "SPY": "intelligence",
    "UAF": "armed group",
    "LAB": "labour",
    "REF": "refugees",
    "CRM": "criminals",
    "AGR": "agriculture",
}
FORMER = frozenset({"former", "ex", "ex-", "then", "then-", "late", "past", "previous", "onetime", "erstwhile"})
_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The key an alias and a span of text are compared by: case, quotes and spaces folded."""
    text = text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("–", "-")
    return _WS.sub(" ", text).strip().lower()


@dataclass(frozen=True)
class Entry:
    """What an alias stands for."""

    kind: str  # country | demonym | capital | seat | org | person | surname
    ref: str | int  # country code, organisation index or person name
    exact_case: bool = False  # abbreviations: "US" is not "us"


@dataclass
class AliasIndex:
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    max_tokens: int = MAX_ALIAS_TOKENS
    heads: set[str] = field(default_factory=set)  # first word-pieces of every alias: a cheap pre-check

    def add(self, alias: str, entry: Entry) -> None:
        key = normalise(alias)
        if key:
            self.heads.add(_head_piece(key))
            bucket = self.entries.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)


_PIECE = re.compile(r"[ \-'.]")


def _head_piece(key: str) -> str:
    return _PIECE.split(key, 1)[0]


def _is_abbreviation(alias: str) -> bool:
    letters = alias.replace(".", "")
    return letters.isupper() and len(letters) <= 6


@functools.lru_cache(maxsize=8)
def alias_index(registry: Registry) -> AliasIndex:
    """The alias dict for ``registry`` (built once per registry and process)."""
    index = AliasIndex()
    for code, c in registry.countries.items():
        for alias in (c.name, *c.aliases):
            index.add(alias, Entry("country", code, _is_abbreviation(alias)))
            if alias.lower().startswith("the "):
                index.add(alias[4:], Entry("country", code))
        for alias in c.abbreviations:
            index.add(alias, Entry("country", code, True))
        for alias in c.demonyms:
            index.add(alias, Entry("demonym", code, _is_abbreviation(alias)))
            index.add(_plural(alias), Entry("demonym", code))
        for alias in c.capitals:
            index.add(alias, Entry("capital", code))
        for alias in c.seats:
            index.add(alias[4:] if alias.lower().startswith("the ") else alias, Entry("seat", code))
    for i, org in enumerate(registry.organisations):
        for alias in (org.name, *org.aliases):
            index.add(alias, Entry("org", i, _is_abbreviation(alias)))
            if alias.lower().startswith("the "):
                index.add(alias[4:], Entry("org", i, _is_abbreviation(alias[4:])))
    for person in registry.people:
        for alias in (person.name, *person.aliases):
            kind = "person" if len(alias.split()) > 1 else "surname"
            index.add(alias, Entry(kind, person.name))
        index.add(person.surname, Entry("surname", person.name))
    return index


def _plural(word: str) -> str:
    if word.endswith(("ese", "ss", "sh", "ch", "s", "x", "z", "i")) or word in ("Swiss", "Thai", "Lao"):
        return word
    return word + "s"


# --------------------------------------------------------------------------------------
# matching


@dataclass
class Match:
    first: int  # token index
    last: int  # exclusive
    entries: list[Entry]
    text: str


def _find_matches(text: str, tokens: Sequence[Token], index: AliasIndex) -> list[Match]:
    matches: list[Match] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if (
            tok.pos in ("SPACE", "PUNCT")
            or not tok.text[:1].isalnum()
            or _head_piece(tok.text.lower().replace("’", "'")) not in index.heads
        ):
            i += 1
            continue
        found = None
        for j in range(min(n, i + index.max_tokens), i, -1):
            last = tokens[j - 1]
            if last.pos == "SPACE" or last.sent != tok.sent:
                continue
            span = text[tok.start : last.end]
            entries = index.entries.get(normalise(span))
            if not entries:
                continue
            entries = [e for e in entries if _case_fits(e, span)]
            if entries:
                found = Match(i, j, entries, span)
                break
        if found:
            matches.append(found)
            i = found.last
        else:
            i += 1
    return matches


def _case_fits(entry: Entry, span: str) -> bool:
    if entry.exact_case:
        return span.replace(".", "").isupper()
    return span[:1].isupper()


# --------------------------------------------------------------------------------------
# the document state


@dataclass
class _Doc:
    text: str
    ann: Annotation
    registry: Registry
    date: dt.date | None
    mentions: list[Mention] = field(default_factory=list)
    covered: set[int] = field(default_factory=set)  # token indexes already in a mention
    persons_named: dict[str, Person] = field(default_factory=dict)  # name -> term chosen
    token_labels: list[str] = field(default_factory=list)  # the NER label over each token
    token_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.token_labels = [""] * len(self.ann.tokens)
        for ent in self.ann.entities:
            for k in range(ent.first_token, min(ent.last_token, len(self.token_labels))):
                self.token_labels[k] = ent.label
        self.token_starts = [t.start for t in self.ann.tokens]

    @property
    def tokens(self) -> list[Token]:
        return self.ann.tokens

    def add(self, first: int, last: int, actor: Actor, label: str, confidence: float, how: str) -> Mention:
        toks = self.tokens
        while (
            last > first
            and toks[last - 1].pos in ("SPACE", "PUNCT", "PART")
            and toks[last - 1].text
            in (
                "'s",
                "’s",
                "'",
                "’",
                ",",
                " ",
            )
        ):
            last -= 1
        start, end = toks[first].start, toks[last - 1].end
        mention = Mention(self.text[start:end], start, end, label, actor, round(confidence, 2), how)
        self.mentions.append(mention)
        self.covered.update(range(first, last))
        return mention

    def ner_label(self, first: int, last: int) -> str | None:
        for k in range(first, last):
            if self.token_labels[k]:
                return self.token_labels[k]
        return None


def _country_actor(reg: Registry, code: str, sector: str | None = None) -> Actor:
    c = reg.countries.get(code)
    name = c.name if c else code
    if sector:
        return Actor(f"{name} {SECTOR_NAMES.get(sector, sector.lower())}", code, sector, kind="country")
    return Actor(name, code, None, c.wikidata if c else None, kind="country")


def _org_actor(org: Organisation) -> Actor:
    kind = "group" if org.sector in ("REB", "UAF") else "institution"
    return Actor(org.name, org.country, org.sector, org.wikidata, kind=kind)


def _person_actor(reg: Registry, p: Person) -> Actor:
    return Actor(
        p.name,
        p.country,
        "GOV" if p.role != "opposition" else "OPP",
        p.wikidata,
        p.role,
        p.start.isoformat() if p.start else None,
        p.end.isoformat() if p.end else None,
        kind="person",
    )


def _prep_of(tokens: Sequence[Token], tok: Token) -> str | None:
    """The preposition ``tok`` is the object of, following conjunctions ("in Tokyo or Pyongyang")."""
    seen = 0
    while tok.dep == "conj" and seen < 5:
        tok = tokens[tok.head]
        seen += 1
    if tok.dep == "pobj":
        head = tokens[tok.head]
        if head.dep == "agent":
            return "by"
        return head.text.lower()
    return None


def _head_of(tokens: Sequence[Token], first: int, last: int) -> Token:
    """The syntactic head of tokens[first:last]: the one whose head lies outside the span."""
    for k in range(last - 1, first - 1, -1):
        t = tokens[k]
        if not first <= t.head < last or t.head == t.i:
            return t
    return tokens[last - 1]


def _noun_phrase_after(tokens: Sequence[Token], head: Token, last: int) -> tuple[int, Token] | None:
    """When the span ending at ``last`` modifies a noun to its right, that noun's index and token."""
    if head.dep not in ("amod", "compound", "nmod", "poss", "nummod") or head.head <= head.i:
        return None
    noun = tokens[head.head]
    # a possessive or modifier chain may go through compounds ("Foreign Ministry think tank")
    hops = 0
    while noun.dep in ("compound", "amod") and noun.head > noun.i and hops < 4:
        noun = tokens[noun.head]
        hops += 1
    if noun.pos not in ("NOUN", "PROPN"):
        return None
    end = noun.i + 1
    # "secretary of state", "minister of foreign affairs": the "of" phrase is part of the title
    if end + 1 < len(tokens) and tokens[end].text.lower() == "of" and tokens[end].head == noun.i:
        k = end + 1
        while k < len(tokens) and tokens[k].head != end and tokens[k].head > k:
            k += 1
        if k < len(tokens) and tokens[k].head == end and tokens[k].dep == "pobj":
            return k + 1, noun
    return end, noun


def _sector_in(reg: Registry, words: list[str]) -> tuple[str | None, int]:
    """The sector the words name and where its term starts (head noun wins; a state body first)."""
    best: tuple[str | None, int] = (None, -1)
    state: tuple[str | None, int] = (None, -1)
    n = len(words)
    for i in range(n):
        for j in range(n, i, -1):
            term = " ".join(words[i:j])
            sector = reg.sectors.get(term) or (reg.sectors.get(_singular(term)) if j == n else None)
            if sector:
                if j == n:
                    best = (sector, i) if best[1] < 0 else best
                elif sector in STATE_INSTITUTIONS and state[1] < 0:
                    state = (sector, i)
                break
    if state[0] and best[0] not in (None, "-") and best[0] not in STATE_INSTITUTIONS:
        return state
    return best


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2].endswith(("s", "sh", "ch", "x")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _title_roles(reg: Registry, country: str, words: list[str]) -> tuple[str, list[str]] | None:
    """(title, roles) when ``words`` end with an office title of ``country``."""
    for i in range(len(words)):
        title = " ".join(words[i:])
        roles = reg.roles_titled(country, title)
        if roles:
            return title, roles
    return None


def _det_before(tokens: Sequence[Token], first: int) -> int:
    k = first - 1
    while k >= 0 and tokens[k].pos == "SPACE":
        k -= 1
    if k >= 0 and tokens[k].text.lower() == "the":
        return k
    return first


# --------------------------------------------------------------------------------------
# the passes


def resolve_actors(
    text: str,
    annotation: Annotation,
    *,
    date: dt.date | None = None,
    registry: Registry | None = None,
) -> list[Mention]:
    """Every actor mention in ``text``, resolved against the registry as of ``date``.

    >>> from dateline.annotate import annotate_text
    >>> text = "Tokyo hopes to meet the North Korean leader."
    >>> [(m.text, m.actor.name) for m in resolve_actors(text, annotate_text(text), date=dt.date(2018, 6, 5))]
    [('Tokyo', 'Japan government'), ('the North Korean leader', 'Kim Jong-un')]
    """
    if isinstance(date, dt.datetime):
        date = date.date()
    reg = registry or load_registry()
    doc = _Doc(text, annotation, reg, date)
    matches = _find_matches(text, annotation.tokens, alias_index(reg))
    _resolve_full_names(doc, matches)
    offices = _resolve_matches(doc, matches)
    _resolve_institutions(doc)
    _resolve_unknown_people(doc)
    _resolve_offices(doc, offices)
    doc.mentions.sort(key=lambda m: (m.start, -m.end))
    return doc.mentions


def _pick_term(
    reg: Registry, terms: list[Person], when: dt.date | None, country: str | None = None, roles: Sequence[str] = ()
) -> Person:
    if country:
        terms = [t for t in terms if t.country == country] or terms
    if roles:
        terms = [t for t in terms if t.role in roles] or terms
    if when:
        held = [t for t in terms if t.holds_at(when)]
        if held:
            return _by_rank(held)
        before = [t for t in terms if t.start and t.start <= when]
        if before:
            return max(before, key=lambda t: t.start or dt.date.min)
    return max(terms, key=lambda t: (t.end is None, t.end or dt.date.max, t.start or dt.date.min))


ROLE_RANK = {"supreme_leader": 0, "head_of_state": 1, "head_of_government": 2, "foreign_minister": 3}


def _by_rank(terms: list[Person]) -> Person:
    return min(terms, key=lambda t: ROLE_RANK.get(t.role, 9))


def _title_before(doc: _Doc, first: int) -> tuple[int, str | None, str, bool] | None:
    """A title (and country) right before a name: "US President Donald Trump", "Prime Minister Abe".

    Returns (first token of the phrase, country code or None, title, former?).
    """
    toks, reg = doc.tokens, doc.registry
    k = first
    words: list[str] = []
    while k > 0 and len(words) < 4:
        prev = toks[k - 1]
        if (
            prev.pos == "SPACE"
            or not prev.text[:1].isalpha()
            or (
                not prev.text[:1].isupper()
                and prev.text
                not in (
                    "prime",
                    "foreign",
                    "minister",
                    "president",
                    "secretary",
                    "of",
                    "state",
                )
            )
        ):
            break
        words.insert(0, prev.text.lower())
        k -= 1
    best = None
    for i in range(len(words)):
        title = " ".join(words[i:])
        if any(title in r.titles for r in reg.roles.values()):
            best = (first - len(words) + i, title)
            break
    if best is None:
        return None
    start, title = best
    country = None
    idx = alias_index(reg)
    # a country word before the title: "US President", "Japanese Prime Minister", "Russia's"
    j = start - 1
    while j >= 0 and toks[j].pos == "SPACE":
        j -= 1
    if j >= 0 and toks[j].text in ("'s", "’s"):
        j -= 1
    for width in (3, 2, 1):
        a = j - width + 1
        if a < 0 or j < 0:
            continue
        span = doc.text[toks[a].start : toks[j].end]
        for e in idx.entries.get(normalise(span), []):
            if e.kind in ("country", "demonym") and _case_fits(e, span):
                country = str(e.ref)
                start = a
                break
        if country:
            break
    former = start > 0 and toks[start - 1].text.lower().rstrip("-") in {w.rstrip("-") for w in FORMER}
    return start, country, title, former


def _resolve_full_names(doc: _Doc, matches: list[Match]) -> None:
    """People named in full, with their title when one precedes the name."""
    reg = doc.registry
    for m in matches:
        names = [str(e.ref) for e in m.entries if e.kind == "person"]
        if not names:
            continue
        terms = [t for name in dict.fromkeys(names) for t in reg.terms_of(name)]
        _resolve_person(doc, m, terms, "registry:name", 0.95)


def _resolve_person(doc: _Doc, m: Match, terms: list[Person], how: str, confidence: float) -> None:
    reg = doc.registry
    titled = _title_before(doc, m.first)
    first = m.first
    roles: list[str] = []
    country = None
    if titled:
        t_first, country, title, former = titled
        roles = [
            r
            for c in ([country] if country else sorted({t.country for t in terms}))
            for r in reg.roles_titled(c, title)
        ]
        fitting = [t for t in terms if t.role in roles and (country is None or t.country == country)]
        if fitting:
            terms, first = fitting, t_first
            how = f"{how}+title" if not former else f"{how}+former_title"
            confidence = min(0.98, confidence + 0.03)
    term = _pick_term(reg, terms, doc.date, country, roles)
    for t in terms:
        doc.persons_named.setdefault(t.name, term)
    label = doc.ner_label(m.first, m.last)
    if label and label != "PERSON":
        how += f" (NER said {label})"
    doc.add(first, m.last, _person_actor(reg, term), "PERSON", confidence, how)


def _context_countries(doc: _Doc) -> Counter[str]:
    return Counter(m.actor.country for m in doc.mentions if m.actor and m.actor.country and len(m.actor.country) == 3)


def _resolve_matches(doc: _Doc, matches: list[Match]) -> list[tuple[int, int, str, str, list[str], str | None]]:
    """Countries, capitals, seats, organisations and short names; returns office nominals for later."""
    reg, toks = doc.registry, doc.tokens
    offices: list[tuple[int, int, str, str, list[str], str | None]] = []
    surnames: list[Match] = []
    for m in matches:
        if any(k in doc.covered for k in range(m.first, m.last)):
            continue
        kinds = {e.kind for e in m.entries}
        head = _head_of(toks, m.first, m.last)
        label = doc.ner_label(m.first, m.last)
        if "org" in kinds:
            org = reg.organisations[int(next(e.ref for e in m.entries if e.kind == "org"))]
            if org.country and len(org.country) == 3 and org.sector is None and org.country in reg.countries:
                kinds = {"country"}  # a dictionary's country entry ("JAPAN_ [JPN]")
                m.entries = [Entry("country", org.country)]
            else:
                how = "alias:media" if org.media else "alias:organisation"
                if label and label not in ("ORG", "NORP") and org.media:
                    how += f" (NER said {label})"
                doc.add(
                    _det_before(toks, m.first) if m.text[:1].isupper() else m.first,
                    m.last,
                    _org_actor(org),
                    label or "ORG",
                    0.9,
                    how,
                )
                continue
        if kinds & {"country", "demonym"}:
            code = str(next(e.ref for e in m.entries if e.kind in ("country", "demonym")))
            _resolve_country_word(doc, m, code, head, label, offices)
            continue
        if kinds & {"capital", "seat"}:
            entry = next(e for e in m.entries if e.kind in ("capital", "seat"))
            _resolve_place_word(doc, m, str(entry.ref), entry.kind, head, label)
            continue
        if "surname" in kinds:
            surnames.append(m)
    for m in surnames:
        _resolve_surname(doc, m)
    return offices


def _resolve_country_word(doc: _Doc, m: Match, code: str, head: Token, label: str | None, offices: list) -> None:
    reg, toks = doc.registry, doc.tokens
    np = _noun_phrase_after(toks, head, m.last)
    first = _det_before(toks, m.first)
    if np:
        end, noun = np
        words = [t.text.lower() for t in toks[m.last : end] if t.pos not in ("SPACE", "PUNCT", "PART")]
        words = [w for w in words if w not in ("'s", "’s")]
        if noun.text.lower() in PLACE_NOUNS or noun.lemma.lower() in PLACE_NOUNS:
            return  # "on Russian soil": a place
        if noun.ent_type == "PERSON" or (noun.i in doc.covered):
            return  # "US President Donald Trump": the person pass has it
        titled = _title_roles(reg, code, words) if words else None
        if not titled and "of" in words:
            titled = _title_roles(reg, code, words[: words.index("of")])
            if titled:
                end = m.last + [t.text.lower() for t in toks[m.last : end]].index("of")
        if titled:
            title, roles = titled
            offices.append((first, end, code, title, roles, label))
            doc.covered.update(range(first, end))
            return
        sector, _ = _sector_in(reg, words)
        if sector == "-":
            doc.add(first, end, _country_actor(reg, code), "NOMINAL", 0.7, "alias:country+noun")
            return
        if sector:
            doc.add(first, end, _country_actor(reg, code, sector), "NOMINAL", 0.85, "alias:country+sector")
            return
        if head.dep in ("poss",) and m.entries[0].kind == "country":
            doc.add(m.first, m.last, _country_actor(reg, code), label or "GPE", 0.75, "alias:country (possessive)")
        return  # a country word modifying some other noun ("Japanese language", "US-North Korea summit")
    if m.entries[0].kind == "demonym" and (head.pos == "ADJ" or head.dep not in ("nsubj", "nsubjpass", "pobj", "dobj")):
        return  # a bare adjective ("is Japanese", "Libyan, Iranian experiences"); "the Japanese" as a noun stays
    prep = _prep_of(toks, head)
    if prep in PLACE_PREPOSITIONS:
        return  # "a forum in Mongolia": a place (the place resolver has it)
    how = "alias:country"
    if label and label not in ("GPE", "NORP"):
        how += f" (NER said {label})"
    conf = 0.9 if head.dep in ("nsubj", "nsubjpass", "dobj", "poss") or prep in ("by", "with", "against") else 0.75
    actor = _country_actor(reg, code, "CVL" if m.entries[0].kind == "demonym" and head.dep != "amod" else None)
    doc.add(
        first if first != m.first and m.entries[0].kind == "country" else m.first,
        m.last,
        actor,
        label or "GPE",
        conf,
        how,
    )


def _resolve_place_word(doc: _Doc, m: Match, code: str, kind: str, head: Token, label: str | None) -> None:
    toks = doc.tokens
    if head.dep == "compound" and toks[head.head].ent_type in ("DATE", "TIME"):
        # "abducted by Pyongyang decades ago": the parser hangs the name on the time phrase
        # after it; the name takes the time phrase's place in the clause.
        head = toks[head.head]
    prep = _prep_of(toks, head)
    dep = head.dep
    if dep == "conj":
        k, hops = head, 0
        while k.dep == "conj" and hops < 5:
            k, hops = toks[k.head], hops + 1
        dep = k.dep
    if prep in PLACE_PREPOSITIONS or (prep == "from" and kind == "capital"):
        return
    if kind == "capital":
        if dep in ("nsubj", "nsubjpass", "dobj", "poss") or prep in ("by", "with", "against"):
            conf = 0.85 if dep in ("nsubj", "poss") or prep == "by" else 0.7
            doc.add(
                m.first,
                m.last,
                _country_actor(doc.registry, code, "GOV"),
                label or "GPE",
                conf,
                "alias:capital as government",
            )
        return
    first = _det_before(toks, m.first)
    conf = 0.85 if dep in ("nsubj", "nsubjpass", "dobj", "poss") or prep in ("by", "with", "against") else 0.65
    doc.add(first, m.last, _country_actor(doc.registry, code, "GOV"), label or "ORG", conf, "alias:seat of government")


def _resolve_surname(doc: _Doc, m: Match) -> None:
    """ "Kim", "Abe": the person named in full in the document, else the registry at the date."""
    reg, toks = doc.registry, doc.tokens
    label = doc.ner_label(m.first, m.last)
    titled = _title_before(doc, m.first)
    names = [str(e.ref) for e in m.entries if e.kind in ("surname", "person")]
    in_doc = [doc.persons_named[n] for n in names if n in doc.persons_named]
    if not (label == "PERSON" or titled or in_doc):
        return  # "May" the month, "Brown" the colour: only a name when the parse or the text says so
    if toks[m.first].dep == "compound" and toks[toks[m.first].head].ent_type == "ORG" and not in_doc:
        return
    note = f" (NER said {label})" if label and label != "PERSON" else ""
    if in_doc:
        term = in_doc[0]
        doc.add(m.first, m.last, _person_actor(reg, term), "PERSON", 0.85, "coreference:fuller mention" + note)
        return
    terms = [t for n in dict.fromkeys(names) for t in reg.terms_of(n)]
    context = _context_countries(doc)
    if doc.date:
        held = [t for t in terms if t.holds_at(doc.date)]
        terms = held or terms
    countries = {t.country for t in terms}
    if len(countries) > 1:
        best = max(countries, key=lambda c: context.get(c, 0))
        if context.get(best, 0) == 0:
            return  # an ambiguous short name with nothing in the text to choose by
        terms = [t for t in terms if t.country == best]
    if not terms:
        return
    if titled:
        _resolve_person(doc, m, terms, "registry:short name", 0.8)
        return
    term = _pick_term(reg, terms, doc.date)
    doc.persons_named.setdefault(term.name, term)
    how = "registry:short name@date" if doc.date else "registry:short name"
    doc.add(m.first, m.last, _person_actor(reg, term), "PERSON", 0.75 if doc.date else 0.6, how + note)


def _expand_name_left(toks: Sequence[Token], first: int) -> int:
    """Take in the words spaCy cut off a name at "and"/"of": "the [Disarmament and] Peace Institute"."""
    k = first
    while k > 0:
        prev = toks[k - 1]
        if prev.pos == "SPACE":
            k -= 1
            continue
        if prev.text[:1].isupper() and prev.pos in ("PROPN", "ADJ", "NOUN") and prev.text.lower() != "the":
            k -= 1
            continue
        if prev.text.lower() in ("and", "of", "for", "&") and k - 2 >= 0:
            before = toks[k - 2]
            if before.pos == "SPACE" and k - 3 >= 0:
                before = toks[k - 3]
            if before.text[:1].isupper() and before.pos in ("PROPN", "ADJ", "NOUN") and before.text.lower() != "the":
                k -= 1
                continue
        break
    while k < first and toks[k].pos == "SPACE":
        k += 1
    return k


def _resolve_institutions(doc: _Doc) -> None:
    """Named institutions ("Foreign Ministry", "Peace Institute") in their country's context."""
    reg, toks = doc.registry, doc.tokens
    for ent in doc.ann.entities:
        if ent.label not in ("ORG", "FAC", "NORP", "PERSON", "GPE"):
            continue
        last = ent.last_token
        while last > ent.first_token and toks[last - 1].pos in ("PART", "PUNCT", "SPACE"):
            last -= 1
        words = [t.text.lower() for t in toks[ent.first_token : last]]
        if not words or words[-1] not in INSTITUTION_WORDS:
            continue
        if any(k in doc.covered for k in range(ent.first_token, last)):
            continue
        first = _expand_name_left(toks, ent.first_token)
        if any(k in doc.covered for k in range(first, last)):
            first = ent.first_token
        code, how = _institution_country(doc, first, last)
        words = [t.text.lower() for t in toks[first:last] if t.pos != "SPACE"]
        sector, _ = _sector_in(reg, words)
        if sector in (None, "-"):
            sector = "GOV"
        appos_sector = _appositive_sector(doc, last)
        if appos_sector:
            sector = appos_sector
        name = " ".join(t.text for t in toks[first:last] if t.pos != "SPACE")
        actor = Actor(name, code, sector, kind="institution")
        det = _det_before(toks, first)
        doc.add(det, last, actor, ent.label if ent.label == "ORG" else "ORG", 0.7 if code else 0.5, how)


def _appositive_sector(doc: _Doc, last: int) -> str | None:
    toks = doc.tokens
    head = _head_of(toks, max(0, last - 1), last)
    for t in toks[last : min(len(toks), last + 12)]:
        if t.dep == "appos" and t.head == head.i:
            words = [w.text.lower() for w in toks[last : t.i + 1] if w.pos not in ("SPACE", "PUNCT", "PART")]
            sector, _ = _sector_in(doc.registry, words)
            return sector if sector not in (None, "-") else None
    return None


def _institution_country(doc: _Doc, first: int, last: int) -> tuple[str | None, str]:
    """The country an institution belongs to: its appositive or possessor, else the context."""
    toks = doc.tokens
    head = _head_of(toks, first, last)
    # an appositive naming the country: "..., North Korea's Foreign Ministry think tank"
    for t in toks[last : min(len(toks), last + 12)]:
        if t.dep == "appos" and t.head == head.i:
            for m in doc.mentions:
                if m.actor and m.actor.country and toks[last].start <= m.start <= t.end:
                    return m.actor.country, "pattern:institution+appositive"
            code = _country_in_span(doc, last, t.i + 1)
            if code:
                return code, "pattern:institution+appositive"
    # a possessor: "North Korea's Foreign Ministry" or "the country's Foreign Ministry"
    for t in toks[max(0, first - 4) : last]:
        if t.dep == "poss" and first - 4 <= t.i < last:
            code = _country_in_span(doc, t.i, t.i + 1) or _country_in_span(doc, max(0, t.i - 2), t.i + 1)
            if code:
                return code, "pattern:institution+possessor"
    # the nearest country before it in the sentence, then in the sentences before
    sent = toks[first].sent
    before = [
        m
        for m in doc.mentions
        if m.actor
        and m.actor.country
        and len(m.actor.country) == 3
        and m.end <= toks[first].start
        and m.actor.kind == "country"
    ]
    same = [m for m in before if toks[_token_at(doc, m.start)].sent == sent]
    if same:
        return same[-1].actor.country, "pattern:institution+context"  # type: ignore[union-attr]
    if before:
        return before[-1].actor.country, "pattern:institution+context"  # type: ignore[union-attr]
    return None, "pattern:institution"


def _token_at(doc: _Doc, offset: int) -> int:
    return max(0, bisect.bisect_right(doc.token_starts, offset) - 1)


def _country_in_span(doc: _Doc, first: int, last: int) -> str | None:
    idx = alias_index(doc.registry)
    toks = doc.tokens
    for a in range(first, last):
        for b in range(last, a, -1):
            span = doc.text[toks[a].start : toks[b - 1].end]
            for e in idx.entries.get(normalise(span), []):
                if e.kind in ("country", "demonym") and _case_fits(e, span):
                    return str(e.ref)
    return None


def _resolve_unknown_people(doc: _Doc) -> None:
    """People spaCy finds who are not in the registry: a person actor without a role."""
    toks = doc.tokens
    for ent in doc.ann.entities:
        if ent.label != "PERSON":
            continue
        last = ent.last_token
        while last > ent.first_token and toks[last - 1].pos in ("PART", "PUNCT", "SPACE"):
            last -= 1
        if last <= ent.first_token or any(k in doc.covered for k in range(ent.first_token, last)):
            continue
        words = [t for t in toks[ent.first_token : last] if t.pos != "SPACE"]
        if (
            len(words) < 2
            or any(ch.isdigit() for w in words for ch in w.text)
            or not all(w.text[:1].isupper() for w in words if w.text.isalpha())
        ):
            continue  # one capitalised word is too often a misread place or title
        name = " ".join(w.text for w in words)
        doc.add(ent.first_token, last, Actor(name, kind="person"), "PERSON", 0.5, "ner:person")


def _resolve_offices(doc: _Doc, offices: list[tuple[int, int, str, str, list[str], str | None]]) -> None:
    """ "The Japanese premier": the holder named in the text, else the holder at the date."""
    reg = doc.registry
    for first, last, code, title, roles, _label in offices:
        holders = [p for r in roles for p in reg.holders(code, r)]
        named = [doc.persons_named[p.name] for p in holders if p.name in doc.persons_named]
        named_terms = [p for p in holders if p.name in doc.persons_named]
        c = reg.countries.get(code)
        generic_name = f"{title.title()} of {c.name if c else code}"
        if named:
            if doc.date:
                at = [p for p in named_terms if p.holds_at(doc.date)]
                term = at[0] if at else named_terms[0]
            else:
                term = named_terms[0]
            doc.add(first, last, _person_actor(reg, term), "NOMINAL", 0.85, "coreference:office holder named in text")
            continue
        if doc.date:
            at = [p for p in holders if p.holds_at(doc.date)]
            if at:
                term = _by_rank(at)
                doc.add(first, last, _person_actor(reg, term), "NOMINAL", 0.75, "registry:office@date")
                continue
        actor = Actor(generic_name, code, "GOV", role=roles[0], kind="person")
        doc.add(first, last, actor, "NOMINAL", 0.5, "registry:office (holder unknown)")
