"""Intake: the three outcomes, validation, appointment, and nothing half-written."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.domain.errors import DomainError, ValidationFailed
from app.domain.messages import set_language
from app.models import CodeBlock, Dossier, DossierComponent, Event, Outbox
from app.services import intake
from app.services.context import DeskContext

ANH = Applicant(
    full_name="Nguyễn Văn Ánh",
    id_number="001090123456",
    date_of_birth=date(1990, 5, 1),
    sex="M",
    phone="0912 345 678",
)
SICKNESS_FULL = (HandedIn("BHXH-C07-01", "original", 1), HandedIn("BHXH-C07-02", "original", 1))


def _counts(ctx: DeskContext) -> tuple[int, ...]:
    tables = (Dossier, DossierComponent, Event, Outbox)
    with ctx.read() as s:
        rows = [int(s.scalar(select(func.count()).select_from(t)) or 0) for t in tables]
        rows.append(int(s.scalar(select(func.sum(CodeBlock.next))) or 0))
    return tuple(rows)


def test_receive_complete_dossier_writes_event_outbox_and_projection(desk: DeskContext) -> None:
    res = intake.submit(desk, intake.IntakeRequest("BHXH-C07", ANH, SICKNESS_FULL))
    assert res.code == "000.00.31.H56-261117-0001"
    assert res.status == "received"
    # Sickness: 07 working days (Law 41/2024 Art. 48(3)) from Tue 17/11/2026: 18, 19, 20, 23,
    # (24/11 Ngày Văn hóa Việt Nam is off) 25, 26, 27 → Fri 27/11.
    assert res.effective_receipt_date == date(2026, 11, 17)
    assert res.due_date == date(2026, 11, 27)
    with desk.read() as s:
        d = s.scalar(select(Dossier).where(Dossier.code == res.code))
        assert d is not None
        assert (d.full_name, d.name_fold, d.phone) == (
            "Nguyễn Văn Ánh",
            "nguyen van anh",
            "0912345678",
        )
        assert [c.component_code for c in d.components] == ["BHXH-C07-01", "BHXH-C07-02"]
        assert d.catalogue_version == res.catalogue_version
        ev = s.scalar(select(Event).where(Event.dossier_id == d.id))
        assert ev is not None and ev.type == "received" and ev.desk_seq == 1
        assert ev.sync_state == "local"  # not paired with a central service yet
        assert s.get(Outbox, ev.id) is not None
        assert (d.log_book_year, d.log_book_volume, d.log_book_entry) == (2026, 1, 1)


def test_codes_and_log_entries_run_on(desk: DeskContext) -> None:
    codes = [
        intake.submit(desk, intake.IntakeRequest("BHXH-C07", ANH, SICKNESS_FULL)).code
        for _ in range(3)
    ]
    assert [c[-4:] for c in codes] == ["0001", "0002", "0003"]
    with desk.read() as s:
        assert sorted(s.scalars(select(Dossier.log_book_entry))) == [1, 2, 3]


def test_incomplete_dossier_cannot_be_received_and_nothing_is_written(desk: DeskContext) -> None:
    before = _counts(desk)
    with pytest.raises(DomainError) as exc:
        intake.submit(desk, intake.IntakeRequest("BHXH-C07", ANH, SICKNESS_FULL[:1]))
    assert exc.value.code == "intake.incomplete"
    assert "Giấy chứng nhận nghỉ việc" in exc.value.message
    assert _counts(desk) == before


def test_supplement_request_lists_every_missing_item(desk: DeskContext) -> None:
    res = intake.submit(desk, intake.IntakeRequest("BHXH-C07", ANH, (), outcome="supplement"))
    assert res.status == "supplement_requested"
    assert res.due_date is None
    assert len(res.missing_text) == 2  # the 01B-HSB list and the one-of proof group
    assert any("01B-HSB" in t for t in res.missing_text)


def test_supplement_for_a_complete_dossier_is_refused(desk: DeskContext) -> None:
    with pytest.raises(DomainError):
        intake.submit(
            desk, intake.IntakeRequest("BHXH-C07", ANH, SICKNESS_FULL, outcome="supplement")
        )


def test_refusal_needs_a_reason(desk: DeskContext) -> None:
    with pytest.raises(ValidationFailed) as exc:
        intake.submit(desk, intake.IntakeRequest("BHXH-C07", ANH, (), outcome="refuse"))
    assert [e.field for e in exc.value.errors] == ["reason"]
    res = intake.submit(
        desk,
        intake.IntakeRequest(
            "BHXH-C07", ANH, (), outcome="refuse", reason="Không thuộc thẩm quyền"
        ),
    )
    assert res.status == "refused"


def test_bad_applicant_names_every_field_and_writes_nothing(desk: DeskContext) -> None:
    before = _counts(desk)
    bad = Applicant(
        full_name="",
        id_number="00109012345",
        phone="12345",
        email="a@",
        date_of_birth=date(1990, 5, 1),
        sex="M",
    )
    with pytest.raises(ValidationFailed) as exc:
        intake.submit(desk, intake.IntakeRequest("BHXH-C07", bad, SICKNESS_FULL))
    fields = {e.field for e in exc.value.errors}
    assert fields == {"full_name", "id_number", "phone", "email"}
    assert all(e.message for e in exc.value.errors)
    assert _counts(desk) == before


def test_id_number_must_agree_with_birth_year_and_sex(desk: DeskContext) -> None:
    woman_2001 = Applicant(
        full_name="Đặng Thị Ước", id_number="001090123456", date_of_birth=date(2001, 2, 3), sex="F"
    )
    with pytest.raises(ValidationFailed) as exc:
        intake.submit(desk, intake.IntakeRequest("BHXH-C07", woman_2001, SICKNESS_FULL))
    assert {e.field for e in exc.value.errors} == {"id_number"}


def test_messages_follow_the_language(desk: DeskContext) -> None:
    set_language("en")
    with pytest.raises(ValidationFailed) as exc:
        intake.submit(
            desk, intake.IntakeRequest("BHXH-C07", Applicant(full_name=""), SICKNESS_FULL)
        )
    assert exc.value.errors[0].message.isascii()


def test_after_cutoff_counts_from_next_working_day(desk: DeskContext, clock) -> None:  # type: ignore[no-untyped-def]
    clock.at = datetime(2026, 11, 20, 9, 5, tzinfo=UTC)  # Friday 16:05 in Hà Nội
    e02 = (HandedIn("BHXH-E02-01", "original", 1),)
    res = intake.submit(desk, intake.IntakeRequest("BHXH-E02", ANH, e02))
    # After 15:00 on Friday → Monday 23/11; Tuesday 24/11 is Ngày Văn hóa Việt Nam.
    assert res.effective_receipt_date == date(2026, 11, 23)
    assert res.code.endswith("-261120-0001")  # the code keeps the real day of receipt


def test_unknown_procedure_is_a_clear_error(desk: DeskContext) -> None:
    with pytest.raises(DomainError) as exc:
        intake.submit(desk, intake.IntakeRequest("NO-SUCH", ANH, ()))
    assert "NO-SUCH" in exc.value.message


def test_receive_supplement_restarts_the_time_limit(desk: DeskContext, clock) -> None:  # type: ignore[no-untyped-def]
    first = intake.submit(
        desk, intake.IntakeRequest("BHXH-C07", ANH, SICKNESS_FULL[:1], outcome="supplement")
    )
    clock.at = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    with pytest.raises(DomainError):
        intake.receive_supplement(desk, first.code, (), {})
    res = intake.receive_supplement(desk, first.code, SICKNESS_FULL[1:], {})
    assert res.status == "received"
    assert res.effective_receipt_date == date(2026, 11, 25)
    assert res.code == first.code


def test_undecided_conditions_block_receive_and_an_empty_supplement(desk: DeskContext) -> None:  # type: ignore[no-untyped-def]
    """Issue 10: maternity with nothing handed in and nothing decided was received."""
    for outcome in ("receive", "supplement"):
        req = intake.IntakeRequest("BHXH-C06", ANH, (), {}, outcome=outcome)
        with pytest.raises(DomainError) as err:
            intake.submit(desk, req)
        assert err.value.code == "intake.undecided"
    employer = {"BHXH-C06-01": True, "BHXH-C06-02": False, "BHXH-C06-03": True}
    items = (HandedIn("BHXH-C06-01", "original", 1), HandedIn("BHXH-C06-03", "certified_copy", 1))
    res = intake.submit(desk, intake.IntakeRequest("BHXH-C06", ANH, items, employer))
    assert res.status == "received" and res.completeness.complete


def test_supplement_keeps_the_conditions_decided_at_intake(desk: DeskContext) -> None:  # type: ignore[no-untyped-def]
    employer = {"BHXH-C06-01": True, "BHXH-C06-02": False, "BHXH-C06-03": True}
    form = (HandedIn("BHXH-C06-01", "original", 1),)
    first = intake.submit(
        desk, intake.IntakeRequest("BHXH-C06", ANH, form, employer, outcome="supplement")
    )
    birth = (HandedIn("BHXH-C06-05", "certified_copy", 1),)
    res = intake.receive_supplement(desk, first.code, birth, {})
    assert res.status == "received" and res.completeness.complete


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"address": "Số 5 " + "x" * 315}, "address"),  # 320: once accepted, then a 500
        ({"full_name": "Nguyễn Văn " + "A" * 90}, "full_name"),
        ({"address": "Kim Mã\x00"}, "address"),
    ],
)
def test_fields_beyond_their_column_are_refused_at_the_field(
    desk: DeskContext, change: dict[str, str], field: str
) -> None:
    """The wire schema's bounds hold at the desk: a message next to the field, nothing kept."""
    from dataclasses import replace

    before = _counts(desk)
    with pytest.raises(ValidationFailed) as exc:
        intake.submit(desk, intake.IntakeRequest("BHXH-C07", replace(ANH, **change), SICKNESS_FULL))
    (err,) = exc.value.for_field(field)
    assert err.message
    assert _counts(desk) == before


