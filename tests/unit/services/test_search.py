"""Search by code, ID, phone, social-insurance number and folded name."""

from __future__ import annotations

from datetime import date

from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.services import intake, search
from app.services.context import DeskContext

E02 = (HandedIn("BHXH-E02-01", "original", 1),)
PEOPLE = [
    Applicant(
        full_name="Nguyễn Văn Ánh",
        id_number="001090123456",
        phone="0912345678",
        social_insurance_no="0123456789",
        date_of_birth=date(1990, 5, 1),
        sex="M",
    ),
    Applicant(
        full_name="Đặng Hữu Ước",
        id_number="079085000111",
        phone="0987654321",
        date_of_birth=date(1985, 3, 4),
        sex="M",
    ),
    Applicant(full_name="Nguyễn Thị Phượng", phone="0243 791 0000"),
]


def _seed(ctx: DeskContext) -> list[str]:
    return [intake.submit(ctx, intake.IntakeRequest("BHXH-E02", p, E02)).code for p in PEOPLE]


def _names(rows: list[search.DossierSummary]) -> list[str]:
    return [r.full_name for r in rows]


def test_folded_name_prefix(desk: DeskContext) -> None:
    _seed(desk)
    assert _names(search.find_dossiers(desk, "nguyen van anh")) == ["Nguyễn Văn Ánh"]
    assert sorted(_names(search.find_dossiers(desk, "NGUYEN"))) == [
        "Nguyễn Thị Phượng",
        "Nguyễn Văn Ánh",
    ]
    assert _names(search.find_dossiers(desk, "dang huu")) == ["Đặng Hữu Ước"]
    assert _names(search.find_dossiers(desk, "Đặng")) == ["Đặng Hữu Ước"]
    assert search.find_dossiers(desk, "tran") == []


def test_identifiers(desk: DeskContext) -> None:
    codes = _seed(desk)
    assert _names(search.find_dossiers(desk, codes[1])) == ["Đặng Hữu Ước"]
    assert _names(search.find_dossiers(desk, codes[1].lower() + "\r\n")) == ["Đặng Hữu Ước"]
    assert _names(search.find_dossiers(desk, "001 090 123 456")) == ["Nguyễn Văn Ánh"]
    assert _names(search.find_dossiers(desk, "+84 987 654 321")) == ["Đặng Hữu Ước"]
    assert _names(search.find_dossiers(desk, "0123456789")) == ["Nguyễn Văn Ánh"]
    assert _names(search.find_dossiers(desk, "02437910000")) == ["Nguyễn Thị Phượng"]
    assert search.get_by_code(desk, codes[2]) is not None
    assert search.get_by_code(desk, "rubbish") is None


def test_list_filters_and_keyset_paging(desk: DeskContext) -> None:
    _seed(desk)
    f = search.DossierFilter(today=date(2026, 11, 17))
    assert search.count(desk, f) == 3
    first = search.list_page(desk, f, limit=2)
    rest = search.list_page(desk, f, after=(first[-1].received_at, first[-1].id), limit=2)
    assert len(first) == 2 and len(rest) == 1
    assert {r.id for r in first} | {r.id for r in rest} == {r.id for r in first + rest}
    overdue = search.DossierFilter(due="overdue", today=date(2027, 1, 1))
    assert search.count(desk, overdue) == 3
    assert search.count(desk, search.DossierFilter(statuses=("returned",))) == 0
    assert search.count(desk, search.DossierFilter(text="nguyen")) == 2


def test_name_prefix_in_name_order_newest_first_within_a_name(desk: DeskContext, clock) -> None:  # type: ignore[no-untyped-def]
    """Issue 10: a name prefix comes back in the index's name order (fast at a million),
    and each name's dossiers newest first; other searches stay newest first."""
    from datetime import timedelta

    items = (HandedIn("BHXH-B02-01", "original", 1), HandedIn("BHXH-B02-02", "photocopy", 1))
    codes = {}
    for i, name in enumerate(["Trần Thị Lan", "Trần Thị Hoa", "Trần Thị Lan", "Trần Thị Bích"]):
        clock.at += timedelta(minutes=5)
        r = intake.submit(desk, intake.IntakeRequest(
            "BHXH-B02", Applicant(full_name=name, id_number=f"00119001234{i}"), items))
        codes.setdefault(name, []).append(r.code)
    found = search.find_dossiers(desk, "tran thi")
    assert [f.full_name for f in found] == [
        "Trần Thị Bích", "Trần Thị Hoa", "Trần Thị Lan", "Trần Thị Lan"]
    assert [f.code for f in found[2:]] == codes["Trần Thị Lan"][::-1]  # newest first
    assert search.find_dossiers(desk, "tran thi", limit=2)[1].full_name == "Trần Thị Hoa"
