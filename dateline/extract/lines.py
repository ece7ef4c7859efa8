"""Label each line of a page saved as text: the article's body, or which kind of chrome.

A text dump mixes the article with everything else a page shows. :func:`label_lines` tags
every non-empty line with one of :data:`LABELS`:

    body       a paragraph (or subheading, list item) of the article
    title      the article's headline
    section    the site section it is filed under ("Asia & Pacific")
    timestamp  a line that states when it was published or updated
    tags       the list of topics ("talks, meeting, diplomacy, ...", "Tags: ...")
    read_more  an in-text link to another article ("READ MORE: ...", "See also: ...")
    related    a headline of another article, listed after the body
    chrome     anything else: menus, share buttons, cookie banners, footers, captions

How: a two-stage logistic model (weights in ``dateline/data/line_model.json``, trained by
:mod:`dateline.extract.line_training`) scores each line's chance of being body, first from
the line alone (length, words, punctuation, capitals, stopwords, chrome vocabulary, date
shape), then again with its neighbours' scores and its place relative to the densest block
of body-like lines. Lines that are not body are then sorted into the other labels by shape
and position (a headline just above the body is the title, headlines below it are related).
When many pages of one site go through, :class:`SiteLineCounts` remembers how often each
line recurs: a line repeated on most pages is chrome, however long it is.

    >>> page = ("Home\\nWorld\\nThe minister said on Monday that the talks would resume in Geneva next week, "
    ...         "after a pause of almost a year.\\nShare this")
    >>> [line.label for line in label_lines(page, kind="page")]
    ['chrome', 'section', 'body', 'chrome']
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from dateline.extract.normalize import _INVISIBLE, _ODD_SPACES, normalize_line

LABELS = ("body", "title", "section", "timestamp", "tags", "read_more", "related", "chrome")
KINDS = ("auto", "page", "article")


@dataclass
class LabelledLine:
    """One non-empty input line, normalised, with its label and the labeller's confidence."""

    text: str
    label: str
    score: float
    index: int


# --- vocabulary and model ------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Model:
    stage1: np.ndarray
    stage2: np.ndarray
    threshold: float
    chrome_lines: frozenset[str]
    chrome_words: frozenset[str]
    chrome_firsts: frozenset[str]
    chrome_multi: tuple[str, ...]
    chrome_symbols: tuple[str, ...]
    section_words: frozenset[str]
    stopwords: frozenset[str]
    related_headers: frozenset[str]


def _alternation(phrases: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(p) for p in phrases), key=len, reverse=True))


@cache
def _model() -> _Model:
    raw = json.loads(resources.files("dateline").joinpath("data/line_model.json").read_text(encoding="utf-8"))
    vocab = raw["vocabulary"]
    return _Model(
        stage1=np.array(raw["stage1"]["weights"], dtype=float),
        stage2=np.array(raw["stage2"]["weights"], dtype=float),
        threshold=float(raw.get("threshold", 0.5)),
        chrome_lines=frozenset(_key(x) for x in vocab["chrome_lines"]),
        chrome_words=frozenset(k for k in (_key(p) for p in vocab["chrome_phrases"]) if k and " " not in k),
        chrome_firsts=frozenset(k.split()[0] for k in (_key(p) for p in vocab["chrome_phrases"]) if " " in k),
        chrome_multi=tuple(f" {k} " for k in (_key(p) for p in vocab["chrome_phrases"]) if " " in k),
        chrome_symbols=tuple(vocab["chrome_symbols"]),
        section_words=frozenset(w.lower() for w in vocab["section_words"]),
        stopwords=frozenset(w.lower() for w in vocab["stopwords"]),
        related_headers=frozenset(_key(x) for x in vocab["related_headers"]),
    )


_NON_WORD = re.compile(r"[\W_]+")
_NON_WORD_KEEP_LINES = re.compile(r"[^\w\n]+|_+")


def _key(line: str) -> str:
    """A line reduced to lower-case words, for vocabulary look-ups."""
    return _NON_WORD.sub(" ", line.lower()).strip()


