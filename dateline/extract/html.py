"""HTML pages to article text and metadata, by trafilatura (the only module that imports it).

``extract_html`` parses a page once and from that tree takes:

- the main text, as trafilatura extracts it, one paragraph per block (line) in page order;
- title, author, site name, tags, categories (the first is the ``section``) from the page's
  meta tags and JSON-LD (trafilatura's metadata readers, without its slow body-wide author
  search, so the whole path keeps pace with bare ``trafilatura.extract``);
- the stated publication timestamp and where it came from: ``html_meta`` (a meta tag,
  JSON-LD or markup htmldate finds) or ``url`` (a date in the URL's path);
- the links inside the main text, "read more" lines and "related" headlines.

Every page runs behind our own time limit (see ``_deadline``). A page with no main text
raises ``NoArticleError``; one whose main text is a list of links (an index, a section
front, a search result page) or too short to be an article raises ``NotAnArticleError``
(see ``assess_page_shape``).
"""

from __future__ import annotations

import contextlib
import logging
import re
import signal
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from dateline.errors import ExtractionTimeoutError, NoArticleError, NotAnArticleError
from dateline.extract.normalize import _CONTROL as _CONTROL_CHARS
from dateline.extract.normalize import _TRANSLATE as _NORMALIZE_TABLE
from dateline.extract.normalize import normalize_line, normalize_text
from dateline.extract.timestamps import date_from_url, find_timestamp
from dateline.records import Link

LOGGER = logging.getLogger(__name__)

# trafilatura logs every discarded page at WARNING; the reason reaches the user through our
# own errors instead, so its logger is quietened to ERROR once, when this module first runs.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


@dataclass(frozen=True)
class ExtractOptions:
    """How ``extract_html`` extracts. The defaults are the best F1 on our benchmarks.

    ``favor_precision`` / ``favor_recall`` are trafilatura's own switches (less text but
    surer, or more text); ``check_article`` turns the index-page test on or off;
    ``min_article_chars`` is ``Settings.min_article_chars``.
    """

    favor_precision: bool = False
    favor_recall: bool = False
    include_tables: bool = True
    include_comments: bool = False
    check_article: bool = True
    min_article_chars: int = 200
    htmldate_fallback: bool = True  # ask htmldate when the meta tags state no date (~1-2 ms a page)
    max_links: int = 200

    @classmethod
    def from_settings(cls, settings: Any, **changes: Any) -> ExtractOptions:
        return cls(min_article_chars=settings.min_article_chars, **changes)


@dataclass(frozen=True)
class PageShape:
    """What the index-page test measured: enough to explain a rejection."""

    chars: int
    blocks: int
    prose_chars: int
    link_blocks: int
    link_chars: int

    @property
    def prose_share(self) -> float:
        return self.prose_chars / self.chars if self.chars else 0.0

    @property
    def link_share(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0


@dataclass
class HtmlExtraction:
    """Everything ``extract_html`` found on one page."""

    paragraphs: list[str]
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    date: datetime | None = None  # UTC; tzinfo is timestamps.ASSUMED_UTC when the page gave no zone
    date_source: str | None = None  # "html_meta" | "url"
    date_local: datetime | None = None  # the same instant in the zone the page stated
    date_text: str | None = None  # the string the date was read from
    links: list[Link] = field(default_factory=list)
    read_more: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    shape: PageShape | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


class _Deadline(BaseException):
    """Raised by the SIGALRM handler. A BaseException, so that the broad ``except Exception``
    blocks inside trafilatura and htmldate cannot swallow it."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise ``_Deadline`` in this thread when ``seconds`` have passed.

    trafilatura's own ``timeout`` only covers downloads, not the Python work of extraction,
    so a pathological page could otherwise hold a worker forever. A real-time interval
    timer (SIGALRM) interrupts pure-Python loops; the previous handler and timer are put
    back afterwards (a still-running outer timer keeps its remaining time).

    Signals can only be handled in the main thread, and ``setitimer`` does not exist on
    Windows: elsewhere the page runs without a hard timer, and ``extract_html`` checks the
    elapsed time afterwards so that the limit still decides what is rejected. A process pool
    (our local backend) runs each worker's pages in its main thread, so the hard timer holds
    there. A long single C call (lxml parsing a huge document) delays the signal until it
    returns; ``max_document_bytes`` bounds that.
    """
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise _Deadline

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay > 0:
            remaining = previous_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(remaining, 1e-6), previous_interval)


