"""How the procedure picker ranks what an officer types.

Why a rule of its own: officers type a few unaccented words ("luong huu", "thai san") and
press Enter, so the first line must be the procedure they mean. Every word must appear
(folded, in the Vietnamese or the English name, or in the code); among the matches the
typed words as one phrase beat scattered words, words matched at their start beat words
matched inside another word, and a shorter name (the general procedure, "Giải quyết hưởng
lương hưu") beats the longer special cases that mention the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from app.domain.text import fold


class HasNames(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def national_code(self) -> str | None: ...
    @property
    def name_vi(self) -> str: ...
    @property
    def name_en(self) -> str | None: ...


T = TypeVar("T", bound=HasNames)


@dataclass(frozen=True)
class Searchable:
    """What the ranking needs to know about one procedure."""

    code: str
    national_code: str | None
    name_vi: str
    name_en: str | None


def _word_starts(words: Sequence[str], name: str) -> bool:
    tokens = name.replace(",", " ").replace("(", " ").replace("-", " ").split()
    return all(any(t.startswith(w) for t in tokens) for w in words)


def rank(items: Iterable[T], text: str, lang: str = "vi") -> list[T]:
    """The items matching `text`, best first; all of them, in catalogue order, when empty."""
    query = fold(text)
    words = query.split()
    items = list(items)
    if not words:
        return items
    scored: list[tuple[tuple[int, int, int, int, int], T]] = []
    for pos, it in enumerate(items):
        vi, en = fold(it.name_vi), fold(it.name_en)
        code = f"{it.code.lower()} {(it.national_code or '').lower()}"
        hay = f"{vi} {en} {code}"
        if not all(w in hay for w in words):
            continue
        shown = en if lang == "en" and en else vi
        other = vi if shown is en else en
        code_hit = any(c.startswith(query) for c in code.split())
        score = (
            0 if code_hit else 1,
            0 if query in shown else 1 if query in other else 2,
            0 if _word_starts(words, shown) else 1,
            len(shown),
            pos,
        )
        scored.append((score, it))
    scored.sort(key=lambda pair: pair[0])
    return [it for _, it in scored]
