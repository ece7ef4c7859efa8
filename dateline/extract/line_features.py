"""What the line labeller sees of each line: vocabulary, shapes, features and the model.

Everything here works a page at a time. Character classes are counted over the whole page
in one numpy pass (a lookup table, then per-line sums with ``reduceat``); only word-list
look-ups and the few shape checks loop over lines in Python, each gated by a cheap test,
so that a 150-line page takes well under a millisecond.

The model (``dateline/data/line_model.json``, trained by
:mod:`dateline.extract.line_training`) has three stages:

1. a logistic regression on the line's own features (:func:`page_features`);
2. boosted depth-2 trees on those features plus the neighbours' stage-1 scores and the
   statistics of the line's block (:func:`context_features`);
3. boosted trees again, on the line features plus the same context taken of the stage-2
   scores: a second look at the page once the first has settled which blocks are prose.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

# --- vocabulary and model ------------------------------------------------------------------

_NON_WORD = re.compile(r"[\W_]+")


def key_of(line: str) -> str:
    """A line reduced to lower-case words, for vocabulary look-ups."""
    return _NON_WORD.sub(" ", line.lower()).strip()


@dataclass(frozen=True, eq=False)
class Trees:
    """Boosted depth-2 trees, evaluated for all lines and all trees at once."""

    feature: np.ndarray  # (T, 3): root, left child, right child
    threshold: np.ndarray  # (T, 3): go right when x > threshold
    leaf: np.ndarray  # (T, 4): left-left, left-right, right-left, right-right
    base: float

    @classmethod
    def from_json(cls, raw: dict) -> Trees:
        return cls(
            np.array(raw["feature"], dtype=np.int64).reshape(-1, 3),
            np.array(raw["threshold"], dtype=float).reshape(-1, 3),
            np.array(raw["leaf"], dtype=float).reshape(-1, 4),
            float(raw["base"]),
        )

    def margin(self, x: np.ndarray) -> np.ndarray:
        """The summed tree outputs (log-odds) for each row of ``x``.

        A depth-2 tree is ``a + (b-a) L + (c-a) R + (a-b) R L + (d-c) R R2`` in its three
        tests (root R, left child L, right child R2): four matrix products for all trees.
        """
        if not len(self.feature):
            return np.full(len(x), self.base)
        tests = (x[:, self.feature.ravel()] > self.threshold.ravel()).astype(float)
        root, left, right = tests[:, 0::3], tests[:, 1::3], tests[:, 2::3]
        a, b, c, d = self.leaf.T
        return (
            self.base + a.sum() + left @ (b - a) + root @ (c - a) + (root * left) @ (a - b) + (root * right) @ (d - c)
        )


@dataclass(frozen=True, eq=False)
class Model:
    stage1: np.ndarray
    stage2: Trees
    stage3: Trees
    threshold: float
    chrome_lines: frozenset[str]
    chrome_words: frozenset[str]
    chrome_multi: tuple[str, ...]
    chrome_tokens: frozenset[str]  # raw (lower-case, punctuation kept) tokens worth a closer look
    chrome_symbols: tuple[str, ...]
    section_words: frozenset[str]
    stopwords: frozenset[str]
    related_headers: frozenset[str]

    def has_chrome_phrase(self, key: str, text: str) -> bool:
        """True when the line (as its :func:`key_of`) holds a chrome phrase or symbol."""
        words = key.split()
        if not self.chrome_words.isdisjoint(words):
            return True
        padded = f" {key} "
        if any(p in padded for p in self.chrome_multi):
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
    empty = {"feature": [], "threshold": [], "leaf": [], "base": 0.0}
    return Model(
        stage1=np.array(raw["stage1"]["weights"], dtype=float),
        stage2=Trees.from_json(raw.get("stage2", {}).get("trees", empty)),
        stage3=Trees.from_json(raw.get("stage3", {}).get("trees", empty)),
        threshold=float(raw.get("threshold", 0.5)),
        chrome_lines=frozenset(key_of(x) for x in vocab["chrome_lines"]),
        chrome_words=single,
        chrome_multi=multi,
        chrome_tokens=_variants(single | {m.split()[0] for m in multi}),
        chrome_symbols=tuple(vocab["chrome_symbols"]),
        section_words=frozenset(w.lower() for w in vocab["section_words"]),
        stopwords=frozenset(w.lower() for w in vocab["stopwords"]),
        related_headers=frozenset(key_of(x) for x in vocab["related_headers"]),
    )


# --- shapes ----------------------------------------------------------------------------------

_MONTHS = (
    "jan(?:uary|vier|uar|eiro)?|feb(?:ruary|ruar|rero)?|f[ée]v(?:rier)?|mar(?:ch|s|zo|ço)?|m[äa]rz|"
    "apr(?:il|ile)?|avr(?:il)?|abr(?:il)?|may|mai|mayo|maggio|jun(?:e|i|io)?|juin|jul(?:y|i|io)?|juil(?:let)?|"
    "aug(?:ust)?|ao[uû]t|ago(?:sto)?|sep(?:t|tember|tembre|tiembre)?|set(?:tembre)?|oct(?:ober|obre|ubre)?|"
    "okt(?:ober)?|ott(?:obre)?|nov(?:ember|embre)?|dec(?:ember)?|d[ée]c(?:embre)?|dez(?:ember)?|dic(?:iembre)?"
)
DATE = re.compile(
    rf"(?<!\d)\d{{1,2}}(?:st|nd|rd|th)?\.?\s*(?:{_MONTHS})\.?,?\s+\d{{4}}"  # 01 March 2021, 19. Oktober 2019
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # March 1, 2021
    r"|(?<!\d)\d{4}-\d{2}-\d{2}"  # 2021-03-01
    r"|(?<!\d)\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})(?!\d)"  # 01.03.2021, 3/1/21
    r"|(?<!\d)\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|uhr|h|gmt|utc|bst|[a-z]{2,4}t)(?![\d:])"  # 4.41 BST
    r"|(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?![\d:])"  # 16:48
    r"|\b\d+\s+(?:minutes?|hours?|days?|weeks?)\s+ago\b",
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
_BYLINE_NAME = re.compile(r"\b(?:by|von|par|por)\s+(?:[A-ZÀ-Þ][\w'’.-]*\s*){1,3}", re.I)
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
_DATE_HINT = re.compile(r"\d{4}|\d[:./]\d|\d\s+(?:min|hour|day|week)", re.I)


def has_timestamp_shape(line: str) -> bool:
    """True when ``line`` looks like a publication stamp: a date or time and little else.

    >>> has_timestamp_shape("16:48 GMT01 March 2021"), has_timestamp_shape("Updated March 1, 2021 at 4:30 pm")
    (True, True)
    >>> has_timestamp_shape("On March 1, 2021 the minister resigned after a long dispute with the board.")
    False
    """
    if len(line) > 90 or _DATE_HINT.search(line) is None:
        return False
    if DATE.search(line) is None:
        return False
    rest = _BYLINE_NAME.sub(" ", DATE.sub(" ", line))
    words = [w for w in _NON_WORD.split(rest) if w]
    return len(words) <= 4 or bool(_TIMESTAMP_WORDS.match(rest))


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
_CLASS_BITS = np.array([_UP, _LOW, _DIG, _COMMA, _STOP, _NAV, _QUOTE], dtype=np.uint8)


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
_URL_HINT = re.compile(r"http|www\.|@")
_SMALL = ("and", "und", "et", "y", "e")
_SHAPE_FIRSTS = _READ_MORE_FIRSTS | _BYLINE_FIRSTS | _CHROME_PREFIX_FIRSTS | _TAG_FIRSTS | {"#"}
# short lines recur across pages (menus, buttons): their vocabulary flags are kept
_SHORT_CACHE: dict[str, tuple[float, float, float]] = {}


def _short_flags(low: str, m: Model) -> tuple[float, float, float]:
    """``(chrome line, related header, section name)`` of a short lower-cased line."""
    hit = _SHORT_CACHE.get(low)
    if hit is None:
        key = low if low.replace(" ", "").isalnum() else key_of(low)
        words = key.split()
        section = 0 < len(words) <= 4 and all(w in m.section_words or w in _SMALL for w in words)
        hit = (float(key in m.chrome_lines), float(key in m.related_headers), float(section))
        if len(_SHORT_CACHE) > 50_000:
            _SHORT_CACHE.clear()
        _SHORT_CACHE[low] = hit
    return hit


def _flags(
    texts: Sequence[str],
    low_joined: str,
    starts: np.ndarray,
    nw: np.ndarray,
    counts: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    m: Model,
) -> np.ndarray:
    """The vocabulary and shape flags, one row a line.

    Word-list look-ups run over all words of the page at once; the shape checks run only on
    the lines a cheap test (first word, length, a digit) picks.
    """
    n = len(texts)
    digits, commas, nav, head = counts
    out = np.zeros((n, 13))
    all_words = low_joined.split()
    if len(all_words) != int(nw.sum()):  # lines not normalised: count their words one by one
        nw = np.fromiter((len(t.split()) for t in low_joined.split("\n")), dtype=np.int64, count=n)
    line_of_word = np.repeat(np.arange(n), nw)
    stops = np.fromiter(map(m.stopwords.__contains__, all_words), dtype=bool, count=len(all_words))
    out[:, 12] = np.bincount(line_of_word[stops], minlength=n)
    chrome_hits = np.fromiter(map(m.chrome_tokens.__contains__, all_words), dtype=bool, count=len(all_words))
    first_at = np.concatenate([[0], np.cumsum(nw[:-1])]).tolist()
    firsts = [all_words[k].strip(_FIRST_STRIP) for k in first_at]
    lows = low_joined.split("\n")
    nw_list = nw.tolist()
    short = np.flatnonzero(nw <= 8)
    get = _SHORT_CACHE.get
    if len(short):
        out[short[:, None], [0, 8, 9]] = [get(low) or _short_flags(low, m) for low in map(lows.__getitem__, short)]
    symbols = [k for k, t in enumerate(texts) if "©" in t or "®" in t or "™" in t]
    for i in sorted(set(np.unique(line_of_word[chrome_hits]).tolist()) | set(symbols)):
        if nw_list[i] <= 60 and m.has_chrome_phrase(key_of(lows[i]), texts[i]):
            out[i, 1] = 1.0
    for i in np.flatnonzero((nw <= 14) & (digits > 0)).tolist():
        if has_timestamp_shape(texts[i]):
            out[i, 2] = 1.0
    for at in _URL_HINT.finditer(low_joined):
        out[int(np.searchsorted(starts, at.start(), side="right")) - 1, 11] = 1.0
    look = np.zeros(n, dtype=bool)
    look[[i for i, f in enumerate(firsts) if f in _SHAPE_FIRSTS or f[:1] == "#"]] = True
    look |= (head & (_DIG | _UP)) > 0
    look |= (commas >= 3) | (nav > 0)
    look &= nw <= 40
    for i in np.flatnonzero(look).tolist():
        t = texts[i]
        k = nw_list[i]
        first = firsts[i]
        if k >= 3 and first in _READ_MORE_FIRSTS and READ_MORE.match(t):
            out[i, 3] = 1.0
        if k <= 8 and first in _BYLINE_FIRSTS and BYLINE.match(t):
            out[i, 5] = 1.0
        c0 = t[0]
        if k <= 25 and (first in _CHROME_PREFIX_FIRSTS or c0.isdigit()) and CHROME_PREFIX.match(t):
            out[i, 6] = 1.0
        if c0.isupper() and t[1:2].isupper() and NEWS_DATELINE.match(t):
            out[i, 7] = 1.0
        if (c0.isdigit() or c0 == "(") and LIST_ITEM.match(t):
            out[i, 10] = 1.0
        if k >= 4 and (first in _TAG_FIRSTS or c0 == "#" or commas[i] >= 3 or "|" in t) and is_tag_list(t):
            out[i, 4] = 1.0
    return out


def page_features(texts: Sequence[str], m: Model | None = None) -> np.ndarray:
    """Stage-one features of a page's normalised, non-empty lines: one row a line."""
    m = m or model()
    n = len(texts)
    joined = "\n".join(texts)
    chars = np.minimum(np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32), _TOP - 1)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    ends = starts + lengths - 1
    cls = _TABLE[chars]
    word_start = np.empty(len(cls), dtype=bool)
    word_start[0] = True
    word_start[1:] = (cls[:-1] & _SPACE) > 0
    # a sentence break: a full stop, a space, a capital
    breaks = np.zeros(len(cls), dtype=bool)
    breaks[:-2] = ((cls[:-2] & _STOP) > 0) & (chars[1:-1] == 32) & ((cls[2:] & _UP) > 0)
    bits = (cls[None, :] & _CLASS_BITS[:, None]) > 0
    bits[0] &= word_start
    bits[1] &= word_start
    stacked = np.vstack([bits, breaks[None, :], (chars == 32)[None, :]]).view(np.int8)
    sums = np.add.reduceat(stacked, starts, axis=1, dtype=np.int32).astype(float)
    cap_words, low_words, digits, commas, _stops, nav, quotes, n_breaks, spaces = sums
    nw = spaces.astype(np.int64) + 1
    last, first = chars[ends], chars[starts]
    head = _TABLE[first] & np.where(lengths > 1, _TABLE[chars[np.minimum(starts + 1, len(chars) - 1)]] | _DIG, 0)
    flags = _flags(texts, joined.lower(), starts, nw, (digits, commas, nav, head), m)
    ends_sentence = _IS_PROSE_END[last]
    last_period = last == 46
    last_colon = last == 58
    ellipsis = (last == 0x2026) | (last_period & (chars[np.maximum(ends - 2, 0)] == 46) & (lengths > 2))
    ends_sentence |= last_colon & (nw >= 6)
    seen: dict[str, int] = {}
    for t in texts:
        seen[t] = seen.get(t, 0) + 1
    repeated = np.fromiter(map(seen.__getitem__, texts), dtype=np.int64, count=n) > 1 if len(seen) < n else 0.0
    nwf = nw.astype(float)
    alpha = np.maximum(cap_words + low_words, 1.0)
    caps = cap_words / alpha
    out = np.zeros((n, N_STAGE1))
    out[:, F["bias"]] = 1.0
    out[:, F["log_words"]] = np.log1p(nwf)
    out[:, F["log_chars"]] = np.log1p(lengths)
    out[np.arange(n), F["words_bin0"] + np.searchsorted(_WORD_BINS, nw)] = 1.0
    out[:, F["ends_sentence"]] = ends_sentence
    out[:, F["ends_period"]] = last_period
    out[:, F["ends_colon"]] = last_colon
    out[:, F["sentence_breaks"]] = np.minimum(n_breaks, 5) / 5.0
    out[:, F["caps_share"]] = caps
    out[:, F["caps_share_long"]] = caps * (nw > 3)
    out[:, F["stop_share"]] = flags[:, 12] / nwf
    out[:, F["comma_density"]] = np.minimum(commas / nwf, 1.0)
    out[:, F["digit_share"]] = digits / lengths
    out[:, F["all_caps"]] = (cap_words >= 1) & (low_words == 0) & (lengths > 3)
    out[:, F["bullet_first"]] = _IS_BULLET[first]
    out[:, F["nav_marks"]] = nav > 0
    out[:, F["chars_per_word"]] = np.minimum(lengths / nwf, 15.0) / 15.0
    position = np.arange(n) / max(n - 1, 1)
    out[:, F["position"]] = position
    out[:, F["position_sq"]] = position * position
    out[:, F["ellipsis_end"]] = ellipsis
    out[:, F["quote_share"]] = np.minimum(quotes / nwf, 1.0)
    out[:, F["repeated_in_page"]] = repeated
    out[:, F["first_lower"]] = (_TABLE[first] & _LOW) > 0
    out[:, F["log_page_lines"]] = np.log1p(n) / 8.0
    out[:, _FLAG_COLUMNS] = flags[:, :12]
    return out


