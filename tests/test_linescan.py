"""The compiled pass of the line labeller (dateline/extract/_linescan.c) against the numpy path.

Both paths must give the same line features, number for number, and scores that differ only
in the last bits (the trees' leaves are summed in another order), so that every label is the
same whichever path runs. The tests skip where the extension was not built (no C compiler);
``make test`` builds it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.extract import line_features as lf
from dateline.extract.lines import _CHANGED_BYTES, _normalized_lines, _text_shape_numpy, label_lines

pytestmark = pytest.mark.skipif(
    lf._linescan is None or lf.model().scanner is None,
    reason="the compiled line pass is not built (no C compiler for dateline/extract/_linescan.c) or is off (DATELINE_PURE_PYTHON)",
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"

# pieces of lines that exercise every branch of the character pass: cased letters beyond
# ASCII, the two characters str.lower() maps differently (U+0130, U+03A3), marks the first
# word is stripped of, decimal digits of other scripts, dates, URLs, chrome words
_PIECES = [
    "The",
    "talks",
    "resumed",
    "in",
    "Geneva.",
    "Share",
    "share,",
    "(print",
    "Sign",
    "up",
    "READ",
    "MORE:",
    "Tags:",
    "İstanbul",
    "ΟΔΟΣ",
    "Σ",
    "ΣΑΣ.",
    "über",
    "Ärger",
    "東京",
    "١٢:٣٠",
    "16:48",
    "GMT01",
    "March",
    "2021",
    "5",
    "minutes",
    "ago",
    "01.03.2021",
    "http://example.com",
    "WWW.EXAMPLE.ORG",
    "a@b.de",
    "|",
    "»",
    "›",
    "·",
    "—",
    "…",
    "“Quote”",
    "©",
    "#tag",
    "1.",
    "x" * 30,
    "\u2028",
    "\t",
    "\x1c",
    "\U0001f600",
]

lines_strategy = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14).map(" ".join)
pages_strategy = st.lists(lines_strategy, min_size=1, max_size=25)


def _both(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    m = lf.model()
    return lf.page_features(texts, m), lf.page_features(texts, m, compiled=False)


def _example_pages() -> list[list[str]]:
    pages = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        texts = [t for t in _normalized_lines(path.read_text(encoding="utf-8")) if t]
        if texts:
            pages.append(texts)
    return pages


def test_example_pages_give_the_same_features() -> None:
    pages = _example_pages()
    assert len(pages) >= 7
    for texts in pages:
        compiled, reference = _both(texts)
        np.testing.assert_array_equal(compiled, reference)


@settings(max_examples=300, deadline=None)
@given(pages_strategy)
def test_any_page_gives_the_same_features(texts: list[str]) -> None:
    compiled, reference = _both(texts)
    # NaN where a line has no characters at all is the same NaN on both paths
    np.testing.assert_array_equal(compiled, reference)


@settings(max_examples=200, deadline=None)
@given(pages_strategy)
def test_the_scan_hands_the_same_lines_to_the_shape_checks(texts: list[str]) -> None:
    m = lf.model()
    joined = "\n".join(texts)
    compiled = lf._scan_compiled(joined, len(texts), m, np.zeros((lf.N_STAGE1, len(texts))))
    reference = lf._scan_numpy(texts, joined, m, np.zeros((lf.N_STAGE1, len(texts))))
    assert compiled is not None
    assert compiled.raw_firsts == reference.raw_firsts
    assert compiled.firsts == reference.firsts
    for name in ("digits", "commas", "nav", "head", "flags", "words", "short_first", "shape_first"):
        np.testing.assert_array_equal(getattr(compiled, name), getattr(reference, name), err_msg=name)


# pieces of dates, glued as they come (the separators are pieces too): every shape of
# line_features.DATE, months in other languages and cases, and the characters beyond ASCII
# that case-insensitive matching takes for ASCII letters ("ſ" for "s", "K" for "k")
_DATE_PIECES = [
    *("1", "01", "12", "2021", "20215", "٢٠٢١", "3"),
    *(" ", " ", ",", ".", ":", "/", "-", "st", "th"),
    *("March", "MÄRZ", "mär", "Okt", "oKt", "ſep", "juillet", "déc", "aoû", "Mayo", "maggio", "x"),
    *("hours", "Hours", "MINUTES", "days", "weeks", "wee", "ago", "uhr", "BST", "am", "p.m.", "GMT"),
]
_glue = st.lists(st.sampled_from(_DATE_PIECES), max_size=4).map("".join)
_digits = st.sampled_from(["1", "01", "12", "2021", "٢", "3"])
_year = st.sampled_from(["2021", "1999", "٢٠٢١", "20215"])
_month = st.sampled_from(
    ["March", "MÄRZ", "mär", "Okt", "oKt", "ſep", "juillet", "déc", "aoû", "Mayo", "maggio", "ſeptember"]
)
_space = st.sampled_from(["", " ", "  "])
_dates = st.one_of(
    st.tuples(
        _digits,
        st.sampled_from(["", "st", "th"]),
        st.sampled_from(["", "."]),
        _space,
        _month,
        st.sampled_from(["", ".", ","]),
        _space,
        _year,
    ),
    st.tuples(_month, st.sampled_from(["", "."]), _space, _digits, st.sampled_from(["", "st", ","]), _space, _year),
    st.tuples(_year, st.just("-"), _digits, st.just("-"), _digits),
    st.tuples(
        _digits,
        st.sampled_from([".", "/", ":"]),
        _digits,
        st.sampled_from(["", ".", "/", ":"]),
        st.sampled_from(["", "21", "2021"]),
    ),
    st.tuples(
        _digits,
        st.sampled_from([":", "."]),
        st.sampled_from(["48", "4"]),
        _space,
        st.sampled_from(["", "BST", "uhr", "p.m.", "h", "GMT"]),
    ),
    st.tuples(
        _digits,
        _space,
        st.sampled_from(["hours", "Hours", "MINUTES", "minute", "days", "weeks", "wee"]),
        _space,
        st.sampled_from(["ago", "AGO", ""]),
    ),
).map("".join)
# a date (or a near miss) with pieces glued before and after it
date_lines_strategy = st.tuples(_glue, _dates, _glue).map("".join)


def _assert_hint_covers_dates(line: str) -> None:
    texts = [t for t in _normalized_lines(line) if t]
    if not texts:
        return
    m = lf.model()
    scan = lf._scan_compiled("\n".join(texts), len(texts), m, np.zeros((lf.N_STAGE1, len(texts))))
    assert scan is not None
    for text, hint in zip(texts, scan.date_hint.tolist(), strict=True):
        if lf.DATE.search(text):
            assert hint, text


@settings(max_examples=300, deadline=None)
@given(lines_strategy)
def test_the_date_hint_never_hides_a_date(line: str) -> None:
    """The compiled gate passes over a line only where the timestamp check would say no."""
    _assert_hint_covers_dates(line)


@settings(max_examples=1500, deadline=None)
@given(date_lines_strategy)
def test_the_date_hint_never_hides_a_date_of_any_shape(line: str) -> None:
    _assert_hint_covers_dates(line)


def test_the_date_hint_passes_over_numbers_that_are_no_dates() -> None:
    """The gate is worth its place: years without a month, amounts and counts need no look."""
    texts = ["In 2019 the war", "12.5 million people", "10 dead", "3.5% growth", "Page 2 of 14", "5 March 2021"]
    scan = lf._scan_compiled("\n".join(texts), len(texts), lf.model(), np.zeros((lf.N_STAGE1, len(texts))))
    assert scan is not None
    assert scan.date_hint.tolist() == [0, 0, 0, 0, 0, 1]


def test_words_that_lower_case_to_two_characters() -> None:
    """U+0130 lower-cases to "i" and a combining dot; final sigma depends on its neighbours."""
    texts = ["İSTANBUL ΟΔΟΣ talks resumed today in the city", "ΣΑΣ share this"]
    compiled, reference = _both(texts)
    np.testing.assert_array_equal(compiled, reference)
    scan = lf._scan_compiled("\n".join(texts), 2, lf.model(), np.zeros((lf.N_STAGE1, 2)))
    assert scan.raw_firsts == ["i̇stanbul", "σας"]


def test_a_line_holding_a_newline_takes_the_numpy_path() -> None:
    texts = ["one line\nthat holds a newline", "The talks resumed in Geneva on Monday after a pause."]
    compiled, reference = _both(texts)
    np.testing.assert_array_equal(compiled, reference)


def _feature_pages() -> list[np.ndarray]:
    return [lf.page_features(texts) for texts in _example_pages()]


def test_scores_agree_to_the_last_bits() -> None:
    m = lf.model()
    assert m.tree_stages and m.tree_stages[0].forest is not None
    for feats in _feature_pages():
        keep = np.linspace(1.0, 0.2, len(feats))
        for k in (None, keep):
            compiled = lf.scores(feats, k, m)
            reference = lf.scores(feats, k, m, compiled=False)
            np.testing.assert_allclose(compiled, reference, rtol=0, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(pages_strategy, st.floats(0.0, 1.0))
def test_context_rows_agree(texts: list[str], level: float) -> None:
    from dateline.extract import _linescan

    feats = lf.page_features(texts)
    n = len(texts)
    p = np.clip(lf.sigmoid(feats @ lf.model().stage1) + level - 0.5, 0.0, 1.0)
    feats_t = np.ascontiguousarray(feats.T)
    context, margin = np.empty((lf.N_CONTEXT, n)), np.empty(n)
    trees = lf.model().tree_stages[0]
    _linescan.stage(trees.forest, feats_t, p, np.expm1(feats_t[lf.F["log_words"]]), context, margin)
    np.testing.assert_allclose(context, lf.context_features(p, feats).T, rtol=1e-12, atol=1e-12)
    rows = lf.stage_rows(feats, p)
    np.testing.assert_allclose(margin, trees.margin(rows), rtol=1e-12, atol=1e-12)


def test_forest_refuses_context_it_does_not_know() -> None:
    from dateline.extract import _linescan

    trees = lf.model().tree_stages[0]
    names = ("q", *lf.CONTEXT_NAMES[1:])
    with pytest.raises(ValueError, match="context feature 0"):
        _linescan.make_forest(
            trees.feature.astype(np.int64).tobytes(),
            trees.threshold.tobytes(),
            trees.leaf.tobytes(),
            trees.base,
            lf.N_STAGE1,
            names,
            (lf.F["log_words"], lf.F["ends_sentence"], lf.F["list_item"]),
        )


def test_labels_are_the_same_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    compiled = [[(x.label, x.score) for x in label_lines(page, kind="page")] for page in pages]
    monkeypatch.setitem(lf.model().__dict__, "scanner", None)
    for trees in lf.model().tree_stages:
        monkeypatch.setitem(trees.__dict__, "forest", None)
    reference = [[(x.label, x.score) for x in label_lines(page, kind="page")] for page in pages]
    assert compiled == reference
    assert any(labels for labels in compiled)


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(" \n\t\r\x00\x1c\x7f\x85\xa0aZ.é\u200b\u2028\u3000\ufeff\uffff東\U0001f600\U000e0001"),
        max_size=30,
    )
)
def test_the_text_shape_is_the_numpy_one(text: str) -> None:
    """What normalisation must do to a text, read in one compiled pass, as numpy reads it."""
    assert lf._linescan.text_shape(text, _CHANGED_BYTES) == _text_shape_numpy(text)


# short lines made of the vocabularies' words and of marks, glued or spaced
_SHORT_PIECES = sorted(
    {w for key in sorted(lf.model().chrome_lines | lf.model().related_headers)[::4] for w in key.split()}
    | set(sorted(lf.model().section_words)[::8])
    | {"»", "-", "©", "(", ")", ":", "|", "•", "1.", "_", "İ", "é", "Home", "News", "x"}
)
short_lines_strategy = st.lists(st.sampled_from(_SHORT_PIECES), min_size=1, max_size=6).flatmap(
    lambda parts: st.sampled_from(["", " "]).map(lambda glue: glue.join(parts))
)


@settings(max_examples=600, deadline=None)
@given(st.lists(short_lines_strategy, min_size=1, max_size=8))
def test_the_short_line_gate_never_hides_a_vocabulary_line(texts: list[str]) -> None:
    """Lines the scan does not pick for a look-up are no chrome line, related header or section name."""
    texts = [t for t in _normalized_lines("\n".join(texts)) if t]
    if not texts:
        return
    m = lf.model()
    for compiled in (True, False):
        out = np.zeros((lf.N_STAGE1, len(texts)))
        joined = "\n".join(texts)
        scan = lf._scan_compiled(joined, len(texts), m, out) if compiled else lf._scan_numpy(texts, joined, m, out)
        for text, picked in zip(texts, scan.short_first.tolist(), strict=True):
            if not picked:
                lf.forget_lines()
                assert lf._short_flags(text, m) == (0.0, 0.0, 0.0), text


def test_short_line_memory_belongs_to_its_model() -> None:
    # a model with another vocabulary must not read the flags the packaged one remembered
    import dataclasses

    m = lf.model()
    other = dataclasses.replace(m, chrome_lines=m.chrome_lines | {"grain talks"})
    assert lf._short_flags("Grain talks", m)[0] == 0.0
    assert lf._short_flags("Grain talks", other)[0] == 1.0
    assert lf._short_flags("Grain talks", m)[0] == 0.0
    lf.forget_lines(other)
    assert not other.short_cache and "Grain talks" in m.short_cache
