"""The bundled sample corpus (examples/) is what examples/README.md says it is.

These tests read the files directly with the format libraries (warcio, pyarrow, csv, json,
gzip), not through dateline's readers, so a bug in a reader cannot hide a broken sample.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import html
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
README = EXAMPLES / "README.md"

NEWS_PLEASE_KEYS = {"url", "title", "maintext", "date_publish", "source_domain", "language"}
ARTICLE_WORDS = (150, 450)


def _readme_files() -> list[str]:
    """Paths in the first column of the README's file table."""
    rows = re.findall(r"^\| `([^`]+)` \|", README.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert rows, "examples/README.md has no file table"
    return rows


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_binary_samples", EXAMPLES / "make_binary_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # No __pycache__ under examples/: `dateline ingest examples/` would try to read it.
    before, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = before
    return module


def _words(text: str) -> int:
    return len(text.split())


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------------------- README


@pytest.mark.parametrize("name", _readme_files())
def test_every_listed_file_exists(name: str) -> None:
    assert (EXAMPLES / name).is_file(), f"examples/README.md lists {name}, which is missing"


def test_every_file_is_listed() -> None:
    listed = set(_readme_files())
    present = {
        str(p.relative_to(EXAMPLES))
        for p in EXAMPLES.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    }
    assert present - listed == set(), "files under examples/ missing from the README table"


def test_readme_says_the_texts_are_fictional() -> None:
    assert "fictional examples written for dateline" in README.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "names",
    [
        ("pages/meridian_radio_kono_kang_bangkok.txt", "html/asia_pacific_observer_kono_kang_bangkok.html"),
        ("pages/eastbound_wire_karabakh_truce.txt", "tables/articles.parquet"),
        ("warc/sample.warc.gz", "tables/articles.jsonl"),
        ("pages/harbour_times_nk_slbm_wonsan.txt", "pages/pacific_ledger_nk_projectiles_suncheon.txt"),
    ],
)
def test_story_map_names_existing_files(names: tuple[str, str]) -> None:
    story_map = README.read_text(encoding="utf-8").split("## Story map", 1)[1]
    for name in names:
        assert f"`{name}`" in story_map
        assert (EXAMPLES / name).is_file()


# ------------------------------------------------------------------------------ pages

PAGES = sorted(p.name for p in (EXAMPLES / "pages").glob("*.txt"))


@pytest.mark.parametrize("name", PAGES)
def test_pages_are_utf8_without_bom(name: str) -> None:
    data = (EXAMPLES / "pages" / name).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    data.decode("utf-8")


def test_empty_file_is_empty() -> None:
    assert (EXAMPLES / "pages" / "empty.txt").stat().st_size == 0


