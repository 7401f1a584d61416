"""Every form from real dossiers: renders, scans back to its code, records the print."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime

import pytest

from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.domain.errors import DomainError
from app.services import actions, documents, intake
from app.services.context import DeskContext
from tests.unit.print.printcheck import decode, text

needs_tools = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="poppler-utils and zbar-tools are needed (.ci/run installs them)",
)
PHUONG = Applicant(
    full_name="Nguyễn Thị Phượng",
    id_number="001190123456",
    sex="F",
    date_of_birth=date(1990, 7, 8),
    phone="0912345678",
    address="Số 8 phố Đội Cấn, phường Ba Đình, Hà Nội",
)
SICK = (HandedIn("BHXH-C07-01", "original", 1), HandedIn("BHXH-C07-02", "original", 1))


@needs_tools
def test_every_dossier_form_scans_back_and_keeps_diacritics(desk: DeskContext) -> None:
    received = intake.submit(desk, intake.IntakeRequest("BHXH-C07", PHUONG, SICK)).code
    actions.transfer(desk, received, to_agency="Phòng Chế độ BHXH")
    actions.reschedule(desk, received, date(2026, 12, 10), "Cần xác minh quá trình đóng")
    supplement = intake.submit(
        desk, intake.IntakeRequest("BHXH-C07", PHUONG, SICK[:1], outcome="supplement")
    ).code
    refused = intake.submit(
        desk,
        intake.IntakeRequest(
            "BHXH-C07", PHUONG, (), outcome="refuse", reason="Hồ sơ không thuộc thẩm quyền"
        ),
    ).code
    cases = [
        (received, "receipt"),
        (received, "receipt-80mm"),
        (received, "apology"),
        (received, "control"),
        (supplement, "supplement"),
        (refused, "refusal"),
    ]
    for code, form in cases:
        r = documents.render(desk, code, form)
        assert r.code == code and not r.copy and not r.synced
        assert decode(r.pdf, dpi=203, symbology="code128")[:1] == [code], form
        words = text(r.pdf)
        assert "Nguyễn Thị Phượng" in words, form
        assert "Chưa đồng bộ" in words, form
        assert "not yet synced" not in words, form  # citizens' papers are Vietnamese only
    receipt = " ".join(text(documents.render(desk, received, "receipt").pdf).split())
    assert "Đăng ký nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả" in receipt
    assert "tại: Tại" not in receipt
    assert "Email" not in receipt and "—" not in receipt  # no email given: no empty line
    assert "Giấy chứng nhận nghỉ việc" in text(documents.render(desk, supplement, "supplement").pdf)
    assert "Hồ sơ không thuộc thẩm quyền" in text(documents.render(desk, refused, "refusal").pdf)


@needs_tools
def test_reprint_is_a_copy_and_every_print_is_an_event(desk: DeskContext) -> None:
    code = intake.submit(desk, intake.IntakeRequest("BHXH-C07", PHUONG, SICK)).code
    first = documents.render(desk, code, "receipt")
    second = documents.render(desk, code, "receipt")
    assert (first.copy, second.copy) == (False, True)
    assert "BẢN SAO" in text(second.pdf) and "BẢN SAO" not in text(first.pdf)
    printed = [e for e in actions.get_detail(desk, code).events if e.type == "printed"]
    assert [e.payload["copy"] for e in printed] == [False, True]


def test_form_that_does_not_fit_the_state_is_refused(desk: DeskContext) -> None:
    refused = intake.submit(
        desk,
        intake.IntakeRequest("BHXH-C07", PHUONG, (), outcome="refuse", reason="Sai thẩm quyền"),
    ).code
    with pytest.raises(DomainError):
        documents.render(desk, refused, "receipt")
    with pytest.raises(DomainError):
        documents.render(desk, refused, "apology")


@needs_tools
def test_logbook_lists_the_desks_entries_in_order(desk: DeskContext, clock) -> None:  # type: ignore[no-untyped-def]
    codes = []
    for hour in (1, 2, 3):
        clock.at = datetime(2026, 11, 17, hour, 0, tzinfo=UTC)
        codes.append(intake.submit(desk, intake.IntakeRequest("BHXH-C07", PHUONG, SICK)).code)
    r = documents.render_logbook(desk, date(2026, 11, 1), date(2026, 11, 30))
    words = text(r.pdf)
    positions = [words.index(c) for c in codes]
    assert positions == sorted(positions)
