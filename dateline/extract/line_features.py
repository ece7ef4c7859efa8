"""What the line labeller sees of each line: vocabulary, shapes, features and the model.

Everything here works a page at a time, in two implementations that give the same numbers:

- the compiled pass (``dateline/extract/_linescan.c``, built by pip where a C compiler is
  at hand): one walk over the page's characters counts the character classes of each line,
  cuts the words and looks each up in the vocabulary's hash table, and writes the line
  features that need no pattern; stage two (the context of each line and the trees) is
  one more call. ``make test`` holds it to the numpy path (tests/test_linescan.py).
- the numpy path, the reference: character classes counted over the whole page in one
  numpy pass (a lookup table gives each character one counting slot, then one
  ``bincount`` of line and slot), every word looked up once in one dictionary.

Either way the shape checks (dates, bylines, tag lists, chrome phrases) run in Python on
the few lines a cheap test picks. Features are kept one row a feature (``page_features``
returns the transpose), so the rules read contiguous columns and the trees whole rows.
``DATELINE_PURE_PYTHON=1`` turns the compiled pass off.

Where the time goes (``bench/textdump.py``, a page of ~160 lines, ~12,000 characters):
compiled, ~0.17 ms the character pass, ~0.28 ms the shape checks in Python, ~0.04 ms
stage two; the numpy path spends ~1.2 ms on the line features and ~0.15 ms on stage two,
whose trees it takes as one weighted sum of distinct tests and pairs of tests
(:class:`_Terms`), the tests of page-wide features once a page.

The model (``dateline/data/line_model.json``, trained by
:mod:`dateline.extract.line_training`) has two stages (the trainer can stack more):

1. a logistic regression on the line's own features (:func:`page_features`), among them
   the learned weights of its words (:attr:`Model.word_weights`);
2. boosted depth-2 trees on those features plus the neighbours' stage-1 scores and the
   statistics of the line's block (:func:`context_features`). A further tree stage would
   take the same context of the stage-2 scores; with the word weights in stage one it
   stopped paying for its time (held-out F1 equal, ~0.13 ms a page), so none is shipped.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from itertools import repeat
from types import ModuleType

import numpy as np

try:  # the compiled pass over a page's characters (built by pip from _linescan.c; optional)
    from dateline.extract import _linescan
except ImportError:  # pragma: no cover - where no C compiler was at hand
    _linescan = None

# --- vocabulary and model ------------------------------------------------------------------

_NON_WORD = re.compile(r"[\W_]+")


_MARKS = re.compile(r"[^\w\s]+")


def key_of(line: str) -> str:
    """A line reduced to lower-case words, for vocabulary look-ups."""
    return _NON_WORD.sub(" ", line.lower()).strip()


# an ASCII character that is neither a letter, a digit nor white space, as a space
_ASCII_MARKS_AS_SPACE = bytes(c if chr(c).isalnum() or chr(c).isspace() else 32 for c in range(256))


def _key_words(low: str) -> list[str]:
    """``key_of(low).split()`` for a lower-cased line, faster: only marks are replaced
    (on an ASCII line, by a byte table: ~5 times quicker than the pattern)."""
    if low.isascii():
        return low.encode("ascii").translate(_ASCII_MARKS_AS_SPACE).decode("ascii").split()
    if "_" in low:
        low = low.replace("_", " ")
    return _MARKS.sub(" ", low).split()


_NEVER = 1e30  # a threshold no feature exceeds: the node does not split


@dataclass(frozen=True, eq=False)
class Trees:
    """Boosted depth-2 trees, evaluated for all lines and all trees at once."""

    feature: np.ndarray  # (T, 3): root, left child, right child
    threshold: np.ndarray  # (T, 3): go right when x > threshold
    leaf: np.ndarray  # (T, 4): left-left, left-right, right-left, right-right
    base: float
    terms: _Terms = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "terms", _Terms.of(self))

    @classmethod
    def from_json(cls, raw: dict) -> Trees:
        return cls(
            np.array(raw["feature"], dtype=np.int64).reshape(-1, 3),
            np.array(raw["threshold"], dtype=float).reshape(-1, 3),
            np.array(raw["leaf"], dtype=float).reshape(-1, 4),
            float(raw["base"]),
        )

    def margin(self, x: np.ndarray) -> np.ndarray:
        """The summed tree outputs (log-odds) for each row of ``x``."""
        return self.terms.margin(x.T)

    @cached_property
    def page_terms(self) -> _PageTerms:
        """The terms for one page's rows of line features and context (see :func:`scores`)."""
        return self.terms.on_page(_PAGE_WIDE)

    @cached_property
    def forest(self) -> object | None:
        """These trees for the compiled stage (context and trees in C), or None where it is not built."""
        compiled = _compiled_module()
        if compiled is None:
            return None
        return compiled.make_forest(
            np.ascontiguousarray(self.feature, dtype=np.int64).tobytes(),
            np.ascontiguousarray(self.threshold, dtype=np.float64).tobytes(),
            np.ascontiguousarray(self.leaf, dtype=np.float64).tobytes(),
            self.base,
            N_STAGE1,
            CONTEXT_NAMES,
            (F["log_words"], F["ends_sentence"], F["list_item"]),
        )


