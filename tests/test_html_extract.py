"""The HTML path: main text, metadata, page-shape verdicts and the time limit."""

from __future__ import annotations

import dataclasses
import signal
import threading
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.errors import DocumentError, ExtractionTimeoutError, NoArticleError, NotAnArticleError
from dateline.extract import html as html_module
from dateline.extract import markup_date
from dateline.extract.html import ExtractOptions, PageShape, assess_page_shape, extract_html, measure_page_shape

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
ARTICLE_URL = "https://example.com/world/2021/03/01/grain-corridor.html"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article() -> html_module.HtmlExtraction:
    return extract_html(fixture("article.html"), url=ARTICLE_URL, timeout=20)


def test_article_main_text_in_order(article: html_module.HtmlExtraction) -> None:
    text = article.text
    first = text.index("The foreign ministers")
    assert first < text.index("The agreement, brokered") < text.index("Aid agencies welcomed")
    assert all(p == p.strip() and p for p in article.paragraphs)
    assert any(p.startswith("The agreement, brokered by Turkish mediators") for p in article.paragraphs)


@pytest.mark.parametrize(
    "chrome",
    ["We use cookies", "Privacy policy", "All rights reserved", "Home", "Related stories", "Terms of use"],
)
def test_article_chrome_is_dropped(article: html_module.HtmlExtraction, chrome: str) -> None:
    assert chrome not in article.text


@pytest.mark.parametrize("script_text", ["SECRET_TRACKING_CODE", "INLINE_SCRIPT_TEXT", "dataLayer", "color: red"])
def test_script_and_style_never_in_text(article: html_module.HtmlExtraction, script_text: str) -> None:
    assert script_text not in article.text


def test_article_metadata(article: html_module.HtmlExtraction) -> None:
    assert article.title == "Leaders agree on grain corridor after talks in Istanbul"
    assert article.sitename == "The Daily Example"
    assert article.author == "Jane Reporter"
    assert article.tags == ["Diplomacy", "Grain"]
    assert article.section == "World"
    assert article.date == datetime(2021, 3, 1, 13, 48, tzinfo=UTC)
    assert article.date_local is not None and article.date_local.isoformat() == "2021-03-01T16:48:00+03:00"
    assert article.date_source == "html_meta"


def test_article_links_read_more_related(article: html_module.HtmlExtraction) -> None:
    assert [(link.text, link.href) for link in article.links] == [
        ("earlier talks had stalled", "https://example.com/world/2021/02/20/talks-stall.html")
    ]
    assert article.read_more == ["Wheat prices fall to a six-month low"]
    assert article.related == [
        "Ukraine and Russia trade accusations over port attacks",
        "Shipping insurers raise premiums for Black Sea routes",
    ]


RELATED_LIST = (
    "<ul><li><a href='/a'>Port attacks halt grain shipments again</a></li>"
    "<li><a href='/b'>Insurers raise premiums for Black Sea routes</a></li></ul>"
)


@pytest.mark.parametrize(
    ("container", "related"),
    [
        (f"<aside class='Related-Posts'>{RELATED_LIST}</aside>", True),
        (f"<div id='relatedArticles'>{RELATED_LIST}</div>", True),
        (f"<aside class='more'><h3>Related</h3>{RELATED_LIST}</aside>", False),  # only the heading says so
    ],
)
def test_related_headlines_come_from_containers_marked_related(container: str, related: bool) -> None:
    page = fixture("article.html").replace('<aside class="related-stories">', '<aside class="more-stories">')
    page = page.replace("</article>", "</article>" + container)
    result = extract_html(page, url=ARTICLE_URL, timeout=20)
    expected = ["Port attacks halt grain shipments again", "Insurers raise premiums for Black Sea routes"]
    assert result.related == (expected if related else [])


def undated_article() -> str:
    page = fixture("article.html")
    page = page.replace('<meta property="article:published_time" content="2021-03-01T16:48:00+03:00">', "")
    return page.replace("16:48 GMT+3, 1 March 2021", "")


def test_date_from_url_when_the_page_states_none() -> None:
    page = undated_article()
    result = extract_html(page, url=ARTICLE_URL, timeout=20, options=ExtractOptions(htmldate_fallback=False))
    assert result.date_source == "url"
    assert result.date is not None and result.date.date().isoformat() == "2021-03-01"


def test_no_date_at_all() -> None:
    result = extract_html(undated_article(), url="https://example.com/world/grain", timeout=20)
    assert result.date is None and result.date_source is None


