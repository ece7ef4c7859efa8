"""WARC and WARC.gz (and ARC): the response records that hold HTML pages.

Reads what Common Crawl's CC-NEWS files hold: one ``response`` record per fetched page,
its HTTP headers, then the body. Request, metadata and warcinfo records are skipped, as are
responses that are not HTML/text or whose status is not 200. ``resource`` records with an
HTML or text payload (what ``wget --warc-file`` writes for local files) are read too.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, BinaryIO

from dateline.errors import DocumentError, TooLargeError, TruncatedError
from dateline.records import RawDocument

if TYPE_CHECKING:
    from dateline.config import Settings
    from dateline.ingest.sources import Item

_TEXTUAL = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


def _parse_warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def read_warc(uri: str, fh: BinaryIO, settings: Settings) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from dateline.ingest.sources import ReadFailure

    index = 0
    try:
        for record in ArchiveIterator(fh, arc2warc=True):
            index += 1
            if record.rec_type not in ("response", "resource"):
                continue
            target = record.rec_headers.get_header("WARC-Target-URI") or f"{uri}#record-{index}"
            if record.rec_type == "response":
                if record.http_headers is None:
                    continue
                status = record.http_headers.get_statuscode()
                if status != "200":
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
            else:
                content_type = record.rec_headers.get_header("Content-Type") or ""
            mime = content_type.split(";")[0].strip().lower()
            if mime and mime not in _TEXTUAL:
                continue
            charset = None
            if "charset=" in content_type.lower():
                charset = content_type.lower().split("charset=")[1].split(";")[0].strip(" \"'") or None
            stream = record.content_stream()
            body = stream.read(settings.max_document_bytes + 1)
            if len(body) > settings.max_document_bytes:
                yield ReadFailure(
                    target, TooLargeError(f"{target} is larger than the {settings.max_document_bytes:,}-byte limit")
                )
                continue
            date = record.rec_headers.get_header("WARC-Date")
            meta = {"url": target}
            source = {"url": "warc_header"}
            if charset:
                meta["charset"] = charset
            yield RawDocument(
                uri=target,
                data=body,
                content_type="text/plain" if mime == "text/plain" else "text/html",
                fetched_at=_parse_warc_date(date),
                meta=meta,
                meta_source=source,
            )
    except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as exc:
        what = f"after record {index}" if index else "at its start"
        yield ReadFailure(uri, TruncatedError(f"{uri} is damaged or truncated {what}: {exc}"))
    except DocumentError as exc:  # pragma: no cover - defensive: readers raise only the above
        yield ReadFailure(uri, exc)
    except (AttributeError, TypeError, KeyError, IndexError) as exc:
        # warcio trips over some damaged headers with these instead of its own error
        what = f"after record {index}" if index else "at its start"
        yield ReadFailure(uri, TruncatedError(f"{uri} has a damaged record {what}: {type(exc).__name__}: {exc}"))
