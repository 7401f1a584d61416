"""Regenerate the form samples in docs/samples/ from desks seeded at a fixed clock.

    uv run python scripts/make_samples.py [--out docs/samples]

Two desks of 2026 (a BHXH cơ sở and a commune Public Administration Service Centre) are set
up in temporary folders through the services, dossiers are received and moved on at fixed
times, and every paper is rendered by `onestop print` (app.cli), the command support staff
use, so the samples show exactly what the program prints today. The A5 receipt also gets
its preview PNG (pdftoppm). tests/unit/test_samples.py checks that the committed samples
are what this script makes (their text through pdftotext, dates included).

The supervisor reports (bc_*.pdf, bc_*.xlsx) are made by the reports' own sample test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app import cli  # noqa: E402
from app.domain.applicant import Applicant  # noqa: E402
from app.domain.completeness import HandedIn  # noqa: E402
from app.services import actions, intake  # noqa: E402
from app.services.bootstrap import open_desk  # noqa: E402
from app.services.context import DeskContext  # noqa: E402
from app.services.setup import add_officer, setup_desk  # noqa: E402
from tests.support.offices import OFFICE_FIELDS  # noqa: E402

VN = ZoneInfo("Asia/Ho_Chi_Minh")

BHXH_OFFICE = {
    "office_code": "000.00.31.H56",
    "office_name": "Bảo hiểm xã hội cơ sở Ba Đình",
    "fields": OFFICE_FIELDS,
}
COMMUNE_OFFICE = {
    "office_code": "000.00.01.H26",
    "office_name": "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm",
    "fields": {
        "kind": "commune_centre",
        "parent_name": "ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM",
        "header_line": "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "province_code": "01",
        "commune_code": "00070",
        "place_name": "Hoàn Kiếm",
        "address": "Số 126 Hàng Trống, phường Hoàn Kiếm, Hà Nội",
        "hotline": "",
        "phone": "024 3825 0000",
        "return_hour": "15:30",
    },
}

LAN = Applicant(
    full_name="Nguyễn Thị Lan",
    id_number="001190012345",
    date_of_birth=date(1990, 3, 15),
    sex="F",
    phone="0912 345 678",
    province_code="01",
    commune_code="00004",
    address="Số 12 Kim Mã, phường Ba Đình, Hà Nội",
)
HUNG = Applicant(
    full_name="Trần Văn Hùng",
    id_number="001085004321",
    date_of_birth=date(1985, 7, 2),
    sex="M",
    phone="0987 654 321",
    address="Số 5 Hàng Bạc, phường Hoàn Kiếm, Hà Nội",
)
SICK = (HandedIn("BHXH-C07-01", "original", 1), HandedIn("BHXH-C07-02", "original", 1))
VOLUNTARY = (HandedIn("BHXH-E02-01", "original", 1),)


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def _desk(folder: Path, office: dict, clock: FixedClock) -> DeskContext:  # type: ignore[type-arg]
    ctx = open_desk(folder)
    setup_desk(
        ctx,
        office_code=office["office_code"],
        office_name=office["office_name"],
        desk_name="Quầy 1",
        office_fields=office["fields"],
    )
    officer = add_officer(
        ctx, username="canbo1", full_name="Đặng Thu Hà", password="mat-khau-1", role="officer"
    )
    ctx.officer_id, ctx.clock = officer.id, clock
    return ctx


def _bhxh_dossiers(ctx: DeskContext, clock: FixedClock) -> dict[str, str]:
    """Dossiers of Tue 17/11/2026 and what happened to them; returns form → dossier code."""
    clock.at = datetime(2026, 11, 17, 9, 5, tzinfo=VN)
    received = intake.submit(ctx, intake.IntakeRequest("BHXH-C07", LAN, SICK)).code
    clock.at = datetime(2026, 11, 17, 9, 40, tzinfo=VN)
    supplement = intake.submit(
        ctx, intake.IntakeRequest("BHXH-C07", LAN, SICK[:1], outcome="supplement")
    ).code
    clock.at = datetime(2026, 11, 17, 10, 15, tzinfo=VN)
    refused = intake.submit(
        ctx,
        intake.IntakeRequest(
            "BHXH-C03",
            LAN,
            (),
            outcome="refuse",
            reason="Người nộp chưa hưởng lương hưu, trợ cấp hằng tháng nên không thuộc "
            "đối tượng của thủ tục này (Luật BHXH 41/2024 Điều 76).",
        ),
    ).code
    clock.at = datetime(2026, 11, 17, 14, 20, tzinfo=VN)
    late = intake.submit(ctx, intake.IntakeRequest("BHXH-E02", LAN, VOLUNTARY)).code
    # In time order: the desk refuses intake dated earlier than its own latest event
    # (a clock that went back, app/services/guard.py).
    clock.at = datetime(2026, 11, 17, 15, 0, tzinfo=VN)
    stopped = intake.submit(ctx, intake.IntakeRequest("BHXH-E02", LAN, VOLUNTARY)).code
    clock.at = datetime(2026, 11, 18, 8, 30, tzinfo=VN)
    actions.transfer(ctx, received, to_agency="Phòng Chế độ BHXH")
    actions.transfer(ctx, late, to_agency="Phòng Quản lý thu")
    clock.at = datetime(2026, 11, 19, 9, 10, tzinfo=VN)
    actions.stop(ctx, stopped, "Người nộp có đơn rút hồ sơ để đăng ký tại nơi cư trú mới.")
    clock.at = datetime(2026, 11, 20, 10, 0, tzinfo=VN)
    actions.reschedule(
        ctx, late, date(2026, 12, 1), "Cần đối chiếu quá trình đóng BHXH tại tỉnh khác."
    )
    clock.at = datetime(2026, 11, 23, 14, 0, tzinfo=VN)
    actions.result_ready(ctx, received)
    return {
        "mau01_receipt_a5": received,
        "mau01_receipt_80mm": received,
        "mau02_supplement": supplement,
        "mau03_refusal": refused,
        "mau04_apology": late,
        "mau05_stop_notice": stopped,
        "mau06_control_sheet": received,
    }


FORMS = {
    "mau01_receipt_a5": "receipt",
    "mau01_receipt_80mm": "receipt-80mm",
    "mau02_supplement": "supplement",
    "mau03_refusal": "refusal",
    "mau04_apology": "apology",
    "mau05_stop_notice": "stop",
    "mau06_control_sheet": "control",
}


def _print(data_dir: Path, args: list[str]) -> None:
    """`onestop --data-dir … print …`, the support staff's command."""
    code = cli.main(["--data-dir", str(data_dir), "--lang", "vi", "print", *args])
    if code != 0:
        raise SystemExit(f"onestop print {' '.join(args)} failed with exit code {code}")