# the columns of page_features filled from _flags, in the order of its output
_FLAG_COLUMNS = [
    F[name]
    for name in (
        "chrome_line",
        "chrome_phrase",
        "timestamp",
        "read_more",
        "tags",
        "byline",
        "chrome_prefix",
        "news_dateline",
        "related_header",
        "section_name",
        "list_item",
        "urlish",
    )
]


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


# --- stages two and three: the line in its page ----------------------------------------------


def main_block(scores: np.ndarray, sizes: np.ndarray) -> tuple[int, int]:
    """The run of lines with the largest sum of (score - 0.5) * size: where the body sits."""
    gains = np.concatenate([[0.0], np.cumsum((scores - 0.5) * sizes)])
    lowest_before = np.minimum.accumulate(gains[:-1])
    best_end = int(np.argmax(gains[1:] - lowest_before))
    start = int(np.argmin(gains[: best_end + 1]))
    return start, best_end


def _runs(flag: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each line: the id of its run of equal ``flag`` values, and that run's length."""
    change = np.empty(len(flag), dtype=bool)
    change[0] = True
    change[1:] = flag[1:] != flag[:-1]
    run_id = np.cumsum(change) - 1
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


def context_features(p: np.ndarray, feats: np.ndarray) -> np.ndarray:
    """Features of each line's place in the page, given every line's body score ``p``."""
    n = len(p)
    sizes = feats[:, F["log_words"]]
    ends = feats[:, F["ends_sentence"]]
    words = np.expm1(sizes)
    padded = np.concatenate([np.zeros(8), p, np.zeros(8)])
    counts = np.concatenate([np.zeros(8), np.ones(n), np.zeros(8)])
    cum_p = np.concatenate([[0.0], np.cumsum(padded)])
    cum_c = np.concatenate([[0.0], np.cumsum(counts)])
    pad_ends = np.concatenate([[0.0] * 8, ends, [0.0] * 8])
    cum_e = np.concatenate([[0.0], np.cumsum(pad_ends)])
    centre = np.arange(n) + 8

    def window(cum: np.ndarray, r: int) -> np.ndarray:
        return (cum[centre + r + 1] - cum[centre - r]) / (cum_c[centre + r + 1] - cum_c[centre - r])

    def shifted(a: np.ndarray, k: int) -> np.ndarray:
        out = np.zeros(n)
        if k < 0:
            out[-k:] = a[:k]
        else:
            out[: n - k] = a[k:]
        return out

    start, end = main_block(p, sizes)
    idx = np.arange(n)
    in_main = (idx >= start) & (idx <= end)
    # blocks: runs of lines on the same side of 0.5
    run_id, run_lines = _runs(p >= 0.5)
    run_words = np.bincount(run_id, weights=words)[run_id]
    run_ends = np.bincount(run_id, weights=ends)[run_id]
    run_p = np.bincount(run_id, weights=p)[run_id]
    # a run of headline-shaped lines (a few words, no closing stop): menus and teaser lists
    headline = (words >= 2) & (words <= 16) & (ends == 0)
    _, h_len = _runs(headline)
    _, list_len = _runs(feats[:, F["list_item"]] > 0)
    main_words = words[start : end + 1].sum()
    main_sentences = ends[start : end + 1].mean()
    return np.column_stack(
        [
            p,
            shifted(p, -1),
            shifted(p, 1),
            shifted(p, -2),
            shifted(p, 2),
            np.maximum(shifted(p, -1), shifted(p, 1)),
            window(cum_p, 3),
            window(cum_p, 8),
            in_main,
            np.log1p(np.maximum(start - idx, 0)),
            np.log1p(np.maximum(idx - end, 0)),
            (idx == start) | (idx == end),
            shifted(sizes, -1),
            shifted(sizes, 1),
            np.log1p(run_words),
            np.log1p(run_lines),
            run_ends / run_lines,
            run_p / run_lines,
            np.log1p(h_len * headline),
            np.log1p(list_len * (feats[:, F["list_item"]] > 0)),
            window(cum_e, 3),
            shifted(ends, -1),
            shifted(ends, 1),
            np.full(n, main_words / max(words.sum(), 1.0)),
            np.full(n, p.mean()),
            np.full(n, (p >= 0.5).mean()),
            words / max(words.max(), 1.0),
            np.full(n, main_sentences),
        ]
    )


def stage_rows(feats: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The rows stages two and three score: line features and the context of ``p``."""
    return np.hstack([feats, context_features(p, feats)])


def scores(feats: np.ndarray, keep: np.ndarray | None = None, m: Model | None = None) -> np.ndarray:
    """Each line's chance of being body, through all three stages (``keep``: 1 - repeat share)."""
    m = m or model()
    p = sigmoid(feats @ m.stage1)
    for trees in (m.stage2, m.stage3):
        if keep is not None:
            p = p * keep
        if len(trees.feature):
            p = sigmoid(trees.margin(stage_rows(feats, p)))
    if keep is not None:
        p = p * keep
    return p