def test_index_page_is_not_an_article() -> None:
    with pytest.raises(NotAnArticleError) as caught:
        extract_html(fixture("index.html"), url="https://example.com/world/", timeout=20)
    assert caught.value.code == "not_article"


def test_index_page_passes_when_the_check_is_off() -> None:
    result = extract_html(fixture("index.html"), url=None, timeout=20, options=ExtractOptions(check_article=False))
    assert len(result.paragraphs) >= 10


@pytest.mark.parametrize("name", ["empty_body.html"])
def test_page_without_main_text(name: str) -> None:
    with pytest.raises(NoArticleError):
        extract_html(fixture(name), url=None, timeout=20)


@pytest.mark.parametrize("page", ["", "   \n ", "<html></html>", "<html><body></body></html>"])
def test_empty_pages(page: str) -> None:
    with pytest.raises(NoArticleError):
        extract_html(page, url=None, timeout=20)


def test_short_stub_is_not_an_article() -> None:
    page = "<html><body><article><p>Police said the road would reopen on Friday afternoon.</p></article></body></html>"
    with pytest.raises((NotAnArticleError, NoArticleError)):
        extract_html(page, url=None, timeout=20)


@pytest.mark.parametrize(
    "page",
    [
        "<div>" * 3000 + "deep text " * 50 + "</div>" * 3000,  # absurd nesting
        "<html><body>" + "<p>x</p>" * 5000 + "</body></html>",  # many tiny blocks
        "<html><body><table>" + "<tr><td>cell</td></tr>" * 3000 + "</table></body></html>",
        "\x00\x01<html><body><p>broken \udcff bytes</p>",
        "<<<>>> not html at all &&& ;;;",
    ],
)
def test_pathological_pages_end_in_a_document_error_or_text(page: str) -> None:
    try:
        result = extract_html(page, url=None, timeout=20)
    except DocumentError:
        return
    assert isinstance(result.paragraphs, list)


def _slow_extract(*args: Any, **kwargs: Any) -> Any:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # a pure-Python loop, as trafilatura's are
        pass
    raise AssertionError("the timer did not fire")


def test_timeout_fires_and_restores_previous_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_module, "_extract", _slow_extract)
    sentinel_calls: list[int] = []

    def sentinel(signum: int, frame: Any) -> None:
        sentinel_calls.append(signum)

    previous = signal.signal(signal.SIGALRM, sentinel)
    try:
        started = time.monotonic()
        with pytest.raises(ExtractionTimeoutError) as caught:
            extract_html(fixture("article.html"), url=None, timeout=0.2)
        assert time.monotonic() - started < 2
        assert caught.value.code == "timeout"
        assert signal.getsignal(signal.SIGALRM) is sentinel
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert sentinel_calls == []


def test_timeout_keeps_an_outer_timer_running(monkeypatch: pytest.MonkeyPatch) -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        extract_html(fixture("article.html"), url=None, timeout=10)
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 20 < remaining <= 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == []


def test_timeout_exception_cannot_be_swallowed_by_broad_excepts(monkeypatch: pytest.MonkeyPatch) -> None:
    def swallowing(*args: Any, **kwargs: Any) -> Any:
        try:
            _slow_extract()
        except Exception as exc:  # what trafilatura does in places
            raise AssertionError("the deadline was swallowed") from exc
        raise AssertionError("the deadline never came")

    monkeypatch.setattr(html_module, "_extract", swallowing)
    with pytest.raises(ExtractionTimeoutError):
        extract_html("<html><body><p>x</p></body></html>", url=None, timeout=0.2)


