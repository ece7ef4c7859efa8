"""Who did it and to whom: actor and recipient from the dependency parse.

For a verb trigger the actor is its subject (``nsubj``; the ``by`` agent of a passive), found
through control and coordination when the verb has none of its own ("Japan agreed to meet",
"X met Y and signed ..."); the recipient is its object or the object of ``with``, ``against``,
``to``, ``on``, ``at``, ``toward``, or the subject of a passive. For a noun trigger ("talks",
"attack") the actor is its possessor, its actor-like modifiers ("Abe-Kim talks", "Israeli
airstrike"), its ``by`` phrase, or the subject of the verb that carries it ("Japan held talks");
``between``/``among`` phrases give several actors.

Reciprocal events are one event: coordinated parties ("Japan and China met", "talks between X
and Y") all go into ``actor`` with an empty ``recipient``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dateline.code.event import Participant

SUBJECT_DEPS = ("nsubj", "csubj", "expl")
OBJECT_DEPS = ("dobj", "obj", "dative", "iobj")
RECIPIENT_PREPS = ("with", "against", "to", "on", "at", "toward", "towards", "upon", "into", "from", "over")
ACTOR_PREPS = ("between", "among", "amongst")
PASSIVE_DEPS = ("nsubjpass",)
# participles whose passive subject is the one who holds the stance ("is opposed to", "is prepared to")
_STATIVE_PASSIVES = {"oppose", "prepare", "commit", "determine", "dedicate", "resolve", "poise", "dispose", "inclined"}
# dependency relations that carry a clause's subject down to an embedded verb
CONTROL_DEPS = ("xcomp", "conj", "advcl", "ccomp", "pcomp", "acl", "relcl")
PRONOUNS = {
    "it",
    "they",
    "he",
    "she",
    "we",
    "i",
    "you",
    "them",
    "him",
    "her",
    "us",
    "who",
    "which",
    "that",
    "itself",
    "themselves",
}


def is_pronoun(tok: Any) -> bool:
    """A pronoun by its tag, or by its word unless it is a name ("US" is no "us")."""
    if tok.tag in ("PRP", "PRP$", "WP", "WDT"):
        return True
    return tok.text.lower() in PRONOUNS and tok.pos not in ("PROPN", "NOUN") and not tok.text.isupper()


class Tree:
    """Children lists and path distances over one annotation's tokens."""

    def __init__(self, tokens: Sequence[Any]) -> None:
        self.tokens = tokens
        self.children: list[list[int]] = [[] for _ in tokens]
        for tok in tokens:
            if tok.head != tok.i:
                self.children[tok.head].append(tok.i)

    def kids(self, i: int, *deps: str) -> list[int]:
        return [c for c in self.children[i] if not deps or self.tokens[c].dep in deps]

    def head(self, i: int) -> int | None:
        h = self.tokens[i].head
        return None if h == i else h

    def ancestors(self, i: int) -> list[int]:
        out = []
        seen = {i}
        h = self.head(i)
        while h is not None and h not in seen:
            out.append(h)
            seen.add(h)
            h = self.head(h)
        return out

    def distance(self, a: int, b: int) -> int:
        """Edges on the path between two tokens (a large number across sentences)."""
        up_a = [a, *self.ancestors(a)]
        depth = {t: n for n, t in enumerate(up_a)}
        n = 0
        t: int | None = b
        seen = set()
        while t is not None and t not in seen:
            if t in depth:
                return depth[t] + n
            seen.add(t)
            t = self.head(t)
            n += 1
        return 99

    def subtree(self, i: int) -> list[int]:
        out, stack = [], [i]
        while stack:
            t = stack.pop()
            out.append(t)
            stack.extend(self.children[t])
        return sorted(out)

    def phrase(self, i: int) -> tuple[int, int]:
        """Token range of the noun phrase headed by ``i``: its left modifiers and compounds,
        without relative clauses, appositions or prepositional phrases (other than ``of``)."""
        keep = [i]
        stack = list(self.children[i])
        while stack:
            c = stack.pop()
            tok = self.tokens[c]
            if tok.dep in ("relcl", "acl", "appos", "punct", "cc", "conj", "advcl", "prep") and not (
                tok.dep == "prep" and tok.lemma.lower() == "of" and c > i
            ):
                continue
            keep.append(c)
            stack.extend(self.children[c])
        return min(keep), max(keep) + 1


