"""Issuing dossier codes that are final when printed, online or not.

Numbers come from blocks this desk holds for an agency and a day (DESIGN.md
"Identifiers"): blocks reserved from the central service when paired; for a desk that is
not paired, a local block out of its slot's share of 1…8999; and, when a paired desk has
used up its central blocks offline, its slot's own fallback range 9001…9999 (see
app.domain.dossier_code). Slots are unique per office, so no two desks can issue the same
number, and a number is consumed in the same transaction as the dossier that carries it:
a rolled-back intake never printed anything, so no printed code is ever issued twice.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Update, bindparam, case, select, update
from sqlalchemy.orm import Session

from app.domain.dossier_code import BLOCK_MAX, FALLBACK_SLOTS, fallback_range, format_code
from app.domain.errors import DomainError
from app.domain.messages import register, tr
from app.models import CodeBlock, Dossier

LOCAL_SLOT_SIZE = BLOCK_MAX // FALLBACK_SLOTS  # 449 a day for each slot of a stand-alone office

register(
    {
        "codes.exhausted": {
            "vi": "Đã hết số hồ sơ của quầy cho ngày {day}. Hãy kết nối máy chủ trung tâm để "
            "nhận thêm dải số.",
            "en": "This desk has used all its dossier numbers for {day}. Connect to the central "
            "service to get more.",
        },
    }
)


def local_range(slot: int) -> range:
    """A stand-alone desk's own share of the block numbers of a day."""
    if not 1 <= slot <= FALLBACK_SLOTS:
        raise ValueError(f"desk slot {slot} outside 1..{FALLBACK_SLOTS}")
    first = (slot - 1) * LOCAL_SLOT_SIZE + 1
    return range(first, first + LOCAL_SLOT_SIZE)


def _ensure_block(session: Session, agency: str, day: date, source: str, numbers: range) -> None:
    exists = session.scalar(
        select(CodeBlock.id).where(
            CodeBlock.agency_code == agency, CodeBlock.day == day, CodeBlock.source == source
        )
    )
    if exists is None:
        session.add(
            CodeBlock(
                agency_code=agency,
                day=day,
                first=numbers.start,
                last=numbers.stop - 1,
                next=numbers.start,
                source=source,
            )
        )
        session.flush()


#: The order blocks are drawn from: central blocks first, then the stand-alone or the
#: fallback range.
_ORDER = case({"central": 0, "local": 1, "fallback": 2}, value=CodeBlock.source, else_=9)


def _take(allowed: tuple[str, ...]) -> Update:
    """One statement that picks the first block with numbers left and takes its next one
    (built once per source list; SQLite runs it under the intake's write lock)."""
    pick = (
        select(CodeBlock.id)
        .where(
            CodeBlock.agency_code == bindparam("b_agency"),
            CodeBlock.day == bindparam("b_day"),
            CodeBlock.next <= CodeBlock.last,
            CodeBlock.source.in_(allowed),
        )
        .order_by(_ORDER, CodeBlock.first)
        .limit(1)
        .scalar_subquery()
    )
    return (
        update(CodeBlock)
        .where(CodeBlock.id == pick)
        .values(next=CodeBlock.next + 1)
        .returning(CodeBlock.next - 1)
    )


# A paired desk never draws on its stand-alone range again: the central service plans
# other desks' blocks around the numbers it was told were used, not the whole range.
_TAKE = {True: _take(("central", "fallback")), False: _take(("local",))}
_CODE_USED = select(Dossier.id).where(Dossier.code == bindparam("code")).limit(1)


def allocate_code(session: Session, *, agency: str, day: date, slot: int, paired: bool) -> str:
    """Take the next number for `agency` on `day`; call inside the intake transaction.

    One UPDATE ... RETURNING per number in the usual case (and one look-up that the number
    is on no dossier yet); the desk's own block for the day is created only when no block
    has a number left.
    """
    session.flush()  # blocks or dossiers added in this transaction count
    conn = session.connection()
    ensured = False
    while True:
        seq = conn.execute(_TAKE[paired], {"b_agency": agency, "b_day": day}).scalar()
        if seq is None:
            if ensured:
                raise DomainError(
                    "codes.exhausted", tr("codes.exhausted", day=day.strftime("%d/%m/%Y"))
                )
            source, numbers = (
                ("fallback", fallback_range(slot))
                if paired
                else (
                    "local",
                    local_range(slot),
                )
            )
            _ensure_block(session, agency, day, source, numbers)
            ensured = True
            continue
        code = format_code(agency, day, seq)
        # A number already on a dossier (a restored backup, imported history) is
        # skipped, never issued a second time.
        if conn.execute(_CODE_USED, {"code": code}).first() is None:
            return code


def add_central_block(session: Session, *, agency: str, day: date, first: int, last: int) -> None:
    """Record a block the central service reserved for this desk.

    A block that overlaps numbers this desk holds or has issued is refused: taking it would
    let the desk issue a number twice, whatever the central service meant.
    """
    for held in session.scalars(
        select(CodeBlock).where(CodeBlock.agency_code == agency, CodeBlock.day == day)
    ):
        # Numbers already issued from any block, and the whole of another reserved block,
        # may not be handed out again; the unused rest of a stand-alone block may.
        top = held.next - 1 if held.source == "local" else held.last
        if held.first <= last and top >= first:
            raise ValueError(f"code block {first}-{last} of {day} overlaps numbers held")
    session.add(
        CodeBlock(agency_code=agency, day=day, first=first, last=last, next=first, source="central")
    )
