"""The publication day that htmldate's fast search finds in a page's markup, searched on
the page's own tree.

What it returns is ``htmldate.find_date(tree, extensive_search=False, original_date=True,
max_date=today)``. That call spends time we can spare: it deep-copies the tree before
pruning it (0.35 ms on an average CleanEval page), and it runs every one of its steps,
though most pages hold nothing some of them could read. ``markup_day`` runs htmldate's
own steps itself, in htmldate's order, on the tree itself (the caller is done with it:
it is pruned), and leaves out each step that cannot find anything on the page:

- a step that reads only link, meta, abbr, time or JSON script elements (or an og:image
  meta), on a page without such elements (the caller says which it holds, counted before
  the pruning, which only removes elements);
- the searches over the serialised document and over its text (~0.9 ms a page where
  every other step came up empty), where the document lacks the run of digits and
  separators each needs (``date_shapes``; ``joins_digits`` for the text).

The steps are htmldate's module-level functions, not its public API. They are looked
up and tried out once a process (``_Route``); when that fails, or a later call fails the
way an API change would (a name gone, a signature changed), the search goes to
``find_date`` itself from then on, with the same arguments: the same answer, at
htmldate's own cost (the page at hand too; where a step failed after the pruning,
``find_date`` reads the pruned tree). pyproject.toml bounds htmldate to the versions
this was checked against.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lxml.html import HtmlElement

LOGGER = logging.getLogger(__name__)

# the error types by which a changed htmldate shows itself when its internals are called
_API_ERRORS = (ImportError, AttributeError, TypeError, NameError)
_DROPPED_BEFORE_TEXT_SEARCH = ("script", "style")


def markup_day(
    tree: HtmlElement, kinds: Collection[str], *, json_scripts: bool, today: str | None = None
) -> str | None:
    """The day (``YYYY-MM-DD``) htmldate's fast search finds in ``tree``, or None; prunes
    ``tree``, so read it last.

    ``kinds``: which of meta, time, link and abbr elements the tree holds, and
    "og:image" where a meta with ``property="og:image"`` has a ``content`` (any more are
    ignored); ``json_scripts``: whether it holds JSON-LD or settings scripts; ``today``:
    the latest day accepted (default: today in UTC).
    """
    today = today or datetime.now(UTC).date().isoformat()
    steps = _ROUTE.steps()
    if steps is not None and _whole_after_pruning(tree, steps):
        try:
            return _search(tree, kinds, json_scripts, steps, steps.options(today))
        except _API_ERRORS as exc:
            _ROUTE.give_up(f"a step failed: {exc!r}")
    return _find_date(tree, today)


def _find_date(tree: HtmlElement, today: str) -> str | None:
    from htmldate import find_date

    return find_date(tree, extensive_search=False, original_date=True, max_date=today)


@dataclass(frozen=True)
class _Steps:
    """htmldate's pieces, looked up once. Each callable takes what the htmldate function
    of the same role takes; ``options`` makes (once a day) the options object they share."""

    options: Callable[[str], Any]
    url_day: Callable[..., str | None]  # a date in a URL
    head_day: Callable[..., str | None]  # meta elements
    json_day: Callable[..., str | None]  # JSON scripts
    abbr_day: Callable[..., str | None]
    drop_elements: Callable[..., Any]  # drops the elements of the tags given, tails kept
    drop_sections: Callable[..., Any]  # drops unwanted sections (footers, comments, ...)
    marked_elements: Callable[..., list[HtmlElement]]  # elements whose attributes hint at a date
    elements_day: Callable[..., str | None]  # dates in those elements' texts
    time_day: Callable[..., str | None]
    serialise: Callable[[HtmlElement], str]
    pattern_day: Callable[..., str | None]  # a regex over a string
    image_day: Callable[..., str | None]  # the og:image URL
    written_day: Callable[..., str | None]  # "Published: 12.03.2019" and the like
    pruned_tags: frozenset[str]
    timestamp: Any  # a full timestamp, time of day included
    loose_timestamp: Any  # the same, time of day optional


def _htmldate_core() -> Any:
    from htmldate import core

    return core


def _load_steps() -> _Steps:
    """Look htmldate's pieces up (ImportError or AttributeError where one is missing)."""
    core = _htmldate_core()
    extractor, latest, earliest = core.Extractor, core.get_max_date, core.get_min_date

    @functools.lru_cache(maxsize=4)
    def options(today: str) -> Any:
        # find_date's, for extensive_search=False, original_date=True, max_date=today
        return extractor(extensive=False, max=latest(today), min=earliest(None), original=True, format="%Y-%m-%d")

    return _Steps(
        options=options,
        url_day=core.extract_url_date,
        head_day=core.examine_header,
        json_day=core.json_search,
        abbr_day=core.examine_abbr_elements,
        drop_elements=core.clean_html,
        drop_sections=core.discard_unwanted,
        marked_elements=core.date_candidates,
        elements_day=core.examine_elements,
        time_day=core.examine_time_elements,
        serialise=core.serialize,
        pattern_day=core.pattern_search,
        image_day=core.img_search,
        written_day=core.idiosyncrasies_search,
        pruned_tags=frozenset(core.CLEANING_LIST),
        timestamp=core.TIMESTAMP_PATTERN,
        loose_timestamp=core.TIMESTAMP_LOOSE_PATTERN,
    )


