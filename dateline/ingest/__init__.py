"""Readers: news in any shape in, a stream of ``RawDocument`` (or ``ReadFailure``) out.

``read_paths`` expands files, folders, globs and ``-`` (stdin), picks a reader by name and,
when the name says nothing, by the first bytes. One reader a format:

- ``textdump``: a page saved as text (``.txt``), and anything that sniffs as plain text;
- ``html``: ``.html``/``.htm``/``.xhtml`` and anything that sniffs as markup;
- ``warc``: ``.warc``/``.warc.gz``/``.arc.gz`` response records (Common Crawl's CC-NEWS);
- ``tabular``: ``.jsonl``/``.ndjson``/``.json``/``.csv``/``.tsv``/``.parquet`` tables of articles.

``.gz`` around any of them is opened transparently. A file that cannot be read, or breaks
half way, yields a ``ReadFailure`` for what was lost; the stream goes on.
"""

from dateline.ingest.sources import ReadFailure, read_paths, total_bytes

__all__ = ["ReadFailure", "read_paths", "total_bytes"]
