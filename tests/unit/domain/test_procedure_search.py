"""The procedure picker's ranking, on the bundled catalogue."""

from __future__ import annotations

import pytest

from app.domain.catalogue import bundled_catalogue_path, load_catalogue
from app.domain.procedure_search import Searchable, rank

ITEMS = [
    Searchable(p.code, p.national_code, p.name_vi, p.name_en)
    for p in load_catalogue(bundled_catalogue_path()).procedures
]


def first(text: str, lang: str = "vi") -> str:
    return rank(ITEMS, text, lang)[0].code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("luong huu", "BHXH-X01"),
        ("lương hưu", "BHXH-X01"),
        ("thai san", "BHXH-C06"),
        ("om dau", "BHXH-C07"),
        ("mot lan", "BHXH-C12"),
        ("uy quyen", "BHXH-B02"),
        ("tu tuat", "BHXH-C11"),
        ("c06", "BHXH-C06"),
        ("x01", "BHXH-X01"),
    ],
)
def test_what_officers_type_comes_first(typed: str, code: str) -> None:
    assert first(typed) == code


def test_english_names_are_searchable_and_rank_in_english() -> None:
    assert first("pension", "en") == "BHXH-X01"
    assert first("maternity", "en") == "BHXH-C06"
    assert first("maternity") == "BHXH-C06"  # matched on either name whatever the language


def test_every_word_must_match_and_empty_lists_all() -> None:
    assert rank(ITEMS, "thai san xyzzy") == []
    assert [i.code for i in rank(ITEMS, "")] == [i.code for i in ITEMS]
