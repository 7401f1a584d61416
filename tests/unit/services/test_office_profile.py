"""The office profile at the service: admin-only edits, and papers that never print a blank."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.domain.errors import DomainError, ValidationFailed
from app.models import Officer
from app.services import documents, intake, office_profile
from app.services.bootstrap import open_desk
from app.services.context import DeskContext
from app.services.setup import Forbidden, add_officer, setup_desk
from tests.unit.print.printcheck import text as pdf_text

E02 = (HandedIn("BHXH-E02-01", "original", 1),)
APPLICANT = Applicant(full_name="Phạm Thị Lan", phone="0912345678")


def _admin(desk: DeskContext) -> str:
    with desk.transaction() as s:
        admin = Officer(
            office_id=s.scalar(select(Officer.office_id)),
            username="quantri",
            full_name="Quản trị",
            role="administrator",
        )
        s.add(admin)
        s.flush()
        return admin.id


def no_placeholder(text: str) -> None:
    """What a blank field leaves behind on a paper (the issue's list)."""
    assert not re.search(r"(^|[\s(]), ngày", text), text
    assert "- Điện thoại: " not in text.replace("- Điện thoại: 0", "")  # never an empty number
    assert "Đường dây nóng: -" not in text
    assert "số điện thoại  để" not in text and "số điện thoại để" not in text
    assert "huyện" not in text.lower() and "quận" not in text.lower()


def test_only_an_administrator_edits_the_profile(desk: DeskContext) -> None:
    p = office_profile.get_profile(desk)
    assert p.kind == "bhxh" and p.return_hour == time(16, 0)
    changed = replace(p, return_hour=time(15, 30))
    with pytest.raises(Forbidden):
        office_profile.save_profile(desk, changed, desk.officer_id)
    admin = _admin(desk)
    office_profile.save_profile(desk, changed, admin)
    assert office_profile.get_profile(desk).return_hour == time(15, 30)
    with pytest.raises(ValidationFailed) as err:
        district = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG QUẬN BA ĐÌNH"
        office_profile.save_profile(desk, replace(p, office_line=district), admin)
    assert [e.field for e in err.value.errors] == ["office_line"]
    assert office_profile.get_profile(desk).office_line == "BẢO HIỂM XÃ HỘI CƠ SỞ BA ĐÌNH"


def test_due_time_is_the_return_hour_not_the_moment_of_reception(desk: DeskContext, clock) -> None:  # type: ignore[no-untyped-def]
    clock.at = datetime(2026, 11, 17, 9, 40, tzinfo=UTC)  # 16:40 in Hà Nội, after the cut-off
    res = intake.submit(desk, intake.IntakeRequest("BHXH-E02", APPLICANT, E02))
    text = pdf_text(documents.render(desk, res.code, "receipt").pdf)
    day = res.due_date
    assert day is not None
    assert f"16 giờ 00 phút, ngày {day:%d/%m/%Y}" in text
    assert "16 giờ 40 phút, ngày" in text  # the moment of reception, item 4
    assert "Phí, lệ phí: Không thu phí, lệ phí" in text
    assert "BẢO HIỂM XÃ HỘI CƠ SỞ BA ĐÌNH" in text and "Ba Đình, ngày 17 tháng 11 năm 2026" in text
    no_placeholder(text)


def test_a_paper_is_refused_until_the_profile_is_complete(tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    ctx = open_desk(tmp_path / "d")
    ctx.clock = clock
    try:
        setup_desk(
            ctx, office_code="000.00.31.H56", office_name="BHXH cơ sở Ba Đình", desk_name="Quầy 1"
        )
        info = add_officer(
            ctx, username="admin", full_name="Quản trị", password="mat-khau-1", role="administrator"
        )
        ctx.officer_id = info.id
        res = intake.submit(ctx, intake.IntakeRequest("BHXH-E02", APPLICANT, E02))
        with pytest.raises(ValidationFailed) as err:
            documents.render(ctx, res.code, "receipt")
        message = err.value.errors[0].message
        assert "giờ trả kết quả" in message and "địa danh" in message
        # A desk set up before this release had the old header: it is asked for again.
        profile = replace(
            office_profile.get_profile(ctx),
            kind="bhxh",
            governing_line="BẢO HIỂM XÃ HỘI THÀNH PHỐ HÀ NỘI",
            office_line="BẢO HIỂM XÃ HỘI CƠ SỞ BA ĐÌNH",
            place_name="Ba Đình",
            address="Số 8 Phạm Hùng, Hà Nội",
            hotline="1900 9068",
            contact_phone="",
            return_hour=time(16, 30),
        )
        office_profile.save_profile(ctx, profile, info.id)
        text = pdf_text(documents.render(ctx, res.code, "receipt").pdf)
        assert (
            "Đường dây nóng: 1900 9068" in text
            and "Điện thoại" not in text.split("1900 9068")[1][:20]
        )
        no_placeholder(text)
    finally:
        ctx.close()


def test_a_post_office_agent_desk_never_prints_form_01(desk: DeskContext) -> None:
    admin = _admin(desk)
    p = office_profile.get_profile(desk)
    office_profile.save_profile(
        desk,
        replace(
            p,
            kind="post_agent",
            unit_name="Bưu điện văn hóa phường Ba Đình",
            governing_line="TỔNG CÔNG TY BƯU ĐIỆN VIỆT NAM",
            office_line="BƯU ĐIỆN VĂN HÓA PHƯỜNG BA ĐÌNH",
        ),
        admin,
    )
    res = intake.submit(desk, intake.IntakeRequest("BHXH-E02", APPLICANT, E02))
    for form in ("receipt", "receipt-80mm"):
        with pytest.raises(DomainError) as err:
            documents.render(desk, res.code, form)
        assert "Quyết định 45/2016" in str(err.value)
    # Its own papers carry its own header.
    first = intake.submit(
        desk, intake.IntakeRequest("BHXH-E02", APPLICANT, (), outcome="supplement")
    )
    text = pdf_text(documents.render(desk, first.code, "supplement").pdf)
    assert "BƯU ĐIỆN VĂN HÓA PHƯỜNG BA ĐÌNH" in text
    no_placeholder(text)
