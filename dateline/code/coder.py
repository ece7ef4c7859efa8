"""The PLOVER coder: triggers -> events with roles, date, place, modes, attribution, confidence.

``code_document`` works on plain inputs (text, annotation, mentions, places, times, the
publication date) so it can be tested and evaluated without the pipeline; the ``Coder`` stage
in ``dateline.code`` calls it per article.

One event per trigger that no other trigger governs: "agreed to meet" is one AGREE event,
"demanded the withdrawal" one REQUEST, "condemned the attack" one ACCUSE (PLOVER codes the
single category, not a chain). A light verb ("held talks", "launched an attack") gives its
subject to the noun it carries; an undoing verb ("lifted the curfew") turns a COERCE/SANCTION
noun into CONCEDE/RETREAT, a calling-off verb ("cancelled a planned visit") a meeting into REJECT.

Not every trigger is an event: a denial or a refusal to comment ("denied charges that it
tortured ...", "declined to comment on the attack") is a statement PLOVER does not code, and so
are the claims it denies; an event noun mentioned in a statement of feeling ("condolences after
the attack") is background; "agree with the recommendation" is an opinion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dateline.code.crosswalk import cameo_for, cc_score, quad_code
from dateline.code.event import Event, EventPlace, Participant
from dateline.code.modality import Attribution, find_attribution, find_aux, forms, time_modes
from dateline.code.roles import (
    AGENT_NOUNS,
    Tree,
    complement_arguments,
    noun_arguments,
    participants,
    verb_arguments,
)
from dateline.code.triggers import Lexicon, TriggerHit, default_lexicon, find_triggers

# Dependency steps through which a trigger governs another ("agreed to meet", "demanded talks").
_ABSORB_DEPS = (
    "xcomp",
    "ccomp",
    "dobj",
    "obj",
    "pobj",
    "prep",
    "pcomp",
    "acomp",
    "compound",
    "amod",
    "acl",
    "nsubjpass",
    "attr",
    "oprd",
    "dative",
    "advcl",
)
_ABSORB_PREPS = ("of", "for", "to", "on", "upon", "about", "into", "over", "against", "from", "with")
_PLACE_PREPS = (
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "throughout",
    "on",
    "into",
    "around",
    "within",
    "from",
    "through",
    "along",
    "off",
)
# prepositions a place may hang from on its way up to a preposition of place ("in the skies
# over Sarajevo", "near the crossing between Israel and Gaza", "at an entrance to the Old City")
_SPATIAL_PREPS = ("of", "over", "between", "above", "below", "beneath", "under", "beyond", "to", "along")
# a broader place loses a near tie to a narrower one ("in the Yemen city of Ibb")
_BREADTH = {"country": 1.0, "region": 0.6, "admin1": 0.4}
_SKIP_TIME_VALUES = ("PRESENT_REF", "FUTURE_REF")
_NON_VISITORS = {
    "troop",
    "soldier",
    "force",
    "peacekeeper",
    "deployment",
    "aid",
    "shipment",
    "convoy",
    "refugee",
    "army",
    "unit",
    "patch",
}
_MOTION_VERBS = {
    "return",
    "travel",
    "come",
    "go",
    "arrive",
    "head",
    "fly",
    "converge",
    "gather",
    "meet",
    "sit",
    "assemble",
    "leave",
}
_VOLITION_WORDS = {
    "will",
    "shall",
    "'ll",
    "would",
    "wo",
    "plan",
    "intend",
    "prepare",
    "decide",
    "aim",
    "vow",
    "pledge",
    "promise",
}
# the mode of a request or a rejection, from the type of what is asked for or refused
_ASKED_MODES = {
    "CONSULT": "meet",
    "AID": "assist",
    "COOPERATE": "assist",
    "SUPPORT": "assist",
    "RETREAT": "yield",
    "CONCEDE": "yield",
}
_MODE_FROM_COMPLEMENT = {
    "REQUEST": _ASKED_MODES,
    "REJECT": {**_ASKED_MODES, "AGREE": "meet"},
    "THREATEN": {
        "ASSAULT": "violence",
        "MOBILIZE": "violence",
        "SANCTION": "relations",
        "COERCE": "restrict",
        "PROTEST": "restrict",
    },
}


@dataclass
class _Trigger:
    hit: TriggerHit
    event: str
    mode: str | None
    context: list[str]
    weight: float
    head: int  # token the event hangs on (the noun for a light-verb construction)
    carrier: int | None = None  # the light verb carrying a noun trigger
    span: tuple[int, int] = (0, 0)
    absorbed_by: int | None = None  # index of the governing trigger
    depth: int = 0
    silent: bool = False  # inside a statement PLOVER does not code ("denied the charges that ...")


MAX_STAND_IN_DAYS = 31  # the longest content window whose anchor may stand in as an event's date


def publication_is_a_date(published: Any) -> bool:
    """Whether ``publication_date`` is a date an undated event may take, not a guess.

    A stated date the content does not contradict is; so is the anchor of a short content
    window. The anchor of a window of months (an office holder's term) is not: two reports
    guessed onto the same day would look like one event. Their events stay undated.
    """
    if published is None:
        return False
    if getattr(published, "stated", None) and getattr(published, "trusted", None) is not False:
        return True
    start, end = getattr(published, "estimate_start", None), getattr(published, "estimate_end", None)
    if not (start and end):
        return False
    return (date.fromisoformat(end[:10]) - date.fromisoformat(start[:10])).days <= MAX_STAND_IN_DAYS


def publication_date(published: Any) -> str | None:
    """Best ISO date for "when was this published": the stated date unless the content
    contradicts it, else the day the content allows (``dateline.resolve.content_anchor``)."""
    if published is None:
        return None
    start = getattr(published, "estimate_start", None)
    end = getattr(published, "estimate_end", None)
    stated = getattr(published, "stated", None)
    if stated and getattr(published, "trusted", None) is not False:
        return str(stated)[:10]
    if start or end:
        from dateline.resolve import content_anchor

        anchor = content_anchor(start, end)
        return anchor.isoformat() if anchor else None
    return str(stated)[:10] if stated else None


def code_document(
    text: str,
    annotation: Any,
    *,
    article_id: str = "",
    mentions: Sequence[Any] = (),
    places: Sequence[Any] = (),
    times: Sequence[Any] = (),
    published: str | None = None,
    lexicon: Lexicon | None = None,
    publication_stands_in: bool = True,
) -> list[Event]:
    """Every PLOVER event in an annotated text. Offsets in the events index ``text``.

    ``published`` is the reference for future/historical; ``publication_stands_in`` says
    whether it may also stand in as the date of an event no time expression dates (not when
    it is a guess inside a long window the content allows).
    """
    lexicon = lexicon or default_lexicon()
    tree = Tree(annotation.tokens)
    events: list[Event] = []
    memory: dict[str, Attribution] = {}
    for s_index, sent in enumerate(annotation.sentences):
        triggers = _sentence_triggers(tree, annotation, s_index, lexicon)
        stance = _has_cue(tree, sent.first_token, sent.last_token, lexicon, "stance")
        for trig in triggers:
            if trig.absorbed_by is not None or trig.silent:
                continue
            event = _build_event(
                text,
                tree,
                trig,
                (sent.first_token, sent.last_token),
                (sent.start, sent.end),
                article_id,
                mentions,
                lexicon,
                places,
            )
            if event is None:
                continue
            _link_time(event, tree, trig, sent, times, published, triggers, stand_in=publication_stands_in)
            _link_place(event, tree, trig, sent, places, triggers)
            _recipient_from_place(event)
            _attribute(event, text, tree, trig, (sent.first_token, sent.last_token), lexicon, memory)
            if not event.actor and not event.recipient and trig.weight < 0.6:
                continue
            if stance and trig.carrier is None and _background_noun(tree, trig, event):
                continue  # "condolences after the attack": the attack is background to a statement
            _finish(event, trig, lexicon)
            events.append(event)
    _inherit_dates(events)
    return events


def _inherit_dates(events: list[Event]) -> None:
    """An undated event that repeats a dated one (same type and mode, a shared party's country)
    takes its date: "the abduction ... from 1977 till 1983" then "admitted to abducting 13 people"."""
    for n, ev in enumerate(events):
        if ev.date_precision not in ("publication", None) or ev.time_span is not None:
            continue
        mine = {p.country for p in ev.actor + ev.recipient if p.country}
        for other in events[:n]:
            if other.time_span is None or other.event != ev.event or other.mode != ev.mode or not other.date:
                continue
            if "historical" not in other.aux:
                continue
            theirs = {p.country for p in other.actor + other.recipient if p.country}
            if mine & theirs:
                ev.date, ev.enddate, ev.date_precision = other.date, other.enddate, other.date_precision
                ev.date_confidence = other.date_confidence * 0.6
                for mode in ("historical",):
                    if mode in other.aux and mode not in ev.aux:
                        ev.aux.append(mode)
                ev.aux.sort()
                break


def primary_event(events: Sequence[Event]) -> Event | None:
    """The event a one-sentence gold set would code: the highest in the parse, then the surest."""
    if not events:
        return None
    return min(events, key=lambda e: (getattr(e, "_depth", 0), -e.event_confidence, e.trigger[0]))


# ----------------------------------------------------------------------------- triggers


def _light_words(lexicon: Lexicon) -> set[str]:
    return {" ".join(e.phrase) for e in lexicon.entries if e.kind == "light"}


def _inverse(lexicon: Lexicon) -> dict[str, Any]:
    return {" ".join(e.phrase): e for e in lexicon.entries if e.kind == "inverse"}


def _depth(tree: Tree, i: int) -> int:
    return len(tree.ancestors(i))


def _carrier(tree: Tree, noun: int, light: set[str], inverse: dict[str, Any]) -> int | None:
    """The verb whose object (or prepositional object) the noun trigger is, within two steps."""
    tokens = tree.tokens
    current = noun
    for _ in range(2):
        dep = tokens[current].dep
        head = tree.head(current)
        if head is None:
            return None
        if dep in ("dobj", "obj", "nsubjpass", "attr", "nsubj") and tokens[head].pos in ("VERB", "AUX"):
            word = tokens[head].lemma.lower()
            if word in light or word in inverse or dep in ("dobj", "obj"):
                return head
            return None
        if dep == "pobj":
            current = head  # the preposition
            continue
        if dep == "prep" and tokens[head].pos == "VERB":
            word = tokens[head].lemma.lower()
            if word in _MOTION_VERBS and tokens[current].lemma.lower() in ("for", "to"):
                return head  # "negotiators return to Geneva for talks"
            return head if word in light or word in inverse else None
        return None
    return None


def _licensed(tree: Tree, hit: TriggerHit) -> bool:
    """Lexical checks for ambiguous words ("fired" a minister, "called" someone something)."""
    tokens = tree.tokens
    tok = tokens[hit.head]
    word = tok.lemma.lower()
    kids = tree.children[hit.head]
    preps = {tokens[c].lemma.lower() for c in kids if tokens[c].dep == "prep"}
    objs = [c for c in kids if tokens[c].dep in ("dobj", "obj")]
    {tokens[c].lemma.lower() for c in objs}
    if hit.entry.phrase == ("fire",):
        if preps & {"on", "at", "into", "upon"}:
            return True
        return bool(objs) and not any(
            tokens[c].ent_type == "PERSON" or tokens[c].lemma.lower() in AGENT_NOUNS for c in objs
        )
    if hit.entry.phrase == ("strike",) and hit.entry.event == "ASSAULT":
        return tok.pos == "VERB" and bool(objs)
    if (
        word in ("send", "give", "provide", "supply", "deliver", "hand", "contribute", "grant")
        and hit.entry.event == "AID"
    ):
        if not objs:
            return False
        obj = tokens[objs[0]]
        return obj.ent_type not in ("PERSON",) and obj.lemma.lower() not in {
            "official",
            "envoy",
            "delegation",
            "minister",
            "adviser",
            "letter",
            "message",
            "signal",
            "statement",
            "warning",
        }
    if hit.entry.mode == "visit" and tok.pos == "VERB":
        subj = [tokens[c].lemma.lower() for c in kids if tokens[c].dep in ("nsubj", "nsubjpass")]
        if any(w in _NON_VISITORS for w in subj):
            return False  # "peacekeeping troops arrived": a deployment, not a visit
    if word == "return" and hit.entry.event == "RETREAT":
        return bool(objs)
    if (
        word in ("suspend", "halt", "cut", "end", "cancel", "reduce", "freeze", "recall")
        and hit.entry.event == "SANCTION"
    ):
        return bool(objs) or bool(preps & {"off"})
    if word in ("hold", "have", "take") and tok.pos == "VERB":
        return False
    if word in ("seek", "ask", "press", "push", "want") and tree.kids(hit.head, "xcomp") and not objs:
        return False  # "seek to meet": an intention to meet, coded on "meet"
    if word in ("close", "shut") and not objs:
        return False
    if word == "agree" and tok.pos == "VERB" and preps == {"with"} and not objs:
        # "said they agree with the recommendation": an opinion, unless agreed on or to something
        return bool(tree.kids(hit.head, "xcomp", "ccomp", "advcl"))
    return not (tok.pos == "PROPN" and hit.entry.pos == "N" and not hit.exact)


def _sentence_triggers(tree: Tree, annotation: Any, s_index: int, lexicon: Lexicon) -> list[_Trigger]:
    tokens = tree.tokens
    light = _light_words(lexicon)
    inverse = _inverse(lexicon)
    found: list[_Trigger] = []
    for hit in find_triggers(annotation, s_index, lexicon):
        if not _licensed(tree, hit):
            continue
        entry = hit.entry
        trig = _Trigger(
            hit,
            entry.event or "",
            entry.mode,
            [entry.context] if entry.context else [],
            entry.weight,
            hit.head,
            span=(hit.start, hit.end),
        )
        if tokens[hit.head].pos in ("NOUN", "PROPN"):
            carrier = _carrier(tree, hit.head, light, inverse)
            if carrier is not None:
                _undo(tree, trig, carrier, inverse)
                trig.carrier = carrier
        trig.depth = _depth(tree, trig.carrier if trig.carrier is not None else trig.head)
        found.append(trig)
    heads = {t.head: t for t in found}
    kept = []
    for trig in found:
        word = tokens[trig.head].lemma.lower()
        if (
            tokens[trig.head].pos == "VERB"
            and (word in light or word in inverse)
            and trig.hit.last - trig.hit.first == 1
        ):
            objs = [c for c in tree.kids(trig.head, "dobj", "obj") if c in heads and tokens[c].pos in ("NOUN", "PROPN")]
            if objs:
                continue  # "gave a warm welcome", "cancelled restrictions": the noun is the event
        kept.append(trig)
    if len(kept) != len(found):
        found = kept
        for trig in found:  # the nouns now hang on the verb they lost
            if trig.carrier is None and tokens[trig.head].pos in ("NOUN", "PROPN"):
                carrier = _carrier(tree, trig.head, light, inverse)
                if carrier is not None:
                    _undo(tree, trig, carrier, inverse, weigh=False)
                    trig.carrier = carrier
                    trig.depth = _depth(tree, carrier)
    _speech_requests(tree, annotation, s_index, lexicon, found)
    _absorb(tree, found)
    _silence_denials(tree, annotation.sentences[s_index], lexicon, found)
    return found


def _background_noun(tree: Tree, trig: _Trigger, event: Event) -> bool:
    """An event noun mentioned in passing: no actor of its own, or only a prepositional object."""
    tok = tree.tokens[trig.head]
    if tok.pos not in ("NOUN", "PROPN"):
        return False
    return not event.actor or tok.dep in ("pobj", "conj")


def _has_cue(tree: Tree, first: int, last: int, lexicon: Lexicon, kind: str) -> bool:
    words = lexicon.cues(kind)
    return any(
        tree.tokens[i].lemma.lower() in words or tree.tokens[i].text.lower() in words for i in range(first, last)
    )


def _silence_denials(tree: Tree, sent: Any, lexicon: Lexicon, found: list[_Trigger]) -> None:
    """ "denied charges that it tortured a priest", "declined to comment on the attack": a denial or
    a refusal to comment is a statement PLOVER does not code (CAMEO 012/016), and the claims it
    denies are not reported events."""
    tokens = tree.tokens
    denials = lexicon.cues("denial")
    statements = lexicon.cues("statement")
    for i in range(sent.first_token, sent.last_token):
        if tokens[i].lemma.lower() not in denials or tokens[i].pos not in ("VERB", "AUX"):
            continue
        objects = tree.kids(i, "dobj", "obj", "xcomp")
        said = [statements.get(tokens[o].lemma.lower()) or statements.get(tokens[o].text.lower()) for o in objects]
        if not any(e is not None and e.fits(tokens[o].pos) for o, e in zip(objects, said, strict=True)):
            continue
        inside = set(tree.subtree(i))
        for trig in found:
            if trig.head in inside or (trig.carrier is not None and trig.carrier in inside):
                trig.silent = True


# verbs that call off a meeting ("cancelled a planned visit"): a refusal to meet
_CALL_OFF = {"cancel", "postpone", "scrap", "shelve", "call", "abandon"}


def _undo(tree: Tree, trig: _Trigger, carrier: int, inverse: dict[str, Any], *, weigh: bool = True) -> None:
    """A verb that undoes the noun it carries: "lifted the curfew" (CONCEDE), "lifted sanctions"
    (RETREAT), "cancelled a planned visit" (REJECT to meet)."""
    tokens = tree.tokens
    word = tokens[carrier].lemma.lower()
    span = (min(tokens[carrier].start, trig.hit.start), max(trig.hit.end, tokens[carrier].end))
    if word in inverse and trig.event in ("COERCE", "SANCTION", "PROTEST", "MOBILIZE", "ASSAULT"):
        undo = inverse[word]
        military = trig.event == "SANCTION" or (trig.mode == "restrict" and "military" in trig.context)
        trig.event = "RETREAT" if military else undo.event or "CONCEDE"
        trig.mode = None
        if weigh:
            trig.weight = max(trig.weight, undo.weight)
        trig.span = span
    elif word in _CALL_OFF and trig.event == "CONSULT" and (word != "call" or tree.kids(carrier, "prt")):
        trig.event, trig.mode = "REJECT", "meet"
        trig.span = span


def _speech_requests(tree: Tree, annotation: Any, s_index: int, lexicon: Lexicon, found: list[_Trigger]) -> None:
    """ "X said Y must do Z": the statement is a REQUEST that governs Z (PLOVER codes demands so)."""
    tokens = tree.tokens
    sent = annotation.sentences[s_index]
    speech = set(lexicon.cues("speech")) | {"issue", "announce", "declare", "conclude", "reiterate"}
    taken = {t.head for t in found} | {t.carrier for t in found if t.carrier is not None}
    for i in range(sent.first_token, sent.last_token):
        if tokens[i].lemma.lower() not in speech or i in taken:
            continue
        for c in tree.kids(i, "ccomp"):
            musts = [a for a in tree.kids(c, "aux") if tokens[a].text.lower() in ("must", "should")]
            if musts:
                hit = TriggerHit(default_request(), i, i + 1, i, tokens[i].start, tokens[i].end, tokens[i].text, True)
                found.append(
                    _Trigger(
                        hit, "REQUEST", None, [], 0.7, i, span=(tokens[i].start, tokens[i].end), depth=_depth(tree, i)
                    )
                )
                break
    found.sort(key=lambda t: t.hit.first)


def default_request() -> Any:
    from dateline.code.triggers import LexiconEntry

    return LexiconEntry("governor", ("say",), "V", "REQUEST", None, None, 0.7)


def _absorb(tree: Tree, found: list[_Trigger]) -> None:
    """Mark triggers governed by another trigger (the governor's complement is part of its event)."""
    tokens = tree.tokens
    anchor = {n: (t.carrier if t.carrier is not None else t.head) for n, t in enumerate(found)}
    heads = {t.head: n for n, t in enumerate(found)}
    for n, trig in enumerate(found):
        if trig.carrier is not None and trig.carrier in heads and heads[trig.carrier] != n:
            gov = found[heads[trig.carrier]]  # "accepted the invitation", "condemned the attack"
            if _governs(gov, trig, tokens[trig.head].dep):
                trig.absorbed_by = heads[trig.carrier]
                _inherit(gov, trig)
                continue
        # walk up from this trigger to a governing trigger through complement relations
        current = anchor[n]
        for _ in range(5):
            tok = tokens[current]
            head = tree.head(current)
            if head is None or tok.dep not in _ABSORB_DEPS:
                break
            if tok.dep == "advcl" and not any(tokens[a].tag == "TO" for a in tree.kids(current, "aux")):
                break
            if tok.dep == "pobj" and tokens[head].lemma.lower() not in _ABSORB_PREPS:
                break
            if head in heads and heads[head] != n:
                gov = found[heads[head]]
                if _governs(gov, trig, tok.dep):
                    trig.absorbed_by = heads[head]
                    _inherit(gov, trig)
                break
            current = head


def _governs(gov: _Trigger, sub: _Trigger, dep: str) -> bool:
    if gov.hit.entry.kind == "governor":
        return True
    if sub.event == gov.event:
        return True
    # an ordinary verb trigger takes in the event nouns it acts on ("condemned the attack")
    return dep in ("dobj", "obj", "pobj", "compound", "amod", "nsubjpass", "attr")


def _inherit(gov: _Trigger, sub: _Trigger) -> None:
    if sub.event == "REQUEST" and gov.hit.entry.phrase[0] in (
        "accept",
        "meet",
        "satisfy",
        "fulfil",
        "fulfill",
        "heed",
        "grant",
    ):
        gov.event = "CONCEDE"  # "accepted the demands": accede to a request
    elif (
        gov.event == "AGREE"
        and gov.hit.entry.kind == "governor"
        and quad_code(sub.event) in (3, 4)
        and sub.event != "REJECT"
    ):
        gov.event = "THREATEN"  # "vowed to attack", "is prepared to impose martial law"
        gov.mode = None
    table = _MODE_FROM_COMPLEMENT.get(gov.event)
    if table and gov.mode is None:
        gov.mode = table.get(sub.event, "change" if gov.event in ("REQUEST", "REJECT") else None)
    if gov.event == "THREATEN" and sub.event == "COERCE" and sub.mode in ("ban", "arrest", "curfew", "martial-law"):
        gov.mode = "arrest" if sub.mode == "arrest" else "restrict"
    for ctx in sub.context:
        if ctx not in gov.context:
            gov.context.append(ctx)


# ----------------------------------------------------------------------------- roles


def _build_event(
    text: str,
    tree: Tree,
    trig: _Trigger,
    token_range: tuple[int, int],
    sentence: tuple[int, int],
    article_id: str,
    mentions: Sequence[Any],
    lexicon: Lexicon,
    places: Sequence[Any] = (),
) -> Event | None:
    tokens = tree.tokens
    head = tokens[trig.head]
    if head.pos in ("NOUN", "PROPN"):
        args = noun_arguments(tree, trig.head, trig.event, trig.carrier)
    else:
        args = verb_arguments(tree, trig.head)
    first, last = token_range
    actors: list[tuple[Participant, float]] = []
    recipients: list[tuple[Participant, float]] = []
    for arg in args:
        if arg.token in range(trig.hit.first, trig.hit.last):
            continue
        bucket = actors if arg.role == "actor" else recipients
        bucket.extend(participants(text, tree, arg, mentions, first, last, places))
    actors = _dedupe(actors)
    recipients = [
        r for r in _dedupe(recipients) if not any(_overlap(r[0], a[0]) and r[0].country == a[0].country for a in actors)
    ]
    if not any(r[0].country for r in recipients) and len(actors) < 2:
        # the trigger names no one it is aimed at: its complement may ("offered to hand over to X")
        for arg in complement_arguments(tree, _anchor(trig), first, last):
            if trig.hit.first <= arg.token < trig.hit.last:
                continue
            found = [
                r
                for r in participants(text, tree, arg, mentions, first, last, places)
                if r[0].country and not any(_overlap(r[0], a[0]) or r[0].text == a[0].text for a in actors)
            ]
            if found:
                recipients = recipients + [(p, c * 0.8) for p, c in found]
                break
    if trig.event == "PROTEST" and head.lemma.lower() in ("protester", "demonstrator") and not actors:
        return None
    event = Event(
        article_id=article_id,
        event=trig.event,
        trigger=trig.span,
        trigger_text=text[trig.span[0] : trig.span[1]],
        sentence=sentence,
        mode=trig.mode,
        context=list(trig.context),
        actor=[p for p, _ in actors],
        recipient=[p for p, _ in recipients],
    )
    event.actor_confidence = sum(c for _, c in actors) / len(actors) if actors else 0.0
    event.recipient_confidence = sum(c for _, c in recipients) / len(recipients) if recipients else 0.0
    event.reciprocal = len(actors) > 1 and not recipients
    event.event_confidence = trig.weight * (1.0 if actors else 0.85)
    modality = find_aux(tree, trig.head, lexicon, carrier=trig.carrier)
    event.aux = list(modality.aux)
    event.aux_cues = [(tokens[t].start, tokens[t].end) for _, t in modality.cues]
    event._volitional = modality.volitional  # type: ignore[attr-defined]
    options = {w for w, e in lexicon.cues("hypothetical").items() if e.pos == "V"}
    event._considered = any(  # type: ignore[attr-defined]
        mode == "hypothetical" and forms(tokens[t]) & options for mode, t in modality.cues
    )
    event._depth = trig.depth  # type: ignore[attr-defined]
    contexts = _sentence_contexts(tree, first, last, lexicon)
    for ctx in contexts:
        if ctx not in event.context and len(event.context) < 3:
            event.context.append(ctx)
    return event


def _overlap(a: Participant, b: Participant) -> bool:
    return a.start < b.end and b.start < a.end


def _dedupe(items: list[tuple[Participant, float]]) -> list[tuple[Participant, float]]:
    out: list[tuple[Participant, float]] = []
    for p, c in items:
        if any(_overlap(p, q) and (p.country == q.country or p.country is None) for q, _ in out):
            continue
        out.append((p, c))
    return out


def _sentence_contexts(tree: Tree, first: int, last: int, lexicon: Lexicon) -> list[str]:
    entries = lexicon.contexts()
    words = [t.lemma.lower() for t in tree.tokens[first:last]]
    joined = " " + " ".join(words) + " "
    out = []
    for e in entries:
        if f" {' '.join(e.phrase)} " in joined and e.context and e.context not in out:
            out.append(e.context)
    return out


# ----------------------------------------------------------------------------- time, place


def _token_at(tree: Tree, offset: int, first: int, last: int) -> int | None:
    for i in range(first, last):
        tok = tree.tokens[i]
        if tok.start <= offset < tok.end:
            return i
    return None


def _time_head(tree: Tree, start: int, end: int, first: int, last: int) -> int | None:
    """The token of a time expression whose head lies outside it."""
    inside = [i for i in range(first, last) if start <= tree.tokens[i].start < end]
    for i in inside:
        h = tree.head(i)
        if h is None or not start <= tree.tokens[h].start < end:
            return i
    return inside[0] if inside else None


def _anchor(trig: _Trigger) -> list[int]:
    return [trig.head] + ([trig.carrier] if trig.carrier is not None else [])


def _link_time(
    event: Event,
    tree: Tree,
    trig: _Trigger,
    sent: Any,
    times: Sequence[Any],
    published: str | None,
    triggers: list[_Trigger],
    *,
    stand_in: bool = True,
) -> None:
    best: tuple[float, Any] | None = None
    others = [t for t in triggers if t is not trig and t.absorbed_by is None]
    for tx in times:
        if not (sent.start <= tx.start < sent.end) or tx.value in _SKIP_TIME_VALUES or tx.type in ("DURATION", "SET"):
            continue
        tok = _time_head(tree, tx.start, tx.end, sent.first_token, sent.last_token)
        if tok is None:
            continue
        dist = min(tree.distance(a, tok) for a in _anchor(trig))
        if dist > 8:
            continue
        # a time that sits closer to another event's trigger belongs to that event
        if any(min(tree.distance(a, tok) for a in _anchor(o)) < dist for o in others):
            continue
        score = dist + abs(tx.start - trig.span[0]) / 1000.0
        if best is None or score < best[0]:
            best = (score, tx)
    if best is not None:
        tx = best[1]
        event.time_span = (tx.start, tx.end)
        value = str(tx.value)
        if "/" in value:
            event.date, event.enddate = value.split("/", 1)
        elif value.endswith("_REF"):
            event.date = None
        else:
            event.date = value
        event.date_precision = tx.granularity if event.date else None
        event.date_confidence = min(0.95, float(tx.confidence or 0.6) + 0.1) * (0.9 if best[0] <= 3 else 0.7)
        if (
            value == "PAST_REF"
            and "ago" in tx.text.lower()
            and any(w in tx.text.lower() for w in ("decade", "year", "century"))
        ) and "historical" not in event.aux:
            event.aux.append("historical")
        start = tx.interval_start or (event.date if event.date and event.date[:1].isdigit() else None)
        end = tx.interval_end or start
        for mode in time_modes(start, end, published):
            if mode == "future" and "historical" in event.aux:
                continue
            if mode not in event.aux:
                event.aux.append(mode)
        if "historical" in event.aux and "future" in event.aux:
            event.aux.remove("future")
    elif published and stand_in:
        event.date = published
        event.date_precision = "publication"
        event.date_confidence = 0.3
    event.aux.sort()


def link_place(
    text: str, annotation: Any, trigger: tuple[int, int], places: Sequence[Any], mentions: Sequence[Any] = ()
) -> Any | None:
    """The place (one of ``places``) where the event whose trigger spans ``trigger`` happened, or None.

    Used to score place choice alone; the coder does the same inside ``code_document``.
    """
    tree = Tree(annotation.tokens)
    sent = annotation.sentence_of(trigger[0])
    if sent is None:
        return None
    head = _token_at(tree, trigger[0], sent.first_token, sent.last_token)
    if head is None:
        return None
    taken = [
        m for m in mentions if getattr(m, "actor", None) is not None and m.start < sent.end and sent.start <= m.start
    ]
    taken = [m for m in taken if not any(p.start == m.start and p.end == m.end for p in places)]
    best = _choose_place(tree, [head], sent, places, taken)
    return best[1] if best else None


def _link_place(
    event: Event, tree: Tree, trig: _Trigger, sent: Any, places: Sequence[Any], triggers: list[_Trigger]
) -> None:
    best = _choose_place(tree, _anchor(trig), sent, places, event.actor + event.recipient)
    if best is not None:
        p = best[1]
        event.event_loc = EventPlace(
            p.text,
            p.start,
            p.end,
            p.geonameid,
            p.name,
            p.country_code,
            p.lat,
            p.lon,
            getattr(p, "resolution", "unknown") or "unknown",
        )
        event.location_confidence = max(0.2, min(0.9, 0.9 - 0.08 * max(0.0, best[0]))) * max(
            0.5, float(getattr(p, "confidence", 0.7) or 0.7)
        )


def _choose_place(
    tree: Tree, anchors: list[int], sent: Any, places: Sequence[Any], taken: Sequence[Any]
) -> tuple[float, Any] | None:
    best: tuple[float, Any] | None = None
    tokens = tree.tokens
    for place in places:
        if not (sent.start <= place.start < sent.end):
            continue
        if any(p.start < place.end and place.start < p.end for p in taken):
            continue
        tok = _time_head(tree, place.start, place.end, sent.first_token, sent.last_token)
        if tok is None:
            continue
        dist = min(tree.distance(a, tok) for a in anchors)
        of = tree.head(tok)
        if tokens[tok].dep == "pobj" and of is not None and tokens[of].lemma.lower() == "of":
            dist -= 1  # "the city of Ibb", "the village of Mainok": the name is the noun it follows
        # prepositions of place on the way up from the place to the event
        prep_bonus = 0.0
        t: int | None = tok
        for _ in range(4):
            h = tree.head(t) if t is not None else None
            if h is None:
                break
            if tokens[h].pos == "ADP" and tokens[h].lemma.lower() in _PLACE_PREPS:
                prep_bonus = 1.5
                break
            if tokens[h].pos == "ADP" and tokens[h].lemma.lower() not in _SPATIAL_PREPS:
                break  # "talks in Rome with Syria": the first preposition up says what the place is
            if h in anchors and t != tok and tokens[t].dep in ("dobj", "obj"):
                prep_bonus = 1.0  # "stormed the village of Mainok", "captured 70 percent of Bosnia"
                break
            t = h
        if tokens[tok].dep in ("nsubj", "nsubjpass", "poss") and tree.head(tok) in anchors:
            continue  # the place is the doer ("Tokyo hopes"), not the scene
        score = dist - prep_bonus + _BREADTH.get(getattr(place, "resolution", ""), 0.0)
        if dist > 9 or (not prep_bonus and dist > 1):
            continue  # a place that only modifies a party ("North Korea's Foreign Ministry") is no scene
        if best is None or score < best[0]:
            best = (score, place)
    return best


def _recipient_from_place(event: Event) -> None:
    """ "Saddam Hussein arrived in Amman", "Serbia lifted a curfew in Montenegro": with no one
    named as the target, the country of a scene abroad is (PLOVER and CAMEO code the host)."""
    loc = event.event_loc
    if loc is None or any(p.country for p in event.recipient):
        return
    if len(event.actor) > 1 or not event.actor:
        return
    country = _alpha3(loc.country_code)
    if country is None or any(p.country == country for p in event.actor):
        return
    event.recipient.append(Participant(loc.text, loc.start, loc.end, loc.name, country))
    event.recipient_confidence = max(event.recipient_confidence, 0.4)


def _alpha3(alpha2: str | None) -> str | None:
    try:
        from dateline.resolve.gazetteer import country_alpha3
    except ImportError:  # the gazetteer is optional for the coder
        return None
    return country_alpha3(alpha2)


def _attribute(
    event: Event,
    text: str,
    tree: Tree,
    trig: _Trigger,
    token_range: tuple[int, int],
    lexicon: Lexicon,
    memory: dict[str, Attribution],
) -> None:
    att = find_attribution(tree, text, trig.carrier if trig.carrier is not None else trig.head, token_range, lexicon)
    if att is None:
        return
    # "the sources" later in the article are the sources named earlier ("cited by The Mainichi")
    words = f"{att.source or ''} {att.via or ''}".lower()
    if "source" in words:
        if att.via and att.source and "source" in att.via.lower():
            memory["sources"] = att
        elif "sources" in memory:
            earlier = memory["sources"]
            att = Attribution(earlier.source, earlier.via, att.start, att.end)
    event.attribution_source = att.source
    event.attribution_via = att.via
    if att.start is not None and att.end is not None:
        event.attribution_span = (att.start, att.end)


def _finish(event: Event, trig: _Trigger, lexicon: Lexicon | None = None) -> None:
    if (
        event.event == "RETREAT"
        and "negated" in event.aux
        and "future" in event.aux
        and getattr(event, "_volitional", False)
    ):
        event.event, event.mode = "REJECT", "yield"  # "will not release the prisoners": a refusal made now
        event.aux.remove("negated")
        event.aux.remove("future")
    if event.event in ("AGREE", "CONCEDE") and "negated" in event.aux:
        event.event = "REJECT"  # "will not accept refugees", "would not meet the demands"
        event.mode = None
        event.aux.remove("negated")
        if "future" in event.aux and getattr(event, "_volitional", False):
            event.aux.remove("future")  # "will not accept" is a refusal made now
    volitional = getattr(event, "_volitional", False) and "future" in event.aux
    event.cameo = cameo_for(event.event, event.mode, intent=volitional)
    appeals = lexicon.cues("appeal") if lexicon is not None else {}
    if event.event == "REQUEST" and event.cameo.startswith("10") and " ".join(trig.hit.entry.phrase) in appeals:
        event.cameo = "02" + event.cameo[2:]  # "urged", "called on": an appeal (CAMEO 02), not a demand (10)
    if event.event == "MOBILIZE" and "peacekeeping" in event.context:
        event.cameo = "074"  # a peacekeeping deployment: CAMEO's "provide peacekeeping", not a show of force
    if getattr(event, "_considered", False):
        event.cameo = "014"  # "is considering sending aid": CAMEO's "consider policy option"
    event.quad_code = quad_code(event.event)
    event.cc_score = cc_score(event.event, event.mode)
    parts = [event.event_confidence, 0.5 + 0.5 * event.actor_confidence]
    event.confidence = max(0.05, min(0.99, parts[0] * parts[1]))
