"""The errors dateline raises, all under one base class.

    DatelineError                  anything dateline reports to a user (has .hint)
    ├── ConfigError                a setting or flag that cannot be used
    ├── InputError                 a path, format or column mapping that cannot be read
    ├── StoreError                 the database cannot be opened or written (disk full, locked)
    └── DocumentError              one document is bad; a batch run records it and goes on
        ├── EmptyDocumentError     no bytes, or nothing but whitespace
        ├── BinaryDocumentError    bytes that are not text (images, archives, executables)
        ├── DecodeError            text whose encoding cannot be worked out
        ├── TruncatedError         a gzip stream or WARC record that ends too early
        ├── TooLargeError          over the size limit for one document
        ├── ExtractionTimeoutError the HTML extractor ran past its time limit
        ├── NoArticleError         a page with no main text
        └── NotAnArticleError      a page with text that is not an article (an index page)

``Skip`` is not an error: a reader raises it for an input that is not a document at all
(a WARC request record, a table row marked as deleted); it is neither stored nor rejected.

The CLI catches ``DatelineError`` alone and prints ``Error: <message>. <hint>.``; batch
runs turn each ``DocumentError`` into a row of the ``rejects`` table and an entry of the
document's ``errors`` list, with ``code`` as the machine-readable reason.
"""

from __future__ import annotations


class DatelineError(Exception):
    """Base of every error dateline raises on purpose."""

    code = "error"
    hint = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def user_message(self) -> str:
        text = self.message.rstrip(".")
        if self.hint:
            return f"{text}. {self.hint.rstrip('.')}."
        return f"{text}."


class ConfigError(DatelineError):
    code = "config"
    hint = "Check dateline.toml, the DATELINE_* environment variables and the flags"


class InputError(DatelineError):
    code = "input"
    hint = "Check the path and the format; `dateline process --help` lists what is read"


class StoreError(DatelineError):
    code = "store"
    hint = "Check that the database file is writable, not open in another writer, and that the disk has room"


class DocumentError(DatelineError):
    """One bad document: recorded with the document, never fatal to a run."""

    code = "document"
    stage = "read"


class EmptyDocumentError(DocumentError):
    code = "empty"
    hint = "The file holds no text"


class BinaryDocumentError(DocumentError):
    code = "binary"
    hint = "Only text, HTML, WARC and tables of articles are read"


class DecodeError(DocumentError):
    code = "encoding"
    hint = "Convert the file to UTF-8"


class TruncatedError(DocumentError):
    code = "truncated"
    hint = "The file ends early; download it again"


class TooLargeError(DocumentError):
    code = "too_large"
    hint = "Raise max_document_bytes in dateline.toml if this size is expected"


class ExtractionTimeoutError(DocumentError):
    code = "timeout"
    stage = "extract"
    hint = "Raise extract_timeout in dateline.toml if such pages are expected"


class NoArticleError(DocumentError):
    code = "no_article"
    stage = "extract"
    hint = "The page has no main text"


class NotAnArticleError(DocumentError):
    code = "not_article"
    stage = "extract"
    hint = "The page looks like an index or listing page, not an article"


class Skip(Exception):  # noqa: N818 - a signal, not an error
    """Raised by a reader for an input record that is not a document at all."""
