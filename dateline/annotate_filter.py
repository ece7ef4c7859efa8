"""Which sentences can hold an event: a cheap check before the dependency parse.

The coder (``dateline.code``) finds events only at trigger words of its lexicon (kinds
``event`` and ``governor``, matched by lemma or lower-cased form, the first word of a phrase
first) and at speech verbs ("X said Y must ..."). A sentence with none of those words yields
no event, so ``annotate`` with ``parse="events"`` runs the parser only on sentences this
module lets through. It reads the lexicon, never spaCy objects, so it is tested without a model.

    >>> words = candidate_words()
    >>> is_candidate([("rebels", "rebel", "NOUN"), ("attacked", "attack", "VERB")], words)
    True
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

# The coder treats these as speech verbs besides the lexicon's ``speech`` cues
# (``dateline.code.coder._speech_requests``); keep the two lists in step.
EXTRA_SPEECH = frozenset({"issue", "announce", "declare", "conclude", "reiterate"})
EVENT_KINDS = ("event", "governor")
ANY_POS: frozenset[str] = frozenset()  # no constraint

# Before the parse, the attribute ruler has not seen dependency labels, so some parts of
# speech are still provisional: an auxiliary is VERB, a pronominal determiner is DET, a
# subordinating "that" is ADP. A provisional tag stands for any tag the parse could give it.
_PROVISIONAL = {
    "VERB": ("VERB", "AUX"),
    "DET": ("DET", "PRON"),
    "ADP": ("ADP", "SCONJ"),
    "CCONJ": ("CCONJ", "ADV"),
}

CandidateWords = Mapping[str, frozenset[str]]


def candidate_words(lexicon: Any = None) -> CandidateWords:
    """Each word that can start an event trigger, with the parts of speech it may carry
    (an empty set: any). ``lexicon`` is a ``dateline.code.triggers.Lexicon`` or a CSV path."""
    if lexicon is None:
        return _default_words()
    if isinstance(lexicon, (str, Path)):
        return _words_of_file(str(lexicon))
    return _words_of(lexicon.entries)


@functools.lru_cache(maxsize=8)
def _words_of_file(path: str) -> CandidateWords:
    from dateline.code.triggers import load_lexicon

    return _words_of(load_lexicon(path).entries)


@functools.cache
def _default_words() -> CandidateWords:
    from dateline.code.triggers import default_lexicon

    return _words_of(default_lexicon().entries)


def _words_of(entries: Iterable[Any]) -> CandidateWords:
    from dateline.code.triggers import _POS

    allowed: dict[str, set[str] | None] = {}
    for entry in entries:
        if entry.kind == "speech":
            word, tags = entry.phrase[0], None
        elif entry.kind in EVENT_KINDS:
            word = entry.phrase[0]
            # a phrase's event may hang on a later word: only a single word is held to its tag
            tags = set(_POS.get(entry.pos, ())) if len(entry.phrase) == 1 else None
            if not tags:
                tags = None
        else:
            continue
        if word in allowed and allowed[word] is None:
            continue
        allowed[word] = None if tags is None else (allowed.get(word) or set()) | tags
    for word in EXTRA_SPEECH:
        allowed[word] = None
    return {word: ANY_POS if tags is None else frozenset(tags) for word, tags in allowed.items()}


def fits(tags: frozenset[str], pos: str) -> bool:
    """Whether a word allowed with ``tags`` (empty: any) may be a trigger with this provisional tag."""
    return not tags or any(p in tags for p in _PROVISIONAL.get(pos, (pos,)))


def is_candidate(tokens: Iterable[tuple[str, str, str]], words: CandidateWords) -> bool:
    """True when one of the (lower-cased text, lemma, part of speech) tokens may be a trigger."""
    for lower, lemma, pos in tokens:
        for word in (lemma.lower(), lower):
            tags = words.get(word)
            if tags is not None and fits(tags, pos):
                return True
    return False
