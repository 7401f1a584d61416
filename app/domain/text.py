"""Text normalisation: NFC for storage and printing, folding for search.

Why: reportlab prints precomposed glyphs well, so everything is stored NFC; officers type
without diacritics, so search compares folded forms ("nguyen" finds "Nguyễn").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"\s+")


# Both are pure and called on the same few thousand names and streets again and again
# (a pull or a demo seed folds millions of rows): a bounded cache of the answers.
@lru_cache(maxsize=1 << 16)
def nfc(text: str | None) -> str:
    """NFC-normalise and trim; None becomes the empty string."""
    if text is None:
        return ""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=1 << 16)
def fold(text: str | None) -> str:
    """Fold for search: drop diacritics, casefold, "đ" to "d", collapse whitespace.

    U+0111 (đ) has no Unicode decomposition, so removing combining marks leaves it; it is
    mapped by hand.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = stripped.casefold().replace("đ", "d")
    return _WS.sub(" ", folded).strip()


def digits_only(text: str | None) -> str:
    """Keep only ASCII digits (scanners and people add spaces, dots and dashes)."""
    return "".join(ch for ch in (text or "") if "0" <= ch <= "9")


def short_id(value: str | None) -> str:
    """A UUID shortened for a screen or a message where no name is known: its last eight
    characters, which are random. Its first eight are not: a version-7 id begins with its
    creation time, the same for every desk or dossier made in the same minute."""
    return (value or "")[-8:]
