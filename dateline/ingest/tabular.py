"""Tables of articles: JSONL, JSON (an object or a list of them), CSV/TSV, Parquet.

Each row becomes one document. Which column holds what is a setting (``columns``): the
first present name wins for text, html, url, date, title and id. news-please's JSON output
(``maintext``, ``date_publish``, ``url``, ``title``) works as it is. A row with neither text
nor html is a ``ReadFailure``; a bad row never stops the table.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, BinaryIO

from dateline.errors import DecodeError, DocumentError, EmptyDocumentError, InputError, TruncatedError
from dateline.records import RawDocument

if TYPE_CHECKING:
    from dateline.config import Settings
    from dateline.ingest.sources import Item


def _pick(row: Mapping[str, Any], names: list[str]) -> tuple[str | None, Any]:
    for name in names:
        value = row.get(name)
        if value is not None and value != "":
            return name, value
    return None, None


def row_to_document(row: Mapping[str, Any], uri: str, settings: Settings) -> RawDocument:
    """One table row as a document, or a DocumentError saying why it is not one."""
    columns = settings.columns
    _text_col, text = _pick(row, columns["text"])
    _html_col, html = _pick(row, columns["html"])
    if text is None and html is None:
        raise EmptyDocumentError(
            f"Row has no text or html column (looked for {', '.join(columns['text'] + columns['html'])})",
            hint="Name the columns under [dateline.columns] in dateline.toml",
        )
    meta: dict[str, str] = {}
    source: dict[str, str] = {}
    for key in ("url", "date", "title", "id"):
        col, value = _pick(row, columns[key])
        if value is not None:
            meta[key] = str(value)
            source[key] = f"column:{col}"
    doc_uri = meta.get("url") or uri
    if text is not None:
        return RawDocument(doc_uri, str(text), "text/plain", meta=meta, meta_source=source, text_kind=None)
    return RawDocument(doc_uri, str(html), "text/html", meta=meta, meta_source=source)


def _rows_json(fh: BinaryIO, suffix: str) -> Iterator[tuple[int, Mapping[str, Any] | Exception]]:
    if suffix == ".json":
        try:
            data = json.loads(fh.read().decode("utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield 1, exc
            return
        rows = data if isinstance(data, list) else [data]
        for i, row in enumerate(rows, 1):
            yield i, row if isinstance(row, dict) else ValueError(f"item {i} is not an object")
        return
    for i, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield i, exc
            continue
        yield i, row if isinstance(row, dict) else ValueError(f"line {i} is not a JSON object")


def _rows_csv(fh: BinaryIO, suffix: str) -> Iterator[tuple[int, Mapping[str, Any] | Exception]]:
    csv.field_size_limit(1 << 30)
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="strict", newline="")
    reader = csv.DictReader(text, delimiter="\t" if suffix == ".tsv" else ",")
    i = 1
    try:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                yield i, exc
                if isinstance(exc, UnicodeDecodeError):
                    return
                continue
            i += 1
            yield i, row
    finally:
        text.detach()  # the caller owns and closes the file


def _rows_parquet(fh: BinaryIO) -> Iterator[tuple[int, Mapping[str, Any] | Exception]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(fh)
    except (pa.ArrowException, OSError) as exc:
        yield 0, exc
        return
    i = 0
    for batch in table.iter_batches(batch_size=256):
        for row in batch.to_pylist():
            i += 1
            yield i, row


def read_table(uri: str, fh: BinaryIO, suffix: str, settings: Settings) -> Iterator[Item]:
    from dateline.ingest.sources import ReadFailure

    if suffix in (".jsonl", ".ndjson", ".json"):
        rows = _rows_json(fh, suffix)
    elif suffix in (".csv", ".tsv"):
        rows = _rows_csv(fh, suffix)
    elif suffix == ".parquet":
        rows = _rows_parquet(fh)
    else:  # pragma: no cover - sources only sends the suffixes above
        raise InputError(f"{uri}: no table reader for {suffix}")
    try:
        for number, row in rows:
            where = f"{uri}#row-{number}"
            if isinstance(row, Exception):
                kind = DecodeError if isinstance(row, UnicodeDecodeError) else DocumentError
                yield ReadFailure(where, kind(f"{where} cannot be parsed: {row}"))
                continue
            try:
                yield row_to_document(row, where, settings)
            except DocumentError as exc:
                yield ReadFailure(where, exc)
    except (EOFError, OSError) as exc:
        yield ReadFailure(uri, TruncatedError(f"{uri} is damaged or truncated: {exc}"))