def _has_chrome_phrase(key: str, model: _Model, text: str) -> bool:
    """True when the line (as its :func:`_key`) holds a chrome phrase or symbol."""
    words = key.split()
    if not model.chrome_words.isdisjoint(words):
        return True
    if not model.chrome_firsts.isdisjoint(words):
        padded = f" {key} "
        if any(p in padded for p in model.chrome_multi):
            return True
    return any(c in text for c in model.chrome_symbols)


# --- shapes ----------------------------------------------------------------------------------

_MONTHS = (
    "jan(?:uary|vier|uar|eiro)?|feb(?:ruary|ruar|rero)?|f[ée]v(?:rier)?|mar(?:ch|s|zo|ço)?|m[äa]rz|"
    "apr(?:il|ile)?|avr(?:il)?|abr(?:il)?|may|mai|mayo|maggio|jun(?:e|i|io)?|juin|jul(?:y|i|io)?|juil(?:let)?|"
    "aug(?:ust)?|ao[uû]t|ago(?:sto)?|sep(?:t|tember|tembre|tiembre)?|set(?:tembre)?|oct(?:ober|obre|ubre)?|"
    "okt(?:ober)?|ott(?:obre)?|nov(?:ember|embre)?|dec(?:ember)?|d[ée]c(?:embre)?|dez(?:ember)?|dic(?:iembre)?"
)
_DATE = re.compile(
    rf"(?<!\d)\d{{1,2}}(?:st|nd|rd|th)?\.?\s*(?:{_MONTHS})\.?,?\s+\d{{4}}"  # 01 March 2021, 19. Oktober 2019
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # March 1, 2021
    r"|(?<!\d)\d{4}-\d{2}-\d{2}"  # 2021-03-01
    r"|(?<!\d)\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})(?!\d)"  # 01.03.2021, 3/1/21
    r"|(?<!\d)\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|uhr|h|gmt|utc|[a-z]{2,4}t)?(?![\d:])"  # 16:48, 4:30 pm
    r"|\b\d+\s+(?:minutes?|hours?|days?|weeks?)\s+ago\b",
    re.I,
)
_TIMESTAMP_WORDS = re.compile(
    r"^(?:published|posted|updated|last updated|modified|date|dated|on|am|le|el|il|publié|veröffentlicht|"
    r"aktualisiert|stand|mis à jour|gmt|utc|uhr|at|by|von|par|\W)+$",
    re.I,
)
_READ_MORE = re.compile(
    r"^(?:read more|read also|also read|see also|related|related story|related article|more|more on this|"
    r"more from|watch|listen|lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant|à lire aussi|"
    r"lire aussi|voir aussi|leggi anche|lee también|ver también)\s*[:»›\-–—|>]+\s*(?=\w)",
    re.I,
)
_TAGS_PREFIX = re.compile(
    r"^(?:tags?|topics?|keywords?|filed under|themen|schlagworte|schlagwörter|stichworte|mots[- ]clés|"
    r"étiquettes|etiquetas|temas|argomenti)\s*[:»›\-–—|]\s*",
    re.I,
)
_TAG_SPLIT = re.compile(r"\s*[,;|•·]\s*|\s+#(?=\w)|^#")
_SENTENCE_END = frozenset('.!?…:;"”’»)')
_BREAKS = re.compile(r"[.!?…][\"”’»)]?\s+(?=[A-ZÀ-Þ\"“‘«(])")
_DIGITS = re.compile(r"\d")
_BULLET = frozenset("•·-–—*►▶»›■□◦‣+>")
_NAV_MARKS = re.compile(r"\s[|»›/>]\s|\s·\s")
_URLISH = re.compile(r"https?://|www\.|\S+@\S+\.\w|\.(?:com|org|net|de|html?)\b", re.I)
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|af)\s+[A-ZÀ-Þ]", re.I)


def has_timestamp_shape(line: str) -> bool:
    """True when ``line`` looks like a publication stamp: a date or time and little else.

    >>> has_timestamp_shape("16:48 GMT01 March 2021"), has_timestamp_shape("Updated March 1, 2021 at 4:30 pm")
    (True, True)
    >>> has_timestamp_shape("On March 1, 2021 the minister resigned after a long dispute with the board.")
    False
    """
    if len(line) > 90:
        return False
    match = _DATE.search(line)
    if match is None:
        return False
    rest = _DATE.sub(" ", line)
    rest = _BYLINE_NAME.sub(" ", rest)
    words = [w for w in _NON_WORD.split(rest) if w]
    return len(words) <= 4 or bool(_TIMESTAMP_WORDS.match(rest))


