"""Expanding the paths a user gives into documents, and picking a reader for each file."""

from __future__ import annotations

import contextlib
import glob
import gzip
import io
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from dateline.config import Settings
from dateline.errors import DocumentError, InputError, TooLargeError, TruncatedError
from dateline.ingest import tabular, warc
from dateline.records import RawDocument

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
WARC_SUFFIXES = {".warc", ".arc"}
TABLE_SUFFIXES = {".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet"}
_SKIPPED_NAMES = {".DS_Store", "Thumbs.db"}


@dataclass
class ReadFailure:
    """A file, or the part of one, that could not be read into documents."""

    uri: str
    error: DocumentError


Item = RawDocument | ReadFailure


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files under the given paths, folders walked in sorted order, globs expanded."""
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        matches = sorted(glob.glob(raw, recursive=True)) if glob.has_magic(raw) else [raw]
        if not matches:
            raise InputError(f"No file matches {raw!r}")
        for path in matches:
            p = Path(path)
            if p.is_dir():
                for root, dirs, files in os.walk(p):
                    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                    for name in sorted(files):
                        if not name.startswith(".") and name not in _SKIPPED_NAMES:
                            yield str(Path(root) / name)
            elif p.exists():
                yield str(p)
            else:
                raise InputError(f"{path} does not exist")


def total_bytes(paths: Iterable[str]) -> int:
    """The size of every file under ``paths`` (stdin counts as 0): a progress bar's total."""
    total = 0
    for path in expand_paths(paths):
        if path != "-":
            with contextlib.suppress(OSError):
                total += os.path.getsize(path)
    return total


class _CountingFile(io.RawIOBase):
    """A file that reports how many bytes were read from it, for a progress bar."""

    def __init__(self, raw: BinaryIO, on_bytes: Callable[[int], None]) -> None:
        self._raw = raw
        self._on_bytes = on_bytes

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._raw.seekable()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self._on_bytes(n)
        return n or 0


def read_paths(
    paths: Iterable[str], settings: Settings | None = None, *, on_bytes: Callable[[int], None] | None = None
) -> Iterator[Item]:
    """Every document under ``paths``; unreadable parts come as ``ReadFailure``.

    ``on_bytes`` is called with the number of bytes read from disk as reading goes on.
    """
    settings = settings or Settings()
    for path in expand_paths(paths):
        if path == "-":
            data = sys.stdin.buffer.read()
            yield from read_stream("<stdin>", io.BufferedReader(io.BytesIO(data)), settings)  # type: ignore[arg-type]
            continue
        try:
            raw = open(path, "rb", buffering=0)  # noqa: SIM115 - closed below
        except OSError as exc:
            yield ReadFailure(path, DocumentError(f"Cannot read {path}: {exc.strerror or exc}"))
            continue
        with raw:
            source = _CountingFile(raw, on_bytes) if on_bytes else raw  # type: ignore[arg-type]
            fh = io.BufferedReader(source, buffer_size=1 << 16)  # type: ignore[arg-type]
            try:
                yield from read_stream(path, fh, settings)  # type: ignore[arg-type]
            except OSError as exc:
                yield ReadFailure(path, DocumentError(f"Cannot read {path}: {exc.strerror or exc}"))


def _strip_gz(name: str) -> str:
    return name[:-3] if name.lower().endswith(".gz") else name


def read_stream(uri: str, fh: BinaryIO, settings: Settings) -> Iterator[Item]:
    """Documents from one open file, chosen by its name, else by its first bytes."""
    name = uri.lower()
    suffix = Path(_strip_gz(name)).suffix
    head = fh.peek(16)[:16] if hasattr(fh, "peek") else b""
    gzipped = name.endswith(".gz") or head.startswith(b"\x1f\x8b")
    if suffix in WARC_SUFFIXES or head.startswith((b"WARC/", b"filedesc://")):
        yield from warc.read_warc(uri, fh, settings)
        return
    if gzipped:
        # WARC.gz is a series of gzip members that warcio reads itself; sniff inside first.
        try:
            inner_head = gzip.GzipFile(fileobj=fh).read(16)
        except (OSError, EOFError, zlib.error) as exc:
            yield ReadFailure(uri, TruncatedError(f"{uri} is not a readable gzip file: {exc}"))
            return
        fh.seek(0)
        if inner_head.startswith((b"WARC/", b"filedesc://")):
            yield from warc.read_warc(uri, fh, settings)
            return
    if suffix in TABLE_SUFFIXES:
        yield from tabular.read_table(uri, _open_payload(fh, gzipped), suffix, settings)
        return
    try:
        data = _read_limited(_open_payload(fh, gzipped), settings.max_document_bytes, uri)
    except DocumentError as exc:
        yield ReadFailure(uri, exc)
        return
    if suffix in HTML_SUFFIXES:
        content_type = "text/html"
    elif suffix in TEXT_SUFFIXES:
        content_type = "text/plain"
    else:
        content_type = None  # the extractor sniffs
    yield RawDocument(uri=uri, data=data, content_type=content_type)


def _open_payload(fh: BinaryIO, gzipped: bool) -> BinaryIO:
    return gzip.GzipFile(fileobj=fh) if gzipped else fh  # type: ignore[return-value]


def _read_limited(fh: BinaryIO, limit: int, uri: str) -> bytes:
    try:
        data = fh.read(limit + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise TruncatedError(f"{uri} is a damaged or truncated gzip file: {exc}") from exc
    if len(data) > limit:
        raise TooLargeError(f"{uri} is larger than the {limit:,}-byte limit for one document")
    return data
