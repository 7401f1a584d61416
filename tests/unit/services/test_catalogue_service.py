"""Catalogue releases in the database: loaded once, versioned, dossiers keep theirs."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.applicant import Applicant
from app.domain.catalogue import bundled_catalogue_path
from app.domain.completeness import HandedIn
from app.domain.errors import DomainError
from app.models import CatalogueRelease, Dossier, ProcedureVersion
from app.services import actions, catalogue_service, intake
from app.services.context import DeskContext


def _bundled() -> dict:  # type: ignore[type-arg]
    return json.loads(bundled_catalogue_path().read_text(encoding="utf-8"))


def test_bundled_catalogue_is_loaded_with_sources(desk: DeskContext) -> None:
    procs = catalogue_service.list_procedures(desk)
    assert len(procs) == 31
    assert [p.code for p in catalogue_service.list_procedures(desk, "thai san")] == [
        "BHXH-C06",
        "BHXH-C17",
    ]
    assert catalogue_service.list_procedures(desk, "1.011537")[0].code == "LT-02"
    with desk.read() as s:
        assert catalogue_service.load_bundled_catalogue(s) is False  # already there
        pv = catalogue_service.current_version(s, "BHXH-C07")
        assert pv.source and pv.confidence in "VSM" and pv.time_limit_confidence in "VSM"
        assert all(c.confidence in "VSM" for c in pv.components)


def test_same_version_with_other_content_is_refused(desk: DeskContext) -> None:
    data = _bundled()
    data["procedures"][0]["name_vi"] += " (sửa)"
    with pytest.raises(DomainError), desk.transaction() as s:
        catalogue_service.load_catalogue_document(s, data, source="test")


def test_new_release_does_not_change_received_dossiers(desk: DeskContext) -> None:
    old = intake.submit(
        desk,
        intake.IntakeRequest(
            "BHXH-E02",
            Applicant(full_name="Phạm Thị Lan", date_of_birth=date(1980, 1, 1)),
            (HandedIn("BHXH-E02-01", "original", 1),),
        ),
    )
    data = copy.deepcopy(_bundled())
    data["catalogue_version"] = "2027.01.1"
    e02 = next(p for p in data["procedures"] if p["code"] == "BHXH-E02")
    e02["time_limit"]["value"] = 3
    e02["components"].append(
        {**e02["components"][0], "code": "BHXH-E02-09", "name_vi": "Giấy tờ mới", "form_code": None}
    )
    with desk.transaction() as s:
        assert catalogue_service.load_catalogue_document(s, data, source="central") is True
    with desk.read() as s:
        assert s.scalar(select(func.count()).select_from(CatalogueRelease)) == 2
        assert s.scalar(select(func.count()).select_from(ProcedureVersion)) == 62
        d = s.scalar(select(Dossier).where(Dossier.code == old.code))
        assert d is not None and d.catalogue_version == old.catalogue_version
    detail = actions.get_detail(desk, old.code)
    assert detail.catalogue_version == old.catalogue_version
    assert detail.time_limit_value != 3
    # A new dossier is checked against the new version, which needs the new component.
    with pytest.raises(DomainError):
        intake.submit(
            desk,
            intake.IntakeRequest(
                "BHXH-E02",
                Applicant(full_name="Phạm Thị Lan"),
                (HandedIn("BHXH-E02-01", "original", 1),),
            ),
        )
    new = intake.submit(
        desk,
        intake.IntakeRequest(
            "BHXH-E02",
            Applicant(full_name="Phạm Thị Lan"),
            (HandedIn("BHXH-E02-01", "original", 1), HandedIn("BHXH-E02-09", "original", 1)),
        ),
    )
    assert new.catalogue_version == "2027.01.1"


OLD_RELEASE = bundled_catalogue_path().parent / "releases" / "vss-2026.11.1.json"


def test_dossiers_received_under_the_2014_law_keep_their_limit(
    tmp_path, clock, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A desk set up with release 2026.11.1 is upgraded to 2026.12.1 (Law 41/2024)."""
    from app.services import documents
    from app.services.bootstrap import open_desk
    from tests.conftest import make_desk
    from tests.unit.print.printcheck import text as pdf_text

    monkeypatch.setattr(catalogue_service, "bundled_catalogue_path", lambda: OLD_RELEASE)
    ctx = make_desk(tmp_path / "desk", clock=clock)
    sick = (HandedIn("BHXH-C07-01", "original", 1), HandedIn("BHXH-C07-02", "original", 1))
    applicant = Applicant(full_name="Phạm Thị Lan")
    old = intake.submit(ctx, intake.IntakeRequest("BHXH-C07", applicant, sick))
    assert old.catalogue_version == "2026.11.1"
    officer = ctx.officer_id
    ctx.close()

    monkeypatch.undo()
    ctx = open_desk(tmp_path / "desk")  # the upgraded program loads its bundled release
    ctx.clock, ctx.officer_id = clock, officer
    try:
        new = intake.submit(ctx, intake.IntakeRequest("BHXH-C07", applicant, sick))
        assert new.catalogue_version == "2026.12.2"
        old_detail = actions.get_detail(ctx, old.code)
        assert (old_detail.time_limit_value, old_detail.time_limit_unit) == (10, "days")
        assert old_detail.catalogue_version == "2026.11.1"
        new_detail = actions.get_detail(ctx, new.code)
        assert (new_detail.time_limit_value, new_detail.time_limit_unit) == (7, "working_days")
        assert "10 ngày" in pdf_text(documents.render(ctx, old.code, "receipt").pdf)
        assert "7 ngày làm việc" in pdf_text(documents.render(ctx, new.code, "receipt").pdf)
        # Loading the older release again (a re-sent document) does not make it current.
        with ctx.transaction() as s:
            data = json.loads(OLD_RELEASE.read_text(encoding="utf-8"))
            assert catalogue_service.load_catalogue_document(s, data, source="x") is False
            assert catalogue_service.current_version(s, "BHXH-C07").catalogue_version == (
                "2026.12.2"
            )
    finally:
        ctx.close()


def test_an_older_release_loaded_later_does_not_become_current(desk: DeskContext) -> None:
    data = json.loads(OLD_RELEASE.read_text(encoding="utf-8"))
    with desk.transaction() as s:
        assert catalogue_service.load_catalogue_document(s, data, source="late") is True
        assert catalogue_service.current_version(s, "BHXH-C11").catalogue_version == "2026.12.2"
        assert catalogue_service.current_version(s, "BHXH-C11").time_limit_value == 10