_BYLINE_NAME = re.compile(r"\b(?:by|von|par|por)\s+(?:[A-ZÀ-Þ][\w'’.-]*\s*){1,3}", re.I)


def strip_read_more(line: str) -> str:
    """The linked headline of an in-text link line, its "READ MORE:" prefix removed.

    >>> strip_read_more("READ MORE: First Day of G7: US Tariffs Dominated Agenda")
    'First Day of G7: US Tariffs Dominated Agenda'
    """
    line = normalize_line(line)
    return _READ_MORE.sub("", line, count=1).strip()


def is_read_more(line: str) -> bool:
    """True for an in-text link line: "READ MORE: ...", "See also: ...", "Related: ..."."""
    return bool(_READ_MORE.match(line)) and len(line) < 250


def split_tags(line: str) -> list[str]:
    """The tags of a tag-list line, prefix ("Tags:") removed, in order, duplicates dropped.

    >>> split_tags("Tags: talks, meeting, two Koreas, Kim Jong-un")
    ['talks', 'meeting', 'two Koreas', 'Kim Jong-un']
    """
    line = _TAGS_PREFIX.sub("", normalize_line(line), count=1)
    seen: dict[str, None] = {}
    for part in _TAG_SPLIT.split(line):
        part = part.strip(" .#")
        if part and part.lower() not in (k.lower() for k in seen):
            seen[part] = None
    return list(seen)


def is_tag_list(line: str) -> bool:
    """True for a line that is a list of topics rather than prose."""
    if _TAGS_PREFIX.match(line):
        return len(line) < 600
    if line[-1:] in ".!?" or _BREAKS.search(line):
        return False
    parts = [p for p in _TAG_SPLIT.split(line) if p.strip()]
    if len(parts) < 4:
        return False
    lengths = [len(p.split()) for p in parts]
    if max(lengths) > 6 or sum(lengths) / len(parts) > 3.2:
        return False
    stop = _model().stopwords
    # prose clauses between commas carry function words; topic names rarely do
    with_stop = sum(1 for p in parts if len(p.split()) > 1 and any(w.lower() in stop for w in p.split()[:-1]))
    return with_stop <= len(parts) // 4


# --- site repetition -----------------------------------------------------------------------


class SiteLineCounts:
    """How many pages of one site each line occurs on, in bounded memory.

    Lines are hashed into a fixed table (a collision only makes a line look a little more
    repeated), so memory stays ``4 * buckets`` bytes whatever the number of pages.

        >>> counts = SiteLineCounts()
        >>> for page in (["Home", "Story one."], ["Home", "Story two."], ["Home", "Story three."]):
        ...     counts.add_page(page)
        >>> counts.count("Home"), counts.count("Story two."), counts.pages
        (3, 1, 3)
    """

    def __init__(self, buckets: int = 1 << 18) -> None:
        self._buckets = buckets
        self._table = array("I", bytes(4 * buckets))
        self._pages = 0

    def _slot(self, line: str) -> int:
        return zlib.crc32(_key(line).encode("utf-8")) % self._buckets

    def add_page(self, lines: Iterable[str] | str) -> None:
        """Count one page (its text, or its lines); a line repeated within the page counts once."""
        if isinstance(lines, str):
            lines = lines.splitlines()
        slots = {self._slot(line) for line in lines if line.strip()}
        for slot in slots:
            if self._table[slot] < 0xFFFFFFFF:
                self._table[slot] += 1
        self._pages += 1

    def count(self, line: str) -> int:
        """On how many of the pages seen ``line`` occurs (0 for an empty line)."""
        return self._table[self._slot(line)] if line.strip() else 0

    @property
    def pages(self) -> int:
        return self._pages


def _repeat_share(site_counts: SiteLineCounts | None, line: str) -> float:
    """Share of the site's other pages that also carry ``line`` (0 when too few pages)."""
    if site_counts is None or site_counts.pages < 3:
        return 0.0
    others = site_counts.pages - 1
    return max(0.0, min(1.0, (site_counts.count(line) - 1) / others))