def test_return_address_beyond_its_column_is_refused(desk: DeskContext) -> None:
    req = intake.IntakeRequest(
        "BHXH-C07", ANH, SICKNESS_FULL, return_method="post", return_address="x" * 301
    )
    with pytest.raises(ValidationFailed) as exc:
        intake.submit(desk, req)
    assert "300" in exc.value.for_field("return_address")[0].message


def test_warm_up_leaves_nothing_behind(desk: DeskContext) -> None:  # type: ignore[no-untyped-def]
    """The warm-up intake after sign-in runs every statement and rolls back: no dossier,
    event, outbox row or code is left, and the next real dossier gets number 0001."""
    before = _counts(desk)
    intake.warm_up(desk)
    assert _counts(desk) == before
    res = intake.submit(desk, intake.IntakeRequest("BHXH-C07", ANH, SICKNESS_FULL))
    assert res.code.endswith("-0001")


def test_warm_up_renders_the_receipt_of_its_own_dossier_and_leaves_nothing(
    desk: DeskContext,
) -> None:  # type: ignore[no-untyped-def]
    """Issue 10: the warm-up after sign-in reads the receipt of its rolled-back dossier
    inside the transaction and renders it after; even a desk with no dossier yet is warmed,
    and nothing of it stays (no dossier, event, code, log-book entry)."""
    from app.services import documents
    from tests.unit.print.printcheck import text as pdf_text

    before = _counts(desk)
    data = intake.warm_up(desk, documents.receipt_data)
    assert data is not None and data.code.endswith("-0001")
    assert _counts(desk) == before
    text = pdf_text(documents.render_receipt_data(data))
    assert "Nguyễn Văn A" in text and data.code in text
    res = intake.submit(desk, intake.IntakeRequest("BHXH-C07", ANH, SICKNESS_FULL))
    assert res.code.endswith("-0001")  # the warm-up used no number
    assert res.code == data.code