def _whole_after_pruning(tree: HtmlElement, steps: _Steps) -> bool:
    """Whether the pruning leaves ``tree`` itself in place. A root it would drop (it fails
    on a copy, where there is no parent) is left to ``find_date``."""
    tag = tree.tag
    return isinstance(tag, str) and tag not in steps.pruned_tags and tag not in _DROPPED_BEFORE_TEXT_SEARCH


def _search(tree: HtmlElement, kinds: Collection[str], json_scripts: bool, steps: _Steps, options: Any) -> str | None:
    """htmldate's fast search in four rounds, each over what the round before left: the
    head and marked elements of the whole tree; then, pruned, the elements whose
    attributes or tags suggest a date; the serialised document; its text."""
    return (
        _round_whole(tree, kinds, json_scripts, steps, options)
        or _round_elements(tree, kinds, steps, options)
        or _round_markup_and_text(tree, kinds, steps, options)
    )


def _round_whole(
    tree: HtmlElement, kinds: Collection[str], json_scripts: bool, steps: _Steps, options: Any
) -> str | None:
    canonical = tree.find('.//link[@rel="canonical"]') if "link" in kinds else None
    return (
        steps.url_day(canonical.get("href") if canonical is not None else None, options)
        or (steps.head_day(tree, options) if "meta" in kinds else None)
        or (steps.json_day(tree, options) if json_scripts else None)
        or (steps.abbr_day(tree, options) if "abbr" in kinds else None)
    )


def _round_elements(tree: HtmlElement, kinds: Collection[str], steps: _Steps, options: Any) -> str | None:
    with contextlib.suppress(ValueError):  # lxml refusing a node: htmldate then searches the tree as it is
        steps.drop_sections(steps.drop_elements(tree, list(steps.pruned_tags)))
    return (
        steps.elements_day(steps.marked_elements(tree, False), options)
        # title and h1 elements in document order, one walk (an XPath union takes two)
        or steps.elements_day(list(tree.iterdescendants("title", "h1")), options)
        or (steps.time_day(tree, options) if "time" in kinds else None)
    )


def _round_markup_and_text(tree: HtmlElement, kinds: Collection[str], steps: _Steps, options: Any) -> str | None:
    markup = steps.serialise(tree)
    year_first, dotted = date_shapes(markup)
    found = (
        (steps.pattern_day(markup, steps.timestamp, options) if year_first else None)
        or (steps.image_day(tree, options) if "og:image" in kinds else None)
        or (steps.written_day(markup, options) if dotted else None)
    )
    if found is not None or not (year_first or joins_digits(tree)):
        return found
    steps.drop_elements(tree, list(_DROPPED_BEFORE_TEXT_SEARCH))
    return steps.pattern_day(" ".join(tree.itertext()), steps.loose_timestamp, options)


# --- which text searches a document can feed ------------------------------------------------

