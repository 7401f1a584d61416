"""The bundled catalogue parses and says honestly what it knows; bad documents are named."""

from __future__ import annotations

import copy
import json
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from app.domain.catalogue import (
    Catalogue,
    CatalogueError,
    bundled_catalogue_path,
    load_catalogue,
    parse_catalogue,
)
from app.resources import resources_dir

RAW: dict[str, Any] = json.loads(bundled_catalogue_path().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue(bundled_catalogue_path())


def _mutated(fn) -> dict[str, Any]:
    data = copy.deepcopy(RAW)
    fn(data)
    return data


def _proc(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(p for p in data["procedures"] if p["code"] == code)


def test_bundled_path_is_under_resources() -> None:
    assert bundled_catalogue_path() == resources_dir() / "catalogue" / "vss.json"
    assert bundled_catalogue_path().is_file()
    assert (Path(__file__).resolve().parents[3] / "resources") == resources_dir()


def test_bundled_catalogue_parses(cat: Catalogue) -> None:
    assert cat.catalogue_version == RAW["catalogue_version"]
    assert cat.effective_from.isoformat() == "2025-07-01"
    assert len(cat.procedures) == len(RAW["procedures"])


def test_the_2021_list_and_the_2024_law_additions(cat: Catalogue) -> None:
    """The 25 of 2021, with D01 split into book (D01) and card (D02) and C16, C17 of Law 41/2024."""
    listed = [p for p in cat.procedures if p.group in "ABCDE" and len(p.group) == 1]
    assert len(listed) == 28
    assert Counter(p.group for p in listed) == {"A": 3, "B": 3, "C": 17, "D": 2, "E": 3}
    for group, n in {"A": 3, "B": 3, "C": 17, "D": 2, "E": 3}.items():
        assert [p.code for p in listed if p.group == group] == [
            f"BHXH-{group}{i:02d}" for i in range(1, n + 1)
        ]


def test_extras_pension_and_interconnected(cat: Catalogue) -> None:
    extras = {p.code for p in cat.procedures} - {
        p.code for p in cat.procedures if p.group in ("A", "B", "C", "D", "E")
    }
    assert extras == {"BHXH-X01", "LT-01", "LT-02"}
    lt1 = cat.procedure("LT-01")
    assert (lt1.time_limit.value, lt1.time_limit.unit) == (3, "working_days")
    assert "interconnected" in lt1.channels
    lt2 = cat.procedure("LT-02")
    assert lt2.national_code == "1.011537"
    assert lt2.time_limit.confidence == "M"
    assert lt2.time_limit.note_vi and lt2.time_limit.note_en


def test_fields(cat: Catalogue) -> None:
    fields = {p.code: p.field for p in cat.procedures}
    assert all(fields[f"BHXH-A0{i}"] == "BHYT" for i in (1, 2, 3))
    assert fields["BHXH-E03"] == "BHYT"
    assert fields["BHXH-C06"] == "BHXH"


def test_every_item_has_source_and_confidence(cat: Catalogue) -> None:
    for p in cat.procedures:
        assert p.source and p.confidence in ("V", "S", "M"), p.code
        assert p.time_limit.source and p.time_limit.confidence in ("V", "S", "M"), p.code
        assert p.components, p.code
        for c in p.components:
            assert c.source and c.confidence in ("V", "S", "M"), c.code


def test_guessed_components_are_marked(cat: Catalogue) -> None:
    confirmed = {p.code for p in cat.procedures if p.components_confirmed}
    # B01, C02, C03 and C10 were confirmed from the text of Law 41/2024 (Art. 76, 80, 82);
    # D02, C16 and C17 are new in release 2026.12.1.
    assert confirmed == {
        "BHXH-B01",
        "BHXH-C02",
        "BHXH-C03",
        "BHXH-C10",
        "BHXH-D02",
        "BHXH-C16",
        "BHXH-C17",
        "BHXH-E01",
        "BHXH-E02",
        "BHXH-E03",
        "BHXH-D01",
        "BHXH-C07",
        "BHXH-C06",
        "BHXH-C05",
        "BHXH-C04",
        "BHXH-X01",
        "BHXH-C12",
        "BHXH-C11",
        "BHXH-A01",
    }
    for p in cat.procedures:
        if not p.components_confirmed:
            guessed = [c for c in p.components if c.source == "GENERAL"]
            assert guessed, p.code
            assert all(c.confidence == "M" for c in guessed), p.code


def test_unknown_time_limits_are_marked_unconfirmed(cat: Catalogue) -> None:
    for p in cat.procedures:
        if p.time_limit.confidence == "M":
            assert p.time_limit.note_vi and p.time_limit.note_en, p.code


def test_section_2_2_components(cat: Catalogue) -> None:
    forms = {p.code: {c.form_code for c in p.components} - {None} for p in cat.procedures}
    assert forms["BHXH-E01"] == {"TK1-TS", "TK3-TS", "D02-LT"}
    assert forms["BHXH-C07"] == {"01B-HSB"}
    assert forms["BHXH-C12"] == {"14-HSB"}
    assert "09-HSB" in forms["BHXH-C11"]
    assert forms["BHXH-D02"] == {"TK1-TS"}
    # The relative's declaration is required by Law 41/2024 Art. 90(1)(c); its form code is not.
    assert cat.procedure("BHXH-C11").component("BHXH-C11-03").confidence == "S"
    assert "09-HSB" in (cat.procedure("BHXH-C11").note_vi or "")
    groups = cat.procedure("BHXH-C06").one_of_groups()
    assert [c.code for c in groups["C06-birth"]] == ["BHXH-C06-03", "BHXH-C06-04", "BHXH-C06-05"]
    assert set(cat.procedure("BHXH-C07").one_of_groups()) == {"C07-proof"}


def test_text_is_nfc() -> None:
    text = bundled_catalogue_path().read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert "Giải quyết hưởng chế độ thai sản" in text


def test_unique_codes(cat: Catalogue) -> None:
    codes = [p.code for p in cat.procedures]
    comps = [c.code for p in cat.procedures for c in p.components]
    assert len(codes) == len(set(codes))
    assert len(comps) == len(set(comps))


def test_unknown_keys_are_ignored() -> None:
    data = _mutated(lambda d: _proc(d, "BHXH-C07").update({"future_field": 1}))
    assert parse_catalogue(data).procedure("BHXH-C07").code == "BHXH-C07"


def test_geo_files() -> None:
    prov = json.loads((resources_dir() / "geo" / "provinces-2025.json").read_text("utf-8"))
    codes = [p["code"] for p in prov["provinces"]]
    assert len(codes) == 34 and len(set(codes)) == 34
    assert sum(p["kind"] == "thanh_pho" for p in prov["provinces"]) == 6
    assert all(p["source"] and p["confidence"] for p in prov["provinces"])
    communes_file = resources_dir() / "geo" / "communes-2025.json"
    if communes_file.exists():
        com = json.loads(communes_file.read_text("utf-8"))
        assert len(com["communes"]) == 3321
        assert {c["province_code"] for c in com["communes"]} == set(codes)
        assert all(len(c["code"]) == 5 for c in com["communes"])


# --- errors name the offending item ----------------------------------------------------


def _fails(data: dict[str, Any], *fragments: str) -> CatalogueError:
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(data)
    for f in fragments:
        assert f in str(info.value), str(info.value)
    return info.value


def test_duplicate_procedure_code() -> None:
    def dup(d: dict[str, Any]) -> None:
        d["procedures"].append(copy.deepcopy(_proc(d, "BHXH-C07")))
        for c in d["procedures"][-1]["components"]:
            c["code"] += "-X"

    _fails(_mutated(dup), "BHXH-C07", "duplicate procedure")


def test_duplicate_component_code() -> None:
    def dup(d: dict[str, Any]) -> None:
        _proc(d, "BHXH-C06")["components"][1]["code"] = "BHXH-C06-01"

    _fails(_mutated(dup), "BHXH-C06", "BHXH-C06-01", "duplicate component")


def test_unknown_enum_values() -> None:
    _fails(_mutated(lambda d: _proc(d, "BHXH-B01").update(field="XYZ")), "BHXH-B01", "field")
    _fails(
        _mutated(lambda d: _proc(d, "BHXH-C07")["components"][0].update(copy_kind="scan")),
        "BHXH-C07-01",
        "copy_kind",
    )
    _fails(
        _mutated(lambda d: _proc(d, "BHXH-C07")["time_limit"].update(unit="weeks")),
        "BHXH-C07",
        "time_limit",
        "unit",
    )
    _fails(_mutated(lambda d: _proc(d, "LT-01").update(channels=["fax"])), "LT-01", "fax")


def test_quantity_must_be_positive() -> None:
    _fails(
        _mutated(lambda d: _proc(d, "BHXH-C12")["components"][0].update(quantity=0)),
        "BHXH-C12-01",
        "quantity",
    )


def test_conditional_needs_condition_text() -> None:
    _fails(
        _mutated(lambda d: _proc(d, "BHXH-C12")["components"][2].update(condition_vi=None)),
        "BHXH-C12-03",
        "condition",
    )


def test_one_of_group_needs_two_members() -> None:
    _fails(
        _mutated(lambda d: _proc(d, "BHXH-C07")["components"][2].update(one_of=None)),
        "BHXH-C07",
        "C07-proof",
        "at least 2",
    )


def test_missing_source_or_confidence() -> None:
    _fails(
        _mutated(lambda d: _proc(d, "BHXH-E02")["components"][0].pop("source")),
        "BHXH-E02-01",
        "source",
    )
    _fails(
        _mutated(lambda d: _proc(d, "BHXH-E02").update(confidence="X")),
        "BHXH-E02",
        "confidence",
    )
    _fails(
        _mutated(lambda d: _proc(d, "BHXH-E02")["time_limit"].pop("confidence")),
        "BHXH-E02",
        "time_limit",
        "confidence",
    )


def test_bad_json_file(tmp_path: Path) -> None:
    f = tmp_path / "broken.json"
    f.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid JSON"):
        load_catalogue(f)


# -- release 2026.12.1: Law 41/2024 -----------------------------------------------------------


def test_release_is_rebased_on_law_41_2024(cat: Catalogue) -> None:
    assert cat.catalogue_version == "2026.12.2"
    assert "41/2024" in cat.sources["LUAT-BHXH-2024"].title
    for p in cat.procedures:
        if p.time_limit.source == "LUAT-BHXH-2024":
            assert p.time_limit.article and "Điều" in p.time_limit.article, p.code
            assert p.time_limit.confidence in ("V", "S"), p.code
    pension = cat.procedure("BHXH-X01").time_limit
    assert (pension.value, pension.unit) == (20, "nonholiday_days")
    maternity = cat.procedure("BHXH-C06").time_limit
    assert maternity.for_filer("employer")[:2] == (7, "working_days")
    assert maternity.for_filer("worker")[:2] == (5, "working_days")
    assert cat.procedure("BHXH-C06").has_filer_limits
    c06 = cat.procedure("BHXH-C06")
    assert c06.filer_from_conditions({"BHXH-C06-01": True}) == "employer"
    assert c06.filer_from_conditions({"BHXH-C06-02": True, "BHXH-C06-01": False}) == "worker"
    assert c06.filer_from_conditions({"BHXH-C06-01": True, "BHXH-C06-02": True}) is None
    assert c06.filer_from_conditions({}) is None
    assert not cat.procedure("BHXH-C07").has_filer_limits


def test_book_and_card_are_kept_apart(cat: Catalogue) -> None:
    book, card = cat.procedure("BHXH-D01"), cat.procedure("BHXH-D02")
    assert "thẻ" not in book.name_vi and "sổ" not in card.name_vi
    assert (book.time_limit.value, book.time_limit.unit) == (5, "working_days")
    assert (card.time_limit.value, card.time_limit.unit, card.field) == (7, "working_days", "BHYT")
    assert "Điều 18" in (card.time_limit.article or "")


def test_survivors_and_authorisation_follow_the_law(cat: Catalogue) -> None:
    c11 = cat.procedure("BHXH-C11")
    book = c11.component("BHXH-C11-01")
    assert book.conditional and "Điều 90 khoản 2" in (book.condition_vi or "")
    assert [c.code for c in c11.one_of_groups()["C11-death"]] == [
        "BHXH-C11-02",
        "BHXH-C11-05",
        "BHXH-C11-06",
        "BHXH-C11-07",
    ]
    authorisation = cat.procedure("BHXH-B02").component("BHXH-B02-01")
    assert "chứng thực" in authorisation.name_vi and "12 tháng" in authorisation.name_vi


def test_new_procedures_of_law_41_2024(cat: Catalogue) -> None:
    monthly, voluntary = cat.procedure("BHXH-C16"), cat.procedure("BHXH-C17")
    assert "Điều 24" in (monthly.time_limit.article or "")
    assert "Điều 97" in (voluntary.time_limit.article or "")
    assert {c.code for c in monthly.components} == {"BHXH-C16-01", "BHXH-C16-02"}
    assert set(voluntary.one_of_groups()) == {"C17-birth"}


def test_every_bhxh_procedure_says_its_fee(cat: Catalogue) -> None:
    for p in cat.procedures:
        assert p.fee is not None, p.code
        assert p.fee.basis_vi and p.fee.source in cat.sources, p.code
    assert cat.procedure("BHXH-C07").fee.free  # type: ignore[union-attr]


def test_the_2014_release_is_kept_for_old_dossiers() -> None:
    old = load_catalogue(bundled_catalogue_path().parent / "releases" / "vss-2026.11.1.json")
    assert old.catalogue_version == "2026.11.1"
    assert (
        old.procedure("BHXH-C07").time_limit.value,
        old.procedure("BHXH-C07").time_limit.unit,
    ) == (
        10,
        "days",
    )


def test_filer_limits_and_fees_are_validated() -> None:
    def bad_filer(d: dict[str, Any]) -> None:
        _proc(d, "BHXH-C06")["time_limit"]["by_filer"]["agent"] = {"value": 3, "unit": "days"}

    _fails(_mutated(bad_filer), "BHXH-C06", "by_filer agent", "unknown filer")

    def one_filer(d: dict[str, Any]) -> None:
        del _proc(d, "BHXH-C06")["time_limit"]["by_filer"]["worker"]

    _fails(_mutated(one_filer), "BHXH-C06", "at least 2 filers")

    def bad_component(d: dict[str, Any]) -> None:
        _proc(d, "BHXH-C06")["time_limit"]["by_filer"]["worker"]["component"] = "BHXH-C07-01"

    _fails(_mutated(bad_component), "BHXH-C06", "by_filer worker", "unknown component")

    def bad_unit(d: dict[str, Any]) -> None:
        _proc(d, "BHXH-X01")["time_limit"]["unit"] = "hours"

    _fails(_mutated(bad_unit), "BHXH-X01", "unit")

    def bad_fee(d: dict[str, Any]) -> None:
        _proc(d, "BHXH-C07")["fee"]["amount_vnd"] = -1

    _fails(_mutated(bad_fee), "BHXH-C07", "fee", "amount_vnd")


def test_online_only_procedures_say_where_and_why(cat: Catalogue) -> None:
    for code in ("LT-01", "LT-02"):
        o = cat.procedure(code).online_only
        assert o is not None and "VNeID" in o.portal_vi and o.steps_vi
        assert o.source in cat.sources and "63/2024" in o.basis_vi
    assert cat.procedure("BHXH-C07").online_only is None

    def paper(d: dict[str, Any]) -> None:
        _proc(d, "LT-01")["channels"] = ["desk", "online"]

    _fails(_mutated(paper), "LT-01", "online-only")
