"""HTML pages to article text and metadata, by trafilatura (the only module that imports it).

``extract_html`` parses a page once (a fragment without ``<html>`` twice, see ``_extract``)
and from that tree takes:

- the main text, as trafilatura extracts it, one paragraph per block (line) in page order;
  for a fragment trafilatura refuses (no ``<html>``, one element), the ``body`` lines the
  line labeller finds in its visible text (``_labelled_paragraphs``);
- title, author, site name, tags, categories (the first is the ``section``) from the page's
  meta tags and JSON-LD (trafilatura's metadata readers, without its slow body-wide author
  search, and reading small stand-ins for the page where they would walk all of it, so
  that the whole path keeps pace with bare ``trafilatura.extract``);
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
import copy
import functools
import logging
import re
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from dateline.errors import ExtractionTimeoutError, NoArticleError, NotAnArticleError
from dateline.extract.markup_date import markup_day
from dateline.extract.normalize import _RUNS_OF_SPACES, normalize_line, normalize_text
from dateline.extract.timestamps import date_from_url, find_timestamp
from dateline.extract.visible_text import visible_lines
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
    htmldate_fallback: bool = True  # ask htmldate when the meta tags state no date (~1 ms a page)
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
    if not html or html.isspace():  # isspace stops at the first other character; strip copies
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
    tree, fragment = _parse_or_refuse(html)
    if tree is None:
        # a fragment trafilatura refuses: its main text from the line labeller, over its
        # visible text parsed without comments; its links and metadata from the whole tree
        # (a CMS export may keep the date in a comment)
        text_tree = fragment if fragment is not None else _parse_fragment(html, _PAGE_PARSER)
        paragraphs = _labelled_paragraphs(text_tree)
        tree = _parse_fragment(html, _FRAGMENT_PARSER)
    else:
        paragraphs = _paragraphs(_trafilatura_text(tree, url, options) or "")
    if not paragraphs:
        raise NoArticleError("The page has no main text")
    result = HtmlExtraction(paragraphs=paragraphs)
    scan = _scan_anchors(tree, paragraphs, url, options.max_links)
    result.shape = measure_page_shape(paragraphs, scan.headlines)
    if options.check_article:
        reason = assess_page_shape(result.shape, min_chars=options.min_article_chars)
        if reason:
            raise NotAnArticleError(reason)
    clues = _read_metadata(tree, result, html, scan.marked)
    result.links = scan.links
    result.read_more = _read_more_lines(paragraphs)
    result.related = _related_headlines(tree, set(paragraphs), html)
    # last: htmldate's search, where it runs, prunes the tree
    _read_date(tree, url, result, clues, htmldate_fallback=options.htmldate_fallback)
    return result


def _trafilatura_text(tree: HtmlElement, url: str | None, options: ExtractOptions) -> str | None:
    """The main text trafilatura extracts from ``tree``. ``bare_extraction`` works on its
    own copy of the tree: this one stays whole for the links and the metadata, read
    afterwards (a page rejected on the way is spared the metadata)."""
    from trafilatura import bare_extraction

    flags = (options.favor_precision, options.favor_recall, options.include_comments, options.include_tables)
    if url is None:  # the settings it would make from these arguments, made once
        document = bare_extraction(tree, options=_trafilatura_settings(*flags))
    else:
        document = bare_extraction(
            tree,
            url=url,
            favor_precision=options.favor_precision,
            favor_recall=options.favor_recall,
            include_comments=options.include_comments,
            include_tables=options.include_tables,
            with_metadata=False,
        )
    return getattr(document, "text", None) if document is not None else None


def _labelled_paragraphs(tree: HtmlElement) -> list[str]:
    """The ``body`` lines the line labeller finds in ``tree``'s visible text, one block a
    line (``kind="auto"``: a fragment that is a clean article keeps every line).

    For HTML trafilatura refuses as dubious (no ``<html>``, one element: a CMS export, a
    page wrapped in a crawler's tag). Extracting those with trafilatura anyway, from the
    document lxml builds around them, scored 0.844 F1 on the 21 such CleanEval pages the
    labeller never trained on, the labeller 0.862, in a third of the time (~6 against
    ~17 ms a page: trafilatura's own fall-back comparison runs on nearly every one)."""
    from dateline.extract.lines import label_lines

    return [line.text for line in label_lines("\n".join(visible_lines(tree)), kind="auto") if line.label == "body"]


@functools.lru_cache(maxsize=16)
def _trafilatura_settings(
    favor_precision: bool, favor_recall: bool, include_comments: bool, include_tables: bool
) -> Any:
    """The ``trafilatura.settings.Extractor`` that ``bare_extraction`` builds from these
    arguments and no URL (``output_format="python"``, no metadata), built once: building it
    reads nine values from trafilatura's configuration, 0.08 ms a page. ``bare_extraction``
    only reads it (a test holds both)."""
    from trafilatura.settings import Extractor

    return Extractor(
        output_format="python",
        precision=favor_precision,
        recall=favor_recall,
        comments=include_comments,
        tables=include_tables,
    )


def _paragraphs(text: str) -> list[str]:
    """The main text's lines, normalised (``normalize_text``), spaces squeezed and trimmed,
    empty ones dropped."""
    text = normalize_text(text)
    if "  " in text:
        text = _RUNS_OF_SPACES.sub(" ", text)
    return [p for p in (line.strip() for line in text.split("\n")) if p]


class _CheapTextContent:
    """``text_content`` without an XPath evaluation: the text of all the element holds,
    from libxml2's node-content call (``tostring(method="text")``), the very call that
    XPath's ``string()`` makes. lxml.html evaluates ``string()`` through a compiled XPath
    on each call, which sets up an evaluation context first: 1.5 against 0.9 µs a call,
    and trafilatura, its readability copy and our link scan call it ~650 times on an
    average CleanEval page. The same text (a test holds the two together), as a plain
    ``str`` where lxml.html gives a "smart" string that knows its element; no caller asks
    that of it."""

    __slots__ = ()

    def text_content(self) -> str:
        return etree.tostring(self, method="text", encoding="unicode", with_tail=False)  # type: ignore[arg-type]


# lxml.html's element classes with the cheaper text_content; HTML elements are looked up by
# tag (no namespace), the rest are HtmlElement's
_CLASSES = {
    tag: type(f"_Page{base.__name__}", (_CheapTextContent, base), {})
    for tag, base in {
        None: HtmlElement,
        "form": lxml_html.FormElement,
        "input": lxml_html.InputElement,
        "label": lxml_html.LabelElement,
        "select": lxml_html.SelectElement,
        "textarea": lxml_html.TextareaElement,
    }.items()
}


def _element_classes() -> etree.ElementNamespaceClassLookup:
    """lxml.html's element classes (with ``_CheapTextContent``), chosen in C.

    lxml.html's own parsers choose each element's class in a Python method, called each
    time lxml makes a Python object for an element (each step of an iteration, each XPath
    result; thousands a page, most of them in trafilatura's work on its copies of the
    tree, which keep the parser): about 4% of trafilatura's extraction time. This lookup
    gives every element, comment and processing instruction the class lxml.html would give
    it, without the call.
    """
    lookup = etree.ElementNamespaceClassLookup(
        etree.ElementDefaultClassLookup(
            element=_CLASSES[None],
            comment=lxml_html.HtmlComment,
            pi=lxml_html.HtmlProcessingInstruction,
            entity=lxml_html.HtmlEntity,
        )
    )
    special = lookup.get_namespace(None)  # HTML elements have no namespace
    for tag, element_class in _CLASSES.items():
        if tag is not None:
            special[tag] = element_class
    return lookup


def _html_parser(**settings: Any) -> etree.HTMLParser:
    parser = etree.HTMLParser(**settings)
    parser.set_element_class_lookup(_element_classes())
    return parser


# trafilatura's settings (trafilatura.utils.HTML_PARSER): the trees are the ones it would
# parse; and lxml.html's defaults (lxml.html.html_parser), comments kept
_PAGE_PARSER = _html_parser(
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
)
_FRAGMENT_PARSER = _html_parser()


def _parse_page(html: str) -> HtmlElement | None:
    """The page's tree as ``trafilatura.utils.load_html`` builds it from a string, None where
    it would refuse the page as "dubious" HTML; parsed by ``_PAGE_PARSER``, so that every
    later walk over the tree (trafilatura's, htmldate's, ours) is spared the Python lookup.

    As there: the string is repaired first; a string with an encoding declaration, which
    lxml refuses as text, is parsed as UTF-8 bytes, and so is one that yields an empty tree;
    a page whose first 50 characters never say "html" and whose tree has fewer than two
    children is refused.
    """
    return _parse_or_refuse(html)[0]


def _parse_or_refuse(html: str) -> tuple[HtmlElement | None, HtmlElement | None]:
    """``(tree, None)`` for a page ``_parse_page`` takes; ``(None, document)`` for one it
    refuses, ``document`` being what ``_parse_fragment(html, _PAGE_PARSER)`` would parse
    where the refused tree is part of just that (so that a fragment is parsed twice, not
    three times: 0.9 ms on an average wrapped CleanEval page), else None.

    That holds where lxml parsed ``html`` itself, as text (not repaired, not as bytes, no
    XML declaration to drop) and took the tree from the document it built as it stands:
    ``lxml.html.fromstring`` hands back the only element of a fragment's ``<body>``
    untouched, where with more it renames the ``<body>`` to stand for them.
    """
    from trafilatura.utils import is_dubious_html

    beginning = html[:50].lower()
    source, html = html, _repair(html, beginning)
    tree, as_bytes = None, False
    try:
        tree = lxml_html.fromstring(html, parser=_PAGE_PARSER)
    except ValueError:
        as_bytes = True
    except Exception as exc:  # lxml's own errors (an empty document): try the bytes
        LOGGER.debug("lxml could not parse the page as text: %s", exc)
    if as_bytes or tree is None or len(tree) < 1:
        try:
            tree = lxml_html.fromstring(html.encode("utf-8", "surrogatepass"), parser=_PAGE_PARSER)
        except Exception as exc:
            LOGGER.debug("lxml could not parse the page as bytes: %s", exc)
            tree = None
    if tree is None or not is_dubious_html(beginning) or len(tree) >= 2:
        return tree, None
    parent = tree.getparent()
    as_parsed = not as_bytes and html == source and not _XML_DECLARATION.match(source)
    if as_parsed and parent is not None and parent.tag == "body" and parent.getparent() is tree.getroottree().getroot():
        return None, parent.getparent()
    return None, None


def _repair(html: str, beginning: str) -> str:
    """``trafilatura.utils.repair_faulty_html``, cheaper on a long page (a test holds the
    two together).

    That function removes the characters XML forbids, one regex scan of the whole page
    (0.45 ms on an average trafilatura-eval page, 144,000 characters); then it mends a
    doctype on the first line and a self-closing ``<html/>`` within the first 4,096
    characters. A page holding none of those characters (nearly all; ``_forbidden_in_xml``
    tells, in a fraction of the time) is mended in its beginning only: up to a line end
    4,096 characters past the first line's end, which holds everything those two mendings
    read and change.
    """
    from trafilatura.utils import repair_faulty_html

    first_line_end = html.find("\n")
    cut = html.find("\n", first_line_end + 1 + _MENDED_CHARS) if first_line_end >= 0 else -1
    if cut < 0 or _forbidden_in_xml(html):
        return repair_faulty_html(html, beginning)
    return repair_faulty_html(html[:cut], beginning) + html[cut:]


# the C0 controls XML forbids: all but tab, line feed and carriage return
_FORBIDDEN_CONTROLS = bytes(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))


def _forbidden_in_xml(text: str) -> bool:
    """Whether ``text`` holds a character XML forbids (trafilatura.utils.INVALID_XML_CHARS:
    the C0 controls but tab, line feed and carriage return; U+FFFE and U+FFFF).

    Read in UTF-8 (a copy of the characters where they are all ASCII): dropping the
    forbidden controls shortens it where there is one (no byte of a longer character is
    below 0x80), and U+FFFE and U+FFFF are their own 3 bytes (a lone surrogate, kept by
    "surrogatepass", is other bytes).
    """
    data = text.encode("utf-8", "surrogatepass")
    if len(data.translate(None, _FORBIDDEN_CONTROLS)) != len(data):
        return True
    return not text.isascii() and (b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data)


def _parse_fragment(html: str, parser: etree.HTMLParser) -> HtmlElement:
    """Parse what trafilatura refuses as "dubious" HTML: a fragment with no ``<html>`` root
    (a CMS export, a table cell, a page wrapped in a crawler's own tag). lxml wraps it in a
    document of its own, and trafilatura extracts from that as from any page.

    With ``_PAGE_PARSER`` comments and processing instructions go, as on every page
    trafilatura parses (kept, they cost a third more extraction time on CleanEval's 42
    wrapped pages, and a little F1); ``_FRAGMENT_PARSER`` keeps them.
    """
    from lxml.etree import ParserError

    try:
        tree = lxml_html.document_fromstring(_XML_DECLARATION.sub("", html, count=1), parser=parser)
    except (ParserError, ValueError) as exc:
        raise NoArticleError("The page could not be parsed as HTML") from exc
    if tree is None or len(tree) == 0:
        raise NoArticleError("The page could not be parsed as HTML")
    return tree


# --- metadata -----------------------------------------------------------------------------

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
# the head's own meta tags: an absolute path, where "//head/meta" walks the whole document
_SECTION = etree.XPath(
    '/html/head/meta[@property="article:section" or @name="article:section" or @name="section"'
    ' or @itemprop="articleSection"]/@content'
)
# the scripts trafilatura's JSON-LD reader reads (trafilatura.metadata.extract_meta_json)
_JSON_SCRIPT_TYPES = frozenset({"application/ld+json", "application/settings+json"})
_JSON_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{6,40})"')