@dataclass
class Argument:
    """A syntactic argument of a trigger: the head token and how it was found."""

    token: int
    role: str  # actor | recipient
    how: str  # nsubj, agent, dobj, prep:with, poss, compound, light, control, between, ...
    reliability: float


def conjuncts(tree: Tree, i: int) -> list[int]:
    """``i`` and the tokens coordinated with it ("Japan and China", "X, Y and Z")."""
    out = [i]
    stack = [i]
    while stack:
        t = stack.pop()
        for c in tree.kids(t, "conj"):
            if tree.tokens[c].pos in ("NOUN", "PROPN", "PRON", "ADJ") and c not in out:
                out.append(c)
                stack.append(c)
    return out


def _subject(tree: Tree, verb: int, depth: int = 0) -> tuple[int, str] | None:
    """The subject of ``verb``, inherited from the governing verb when it has none."""
    subj = tree.kids(verb, *SUBJECT_DEPS)
    if subj:
        return subj[0], "nsubj"
    agent = _agent(tree, verb)
    if agent is not None:
        return agent, "agent"
    if tree.kids(verb, "nsubjpass"):
        return None  # a passive with its own subject inherits no actor
    tok = tree.tokens[verb]
    head = tree.head(verb)
    if head is None or depth > 4:
        return None
    if tok.dep in ("relcl", "acl") and tree.tokens[head].pos in ("NOUN", "PROPN", "PRON"):
        if tok.dep == "relcl" or tok.tag == "VBG":
            return head, "relcl"
        return None
    if tok.dep == "pcomp":  # "admitted to abducting"
        grand = tree.head(head)
        if grand is not None:
            found = _subject(tree, grand, depth + 1)
            return (found[0], "control") if found else None
    if tok.dep in ("xcomp", "conj", "advcl", "ccomp", "acomp"):
        if tok.dep == "ccomp" and tree.kids(verb, "mark"):
            return None
        found = _subject(tree, head, depth + 1)
        if found:
            return found[0], "control"
    return None


def _agent(tree: Tree, verb: int) -> int | None:
    for c in tree.kids(verb, "agent"):
        for p in tree.kids(c, "pobj"):
            return p
    return None


def _is_passive(tree: Tree, verb: int) -> bool:
    return bool(tree.kids(verb, "nsubjpass", "auxpass"))


def verb_arguments(tree: Tree, verb: int) -> list[Argument]:
    args: list[Argument] = []
    passive = _is_passive(tree, verb)
    found = _subject(tree, verb)
    if found and not (passive and found[1] == "nsubj"):
        subj, how = found
        args.append(Argument(subj, "actor", how, 0.9 if how in ("nsubj", "agent") else 0.75))
    if passive:
        agent = _agent(tree, verb)
        if agent is not None and not any(a.token == agent for a in args):
            args.append(Argument(agent, "actor", "agent", 0.9))
        stative = agent is None and tree.tokens[verb].lemma.lower() in _STATIVE_PASSIVES
        for c in tree.kids(verb, *PASSIVE_DEPS):
            # "Israel is opposed to French mediation": the subject holds the stance
            args.append(Argument(c, "actor" if stative else "recipient", "nsubjpass", 0.8))
    tok = tree.tokens[verb]
    head = tree.head(verb)
    if tok.dep == "acl" and tok.tag == "VBN" and head is not None:
        args.append(Argument(head, "recipient", "acl", 0.7))  # "nationals abducted by Pyongyang"
    for c in tree.kids(verb, *OBJECT_DEPS):
        args.append(Argument(c, "recipient", tree.tokens[c].dep, 0.8))
    args.extend(_prep_arguments(tree, verb))
    return args


