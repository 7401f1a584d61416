"""The short form of an id shown where no name is known (app.domain.text.short_id)."""

from __future__ import annotations

from app.domain.text import short_id
from app.models import new_id


def test_ids_made_together_have_different_short_forms() -> None:
    """Desks the central adds in one go, or dossiers received in the same minute, must not
    show the same label: a version-7 id's first characters are its creation time."""
    ids = [new_id() for _ in range(200)]
    assert len({short_id(i) for i in ids}) == len(ids)


def test_short_form_of_a_missing_id_is_empty() -> None:
    assert short_id(None) == "" and short_id("") == ""
    assert short_id("0b6f1c2e-7d1a-4c55-9a41-3f0e2d9c8b7a") == "2d9c8b7a"