def _first(values: Any) -> str | None:
    if isinstance(values, list | tuple):
        return next((str(v) for v in values if v), None)
    return str(values) if values else None


def _read_metadata(tree: HtmlElement, result: HtmlExtraction, source: str, marked: list[HtmlElement]) -> _DateClues:
    """Title, author, site name, categories and tags of the page ``tree`` was parsed from
    (``source``); ``marked`` are its links marked rel="tag" or "category" (see
    ``_scan_anchors``). Returns what ``_meta_and_scripts`` found, for ``_read_date``."""
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title

    clues = _meta_and_scripts(tree)
    stand_in = _stand_in(tree, clues.json_scripts)
    meta = examine_meta(stand_in)
    if clues.json_scripts:
        try:
            meta = extract_meta_json(stand_in, meta)
        except Exception as exc:
            LOGGER.debug("JSON-LD metadata unreadable: %s", exc)
    result.title = _clean(meta.title) or _clean(extract_title(_headings(tree, source)))
    author = _clean(meta.author)
    result.author = author if author and " " in author else author or None
    result.sitename = _clean(meta.sitename)
    categories, tags = meta.categories or [], meta.tags or []
    if not categories:
        categories = [str(v) for v in _SECTION(tree)]
    if not categories or not tags:
        # rel="category tag" / rel="tag" links (WordPress and kin): one cheap pass, where
        # trafilatura's own catstags search scans every class attribute twice
        linked_categories, linked_tags = _rel_links(marked)
        categories, tags = categories or linked_categories, tags or linked_tags
    result.categories = _unique(_clean(x) for x in categories)
    result.tags = _unique(_clean(x) for x in tags)
    result.section = result.categories[0] if result.categories else None
    return clues