def extract_html(
    html: str, *, url: str | None = None, timeout: float = 20.0, options: ExtractOptions | None = None
) -> HtmlExtraction:
    """Main text and metadata of one HTML page, within ``timeout`` seconds.

    Raises ``ExtractionTimeoutError``, ``NoArticleError`` or ``NotAnArticleError``.
    """
    options = options or ExtractOptions()
    if not html or not html.strip():
        raise NoArticleError("The page is empty")
    started = time.monotonic()
    try:
        with _deadline(timeout):
            result = _extract(html, url, options)
    except _Deadline:
        raise ExtractionTimeoutError(f"HTML extraction took longer than {timeout:g} s") from None
    except RecursionError as exc:  # lxml/trafilatura on absurdly deep trees
        raise NoArticleError("The page is nested too deeply to be read") from exc
    elapsed = time.monotonic() - started
    if timeout > 0 and elapsed > timeout:
        # only reached without a hard timer (not the main thread): same verdict, late
        raise ExtractionTimeoutError(f"HTML extraction took {elapsed:.1f} s, longer than {timeout:g} s")
    return result


def _extract(html: str, url: str | None, options: ExtractOptions) -> HtmlExtraction:
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        tree = _parse_fragment(html)
    # metadata first: bare_extraction works on its own copy of the tree, this one stays whole
    result = HtmlExtraction(paragraphs=[])
    _read_metadata(tree, url, result, htmldate_fallback=options.htmldate_fallback)
    document = bare_extraction(
        tree,
        url=url,
        favor_precision=options.favor_precision,
        favor_recall=options.favor_recall,
        include_comments=options.include_comments,
        include_tables=options.include_tables,
        with_metadata=False,
    )
    text = getattr(document, "text", None) if document is not None else None
    # normalise the whole text once (cheaper than line by line), then trim each line
    clean = _RUNS_OF_SPACES.sub(" ", _normalize(text or ""))
    paragraphs = [p for p in (line.strip() for line in clean.split("\n")) if p]
    if not paragraphs:
        raise NoArticleError("The page has no main text")
    result.paragraphs = paragraphs
    anchors, links = _scan_anchors(tree, paragraphs, url, options.max_links)
    result.shape = measure_page_shape(paragraphs, anchors)
    if options.check_article:
        reason = assess_page_shape(result.shape, min_chars=options.min_article_chars)
        if reason:
            raise NotAnArticleError(reason)
    result.links = links
    result.read_more = _read_more_lines(paragraphs)
    result.related = _related_headlines(tree, set(paragraphs), html)
    return result


def _normalize(text: str) -> str:
    """``normalize_text``, skipped when the text has nothing it would change (most pages):
    one regex scan and a C-level NFC check instead of a per-character translation."""
    if _NEEDS_NORMALIZING.search(text) is None and unicodedata.is_normalized("NFC", text):
        return text
    return normalize_text(text)


def _parse_fragment(html: str) -> HtmlElement:
    """Parse what trafilatura refuses as "dubious" HTML: a fragment with no ``<html>`` root
    (a CMS export, a table cell, a page wrapped in a crawler's own tag). lxml wraps it in a
    document of its own, and trafilatura extracts from that as from any page."""
    from lxml.etree import ParserError

    try:
        tree = lxml_html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (ParserError, ValueError) as exc:
        raise NoArticleError("The page could not be parsed as HTML") from exc
    if tree is None or len(tree) == 0:
        raise NoArticleError("The page could not be parsed as HTML")
    return tree


# --- metadata -----------------------------------------------------------------------------

# Where pages state their publication time, most specific first (values parsed by timestamps).
# Where pages state their publication time (values parsed by timestamps): meta names and
# properties, lowercased, and <time> elements marked as the publication time.
_PUBLISHED_META = frozenset(
    {
        "article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "date",
        "dc.date",
        "dc.date.issued",
        "dcterms.created",
        "og:published_time",
        "sailthru.date",
        "parsely-pub-date",
    }
)
_REL_LINKS = etree.XPath('//a[contains(@rel, "tag") or @rel="category"]')
# the head's own meta tags: an absolute path, where "//head/meta" walks the whole document
_SECTION = etree.XPath(
    '/html/head/meta[@property="article:section" or @name="article:section" or @name="section"'
    ' or @itemprop="articleSection"]/@content'
)
_JSON_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{6,40})"')


def _first(values: Any) -> str | None:
    if isinstance(values, list | tuple):
        return next((str(v) for v in values if v), None)
    return str(values) if values else None


def _read_metadata(
    tree: HtmlElement, url: str | None, result: HtmlExtraction, *, htmldate_fallback: bool = True
) -> None:
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title

    meta = examine_meta(tree)
    try:
        meta = extract_meta_json(tree, meta)
    except Exception as exc:
        LOGGER.debug("JSON-LD metadata unreadable: %s", exc)
    result.title = _clean(meta.title) or _clean(extract_title(tree))
    author = _clean(meta.author)
    result.author = author if author and " " in author else author or None
    result.sitename = _clean(meta.sitename)
    categories, tags = meta.categories or [], meta.tags or []
    if not categories:
        categories = [str(v) for v in _SECTION(tree)]
    if not categories or not tags:
        # rel="category tag" / rel="tag" links (WordPress and kin): one cheap pass, where
        # trafilatura's own catstags search scans every class attribute twice
        linked_categories, linked_tags = _rel_links(tree)
        categories, tags = categories or linked_categories, tags or linked_tags
    result.categories = _unique(_clean(x) for x in categories)
    result.tags = _unique(_clean(x) for x in tags)
    result.section = result.categories[0] if result.categories else None
    _read_date(tree, url, result, htmldate_fallback=htmldate_fallback)