def test_outside_the_main_thread_the_limit_is_checked_afterwards(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_but_finishing(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        return html_module.HtmlExtraction(paragraphs=["done"])

    monkeypatch.setattr(html_module, "_extract", slow_but_finishing)
    outcome: list[BaseException | object] = []

    def worker() -> None:
        try:
            outcome.append(extract_html("<p>x</p>", url=None, timeout=0.1))
        except ExtractionTimeoutError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(5)
    assert len(outcome) == 1 and isinstance(outcome[0], ExtractionTimeoutError)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("shape", "rejected"),
    [
        (PageShape(chars=150, blocks=2, prose_chars=150, link_blocks=0, link_chars=0), True),  # a stub
        (PageShape(chars=3000, blocks=30, prose_chars=100, link_blocks=0, link_chars=0), True),  # no prose
        (PageShape(chars=3000, blocks=20, prose_chars=1200, link_blocks=12, link_chars=1600), True),  # headlines
        (PageShape(chars=3000, blocks=30, prose_chars=1400, link_blocks=10, link_chars=900), True),  # teasers
        (PageShape(chars=3000, blocks=10, prose_chars=2800, link_blocks=1, link_chars=60), False),  # article
        (PageShape(chars=5000, blocks=40, prose_chars=4000, link_blocks=8, link_chars=500), False),  # + links
    ],
)
def test_assess_page_shape(shape: PageShape, rejected: bool) -> None:
    assert (assess_page_shape(shape, min_chars=200) is not None) is rejected


def test_measure_page_shape() -> None:
    paragraphs = [
        "Minister resigns over budget row",  # a headline that is a link on the page
        "The minister resigned on Monday after weeks of pressure from within her own party.",
        "Photo: Reuters",
    ]
    shape = measure_page_shape(paragraphs, {"Minister resigns over budget row"})
    assert shape.blocks == 3
    assert shape.link_blocks == 1 and shape.link_chars == len(paragraphs[0])
    assert shape.prose_chars == len(paragraphs[1])
    assert shape.chars == sum(map(len, paragraphs))


def test_options_from_settings() -> None:
    from dateline.config import Settings

    options = ExtractOptions.from_settings(Settings(min_article_chars=500), favor_precision=True)
    assert options.min_article_chars == 500 and options.favor_precision


def test_links_reach_the_document_with_their_offsets() -> None:
    import dateline
    from dateline.schema import validation_errors

    doc = dateline.process(fixture("article.html").encode("utf-8"), uri=ARTICLE_URL, content_type="text/html").to_json()
    assert validation_errors(doc) == []
    assert [(x["text"], x["href"]) for x in doc["links"]] == [
        ("earlier talks had stalled", "https://example.com/world/2021/02/20/talks-stall.html")
    ]
    link = doc["links"][0]
    assert doc["text"][link["start"] : link["end"]] == link["text"]


# --- the cheaper paths hold to what they stand in for -----------------------------------------

# the characters normalisation touches, and a few it must leave alone
_TRICKY = list("ab Z.\n\n  \t\r") + list("\u00a0\u1680\u2000\u2009\u202f\u3000\u200b\u00ad\ufeff\u2060\u180e")
_TRICKY += ["\r\n", "\x00", "\x0b", "\x0c", "\x1c", "\x1f", "\x7f", "\x85", "\u2028", "\u2029", "e\u0301", "\u212b"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TRICKY), max_size=30).map("".join))
def test_normalisation_matches_its_definition(text: str) -> None:
    """normalize_text replaces only the characters it finds: the same as translating them all."""
    from dateline.extract.normalize import _CONTROL, _TRANSLATE, normalize_text

    plain = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE))
    assert normalize_text(text) == unicodedata.normalize("NFC", plain)


@pytest.mark.parametrize(
    ("page", "reused"),
    [
        ("<text id='a'>\n<div><p>Filed from Istanbul</p><p>More</p></div></text>\n", True),  # CleanEval's wrapping
        ("<p>a lone fragment</p>", True),
        ("loose text<p>and a paragraph</p>", False),  # lxml renames the <body> it hands back
        ('<?xml version="1.0"?><p>declared</p>', False),  # _parse_fragment drops the declaration
        ("<p>a\x01b</p>", False),  # repaired before parsing
        ("<html><body><p>a page</p><p>two</p></body></html>", None),  # taken, not refused
    ],
)
def test_a_refused_page_hands_on_its_document(page: str, reused: bool | None) -> None:
    """The document a refused page was parsed into is handed on only where it is the one
    _parse_fragment would parse."""
    from lxml import etree

    tree, document = html_module._parse_or_refuse(page)
    assert (tree is not None) == (reused is None)
    assert (document is not None) == bool(reused)
    if document is not None:
        again = html_module._parse_fragment(page, html_module._PAGE_PARSER)
        assert etree.tostring(document.getroottree()) == etree.tostring(again.getroottree())


def _lxml_class(element: Any) -> type:
    """The lxml.html class an element of ours stands for."""
    cls = type(element)
    return cls.__bases__[-1] if issubclass(cls, html_module._CheapTextContent) else cls