def _stand_in(tree: HtmlElement, json_scripts: list[HtmlElement]) -> HtmlElement:
    """A stand-in for the page, for trafilatura's meta tag and JSON-LD readers: a small
    document holding copies of the head's meta tags and of ``json_scripts``.

    Those readers find their elements by XPath paths that start with ".//" (the head's meta
    tags; the JSON scripts), which libxml2 answers by walking every node of the document,
    0.1-0.2 ms a walk on an average page. In the stand-in the same elements come in the same
    order, after a short walk.
    """
    stand_in = _PAGE_PARSER.makeelement("html")
    head = tree.find("head")
    if head is not None:
        etree.SubElement(stand_in, "head").extend(copy.copy(meta) for meta in head.iterchildren("meta"))
    stand_in.extend(copy.copy(script) for script in json_scripts)
    return stand_in


def _headings(tree: HtmlElement, source: str) -> HtmlElement:
    """A stand-in for the page, for trafilatura's title reader (``extract_title``): a small
    document holding copies of the head's title and of the headings (h1-h3; each outermost
    one with all it holds), in page order; or the page itself where that cannot stand in.

    The reader looks for its headings with three XPath paths that start with "//", each a
    walk over every node of the document (0.5 ms in all on an average CleanEval page, where
    titles mostly come from it). It also takes any element of class "entry-title" or
    "post-title": a page whose source spells either keeps its own tree. So does a tree that
    is part of a larger document holding headings outside it (the "//" paths find those,
    its other paths do not).
    """
    if "-title" in source and ("entry-title" in source or "post-title" in source):  # one scan on most pages
        return tree
    stand_in = _PAGE_PARSER.makeelement("html")
    title = tree.find(".//head//title")
    if title is not None:
        etree.SubElement(stand_in, "head").append(copy.copy(title))
    whole = tree.getparent() is None
    outermost = None
    for heading in tree.getroottree().iter("h1", "h2", "h3"):
        if outermost is not None and outermost in heading.iterancestors():
            continue
        if not whole and (heading is tree or tree not in heading.iterancestors()):
            return tree
        outermost = heading
        stand_in.append(copy.copy(heading))
    return stand_in