@dataclass(frozen=True, eq=False)
class _Terms:
    """Trees as one weighted sum of distinct tests and products of two tests.

    A depth-2 tree is ``a + (b-a) L + (c-a) R + (a-b) R L + (d-c) R R2`` in its three tests
    (root R, left child L, right child R2). Summed over all trees, each distinct test (a
    feature against a threshold) and each distinct pair of tests gets one weight, so that
    the whole forest is one comparison, one product and one dot product per line; a node
    that does not split (threshold ``_NEVER``) drops out.
    """

    feature: np.ndarray  # (U,) the feature of each distinct test
    threshold: np.ndarray  # (U, 1)
    first: np.ndarray  # (P,) the two tests of each product
    second: np.ndarray
    weight: np.ndarray  # (U + P,)
    constant: float

    @classmethod
    def of(cls, trees: Trees) -> _Terms:
        tests: dict[tuple[int, float], int] = {}
        single: dict[int, float] = {}
        pairs: dict[tuple[int, int], float] = {}
        constant = trees.base

        def test(f: int, t: float) -> int | None:
            return None if t >= _NEVER else tests.setdefault((f, t), len(tests))

        def add(u: int | None, v: int | None, w: float) -> None:
            if u is None or v is None:
                return
            if u == v:
                single[u] = single.get(u, 0.0) + w
            else:
                key = (min(u, v), max(u, v))
                pairs[key] = pairs.get(key, 0.0) + w

        for (f0, f1, f2), (t0, t1, t2), (a, b, c, d) in zip(
            trees.feature.tolist(), trees.threshold.tolist(), trees.leaf.tolist(), strict=True
        ):
            root, left, right = test(f0, t0), test(f1, t1), test(f2, t2)
            constant += a
            add(left, left, b - a)
            add(root, root, c - a)
            add(root, left, a - b)
            add(root, right, d - c)
        order = sorted(tests, key=tests.__getitem__)
        return cls(
            np.array([f for f, _ in order], dtype=np.intp),
            np.array([[t] for _, t in order], dtype=float).reshape(-1, 1),
            np.array([u for u, _ in pairs], dtype=np.intp),
            np.array([v for _, v in pairs], dtype=np.intp),
            np.array([single.get(u, 0.0) for u in range(len(order))] + list(pairs.values()), dtype=float),
            float(constant),
        )

    def margin(self, xt: np.ndarray) -> np.ndarray:
        """The forest's log-odds for each column of ``xt`` (one row a feature)."""
        n, u = xt.shape[1], len(self.feature)
        if not u:
            return np.full(n, self.constant)
        tests = np.empty((u + len(self.first), n), dtype=np.uint8)
        np.greater(xt.take(self.feature, axis=0), self.threshold, out=tests[:u].view(bool))
        np.multiply(tests.take(self.first, axis=0), tests.take(self.second, axis=0), out=tests[u:])
        return self.weight @ tests.astype(float) + self.constant

    def on_page(self, constant_features: frozenset[int]) -> _PageTerms:
        """These terms for the rows of one page, where ``constant_features`` are the same on every line."""
        u = len(self.feature)
        fixed = np.isin(self.feature, sorted(constant_features))
        var, const = (~fixed).nonzero()[0], fixed.nonzero()[0]
        at = np.full(u, -1)
        at[var], at[const] = np.arange(len(var)), np.arange(len(const))
        pair_weight = self.weight[u:]
        kinds = fixed[self.first].astype(int) + fixed[self.second]
        both_var, one, both = kinds == 0, kinds == 1, kinds == 2
        # in a pair of one varying and one fixed test, the fixed one only scales the weight
        mixed_var = np.where(fixed[self.first], self.second, self.first)[one]
        mixed_const = np.where(fixed[self.first], self.first, self.second)[one]
        return _PageTerms(
            self.feature[var],
            self.threshold[var],
            at[self.first[both_var]],
            at[self.second[both_var]],
            np.concatenate([self.weight[var], pair_weight[both_var]]),
            self.feature[const],
            self.threshold[const, 0],
            self.weight[const],
            at[mixed_var],
            at[mixed_const],
            pair_weight[one],
            at[self.first[both]],
            at[self.second[both]],
            pair_weight[both],
            self.constant,
        )


_BLOCK = 256  # lines a block, when a long page's tests are taken block by block


@dataclass(frozen=True, eq=False)
class _PageTerms:
    """:class:`_Terms` on one page: the tests of page-wide features are taken once, not per line."""

    feature: np.ndarray  # the varying tests, and the products of two of them, as in _Terms
    threshold: np.ndarray
    first: np.ndarray
    second: np.ndarray
    weight: np.ndarray
    fixed_feature: np.ndarray  # the tests of page-wide features
    fixed_threshold: np.ndarray
    fixed_weight: np.ndarray
    mixed: np.ndarray  # products of a varying test (index) and a fixed one
    mixed_fixed: np.ndarray
    mixed_weight: np.ndarray
    both_first: np.ndarray  # products of two fixed tests
    both_second: np.ndarray
    both_weight: np.ndarray
    constant: float

    def margin(self, xt: np.ndarray) -> np.ndarray:
        """The forest's log-odds for each column of ``xt``, the rows of one page."""
        n, u = xt.shape[1], len(self.feature)
        fixed = xt[self.fixed_feature, 0] > self.fixed_threshold
        constant = self.constant + self.fixed_weight @ fixed
        constant += self.both_weight @ (fixed[self.both_first] & fixed[self.both_second])
        weight = self.weight.copy()
        weight[:u] += np.bincount(self.mixed, weights=self.mixed_weight * fixed[self.mixed_fixed], minlength=u)
        if n <= _BLOCK:
            return self._block(xt, weight) + constant
        out = np.empty(n)
        for start in range(0, n, _BLOCK):  # a long page in blocks that stay in the cache
            out[start : start + _BLOCK] = self._block(xt[:, start : start + _BLOCK], weight)
        return out + constant

    def _block(self, xt: np.ndarray, weight: np.ndarray) -> np.ndarray:
        u = len(self.feature)
        tests = np.empty((u + len(self.first), xt.shape[1]), dtype=np.uint8)
        np.greater(xt.take(self.feature, axis=0), self.threshold, out=tests[:u].view(bool))
        np.multiply(tests.take(self.first, axis=0), tests.take(self.second, axis=0), out=tests[u:])
        return weight @ tests.astype(float)


_SMALL = ("and", "und", "et", "y", "e")  # the small words a section name may hold
# the bits of :attr:`Model.word_codes`: a stopword; a chrome word with at most one mark of
# punctuation ("share,", "(print"), which alone makes its line hold a chrome phrase; the
# first word of a chrome phrase of several words, whose line needs a closer look
_STOP_WORD, _CHROME_WORD, _CHROME_FIRST = 1, 2, 4


def _word_code_tables(
    flags: dict[str, int], weights: dict[str, float]
) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """One small code a word for its flags and its learned weight together, and the two tables
    that turn codes back into flags and weights.

    A code is one byte (0: no flag, no weight), so that one dictionary look-up a word and one
    ``bytes`` of the page's codes give both; weights are rounded to steps of 1/8, coarser if
    the distinct (flags, weight) pairs would not fit in 255 codes.
    """
    words, step = flags.keys() | weights.keys(), 0.125
    while True:
        pair_of = {w: (flags.get(w, 0), round(weights.get(w, 0.0) / step)) for w in words}
        pairs = set(pair_of.values()) - {(0, 0)}  # (0, 0) is what a missing word gets: code 0
        if len(pairs) <= 255:
            break
        step *= 2
    number = {pair: k for k, pair in enumerate(sorted(pairs), start=1)}
    flag_of, weight_of = np.zeros(256, dtype=np.uint8), np.zeros(256)
    for (flag, level), k in number.items():
        flag_of[k], weight_of[k] = flag, level * step
    return {w: number[pair] for w, pair in pair_of.items() if pair in number}, flag_of, weight_of