# each byte of UTF-8 as a class: d a digit, p "." or "/", m "-", x anything else (a character
# beyond ASCII is bytes >= 0x80 only, all x)
_SHAPE_CLASSES = bytes(
    ord("d") if b in b"0123456789" else ord("p") if b in b"./" else ord("m") if b == ord("-") else ord("x")
    for b in range(256)
)


def date_shapes(markup: str) -> tuple[bool, bool]:
    """Whether ``markup`` holds a year-first date run (4 digits, "-", 1-2 digits, "-", a
    digit) and a dotted one (a digit, "." or "/", 1-2 digits, "." or "/", 2 digits).

    htmldate's text searches need one or the other (its patterns are of ASCII digits):
    the timestamp patterns start with year-month-day; its search for written dates finds
    nothing without a day-month-year core. One translation of the document's bytes and
    four substring searches tell (0.1 ms on an average CleanEval page; the searches they
    spare, ~0.9 ms); on 450 of the 591 CleanEval pages that get this far, neither run is
    there.
    """
    shapes = markup.encode("utf-8", "surrogatepass").translate(_SHAPE_CLASSES)
    year_first = b"ddddmdmd" in shapes or b"ddddmddmd" in shapes
    dotted = b"dpdpdd" in shapes or b"dpddpdd" in shapes
    return year_first, dotted


def joins_digits(tree: HtmlElement) -> bool:
    """Whether dropping the scripts and styles could join two texts into a new run of digits
    and "-": where one's tail starts with either (a dropped element's tail joins the text
    before it; an empty tail lets the next one's join it). Without that, each run in the
    text left is one in the serialised document.
    """
    for element in tree.iter(*_DROPPED_BEFORE_TEXT_SEARCH):
        tail = element.tail
        if tail and tail[0] in "0123456789-":
            return True
    return False


# --- which way: htmldate's steps, or find_date ----------------------------------------------

# A page that reaches every step the search can run: each finds nothing (its year-first and
# dotted runs are no dates) until the last, the text search, finds the date that a script
# splits in the markup. Searched both ways once: the answers must agree before the steps
# are used.
_TRIAL_PAGE = (
    "<html><head><title>Grain talks</title>"
    '<link rel="canonical" href="https://example.com/talks">'
    '<meta name="description" content="Talks on grain">'
    '<meta property="og:image" content="https://example.com/talks.jpg">'
    '<script type="application/ld+json">{"name": "talks"}</script></head>'
    "<body><abbr>talks</abbr><time>soon</time>"
    "<p>Filed 2019-03-<script>var x;</script>12 from Istanbul; part 1999-19-9, ref 3/4/55.</p></body></html>"
)
_TRIAL_DAY = "2019-03-12"


class _Route:
    """Which way the search goes in this process: through htmldate's steps (looked up and
    tried on ``_TRIAL_PAGE`` at the first call) or, once they fail, through ``find_date``
    for good."""

    def __init__(self) -> None:
        self._steps: _Steps | None = None
        self._public_only = False

    def steps(self) -> _Steps | None:
        if self._public_only:
            return None
        if self._steps is None:
            self._steps = self._try_steps()
        return self._steps

    def give_up(self, reason: str) -> None:
        LOGGER.warning("htmldate's search steps unusable (%s): using htmldate.find_date from now on", reason)
        self._steps, self._public_only = None, True

    def reset(self) -> None:
        """Look the steps up again at the next call (for tests)."""
        self._steps, self._public_only = None, False

    def _try_steps(self) -> _Steps | None:
        from lxml import html as lxml_html

        try:
            steps = _load_steps()
            tree = lxml_html.document_fromstring(_TRIAL_PAGE)
            kinds = {element.tag for element in tree.iter("meta", "time", "link", "abbr")} | {"og:image"}
            ours = _search(tree, kinds, True, steps, steps.options(_TRIAL_DAY[:4] + "-12-31"))
        except _API_ERRORS as exc:
            self.give_up(f"{exc!r}")
            return None
        theirs = _find_date(lxml_html.document_fromstring(_TRIAL_PAGE), _TRIAL_DAY[:4] + "-12-31")
        if ours != theirs or ours != _TRIAL_DAY:
            self.give_up(f"on a trial page they found {ours!r}, find_date {theirs!r}")
            return None
        return steps


_ROUTE = _Route()
