"""Translated messages for the layers below the UI (no Qt here).

Each module registers its own catalogue with `register`; `tr` looks a key up in the current
language, falling back to Vietnamese, then to the key itself so a missing text is visible,
never a crash. The UI uses Qt's translation system for its own strings.
"""

from __future__ import annotations

DEFAULT_LANG = "vi"
LANGS = ("vi", "en")

_catalogue: dict[str, dict[str, str]] = {}
_current = DEFAULT_LANG


def register(messages: dict[str, dict[str, str]]) -> None:
    """Add `{key: {"vi": ..., "en": ...}}`; every key must have a Vietnamese text."""
    for key, texts in messages.items():
        if "vi" not in texts:
            raise ValueError(f"message {key!r} has no Vietnamese text")
        _catalogue[key] = texts


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}")
    _current = lang


def current_language() -> str:
    return _current


def tr(key: str, lang: str | None = None, **kwargs: object) -> str:
    texts = _catalogue.get(key)
    if texts is None:
        return key
    text = texts.get(lang or _current) or texts["vi"]
    return text.format(**kwargs) if kwargs else text