# --- features ------------------------------------------------------------------------------
#
# Features are computed a page at a time: character classes are counted over the whole page
# with numpy (one pass in C, summed per line with ``reduceat``), and only the vocabulary and
# shape checks loop over lines in Python, each gated by a cheap test. This keeps the
# labeller near a few microseconds a line.

_WORD_BINS = np.array([1, 2, 3, 5, 9, 19, 39])  # upper bounds; a last bin takes the rest
_ENDS_SENTENCE = np.array([ord(c) for c in '.!?…;"”’»)'], dtype=np.uint32)
_BULLETS = np.array([ord(c) for c in _BULLET], dtype=np.uint32)
_NAV = np.array([ord(c) for c in "|»›"], dtype=np.uint32)
N_STAGE1 = 33
N_STAGE2 = N_STAGE1 + 14


def _upper(a: np.ndarray) -> np.ndarray:
    return ((a >= 65) & (a <= 90)) | ((a >= 192) & (a <= 222) & (a != 215)) | ((a >= 0x410) & (a <= 0x42F))


def _lower(a: np.ndarray) -> np.ndarray:
    return ((a >= 97) & (a <= 122)) | ((a >= 223) & (a <= 255) & (a != 247)) | ((a >= 0x430) & (a <= 0x44F))


def page_features(texts: Sequence[str], model: _Model | None = None) -> np.ndarray:
    """Stage-one features of a page's normalised, non-empty lines: one row a line."""
    m = model or _model()
    n = len(texts)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    joined = "\n".join(texts)
    chars = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    ends = starts + lengths - 1
    prev = np.empty_like(chars)
    prev[0] = 32
    prev[1:] = chars[:-1]
    after_space = (prev == 32) | (prev == 10)
    upper, lower = _upper(chars), _lower(chars)
    digit = (chars >= 48) & (chars <= 57)
    nxt2 = np.full_like(chars, 32)
    nxt2[:-2] = chars[2:]
    nxt1 = np.full_like(chars, 10)
    nxt1[:-1] = chars[1:]
    breaks = np.isin(chars, _ENDS_SENTENCE[:4]) & (nxt1 == 32) & _upper(nxt2)
    stacked = np.stack(
        [
            upper & after_space,
            lower & after_space,
            digit,
            chars == 44,
            breaks,
            np.isin(chars, _NAV),
        ]
    ).astype(np.int32)
    sums = np.add.reduceat(stacked, starts, axis=1).astype(float)
    cap_words, low_words, digits, commas, n_breaks, nav = sums
    last = chars[ends]
    first = chars[starts]

    nw = np.empty(n)
    stop = np.empty(n)
    flags = np.zeros((n, 7))
    stopwords, chrome_lines = m.stopwords, m.chrome_lines
    keys = _NON_WORD_KEEP_LINES.sub(" ", joined.lower()).split("\n")
    for i, t in enumerate(texts):
        low = t.lower()
        words = low.split()
        k = len(words)
        nw[i] = k
        stop[i] = len(stopwords.intersection(words))
        if k <= 40:
            key = keys[i].strip()
            if k <= 8 and key in chrome_lines:
                flags[i, 0] = 1.0
            if _has_chrome_phrase(key, m, t):
                flags[i, 1] = 1.0
            if k <= 14 and digits[i] and has_timestamp_shape(t):
                flags[i, 2] = 1.0
            if k >= 3 and _READ_MORE.match(t):
                flags[i, 3] = 1.0
            if k >= 4 and (commas[i] >= 3 or "|" in t or "#" in t or ":" in t) and is_tag_list(t):
                flags[i, 4] = 1.0
            if k <= 8 and _BYLINE.match(t):
                flags[i, 5] = 1.0
        if "http" in low or "www." in low or "@" in t:
            flags[i, 6] = 1.0
    alpha = np.maximum(cap_words + low_words, 1.0)
    caps = cap_words / alpha
    bins = np.zeros((n, len(_WORD_BINS) + 1))
    bins[np.arange(n), np.searchsorted(_WORD_BINS, nw)] = 1.0
    position = np.arange(n) / max(n - 1, 1)
    ends_sentence = np.isin(last, _ENDS_SENTENCE) | ((last == 58) & (nw >= 6))
    return np.column_stack(
        [
            np.ones(n),
            np.log1p(nw),
            np.log1p(lengths),
            bins,
            ends_sentence,
            last == 46,
            last == 58,
            np.minimum(n_breaks, 5) / 5.0,
            caps,
            caps * (nw > 3),
            stop / np.maximum(nw, 1),
            np.minimum(commas / np.maximum(nw, 1), 1.0),
            digits / lengths,
            (cap_words >= 1) & (low_words == 0) & (lengths > 3),
            np.isin(first, _BULLETS),
            nav > 0,
            flags[:, 6],
            flags[:, 0],
            flags[:, 1],
            flags[:, 2],
            flags[:, 3],
            flags[:, 4],
            flags[:, 5],
            np.minimum(lengths / np.maximum(nw, 1), 15.0) / 15.0,
            position,
            position * position,
        ]
    )


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


