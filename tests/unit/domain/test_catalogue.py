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


def test_the_2021_list_has_25_procedures_in_5_fields(cat: Catalogue) -> None:
    listed = [p for p in cat.procedures if p.group in "ABCDE" and len(p.group) == 1]
    assert len(listed) == 25
    assert Counter(p.group for p in listed) == {"A": 3, "B": 3, "C": 15, "D": 1, "E": 3}
    for group, n in {"A": 3, "B": 3, "C": 15, "D": 1, "E": 3}.items():
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
    assert confirmed == {
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
    assert cat.procedure("BHXH-C11").component("BHXH-C11-03").confidence == "M"
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