MATERNITY = (HandedIn("BHXH-C06-05", "certified_copy", 1),)


def test_maternity_limit_follows_the_filer(desk: DeskContext) -> None:
    """Law 41/2024 Art. 62(3): 07 working days via the employer, 05 when the worker files."""
    before = _counts(desk)
    neither = {"BHXH-C06-01": False, "BHXH-C06-02": False, "BHXH-C06-03": True}
    with pytest.raises(ValidationFailed) as err:
        intake.submit(desk, intake.IntakeRequest("BHXH-C06", ANH, MATERNITY, neither))
    assert [e.field for e in err.value.errors] == ["filer"]
    assert "Điều 62 khoản 3" in err.value.errors[0].message
    assert _counts(desk) == before
    with pytest.raises(ValidationFailed):
        intake.submit(desk, intake.IntakeRequest("BHXH-C06", ANH, MATERNITY, filer="someone"))
    conditions = {"BHXH-C06-01": False, "BHXH-C06-02": True, "BHXH-C06-03": True}
    worker = intake.submit(
        desk,
        intake.IntakeRequest(
            "BHXH-C06",
            ANH,
            (*MATERNITY, HandedIn("BHXH-C06-02", "original", 1)),
            conditions,
            filer="worker",
        ),
    )
    # Tue 17/11/2026 + 05 working days: 18, 19, 20, 23, (24/11 off) 25 → Wed 25/11.
    assert worker.due_date == date(2026, 11, 25)
    conditions = {"BHXH-C06-01": True, "BHXH-C06-02": False, "BHXH-C06-03": True}
    employer = intake.submit(
        desk,
        intake.IntakeRequest(
            "BHXH-C06",
            ANH,
            (*MATERNITY, HandedIn("BHXH-C06-01", "original", 1)),
            conditions,
            filer="employer",
        ),
    )
    assert employer.due_date == date(2026, 11, 27)  # 07 working days
    with desk.read() as s:
        ev = s.scalar(select(Event).where(Event.type == "received").order_by(Event.desk_seq))
        assert ev is not None
        assert ev.payload["time_limit"] == {
            "value": 5,
            "unit": "working_days",
            "article": "Luật BHXH 41/2024 Điều 62 khoản 3",
            "filer": "worker",
        }
    from app.services import actions

    assert actions.get_detail(desk, worker.code).time_limit_value == 5
    assert actions.get_detail(desk, employer.code).time_limit_value == 7
    # Without an explicit filer, the worker's own application stated to apply says who files.
    inferred = intake.submit(
        desk,
        intake.IntakeRequest(
            "BHXH-C06",
            ANH,
            (*MATERNITY, HandedIn("BHXH-C06-02", "original", 1)),
            {"BHXH-C06-01": False, "BHXH-C06-02": True, "BHXH-C06-03": True},
        ),
    )
    assert inferred.due_date == date(2026, 11, 25)


