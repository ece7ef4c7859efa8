"""Readers: every format in, RawDocument or a specific ReadFailure out, never an exception."""

from __future__ import annotations

import gzip
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dateline.config import Settings
from dateline.errors import BinaryDocumentError, DecodeError, EmptyDocumentError, InputError
from dateline.ingest import ReadFailure, read_paths
from dateline.ingest.decode import decode_bytes
from dateline.records import RawDocument

HTML = b"<!doctype html><html><head><title>T</title></head><body><p>Hello world.</p></body></html>"


def _read(*paths, **settings):
    return list(read_paths([str(p) for p in paths], Settings().replace(**settings)))


def _warc(path, records, *, gz=True):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(str(path), {"software": "test"}))
        for url, status, ctype, body in records:
            http = StatusAndHeaders(f"{status} X", [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
            writer.write_record(rec)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("a.txt", b"Some text.", "text/plain"),
        ("a.html", HTML, "text/html"),
        ("a.htm", HTML, "text/html"),
        ("a.dat", b"Unknown suffix: the extractor sniffs.", None),
    ],
)
def test_single_files_by_suffix(tmp_path, name, data, content_type):
    path = tmp_path / name
    path.write_bytes(data)
    [doc] = _read(path)
    assert isinstance(doc, RawDocument)
    assert doc.data == data
    assert doc.content_type == content_type
    assert doc.uri == str(path)


def test_gzipped_html_is_opened(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(HTML))
    [doc] = _read(path)
    assert doc.data == HTML and doc.content_type == "text/html"


def test_truncated_gzip_is_a_specific_failure(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(HTML * 50)[:60])
    [item] = _read(path)
    assert isinstance(item, ReadFailure)
    assert item.error.code == "truncated"


def test_folder_is_walked_in_order_and_hidden_files_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("two")
    (tmp_path / "1.txt").write_text("one")
    (tmp_path / ".hidden.txt").write_text("no")
    docs = _read(tmp_path)
    assert [d.data for d in docs] == [b"one", b"two"]


def test_glob_and_missing_path(tmp_path):
    (tmp_path / "x1.txt").write_text("1")
    (tmp_path / "x2.txt").write_text("2")
    assert len(_read(tmp_path / "x*.txt")) == 2
    with pytest.raises(InputError):
        _read(tmp_path / "nope.txt")
    with pytest.raises(InputError):
        _read(tmp_path / "nothing*.txt")


def test_too_large_document(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2000)
    [item] = _read(path, max_document_bytes=1000)
    assert isinstance(item, ReadFailure) and item.error.code == "too_large"


def test_warc_keeps_only_html_200_responses(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    _warc(
        path,
        [
            ("https://news.example/a", "200 OK", "text/html; charset=utf-8", HTML),
            ("https://news.example/missing", "404 Not Found", "text/html", b"<html>gone</html>"),
            ("https://news.example/pic.jpg", "200 OK", "image/jpeg", b"\xff\xd8\xff\xe0"),
            ("https://news.example/b", "200 OK", "text/html", HTML.replace(b"Hello", b"Bye")),
        ],
    )
    docs = _read(path)
    assert [d.uri for d in docs] == ["https://news.example/a", "https://news.example/b"]
    assert docs[0].meta["charset"] == "utf-8"
    assert docs[0].fetched_at is not None
    assert b"Bye" in docs[1].data


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_keeps_what_was_read(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    records = [(f"https://news.example/{i}", "200 OK", "text/html", HTML * 20) for i in range(3)]
    _warc(path, records, gz=gz)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.8)])
    items = _read(path)
    docs = [i for i in items if isinstance(i, RawDocument)]
    failures = [i for i in items if isinstance(i, ReadFailure)]
    assert 1 <= len(docs) <= 3
    if len(docs) < 3 or failures:
        assert failures and failures[-1].error.code == "truncated"


def test_jsonl_news_please_keys_and_bad_lines(tmp_path):
    path = tmp_path / "articles.jsonl"
    rows = [
        {"url": "https://a.example/1", "title": "One", "maintext": "Text one.", "date_publish": "2018-06-05 10:00:00"},
        "not json {",
        {"url": "https://a.example/2", "html": "<html><body><p>Two</p></body></html>"},
        {"title": "no text"},
        [1, 2],
    ]
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    items = _read(path)
    assert [type(i).__name__ for i in items] == [
        "RawDocument",
        "ReadFailure",
        "RawDocument",
        "ReadFailure",
        "ReadFailure",
    ]
    first = items[0]
    assert first.uri == "https://a.example/1" and first.data == "Text one." and first.content_type == "text/plain"
    assert first.meta == {"url": "https://a.example/1", "title": "One", "date": "2018-06-05 10:00:00"}
    assert first.meta_source["date"] == "column:date_publish"
    assert items[2].content_type == "text/html"
    assert items[3].error.code == "empty"
    assert items[1].uri.endswith("#row-2")


def test_json_file_with_one_object(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"maintext": "Body.", "url": "https://x.example/a"}))
    [doc] = _read(path)
    assert doc.data == "Body."


def test_csv_with_embedded_newlines_and_custom_columns(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('link,story\nhttps://x.example/1,"Line one.\nLine ""two""."\n')
    settings = Settings()
    settings.columns = {**settings.columns, "text": ["story"], "url": ["link"]}
    docs = list(read_paths([str(path)], settings))
    assert docs[0].data == 'Line one.\nLine "two".'
    assert docs[0].uri == "https://x.example/1"


def test_parquet_rows(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"url": ["https://p.example/1", None], "text": ["Alpha.", "Beta."]}), path)
    docs = _read(path)
    assert [d.data for d in docs] == ["Alpha.", "Beta."]
    assert docs[1].uri.endswith("#row-2")


def test_corrupt_parquet_is_a_failure(tmp_path):
    path = tmp_path / "t.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    [item] = _read(path)
    assert isinstance(item, ReadFailure)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyDocumentError),
        (b"  \n\t ", EmptyDocumentError),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", BinaryDocumentError),
        (b"abc\x00\x00def" * 10, BinaryDocumentError),
        (b"\xef\xbb\xbf\xff\xfe", DecodeError),
    ],
)
def test_decode_errors(data, error):
    with pytest.raises(error):
        decode_bytes(data)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Café in Zürich — “quoted”".encode(), "Café in Zürich — “quoted”"),
        ("Café in Zürich, à la carte, garçon".encode("cp1252"), "Café in Zürich, à la carte, garçon"),
        ("\ufeffBOM text".encode(), "BOM text"),
        ("UTF-16 text".encode("utf-16"), "UTF-16 text"),
        (b'<meta charset="iso-8859-1"><p>Caf\xe9</p>', '<meta charset="iso-8859-1"><p>Café</p>'),
    ],
)
def test_decode_encodings(data, expected):
    text, _ = decode_bytes(data)
    assert text == expected