@dataclass(frozen=True, eq=False)
class Model:
    stage1: np.ndarray
    tree_stages: tuple[Trees, ...]  # stage two (and any later stage) in order
    threshold: float
    chrome_lines: frozenset[str]
    chrome_words: frozenset[str]
    chrome_multi: tuple[str, ...]
    chrome_tokens: frozenset[str]  # raw (lower-case, punctuation kept) tokens worth a closer look
    chrome_symbols: tuple[str, ...]
    section_words: frozenset[str]
    stopwords: frozenset[str]
    related_headers: frozenset[str]
    # learned: each lower-case word (as ``str.split`` gives it, marks kept) with the log-odds
    # of body against chrome among the training lines that hold it (see line_training)
    word_weights: dict[str, float] = field(default_factory=dict)
    # derived, for one dictionary look-up a word: its code, and the flags (_STOP_WORD |
    # _CHROME_WORD | _CHROME_FIRST bits) and the weight of each code
    word_codes: dict[str, int] = field(init=False, repr=False)
    code_flags: np.ndarray = field(init=False, repr=False)
    code_weights: np.ndarray = field(init=False, repr=False)
    # the words a chrome line, a related header or a section name can open with
    short_firsts: frozenset[str] = field(init=False, repr=False)
    multi_by_first: dict[str, tuple[str, ...]] = field(init=False, repr=False)
    # the compiled pass's copy of the tables above (None: the numpy path runs)
    scanner: object | None = field(init=False, repr=False)
    # short lines recur across pages (menus, buttons): their vocabulary flags under this
    # model's vocabularies, kept (see _short_flags)
    short_cache: dict[str, tuple[float, float, float]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        codes = dict.fromkeys(self.stopwords, _STOP_WORD)
        for words, bit in (
            (self.chrome_words, _CHROME_WORD),
            ({phrase.split()[0] for phrase in self.chrome_multi}, _CHROME_FIRST),
        ):
            for token in _variants(words):
                codes[token] = codes.get(token, 0) | bit
        firsts = {k.split()[0] for k in self.chrome_lines | self.related_headers if k.split()}
        by_first: dict[str, tuple[str, ...]] = {}
        for phrase in self.chrome_multi:
            first = phrase.split()[0]
            by_first[first] = (*by_first.get(first, ()), phrase)
        word_codes, code_flags, code_weights = _word_code_tables(codes, self.word_weights)
        object.__setattr__(self, "word_codes", word_codes)
        object.__setattr__(self, "code_flags", code_flags)
        object.__setattr__(self, "code_weights", code_weights)
        object.__setattr__(self, "short_firsts", frozenset(firsts | self.section_words | set(_SMALL)))
        object.__setattr__(self, "multi_by_first", by_first)
        object.__setattr__(self, "scanner", _compiled_scanner(self))
        object.__setattr__(self, "short_cache", {})

    def has_chrome_phrase(self, key: str, text: str) -> bool:
        """True when the line (as its :func:`key_of`) holds a chrome phrase or symbol."""
        return self.holds_chrome_phrase(key.split(), text)

    def holds_chrome_phrase(self, words: list[str], text: str) -> bool:
        """:meth:`has_chrome_phrase` on the line's words (its key, split)."""
        if not self.chrome_words.isdisjoint(words):
            return True
        by_first = self.multi_by_first
        if not by_first.keys().isdisjoint(words):
            padded = " " + " ".join(words) + " "
            if any(p in padded for w in by_first.keys() & words for p in by_first[w]):
                return True
        return any(c in text for c in self.chrome_symbols)


def _variants(words: Iterable[str]) -> frozenset[str]:
    out = set()
    for w in words:
        out.update((w, w + ".", w + ",", w + ":", w + ";", w + "!", w + ")", "(" + w, "|" + w, w + "|", w + "»"))
    return frozenset(out)


@cache
def model() -> Model:
    raw = json.loads(resources.files("dateline").joinpath("data/line_model.json").read_text(encoding="utf-8"))
    vocab = raw["vocabulary"]
    phrases = [k for k in (key_of(p) for p in vocab["chrome_phrases"]) if k]
    single = frozenset(k for k in phrases if " " not in k)
    multi = tuple(f" {k} " for k in phrases if " " in k)
    return Model(
        stage1=np.array(raw["stage1"]["weights"], dtype=float),
        tree_stages=tuple(Trees.from_json(stage["trees"]) for stage in raw.get("tree_stages", [])),
        threshold=float(raw.get("threshold", 0.5)),
        chrome_lines=frozenset(key_of(x) for x in vocab["chrome_lines"]),
        chrome_words=single,
        chrome_multi=multi,
        chrome_tokens=_variants(single | {m.split()[0] for m in multi}),
        chrome_symbols=tuple(vocab["chrome_symbols"]),
        section_words=frozenset(w.lower() for w in vocab["section_words"]),
        stopwords=frozenset(w.lower() for w in vocab["stopwords"]),
        related_headers=frozenset(key_of(x) for x in vocab["related_headers"]),
        word_weights={w: float(v) for w, v in raw.get("word_weights", {}).get("weights", {}).items()},
    )


# --- shapes ----------------------------------------------------------------------------------

_MONTHS = (
    "jan(?:uary|vier|uar|eiro)?|feb(?:ruary|ruar|rero)?|f[ée]v(?:rier)?|mar(?:ch|s|zo|ço)?|m[äa]rz|"
    "apr(?:il|ile)?|avr(?:il)?|abr(?:il)?|may|mai|mayo|maggio|jun(?:e|i|io)?|juin|jul(?:y|i|io)?|juil(?:let)?|"
    "aug(?:ust)?|ao[uû]t|ago(?:sto)?|sep(?:t|tember|tembre|tiembre)?|set(?:tembre)?|oct(?:ober|obre|ubre)?|"
    "okt(?:ober)?|ott(?:obre)?|nov(?:ember|embre)?|dec(?:ember)?|d[ée]c(?:embre)?|dez(?:ember)?|dic(?:iembre)?"
)
# every date starts with a digit or a month's first letter: the look-ahead lets the search pass
# over the other characters with one test each instead of trying all seven shapes there
DATE = re.compile(
    r"(?=[\djfmasond])(?:"
    rf"(?<!\d)\d{{1,2}}(?:st|nd|rd|th)?\.?\s*(?:{_MONTHS})\.?,?\s+\d{{4}}"  # 01 March 2021, 19. Oktober 2019
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # March 1, 2021
    r"|(?<!\d)\d{4}-\d{2}-\d{2}"  # 2021-03-01
    r"|(?<!\d)\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})(?!\d)"  # 01.03.2021, 3/1/21
    r"|(?<!\d)\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|uhr|h|gmt|utc|bst|[a-z]{2,4}t)(?![\d:])"  # 4.41 BST
    r"|(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?![\d:])"  # 16:48
    r"|\b\d+\s+(?:minutes?|hours?|days?|weeks?)\s+ago\b)",
    re.I,
)
_TIMESTAMP_WORDS = re.compile(
    r"^(?:published|posted|updated|last updated|modified|date|dated|on|am|le|el|il|publié|veröffentlicht|"
    r"aktualisiert|stand|mis à jour|gmt|utc|bst|uhr|at|by|von|par|"
    r"mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\W)+$",
    re.I,
)
READ_MORE = re.compile(
    r"^(?:read more|read also|also read|see also|related|related story|related article|more|more on this|"
    r"more from|watch|listen|lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant|à lire aussi|"
    r"lire aussi|voir aussi|leggi anche|lee también|ver también)\s*[:»›\-–—|>]+\s*(?=\w)",
    re.I,
)
_READ_MORE_FIRSTS = frozenset(
    [
        "read",
        "also",
        "see",
        "related",
        "more",
        "watch",
        "listen",
        "lesen",
        "mehr",
        "auch",
        "à",
        "lire",
        "voir",
        "leggi",
        "lee",
        "ver",
    ]
)
TAGS_PREFIX = re.compile(
    r"^(?:tags?|topics?|keywords?|filed under|themen|schlagworte|schlagwörter|stichworte|mots[- ]clés|"
    r"étiquettes|etiquetas|temas|argomenti)\s*[:»›\-–—|]\s*",
    re.I,
)
TAG_SPLIT = re.compile(r"\s*[,;|•·]\s*|\s+#(?=\w)|^#")
BREAKS = re.compile(r"[.!?…][\"”’»)]?\s+(?=[A-ZÀ-Þ\"“‘«(])")
SENTENCE_END = frozenset('.!?…:;"”’»)')
_ENDS_PROSE = frozenset('.!?…"”’»)')
_BULLET = frozenset("•·-–—*►▶»›■□◦‣+>")
NAV_MARKS = re.compile(r"\s[|»›/>]\s|\s·\s")
URLISH = re.compile(r"https?://|www\.|\S+@\S+\.\w|\.(?:com|org|net|de|html?)\b", re.I)
BYLINE = re.compile(r"^(?:by|von|par|por|di|door|af)\s+[A-ZÀ-Þ]", re.I)
_BYLINE_NAME = re.compile(r"(?=[bvp])\b(?:by|von|par|por)\s+(?:[A-ZÀ-Þ][\w'’.-]*\s*){1,3}", re.I)
_BYLINE_FIRSTS = frozenset(("by", "von", "par", "por", "di", "door", "af"))
# lines that open with what only page furniture opens with
CHROME_PREFIX = re.compile(
    r"^(?:posted (?:in|by|on)|filed (?:in|under)|categor(?:y|ies)\s*:|photo\s*:|image\s*:|picture\s*:|"
    r"credit\s*:|source\s*:|caption\s*:|(?:photo|image) (?:credit|by)|reporting by|editing by|writing by|"
    r"additional reporting|compiled by|our standards|share (?:on|via|by|this)|follow (?:us|@)|"
    r"sign up|subscribe|click here|tap here|advertisement|sponsored|comments?\s*\(|\d+\s+comments?\b|"
    r"\d+\s+min(?:ute)?s?\s+read\b|font size|text size|print\b|email\b|copyright|©|page \d+ of \d+|"
    r"showing \d+|sort by|filter\s*:|next\b|previous\b|«|‹|load more|show more|view (?:all|more)|"
    r"more from|more in\b|most (?:read|viewed|popular)|related (?:articles|stories|posts|coverage|news)|"
    r"you (?:may|might) (?:also )?like|recommended|trending|top stories|latest news)",
    re.I,
)
# "MOSCOW (Reuters) -", "WASHINGTON, March 1 (AP) —": a news dateline opens the body
NEWS_DATELINE = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ .'-]{2,30}(?:,[^()\n]{0,30})?\s*(?:\([^)]{2,30}\))?\s*[-–—:]\s+\S")
# "1. Headline", "09:14 Headline", "3) ...": items of a numbered or timed list
LIST_ITEM = re.compile(
    r"^(?:\d{1,2}[.)]\s+(?!\S+,?\s+\d{4})\S|\d{1,2}[:.]\d{2}\s+[A-ZÀ-Þ][a-zà-ÿ'’]*:?\s+[\w'’]+:?\s+\w)"
)


# every date shape above holds a year, a d/d or d:dd group, or "N minutes ago"
_DATE_HINT = re.compile(r"\d(?:\d{3}|[:./]\d|\s+(?:min|hour|day|week))", re.I)


def has_timestamp_shape(line: str) -> bool:
    """True when ``line`` looks like a publication stamp: a date or time and little else.

    >>> has_timestamp_shape("16:48 GMT01 March 2021"), has_timestamp_shape("Updated March 1, 2021 at 4:30 pm")
    (True, True)
    >>> has_timestamp_shape("On March 1, 2021 the minister resigned after a long dispute with the board.")
    False
    """
    if len(line) > 90 or _DATE_HINT.search(line) is None:
        return False
    rest, dates = DATE.subn(" ", line)
    if not dates:
        return False
    rest = _BYLINE_NAME.sub(" ", rest)
    return len(_NON_WORD.sub(" ", rest).split()) <= 4 or bool(_TIMESTAMP_WORDS.match(rest))


def is_read_more(line: str) -> bool:
    """True for an in-text link line: "READ MORE: ...", "See also: ...", "Related: ..."."""
    return bool(READ_MORE.match(line)) and len(line) < 250


def is_tag_list(line: str) -> bool:
    """True for a line that is a list of topics rather than prose."""
    if TAGS_PREFIX.match(line):
        return len(line) < 600
    if line[-1:] in ".!?" or BREAKS.search(line):
        return False
    parts = [p for p in TAG_SPLIT.split(line) if p.strip()]
    if len(parts) < 4:
        return False
    lengths = [len(p.split()) for p in parts]
    if max(lengths) > 6 or sum(lengths) / len(parts) > 3.2:
        return False
    stop = model().stopwords
    # prose clauses between commas carry function words; topic names rarely do
    with_stop = sum(1 for p in parts if len(p.split()) > 1 and any(w.lower() in stop for w in p.split()[:-1]))
    return with_stop <= len(parts) // 4


# --- stage one: the line alone ---------------------------------------------------------------

# character classes, one bit each, looked up in a table over the code points below U+2600
# (Latin, Greek, Cyrillic, general punctuation, arrows, shapes); others have no class
_UP, _LOW, _DIG, _COMMA, _STOP, _NAV, _SPACE, _QUOTE = 1, 2, 4, 8, 16, 32, 64, 128
_TOP = 0x2600
_TABLE = np.zeros(_TOP, dtype=np.uint8)
for _c in range(0x500):
    _ch = chr(_c)
    if _ch.isupper() and (_c < 0x370 or 0x410 <= _c <= 0x42F):
        _TABLE[_c] |= _UP
    elif _ch.islower() and (_c < 0x370 or 0x430 <= _c <= 0x44F):
        _TABLE[_c] |= _LOW
for _ch, _bit in (
    *((c, _DIG) for c in "0123456789"),
    (",", _COMMA),
    *((c, _STOP) for c in ".!?…"),
    *((c, _NAV) for c in "|»›"),
    *((c, _SPACE) for c in " \n"),
    *((c, _QUOTE) for c in '"«“”'),
):
    _TABLE[ord(_ch)] |= _bit
# counting slots for page_features: every character has at most one class above
_SLOT_UP, _SLOT_LOW, _SLOT_DIG, _SLOT_COMMA, _SLOT_NAV, _SLOT_QUOTE, _SLOT_SPACE = 1, 2, 3, 4, 5, 6, 7
_SLOT_BREAK, _SLOT_NEWLINE, _SLOT_STOP = 8, 9, 10
_SLOTS = 11
_SLOT = np.zeros(_TOP, dtype=np.uint8)
for _bit, _slot in ((_UP, _SLOT_UP), (_LOW, _SLOT_LOW), (_DIG, _SLOT_DIG), (_COMMA, _SLOT_COMMA)):
    _SLOT[(_TABLE & _bit) > 0] = _slot
for _bit, _slot in ((_NAV, _SLOT_NAV), (_QUOTE, _SLOT_QUOTE), (_STOP, _SLOT_STOP)):
    _SLOT[(_TABLE & _bit) > 0] = _slot
_SLOT[ord(" ")], _SLOT[ord("\n")] = _SLOT_SPACE, _SLOT_NEWLINE
_SLOT_INSIDE = _SLOT.copy()  # inside a word, a letter counts for nothing
_SLOT_INSIDE[(_SLOT == _SLOT_UP) | (_SLOT == _SLOT_LOW)] = 0


def _char_set(chars: str) -> np.ndarray:
    table = np.zeros(_TOP, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table


_IS_PROSE_END = _char_set('.!?…"”’»)')
_IS_BULLET = _char_set("".join(_BULLET))

_WORD_BINS = np.array([1, 2, 3, 5, 9, 19, 39])  # upper bounds; a last bin takes the rest

STAGE1_NAMES = (
    "bias",
    "log_words",
    "log_chars",
    *(f"words_bin{k}" for k in range(len(_WORD_BINS) + 1)),
    "ends_sentence",
    "ends_period",
    "ends_colon",
    "sentence_breaks",
    "caps_share",
    "caps_share_long",
    "stop_share",
    "comma_density",
    "digit_share",
    "all_caps",
    "bullet_first",
    "nav_marks",
    "urlish",
    "chrome_line",
    "chrome_phrase",
    "timestamp",
    "read_more",
    "tags",
    "byline",
    "chars_per_word",
    "position",
    "position_sq",
    "chrome_prefix",
    "news_dateline",
    "list_item",
    "ellipsis_end",
    "quote_share",
    "repeated_in_page",
    "related_header",
    "first_lower",
    "section_name",
    "log_page_lines",
    "words_weight_mean",
    "words_weight_min",
    "words_weight_max",
    "words_weight_first",
)
F = {name: k for k, name in enumerate(STAGE1_NAMES)}
N_STAGE1 = len(STAGE1_NAMES)


_CHROME_PREFIX_FIRSTS = frozenset(
    [
        "posted",
        "filed",
        "category",
        "categories",
        "photo",
        "image",
        "picture",
        "credit",
        "source",
        "caption",
        "reporting",
        "editing",
        "writing",
        "additional",
        "compiled",
        "our",
        "share",
        "follow",
        "sign",
        "subscribe",
        "click",
        "tap",
        "advertisement",
        "sponsored",
        "comments",
        "comment",
        "font",
        "text",
        "print",
        "email",
        "copyright",
        "©",
        "page",
        "showing",
        "sort",
        "filter",
        "next",
        "previous",
        "«",
        "‹",
        "load",
        "show",
        "view",
        "more",
        "most",
        "related",
        "you",
        "recommended",
        "trending",
        "top",
        "latest",
    ]
)
_TAG_FIRSTS = frozenset(
    [
        "tag",
        "tags",
        "topic",
        "topics",
        "keyword",
        "keywords",
        "filed",
        "themen",
        "schlagworte",
        "schlagwörter",
        "stichworte",
        "mots",
        "étiquettes",
        "etiquetas",
        "temas",
        "argomenti",
    ]
)
_FIRST_STRIP = ":(|»›-–—>."
_URL_HINTS = ("http", "www.", "@")
_SHAPE_FIRSTS = _READ_MORE_FIRSTS | _BYLINE_FIRSTS | _CHROME_PREFIX_FIRSTS | _TAG_FIRSTS | {"#"}
_SHORT_CACHE_SIZE = 50_000


def forget_lines(m: Model | None = None) -> None:
    """Empty ``m``'s (default: the packaged model's) memory of short lines seen before (for
    benchmarks that pass over the same pages again)."""
    (m or model()).short_cache.clear()


# a line's first run of ASCII letters and digits (after ASCII marks), and what follows it
_FIRST_ASCII_RUN = re.compile(r"[\x00-/:-@\[-`{-\x7f]*([0-9A-Za-z]*)(.?)")


def _may_open_short(line: str, m: Model) -> bool:
    """For a line whose first word is no plain word: may the first word of its key (the first
    run of letters and digits) open a chrome line, a related header or a section name?
    Decided for ASCII runs; True where a character beyond ASCII comes before the run ends."""
    run, after = _FIRST_ASCII_RUN.match(line).groups()
    if after and not after.isascii():
        return True
    if len(run) > 64:
        return True
    return bool(run) and run.lower() in m.short_firsts


def _short_flags(line: str, m: Model) -> tuple[float, float, float]:
    """``(chrome line, related header, section name)`` of a short line."""
    cache = m.short_cache
    hit = cache.get(line)
    if hit is None:
        low = line.lower()
        if low.replace(" ", "").isalnum():
            key, words = low, low.split()
        else:
            words = _key_words(low)
            key = " ".join(words)
        section = 0 < len(words) <= 4 and all(w in m.section_words or w in _SMALL for w in words)
        hit = (float(key in m.chrome_lines), float(key in m.related_headers), float(section))
        if len(cache) > _SHORT_CACHE_SIZE:
            cache.clear()
        cache[line] = hit
    return hit


def _word_weight_rows(
    w: np.ndarray, word_end: np.ndarray, first_at: np.ndarray, nw: np.ndarray, out: np.ndarray
) -> None:
    """Fill the rows of the learned word weights ``w``: each line's mean, lowest, highest and first."""
    cum = np.zeros(len(w) + 1)
    w.cumsum(out=cum[1:])
    out[F["words_weight_mean"]] = (cum[word_end] - cum[first_at]) / np.maximum(nw, 1)
    has = nw > 0  # a line of no words (white space alone) keeps zeros
    at = first_at[has]
    out[F["words_weight_min"], has] = np.minimum.reduceat(w, at)
    out[F["words_weight_max"], has] = np.maximum.reduceat(w, at)
    out[F["words_weight_first"], has] = w[at]


@dataclass(frozen=True)
class _Scan:
    """What the pass over a page's characters and words leaves for the shape checks, per line."""

    raw_firsts: list[str]  # the first word, lower-cased, marks kept
    firsts: list[str]  # the same, stripped of the marks in _FIRST_STRIP
    digits: np.ndarray
    commas: np.ndarray
    nav: np.ndarray
    head: np.ndarray  # the classes of the first character, and of the second (digits added)
    flags: np.ndarray  # the word-code flags of the line's words, or-ed
    words: np.ndarray  # the words of the line (how the word look-ups cut the page)
    # False where no match of DATE can start (a year with no month's name before it, a
    # number with no time or date shape): the line needs no timestamp check
    date_hint: np.ndarray | None
    # the first word may open a chrome line, a related header or a section name, or is no
    # plain word and the first word of the line's key may (_may_open_short): a short line
    # is looked up
    short_first: np.ndarray
    shape_first: np.ndarray  # the stripped first word may open a shape (_SHAPE_FIRSTS)


def _compiled_module() -> ModuleType | None:
    """``_linescan`` where it is built and not turned off (``DATELINE_PURE_PYTHON``), else None."""
    return None if os.environ.get("DATELINE_PURE_PYTHON") else _linescan


def _compiled_scanner(m: Model) -> object | None:
    """The compiled pass's tables for model ``m``, or None where it is not built or is turned off."""
    compiled = _compiled_module()
    if compiled is None:
        return None
    return compiled.make_scanner(
        m.word_codes,
        m.code_flags.tobytes(),
        m.code_weights.astype(np.float64).tobytes(),
        _TABLE.tobytes(),
        _IS_PROSE_END.astype(np.uint8).tobytes(),
        _IS_BULLET.astype(np.uint8).tobytes(),
        tuple(F[name] for name in compiled.ROWS),  # the rows it fills, in its order
        tuple(_WORD_BINS.tolist()),
        _FIRST_STRIP,
        m.short_firsts,
        _SHAPE_FIRSTS,
    )


def compiled() -> bool:
    """True when the line features are computed by the compiled pass (``dateline/extract/_linescan.c``)."""
    return model().scanner is not None


def _scan_compiled(joined: str, n: int, m: Model, out: np.ndarray) -> _Scan | None:
    """:func:`_scan_numpy`, in C; None when the page's lines hold a newline of their own (or
    in the rare case that the compiled pass is already busy with a page)."""
    aux = np.empty((11, n), dtype=np.int64)
    firsts = _linescan.scan(m.scanner, joined, out, aux)
    if firsts is None:
        return None
    lengths, words = aux[:2]
    out[F["log_words"]] = np.log1p(words.astype(float))
    out[F["log_chars"]] = np.log1p(lengths)
    return _Scan(*firsts, *aux[2:])


def _scan_numpy(texts: Sequence[str], joined: str, m: Model, out: np.ndarray) -> _Scan:
    """Fill the rows of ``out`` (one row a feature) that count characters and look words up.

    Character classes are counted over the whole page in one numpy pass (a lookup table
    gives each character one counting slot, then one ``bincount`` of line and slot); every
    word of the page is looked up once in one dictionary (its code gives its flags and its
    learned weight).
    """
    n = len(texts)
    chars = np.minimum(np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32), _TOP - 1)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    starts = np.zeros(n, dtype=np.int64)
    (lengths[:-1] + 1).cumsum(out=starts[1:])
    ends = starts + lengths - 1
    # one counting slot a character (the classes do not overlap); letters count only where
    # a word starts, stops only where a sentence breaks (a stop, a space, a capital)
    code = _SLOT_INSIDE[chars]
    word_starts = ((code[:-1] == _SLOT_SPACE) | (code[:-1] == _SLOT_NEWLINE)).nonzero()[0]
    word_starts += 1
    head_slots = _SLOT[chars[word_starts]]
    code[word_starts] = head_slots
    code[0] = _SLOT[chars[0]]
    # a break: a capital that starts a word after a space after a stop
    capital = word_starts[(head_slots == _SLOT_UP) & (word_starts >= 2)]
    capital = capital[(code[capital - 1] == _SLOT_SPACE) & (code[capital - 2] == _SLOT_STOP)]
    code[capital - 2] = _SLOT_BREAK
    slot_of = np.arange(0, n * _SLOTS, _SLOTS).repeat(lengths + 1)[: len(code)]
    slot_of += code
    sums = np.bincount(slot_of, minlength=n * _SLOTS).reshape(n, _SLOTS).T.astype(float)
    cap_words, low_words, digits, commas, nav, quotes, spaces, n_breaks = sums[_SLOT_UP : _SLOT_BREAK + 1]
    nw = spaces.astype(np.int64) + 1
    last, first = chars[ends], chars[starts]
    head = _TABLE[first] & np.where(lengths > 1, _TABLE[chars[np.minimum(starts + 1, len(chars) - 1)]] | _DIG, 0)
    # the words: one dictionary look-up each
    low_joined = joined.lower()
    all_words = low_joined.split()
    seg = nw
    if len(all_words) != int(nw.sum()):  # lines not normalised: count their words one by one
        seg = np.fromiter((len(t.split()) for t in low_joined.split("\n")), dtype=np.int64, count=n)
    # bytes() of small ints is the quickest way from a C-level map to an array
    codes = np.frombuffer(bytes(map(m.word_codes.get, all_words, repeat(0))), dtype=np.uint8)
    flags = m.code_flags[codes]
    word_end = seg.cumsum()
    first_at = word_end - seg
    stop_cum = np.zeros(len(all_words) + 1, dtype=np.int64)
    (flags & _STOP_WORD).cumsum(out=stop_cum[1:])
    stops = stop_cum[word_end] - stop_cum[first_at]
    line_flags = np.zeros(n, dtype=np.uint8)
    if len(all_words):
        has = seg > 0
        line_flags[has] = np.bitwise_or.reduceat(flags, first_at[has])
        if m.word_weights:
            _word_weight_rows(m.code_weights[codes], word_end, first_at, seg, out)
    # a line of no words gets the next line's first word (none after the last word)
    raw_firsts = [all_words[k] if k < len(all_words) else "" for k in first_at.tolist()]
    hints = []
    for hint in _URL_HINTS:
        at = low_joined.find(hint)
        while at >= 0:
            hints.append(at)
            at = low_joined.find(hint, at + 1)
    if hints and len(low_joined) == len(joined):
        out[F["urlish"], starts.searchsorted(hints, side="right") - 1] = 1.0
    elif hints:  # lower-casing changed the length (U+0130): line by line
        out[F["urlish"]] = [any(h in t.lower() for h in _URL_HINTS) for t in texts]
    ends_sentence = _IS_PROSE_END[last]
    last_period = last == 46
    last_colon = last == 58
    ellipsis = (last == 0x2026) | (last_period & (chars[np.maximum(ends - 2, 0)] == 46) & (lengths > 2))
    ends_sentence |= last_colon & (nw >= 6)
    nwf = nw.astype(float)
    alpha = np.maximum(cap_words + low_words, 1.0)
    caps = cap_words / alpha
    out[F["bias"]] = 1.0
    out[F["log_words"]] = np.log1p(nwf)
    out[F["log_chars"]] = np.log1p(lengths)
    out[F["words_bin0"] + _WORD_BINS.searchsorted(nw), np.arange(n)] = 1.0
    out[F["ends_sentence"]] = ends_sentence
    out[F["ends_period"]] = last_period
    out[F["ends_colon"]] = last_colon
    out[F["sentence_breaks"]] = np.minimum(n_breaks, 5) / 5.0
    out[F["caps_share"]] = caps
    out[F["caps_share_long"]] = caps * (nw > 3)
    out[F["stop_share"]] = stops / nwf
    out[F["comma_density"]] = np.minimum(commas / nwf, 1.0)
    out[F["digit_share"]] = digits / lengths
    out[F["all_caps"]] = (cap_words >= 1) & (low_words == 0) & (lengths > 3)
    out[F["bullet_first"]] = _IS_BULLET[first]
    out[F["nav_marks"]] = nav > 0
    out[F["chars_per_word"]] = np.minimum(lengths / nwf, 15.0) / 15.0
    position = np.arange(n) / max(n - 1, 1)
    out[F["position"]] = position
    out[F["position_sq"]] = position * position
    out[F["ellipsis_end"]] = ellipsis
    out[F["quote_share"]] = np.minimum(quotes / nwf, 1.0)
    out[F["first_lower"]] = (_TABLE[first] & _LOW) > 0
    firsts = [w.strip(_FIRST_STRIP) for w in raw_firsts]
    short_first = np.frombuffer(bytes(map(m.short_firsts.__contains__, raw_firsts)), dtype=bool).copy()
    for k in (~np.frombuffer(bytes(map(str.isalnum, raw_firsts)), dtype=bool) & ~short_first).nonzero()[0].tolist():
        short_first[k] = _may_open_short(texts[k], m)
    shape_first = np.frombuffer(bytes(map(_SHAPE_FIRSTS.__contains__, firsts)), dtype=bool)
    return _Scan(raw_firsts, firsts, digits, commas, nav, head, line_flags, seg, None, short_first, shape_first)


def _shape_flags(texts: Sequence[str], joined: str, scan: _Scan, m: Model, out: np.ndarray) -> None:
    """Fill the vocabulary and shape flags that need a closer look at a line into ``out``.

    Only the lines a cheap test (first word, length, a digit, a word's flags) picks are
    looked at: their look-ups in the line vocabularies and their pattern checks.
    """
    nw, digits, commas, head = scan.words, scan.digits, scan.commas, scan.head
    firsts = scan.firsts
    nw_list = nw.tolist()
    # a chrome line, related header or section name opens with one of few words: the rest
    # of the short lines (a plain word first) need no look-up
    get = m.short_cache.get
    chrome_line, related_header, section_name = out[F["chrome_line"]], out[F["related_header"]], out[F["section_name"]]
    for i in ((scan.short_first != 0) & (nw <= 8)).nonzero()[0].tolist():
        hit = get(texts[i]) or _short_flags(texts[i], m)
        if hit[0] or hit[1] or hit[2]:
            chrome_line[i], related_header[i], section_name[i] = hit
    row = out[F["chrome_phrase"]]
    sure = set((scan.flags & _CHROME_WORD).nonzero()[0].tolist())
    for i in sure:
        if nw_list[i] <= 60:
            row[i] = 1.0
    lines = set((scan.flags & _CHROME_FIRST).nonzero()[0].tolist())
    if "©" in joined or "®" in joined or "™" in joined:
        lines.update(k for k, t in enumerate(texts) if "©" in t or "®" in t or "™" in t)
    for i in lines.difference(sure):
        if nw_list[i] <= 60 and m.holds_chrome_phrase(_key_words(texts[i].lower()), texts[i]):
            row[i] = 1.0
    row = out[F["timestamp"]]
    stamp = (nw <= 14) & (digits > 0)
    if scan.date_hint is not None:
        stamp &= scan.date_hint > 0
    for i in stamp.nonzero()[0].tolist():
        if has_timestamp_shape(texts[i]):
            row[i] = 1.0
    look = scan.shape_first != 0
    if "#" in joined:
        look = look | np.frombuffer(bytes(map(str.startswith, firsts, repeat("#"))), dtype=bool)
    look = look | ((head & (_DIG | _UP)) > 0)
    look |= (commas >= 3) | (scan.nav > 0)
    look &= nw <= 40
    for i in look.nonzero()[0].tolist():
        t = texts[i]
        k = nw_list[i]
        first = firsts[i]
        if k >= 3 and first in _READ_MORE_FIRSTS and READ_MORE.match(t):
            out[F["read_more"], i] = 1.0
        if k <= 8 and first in _BYLINE_FIRSTS and BYLINE.match(t):
            out[F["byline"], i] = 1.0
        c0 = t[0]
        if k <= 25 and (first in _CHROME_PREFIX_FIRSTS or c0.isdigit()) and CHROME_PREFIX.match(t):
            out[F["chrome_prefix"], i] = 1.0
        if c0.isupper() and t[1:2].isupper() and NEWS_DATELINE.match(t):
            out[F["news_dateline"], i] = 1.0
        if (c0.isdigit() or c0 == "(") and LIST_ITEM.match(t):
            out[F["list_item"], i] = 1.0
        if k >= 4 and (first in _TAG_FIRSTS or c0 == "#" or commas[i] >= 3 or "|" in t) and is_tag_list(t):
            out[F["tags"], i] = 1.0


def page_features(texts: Sequence[str], m: Model | None = None, *, compiled: bool = True) -> np.ndarray:
    """Stage-one features of a page's normalised, non-empty lines: one row a line.

    The array is column-major (each feature's values lie together), which is what the
    labelling rules and the trees read. ``compiled=False`` takes the numpy path even where
    the compiled one is built (they give the same numbers).
    """
    m = m or model()
    n = len(texts)
    joined = "\n".join(texts)
    out = np.zeros((N_STAGE1, n))
    scan = _scan_compiled(joined, n, m, out) if compiled and m.scanner is not None and n else None
    if scan is None:
        scan = _scan_numpy(texts, joined, m, out)
    _shape_flags(texts, joined, scan, m, out)
    out[F["log_page_lines"]] = np.log1p(n) / 8.0
    # lines that repeat within the page: each line's first occurrence, counted
    seen: dict[str, int] = {}
    first_seen = list(map(seen.setdefault, texts, range(n)))
    if len(seen) < n:
        first_seen = np.array(first_seen)
        out[F["repeated_in_page"]] = np.bincount(first_seen, minlength=n)[first_seen] > 1
    return out.T


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.minimum(np.maximum(z, -30.0), 30.0)))