def _rel_links(marked: list[HtmlElement]) -> tuple[list[str], list[str]]:
    """The texts of the links marked rel="category" and of those marked rel="tag"."""
    categories, tags = [], []
    for anchor in marked:
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


@dataclass
class _DateClues:
    """What ``_meta_and_scripts`` found, for ``_read_date``."""

    candidates: list[str]  # the stated publication times, in page order
    json_scripts: list[HtmlElement]  # the JSON scripts trafilatura's (and htmldate's) JSON readers read
    tags: set[str]  # which of meta, time, script, link and abbr the tree holds; "og:image" if a meta is one


def _meta_and_scripts(tree: HtmlElement) -> _DateClues:
    """One pass over the meta, time, script, link and abbr elements: the stated publication
    times, the JSON scripts, and which of those kinds of element the page has at all (and
    whether a meta is an ``og:image`` with a ``content``)."""
    candidates, json_scripts, tags = [], [], set()
    for element in tree.iter("meta", "time", "script", "link", "abbr"):
        tags.add(element.tag)
        if element.tag in ("link", "abbr"):
            continue
        if element.tag == "meta":
            key = element.get("property") or element.get("name") or element.get("itemprop") or ""
            if key.lower() in _PUBLISHED_META and element.get("content"):
                candidates.append(element.get("content", ""))
            elif key == "og:image" and element.get("property") == key and element.get("content") is not None:
                tags.add("og:image")  # htmldate reads a date in its URL
        elif element.tag == "time":
            if element.get("itemprop") == "datePublished" or element.get("pubdate") is not None:
                candidates.append(element.get("datetime") or element.text_content())
        else:
            kind = element.get("type")
            if kind in _JSON_SCRIPT_TYPES:
                json_scripts.append(element)
                if kind == "application/ld+json" and element.text:
                    candidates.extend(_JSON_DATE.findall(element.text))
    return _DateClues(candidates, json_scripts, tags)