_TEXTS = (
    "<html><head><title>T &amp; <b>t</b></title><script>if (a < b) { x = '</p>'; }</script>"
    "<style>p { color: red }</style></head><body><p>a<!-- no -->b<?pi no?>c<i>d<b>e</b>f</i>g&nbsp;h"
    "&#8217;i &unknown; j</p>tail<form><label>L<input value='v'></label><select><option>o</option>"
    "</select><textarea>t\r\nx</textarea></form><table><tr><td>1</td><td></td></tr></table>"
    "<![CDATA[c]]><pre>  p  </pre><p></p></body></html>"
)


@pytest.mark.parametrize("page", ["article.html", "index.html", "wrapped", "whole"])
def test_text_content_is_lxml_htmls(page: str) -> None:
    """_CheapTextContent.text_content gives what lxml.html's gives, on every element (kept
    comments and processing instructions, entities, scripts, forms, empty elements)."""
    from lxml.html import HtmlMixin

    source = {"wrapped": f"<text id='x'>{_TEXTS}</text>", "whole": _TEXTS}.get(page) or fixture(page)
    trees = [html_module._parse_fragment(source, html_module._FRAGMENT_PARSER)]
    page_tree = html_module._parse_page(source)
    trees.append(page_tree if page_tree is not None else html_module._parse_fragment(source, html_module._PAGE_PARSER))
    for tree in trees:
        elements = [e for e in tree.iter() if isinstance(e, html_module._CheapTextContent)]
        assert len(elements) > 10
        for element in elements:
            assert element.text_content() == HtmlMixin.text_content(element)


@pytest.mark.parametrize(
    "page",
    [
        "article.html",
        "index.html",
        "<div><p>one</p><p>two</p></div>",  # no <html>, two children: kept
        "<p>a lone fragment</p>",  # no <html>, one child: refused as dubious
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>caf\u00e9</p></body></html>',  # parsed as bytes
        "<!DOCTYPE html><html/><body><p>self-closing root</p></body>",
        "<html><body><form><label>Name</label><input name='q'><select></select><textarea></textarea></form>"
        "<!-- a comment --><?php echo 1; ?><p>after</p></body></html>",
        "   ",
    ],
)
def test_pages_parse_as_trafilatura_parses_them(page: str) -> None:
    from lxml import etree
    from trafilatura.utils import load_html

    page = fixture(page) if page.endswith(".html") else page
    theirs, ours = load_html(page), html_module._parse_page(page)
    assert (ours is None) == (theirs is None)
    if ours is not None and theirs is not None:
        assert etree.tostring(ours) == etree.tostring(theirs)
        # the element classes lxml.html's own lookup gives (FormElement, InputElement, ...),
        # with our text_content
        assert [_lxml_class(e) for e in ours.iter()] == [type(e) for e in theirs.iter()]


JSON_LD = (
    '<script type="application/ld+json">{"@context": "https:\\/\\/schema.org", "@type": "NewsArticle", '
    '"author": {"@type": "Person", "name": "Jane Reporter"}, "publisher": {"@type": "Organization", '
    '"name": "The Daily Example Group"}, "articleSection": "World"}</script>'
)


@pytest.mark.parametrize(
    "page",
    [
        fixture("article.html"),
        fixture("article.html").replace("</article>", "</article>" + JSON_LD),  # JSON-LD in the body
        fixture("article.html").replace("</head>", JSON_LD + "</head>").replace("<h1>", "<h1><h2>Inner</h2>"),
        fixture("article.html").replace("<h1>", '<h2 class="entry-title">Second</h2><h1>'),
        fixture("index.html"),
        "<text id='x'><h2>Only a subheading</h2><h3 id='title'>A title</h3><p>Body text.</p><p>More.</p></text>",
    ],
)
def test_stand_ins_read_as_the_page(page: str) -> None:
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title

    tree = html_module._parse_page(page)
    assert tree is not None
    scripts = html_module._meta_and_scripts(tree).json_scripts
    stand_in = html_module._stand_in(tree, scripts)
    fields = ("title", "author", "sitename", "categories", "tags", "description", "pagetype")
    on_page = extract_meta_json(tree, examine_meta(tree))
    on_stand_in = extract_meta_json(stand_in, examine_meta(stand_in))
    assert [getattr(on_stand_in, f) for f in fields] == [getattr(on_page, f) for f in fields]
    assert extract_title(html_module._headings(tree, page)) == extract_title(tree)


