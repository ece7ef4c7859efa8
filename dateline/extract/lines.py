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
    chrome     anything else: menus, share buttons, cookie banners, footers, captions, bylines

How: a two-stage model (weights in ``dateline/data/line_model.json``, trained by
:mod:`dateline.extract.line_training`; features in :mod:`dateline.extract.line_features`)
scores each line's chance of being body, first from the line alone (length, words,
punctuation, capitals, stopwords, chrome vocabulary, the learned weights of its words,
date and list shapes), then again with its neighbours' scores, its block's statistics and
its place relative to the densest block of body-like lines. Lines that are not body are then sorted into the other
labels by shape and position (a headline just above the body is the title, headlines
below it are related). When many pages of one site go through, :class:`SiteLineCounts`
remembers how often each line recurs: a line repeated on most pages is chrome, however
long it is.

    >>> page = ("Home\\nWorld\\nThe minister said on Monday that the talks would resume in Geneva next week, "
    ...         "after a pause of almost a year.\\nShare this")
    >>> [line.label for line in label_lines(page, kind="page")]
    ['chrome', 'section', 'body', 'chrome']
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from dateline.extract.line_features import (
    BREAKS,
    DATE,
    NAV_MARKS,
    READ_MORE,
    SENTENCE_END,
    TAG_SPLIT,
    TAGS_PREFIX,
    F,
    _linescan,
    compiled,
    context_features,
    has_timestamp_shape,
    is_read_more,
    is_tag_list,
    key_of,
    main_block,
    model,
    page_features,
    scores,
)
from dateline.extract.normalize import _INVISIBLE, _ODD_SPACES, _RUNS_OF_SPACES, normalize_line

__all__ = [
    "KINDS",
    "LABELS",
    "LabelledLine",
    "SiteLineCounts",
    "body_scores",
    "context_features",
    "has_timestamp_shape",
    "is_clean_article",
    "is_read_more",
    "is_tag_list",
    "label_lines",
    "labelled_text",
    "main_block",
    "page_features",
    "split_tags",
    "strip_read_more",
]

LABELS = ("body", "title", "section", "timestamp", "tags", "read_more", "related", "chrome")
KINDS = ("auto", "page", "article")
# kept for callers that matched dates or sentence breaks with the labeller's own patterns
_DATE, _BREAKS = DATE, BREAKS


@dataclass(slots=True)
class LabelledLine:
    """One non-empty input line, normalised, with its label and the labeller's confidence."""

    text: str
    label: str
    score: float
    index: int


def strip_read_more(line: str) -> str:
    """The linked headline of an in-text link line, its "READ MORE:" prefix removed.

    >>> strip_read_more("READ MORE: First Day of G7: US Tariffs Dominated Agenda")
    'First Day of G7: US Tariffs Dominated Agenda'
    """
    line = normalize_line(line)
    return READ_MORE.sub("", line, count=1).strip()


def split_tags(line: str) -> list[str]:
    """The tags of a tag-list line, prefix ("Tags:") removed, in order, duplicates dropped.

    >>> split_tags("Tags: talks, meeting, two Koreas, Kim Jong-un")
    ['talks', 'meeting', 'two Koreas', 'Kim Jong-un']
    """
    line = TAGS_PREFIX.sub("", normalize_line(line), count=1)
    seen: dict[str, None] = {}
    for part in TAG_SPLIT.split(line):
        part = part.strip(" .#")
        if part and part.lower() not in (k.lower() for k in seen):
            seen[part] = None
    return list(seen)


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
        return zlib.crc32(key_of(line).encode("utf-8")) % self._buckets

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


# --- normalisation -------------------------------------------------------------------------

