"""Text normalisation: every later offset refers to text that went through here.

NFC; non-breaking and other odd spaces become a plain space; zero-width characters and
soft hyphens go; line ends become ``\\n``; control characters go. Curly quotes, dashes and
other punctuation are kept as the publisher wrote them.
"""

from __future__ import annotations

import re
import unicodedata

# Spaces that are not U+0020: no-break, en/em/thin/hair spaces, ideographic space, ...
_ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Characters that carry no text: zero-width space/joiners, word joiner, BOM, soft hyphen.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_TRANSLATE = {ord(c): " " for c in _ODD_SPACES} | {ord(c): None for c in _INVISIBLE}
_TRANSLATE |= {ord("\t"): " ", ord("\u2028"): "\n", ord("\u2029"): "\n", ord("\x85"): "\n"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_RUNS_OF_SPACES = re.compile(r" {2,}")


def normalize_text(text: str) -> str:
    """Normalise a whole document, keeping its line structure."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_TRANSLATE)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def normalize_line(line: str) -> str:
    """Normalise one line and squeeze its spaces: the form paragraphs are stored in."""
    return _RUNS_OF_SPACES.sub(" ", normalize_text(line)).strip()
