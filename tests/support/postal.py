"""A post-office agent desk for the postal tests: its own office, serving the test agency."""

from __future__ import annotations

from pathlib import Path

from app.services import postal
from app.services.bootstrap import open_desk
from app.services.context import DeskContext
from app.services.setup import add_officer, setup_desk
from tests.conftest import make_admin

#: The test agency (tests/conftest.py OFFICE_CODE): a BHXH cơ sở.
AGENCY_CODE = "000.00.31.H56"
AGENCY_NAME = "Bảo hiểm xã hội cơ sở Ba Đình"
POST_CODE = "000.20.01.H01"
POST_FIELDS: dict[str, str] = {
    "kind": "post_agent",
    "parent_name": "TỔNG CÔNG TY BƯU ĐIỆN VIỆT NAM",
    "header_line": "BƯU ĐIỆN TRUNG TÂM BA ĐÌNH",
    "province_code": "01",
    "commune_code": "00004",
    "place_name": "Ba Đình",
    "address": "Số 1 Đinh Lễ, phường Hoàn Kiếm, Hà Nội",
    "hotline": "1900 54 54 81",
    "phone": "024 3825 0000",
    "return_hour": "16:00",
}


def make_post_desk(
    data_dir: Path,
    *,
    clock: object = None,
    slot: int = 1,
    office_code: str = POST_CODE,
    agency_code: str = AGENCY_CODE,
) -> DeskContext:
    """A post-office agent desk (office kind post_agent) serving one agency."""
    ctx = open_desk(data_dir)
    setup_desk(
        ctx,
        office_code=office_code,
        office_name="Bưu điện Trung tâm Ba Đình",
        desk_name=f"Quầy bưu điện {slot}",
        slot=slot,
        office_fields=POST_FIELDS,
    )
    officer = add_officer(
        ctx,
        username=f"buudien{slot}",
        full_name="Phạm Thị Thu",
        password="mat-khau-1",
        role="officer",
    )
    ctx.officer_id = officer.id
    if clock is not None:
        ctx.clock = clock
    admin = make_admin(ctx, username=f"quantri{slot}")
    postal.set_agencies(
        ctx,
        [postal.Agency(agency_code, AGENCY_NAME, "Số 8 Phạm Hùng, Hà Nội", "province")],
        actor_id=admin.id,
    )
    return ctx