def _rel_links(tree: HtmlElement) -> tuple[list[str], list[str]]:
    categories, tags = [], []
    for anchor in _REL_LINKS(tree):
        rel = anchor.get("rel", "").lower().split()
        text = anchor.text_content()
        if "category" in rel:
            categories.append(text)
        elif "tag" in rel:
            tags.append(text)
    return categories, tags


def _unique(values: Any) -> list[str]:
    return [v for v in dict.fromkeys(values) if v]


def _clean(value: Any) -> str | None:
    text = _first(value)
    if not text:
        return None
    text = normalize_line(text)
    return text or None


def _date_candidates(tree: HtmlElement) -> list[str]:
    """Stated publication times, in page order: one pass over meta, time and script elements."""
    candidates = []
    for element in tree.iter("meta", "time", "script"):
        if element.tag == "meta":
            key = element.get("property") or element.get("name") or element.get("itemprop") or ""
            if key.lower() in _PUBLISHED_META and element.get("content"):
                candidates.append(element.get("content", ""))
        elif element.tag == "time":
            if element.get("itemprop") == "datePublished" or element.get("pubdate") is not None:
                candidates.append(element.get("datetime") or element.text_content())
        elif element.get("type") == "application/ld+json" and element.text:
            candidates.extend(_JSON_DATE.findall(element.text))
    return candidates


def _read_date(tree: HtmlElement, url: str | None, result: HtmlExtraction, *, htmldate_fallback: bool = True) -> None:
    """The stated timestamp: a full one from the meta tags, else the URL's day, else htmldate's."""
    candidates = _date_candidates(tree)
    for candidate in candidates:
        found = find_timestamp(candidate)
        if found is not None:
            result.date, result.date_local, result.date_text = found.value, found.local, candidate.strip()
            result.date_source = "html_meta"
            return
    # a date in the URL's path comes next, as htmldate itself would rank it, and spares
    # htmldate's markup search (which copies the whole tree)
    from_url = date_from_url(url or "")
    if from_url is not None:
        found = find_timestamp(from_url.isoformat())
        if found is not None:
            result.date, result.date_local, result.date_text = found.value, found.local, url
            result.date_source = "url"
            return
    if htmldate_fallback:
        from htmldate import find_date

        today = datetime.now(UTC).strftime("%Y-%m-%d")
        day = find_date(tree, extensive_search=False, original_date=True, max_date=today)
        found = find_timestamp(day) if day else None
        if found is not None:
            result.date, result.date_local, result.date_text = found.value, found.local, day
            result.date_source = "html_meta"


# --- page shape: article or index? --------------------------------------------------------