def _prep_arguments(tree: Tree, head: int) -> list[Argument]:
    args = []
    for p in tree.kids(head, "prep"):
        word = tree.tokens[p].lemma.lower()
        for obj in tree.kids(p, "pobj"):
            if word in ACTOR_PREPS:
                args.append(Argument(obj, "actor", f"prep:{word}", 0.85))
            elif word in RECIPIENT_PREPS:
                args.append(Argument(obj, "recipient", f"prep:{word}", 0.7))
            elif word == "by":
                args.append(Argument(obj, "actor", "agent", 0.8))
    return args


def noun_arguments(tree: Tree, noun: int, event: str | None, carrier: int | None) -> list[Argument]:
    """Arguments of a noun trigger; ``carrier`` is the (light) verb whose object it is, if any."""
    args: list[Argument] = []
    for c in tree.children[noun]:
        tok = tree.tokens[c]
        if tok.dep == "poss":
            args.append(Argument(c, "actor", "poss", 0.8))
        elif tok.dep in ("compound", "amod", "nmod") and (
            tok.ent_type in ("GPE", "NORP", "ORG", "PERSON") or tok.pos == "PROPN"
        ):
            args.append(Argument(c, "actor", tok.dep, 0.6))
    for p in tree.kids(noun, "prep"):
        word = tree.tokens[p].lemma.lower()
        for obj in tree.kids(p, "pobj"):
            if word in ACTOR_PREPS:
                args.append(Argument(obj, "actor", f"prep:{word}", 0.85))
            elif word == "by":
                args.append(Argument(obj, "actor", "agent", 0.8))
            elif word == "of":
                role = "recipient" if event in ("ASSAULT", "COERCE", "SANCTION", "ACCUSE") else "actor"
                args.append(Argument(obj, role, "prep:of", 0.6))
            elif word in RECIPIENT_PREPS:
                args.append(Argument(obj, "recipient", f"prep:{word}", 0.7))
    if carrier is None and not any(a.role == "actor" for a in args):
        # "launched 10 days of war games": the nearest verb above gives its subject, less surely
        current = noun
        for _ in range(3):
            head = tree.head(current)
            if head is None:
                break
            if tree.tokens[head].pos == "VERB":
                if tree.tokens[current].dep not in ("nsubj", "nsubjpass"):
                    found = _subject(tree, head)
                    if found and not (_is_passive(tree, head) and found[1] == "nsubj"):
                        args.append(Argument(found[0], "actor", "above", 0.5))
                break
            current = head
    if carrier is not None:
        has_actor = any(a.role == "actor" and not is_pronoun(tree.tokens[a.token]) for a in args)
        if not has_actor:
            args = [a for a in args if not (a.role == "actor" and a.how == "poss")]
        if not has_actor:
            found = _subject(tree, carrier)
            if found and not (_is_passive(tree, carrier) and found[1] == "nsubj"):
                args.append(Argument(found[0], "actor", "light", 0.8))
            agent = _agent(tree, carrier)
            if agent is not None:
                args.append(Argument(agent, "actor", "agent", 0.8))
        for a in _prep_arguments(tree, carrier):
            if a.role == "recipient" and any(x.role == "recipient" for x in args):
                continue
            args.append(a)
    return args


# relations followed down from a trigger to find who it is aimed at when it names no one itself
_DOWN_DEPS = ("xcomp", "ccomp", "advcl", "dobj", "obj", "prep", "pobj", "pcomp", "acl", "dative", "conj")
_SOURCE_PREPS = ("from", "by")
_AIM_PREPS = (*RECIPIENT_PREPS, "for")