def _read_date(
    tree: HtmlElement,
    url: str | None,
    result: HtmlExtraction,
    clues: _DateClues,
    *,
    htmldate_fallback: bool = True,
) -> None:
    """The stated timestamp: a full one from the candidates of ``clues`` (see
    ``_meta_and_scripts``), else the URL's day, else htmldate's (``markup_day``, which
    prunes ``tree``: read it last)."""
    for candidate in clues.candidates:
        found = find_timestamp(candidate)
        if found is not None:
            result.date, result.date_local, result.date_text = found.value, found.local, candidate.strip()
            result.date_source = "html_meta"
            return
    # a date in the URL's path comes next, as htmldate itself would rank it, and spares
    # htmldate's markup search
    from_url = date_from_url(url or "")
    if from_url is not None:
        found = find_timestamp(from_url.isoformat())
        if found is not None:
            result.date, result.date_local, result.date_text = found.value, found.local, url
            result.date_source = "url"
            return
    if htmldate_fallback:
        day = markup_day(tree, clues.tags, json_scripts=bool(clues.json_scripts))
        found = find_timestamp(day) if day else None
        if found is not None:
            result.date, result.date_local, result.date_text = found.value, found.local, day
            result.date_source = "html_meta"


# --- page shape: article or index? --------------------------------------------------------

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_MENDED_CHARS = 4096  # how far into a page trafilatura's repair_faulty_html looks for <html/>
_SENTENCE_END = re.compile(r"[.!?。！？…»”\"')]\s*$|[.!?…]\s|[。！？]")
_MAX_HEADLINE_CHARS = 300  # a longer block is never taken for a link-only headline
# Scripts written without spaces between words: each run of them counts one word per 2 characters.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]+")