_RUNS_OF_SPACES = re.compile(r" {2,}")
# every character normalize_text would replace or drop (its own tables, so the two agree)
_NEEDS_NORMALIZING = re.compile(
    "[" + re.escape("".join(chr(c) for c in _NORMALIZE_TABLE) + "\r") + "]|" + _CONTROL_CHARS.pattern
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SENTENCE_END = re.compile(r"[.!?。！？…»”\"')]\s*$|[.!?…]\s|[。！？]")
_MAX_HEADLINE_CHARS = 300  # a longer block is never taken for a link-only headline
# Scripts written without spaces between words: each run of them counts one word per 2 characters.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]+")


def _norm(text: str) -> str:
    return " ".join(text.split())


def _is_prose(paragraph: str) -> bool:
    """A block that reads as running text: enough words and at least one sentence end."""
    words = paragraph.count(" ") + 1  # paragraphs are normalised: one space between words
    if not paragraph.isascii():
        words += sum(len(run) // 2 for run in _UNSPACED.findall(paragraph))
    return words >= 25 or (words >= 10 and bool(_SENTENCE_END.search(paragraph)))


def measure_page_shape(paragraphs: list[str], anchor_texts: set[str]) -> PageShape:
    """Characters of prose and of link-only blocks in the extracted main text."""
    chars = prose = link_blocks = link_chars = 0
    for paragraph in paragraphs:
        size = len(paragraph)
        chars += size
        if size < _MAX_HEADLINE_CHARS and paragraph in anchor_texts:
            link_blocks += 1
            link_chars += size
        elif _is_prose(paragraph):
            prose += size
    return PageShape(chars, len(paragraphs), prose, link_blocks, link_chars)


def assess_page_shape(shape: PageShape, *, min_chars: int = 200) -> str | None:
    """Why the main text is not an article, or None when it is one.

    Rules, each measured on the extracted main text (the chrome is already gone):

    1. fewer than ``min_chars`` characters: a stub, a gallery caption, an error page;
    2. less than ``min_chars`` characters of prose (blocks with sentences);
    3. link-only blocks (a block whose whole text is a link on the page: a headline) make up
       half the text, or at least 6 blocks and a third of the blocks while prose is under
       half the text: a list of headlines with teasers is an index page, however long.
    """
    if shape.chars < min_chars:
        return f"The main text has only {shape.chars} characters, fewer than the {min_chars} of an article"
    if shape.prose_chars < min_chars:
        return (
            f"The main text has only {shape.prose_chars} characters of running text; it reads as a list, not an article"
        )
    if shape.link_share >= 0.5 or (
        shape.link_blocks >= 6 and shape.link_blocks >= shape.blocks / 3 and shape.prose_share < 0.5
    ):
        return (
            f"{shape.link_blocks} of the {shape.blocks} blocks of main text are links "
            f"({shape.link_share:.0%} of the text): an index page"
        )
    return None


# --- links, "read more", related ----------------------------------------------------------

_READ_MORE = re.compile(
    r"^\s*(?:read more|read also|also read|see also|related|more on this|lesen sie auch|mehr zum thema|"
    r"lire aussi|à lire aussi|lea también|leer más)\s*[:|»›>–—-]\s*",
    re.I,
)
_BLOCK_TAGS = frozenset({"p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "td", "div"})
_ANCHORS = etree.XPath("//a")
# containers whose class or id says "related" ("Related", "related-posts", "relatedArticles")
_RELATED = etree.XPath('(//div|//section|//aside|//ul)[contains(concat(@class, " ", @id), "elated")]')


def _scan_anchors(
    tree: HtmlElement, paragraphs: list[str], url: str | None, max_links: int
) -> tuple[set[str], list[Link]]:
    """One pass over the page's links: headline-length link texts, and the links in the main text.

    A link is in the main text when the block holding it (the nearest ``p``, ``li``, ...
    ancestor) is one of the extracted paragraphs.
    """
    wanted = set(paragraphs)
    main_text = "\n".join(paragraphs)
    headlines: set[str] = set()
    links: list[Link] = []
    seen: set[str] = set()
    block_is_main: dict[HtmlElement, bool] = {}
    for anchor in _ANCHORS(tree):
        # most links hold plain text: .text avoids an XPath string() call per link
        raw = anchor.text if len(anchor) == 0 else anchor.text_content()
        if not raw:
            continue
        text = _norm(raw)
        if 12 <= len(text) < _MAX_HEADLINE_CHARS:
            headlines.add(text)
        href = (anchor.get("href") or "").strip()
        if not text or not href or len(links) >= max_links:
            continue
        if href.startswith(("javascript:", "mailto:", "#")):
            continue
        if text.isascii() and text not in main_text:
            continue  # a navigation link: its text is nowhere in the main text (no block to look up)
        block = anchor.getparent()
        while block is not None and block.tag not in _BLOCK_TAGS:
            block = block.getparent()
        if block is None:
            continue
        if block not in block_is_main:
            block_is_main[block] = _norm(block.text_content()) in wanted
        if not block_is_main[block]:
            continue
        href = urljoin(url, href) if url else href
        if href not in seen:
            seen.add(href)
            links.append(Link(normalize_line(raw), href))
    return headlines, links


def _read_more_lines(paragraphs: list[str]) -> list[str]:
    """What "READ MORE: ..." style lines of the main text point to."""
    found = []
    for paragraph in paragraphs:
        match = _READ_MORE.match(paragraph)
        if match and len(paragraph) < 200 and paragraph[match.end() :].strip():
            found.append(paragraph[match.end() :].strip())
    return found


def _related_headlines(tree: HtmlElement, main_text: set[str], source: str, limit: int = 20) -> list[str]:
    """Headlines in blocks marked "related" on the page (outside the main text).

    Half the pages never spell "elated" in their HTML (``source``), so they have no such
    container: one scan of the string spares them the four walks over the tree. (A class
    name written with character references, "r&#101;lated", would be missed; none is.)
    """
    if "elated" not in source:
        return []
    headlines: list[str] = []
    for container in _RELATED(tree):
        if "related" not in (container.get("class", "") + " " + container.get("id", "")).lower():
            continue
        for anchor in container.iter("a"):
            text = normalize_line(anchor.text_content())
            if len(text.split()) >= 4 and text not in main_text and text not in headlines:
                headlines.append(text)
                if len(headlines) >= limit:
                    return headlines
    return headlines
