"""The share of dossiers digitised at reception, by procedure and by officer (issue 16).

The national index of service quality (Decision 766/QĐ-TTg) counts the dossiers digitised
at reception (domain.md §0.1). Here a dossier received in the period counts as digitised
at reception when at least one of its components was stored (a `component_digitised`
event) on the day it was received, Vietnam time: scanned at the counter, not weeks later.
Which components the index requires (Circular 01/2023/TT-VPCP) was not read [M], so any
component counts.

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
from app.models import Dossier, Event, Officer, Procedure
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
        "digitised.col.digitised": {"vi": "Số hóa khi tiếp nhận", "en": "Digitised at reception"},
        "digitised.col.share": {"vi": "Tỷ lệ", "en": "Share"},
        "digitised.by_procedure": {"vi": "Theo thủ tục", "en": "By procedure"},
        "digitised.by_officer": {"vi": "Theo cán bộ tiếp nhận", "en": "By receiving officer"},
        "digitised.total": {"vi": "Tổng cộng", "en": "Total"},
        "digitised.note": {
            "vi": "Hồ sơ được tính là số hóa khi tiếp nhận nếu có ít nhất một thành phần được "
            "quét/nhập và lưu trong ngày tiếp nhận (NĐ 61/2018 Điều 17 khoản 1). Danh mục "
            "thành phần bắt buộc số hóa (TT 01/2023/TT-VPCP) chưa đối chiếu [M].",
            "en": "A dossier counts as digitised at reception when at least one component was "
            "scanned or imported and stored on its day of reception (Decree 61/2018 Art. "
            "17(1)). The list of components that must be digitised (Circular 01/2023/TT-VPCP) "
            "was not checked [M].",
        },
    }
)


@dataclass(frozen=True)
class ShareRow:
    key: str  # procedure code or officer id ("" when no officer was recorded)
    label: str
    received: int
    digitised: int

    @property
    def share(self) -> float:
        """Digitised / received, 0..1 (0 when nothing was received)."""
        return self.digitised / self.received if self.received else 0.0


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
    conditions = [Dossier.received_at >= start, Dossier.received_at < end]
    conditions += scope.dossier_filter()

    def grouped(col: Any) -> list[tuple[str, int, int]]:
        stmt = (
            select(col, func.count(), func.count().filter(same_day))
            .where(*conditions)
            .group_by(col)
        )
        return [(k or "", int(n), int(d or 0)) for k, n, d in session.execute(stmt)]

    procs = grouped(Dossier.procedure_code)
    officers = grouped(Dossier.officer_id)
    names = dict(
        session.execute(
            select(Procedure.code, Procedure.name_vi).where(
                Procedure.code.in_([k for k, _n, _d in procs])
            )
        ).all()
    )
    people = dict(
        session.execute(
            select(Officer.id, Officer.full_name).where(
                Officer.id.in_([k for k, _n, _d in officers if k])
            )
        ).all()
    )
    by_proc = tuple(
        ShareRow(k, f"{k} {names.get(k, '')}".strip(), n, d) for k, n, d in sorted(procs)
    )
    by_officer = tuple(
        sorted(
            (ShareRow(k, people.get(k, k or "—"), n, d) for k, n, d in officers),
            key=lambda r: r.label,
        )
    )
    total = ShareRow(
        "", "", sum(r.received for r in by_proc), sum(r.digitised for r in by_proc)
    )
    return DigitisedShare(date_from, date_to, total, by_proc, by_officer)


def digitised_share_of(
    ctx: DeskContext, date_from: date, date_to: date, scope: Scope | None = None
) -> DigitisedShare:
    """`digitised_share` in its own read (the reports screen calls it on the worker pool)."""
    with ctx.read() as s:
        return digitised_share(s, date_from, date_to, scope)
