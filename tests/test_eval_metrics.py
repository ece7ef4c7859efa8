"""Hand-checked tiny cases for the extraction metrics and the gold-set readers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dateline.eval.shingles import (
    f1_of_averages,
    iter_cleaneval,
    iter_trafilatura_eval,
    read_cleaneval_gold,
    shingle_prf,
    shingles,
    snippet_counts,
    snippet_scores,
)


def test_shingles_are_word_4grams_with_case_kept() -> None:
    assert shingles("The cat, sat on; the MAT") == {
        ("The", "cat", "sat", "on"): 1,
        ("cat", "sat", "on", "the"): 1,
        ("sat", "on", "the", "MAT"): 1,
    }


def test_shingles_is_a_bag() -> None:
    assert shingles("a b c d a b c d")[("a", "b", "c", "d")] == 2


def test_short_text_is_one_short_shingle() -> None:
    assert shingles("Hello world") == {("Hello", "world"): 1}
    # case is kept, as in scrapinghub's article-extraction-benchmark: "US" is not "us"
    assert shingles("Talks in the US now") != shingles("talks in the us now")
    assert shingles("  ... ") == {}


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        ("a b c d e", "a b c d e", (1.0, 1.0)),
        # predicted has 2 shingles, gold 3; they share (b c d e): p=1/2, r=1/3
        ("x b c d e", "b c d e f g", (0.5, 1 / 3)),
        ("", "", (1.0, 1.0)),
        (None, "a b c d", (0.0, 0.0)),
        ("a b c d", "", (0.0, 1.0)),
        ("q r s t", "a b c d", (0.0, 0.0)),
        # bag semantics: (a b c d) is predicted twice among 5 shingles but gold has it once
        ("a b c d a b c d", "a b c d", (1 / 5, 1.0)),
    ],
)
def test_shingle_prf(predicted: str | None, gold: str, expected: tuple[float, float]) -> None:
    p, r = shingle_prf(predicted, gold)
    assert p == pytest.approx(expected[0])
    assert r == pytest.approx(expected[1])


def test_f1_of_averages() -> None:
    p, r, f1 = f1_of_averages([(1.0, 0.5), (0.5, 0.5)])
    assert (p, r) == (0.75, 0.5)
    assert f1 == pytest.approx(2 * 0.75 * 0.5 / 1.25)
    assert f1_of_averages([]) == (0.0, 0.0, 0.0)
    assert f1_of_averages([(0.0, 0.0)]) == (0.0, 0.0, 0.0)


def test_snippet_counts() -> None:
    text = "The minister resigned on Monday. Nobody was surprised."
    assert snippet_counts(text, ["minister resigned", "Tuesday"], ["Nobody", "Impressum"]) == (1, 1, 1, 1)
    assert snippet_counts(None, ["a", "b"], ["c"]) == (0, 2, 0, 1)
    assert snippet_counts("", ["a"], ["c", "d"]) == (0, 1, 0, 2)


def test_snippet_scores_single_and_summed() -> None:
    one = snippet_scores((3, 1, 1, 5))
    assert one == pytest.approx({"precision": 0.75, "recall": 0.75, "f1": 0.75, "accuracy": 0.8})
    summed = snippet_scores([(1, 0, 0, 1), (2, 1, 1, 4)])
    assert summed == pytest.approx(one)
    assert snippet_scores((0, 0, 0, 0)) == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "accuracy": 0.0}


def test_read_cleaneval_gold(tmp_path: Path) -> None:
    gold = tmp_path / "1.txt"
    gold.write_bytes(
        b"\xef\xbb\xbfURL: http://example.com/page\n\n   <h>  A   Title\n<p> First  paragraph\nwraps here.\n<l> * item\n"
    )
    assert read_cleaneval_gold(gold) == "A Title\nFirst paragraph\nwraps here.\n* item"


def test_read_cleaneval_gold_falls_back_to_cp1252(tmp_path: Path) -> None:
    gold = tmp_path / "2.txt"
    gold.write_bytes(b"URL: http://x\n<p>caf\xe9 \x93quoted\x94\n")
    assert read_cleaneval_gold(gold) == "café \u201cquoted\u201d"


def test_iter_cleaneval(tmp_path: Path) -> None:
    for name in ("cleaneval-dev", "cleaneval-final"):
        (tmp_path / name / "input").mkdir(parents=True)
        (tmp_path / name / "GoldStandard").mkdir()
    dev = tmp_path / "cleaneval-dev"
    (dev / "input" / "10.html").write_text("<html><body><p>ten</p></body></html>")
    (dev / "input" / "9.html").write_text("<html><body><p>nine</p></body></html>")
    (dev / "input" / "8.html").write_text("<html>no gold</html>")
    (dev / "GoldStandard" / "10.txt").write_text("URL: x\n<p>ten")
    (dev / "GoldStandard" / "9.txt").write_text("URL: x\n<p>nine")
    items = list(iter_cleaneval(tmp_path))
    assert [i for i, _, _ in items] == ["cleaneval-dev/9", "cleaneval-dev/10"]
    assert items[0][2] == "nine"
    assert "<p>nine</p>" in items[0][1]
    assert [i for i, _, _ in iter_cleaneval(dev)] == ["cleaneval-dev/9", "cleaneval-dev/10"]


def test_iter_trafilatura_eval(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    (tests / "eval").mkdir(parents=True)
    (tests / "cache").mkdir()
    (tests / "eval" / "a.html").write_text("<p>A</p>", encoding="utf-8")
    (tests / "cache" / "b.html").write_text("<p>B</p>", encoding="utf-8")
    data = {
        "https://a.example/": {"file": "a.html", "with": ["A"], "without": ["x"]},
        "https://b.example/": {"file": "b.html", "with": ["B"], "without": []},
        "https://c.example/": {"file": "missing.html", "with": ["C"], "without": []},
    }
    (tests / "evaldata.json").write_text(json.dumps(data), encoding="utf-8")
    items = list(iter_trafilatura_eval(tmp_path))
    assert [(u, h, w, wo) for u, h, w, wo in items] == [
        ("https://a.example/", "<p>A</p>", ["A"], ["x"]),
        ("https://b.example/", "<p>B</p>", ["B"], []),
    ]
    assert len(list(iter_trafilatura_eval(tests))) == 2