def test_a_fragment_keeps_a_date_stated_in_a_comment() -> None:
    body = "".join(f"<p>Paragraph {i} of a page exported without its html element, long enough.</p>" for i in range(12))
    page = (
        "<text id='http://example.com/a' title='A page'><div><!-- <rdf:Description "
        'dc:date="2004-08-29T23:46:03-06:00" /> --><h2>August 29, 2004</h2>' + body + "</div></text>"
    )
    result = extract_html(page, url=None, timeout=20)
    assert result.date is not None and result.date_local is not None
    assert result.date_local.date().isoformat() == "2004-08-29"
    assert "rdf:Description" not in result.text and "Paragraph 11" in result.text


_WRAPPED_NAV = "".join(
    f"<li><a href='/s/{w.lower()}'>{w}</a></li>" for w in ("Home", "World", "Business", "Sport", "Contact us")
)
_WRAPPED_PROSE = (
    "Negotiators from both delegations met in Geneva on Tuesday to discuss the prisoner exchange.",
    "The talks lasted six hours, according to a statement released by the mediators afterwards.",
    "Both sides agreed to meet again next month, although no date has been set for the meeting.",
)


def test_a_fragment_trafilatura_refuses_gets_its_text_from_the_line_labeller() -> None:
    # CleanEval's wrapping: one <text> element around the whole page, so trafilatura calls the
    # page dubious and extracts nothing; the labeller keeps the prose and drops the menu and
    # the footer, as it does for a page saved as text
    prose = "".join(f"<p>{p}</p>" for p in _WRAPPED_PROSE)
    page = (
        f"<text id='http://example.com/talks'><div><div><ul>{_WRAPPED_NAV}</ul></div>"
        f"<div>{prose}</div><div>Copyright 2006 Example News. All rights reserved.</div></div></text>"
    )
    assert html_module._parse_page(page) is None  # refused: the labeller's path
    result = extract_html(page, options=ExtractOptions(check_article=False), timeout=20)
    assert result.paragraphs == list(_WRAPPED_PROSE)


def test_a_fragment_that_is_a_clean_article_keeps_every_line() -> None:
    # a CMS export of an article: its short headline and subheading are kept with the prose
    lines = ("Ceasefire holds", *_WRAPPED_PROSE[:2], "What comes next", _WRAPPED_PROSE[2])
    page = "<text id='x'><div>" + "".join(f"<p>{line}</p>" for line in lines) + "</div></text>"
    assert html_module._parse_page(page) is None
    result = extract_html(page, options=ExtractOptions(check_article=False), timeout=20)
    assert result.paragraphs == list(lines)


def test_visible_lines_of_a_tree_are_the_dump_of_its_page() -> None:
    from dateline.eval.textdump import render_dump
    from dateline.extract.visible_text import visible_lines

    page = fixture("article.html")
    tree = html_module._parse_fragment(page, html_module._PAGE_PARSER)
    assert "\n".join(visible_lines(tree)) == render_dump(page)


def test_links_marked_as_tags_and_categories() -> None:
    page = fixture("article.html").replace('<meta property="article:tag" content="Diplomacy">', "")
    page = page.replace('<meta property="article:tag" content="Grain">', "")
    page = page.replace(
        "</article>",
        "</article><div class='tags'><a rel='tag' href='/t/wheat'>Wheat</a> <a rel='category tag' "
        "href='/c/trade'>Trade</a> <a rel='Tag' href='/t/no'>Not a tag</a></div>",
    )
    result = extract_html(page, url=ARTICLE_URL, timeout=20)
    assert result.tags == ["Wheat"]


_REPAIR_PIECES = [
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">',
    "<!doctype html>",
    "<html lang='en'/>",
    "<HTML/>",
    "<html>",
    "<html",
    "/>",
    " \n />",
    "\n",
    "\r",
    " ",
    "x" * 1500,
    "<p>t</p>",
    "\x0b",
    "\ufffe",
    "\x85",
    "\u2019",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_REPAIR_PIECES), max_size=16).map("".join))
def test_repair_matches_trafilatura(page: str) -> None:
    from trafilatura.utils import repair_faulty_html

    beginning = page[:50].lower()
    assert html_module._repair(page, beginning) == repair_faulty_html(page, beginning)


@pytest.mark.parametrize(
    "code", [*range(0x20), 0x7F, 0x85, 0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x1F600]
)
@pytest.mark.parametrize("before", ["", "cafe ", "caf\u00e9 \u2019", "\U0001f600"])
def test_characters_xml_forbids_are_trafilaturas(code: int, before: str) -> None:
    from trafilatura.utils import INVALID_XML_CHARS

    char = chr(code)
    assert html_module._forbidden_in_xml(before + char + "x") == bool(INVALID_XML_CHARS.search(char))