_ODD = re.compile("[" + _ODD_SPACES + "\t]")
_GONE = re.compile("[" + _INVISIBLE + "\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BREAK = re.compile("\r\n?|[\u2028\u2029\x85]")
# every character the three patterns above change, looked up in one table over the BMP
_CHANGED = np.zeros(0x10000, dtype=bool)
_CHANGED[[ord(c) for c in "\r\u2028\u2029\x85\t" + _ODD_SPACES + _INVISIBLE + "\x7f"]] = True
_CHANGED[[*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]] = True
_EDGE_SPACES = re.compile(" \n ?|\n ")


_CHANGED_BYTES = _CHANGED.astype(np.uint8).tobytes()
_CHANGES, _LOOSE_SPACES, _NOT_ASCII = 1, 2, 4


def _text_shape(text: str) -> int:
    """What normalisation must do to ``text``, as flags: ``_CHANGES`` (a character it
    replaces or drops), ``_LOOSE_SPACES`` (a space next to a space or a newline),
    ``_NOT_ASCII``. In one compiled pass where it is built, else with numpy."""
    if compiled():
        return _linescan.text_shape(text, _CHANGED_BYTES)
    return _text_shape_numpy(text)


def _text_shape_numpy(text: str) -> int:
    """:func:`_text_shape` with numpy (the reference for the compiled pass)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    # only control characters, DEL and non-ASCII characters can need a change
    odd = codes[(codes - 0x20) >= 0x5F]
    flags = 0
    if len(odd) and _CHANGED[np.minimum(odd, 0xFFFF)].any():
        flags |= _CHANGES
    if not text.isascii():
        flags |= _NOT_ASCII
    space, newline = codes == 32, codes == 10
    # "  " or "\n " (a space after a space or a newline), or " \n"
    if ((space[1:] & (space[:-1] | newline[:-1])) | (space[:-1] & newline[1:])).any():
        flags |= _LOOSE_SPACES
    return flags


def _normalized_lines(text: str) -> list[str]:
    """``normalize_line`` of every line of ``text``, done for the whole text at once.

    The same result as ``[normalize_line(x) for x in text.splitlines()]`` (a test holds
    the two together), several times faster: a text with none of the characters that
    normalisation changes (most) is only checked, not rewritten; after the replacements
    only spaces and newlines are left as white space, so squeezing the spaces of each
    line is squeezing them in the whole text.
    """
    shape = _text_shape(text)
    rewritten = False
    if shape & _CHANGES:
        text = _BREAK.sub("\n", text)
        text = _GONE.sub("", _ODD.sub(" ", text))
        rewritten = True
    if shape & _NOT_ASCII and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        rewritten = True
    if not rewritten and not shape & _LOOSE_SPACES:
        return text.strip(" ").split("\n")
    if "  " in text:
        text = _RUNS_OF_SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _EDGE_SPACES.sub("\n", text)
    return text.strip(" ").split("\n")


def body_scores(texts: Sequence[str], repeat: Sequence[float] | None = None) -> list[float]:
    """Each line's chance of being article body (``repeat``: its share of other pages of the site)."""
    if not texts:
        return []
    keep = None if repeat is None else 1.0 - np.asarray(repeat, dtype=float)
    return scores(page_features(texts), keep).tolist()


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
    texts = [x for x in _normalized_lines(text) if x]
    return not texts or _is_clean(texts, page_features(texts))


def _is_clean(texts: Sequence[str], feats: np.ndarray) -> bool:
    """:func:`is_clean_article` on a page's lines and their features."""
    chrome = feats[:, F["chrome_line"]] + feats[:, F["related_header"]] + feats[:, F["read_more"]] + feats[:, F["tags"]]
    words = np.rint(np.expm1(feats[:, F["log_words"]]))
    chrome += feats[:, F["chrome_phrase"]] * (words <= 8)
    chrome += feats[:, F["chrome_prefix"]] * (words <= 8) + feats[:, F["byline"]]
    chrome += feats[:, F["nav_marks"]] * (words <= 12)
    stamps = feats[:, F["timestamp"]] * (words <= 14)
    if chrome.any() or stamps[2:].any():
        return False
    if any(NAV_MARKS.search(t) for t, w in zip(texts, words, strict=True) if w <= 12):
        return False
    ends = np.fromiter((t[-1] in SENTENCE_END for t in texts), dtype=bool, count=len(texts))
    # one sentence of prose with nothing around it that looks like a page is an article too
    # ("Japan and North Korea held talks in Ulaanbaatar on Tuesday.")
    long_lines = int(((words >= 6) & ends).sum())
    short = (words < 8) & ~ends
    if short.sum() > max(2, len(texts) // 3):
        return False
    run = 0
    for k in range(len(texts)):
        if short[k]:
            run += 1
            if run >= 3:
                return False
        elif (words[k] >= 12 and ends[k]) or not short[k]:
            run = 0
    return long_lines > 0


# --- labelling -----------------------------------------------------------------------------

# the labels as small integers while the rules run: LABELS[code] is the label
_BODY, _TITLE, _SECTION, _TIMESTAMP, _TAGS, _READ_MORE, _RELATED, _CHROME = range(len(LABELS))
_LABEL_OF = np.array(LABELS, dtype=object)


def label_lines(text: str, *, kind: str = "auto", site_counts: SiteLineCounts | None = None) -> list[LabelledLine]:
    """Label every non-empty line of ``text`` (see the module docstring for the labels).

    ``kind``: ``"page"`` runs the labeller; ``"article"`` keeps every line as body;
    ``"auto"`` keeps every line when :func:`is_clean_article` says the text is a clean
    article, and runs the labeller otherwise. ``site_counts``, when given, holds the
    other pages of the same site: lines most of them repeat are not body.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    lines = _normalized_lines(text)
    texts = [t for t in lines if t]
    if not texts:
        return []
    index = range(len(texts)) if len(texts) == len(lines) else [i for i, t in enumerate(lines) if t]
    if kind == "article":
        return list(map(LabelledLine, texts, repeat("body"), repeat(1.0), index))
    m = model()
    feats = page_features(texts, m)
    if kind == "auto" and _is_clean(texts, feats):
        return list(map(LabelledLine, texts, repeat("body"), repeat(1.0), index))
    keep = None
    if site_counts is not None:
        keep = 1.0 - np.array([_repeat_share(site_counts, t) for t in texts])
    p = scores(feats, keep, m)
    codes = _assign_labels(texts, p, feats, m.threshold, keep)
    # body lines: the model's confidence; the others: its doubt, or the surer shape
    score = np.maximum(np.maximum(1.0 - p, 0.5).round(4), _SHAPE_CONFIDENCE[codes])
    score[codes == _BODY] = p[codes == _BODY].round(4)
    return list(map(LabelledLine, texts, _LABEL_OF[codes].tolist(), score.tolist(), index))


# what no article paragraph says: cookie banners, copyright lines, script warnings
_STRONG_CHROME = re.compile(
    r"(?=[acjt©])(?:\bcookies?\b|all rights reserved|alle rechte vorbehalten|tous droits réservés|©|\bjavascript\b)",
    re.I,
)
# labels given by a line's own shape are surer than the body model's doubt alone says
_SHAPE_CONFIDENCE = np.zeros(len(LABELS))
_SHAPE_CONFIDENCE[[_READ_MORE, _TAGS, _TIMESTAMP]] = 0.95, 0.9, 0.9
_TITLE_WINDOW = 12
# the feature columns the labelling rules read as flags
_LABEL_COLUMNS = (
    "read_more",
    "tags",
    "timestamp",
    "chrome_line",
    "byline",
    "list_item",
    "ends_sentence",
    "section_name",
    "nav_marks",
    "related_header",
)


_LABEL_INDEX = [F[name] for name in _LABEL_COLUMNS]


def _has_nav_marks(text: str) -> bool:
    """``NAV_MARKS.search(text)`` for a normalised line, whose only white space is the space."""
    return " | " in text or " » " in text or " › " in text or " / " in text or " > " in text or " · " in text


_LOG_250 = float(np.log1p(250))
# flags that say a line is something other than a headline
_NOT_HEADLINE_INDEX = [
    F[name]
    for name in ("timestamp", "chrome_line", "chrome_phrase", "urlish", "byline", "chrome_prefix", "read_more", "tags")
]


def _headline_shapes(texts: Sequence[str], feats: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Lines shaped like a headline: a few words, no closing full stop, no chrome, no link."""
    ok = (words >= 3) & (words <= 30) & (feats[:, F["log_chars"]] <= _LOG_250)
    ok &= (feats[:, F["ends_period"]] == 0) | (feats[:, F["ellipsis_end"]] > 0)
    ok &= ~feats.T[_NOT_HEADLINE_INDEX].any(axis=0)  # the flag rows, one row a feature
    for i in ok.nonzero()[0].tolist():
        if _has_nav_marks(texts[i]):
            ok[i] = False
    return ok


def _assign_labels(
    texts: Sequence[str], p: np.ndarray, feats: np.ndarray, threshold: float, keep: np.ndarray | None = None
) -> np.ndarray:
    """Each line's label, as its code (an index into :data:`LABELS`)."""
    words = np.rint(np.expm1(feats[:, F["log_words"]]))
    body = p >= threshold
    labels = np.where(body, _BODY, _CHROME).astype(np.int8)
    flags = feats[:, _LABEL_INDEX].T > 0  # one comparison for all the flag columns
    col = dict(zip(_LABEL_COLUMNS, flags, strict=True))
    caps = feats[:, F["caps_share"]]
    phrase = feats[:, F["chrome_phrase"]] > 0
    # lines whose shape says what they are, wherever they sit
    shaped = col["read_more"] | col["tags"] | col["timestamp"] | col["chrome_line"] | col["byline"]
    for i in shaped.nonzero()[0].tolist():
        if col["read_more"][i]:
            labels[i] = _READ_MORE
        elif col["tags"][i] and (not body[i] or TAGS_PREFIX.match(texts[i])):
            labels[i] = _TAGS
        elif col["timestamp"][i] and not col["list_item"][i] and (not body[i] or words[i] <= 8):
            labels[i] = _TIMESTAMP
        elif col["chrome_line"][i] or (col["byline"][i] and words[i] <= 8 and not col["ends_sentence"][i]):
            labels[i] = _CHROME
    for i in ((labels == _BODY) & (words <= 60) & phrase).nonzero()[0].tolist():
        if _STRONG_CHROME.search(texts[i]):
            labels[i] = _CHROME
    is_body = labels == _BODY
    prose_like = col["ends_sentence"] & (words >= 15) & (caps < 0.5)
    prose_like &= ~phrase & (feats[:, F["chrome_prefix"]] == 0)
    if keep is not None:  # lines the site repeats stay chrome
        prose_like &= keep > 0.5
    if not is_body.any():
        # The model learnt from long pages; a short page (a brief with a few lines of chrome)
        # gives it little context and its prose can score under the threshold. Paragraphs of
        # prose are still the article: losing them would lose the document.
        fallback = prose_like & (labels == _CHROME)
        if not fallback.any():
            # nothing reads as body: not an article, every line is page furniture
            labels[:] = _CHROME
            return labels
        labels[fallback] = _BODY
        is_body = labels == _BODY
    # a long paragraph of prose next to the body is body, whatever its place on the page
    near = is_body.copy()
    for k in (1, 2):
        near[k:] |= is_body[:-k]
        near[:-k] |= is_body[k:]
    labels[(labels == _CHROME) & prose_like & near] = _BODY
    is_body = labels == _BODY
    headline = _headline_shapes(texts, feats, words)
    prose = (is_body & col["ends_sentence"] & (words >= 10) & (caps < 0.6)).nonzero()[0]
    if not len(prose):
        # no paragraph of prose anywhere: a list of headlines (an index page), not an article
        if (is_body & ~headline & ~col["list_item"]).sum() <= 1:
            labels[:] = np.where(is_body & headline, _RELATED, _CHROME)
            return labels
        first_prose = int(is_body.nonzero()[0][0])
    else:
        first_prose = int(prose[0])
        # below the last paragraph of prose, headlines and topic lists are not body
        below = is_body.copy()
        below[: int(prose[-1]) + 1] = False
        tags = below & col["tags"]
        related = below & ~tags & headline & ((caps >= 0.6) | col["list_item"]) & (words >= 4)
        listed = below & ~tags & ~related & (col["list_item"] | col["related_header"])
        labels[tags] = _TAGS
        labels[related] = _RELATED
        labels[listed] = _CHROME
        # above the first paragraph of prose, section names and breadcrumbs are navigation
        for i in is_body[:first_prose].nonzero()[0].tolist():
            if col["section_name"][i] or col["nav_marks"][i] or " > " in texts[i]:
                labels[i] = _CHROME
    _find_title(texts, labels, feats, headline, words, first_prose, col)
    body_idx = (labels == _BODY).nonzero()[0]
    first = int(body_idx[0]) if len(body_idx) else first_prose
    last = int(body_idx[-1]) if len(body_idx) else first_prose
    # the section: a section name (or the last crumb of a breadcrumb) above the body
    for i in (labels[:first] == _CHROME).nonzero()[0][::-1].tolist():
        if col["section_name"][i] or _is_breadcrumb(texts[i]):
            labels[i] = _SECTION
            break
    # related headlines: headline-shaped lines after the body, or after a "Related" header
    header = col["related_header"][last + 1 :]
    after_header = np.zeros(len(header), dtype=bool)
    np.logical_or.accumulate(header[:-1], out=after_header[1:])
    close = np.arange(1, len(header) + 1) <= 12
    related = (labels[last + 1 :] == _CHROME) & ~header & headline[last + 1 :] & (words[last + 1 :] >= 4)
    labels[last + 1 :][related & (after_header | close)] = _RELATED
    return labels


_CRUMB = re.compile(r"\s(?:›|»|>|/)\s")


def _is_breadcrumb(text: str) -> bool:
    """ "World › Asia Pacific": a short path of section names."""
    if len(text) > 60:
        return False
    parts = _CRUMB.split(text)
    return 2 <= len(parts) <= 4 and all(0 < len(x.split()) <= 3 for x in parts)


def _find_title(
    texts: Sequence[str],
    labels: np.ndarray,
    feats: np.ndarray,
    headline: np.ndarray,
    words: np.ndarray,
    first_prose: int,
    col: dict[str, np.ndarray],
) -> None:
    """Label the headline: the topmost long headline-shaped line in the few lines above the prose.

    Scanning upward from the first paragraph, bylines, stamps, share buttons and captions
    are passed over; a section name or a breadcrumb ends the scan (the headline sits below
    them). A short line (a site name, a standfirst fragment) is taken only when no line of
    five words or more is found.
    """
    candidates: list[int] = []
    for i in range(first_prose - 1, max(-1, first_prose - 1 - _TITLE_WINDOW), -1):
        label = labels[i]
        if col["section_name"][i] or col["nav_marks"][i] or _is_breadcrumb(texts[i]):
            break
        if label not in (_CHROME, _BODY) or not headline[i]:
            continue
        if label == _BODY and col["ends_sentence"][i]:
            continue
        candidates.append(i)
    long = [i for i in candidates if words[i] >= 5 and feats[i, F["all_caps"]] == 0]
    if long:
        title = long[-1]
    elif candidates and words[candidates[0]] >= 4:
        title = candidates[0]
    else:
        return
    labels[title] = _TITLE


def labelled_text(lines: Iterable[LabelledLine], label: str = "body") -> str:
    """The text of the lines with ``label``, one a line."""
    return "\n".join(line.text for line in lines if line.label == label)
