"""The share of dossiers digitised at reception, by procedure and by officer (issue 16).

The national index of service quality (Decision 766/QĐ-TTg) counts the dossiers digitised
at reception (domain.md §0.1). Here a dossier received in the period is counted twice over:
- digitised: at least one component was stored (a `component_digitised` event) on the day
  it was received, Vietnam time: scanned at the counter, not weeks later;
- complete (the share): every component handed in was stored that day. Which components
  must be digitised: Circular 01/2023/TT-VPCP names kinds of papers (results of an earlier
  procedure, those a specialised law or a minister's or provincial chairperson's decision
  names, others at the applicant's wish) and leaves the lists to those decisions, none
  found for the BHXH procedures [S]; Circular 03/2025/TT-VPCP Art. 5 makes copying the
  papers into electronic form the rule, except dossiers filed online, papers only
  presented for comparison, answers of agencies taking part and confidential papers [S].
  The catalogue marks no component as "presented only", so every component handed in
  counts (sources in docs/digitising.md).

Its own module, beside app.services.reports (whose queries another change tunes): it
shares that module's period and scope rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from app.domain.lifecycle import EventType
from app.domain.messages import register
from app.models import Dossier, DossierComponent, Event, Officer, Procedure
from app.services.context import DeskContext
from app.services.reports import Scope, check_period, local_day, utc_bounds

register(
    {
        "digitised.report": {
            "vi": "Tỷ lệ hồ sơ số hóa khi tiếp nhận (theo thủ tục, cán bộ)",
            "en": "Share of dossiers digitised at reception (by procedure, officer)",
        },
        "digitised.col.name": {"vi": "Thủ tục / cán bộ", "en": "Procedure / officer"},
        "digitised.col.received": {"vi": "Tiếp nhận", "en": "Received"},
        "digitised.col.digitised": {
            "vi": "Có thành phần số hóa",
            "en": "Some component digitised",
        },
        "digitised.col.complete": {
            "vi": "Số hóa đủ thành phần",
            "en": "All components digitised",
        },
        "digitised.col.share": {"vi": "Tỷ lệ số hóa đủ", "en": "Share fully digitised"},
        "digitised.by_procedure": {"vi": "Theo thủ tục", "en": "By procedure"},
        "digitised.by_officer": {"vi": "Theo cán bộ tiếp nhận", "en": "By receiving officer"},
        "digitised.total": {"vi": "Tổng cộng", "en": "Total"},
        "digitised.note": {
            "vi": "Chỉ tính thành phần quét/nhập và lưu trong ngày tiếp nhận (NĐ 61/2018 Điều "
            "17 khoản 1). Số hóa đủ: mọi thành phần đã nộp đều được lưu; theo TT 03/2025/"
            "TT-VPCP Điều 5, sao chụp giấy tờ sang bản điện tử là nguyên tắc chung, trừ hồ sơ "
            "nộp trực tuyến, giấy tờ chỉ xuất trình để đối chiếu, kết quả của cơ quan phối hợp "
            "và tài liệu mật [S]. TT 01/2023/TT-VPCP để danh mục thành phần phải số hóa cho "
            "quyết định của bộ, UBND tỉnh; chưa tìm thấy danh mục cho thủ tục BHXH, nên mọi "
            "thành phần đã nộp đều được tính [S].",
            "en": "Only components scanned or imported and stored on the day of reception count "
            "(Decree 61/2018 Art. 17(1)). All components digitised: every component handed in "
            "was stored; under Circular 03/2025/TT-VPCP Art. 5 copying papers into electronic "
            "form is the rule, except dossiers filed online, papers only presented for "
            "comparison, answers of agencies taking part and confidential papers [S]. Circular "
            "01/2023/TT-VPCP leaves the list of components to digitise to ministers' and "
            "provinces' decisions; none was found for the BHXH procedures, so every component "
            "handed in counts [S].",
        },
    }
)


@dataclass(frozen=True)
class ShareRow:
    key: str  # procedure code or officer id ("" when no officer was recorded)
    label: str
    received: int
    #: At least one component stored on the day of reception.
    digitised: int
    #: Every component handed in stored on the day of reception (Circular 03/2025 Art. 5).
    complete: int = 0

    @property
    def share(self) -> float:
        """Digitised / received, 0..1 (0 when nothing was received)."""
        return self.digitised / self.received if self.received else 0.0

    @property
    def complete_share(self) -> float:
        """Complete / received, 0..1 (0 when nothing was received)."""
        return self.complete / self.received if self.received else 0.0


@dataclass(frozen=True)
class DigitisedShare:
    date_from: date
    date_to: date
    total: ShareRow
    by_procedure: tuple[ShareRow, ...]
    by_officer: tuple[ShareRow, ...]


def digitised_share(
    session: Session, date_from: date, date_to: date, scope: Scope | None = None
) -> DigitisedShare:
    """Dossiers received in [date_from, date_to] and how many were digitised that day."""
    check_period(date_from, date_to)
    scope = scope or Scope()
    start, end = utc_bounds(date_from, date_to)
    same_day = exists().where(
        and_(
            Event.dossier_id == Dossier.id,
            Event.type == EventType.COMPONENT_DIGITISED.value,
            local_day(session, Event.occurred_at) == local_day(session, Dossier.received_at),
        )
    )
    # Complete: no component handed in lacks a file stored that day (a dossier with no
    # component recorded is not complete: there was nothing to scan, nothing was scanned).
    # Correlated by hand: two levels down, auto-correlation left `dossiers` in the inner
    # FROM (a cross join that counted a dossier complete when any dossier had the file).
    stored_that_day = (
        select(Event.id)
        .where(
            Event.dossier_id == DossierComponent.dossier_id,
            Event.type == EventType.COMPONENT_DIGITISED.value,
            Event.payload["component_code"].as_string() == DossierComponent.component_code,
            local_day(session, Event.occurred_at) == local_day(session, Dossier.received_at),
        )
        .correlate(Dossier, DossierComponent)
        .exists()
    )
    missing = (
        select(DossierComponent.id)
        .where(DossierComponent.dossier_id == Dossier.id, ~stored_that_day)
        .exists()
    )
    complete = and_(same_day, ~missing)
    conditions = [Dossier.received_at >= start, Dossier.received_at < end]
    conditions += scope.dossier_filter()

    def grouped(col: Any) -> list[tuple[str, int, int, int]]:
        stmt = (
            select(col, func.count(), func.count().filter(same_day), func.count().filter(complete))
            .where(*conditions)
            .group_by(col)
        )
        return [(k or "", int(n), int(d or 0), int(c or 0)) for k, n, d, c in session.execute(stmt)]

    procs = grouped(Dossier.procedure_code)
    officers = grouped(Dossier.officer_id)
    names = dict(
        session.execute(
            select(Procedure.code, Procedure.name_vi).where(
                Procedure.code.in_([k for k, *_ in procs])
            )
        ).all()
    )
    people = dict(
        session.execute(
            select(Officer.id, Officer.full_name).where(
                Officer.id.in_([k for k, *_ in officers if k])
            )
        ).all()
    )
    by_proc = tuple(
        ShareRow(k, f"{k} {names.get(k, '')}".strip(), n, d, c) for k, n, d, c in sorted(procs)
    )
    by_officer = tuple(
        sorted(
            (ShareRow(k, people.get(k, k or "—"), n, d, c) for k, n, d, c in officers),
            key=lambda r: r.label,
        )
    )
    total = ShareRow(
        "",
        "",
        sum(r.received for r in by_proc),
        sum(r.digitised for r in by_proc),
        sum(r.complete for r in by_proc),
    )
    return DigitisedShare(date_from, date_to, total, by_proc, by_officer)


def digitised_share_of(
    ctx: DeskContext, date_from: date, date_to: date, scope: Scope | None = None
) -> DigitisedShare:
    """`digitised_share` in its own read (the reports screen calls it on the worker pool)."""
    with ctx.read() as s:
        return digitised_share(s, date_from, date_to, scope)