def test_supplement_restarts_with_the_filers_limit(desk: DeskContext, clock) -> None:  # type: ignore[no-untyped-def]
    conditions = {"BHXH-C06-01": False, "BHXH-C06-02": True, "BHXH-C06-03": True}
    first = intake.submit(
        desk,
        intake.IntakeRequest(
            "BHXH-C06", ANH, MATERNITY, conditions, outcome="supplement", filer="worker"
        ),
    )
    clock.at = datetime(2026, 11, 18, 2, 0, tzinfo=UTC)  # Wed 18/11 09:00
    res = intake.receive_supplement(
        desk, first.code, (HandedIn("BHXH-C06-02", "original", 1),), conditions
    )
    # Wed 18/11 + 05 working days: 19, 20, 23, (24 off) 25, 26 → Thu 26/11.
    assert res.due_date == date(2026, 11, 26)


def test_cmnd_is_only_an_old_id_beside_the_12_digit_number(desk: DeskContext) -> None:
    """Identification Law 2023 Art. 46: a 9-digit CMND is no identity paper since 2025."""
    before = _counts(desk)
    cmnd_only = Applicant(full_name="Nguyễn Văn Ánh", id_number="123456789")
    with pytest.raises(ValidationFailed) as err:
        intake.submit(desk, intake.IntakeRequest("BHXH-C07", cmnd_only, SICKNESS_FULL))
    assert [e.field for e in err.value.errors] == ["id_number"]
    assert "Điều 46" in err.value.errors[0].message
    assert _counts(desk) == before
    both = Applicant(
        full_name="Nguyễn Văn Ánh", id_number="001090123456", old_id_number="123 456 789"
    )
    res = intake.submit(desk, intake.IntakeRequest("BHXH-C07", both, SICKNESS_FULL))
    with desk.read() as s:
        ev = s.scalar(select(Event).where(Event.type == "received"))
        assert ev is not None
        assert ev.payload["applicant"]["old_id_number"] == "123456789"
        d = s.scalar(select(Dossier).where(Dossier.code == res.code))
        assert d is not None and d.id_number == "001090123456"