def test_no_other_character_is_forbidden() -> None:
    from trafilatura.utils import INVALID_XML_CHARS

    for code in range(0x110000):
        char = chr(code)
        assert html_module._forbidden_in_xml("\u00e9" + char) == bool(INVALID_XML_CHARS.search(char)), hex(code)


# --- htmldate's search, run on our own tree (markup_date) ---------------------------------------

_DATED = "<p>Nothing here says when, but the page goes on for a while about grain and ships.</p>"


def _page(head: str = "", body: str = _DATED) -> str:
    return f"<!DOCTYPE html><html><head><title>Grain talks</title>{head}</head><body>{body}</body></html>"


# each page is dated (or not) by a different step of htmldate's fast search
_MARKUP_DATES = {
    "canonical link": (_page('<link rel="canonical" href="https://example.com/2019/03/12/talks.html">'), "2019-03-12"),
    "meta tag": (_page('<meta name="dc.date.created" content="2019-03-12">'), "2019-03-12"),
    "JSON-LD": (_page('<script type="application/ld+json">{"datePublished": "2019-03-12"}</script>'), "2019-03-12"),
    "abbr": (_page(body=_DATED + '<abbr class="published" title="2019-03-12">March</abbr>'), "2019-03-12"),
    "dated element": (_page(body=_DATED + '<span class="date">2019-03-12</span>'), "2019-03-12"),
    "heading": (_page(body="<h1>Talks of 12 March 2019</h1>" + _DATED), "2019-03-12"),
    "time element": (_page(body=_DATED + '<time datetime="2019-03-12">Tuesday</time>'), "2019-03-12"),
    "timestamp in an attribute": (_page(body=f'<div data-when="2019-03-12 10:20:30">{_DATED}</div>'), "2019-03-12"),
    "og:image URL": (_page('<meta property="og:image" content="https://example.com/2019/03/12/a.jpg">'), "2019-03-12"),
    "og:image as a name, not read": (
        _page('<meta name="og:image" content="https://example.com/2019/03/12/a.jpg">'),
        None,
    ),
    "og:image, the first one empty": (
        _page('<meta property="og:image" content=""><meta property="og:image" content="/2019/03/12/a.jpg">'),
        None,
    ),
    "written date": (_page(body=_DATED + "<p>Published: 12.03.2019 by the desk</p>"), "2019-03-12"),
    "bare date in the text": (_page(body=_DATED + "<p>Filed 2019-03-12 from Istanbul</p>"), "2019-03-12"),
    # the date is whole only once the script goes (its tail joins the text before it)
    "date split by a script": (
        _page(body=_DATED + "<p>Filed 2019-03-<script>var x;</script>12 here</p>"),
        "2019-03-12",
    ),
    "split by an iframe": (_page(body=_DATED + "<p>Filed 2019-03-<iframe></iframe>12 12:00:00 here</p>"), "2019-03-12"),
    "no date": (_page(body=_DATED + "<p>Version 1.2.3, call 555-0100, 3/4 cup</p>"), None),
    "dotted, no cue": (_page(body=_DATED + "<p>Ref 12.03.2019</p>"), None),
    # CleanEval's pages: a <text> element inside the document lxml builds around it
    "a wrapped page": (f"<text id='a'><p>Filed 2019-03-12 from Istanbul</p>{_DATED}</text>\n", "2019-03-12"),
    "a wrapped page, undated": (f"<text id='a'><p>Ref 12.03.2019</p>{_DATED}</text>\n", None),
}


def _markup_day(tree: Any) -> str | None:
    clues = html_module._meta_and_scripts(tree)
    return markup_date.markup_day(tree, clues.tags, json_scripts=bool(clues.json_scripts))


@pytest.mark.parametrize("name", list(_MARKUP_DATES))
def test_markup_date_is_htmldates(name: str) -> None:
    """Each step of htmldate's search that markup_day runs itself, skips or reorders finds
    what find_date finds; a step that changed in htmldate would show here."""
    from htmldate import find_date

    page, expected = _MARKUP_DATES[name]
    ours, theirs = html_module._parse_page(page), html_module._parse_page(page)
    assert ours is not None and theirs is not None
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    found = find_date(theirs, extensive_search=False, original_date=True, max_date=today)
    assert found == expected
    assert _markup_day(ours) == expected