def complement_arguments(tree: Tree, anchors: Sequence[int], first: int, last: int) -> list[Argument]:
    """Who an event is aimed at when the trigger names no one itself, nearest first: the
    parties of its complement ("offered to hand over to Great Britain", "demanded that the US
    cancel", "threatened to break relations with Russia") and the author of the act it
    answers ("rejected calls by Belarus's rulers", "dismissed an appeal from President X")."""
    tokens = tree.tokens
    out: list[Argument] = []
    seen = set(anchors)
    for a in anchors:
        head = tree.head(a)
        if head is not None and tokens[a].dep in ("xcomp", "advcl") and tokens[head].pos == "VERB":
            # "called Lavrov to discuss", "invited Kim to visit": the object of the verb above
            out.extend(Argument(o, "recipient", "complement:control", 0.6) for o in tree.kids(head, "dobj", "obj"))
    frontier = [(a, 0) for a in anchors]
    while frontier:
        node, depth = frontier.pop(0)
        if depth >= 4:
            continue
        for c in tree.children[node]:
            if c in seen or not first <= c < last:
                continue
            seen.add(c)
            tok = tokens[c]
            dep = tok.dep
            word = tok.lemma.lower()
            if dep in ("nsubj", "nsubjpass") and node not in anchors and tokens[node].pos in ("VERB", "AUX"):
                if tokens[node].dep in ("ccomp", "xcomp"):
                    out.append(Argument(c, "recipient", "complement:subject", 0.6))  # "demanded that X ..."
                continue
            # the author of an act named below the trigger ("rejected calls by Belarus's rulers")
            answered = node not in anchors and tokens[node].pos == "NOUN"
            if dep == "poss" and answered:
                out.append(Argument(c, "recipient", "complement:poss", 0.5))  # "Serbia's suppression"
                continue
            if dep in ("amod", "compound") and answered:
                if tok.ent_type in ("NORP", "GPE", "ORG") or tok.pos == "PROPN":
                    out.append(Argument(c, "recipient", f"complement:{dep}", 0.5))  # "a Senegalese peace plan"
                continue
            if dep not in _DOWN_DEPS:
                continue
            if dep == "prep" and word not in (*_AIM_PREPS, *_SOURCE_PREPS, "of"):
                continue
            if dep in ("dobj", "obj", "dative") and node not in anchors:
                out.append(Argument(c, "recipient", f"complement:{dep}", 0.6))
            elif dep == "pobj" and tokens[node].lemma.lower() in (*_AIM_PREPS, *_SOURCE_PREPS):
                out.append(Argument(c, "recipient", f"complement:{tokens[node].lemma.lower()}", 0.6))
            frontier.append((c, depth + 1))
    return out


AGENT_NOUNS = {
    "police",
    "troop",
    "soldier",
    "force",
    "army",
    "rebel",
    "militant",
    "gunman",
    "protester",
    "demonstrator",
    "official",
    "government",
    "authority",
    "minister",
    "president",
    "leader",
    "people",
    "civilian",
    "citizen",
    "student",
    "worker",
    "union",
    "opposition",
    "party",
    "insurgent",
    "fighter",
    "militia",
    "military",
    "guerrilla",
    "terrorist",
    "attacker",
    "assailant",
    "villager",
    "refugee",
    "prisoner",
    "journalist",
    "activist",
    "diplomat",
    "negotiator",
    "delegation",
    "envoy",
    "court",
    "parliament",
    "legislator",
    "lawmaker",
    "national",
    "agent",
    "side",
    "country",
    "state",
    "nation",
    "regime",
    "administration",
    "ministry",
    "embassy",
    "committee",
    "council",
    "group",
    "faction",
    "settler",
    "mob",
    "crowd",
    "bomber",
    "sniper",
    "hostage",
    "inspector",
    "observer",
    "peacekeeper",
}
_NOT_ACTOR_ENTS = ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY")


def _mentions_in(mentions: Sequence[Any], start: int, end: int) -> list[Any]:
    return [m for m in mentions if m.start < end and start < m.end]


