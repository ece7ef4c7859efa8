"""Bytes of unknown encoding to text, or a specific error: never a crash."""

from __future__ import annotations

import re

from dateline.errors import BinaryDocumentError, DecodeError, EmptyDocumentError

# Magic numbers of formats that are certainly not text.
_BINARY_MAGIC = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"%PDF",
    b"PK\x03\x04",
    b"\x7fELF",
    b"MZ",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ",
    b"Rar!",
    b"7z\xbc\xaf",
    b"OggS",
    b"ID3",
    b"RIFF",
    b"\x00\x00\x01\x00",
    b"PAR1",
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _looks_binary(sample: bytes) -> bool:
    if sample.startswith(_BINARY_MAGIC):
        return True
    if not sample:
        return False
    # UTF-16 text has many NULs too, but it starts with a BOM and was handled before.
    nul = sample.count(b"\x00")
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return nul > 0 or control / len(sample) > 0.1


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``. Tries a BOM, the declared charset, UTF-8, then detection."""
    if not data.strip():
        raise EmptyDocumentError("The document is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff"), encoding
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"The document starts with a {encoding} byte-order mark but is not {encoding}"
                ) from exc
    if _looks_binary(data[:4096]):
        raise BinaryDocumentError("The document is binary data, not text")
    candidates = []
    if declared:
        candidates.append(declared)
    match = _META_CHARSET.search(data[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "replace"))
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding.lower()
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:200_000]))
    if not matches:
        raise DecodeError("The document's text encoding could not be recognised")
    best = matches[0]
    # Ties are common on short Latin text; windows-1252 is by far the web's most used legacy
    # encoding, so it wins a tie (same chaos, no better language coherence elsewhere).
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos and match.coherence >= best.coherence:
            best = match
            break
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError(f"The document is not valid {best.encoding}, the encoding it most resembles") from exc
