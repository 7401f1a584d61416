"""The postal desk's costs against baselines measured in the same run (issue 15).

- A 20-row hand-over record (A4, a batch Code 128 and 20 row QR codes) against form 01
  rendered for the same office: the record is the paper an agency signs a packet with.
- At the agency: signing a 20-row record and settling every row (each a full intake under
  the agency's code plus the row's answer to the post office) against 20 plain intakes of
  the same dossiers at the counter.
Run: `uv run python -m bench.bench_postal`. Figures are medians; the machine is shared.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.domain.applicant import Applicant  # noqa: E402
from app.domain.completeness import HandedIn  # noqa: E402
from app.domain.postal import make_s10  # noqa: E402
from app.services import documents, intake, postal  # noqa: E402
from app.services.bootstrap import open_desk  # noqa: E402
from app.services.setup import setup_desk  # noqa: E402
from tests.support.offices import OFFICE_FIELDS  # noqa: E402
from tests.support.postal import AGENCY_CODE, AGENCY_NAME, make_post_desk  # noqa: E402

ROWS = 20
E02 = (HandedIn("BHXH-E02-01", "original", 1),)
WHO = Applicant(
    full_name="Nguyễn Thị Phượng",
    id_number="001190012345",
    phone="0912345678",
    address="Thôn Đắk Nông, xã Quảng Khê, tỉnh Lâm Đồng",
)


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 17, 1, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.at += timedelta(seconds=1)
        return self.at


def _median_ms(fn: Callable[[], object], rounds: int) -> float:
    fn()  # warm-up (fonts, statements)
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _agency(folder: Path, clock: Clock):  # type: ignore[no-untyped-def]
    ctx = open_desk(folder)
    setup_desk(
        ctx,
        office_code=AGENCY_CODE,
        office_name=AGENCY_NAME,
        desk_name="Quầy 1",
        office_fields=OFFICE_FIELDS,
    )
    ctx.clock = clock
    return ctx


def run(rounds: int = 5) -> dict[str, float]:
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        clock = Clock()
        post = make_post_desk(Path(tmp) / "post", clock=clock)
        serial = iter(range(10**6))

        def take(n: int) -> postal.BatchInfo:
            for _ in range(n):
                req = postal.AcceptRequest(
                    AGENCY_CODE, "BHXH-E02", WHO, E02, make_s10("EE", next(serial))
                )
                postal.accept(post, req)
            return postal.hand_over(post, AGENCY_CODE)

        record = take(ROWS)
        agency = _agency(Path(tmp) / "agency", clock)
        first = intake.submit(agency, intake.IntakeRequest("BHXH-E02", WHO, E02))
        out["record_ms"] = _median_ms(lambda: postal.handover_pdf(post, record.batch_no), rounds)
        out["form01_ms"] = _median_ms(
            lambda: documents.render(agency, first.code, "receipt", record=False), rounds
        )

        def plain() -> None:
            for _ in range(ROWS):
                intake.submit(agency, intake.IntakeRequest("BHXH-E02", WHO, E02))

        def by_post() -> None:
            b = take(ROWS)
            postal.sign_batch(agency, b.code.text(), b.row_data())
            for pos in range(1, ROWS + 1):
                postal.settle_row(agency, b.batch_no, pos, "received")

        out["intake_ms"] = _median_ms(plain, rounds) / ROWS
        # settle_row's share: the record is made on the post desk inside by_post, so time
        # that part alone and take it off.
        total = _median_ms(by_post, rounds) / ROWS
        handing = _median_ms(lambda: take(ROWS), rounds) / ROWS
        out["settle_ms"] = max(total - handing, 0.0)
        post.close()
        agency.close()
    return out


def main() -> None:
    r = run()
    print(
        f"hand-over record, {ROWS} rows (A4, 21 codes): {r['record_ms']:.0f} ms"
        f"   | baseline form 01 (A5) same run: {r['form01_ms']:.0f} ms"
        f"   | ratio {r['record_ms'] / r['form01_ms']:.1f}×"
    )
    print(
        f"agency: sign + settle, per dossier: {r['settle_ms']:.1f} ms"
        f"   | baseline plain intake same run: {r['intake_ms']:.1f} ms"
        f"   | ratio {r['settle_ms'] / r['intake_ms']:.2f}×"
    )


if __name__ == "__main__":
    main()