@pytest.mark.parametrize("name", ["article.html", "index.html", "empty_body.html"])
def test_markup_date_on_the_fixtures(name: str) -> None:
    from htmldate import find_date

    page = fixture(name)
    ours, theirs = html_module._parse_page(page), html_module._parse_page(page)
    assert ours is not None and theirs is not None
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    expected = find_date(theirs, extensive_search=False, original_date=True, max_date=today)
    assert _markup_day(ours) == expected


def test_the_htmldate_fallback_dates_a_page() -> None:
    page = _page(
        body="".join(f"<p>Paragraph {i} of the report on grain and ships, long enough.</p>" for i in range(12))
    )
    page = page.replace("</body>", "<p>Published: 12.03.2019 by the desk</p></body>")
    result = extract_html(page, url=None, timeout=20)
    assert result.date_source == "html_meta" and result.date_text == "2019-03-12"
    assert extract_html(page, url=None, timeout=20, options=ExtractOptions(htmldate_fallback=False)).date is None


@pytest.fixture
def fresh_route() -> Any:
    """markup_date's choice of route made anew for the test, and again after it."""
    markup_date._ROUTE.reset()
    yield markup_date._ROUTE
    markup_date._ROUTE.reset()


def _counting_find_date(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Count the calls of htmldate.find_date that markup_date makes."""
    import htmldate

    calls: list[Any] = []
    real = htmldate.find_date

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(htmldate, "find_date", counted)
    return calls


def test_the_steps_are_tried_once_and_used(fresh_route: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting_find_date(monkeypatch)
    for page, expected in _MARKUP_DATES.values():
        tree = html_module._parse_page(page)
        assert tree is not None and _markup_day(tree) == expected
    assert len(calls) == 1  # the trial page, once
    assert fresh_route.steps() is not None


def _without_internal(monkeypatch: pytest.MonkeyPatch, name: str, **replaced: Any) -> None:
    """markup_date sees an htmldate.core without ``name`` and with ``replaced`` (find_date
    itself still runs on the real one)."""
    import types

    from htmldate import core

    stand_in = types.SimpleNamespace(**{k: v for k, v in vars(core).items() if k != name} | replaced)
    monkeypatch.setattr(markup_date, "_htmldate_core", lambda: stand_in)


@pytest.mark.parametrize("missing", ["date_candidates", "serialize", "examine_header", "Extractor", "CLEANING_LIST"])
def test_a_missing_htmldate_internal_falls_back_to_find_date(
    fresh_route: Any, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    """An htmldate without one of the pieces the search is made of (an older or newer
    release): every page still gets find_date's day, and the pieces are looked for once."""
    _without_internal(monkeypatch, missing)
    lookups: list[int] = []
    real_load = markup_date._load_steps

    def counted_load() -> Any:
        lookups.append(1)
        return real_load()

    monkeypatch.setattr(markup_date, "_load_steps", counted_load)
    calls = _counting_find_date(monkeypatch)
    for page, expected in _MARKUP_DATES.values():
        tree = html_module._parse_page(page)
        assert tree is not None and _markup_day(tree) == expected
    assert len(lookups) == 1
    assert len(calls) == len(_MARKUP_DATES)  # every page by find_date, no trial
    assert fresh_route.steps() is None


@pytest.mark.parametrize("step", ["head_day", "elements_day", "pattern_day"])
def test_a_step_failing_like_a_changed_signature_falls_back_for_good(
    fresh_route: Any, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """A step that raises TypeError on a page (before the pruning, after it, in the text
    searches): that page and every later one get find_date's day."""
    steps = fresh_route.steps()
    assert steps is not None

    def changed(*args: Any) -> Any:
        raise TypeError(f"{step}() takes 3 positional arguments but {len(args)} were given")

    monkeypatch.setattr(fresh_route, "_steps", dataclasses.replace(steps, **{step: changed}))
    calls = _counting_find_date(monkeypatch)
    fell_back = False
    for page, expected in _MARKUP_DATES.values():
        tree = html_module._parse_page(page)
        before = len(calls)
        assert tree is not None and _markup_day(tree) == expected
        # find_date answers once a page, from the first page that reaches the step on
        answered = len(calls) - before
        assert answered == 1 if fell_back else answered in (0, 1)
        fell_back = fell_back or answered == 1
    assert fell_back and fresh_route.steps() is None


def test_steps_that_disagree_on_the_trial_page_are_not_used(fresh_route: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A step that still runs but answers differently (a changed meaning, not a changed
    name) shows on the trial page."""
    _without_internal(monkeypatch, "", pattern_search=lambda text, pattern, options: None)
    assert fresh_route.steps() is None
    page, expected = _MARKUP_DATES["bare date in the text"]
    tree = html_module._parse_page(page)
    assert tree is not None and _markup_day(tree) == expected


def test_an_htmldate_without_its_core_module_falls_back(fresh_route: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def moved() -> Any:
        raise ImportError("cannot import name 'core' from 'htmldate'")

    monkeypatch.setattr(markup_date, "_htmldate_core", moved)
    page, expected = _MARKUP_DATES["dated element"]
    tree = html_module._parse_page(page)
    assert tree is not None and _markup_day(tree) == expected
    assert fresh_route.steps() is None


def test_the_extraction_dates_a_page_without_htmldates_internals(
    fresh_route: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(
        body="".join(f"<p>Paragraph {i} of the report on grain and ships, long enough.</p>" for i in range(12))
    )
    page = page.replace("</body>", "<p>Published: 12.03.2019 by the desk</p></body>")
    with_steps = extract_html(page, url=None, timeout=20)
    assert fresh_route.steps() is not None
    fresh_route.reset()
    _without_internal(monkeypatch, "idiosyncrasies_search")
    without = extract_html(page, url=None, timeout=20)
    assert fresh_route.steps() is None
    assert (without.date, without.date_text, without.date_source) == (
        with_steps.date,
        with_steps.date_text,
        with_steps.date_source,
    )
    assert without.date_text == "2019-03-12"


_SHAPE_PIECES = [*"0123456789", "2019", "12", ".", "/", "-", ":", " ", "T", "x", "<", "é", "\u2019"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_SHAPE_PIECES), max_size=24).map("".join))
def test_date_shapes_are_what_htmldates_text_searches_need(text: str) -> None:
    """Whatever htmldate's text searches match, date_shapes says may be there."""
    from htmldate.core import TIMESTAMP_LOOSE_PATTERN, TIMESTAMP_PATTERN
    from htmldate.extractors import DATE_CORE_PATTERN, TEXT_PATTERNS

    year_first, dotted = markup_date.date_shapes(text)
    if TIMESTAMP_PATTERN.search(text) or TIMESTAMP_LOOSE_PATTERN.search(text):
        assert year_first
    if DATE_CORE_PATTERN.search(text) or TEXT_PATTERNS.search("posted " + text):
        assert dotted


def test_date_shapes() -> None:
    assert markup_date.date_shapes("on 2019-3-12") == (True, False)
    assert markup_date.date_shapes("on 12.03.19 or 1/3/2019") == (False, True)
    assert markup_date.date_shapes("2019-03 1.2.3 12-03-2019 é") == (False, False)


def test_joins_digits() -> None:
    tree = html_module._parse_page(_page(body="<p>a<script>x</script>b<style>y</style></p>"))
    assert tree is not None and not markup_date.joins_digits(tree)
    for tail in ("12 March", "-03"):
        tree = html_module._parse_page(_page(body=f"<p>a<script>x</script>{tail}</p>"))
        assert tree is not None and markup_date.joins_digits(tree)


def test_trafilatura_settings_are_those_bare_extraction_builds() -> None:
    """The settings made once are the ones bare_extraction would make for a page without a
    URL, and extracting a page leaves them as they were."""
    import trafilatura.core
    from trafilatura import bare_extraction

    built = []

    class Recording(trafilatura.core.Extractor):  # type: ignore[misc, name-defined]
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            built.append(self)

    def state(settings: Any) -> dict[str, Any]:
        return {name: getattr(settings, name) for name in type(settings).__slots__ if name != "date_params"}

    page = fixture("article.html")
    for flags in [(False, False, False, True), (True, False, False, True), (False, True, True, False)]:
        ours = html_module._trafilatura_settings(*flags)
        before = state(ours)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(trafilatura.core, "Extractor", Recording)
            tree = html_module._parse_page(page)
            theirs = bare_extraction(
                tree,
                favor_precision=flags[0],
                favor_recall=flags[1],
                include_comments=flags[2],
                include_tables=flags[3],
                with_metadata=False,
            )
        assert state(built[-1]) == before
        with_ours = bare_extraction(html_module._parse_page(page), options=ours)
        assert theirs is not None and with_ours is not None and with_ours.text == theirs.text
        assert state(ours) == before