def participants(
    text: str,
    tree: Tree,
    arg: Argument,
    mentions: Sequence[Any],
    first: int,
    last: int,
    places: Sequence[Any] = (),
) -> list[tuple[Participant, float]]:
    """The parties an argument names: one per coordinated phrase, resolved through the actor
    mentions, else the places it names ("rejected a U.S. request", "apologized to Brazil"),
    else a demonym in the phrase ("Serbian officials")."""
    out: list[tuple[Participant, float]] = []
    tokens = tree.tokens
    for c in conjuncts(tree, arg.token):
        if not first <= c < last:
            continue
        tok = tokens[c]
        if is_pronoun(tok):
            c = _antecedent(tree, c, first)
            if c is None:
                continue
            tok = tokens[c]
        lo, hi = tree.phrase(c)
        start, end = tokens[lo].start, tokens[hi - 1].end
        inside = _mentions_in(mentions, start, end)
        # prefer the mention that covers the head word, then the longest
        inside.sort(key=lambda m: (not (m.start <= tok.start < m.end), -(m.end - m.start)))
        appos = _apposition(tree, c, mentions, places)
        if appos is not None and not any(m.start <= tok.start < m.end for m in inside):
            # "his South Korean counterpart Kang Kyung-wha": the named apposition is the party
            p = appos
            if p.country is None:
                _borrow_country(p, [*inside, *_places_in(places, start, end)], tree, lo, hi)
            out.append((p, arg.reliability * 0.7))
            continue
        if inside:
            # "Abe-Kim talks", "US-North Korea summit": every party named in a modifier
            chosen = inside if arg.how in ("compound", "amod", "nmod") else inside[:1]
            for m in chosen:
                p = _participant(m)
                if p.country is None:
                    _borrow_country(p, [*inside, *_places_in(places, start, end)], tree, lo, hi)
                if p.country is None:
                    _borrow_apposition(p, tree, c, mentions, places)
                out.append((p, arg.reliability * max(0.3, float(getattr(m, "confidence", 0.5) or 0.5))))
                out.extend((q, arg.reliability * 0.5) for q in _coordinated_adjectives(tree, lo, hi, p))
            continue
        named_places = _places_in(places, start, end)
        on_head = [q for q in named_places if q.start <= tok.start < q.end]
        sector = _sector_word(tok)
        if named_places and not on_head and (sector or tok.lemma.lower() in AGENT_NOUNS):
            # "the government of Sindh province", "Iraqi Kurds": the whole phrase, the place's country
            p = Participant(text[start:end], start, end, None, _alpha3(named_places[0].country_code), sector)
            out.append((p, arg.reliability * 0.5))
            continue
        if named_places:
            # a place named as a party: "apologized to Brazil", "a U.S. request", "talks with Tokyo"
            named_places.sort(key=lambda q: (not (q.start <= tok.start < q.end), -(q.end - q.start)))
            chosen_places = named_places if arg.how in ("compound", "amod", "nmod") else named_places[:1]
            for q in chosen_places:
                out.append((_place_participant(q), arg.reliability * 0.6))
            continue
        if tok.ent_type in _NOT_ACTOR_ENTS or tok.pos in ("NUM", "DET"):
            names = [
                k
                for k in tree.kids(c, "compound")
                if tokens[k].pos == "PROPN" and tokens[k].ent_type not in _NOT_ACTOR_ENTS
            ]
            if not names:  # "by Pyongyang decades ago" parses the name as a modifier of the date
                continue
            k = names[0]
            ms = _mentions_in(mentions, tokens[k].start, tokens[k].end)
            if ms:
                out.append((_participant(ms[0]), arg.reliability * 0.8))
            else:
                out.append((Participant(tokens[k].text, tokens[k].start, tokens[k].end), arg.reliability * 0.4))
            continue
        named = (
            tok.pos == "PROPN"
            or tok.ent_type in ("PERSON", "ORG", "GPE", "NORP")
            or tok.lemma.lower() in AGENT_NOUNS
            or tok.lemma.lower() in _PARTY_NOUNS
        )
        if not named:
            continue
        p = Participant(text[start:end], start, end, sector=_sector_word(tok))
        _borrow_country(p, [], tree, lo, hi)
        out.append((p, arg.reliability * 0.4))
        out.extend((q, arg.reliability * 0.3) for q in _coordinated_adjectives(tree, lo, hi, p))
    return out