def main_block(scores: np.ndarray, sizes: np.ndarray) -> tuple[int, int]:
    """The run of lines with the largest sum of (score - 0.5) * size: where the body sits."""
    gains = np.concatenate([[0.0], np.cumsum((scores - 0.5) * sizes)])
    lowest_before = np.minimum.accumulate(gains[:-1])
    best_end = int(np.argmax(gains[1:] - lowest_before))
    start = int(np.argmin(gains[: best_end + 1]))
    return start, best_end


def context_features(p1: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Stage-two features: the neighbours' stage-one scores and the place of the main block."""
    n = len(p1)
    padded = np.concatenate([np.zeros(8), p1, np.zeros(8)])
    counts = np.concatenate([np.zeros(8), np.ones(n), np.zeros(8)])

    def shifted(k: int) -> np.ndarray:
        return padded[8 + k : 8 + k + n]

    def window(r: int) -> np.ndarray:
        kernel = np.ones(2 * r + 1)
        total = np.convolve(padded, kernel, mode="same")[8 : 8 + n]
        seen = np.convolve(counts, kernel, mode="same")[8 : 8 + n]
        return total / seen

    start, end = main_block(p1, sizes)
    idx = np.arange(n)
    log_sizes = np.concatenate([[0.0], sizes, [0.0]])
    return np.column_stack(
        [
            p1,
            shifted(-1),
            shifted(1),
            shifted(-2),
            shifted(2),
            np.maximum(shifted(-1), shifted(1)),
            window(3),
            window(8),
            (idx >= start) & (idx <= end),
            np.log1p(np.maximum(start - idx, 0)),
            np.log1p(np.maximum(idx - end, 0)),
            (idx == start) | (idx == end),
            log_sizes[:-2],
            log_sizes[2:],
        ]
    )


def body_scores(texts: Sequence[str], repeat: Sequence[float] | None = None) -> list[float]:
    """Each line's chance of being article body (``repeat``: its share of other pages of the site)."""
    if not texts:
        return []
    return _scores(texts, repeat)[0].tolist()


def _scores(texts: Sequence[str], repeat: Sequence[float] | None) -> tuple[np.ndarray, np.ndarray]:
    model = _model()
    feats = page_features(texts, model)
    p1 = _sigmoid(feats @ model.stage1)
    keep = None if repeat is None else 1.0 - np.asarray(repeat, dtype=float)
    if keep is not None:
        p1 = p1 * keep
    sizes = feats[:, 1]
    p2 = _sigmoid(np.hstack([feats, context_features(p1, sizes)]) @ model.stage2)
    if keep is not None:
        p2 = p2 * keep
    return p2, feats


_ODD = re.compile("[" + _ODD_SPACES + "\t]")
_GONE = re.compile("[" + _INVISIBLE + "\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BREAK = re.compile("\r\n?|[\u2028\u2029\x85]")


def _normalized_lines(text: str) -> list[str]:
    """``normalize_line`` of every line of ``text``, done for the whole text at once.

    The same result as ``[normalize_line(x) for x in text.splitlines()]`` (a test holds
    the two together), several times faster: regexes skip the plain characters that a
    per-character table lookup would visit one by one.
    """
    text = _BREAK.sub("\n", text)
    text = _GONE.sub("", _ODD.sub(" ", text))
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return [" ".join(line.split()) for line in text.split("\n")]


# --- clean articles ------------------------------------------------------------------------


def is_clean_article(text: str) -> bool:
    """True when ``text`` reads as an article alone, with no page chrome around it.

    Such a text keeps every line as body under ``kind="auto"``: its short subheadings too.

    >>> is_clean_article("Talks resume\\n\\nThe two sides met on Monday in Geneva for the first time in a year.\\n\\n"
    ...                  "Background\\n\\nThe talks broke down in 2020 after a dispute over the agenda and the venue.")
    True
    >>> is_clean_article("Home\\nWorld\\nSport\\nThe two sides met on Monday in Geneva for the first time in a year.")
    False
    """
    m = _model()
    lines = [x for x in _normalized_lines(text) if x]
    if not lines:
        return True
    long_lines = 0
    short_run = 0
    short_lines = 0
    for i, line in enumerate(lines):
        words = line.split()
        nw = len(words)
        key = _key(line)
        if key in m.chrome_lines or key in m.related_headers:
            return False
        if nw <= 8 and _has_chrome_phrase(key, m, line):
            return False
        if is_read_more(line) or _TAGS_PREFIX.match(line) or (nw >= 4 and nw <= 40 and is_tag_list(line)):
            return False
        if nw <= 14 and has_timestamp_shape(line) and i > 1:
            return False
        if _NAV_MARKS.search(line) and nw <= 12:
            return False
        if nw >= 12 and line[-1] in _SENTENCE_END:
            long_lines += 1
            short_run = 0
        elif nw < 8 and line[-1] not in _SENTENCE_END:
            short_lines += 1
            short_run += 1
            if short_run >= 3:
                return False
        else:
            short_run = 0
    return long_lines > 0 and short_lines <= max(2, len(lines) // 3)


# --- labelling -----------------------------------------------------------------------------


def _headline_shape(text: str, model: _Model) -> bool:
    words = text.split()
    if not 3 <= len(words) <= 30 or len(text) > 250:
        return False
    if text[-1] == "." and not text.endswith("..."):
        return False
    key = _key(text)
    if key in model.chrome_lines or _has_chrome_phrase(key, model, text):
        return False
    return not _URLISH.search(text)


def _is_section(text: str, model: _Model) -> bool:
    if len(text) > 40:
        return False
    words = [w for w in _key(text).split() if w not in ("and", "und", "et", "y", "e")]
    return 0 < len(words) <= 4 and len(text) <= 40 and all(w in model.section_words for w in words)


def label_lines(text: str, *, kind: str = "auto", site_counts: SiteLineCounts | None = None) -> list[LabelledLine]:
    """Label every non-empty line of ``text`` (see the module docstring for the labels).

    ``kind``: ``"page"`` runs the labeller; ``"article"`` keeps every line as body;
    ``"auto"`` keeps every line when :func:`is_clean_article` says the text is a clean
    article, and runs the labeller otherwise. ``site_counts``, when given, holds the
    other pages of the same site: lines most of them repeat are not body.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    raw = [(i, t) for i, t in enumerate(_normalized_lines(text)) if t]
    if not raw:
        return []
    if kind == "article" or (kind == "auto" and is_clean_article(text)):
        return [LabelledLine(t, "body", 1.0, i) for i, t in raw]
    model = _model()
    texts = [t for _, t in raw]
    repeat = [_repeat_share(site_counts, t) for t in texts] if site_counts is not None else None
    scores, feats = _scores(texts, repeat)
    labels = _assign_labels(texts, scores.tolist(), feats, model)
    confidence = np.round(scores, 4).tolist()
    doubt = np.round(np.maximum(1.0 - scores, 0.5), 4).tolist()
    return [
        LabelledLine(
            t, label, confidence[k] if label == "body" else max(doubt[k], _SHAPE_CONFIDENCE.get(label, 0)), index
        )
        for k, ((index, t), label) in enumerate(zip(raw, labels, strict=True))
    ]


_LOG1P_8, _LOG1P_60 = math.log1p(8), math.log1p(60)
# what no article paragraph says: cookie banners, copyright lines, script warnings
_STRONG_CHROME = re.compile(
    r"\bcookies?\b|all rights reserved|alle rechte vorbehalten|tous droits réservés|©|\bjavascript\b", re.I
)
# labels given by a line's own shape are surer than the body model's doubt alone says
_SHAPE_CONFIDENCE = {"read_more": 0.95, "tags": 0.9, "timestamp": 0.9}
# columns of page_features read again when labelling
_F_ENDS_SENTENCE, _F_CAPS = 11, 15
_F_CHROME_LINE, _F_TIMESTAMP, _F_READ_MORE, _F_TAGS = 24, 26, 27, 28


def _assign_labels(texts: Sequence[str], scores: Sequence[float], feats: np.ndarray, model: _Model) -> list[str]:
    n = len(texts)
    threshold = model.threshold
    labels = ["body" if s >= threshold else "chrome" for s in scores]
    # lines whose shape says what they are, wherever they sit
    shaped = feats[:, [_F_CHROME_LINE, _F_TIMESTAMP, _F_READ_MORE, _F_TAGS]]
    for i in np.flatnonzero(shaped.any(axis=1)).tolist():
        chrome_line, timestamp, read_more, tags = shaped[i]
        if read_more:
            labels[i] = "read_more"
        elif tags and (labels[i] != "body" or _TAGS_PREFIX.match(texts[i])):
            labels[i] = "tags"
        elif timestamp and (labels[i] != "body" or feats[i, 1] <= _LOG1P_8):
            labels[i] = "timestamp"
        elif chrome_line:
            labels[i] = "chrome"
    for i, label in enumerate(labels):
        if label == "body" and feats[i, 1] <= _LOG1P_60 and _STRONG_CHROME.search(texts[i]):
            labels[i] = "chrome"
    body = [i for i, label in enumerate(labels) if label == "body"]
    if not body:
        return labels
    words = np.expm1(feats[:, 1])
    # below the last paragraph of prose, title-cased headlines and topic lists are not body
    is_body = np.fromiter((label == "body" for label in labels), dtype=bool, count=n)
    prose = np.flatnonzero(is_body & (feats[:, _F_ENDS_SENTENCE] > 0) & (words >= 10) & (feats[:, _F_CAPS] < 0.6))
    if len(prose):
        for i in range(int(prose[-1]) + 1, n):
            if labels[i] != "body":
                continue
            if feats[i, _F_TAGS]:
                labels[i] = "tags"
            elif feats[i, _F_CAPS] >= 0.6 and words[i] >= 4 and _headline_shape(texts[i], model):
                labels[i] = "related"
        # above the first paragraph of prose, section names are navigation, not body
        for i in range(int(prose[0])):
            if labels[i] == "body" and words[i] <= 4 and _is_section(texts[i], model):
                labels[i] = "chrome"
        body = [i for i, label in enumerate(labels) if label == "body"]
    first, last = body[0], body[-1]
    # the headline: the nearest headline-shaped line above the body, or the body's first line
    # when it reads as a headline (no closing stop) and prose follows it
    titled = False
    for i in range(first - 1, max(-1, first - 6), -1):
        if labels[i] == "chrome" and _headline_shape(texts[i], model) and not _is_section(texts[i], model):
            labels[i], titled = "title", True
            break
    if not titled and len(body) > 1 and 4 <= words[first] <= 20 and not feats[first, _F_ENDS_SENTENCE]:
        following = body[1]
        if words[following] >= 15 and feats[following, _F_ENDS_SENTENCE] and _headline_shape(texts[first], model):
            labels[first] = "title"
            first = following
    # the section: a section name above the body
    for i in range(first - 1, -1, -1):
        if labels[i] == "chrome" and _is_section(texts[i], model):
            labels[i] = "section"
            break
    # related headlines: headline-shaped lines after the body, or after a "Related" header
    in_related = False
    for i in range(last + 1, n):
        if len(texts[i]) < 60 and _key(texts[i]) in model.related_headers:
            in_related = True
            continue
        if labels[i] != "chrome":
            continue
        t = texts[i]
        if (in_related or i - last <= 12) and len(t.split()) >= 4 and _headline_shape(t, model):
            labels[i] = "related"
    return labels


def labelled_text(lines: Iterable[LabelledLine], label: str = "body") -> str:
    """The text of the lines with ``label``, one a line."""
    return "\n".join(line.text for line in lines if line.label == label)
