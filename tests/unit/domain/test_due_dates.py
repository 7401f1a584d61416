"""Due dates of every procedure in the bundled catalogue, counted by hand on the 2026 calendar.

Three receipts per procedure: a plain working morning (Wed 10/06/2026 09:00), a Friday
afternoon past the 15:00 cut-off (Fri 12/06/2026 16:00, counts from Mon 15/06, Decree 61
Art. 18), and the last working day before Tết (Fri 13/02/2026 09:00; Tết off 16–20/02).
The expected dates below were counted on a paper calendar, not computed by the code under
test; the article beside each limit is where the catalogue says the limit comes from.

Working days after Wed 10/06: 11 (1), 12 (2), 15 (3), 16 (4), 17 (5), 18 (6), 19 (7),
24/06 (10), 01/07 (15), 05/08 (40). After Mon 15/06: 18 (3), 22 (5), 23 (6), 24 (7),
29 (10), 06/07 (15), 10/08 (40). After Fri 13/02 (Tết skipped): 25/02 (3), 27/02 (5),
02/03 (6), 03/03 (7), 06/03 (10), 13/03 (15), 17/04 (40).
Plain days (Civil Code Art. 147–148: day n, moved to the next working day if it is a rest
day): from 10/06: +10 Sat 20/06 → 22/06, +20 30/06, +30 10/07, +40 20/07; from 15/06:
+10 25/06, +20 Sun 05/07 → 06/07, +30 15/07, +40 Sat 25/07 → 27/07; from 13/02: +10 23/02,
+20 05/03, +30 Sun 15/03 → 16/03, +40 25/03.
Days not counting public holidays and Tết (Law 41/2024 Art. 79(3)): from 10/06 and 15/06
no holiday falls in the period, so as plain days; from 13/02: 14, 15 count, 16–20 skipped,
21/02 … 10/03 is the 20th day.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.domain.calendar import OVERRIDES_RESOURCE, WorkingCalendar, parse_overrides
from app.domain.catalogue import bundled_catalogue_path, load_catalogue

ROOT = Path(__file__).resolve().parents[3]
VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkingCalendar(
    parse_overrides(json.loads((ROOT / OVERRIDES_RESOURCE).read_text(encoding="utf-8")))
)
CATALOGUE = load_catalogue(bundled_catalogue_path())

MORNING = datetime(2026, 6, 10, 9, 0, tzinfo=VN)
FRIDAY_LATE = datetime(2026, 6, 12, 16, 0, tzinfo=VN)
BEFORE_TET = datetime(2026, 2, 13, 9, 0, tzinfo=VN)


def d(day: int, month: int) -> date:
    return date(2026, month, day)


# (value, unit) -> due date for (MORNING, FRIDAY_LATE, BEFORE_TET), counted by hand.
EXPECTED: dict[tuple[int, str], tuple[date, date, date]] = {
    (3, "working_days"): (d(15, 6), d(18, 6), d(25, 2)),
    (5, "working_days"): (d(17, 6), d(22, 6), d(27, 2)),
    (6, "working_days"): (d(18, 6), d(23, 6), d(2, 3)),
    (7, "working_days"): (d(19, 6), d(24, 6), d(3, 3)),
    (10, "working_days"): (d(24, 6), d(29, 6), d(6, 3)),
    (15, "working_days"): (d(1, 7), d(6, 7), d(13, 3)),
    (40, "working_days"): (d(5, 8), d(10, 8), d(17, 4)),
    (10, "days"): (d(22, 6), d(25, 6), d(23, 2)),
    (20, "days"): (d(30, 6), d(6, 7), d(5, 3)),
    (30, "days"): (d(10, 7), d(15, 7), d(16, 3)),
    (40, "days"): (d(20, 7), d(27, 7), d(25, 3)),
    (20, "nonholiday_days"): (d(30, 6), d(6, 7), d(10, 3)),
}

# Every procedure of the bundled release, its limit (filer where it matters) and the article.
TABLE: list[tuple[str, str, int, str, str]] = [
    ("BHXH-A01", "", 40, "working_days", "Nghị định 146/2018 (Luật BHYT Điều 31)"),
    ("BHXH-A02", "", 40, "days", "chưa xác nhận [M]"),
    ("BHXH-A03", "", 30, "days", "chưa xác nhận [M]"),
    ("BHXH-B01", "", 5, "working_days", "Luật BHXH 41/2024 Điều 82 khoản 2"),
    ("BHXH-B02", "", 5, "working_days", "chưa xác nhận [M]"),
    ("BHXH-B03", "", 5, "working_days", "chưa xác nhận [M]"),
    ("BHXH-C01", "", 20, "days", "chưa xác nhận [M]"),
    ("BHXH-C02", "", 5, "working_days", "Luật BHXH 41/2024 Điều 82 khoản 2"),
    ("BHXH-C03", "", 7, "working_days", "Luật BHXH 41/2024 Điều 76 khoản 5"),
    ("BHXH-C04", "", 6, "working_days", "chưa xác nhận [M]"),
    ("BHXH-C05", "", 7, "working_days", "Luật BHXH 41/2024 Điều 49 khoản 2"),
    ("BHXH-C06", "employer", 7, "working_days", "Luật BHXH 41/2024 Điều 62 khoản 3"),
    ("BHXH-C06", "worker", 5, "working_days", "Luật BHXH 41/2024 Điều 62 khoản 3"),
    ("BHXH-C07", "", 7, "working_days", "Luật BHXH 41/2024 Điều 48 khoản 3"),
    ("BHXH-C08", "", 20, "days", "chưa xác nhận [M]"),
    ("BHXH-C09", "", 10, "days", "chưa xác nhận [M]"),
    ("BHXH-C10", "", 10, "working_days", "Luật BHXH 41/2024 Điều 81 khoản 2"),
    ("BHXH-C11", "", 10, "working_days", "Luật BHXH 41/2024 Điều 91 khoản 3"),
    ("BHXH-C12", "", 7, "working_days", "Luật BHXH 41/2024 Điều 79 khoản 3"),
    ("BHXH-C13", "", 6, "working_days", "chưa xác nhận [M]"),
    ("BHXH-C14", "", 6, "working_days", "chưa xác nhận [M]"),
    ("BHXH-C15", "", 20, "days", "chưa xác nhận [M]"),
    ("BHXH-C16", "", 5, "working_days", "Luật BHXH 41/2024 Điều 24 khoản 2"),
    ("BHXH-C17", "", 5, "working_days", "Luật BHXH 41/2024 Điều 97 khoản 2"),
    ("BHXH-D01", "", 5, "working_days", "Luật BHXH 41/2024 Điều 29 khoản 2"),
    ("BHXH-D02", "", 7, "working_days", "Luật BHYT Điều 18, 19"),
    ("BHXH-E01", "", 5, "working_days", "Luật BHXH 41/2024 Điều 28 khoản 4"),
    ("BHXH-E02", "", 5, "working_days", "Luật BHXH 41/2024 Điều 28 khoản 4"),
    ("BHXH-E03", "", 10, "working_days", "Luật BHYT Điều 17"),
    ("BHXH-X01", "", 20, "nonholiday_days", "Luật BHXH 41/2024 Điều 79 khoản 3"),
    ("LT-01", "", 3, "working_days", "Nghị định 63/2024"),
    ("LT-02", "", 15, "working_days", "chưa xác nhận [M]"),
]


def test_the_table_covers_every_procedure() -> None:
    assert {row[0] for row in TABLE} == set(CATALOGUE.codes())


@pytest.mark.parametrize(("code", "filer", "value", "unit", "article"), TABLE)
def test_catalogue_limit_and_article(
    code: str, filer: str, value: int, unit: str, article: str
) -> None:
    got_value, got_unit, got_article = CATALOGUE.procedure(code).time_limit.for_filer(filer)
    assert (got_value, got_unit) == (value, unit)
    if article.startswith("Luật BHXH 41/2024"):
        # The catalogue cites the article the table names (first clause is enough).
        assert got_article and article.split(";")[0] in got_article


@pytest.mark.parametrize(("code", "filer", "value", "unit", "article"), TABLE)
@pytest.mark.parametrize(
    ("moment", "column"), [(MORNING, 0), (FRIDAY_LATE, 1), (BEFORE_TET, 2)], ids=str
)
def test_due_date(
    code: str, filer: str, value: int, unit: str, article: str, moment: datetime, column: int
) -> None:
    proc = CATALOGUE.procedure(code)
    got_value, got_unit, _ = proc.time_limit.for_filer(filer)
    appt = CAL.appointment(moment, got_value, got_unit, proc.time_limit.same_day)  # type: ignore[arg-type]
    assert appt.due_date == EXPECTED[(value, unit)][column], (code, filer, article)
