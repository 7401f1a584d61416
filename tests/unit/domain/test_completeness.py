"""The completeness rule on real catalogue procedures and on a small hand-made one."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.catalogue import Catalogue, Procedure, load_catalogue, parse_catalogue
from app.domain.catalogue import bundled_catalogue_path as path
from app.domain.completeness import (
    HandedIn,
    check_completeness,
    copy_kind_satisfies,
    describe,
)


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue(path())


def _comp(code: str, **kw: Any) -> dict[str, Any]:
    base = {
        "code": code,
        "name_vi": f"Giấy {code}",
        "name_en": f"Paper {code}",
        "form_code": None,
        "copy_kind": "original",
        "quantity": 1,
        "requirement": "required",
        "condition_vi": None,
        "condition_en": None,
        "one_of": None,
        "source": "test",
        "confidence": "M",
    }
    base.update(kw)
    return base


@pytest.fixture(scope="module")
def toy() -> Procedure:
    doc = {
        "catalogue_version": "t",
        "effective_from": "2025-07-01",
        "publisher": "t",
        "sources": {},
        "procedures": [
            {
                "code": "T-01",
                "national_code": None,
                "field": "BHXH",
                "group": "T",
                "group_name_vi": "Thử",
                "name_vi": "Thủ tục thử",
                "name_en": "Test procedure",
                "time_limit": {
                    "value": 5,
                    "unit": "working_days",
                    "same_day": False,
                    "source": "test",
                    "confidence": "M",
                },
                "legal_basis": "none",
                "source": "test",
                "confidence": "M",
                "channels": ["desk"],
                "components_confirmed": False,
                "components": [
                    _comp(
                        "T-01-01",
                        form_code="TK1-TS",
                        name_vi="Tờ khai",
                        name_en="Declaration",
                        quantity=2,
                    ),
                    _comp("T-01-02", copy_kind="photocopy"),
                    _comp("T-01-03", copy_kind="any"),
                    _comp("T-01-04", copy_kind="certified_copy"),
                ],
            }
        ],
    }
    return parse_catalogue(doc).procedure("T-01")


def _all(p: Procedure, **over: tuple[str, int]) -> list[HandedIn]:
    """Everything required, in the required kind and number, with overrides per code."""
    items = []
    for c in p.components:
        default = "original" if c.copy_kind == "any" else c.copy_kind
        kind, qty = over.get(c.code, (default, c.quantity))
        if qty:
            items.append(HandedIn(c.code, kind, qty))
    return items


def test_copy_kind_rule() -> None:
    assert copy_kind_satisfies("original", "photocopy")
    assert copy_kind_satisfies("original", "certified_copy")
    assert copy_kind_satisfies("certified_copy", "photocopy")
    assert not copy_kind_satisfies("photocopy", "certified_copy")
    assert not copy_kind_satisfies("certified_copy", "original")
    assert all(copy_kind_satisfies(k, "any") for k in ("original", "certified_copy", "photocopy"))


def test_complete(toy: Procedure) -> None:
    items = [
        HandedIn("T-01-01", "original", 2),
        HandedIn("T-01-02", "photocopy", 1),
        HandedIn("T-01-03", "photocopy", 1),
        HandedIn("T-01-04", "certified_copy", 1),
    ]
    r = check_completeness(toy, items)
    assert r.complete
    assert r.missing == r.insufficient == r.unresolved_conditions == r.unknown == []


def test_missing_in_catalogue_order(toy: Procedure) -> None:
    r = check_completeness(toy, [HandedIn("T-01-03", "original", 1)])
    assert not r.complete
    assert [s.component_code for s in r.missing] == ["T-01-01", "T-01-02", "T-01-04"]
    first = r.missing[0]
    assert (first.reason_code, first.required_quantity, first.handed_in_quantity) == (
        "missing",
        2,
        0,
    )
    assert first.form_code == "TK1-TS" and first.required_copy_kind == "original"


def test_too_few(toy: Procedure) -> None:
    items = [
        HandedIn("T-01-01", "original", 1),
        HandedIn("T-01-01", "photocopy", 3),
        HandedIn("T-01-02", "photocopy", 1),
        HandedIn("T-01-03", "original", 1),
        HandedIn("T-01-04", "original", 1),
    ]
    r = check_completeness(toy, items)
    assert not r.complete and r.missing == []
    (s,) = r.insufficient
    assert (s.component_code, s.reason_code, s.required_quantity, s.handed_in_quantity) == (
        "T-01-01",
        "too_few",
        2,
        1,
    )


def test_several_lines_add_up(toy: Procedure) -> None:
    items = [
        HandedIn("T-01-01", "original", 1),
        HandedIn("T-01-01", "original", 1),
        HandedIn("T-01-02", "photocopy", 1),
        HandedIn("T-01-03", "original", 1),
        HandedIn("T-01-04", "original", 1),
    ]
    assert check_completeness(toy, items).complete


def test_wrong_copy_kind(toy: Procedure) -> None:
    items = [
        HandedIn("T-01-01", "original", 2),
        HandedIn("T-01-02", "photocopy", 1),
        HandedIn("T-01-03", "original", 1),
        HandedIn("T-01-04", "photocopy", 2),
    ]
    r = check_completeness(toy, items)
    (s,) = r.insufficient
    assert (s.component_code, s.reason_code, s.required_copy_kind, s.handed_in_quantity) == (
        "T-01-04",
        "wrong_copy_kind",
        "certified_copy",
        2,
    )


def test_original_satisfies_photocopy_and_certified_copy(toy: Procedure) -> None:
    items = [HandedIn(c.code, "original", c.quantity) for c in toy.components]
    assert check_completeness(toy, items).complete


def test_zero_quantity_counts_as_not_handed_in(toy: Procedure) -> None:
    r = check_completeness(toy, [HandedIn("T-01-02", "photocopy", 0)])
    assert "T-01-02" in [s.component_code for s in r.missing]


def test_bad_handed_in_line() -> None:
    with pytest.raises(ValueError):
        HandedIn("X", "any", 1)
    with pytest.raises(ValueError):
        HandedIn("X", "original", -1)


def test_one_of_satisfied_by_any_member(cat: Catalogue) -> None:
    sick = cat.procedure("BHXH-C07")
    base = [HandedIn("BHXH-C07-01", "original", 1)]
    for member, kind in (("BHXH-C07-02", "original"), ("BHXH-C07-03", "certified_copy")):
        r = check_completeness(sick, [*base, HandedIn(member, kind, 1)])
        assert r.complete, member


def test_one_of_missing_when_none(cat: Catalogue) -> None:
    sick = cat.procedure("BHXH-C07")
    r = check_completeness(sick, [HandedIn("BHXH-C07-01", "original", 1)])
    (s,) = r.missing
    assert s.reason_code == "one_of_missing"
    assert s.component_code == "C07-proof"
    assert s.alternatives == ("BHXH-C07-02", "BHXH-C07-03")
    assert "Giấy chứng nhận nghỉ việc hưởng bảo hiểm xã hội" in s.name_vi
    assert "Giấy ra viện" in s.name_vi


def test_one_of_member_handed_in_wrongly(cat: Catalogue) -> None:
    sick = cat.procedure("BHXH-C07")
    r = check_completeness(
        sick, [HandedIn("BHXH-C07-01", "original", 1), HandedIn("BHXH-C07-03", "photocopy", 1)]
    )
    assert r.missing == []
    (s,) = r.insufficient
    assert (s.component_code, s.reason_code) == ("BHXH-C07-03", "wrong_copy_kind")
    assert s.alternatives == ("BHXH-C07-02", "BHXH-C07-03")


def test_conditional_applicable(cat: Catalogue) -> None:
    one_off = cat.procedure("BHXH-C12")
    items = [HandedIn("BHXH-C12-01", "original", 1), HandedIn("BHXH-C12-02", "original", 1)]
    r = check_completeness(one_off, items, {"BHXH-C12-03": True, "BHXH-C12-04": False})
    assert [s.component_code for s in r.missing] == ["BHXH-C12-03"]
    assert r.unresolved_conditions == []
    r = check_completeness(
        one_off,
        [*items, HandedIn("BHXH-C12-03", "certified_copy", 1)],
        {"BHXH-C12-03": True, "BHXH-C12-04": False},
    )
    assert r.complete


def test_conditional_not_applicable(cat: Catalogue) -> None:
    one_off = cat.procedure("BHXH-C12")
    items = [HandedIn("BHXH-C12-01", "original", 1), HandedIn("BHXH-C12-02", "original", 1)]
    r = check_completeness(one_off, items, {"BHXH-C12-03": False, "BHXH-C12-04": False})
    assert r.complete and r.unresolved_conditions == []


def test_conditional_unresolved(cat: Catalogue) -> None:
    one_off = cat.procedure("BHXH-C12")
    items = [HandedIn("BHXH-C12-01", "original", 1), HandedIn("BHXH-C12-02", "original", 1)]
    r = check_completeness(one_off, items)
    # Undecided is not "does not apply" (issue 10): not complete, and not listed as missing.
    assert not r.complete and r.missing == [] and r.insufficient == []
    assert r.unresolved_conditions == ["BHXH-C12-03", "BHXH-C12-04"]


def test_conditional_one_of_group(cat: Catalogue) -> None:
    maternity = cat.procedure("BHXH-C06")
    employer = {"BHXH-C06-01": True, "BHXH-C06-02": False}
    form = HandedIn("BHXH-C06-01", "original", 1)
    r = check_completeness(maternity, [form], {**employer, "BHXH-C06-03": True})
    assert [s.reason_code for s in r.missing] == ["one_of_missing"]
    assert r.missing[0].alternatives == ("BHXH-C06-03", "BHXH-C06-04", "BHXH-C06-05")
    r = check_completeness(
        maternity, [form, HandedIn("BHXH-C06-05", "original", 1)], {**employer, "BHXH-C06-03": True}
    )
    assert r.complete
    r = check_completeness(maternity, [form], employer)
    assert not r.complete
    assert r.unresolved_conditions == ["BHXH-C06-03", "BHXH-C06-04", "BHXH-C06-05"]


def test_unknown_items(toy: Procedure) -> None:
    items = [
        *_all(toy),
        HandedIn("ZZ-1", "original", 1),
        HandedIn("ZZ-0", "photocopy", 1),
        HandedIn("ZZ-1", "photocopy", 1),
    ]
    r = check_completeness(toy, items)
    assert r.complete
    assert r.unknown == ["ZZ-1", "ZZ-0"]


def test_every_bundled_procedure_is_complete_with_everything(cat: Catalogue) -> None:
    for p in cat.procedures:
        conditions = {c.code: True for c in p.components if c.conditional}
        assert check_completeness(p, _all(p), conditions).complete, p.code


def test_describe_vietnamese(cat: Catalogue) -> None:
    e02 = cat.procedure("BHXH-E02")
    (s,) = check_completeness(e02, []).missing
    assert describe(s, "vi") == (
        "Thiếu: Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT (mẫu TK1-TS) (bản chính, 1 bản)"
    )
    sick = cat.procedure("BHXH-C07")
    (g,) = check_completeness(sick, [HandedIn("BHXH-C07-01", "original", 1)]).missing
    assert describe(g, "vi") == (
        "Thiếu một trong các giấy tờ: Giấy chứng nhận nghỉ việc hưởng bảo hiểm xã hội "
        "hoặc Giấy ra viện"
    )


def test_describe_english(cat: Catalogue, toy: Procedure) -> None:
    e02 = cat.procedure("BHXH-E02")
    (s,) = check_completeness(e02, []).missing
    assert describe(s, "en") == "Missing: Participant declaration (form TK1-TS) (original, 1 copy)"
    r = check_completeness(
        toy, _all(toy, **{"T-01-01": ("original", 1), "T-01-04": ("photocopy", 1)})
    )
    too_few, wrong = r.insufficient
    assert describe(too_few, "en") == (
        "Not enough copies: Declaration TK1-TS (original, 2 copies; 1 handed in)"
    )
    assert describe(too_few, "vi") == (
        "Chưa đủ số lượng: Tờ khai TK1-TS (bản chính, 2 bản; đã nộp 1)"
    )
    assert describe(wrong, "en") == (
        "Wrong form of copy: Paper T-01-04 (certified copy required, 1 copy)"
    )
    assert describe(wrong, "vi") == "Sai hình thức: Giấy T-01-04 (cần bản sao chứng thực, 1 bản)"
    (g,) = check_completeness(
        cat.procedure("BHXH-C07"), [HandedIn("BHXH-C07-01", "original", 1)]
    ).missing
    assert describe(g, "en") == (
        "Missing one of: Sick-leave certificate for social insurance or Hospital discharge paper"
    )


def test_maternity_with_nothing_handed_in_is_not_complete(cat: Catalogue) -> None:
    """The reported bug: every maternity component is conditional, none was answered."""
    r = check_completeness(cat.procedure("BHXH-C06"), [])
    assert not r.complete
    assert r.unresolved_conditions == [c.code for c in cat.procedure("BHXH-C06").components]


def test_one_member_stated_decides_the_group(cat: Catalogue) -> None:
    maternity = cat.procedure("BHXH-C06")
    base = {"BHXH-C06-01": False, "BHXH-C06-02": True}
    form = HandedIn("BHXH-C06-02", "original", 1)
    r = check_completeness(maternity, [form], {**base, "BHXH-C06-04": False})
    assert r.complete and r.unresolved_conditions == []
    r = check_completeness(maternity, [form], {**base, "BHXH-C06-04": True})
    assert [s.reason_code for s in r.missing] == ["one_of_missing"]
