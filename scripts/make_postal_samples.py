"""Regenerate the postal samples in docs/samples/ (issue 15) from two desks at a fixed clock.

    uv run python scripts/make_postal_samples.py [--out docs/samples]

A post-office agent desk takes three dossiers in for a BHXH cơ sở and hands them over; the
agency signs the record, receives two and marks one missing from the packet, settles them
and sends the results back. Every paper is rendered by the services the window uses:
the fee receipt, both hand-over records, the agent desk's daily list (PDF and Excel) and
the agency's split by channel. tests/unit/postal/test_postal_samples.py checks that the
committed samples are what this script makes (their text through pdftotext).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.domain.applicant import Applicant  # noqa: E402
from app.domain.completeness import HandedIn  # noqa: E402
from app.domain.postal import make_s10  # noqa: E402
from app.services import actions, postal, postal_reports  # noqa: E402
from app.services.bootstrap import open_desk  # noqa: E402
from app.services.setup import add_officer, setup_desk  # noqa: E402
from tests.support.offices import OFFICE_FIELDS  # noqa: E402
from tests.support.postal import AGENCY_CODE, AGENCY_NAME, make_post_desk  # noqa: E402

DAY = date(2026, 11, 17)
E02 = (HandedIn("BHXH-E02-01", "original", 1),)
SENDERS = (
    Applicant(
        full_name="Nguyễn Thị Lan",
        id_number="001190012345",
        phone="0912345678",
        address="Số 12 Kim Mã, phường Ba Đình, Hà Nội",
    ),
    Applicant(
        full_name="Trần Văn Hùng",
        id_number="001085004321",
        phone="0987654321",
        address="Số 5 Hàng Bạc, phường Hoàn Kiếm, Hà Nội",
    ),
    Applicant(
        full_name="Lê Thị Mai",
        id_number="001192007788",
        phone="0904111222",
        address="Số 40 Phố Huế, phường Hai Bà Trưng, Hà Nội",
    ),
)


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def _batch_numbers() -> Iterator[str]:
    n = 0
    while True:
        n += 1
        yield f"2611170000{n:02d}"


def make_postal_samples(out: Path, log: Callable[[str], None] = print) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    numbers = _batch_numbers()
    saved = postal.new_batch_no
    postal.new_batch_no = lambda: next(numbers)  # fixed record numbers: samples compare
    made: list[Path] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            clock = Clock(datetime(2026, 11, 17, 1, 30, tzinfo=UTC))  # 08:30 in Hà Nội
            post = make_post_desk(Path(tmp) / "post", clock=clock)
            agency = open_desk(Path(tmp) / "agency")
            setup_desk(
                agency,
                office_code=AGENCY_CODE,
                office_name=AGENCY_NAME,
                desk_name="Quầy 1",
                office_fields=OFFICE_FIELDS,
            )
            agency.officer_id = add_officer(
                agency, username="canbo1", full_name="Nguyễn Văn An", password="mat-khau-1"
            ).id
            agency.clock = clock
            taken = []
            for i, who in enumerate(SENDERS):
                clock.at += timedelta(minutes=12)
                taken.append(
                    postal.accept(
                        post,
                        postal.AcceptRequest(
                            AGENCY_CODE, "BHXH-E02", who, E02, make_s10("EE", 1_000 + i)
                        ),
                    )
                )
            clock.at += timedelta(hours=2)
            record = postal.hand_over(post, AGENCY_CODE)
            clock.at += timedelta(minutes=40)
            postal.sign_batch(agency, record.code.text(), record.row_data())
            clock.at += timedelta(minutes=20)
            codes = [
                postal.settle_row(agency, record.batch_no, 1, "received").dossier_code,
                postal.settle_row(agency, record.batch_no, 2, "received").dossier_code,
            ]
            postal.settle_row(agency, record.batch_no, 3, "missing", reason="Không có trong bao")
            clock.at += timedelta(hours=3)
            for code in codes:
                actions.result_ready(agency, code)
            back = postal.return_hand_over(agency, record.from_office_code)
            papers = {
                "buudien_bien_lai.pdf": postal.fee_receipt_pdf(post, taken[0].receipt_no),
                "buudien_bien_ban_giao_nhan.pdf": postal.handover_pdf(post, record.batch_no),
                "buudien_bien_ban_tra_ket_qua.pdf": postal.handover_pdf(agency, back.batch_no),
                "buudien_bang_ke.pdf": postal_reports.export_daily_list(post, DAY, "pdf").data,
                "buudien_bang_ke.xlsx": postal_reports.export_daily_list(post, DAY, "xlsx").data,
                "buudien_theo_kenh.pdf": postal_reports.export_split(agency, DAY, DAY, "pdf").data,
            }
            post.close()
            agency.close()
    finally:
        postal.new_batch_no = saved
    for name, data in papers.items():
        path = out / name
        path.write_bytes(data)
        made.append(path)
        log(f"wrote {path}")
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "samples")
    make_postal_samples(parser.parse_args().out)


if __name__ == "__main__":
    main()
