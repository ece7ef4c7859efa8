"""The trigger lexicon: words and phrases that name PLOVER events, and the cue words around them.

The lexicon is data (``dateline/data/plover_triggers.csv``, one row per word or phrase, its
header explains the columns); ``load_lexicon(path)`` reads a user's own file of the same
shape, and ``Lexicon.extend`` adds rows to the shipped one. A phrase is a sequence of lemmas
("call for", "hunger strike", "open fire"); each word matches a token's lemma or its lower-cased
text, and determiners between the words are skipped ("reach an agreement").

    >>> from dateline.annotate import annotate_text
    >>> ann = annotate_text("Rebels attacked the town.")
    >>> [(h.entry.event, h.text) for h in find_triggers(ann, 0)]
    [('ASSAULT', 'attacked')]
"""

from __future__ import annotations

import csv
import functools
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

TRIGGER_KINDS = ("event", "governor")
_POS = {
    "V": ("VERB",),
    "N": ("NOUN", "PROPN"),
    "A": ("ADJ", "VERB"),
    "M": ("AUX", "VERB"),
    "X": ("ADV", "PART", "SCONJ", "DET", "ADJ", "ADP", "NOUN", "INTJ", "AUX"),
    "*": (),
}


@dataclass(frozen=True)
class LexiconEntry:
    kind: str
    phrase: tuple[str, ...]
    pos: str
    event: str | None = None
    mode: str | None = None
    context: str | None = None
    weight: float = 0.5

    def fits(self, pos: str) -> bool:
        allowed = _POS.get(self.pos, ())
        return not allowed or pos in allowed


@dataclass
class Lexicon:
    """Entries indexed by their first word, longest phrases first."""

    entries: list[LexiconEntry] = field(default_factory=list)
    by_first: dict[str, list[LexiconEntry]] = field(default_factory=lambda: defaultdict(list))
    _cues: dict[str, dict[str, LexiconEntry]] = field(default_factory=dict, repr=False)

    def extend(self, entries: Iterable[LexiconEntry]) -> None:
        self._cues.clear()
        for entry in entries:
            self.entries.append(entry)
            self.by_first[entry.phrase[0]].append(entry)
        for bucket in self.by_first.values():
            bucket.sort(key=lambda e: (-len(e.phrase), -e.weight))

    def cues(self, kind: str) -> dict[str, LexiconEntry]:
        """Entries of one kind (``future``, ``speech``, ...) by their words."""
        if kind not in self._cues:
            self._cues[kind] = {" ".join(e.phrase): e for e in self.entries if e.kind == kind}
        return self._cues[kind]

    def contexts(self) -> list[LexiconEntry]:
        return [e for e in self.entries if e.kind == "context"]


def parse_lexicon(text: str) -> list[LexiconEntry]:
    """Rows of a lexicon CSV (comment lines start with ``#``)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    entries = []
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        phrase = tuple(row["phrase"].strip().lower().split())
        if not phrase:
            continue
        weight = (row.get("weight") or "").strip()
        entries.append(
            LexiconEntry(
                kind=row["kind"].strip(),
                phrase=phrase,
                pos=(row.get("pos") or "*").strip() or "*",
                event=(row.get("event") or "").strip() or None,
                mode=(row.get("mode") or "").strip() or None,
                context=(row.get("context") or "").strip() or None,
                weight=float(weight) if weight else 0.5,
            )
        )
    return entries


@functools.cache
def default_lexicon() -> Lexicon:
    text = resources.files("dateline.data").joinpath("plover_triggers.csv").read_text(encoding="utf-8")
    lexicon = Lexicon()
    lexicon.extend(parse_lexicon(text))
    return lexicon


def load_lexicon(path: str | Path, *, extend_default: bool = True) -> Lexicon:
    """A lexicon from a user's CSV; by default added to the shipped one."""
    lexicon = Lexicon()
    if extend_default:
        lexicon.extend(default_lexicon().entries)
    lexicon.extend(parse_lexicon(Path(path).read_text(encoding="utf-8")))
    return lexicon


@dataclass
class TriggerHit:
    """A lexicon phrase found in a sentence; ``head`` is the token the event hangs on."""

    entry: LexiconEntry
    first: int  # token index
    last: int  # exclusive
    head: int
    start: int  # character offsets of the phrase
    end: int
    text: str
    exact: bool  # the head word matched by surface form, not only by lemma


def _words(tok: Any) -> tuple[str, str]:
    return tok.lemma.lower(), tok.text.lower()


def _match(tokens: Sequence[Any], i: int, stop: int, phrase: tuple[str, ...]) -> tuple[int, bool] | None:
    """End index (exclusive) of ``phrase`` starting at token ``i``, and whether it matched by form."""
    j = i
    exact = True
    for k, word in enumerate(phrase):
        while k and j < stop and (tokens[j].pos == "DET" or tokens[j].tag == "PRP$") and word not in _words(tokens[j]):
            j += 1
        if j >= stop:
            return None
        lemma, text = _words(tokens[j])
        if word == text:
            pass
        elif word == lemma:
            exact = exact and k > 0
        else:
            return None
        j += 1
    return j, exact


def _head_of(tokens: Sequence[Any], first: int, last: int, entry: LexiconEntry) -> int:
    if entry.pos == "V" or entry.pos == "A" or entry.pos == "M":
        for i in range(first, last):
            if tokens[i].pos in ("VERB", "ADJ", "AUX"):
                return i
        return first
    # a noun phrase: the token whose head lies outside the phrase
    for i in range(last - 1, first - 1, -1):
        if not first <= tokens[i].head < last or tokens[i].head == i:
            return i
    return last - 1


def find_triggers(
    annotation: Any, sentence_index: int, lexicon: Lexicon | None = None, *, kinds: Sequence[str] = TRIGGER_KINDS
) -> list[TriggerHit]:
    """Trigger phrases in one sentence, longest first, no two sharing a token."""
    lexicon = lexicon or default_lexicon()
    sent = annotation.sentences[sentence_index]
    tokens = annotation.tokens
    candidates: list[TriggerHit] = []
    for i in range(sent.first_token, sent.last_token):
        tok = tokens[i]
        seen: set[tuple[str, ...]] = set()
        for word in dict.fromkeys(_words(tok)):
            for entry in lexicon.by_first.get(word, ()):
                if entry.kind not in kinds or (entry.phrase in seen and len(entry.phrase) == 1):
                    continue
                found = _match(tokens, i, sent.last_token, entry.phrase)
                if found is None:
                    continue
                end, exact = found
                head = _head_of(tokens, i, end, entry)
                if not entry.fits(tokens[head].pos):
                    continue
                seen.add(entry.phrase)
                candidates.append(
                    TriggerHit(
                        entry,
                        i,
                        end,
                        head,
                        tokens[i].start,
                        tokens[end - 1].end,
                        annotation_text(tokens, i, end),
                        exact,
                    )
                )
    # longest phrase first, then the form match, then the weight
    candidates.sort(key=lambda h: (-(h.last - h.first), not h.exact, -h.entry.weight, h.first))
    taken: set[int] = set()
    chosen: list[TriggerHit] = []
    for hit in candidates:
        span = set(range(hit.first, hit.last))
        if span & taken:
            continue
        taken |= span
        chosen.append(hit)
    chosen.sort(key=lambda h: h.first)
    return chosen


def annotation_text(tokens: Sequence[Any], first: int, last: int) -> str:
    parts = []
    for i in range(first, last):
        if i > first and tokens[i].start > tokens[i - 1].end:
            parts.append(" ")
        parts.append(tokens[i].text)
    return "".join(parts)
