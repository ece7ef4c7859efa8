"""A page's visible text, one block a line: what a browser's "save as text" gives.

All the text a reader sees, navigation, footers and widgets included, each block-level
element on a line of its own (``<br>`` too). It is the shape of the text dumps the line
labeller (:mod:`dateline.extract.lines`) reads, so an HTML page can go through it: the
HTML path does that for fragments trafilatura refuses, and the benchmarks render their
HTML gold pages with it (:mod:`dateline.eval.textdump`).

    >>> render_dump(b"<html><body><nav>Home</nav><p>Hello <b>world</b>.</p></body></html>")
    'Home\\nHello world.'
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from dateline.errors import DocumentError
from dateline.extract.normalize import normalize_line

# Elements whose text is never shown.
_INVISIBLE = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "select",
        "textarea",
        "map",
        "audio",
        "video",
        "source",
        "track",
        "param",
        "datalist",
    ]
)
# Elements that start a line of their own.
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
    ]
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.I)


def _decode(data: bytes) -> str:
    from dateline.ingest.decode import decode_bytes

    try:
        return decode_bytes(data)[0]
    except DocumentError:
        return data.decode("utf-8", errors="replace")


def _is_hidden(element: etree._Element) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def render_dump(page: bytes | str) -> str:
    """Render an HTML page to a text dump: visible text, one block element per line."""
    text = _decode(page) if isinstance(page, bytes) else page
    text = _XML_DECLARATION.sub("", text)
    if not text.strip():
        return ""
    try:
        root = lxml_html.document_fromstring(text, parser=lxml_html.HTMLParser(remove_comments=True))
    except (etree.ParserError, ValueError):
        return ""
    return "\n".join(visible_lines(root))


def visible_lines(root: etree._Element) -> list[str]:
    """The visible text under ``root``, one block element per line, each line normalised
    (:func:`~dateline.extract.normalize.normalize_line`), empty ones left out. Comments in
    the tree are passed over but their tails kept."""
    lines: list[str] = []
    current: list[str] = []
    pre_depth = 0

    def flush() -> None:
        if current:
            joined = "".join(current)
            current.clear()
            for piece in joined.split("\n"):
                line = normalize_line(piece)
                if line:
                    lines.append(line)

    def add(chunk: str | None) -> None:
        if chunk:
            current.append(chunk if pre_depth else chunk.replace("\n", " ").replace("\r", " "))

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if not isinstance(tag, str):  # processing instructions, entities
            if event == "end":
                add(element.tail)
            continue
        tag = tag.lower()
        if event == "start":
            if tag in _INVISIBLE or _is_hidden(element):
                walker.skip_subtree()  # its "end" event still comes, and adds its tail
                continue
            if tag in _BLOCK:
                flush()
            elif tag == "br":
                current.append("\n")
            if tag == "pre":
                pre_depth += 1
            add(element.text)
        else:
            if tag in _INVISIBLE or _is_hidden(element):
                add(element.tail)
                continue
            if tag == "pre":
                pre_depth -= 1
            if tag in _BLOCK:
                flush()
            elif tag in ("td", "th"):
                current.append(" ")
            add(element.tail)
    flush()
    return lines