def test_seed_style_page_has_its_chrome() -> None:
    text = (EXAMPLES / "pages" / "meridian_radio_kono_kang_bangkok.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert re.fullmatch(r"\d\d:\d\d GMT\d\d \w+ \d{4}", lines[0])
    assert lines[1] == "Listen Live"
    assert lines[3] == "    Get short URL"
    assert "\u00a0" in text
    assert any(line.startswith("    READ MORE:\u00a0") for line in lines)
    assert lines[-1] == "    Community standardsDiscussion"


def test_clean_article_shape() -> None:
    lines = (EXAMPLES / "pages" / "clean_article_abraham_accords.txt").read_text(encoding="utf-8").splitlines()
    assert all(line.strip() for line in lines), "a clean article has no blank or chrome lines"
    assert len(lines[0].split()) < 15 and not lines[0].endswith(".")
    assert "Rockets from Gaza" in lines
    assert ARTICLE_WORDS[0] <= _words(" ".join(lines[1:])) <= ARTICLE_WORDS[1]


# ------------------------------------------------------------------------------- HTML

HTML_FILES = sorted(p.name for p in (EXAMPLES / "html").glob("*.html"))


def _html_text(name: str) -> str:
    path = EXAMPLES / "html" / name
    data = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    return data.decode("utf-8")


@pytest.mark.parametrize("name", [*HTML_FILES, "peninsula_monitor_kaesong_liaison_office.html.gz"])
def test_html_pages_carry_metadata_and_chrome(name: str) -> None:
    page = _html_text(name)
    for needle in (
        'property="og:title"',
        'property="article:published_time"',
        'property="article:section"',
        'property="article:tag"',
        'rel="canonical"',
        "<nav",
        "<footer",
        "<script",
        "cookie",
        "comments",
    ):
        assert needle in page, f"{name} lacks {needle}"


def test_html_gz_decompresses_deterministically() -> None:
    data = (EXAMPLES / "html" / "peninsula_monitor_kaesong_liaison_office.html.gz").read_bytes()
    assert data[:2] == b"\x1f\x8b"
    assert data[4:8] == b"\x00\x00\x00\x00", "gzip mtime must be 0"
    assert gzip.decompress(data).decode("utf-8").lstrip().startswith("<!DOCTYPE html>")


def test_xss_payload_is_escaped_text_inside_the_article() -> None:
    page = _html_text("baltic_review_belarus_sanctions_xss.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    sentence = next(p for p in re.findall(r"<p>(.*?)</p>", page) if "alert(1)" in p)
    assert "<script>alert(1)</script>" in html.unescape(sentence)


# ------------------------------------------------------------------------------- WARC


def _warc_records() -> list[dict]:
    from warcio.archiveiterator import ArchiveIterator

    records = []
    with (EXAMPLES / "warc" / "sample.warc.gz").open("rb") as fh:
        for record in ArchiveIterator(fh):
            http = record.http_headers
            records.append(
                {
                    "type": record.rec_type,
                    "uri": record.rec_headers.get_header("WARC-Target-URI"),
                    "date": record.rec_headers.get_header("WARC-Date"),
                    "status": http.get_statuscode() if http is not None and record.rec_type == "response" else None,
                    "content_type": http.get_header("Content-Type") if http is not None else None,
                    "body": record.content_stream().read(),
                }
            )
    return records


def test_warc_holds_three_html_articles_and_two_records_to_skip() -> None:
    records = _warc_records()
    assert records[0]["type"] == "warcinfo"
    responses = [r for r in records if r["type"] == "response"]
    requests = [r for r in records if r["type"] == "request"]
    assert len(requests) == len(responses)
    articles = [r for r in responses if r["status"] == "200" and r["content_type"].startswith("text/html")]
    assert len(articles) == 3
    assert sorted(r["status"] for r in responses if r not in articles) == ["200", "404"]
    assert [r["content_type"] for r in responses if r["status"] == "200" and r not in articles] == ["image/jpeg"]
    for record in responses:
        assert record["uri"].startswith("https://")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["date"])
    for article in articles:
        page = article["body"].decode("utf-8")
        assert 'property="og:title"' in page and "</html>" in page


# ----------------------------------------------------------------------------- tables


def test_jsonl_rows_have_news_please_keys() -> None:
    lines = (EXAMPLES / "tables" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 3
    for row in rows:
        assert row.keys() >= NEWS_PLEASE_KEYS
        assert row["url"].startswith("https://") and row["language"] == "en"
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row["date_publish"])
        assert ARTICLE_WORDS[0] <= _words(row["maintext"]) <= ARTICLE_WORDS[1]


def test_csv_rows_with_embedded_newlines_and_quotes() -> None:
    with (EXAMPLES / "tables" / "articles.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames == ["url", "title", "date", "text"]
    assert len(rows) == 2
    assert any("\n" in row["text"] and '"' in row["text"] for row in rows)
    for row in rows:
        assert ARTICLE_WORDS[0] <= _words(row["text"]) <= ARTICLE_WORDS[1]


def test_parquet_rows() -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(EXAMPLES / "tables" / "articles.parquet")
    assert table.num_rows == 2
    assert table.column_names == ["id", "url", "headline", "published", "site", "body"]
    for row in table.to_pylist():
        assert row["published"].tzinfo is not None
        assert ARTICLE_WORDS[0] <= _words(row["body"]) <= ARTICLE_WORDS[1]


# ------------------------------------------------------------------------ regeneration


def test_generator_rewrites_identical_binaries(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    generator = _load_generator()
    written = generator.write_all(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == list(generator.OUTPUTS)
    for name in generator.OUTPUTS:
        committed, fresh = EXAMPLES / name, tmp_path / name
        if name.endswith(".parquet"):
            created_by = pq.ParquetFile(committed).metadata.created_by or ""
            if pa.__version__ not in created_by:
                # pyarrow writes its own version into the file; across versions compare content.
                assert pq.read_table(fresh).equals(pq.read_table(committed))
                continue
        assert _sha256(fresh) == _sha256(committed), f"{name} differs from what make_binary_samples.py writes"


def test_generator_is_deterministic_between_runs(tmp_path: Path) -> None:
    generator = _load_generator()
    first = {p.name: _sha256(p) for p in generator.write_all(tmp_path / "a")}
    second = {p.name: _sha256(p) for p in generator.write_all(tmp_path / "b")}
    assert first == second