def test_online_only_procedures_are_not_received_on_paper(desk: DeskContext) -> None:
    """LT-01, LT-02 (Decree 63/2024): the desk shows the online steps, records assisted filing."""
    items = (HandedIn("LT-01-01", "original", 1), HandedIn("LT-01-02", "photocopy", 1))
    before = _counts(desk)
    for channel in ("desk", "post"):
        with pytest.raises(ValidationFailed) as err:
            intake.submit(desk, intake.IntakeRequest("LT-01", ANH, items, channel=channel))
        assert [e.field for e in err.value.errors] == ["channel"]
        message = err.value.errors[0].message
        assert "Nghị định 63/2024" in message and "VNeID" in message
    assert _counts(desk) == before
    assisted = intake.submit(desk, intake.IntakeRequest("LT-01", ANH, items, channel="online"))
    assert assisted.status == "received"
    with desk.read() as s:
        d = s.scalar(select(Dossier).where(Dossier.code == assisted.code))
        assert d is not None and d.channel == "online"


def test_each_outcome_writes_exactly_the_fold_of_its_event(desk: DeskContext) -> None:
    """Intake writes its rows with bulk statements: each must be what refolding the event
    through the ORM path gives, column for column, components included."""
    from app.services.projection import DOSSIER_COLUMNS, rebuild_dossier

    made = [
        intake.submit(desk, intake.IntakeRequest("BHXH-C07", ANH, SICKNESS_FULL)),
        intake.submit(
            desk,
            intake.IntakeRequest(
                "BHXH-C07", ANH, SICKNESS_FULL[:1], outcome="supplement", channel="post"
            ),
        ),
        intake.submit(
            desk, intake.IntakeRequest("BHXH-C07", ANH, (), outcome="refuse", reason="Sai nơi")
        ),
    ]
    compared = [k for k in DOSSIER_COLUMNS if k != "updated_at"]

    def snapshot(d: Dossier) -> tuple[dict[str, object], list[tuple[object, ...]]]:
        comps = sorted(
            (c.position, c.component_code, c.name_vi, c.form_code, c.copy_kind, c.quantity)
            for c in d.components
        )
        return {k: getattr(d, k) for k in compared}, comps

    with desk.read() as s:
        written = {}
        for res in made:
            d = s.get(Dossier, res.dossier_id)
            assert d is not None and d.status == res.status and d.code == res.code
            written[d.id] = snapshot(d)
            ev = s.get(Event, res.event_id)
            assert ev is not None and ev.recorded_at is not None and ev.origin == "local"
            assert s.get(Outbox, ev.id) is not None
    assert [r.status for r in made] == ["received", "supplement_requested", "refused"]
    with desk.transaction() as s:
        for d_id, expected in written.items():
            again = rebuild_dossier(s, d_id)
            assert again is not None
            assert snapshot(again) == expected
        s.rollback()


def test_log_book_entry_runs_on_from_the_stored_counter(desk: DeskContext) -> None:
    from app.services.context import set_setting
    from app.services.setup import current_desk

    with desk.transaction() as s:
        me = current_desk(s)
        assert me is not None
        set_setting(s, f"logbook.{me.desk_id}.2026", "41")
    intake.submit(desk, intake.IntakeRequest("BHXH-C07", ANH, SICKNESS_FULL))
    with desk.read() as s:
        assert list(s.scalars(select(Dossier.log_book_entry))) == [42]