def make_samples(out: Path, log: Callable[[str], None] = print) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(datetime(2026, 11, 17, 8, 0, tzinfo=VN))
        bhxh_dir, commune_dir = Path(tmp) / "bhxh", Path(tmp) / "xa"
        ctx = _desk(bhxh_dir, BHXH_OFFICE, clock)
        codes = _bhxh_dossiers(ctx, clock)
        ctx.close()
        ctx = _desk(commune_dir, COMMUNE_OFFICE, clock)
        clock.at = datetime(2026, 11, 17, 8, 45, tzinfo=VN)
        commune_code = intake.submit(
            ctx,
            intake.IntakeRequest(
                "BHXH-C06",
                HUNG,
                (HandedIn("BHXH-C06-01", "original", 1), HandedIn("BHXH-C06-04", "original", 1)),
                {"BHXH-C06-01": True, "BHXH-C06-02": False, "BHXH-C06-04": True},
            ),
        ).code
        ctx.close()
        for name, form in FORMS.items():
            path = out / f"{name}.pdf"
            _print(bhxh_dir, [codes[name], "--form", form, "--out", str(path)])
            made.append(path)
        path = out / "mau07_logbook.pdf"
        _print(
            bhxh_dir,
            ["--form", "logbook", "--from", "2026-11-17", "--to", "2026-11-17", "--out", str(path)],
        )
        made.append(path)
        path = out / "mau01_receipt_a5_xa.pdf"
        _print(commune_dir, [commune_code, "--form", "receipt", "--out", str(path)])
        made.append(path)
    png = out / "mau01_receipt_a5.png"
    subprocess.run(
        [
            "pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
            str(out / "mau01_receipt_a5.pdf"), str(png.with_suffix("")),
        ],
        check=True,
    )  # fmt: skip
    made.append(png)
    for p in made:
        log(str(p))
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--out", default=str(ROOT / "docs" / "samples"), help="folder to write")
    args = ap.parse_args(argv)
    make_samples(Path(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