# nouns that stand for a party only with a modifier that names one ("his Russian counterpart")
_PARTY_NOUNS = {"counterpart", "host", "neighbor", "neighbour", "ally", "partner", "rival", "foe", "enemy"}

_GOV_TITLES = {
    "president",
    "minister",
    "premier",
    "government",
    "official",
    "chancellor",
    "king",
    "prime",
    "secretary",
    "ambassador",
    "envoy",
    "leader",
    "spokesman",
    "authority",
    "ministry",
    "diplomat",
}


def _country_word(tok: Any) -> str | None:
    """Alpha-3 country of a demonym or adjective token ("Serbian"), through the gazetteer."""
    if tok.ent_type not in ("NORP", "GPE") and tok.pos not in ("ADJ", "PROPN"):
        return None
    try:
        from dateline.resolve.gazetteer import country_alpha3, load_gazetteer

        entry = load_gazetteer().adjective(tok.text)
    except Exception:  # the gazetteer is optional for the coder
        return None
    if entry is None or getattr(entry, "feature", "") not in ("PCLI", "PCLD", "PCLIX", "PCLS", "PCL", "TERR"):
        return None
    return country_alpha3(entry.country_code)


def _borrow_country(p: Participant, mentions: Sequence[Any], tree: Tree, lo: int, hi: int) -> None:
    """A person or body with no resolved country takes it from its phrase: another resolved
    mention ("U.S. Secretary of State Warren Christopher"), a place ("Lebanon's new President
    Elias Hrawi") or a demonym ("Serbian President ...", "his South Korean counterpart")."""
    words = {t.lemma.lower() for t in tree.tokens[lo:hi]}
    for m in mentions:
        actor = getattr(m, "actor", None)
        if actor is not None and actor.country:
            p.country = actor.country
            p.sector = p.sector or actor.sector
            return
    for m in mentions:
        if getattr(m, "actor", None) is None and getattr(m, "country_code", None):
            country = _alpha3(m.country_code)
            if country:
                p.country = country
                if p.sector is None and words & _GOV_TITLES:
                    p.sector = "GOV"
                return
    tokens = tree.tokens
    for n in range(lo, hi):
        # a two-word demonym first ("South Korean"), then the single word
        pair = _demonym(f"{tokens[n].text} {tokens[n + 1].text}") if n + 1 < hi else None
        country = pair or _country_word(tokens[n])
        if country:
            p.country = country
            if p.sector is None and words & _GOV_TITLES:
                p.sector = "GOV"
            return


def _demonym(words: str) -> str | None:
    try:
        from dateline.resolve.gazetteer import country_alpha3, load_gazetteer

        entry = load_gazetteer().adjective(words)
    except Exception:  # the gazetteer is optional for the coder
        return None
    if entry is None or getattr(entry, "feature", "") not in ("PCLI", "PCLD", "PCLIX", "PCLS", "PCL", "TERR"):
        return None
    return country_alpha3(entry.country_code)


def _alpha3(alpha2: str | None) -> str | None:
    try:
        from dateline.resolve.gazetteer import country_alpha3
    except Exception:  # the gazetteer is optional for the coder
        return None
    return country_alpha3(alpha2)


def _sector_word(tok: Any) -> str | None:
    """The sector a head noun names ("troops" MIL, "rebels" REB), from the actor tables."""
    try:
        from dateline.resolve.registry import load_registry

        sectors = load_registry().sectors
    except Exception:  # the actor tables are optional for the coder
        return None
    sector = sectors.get(tok.lemma.lower()) or sectors.get(tok.text.lower())
    return sector if sector and sector != "-" else None


