"""Pages as text dumps, and the scorers that measure a line labeller on them.

A text dump is what a browser's "save as text" gives: all visible text of the page, one
block-level element per line, navigation, footers and widgets included.
:func:`~dateline.extract.visible_text.render_dump` builds one from HTML, so that the HTML
gold sets (CleanEval, trafilatura's evaluation corpus) can measure
:func:`dateline.extract.lines.label_lines`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from dateline.eval.shingles import SnippetCounts, f1_of_averages, shingle_prf
from dateline.extract.visible_text import render_dump

__all__ = ["body_text", "render_dump", "score_shingles", "score_snippets"]

# --- scoring a line labeller (or any text extractor) on the gold sets ----------------------

Extractor = Callable[[str], str]


def body_text(dump: str, *, kind: str = "page") -> str:
    """The main text our labeller finds in a dump: its ``body`` lines, one per line."""
    from dateline.extract.lines import label_lines

    return "\n".join(line.text for line in label_lines(dump, kind=kind) if line.label == "body")


def score_shingles(extract: Extractor, pages: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Shingle F1 of ``extract`` over ``(dump, gold text)`` pairs."""
    return f1_of_averages(shingle_prf(gold, extract(dump)) for dump, gold in pages)


def score_snippets(extract: Extractor, pages: Iterable[tuple[str, Mapping[str, Sequence[str]]]]) -> dict[str, float]:
    """trafilatura's snippet scores of ``extract`` over ``(dump, {"with", "without"})`` pairs."""
    counts = SnippetCounts()
    for dump, item in pages:
        try:
            result: str | None = extract(dump)
        except Exception:
            result = None
        counts.add_page(result, item.get("with", ()), item.get("without", ()))
    return counts.metrics()
