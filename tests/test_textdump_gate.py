"""Quality gate: the line labeller on rendered gold pages must stay above pinned floors.

Held-out pages only (the model never saw them): the first 100 even-numbered CleanEval-final
pages, scored with 4-token shingles, and the first 100 held-out pages of trafilatura's corpus
(those whose URL's CRC-32 is even; the odd half trains the labeller), scored with its snippets. Floors sit a little under the figures measured when they were pinned
(bench/textdump.py gives the full-set figures); raise them when the labeller improves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.eval.shingles import ShingleScore, SnippetCounts, iter_cleaneval, iter_trafilatura_eval, shingle_metrics
from dateline.eval.textdump import body_text, render_dump
from dateline.extract.line_training import is_training_page

PAGES = 100
FLOORS = {"cleaneval-heldout": 0.87, "cleaneval-heldout-rule-margin": 0.12, "trafilatura-heldout": 0.83}

pytestmark = pytest.mark.shared


def _rule(dump: str) -> str:
    return "\n".join(x for x in dump.splitlines() if len(x.split()) >= 6 and x.rstrip()[-1:] in ".!?")


def test_cleaneval_heldout_floor(shared_data: Path) -> None:
    pages = []
    for page_id, html, gold in iter_cleaneval(shared_data / "extraction" / "cleaneval"):
        if not is_training_page(page_id):
            pages.append((render_dump(html), gold))
        if len(pages) == PAGES:
            break
    ours = shingle_metrics([ShingleScore.of(gold, body_text(dump)) for dump, gold in pages])
    rule = shingle_metrics([ShingleScore.of(gold, _rule(dump)) for dump, gold in pages])
    assert ours["f1"] >= FLOORS["cleaneval-heldout"], ours
    assert ours["f1"] - rule["f1"] >= FLOORS["cleaneval-heldout-rule-margin"], (ours, rule)


def test_trafilatura_eval_floor(shared_data: Path) -> None:
    counts = SnippetCounts()
    seen = 0
    for url, html, with_, without in iter_trafilatura_eval(shared_data / "extraction" / "trafilatura-eval"):
        if is_training_page(url):
            continue
        counts.add_page(body_text(render_dump(html)), with_, without)
        seen += 1
        if seen == PAGES:
            break
    metrics = counts.metrics()
    assert metrics["f1"] >= FLOORS["trafilatura-heldout"], metrics


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (b"<html><body><nav>Home</nav><p>Hello <b>world</b>.</p></body></html>", "Home\nHello world."),
        ("<p>a<br>b</p><script>x()</script><div style='display:none'>hidden</div>tail", "a\nb\ntail"),
        ("<table><tr><td>one</td><td>two</td></tr></table><ul><li>x</li><li>y\u00a0z</li></ul>", "one\ntwo\nx\ny z"),
        ("", ""),
    ],
)
def test_render_dump(html: bytes | str, expected: str) -> None:
    assert render_dump(html) == expected