def _places_in(places: Sequence[Any], start: int, end: int) -> list[Any]:
    return [
        q for q in places if q.start < end and start < q.end and _alpha3(getattr(q, "country_code", None)) is not None
    ]


def _place_participant(place: Any) -> Participant:
    """A place named as a party ("talks with Tokyo"): its country; a country by name is its government."""
    return Participant(place.text, place.start, place.end, place.name, _alpha3(place.country_code))


def _apposition(tree: Tree, head: int, mentions: Sequence[Any], places: Sequence[Any]) -> Participant | None:
    """The named apposition of a head noun, if it names a resolved actor."""
    tokens = tree.tokens
    for a in tree.kids(head, "appos"):
        lo, hi = tree.phrase(a)
        found = _mentions_in(mentions, tokens[lo].start, tokens[hi - 1].end)
        found = [m for m in found if m.start <= tokens[a].start < m.end] or found
        if found:
            return _participant(found[0])
    return None


def _borrow_apposition(p: Participant, tree: Tree, head: int, mentions: Sequence[Any], places: Sequence[Any]) -> None:
    """ "Kenzo Oshima, the United Nations Emergency Relief Coordinator": the country of the apposition."""
    tokens = tree.tokens
    for a in tree.kids(head, "appos"):
        lo, hi = tree.phrase(a)
        start, end = tokens[lo].start, tokens[hi - 1].end
        _borrow_country(p, [*_mentions_in(mentions, start, end), *_places_in(places, start, end)], tree, lo, hi)
        if p.country:
            return


def _coordinated_adjectives(tree: Tree, lo: int, hi: int, p: Participant) -> list[Participant]:
    """ "Hungarian and Romanian officials": one party per coordinated demonym, beyond the first."""
    out = []
    for t in tree.tokens[lo:hi]:
        if t.dep == "conj" and lo <= t.head < hi and tree.tokens[t.head].dep == "amod":
            country = _country_word(t)
            if country and country != p.country:
                out.append(Participant(t.text, t.start, t.end, None, country, p.sector))
    return out


def _participant(m: Any) -> Participant:
    actor = getattr(m, "actor", None)
    return Participant(
        m.text,
        m.start,
        m.end,
        getattr(actor, "name", None),
        getattr(actor, "country", None),
        getattr(actor, "sector", None),
        getattr(actor, "wikidata", None),
    )


def _antecedent(tree: Tree, pronoun: int, first: int) -> int | None:
    """A possessive or subject pronoun's likely antecedent: the subject of an embedding clause
    ("Trump promised to raise it during his talks" -> Trump)."""
    tokens = tree.tokens
    word = tokens[pronoun].text.lower()
    if word in ("which", "that", "who"):
        return None
    if word in ("him", "her", "them") and tokens[pronoun].dep in ("dobj", "obj", "dative"):
        # "called Erdogan and urged him": the object of the verb it is coordinated with
        verb = tree.head(pronoun)
        first_verb = tree.head(verb) if verb is not None and tokens[verb].dep == "conj" else None
        if first_verb is not None:
            for o in tree.kids(first_verb, "dobj", "obj"):
                if o >= first and not is_pronoun(tokens[o]):
                    return o
        return None
    for anc in tree.ancestors(pronoun):
        for s in tree.kids(anc, "nsubj", "nsubjpass"):
            if (
                s != pronoun
                and tokens[s].tag not in ("PRP", "PRP$", "WP", "WDT")
                and s >= first
                and (tokens[s].pos == "PROPN" or tokens[s].ent_type or tokens[s].lemma.lower() in AGENT_NOUNS)
            ):
                # "it" stands for a state or a body ("Syria says it is willing"), not a person
                if word in ("it", "its") and (tokens[s].ent_type == "PERSON" or tokens[s].tag == "NNS"):
                    return None
                return s
    return None