# --- stages two and three: the line in its page ----------------------------------------------


def main_block(scores: np.ndarray, sizes: np.ndarray) -> tuple[int, int]:
    """The run of lines with the largest sum of (score - 0.5) * size: where the body sits."""
    gains = np.zeros(len(scores) + 1)
    ((scores - 0.5) * sizes).cumsum(out=gains[1:])
    lowest_before = np.minimum.accumulate(gains[:-1])
    best_end = int((gains[1:] - lowest_before).argmax())
    start = int(gains[: best_end + 1].argmin())
    return start, best_end


def _runs(flag: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each line: the id of its run of equal ``flag`` values, and that run's length."""
    change = np.empty(len(flag), dtype=bool)
    change[0] = True
    change[1:] = flag[1:] != flag[:-1]
    run_id = change.cumsum() - 1
    length = np.bincount(run_id)
    return run_id, length[run_id]


CONTEXT_NAMES = (
    "p",
    "p_prev",
    "p_next",
    "p_prev2",
    "p_next2",
    "p_max_neighbour",
    "p_window3",
    "p_window8",
    "in_main_block",
    "before_main",
    "after_main",
    "main_edge",
    "log_words_prev",
    "log_words_next",
    "block_log_words",
    "block_log_lines",
    "block_sentence_share",
    "block_mean_p",
    "headline_run",
    "list_run",
    "sentence_window3",
    "ends_sentence_prev",
    "ends_sentence_next",
    "main_block_words_share",
    "p_page_mean",
    "p_page_body_share",
    "words_vs_page_max",
    "main_sentence_share",
)


N_CONTEXT = len(CONTEXT_NAMES)
C = {name: k for k, name in enumerate(CONTEXT_NAMES)}
# the rows of stage_rows that hold one value for the whole page
_PAGE_WIDE = frozenset(
    [F["bias"], F["log_page_lines"]]
    + [
        N_STAGE1 + C[name]
        for name in ("main_block_words_share", "p_page_mean", "p_page_body_share", "main_sentence_share")
    ]
)


_LINE_COUNTS: dict[int, tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}


def _line_counts(n: int) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For a page of ``n`` lines: log1p of 0..n, and the bounds of the windows of 3 and of
    8 lines around each line, side by side (kept, read-only, for each page length)."""
    got = _LINE_COUNTS.get(n)
    if got is None:
        idx = np.arange(n)
        hi = np.concatenate([np.minimum(idx + 4, n), np.minimum(idx + 9, n)])
        lo = np.concatenate([np.maximum(idx - 3, 0), np.maximum(idx - 8, 0)])
        got = (np.log1p(np.arange(n + 1)), (hi, lo, (hi - lo).astype(float)))
        for a in (got[0], *got[1]):
            a.setflags(write=False)
        if len(_LINE_COUNTS) > 4096:
            _LINE_COUNTS.clear()
        _LINE_COUNTS[n] = got
    return got


class _Context:
    """Computes :data:`CONTEXT_NAMES` for a page: once what the line features fix, per score
    vector the rest, written straight into the rows of a (feature, line) array."""

    def __init__(self, feats_t: np.ndarray) -> None:
        """``feats_t``: the page's stage-one features, one row a feature."""
        n = feats_t.shape[1]
        self.n = n
        self.sizes = sizes = feats_t[F["log_words"]]
        self.ends = ends = feats_t[F["ends_sentence"]]
        self.words = words = np.expm1(sizes)
        self.words_total = max(np.add.reduce(words), 1.0)
        self.log_count, self.windows = _line_counts(n)
        fixed = np.zeros((N_CONTEXT, n))
        fixed[C["log_words_prev"], 1:] = sizes[:-1]
        fixed[C["log_words_next"], :-1] = sizes[1:]
        headline = (words >= 2) & (words <= 16) & (ends == 0)
        _, h_len = _runs(headline)
        fixed[C["headline_run"]] = np.log1p(h_len * headline)
        listed = feats_t[F["list_item"]] > 0
        _, list_len = _runs(listed)
        fixed[C["list_run"]] = np.log1p(list_len * listed)
        fixed[C["sentence_window3"]] = self._windows(ends)[:n]
        fixed[C["ends_sentence_prev"], 1:] = ends[:-1]
        fixed[C["ends_sentence_next"], :-1] = ends[1:]
        fixed[C["words_vs_page_max"]] = words / max(words.max(), 1.0)
        self.fixed = fixed

    def _windows(self, values: np.ndarray) -> np.ndarray:
        """The means of ``values`` over each line and its 3, then its 8, neighbours on each side."""
        cum = np.zeros(self.n + 1)
        values.cumsum(out=cum[1:])
        hi, lo, count = self.windows
        return (cum[hi] - cum[lo]) / count

    def fill(self, p: np.ndarray, out: np.ndarray) -> None:
        """Write the context of the scores ``p`` into ``out`` (one row a context feature)."""
        n, sizes, ends, words = self.n, self.sizes, self.ends, self.words
        out[...] = self.fixed
        out[C["p"]] = p
        out[C["p_prev"], 1:] = p[:-1]
        out[C["p_next"], :-1] = p[1:]
        out[C["p_prev2"], 2:] = p[:-2]
        out[C["p_next2"], :-2] = p[2:]
        np.maximum(out[C["p_prev"]], out[C["p_next"]], out=out[C["p_max_neighbour"]])
        out[C["p_window3"] : C["p_window8"] + 1] = self._windows(p).reshape(2, n)
        start, end = main_block(p, sizes)
        out[C["in_main_block"], start : end + 1] = 1.0
        out[C["before_main"], :start] = self.log_count[start:0:-1]
        out[C["after_main"], end + 1 :] = self.log_count[1 : n - end]
        out[C["main_edge"], [start, end]] = 1.0
        # blocks: runs of lines on the same side of 0.5
        body = p >= 0.5
        run_id, run_lines = _runs(body)
        out[C["block_log_words"]] = np.log1p(np.bincount(run_id, weights=words)[run_id])
        out[C["block_log_lines"]] = np.log1p(run_lines)
        out[C["block_sentence_share"]] = np.bincount(run_id, weights=ends)[run_id] / run_lines
        out[C["block_mean_p"]] = np.bincount(run_id, weights=p)[run_id] / run_lines
        # the same sums and means as ndarray.sum and .mean, without their Python wrappers
        out[C["main_block_words_share"]] = np.add.reduce(words[start : end + 1]) / self.words_total
        out[C["p_page_mean"]] = np.add.reduce(p) / n
        out[C["p_page_body_share"]] = np.count_nonzero(body) / n
        out[C["main_sentence_share"]] = np.add.reduce(ends[start : end + 1]) / (end + 1 - start)


def context_features(p: np.ndarray, feats: np.ndarray) -> np.ndarray:
    """Features of each line's place in the page, given every line's body score ``p``."""
    out = np.empty((N_CONTEXT, len(p)))
    _Context(np.asarray(feats).T).fill(np.asarray(p, dtype=float), out)
    return out.T


def stage_rows(feats: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The rows the tree stages score: line features and the context of ``p``."""
    return np.hstack([feats, context_features(p, feats)])


def scores(
    feats: np.ndarray, keep: np.ndarray | None = None, m: Model | None = None, *, compiled: bool = True
) -> np.ndarray:
    """Each line's chance of being body, through all the stages (``keep``: 1 - repeat share).

    ``compiled=False`` takes the numpy path even where the compiled stage is built; the two
    agree to the last few bits (the trees' leaves are summed in another order).
    """
    m = m or model()
    p = sigmoid(feats @ m.stage1)
    rows: np.ndarray | None = None
    feats_t = words = context_rows = None
    for trees in m.tree_stages:
        if keep is not None:
            p = p * keep
        forest = trees.forest if compiled and len(trees.feature) else None
        if forest is not None:
            if feats_t is None:
                feats_t = np.ascontiguousarray(feats.T)
                words = np.expm1(feats_t[F["log_words"]])
                context_rows = np.empty((N_CONTEXT, len(p)))
            margin = np.empty(len(p))
            _linescan.stage(forest, feats_t, np.ascontiguousarray(p, dtype=float), words, context_rows, margin)
            p = sigmoid(margin)
        elif len(trees.feature):
            if rows is None:  # one row a feature: line features, then the context of p
                rows = np.empty((N_STAGE1 + N_CONTEXT, len(p)))
                rows[:N_STAGE1] = feats.T
                context = _Context(rows[:N_STAGE1])
            context.fill(p, rows[N_STAGE1:])
            p = sigmoid(trees.page_terms.margin(rows))
    if keep is not None:
        p = p * keep
    return p
