"""Auxiliary modes (future, hypothetical, historical, negated) and attribution (who says so).

The cue words are rows of the trigger lexicon (kinds ``future``, ``hypothetical``,
``negated``, ``historical``, ``speech``, ``hedge``). A cue counts when it sits on the trigger
or on the chain of verbs that embeds it: "Japan **plans** to send an envoy to negotiate",
"authorities **are weighing** talks", "they **may** hold talks", "the **upcoming** summit",
"if Kim accepts". The time-based modes (an event dated after the publication date is future;
one ending more than a year before it is historical) are decided by the coder, which knows the
linked time expression.

Attribution: "according to X" and "X said ..." give the source; "X cited by Y" and "X told Y"
make Y the source and X the intermediary (``via``); "reportedly" gives no source and the hedge
word as ``via``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dateline.code.roles import Tree
from dateline.code.triggers import Lexicon

# Relations through which an embedding verb's modality reaches the trigger.
_CLIMB = (
    "xcomp",
    "ccomp",
    "advcl",
    "pcomp",
    "pobj",
    "prep",
    "dobj",
    "acl",
    "nsubj",
    "nsubjpass",
    "attr",
    "oprd",
    "acomp",
)
_CLIMB_PREPS = ("of", "for", "to", "on", "about", "into", "during", "before", "after", "until", "till", "ahead", "over")
# "decided to lift sanctions" is not among them: CAMEO codes a decision as the act decided on
_VOLITION_VERBS = {"plan", "intend", "prepare", "aim", "vow", "pledge", "promise"}
_HAPPEN_VERBS = {"take", "occur", "happen", "begin", "start", "hold", "convene", "resume"}


def forms(tok: Any) -> set[str]:
    """The words a cue may match: lemma, surface form and a crude stem (the small spaCy model
    lemmatises "hopes" as "hop")."""
    text = tok.text.lower()
    out = {tok.lemma.lower(), text}
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if text.endswith(suffix) and len(text) > len(suffix) + 2:
            out.add(text[: -len(suffix)] + repl)
    return out


@dataclass
class Modality:
    aux: list[str]
    cues: list[tuple[str, int]]  # (mode, token index) for evidence
    volitional: bool = False  # a modal of intent on the trigger itself ("will", "would")


def _add(found: dict[str, int], mode: str, token: int) -> None:
    found.setdefault(mode, token)


def find_aux(
    tree: Tree, trigger: int, lexicon: Lexicon, *, carrier: int | None = None, speech: set[str] | None = None
) -> Modality:
    """Auxiliary-mode cues that govern the trigger token (and the light verb carrying it)."""
    tokens = tree.tokens
    modal = {
        w: e.kind
        for kind in ("future", "hypothetical", "negated")
        for w, e in lexicon.cues(kind).items()
        if e.pos == "M"
    }
    verbs = {
        w: e.kind
        for kind in ("future", "hypothetical", "negated")
        for w, e in lexicon.cues(kind).items()
        if e.pos == "V"
    }
    adjs = {w: e.kind for kind in ("future", "hypothetical") for w, e in lexicon.cues(kind).items() if e.pos == "A"}
    others = {
        w: e.kind
        for kind in ("future", "hypothetical", "negated")
        for w, e in lexicon.cues(kind).items()
        if e.pos == "X"
    }
    speech = speech if speech is not None else set(lexicon.cues("speech"))
    found: dict[str, int] = {}
    volitional = False

    def words(i: int) -> set[str]:
        return forms(tokens[i])

    def look_at(i: int, *, own: bool) -> None:
        nonlocal volitional
        for c in tree.children[i]:
            tok = tokens[c]
            w = words(c)
            if tok.dep in ("aux", "auxpass") and tok.tag == "MD":
                for word in w:
                    if word in modal:
                        _add(found, modal[word], c)
                        if modal[word] == "future" and word in ("will", "shall", "'ll", "would", "wo"):
                            volitional = True
                        break
            elif tok.dep == "neg" or (tok.dep == "det" and tok.text.lower() == "no"):
                _add(found, "negated", c)
            elif tok.dep == "mark" and w & {"if", "unless", "whether"}:
                _add(found, "hypothetical", c)
            elif tok.dep in ("amod", "compound", "acl", "acomp", "advmod", "npadvmod"):
                for word in w:
                    if word in adjs:
                        _add(found, adjs[word], c)
                        break
                    if word in others and tok.dep in ("advmod", "npadvmod", "amod"):
                        _add(found, others[word], c)
                        break
                if (
                    tok.dep == "acl"
                    and tok.pos == "VERB"
                    and any(tokens[a].tag == "TO" for a in tree.kids(c, "aux"))
                    and (tree.kids(c, "auxpass") or tok.lemma.lower() in _HAPPEN_VERBS)
                ):
                    _add(found, "future", c)  # "talks to be held", "a summit to take place"
            elif tok.dep == "aux" and tok.tag == "TO" and tokens[i].dep == "advcl" and own:
                _add(found, "future", c)  # purpose: "sent envoys to negotiate"

    look_at(trigger, own=True)
    start = trigger
    if carrier is not None:
        look_at(carrier, own=True)
        for word in words(carrier):
            if word in verbs:
                _add(found, verbs[word], carrier)
                break
        start = carrier
    current = start
    for _ in range(6):
        dep = tokens[current].dep
        head = tree.head(current)
        if head is None or dep not in _CLIMB:
            break
        if tokens[current].pos == "ADP" and tokens[current].lemma.lower() not in _CLIMB_PREPS:
            break  # a place or manner adjunct: "talks at the upcoming summit" takes no mode from "may hold"
        if words(head) & speech and dep in ("ccomp", "advcl"):
            break
        if dep == "advcl" and tree.kids(current, "mark"):
            break  # "if ...", "as ...", "after ...": the clause's own modes were read; the main clause's do not reach it
        # a verb embedding the trigger: "plans to", "weighing", "denied", "failed to"
        for word in words(head):
            if word in verbs:
                _add(found, verbs[word], head)
                volitional = volitional or word in _VOLITION_VERBS
                break
        for word in words(head):
            if word in adjs and tokens[head].pos in ("ADJ", "VERB"):
                _add(found, adjs[word], head)
                break
        if dep in ("ccomp", "advcl", "conj"):
            break  # another clause: only a cue verb governing it counts, not its modals
        look_at(head, own=False)
        current = head
    return Modality(sorted(found), sorted(((m, t) for m, t in found.items()), key=lambda x: x[1]), volitional)


@dataclass
class Attribution:
    source: str | None = None
    via: str | None = None
    start: int | None = None  # character span of the attribution phrase
    end: int | None = None


def _phrase_text(tree: Tree, text: str, i: int) -> tuple[str, int, int]:
    first, last = tree.phrase(i)
    start, end = tree.tokens[first].start, tree.tokens[last - 1].end
    return text[start:end], start, end


def _named(tree: Tree, text: str, i: int) -> tuple[str, int, int]:
    """The most specific name for a source phrase: its apposition or its proper-noun part."""
    for c in tree.kids(i, "appos"):
        return _phrase_text(tree, text, c)
    tokens = tree.tokens
    first, last = tree.phrase(i)
    props = [t for t in range(first, last) if tokens[t].pos == "PROPN"]
    if props and tokens[i].pos != "PROPN":
        # "Japanese newspaper The Mainichi" parsed with the name as compound
        lo = props[0]
        while lo > first and tokens[lo - 1].pos in ("DET",) and tokens[lo - 1].text[:1].isupper():
            lo -= 1
        return text[tokens[lo].start : tokens[props[-1]].end], tokens[lo].start, tokens[props[-1]].end
    return _phrase_text(tree, text, i)


def _source_of(tree: Tree, text: str, i: int) -> Attribution:
    """Attribution for a source phrase headed by ``i``, looking inside for "cited by Y"."""
    via_text, start, end = _phrase_text(tree, text, i)
    for c in tree.kids(i, "acl"):
        if tree.tokens[c].lemma.lower() in ("cite", "quote"):
            for ag in tree.kids(c, "agent"):
                for p in tree.kids(ag, "pobj"):
                    src, _, s_end = _named(tree, text, p)
                    return Attribution(src, via_text, start, max(end, s_end, tree.tokens[max(tree.subtree(c))].end))
    return Attribution(via_text, None, start, end)


def find_attribution(
    tree: Tree, text: str, trigger: int, sentence: tuple[int, int], lexicon: Lexicon
) -> Attribution | None:
    """Who the sentence says reports the event: "according to X", "X said", "reportedly"."""
    tokens = tree.tokens
    first, last = sentence
    for i in range(first, last):
        if tokens[i].text.lower() == "according":
            for p in tree.kids(i, "prep"):
                for obj in tree.kids(p, "pobj"):
                    return _source_of(tree, text, obj)
    speech = set(lexicon.cues("speech"))
    current = trigger
    for _ in range(8):
        head = tree.head(current)
        if head is None:
            break
        if forms(tokens[head]) & speech and tokens[current].dep in ("ccomp", "advcl", "parataxis", "xcomp", "dobj"):
            subj = tree.kids(head, "nsubj", "nsubjpass")
            if subj and tokens[subj[0]].pos != "PRON":
                att = _source_of(tree, text, subj[0])
                for d in tree.kids(head, "dative", "dobj"):
                    if tokens[d].pos == "PROPN" or tokens[d].ent_type in ("ORG", "PERSON"):
                        outlet, _, _ = _phrase_text(tree, text, d)
                        return Attribution(outlet, att.source, att.start, att.end)
                return att
        current = head
    hedges = lexicon.cues("hedge")
    chain = [trigger, *tree.ancestors(trigger)]
    for t in chain:
        for c in tree.children[t]:
            if tokens[c].text.lower() in hedges:
                return Attribution(None, tokens[c].text, tokens[c].start, tokens[c].end)
    return None


def time_modes(start: str | None, end: str | None, published: str | None) -> list[str]:
    """Modes implied by the event's dates against the publication date (ISO strings)."""
    if not published or not start:
        return []
    modes = []
    pub = published[:10]
    if start[:10] > pub and len(start) >= 4:
        modes.append("future")
    last = (end or start)[:10]
    try:
        year = int(pub[:4])
    except ValueError:
        return modes
    if last < f"{year - 1}{pub[4:10]}":
        modes.append("historical")
    return modes