def _is_prose(paragraph: str) -> bool:
    """A block that reads as running text: enough words and at least one sentence end."""
    words = paragraph.count(" ") + 1  # paragraphs are normalised: one space between words
    if words < 25 and not paragraph.isascii():
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
# containers whose class or id says "related" ("Related", "related-posts", "relatedArticles")
_RELATED_CONTAINERS = ("div", "section", "aside", "ul")


@dataclass
class _LinkScan:
    """What ``_scan_anchors`` found among the page's links."""

    headlines: set[str]  # headline-length link texts, for the index-page test
    links: list[Link]  # the links in the main text
    marked: list[HtmlElement]  # links whose rel says "tag" or is "category", for the metadata


def _scan_anchors(tree: HtmlElement, paragraphs: list[str], url: str | None, max_links: int) -> _LinkScan:
    """One pass over the page's links: headline-length link texts, the links in the main
    text, and the links marked as tags or categories.

    A link is in the main text when the block holding it (the nearest ``p``, ``li``, ...
    ancestor) is one of the extracted paragraphs. Its text is then part of the main text
    (the block's text holds the link's, and squeezing the spaces of both keeps it so), so
    a link whose text is not is skipped before its block is looked up (a navigation link;
    a text seen once is not searched for again). That test is only a shortcut: the block
    decides.
    """
    wanted = set(paragraphs)
    main_text = "\n".join(paragraphs)
    headlines: set[str] = set()
    links: list[Link] = []
    marked: list[HtmlElement] = []
    seen: set[str] = set()
    outside: set[str] = set()  # link texts found nowhere in the main text
    block_is_main: dict[HtmlElement, bool] = {}
    for anchor in tree.getroottree().iter("a"):  # every link of the document, as "//a"
        rel = anchor.get("rel")
        if rel and ("tag" in rel or rel == "category"):
            marked.append(anchor)
        # most links hold plain text: .text spares a text_content call
        raw = anchor.text if len(anchor) == 0 else anchor.text_content()
        if not raw:
            continue
        text = " ".join(raw.split())
        if not text:
            continue
        if 12 <= len(text) < _MAX_HEADLINE_CHARS:
            headlines.add(text)
        if text in outside or len(links) >= max_links:
            continue
        href = anchor.get("href")
        if not href:
            continue
        href = href.strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        if text not in main_text:
            outside.add(text)
            continue
        block = anchor.getparent()
        while block is not None and block.tag not in _BLOCK_TAGS:
            block = block.getparent()
        if block is None:
            continue
        is_main = block_is_main.get(block)
        if is_main is None:
            is_main = block_is_main[block] = " ".join(block.text_content().split()) in wanted
        if not is_main:
            continue
        href = urljoin(url, href) if url else href
        if href not in seen:
            seen.add(href)
            links.append(Link(normalize_line(raw), href))
    return _LinkScan(headlines=headlines, links=links, marked=marked)


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
    container: one scan of the string spares them the walk over the tree. (A class name
    written with character references, "r&#101;lated", would be missed; none is.) The walk
    is lxml's iteration, which visits only the four kinds of container, where an XPath
    union walks the tree once for each.
    """
    if "elated" not in source:
        return []
    headlines: list[str] = []
    for container in tree.getroottree().iter(_RELATED_CONTAINERS):
        marks = container.get("class", "") + " " + container.get("id", "")
        if "elated" not in marks or "related" not in marks.lower():
            continue
        for anchor in container.iter("a"):
            text = normalize_line(anchor.text_content())
            if len(text.split()) >= 4 and text not in main_text and text not in headlines:
                headlines.append(text)
                if len(headlines) >= limit:
                    return headlines
    return headlines
