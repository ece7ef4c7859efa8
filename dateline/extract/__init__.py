"""Extraction: a raw document in, a clean Article with its page metadata out.

HTML goes through trafilatura (``extract.html``); text goes through the line labeller
(``extract.lines``), which sorts a page saved as text into body, title, section, timestamp,
tags, read-more links, related headlines and chrome. Either way the result is normalised
text in paragraphs with offsets, a stated timestamp with where it came from, and the
language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from dateline.config import Settings
from dateline.errors import DocumentError, EmptyDocumentError, NoArticleError, TooLargeError
from dateline.extract.normalize import normalize_line, normalize_text
from dateline.ingest.decode import decode_bytes
from dateline.ingest.sources import ReadFailure
from dateline.records import Article, Link, RawDocument, article_id

_MARKUP = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|article|p|section)[\s>/]",
    re.I | re.S,
)
_TAG = re.compile(r"<[a-zA-Z/!][^>]{0,200}>")
# A wire dateline opening the first paragraph: "SEOUL, May 27, 2018 —", "Panmunjom, South Korea,
# April 27, 2018 -", "WASHINGTON (Reuters) March 3, 2019 –". Only a full date counts.
_DATELINE = re.compile(
    r"^(?:[A-Z][\w.'’-]*(?:[ -][A-Z][\w.'’-]*){0,3})(?:,\s*[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2})?"
    r"(?:\s*\([^)]{1,40}\))?,?\s+(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]{2,8}\.? \d{4})"
    r"\s*(?:[—–-]{1,2}|\(|:)"
)

MAX_SITES_COUNTED = 256  # sites whose repeated lines are remembered at once (per worker)

# Where a stated date came from, most trusted first.
_SOURCE_RANK = ("argument", "column", "html_meta", "page_text", "url")


def looks_like_html(text: str) -> bool:
    """Whether text with no declared type is markup rather than prose."""
    if _MARKUP.match(text[:2000]):
        return True
    head = text[:5000]
    return len(_TAG.findall(head)) >= 5 and head.count("<") > 0.01 * len(head)


def _site_key(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.scheme in ("http", "https") and parts.hostname:
        return parts.hostname
    return str(PurePath(uri).parent)


def _iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


class Extractor:
    """Pipeline stage: ``RawDocument`` (or ``ReadFailure``) in, ``Article`` out."""

    name = "extract"
    needs: Sequence[str] = ("raw",)
    provides: Sequence[str] = ("text", "paragraphs", "metadata", "language")

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._site_lines: dict[str, Any] = {}

    def setup(self) -> None:
        from dateline.extract import lines  # noqa: F401 - load the line model once per worker

    def process_batch(self, items: list[Any]) -> list[Article]:
        decoded: list[tuple[Any, str | None, DocumentError | None]] = []
        for item in items:
            if isinstance(item, ReadFailure):
                decoded.append((item, None, None))
                continue
            try:
                decoded.append((item, self._decode(item), None))
            except DocumentError as exc:
                decoded.append((item, None, exc))
        # Lines that repeat across pages of one site are chrome: count them before labelling.
        for item, text, _ in decoded:
            if text is not None and not self._is_html(item, text):
                self._counter(item.uri).add_page(text.split("\n"))
        return [self._article(item, text, error) for item, text, error in decoded]

    def process(self, item: Any) -> Article:
        return self.process_batch([item])[0]

    # -- steps --------------------------------------------------------------------------

    def _counter(self, uri: str) -> Any:
        from dateline.extract.lines import SiteLineCounts

        key = _site_key(uri)
        if key not in self._site_lines:
            # bound memory on corpora of many sites: 256 sites of 256 KiB each at most
            if len(self._site_lines) >= MAX_SITES_COUNTED:
                del self._site_lines[next(iter(self._site_lines))]  # the site seen longest ago
            self._site_lines[key] = SiteLineCounts(buckets=1 << 16)
        return self._site_lines[key]

    def _decode(self, doc: RawDocument) -> str:
        if doc.size > self.settings.max_document_bytes:
            raise TooLargeError(
                f"The document is {doc.size:,} bytes, over the {self.settings.max_document_bytes:,}-byte limit"
            )
        if isinstance(doc.data, bytes):
            text, _encoding = decode_bytes(doc.data, declared=doc.meta.get("charset"))
        else:
            text = doc.data
        text = normalize_text(text)
        if not text.strip():
            raise EmptyDocumentError("The document holds nothing but white space")
        return text

    @staticmethod
    def _is_html(doc: RawDocument, text: str) -> bool:
        if doc.content_type == "text/html":
            return True
        if doc.content_type == "text/plain":
            return False
        return looks_like_html(text)

    def _article(self, item: Any, text: str | None, error: DocumentError | None) -> Article:
        if isinstance(item, ReadFailure):
            article = Article(id="r" + _short_hash(item.uri), uri=item.uri, digest="")
            article.add_error(item.error.stage, item.error.code, item.error.user_message())
            return article
        doc: RawDocument = item
        digest = doc.digest()
        article = Article(id="r" + digest[:15], uri=doc.uri, digest=digest, content_type=doc.content_type)
        if error is None and text is not None:
            try:
                if self._is_html(doc, text):
                    self._from_html(article, doc, text)
                else:
                    self._from_text(article, doc, text)
            except DocumentError as exc:
                error = exc
        if error is not None:
            article.add_error(error.stage, error.code, error.user_message())
            return article
        article.id = article_id(article.text)
        self._date_from_meta(article, doc)
        from dateline.extract.language import detect_language

        article.language, article.language_confidence = detect_language(article.text)
        return article

    def _from_text(self, article: Article, doc: RawDocument, text: str) -> None:
        from dateline.extract.lines import label_lines, split_tags, strip_read_more
        from dateline.extract.timestamps import parse_timestamp

        article.extractor = "textdump"
        article.content_type = "text/plain"
        kind = doc.text_kind or self.settings.text_kind
        body: list[str] = []
        counter = self._counter(doc.uri)
        for line in label_lines(text, kind=kind, site_counts=counter):
            label = line.label
            if label == "body":
                body.append(line.text)
            elif label == "title" and article.title is None:
                article.title = line.text
            elif label == "section" and article.section is None:
                article.section = line.text
            elif label == "tags":
                article.tags.extend(t for t in split_tags(line.text) if t not in article.tags)
            elif label == "read_more":
                article.read_more.append(strip_read_more(line.text))
            elif label == "related":
                article.related.append(line.text)
            elif label == "timestamp":
                parsed = parse_timestamp(line.text)
                if parsed and article.published.stated is None:
                    article.published.stated = _iso(parsed[0])
                    article.published.stated_source = "page_text"
                else:
                    article.boilerplate.append(line.text)
            else:
                article.boilerplate.append(line.text)
        if not body:
            raise NoArticleError("No line of the text reads as article body")
        article.set_paragraphs(body)
        if article.published.stated is None:
            self._date_from_dateline(article)

    @staticmethod
    def _date_from_dateline(article: Article) -> None:
        from dateline.extract.timestamps import parse_timestamp

        for paragraph in article.paragraphs[:2]:
            match = _DATELINE.match(paragraph.text)
            parsed = parse_timestamp(match.group("date")) if match else None
            if parsed:
                article.published.stated = _iso(parsed[0])[:10]
                article.published.stated_source = "page_text"
                return

    def _from_html(self, article: Article, doc: RawDocument, text: str) -> None:
        from dateline.extract.html import ExtractOptions, extract_html

        article.extractor = "html"
        article.content_type = "text/html"
        result = extract_html(
            text,
            url=doc.meta.get("url") or (doc.uri if doc.uri.startswith("http") else None),
            timeout=self.settings.extract_timeout,
            options=ExtractOptions(min_article_chars=self.settings.min_article_chars),
        )
        paragraphs = [p for p in (normalize_line(p) for p in result.paragraphs) if p]
        if not paragraphs:
            raise NoArticleError("The page has no main text")
        article.set_paragraphs(paragraphs)
        article.title = result.title
        article.section = result.section
        article.tags = list(result.tags)
        article.related = list(result.related)
        article.read_more = list(result.read_more)
        article.links = place_links(article.text, result.links)
        if result.date is not None:
            article.published.stated = _iso(result.date)
            article.published.stated_source = result.date_source

    def _date_from_meta(self, article: Article, doc: RawDocument) -> None:
        """A date given by the container (table column, API argument) outranks the page's own."""
        from dateline.extract.timestamps import date_from_url, parse_timestamp

        if "title" in doc.meta and not article.title:
            article.title = normalize_line(doc.meta["title"])
        pub = article.published
        raw = doc.meta.get("date")
        if raw:
            parsed = parse_timestamp(raw)
            source = doc.meta_source.get("date", "column")
            source = "column" if source.startswith("column") else source
            if parsed and (pub.stated_source is None or _rank(source) < _rank(pub.stated_source)):
                pub.stated, pub.stated_source = _iso(parsed[0]), source
        if pub.stated is None:
            url_date = date_from_url(doc.meta.get("url") or doc.uri)
            if url_date is not None:
                pub.stated, pub.stated_source = url_date.isoformat(), "url"


def place_links(text: str, links: Sequence[Link]) -> list[Link]:
    """The links with the offsets of their words in ``text``: the first occurrence after the
    previous link's (links come in the page's order), else the first anywhere; none when the
    words are not in the text as they are.

    >>> text = "Talks resumed, the ministry said. The ministry did not say where."
    >>> [(x.start, x.end) for x in place_links(text, [Link("the ministry", "https://a"), Link("ministry", "https://b"), Link("Geneva", "https://c")])]
    [(15, 27), (38, 46), (None, None)]
    """
    placed, after = [], 0
    for link in links:
        at = text.find(link.text, after) if link.text else -1
        if at < 0 and link.text:
            at = text.find(link.text)
        if at < 0:
            placed.append(Link(link.text, link.href))
            continue
        placed.append(Link(link.text, link.href, at, at + len(link.text)))
        after = at + len(link.text)
    return placed


def _rank(source: str) -> int:
    return _SOURCE_RANK.index(source) if source in _SOURCE_RANK else len(_SOURCE_RANK)


def _short_hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:15]
