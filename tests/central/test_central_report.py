"""`onestop-central report` on PostgreSQL: two desks of two offices of one province sync
their week through the real API, a third office elsewhere does too; the province's report
has one line per office of that province and a total, and bad input exits 2 with a reason."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.central import admin
from app.central.cli import main
from app.sync.commands import connect, sync_once
from tests.conftest import Clock
from tests.support.central import new_desk, unique_office_code
from tests.unit.services.conftest import build_history
from tests.unit.services.test_report_docs import evaluate


@pytest.mark.postgres
@pytest.mark.parametrize("central", ["postgres"], indirect=True)
def test_province_report_over_synced_offices(central, tmp_path: Path, capsys) -> None:
    offices = {}
    for key, province in (("a", "01"), ("b", "01"), ("c", "79")):
        code = unique_office_code()
        with central.sessions.begin() as s:
            admin.add_office(s, code, f"Một cửa {key.upper()}", province_code=province)
        offices[key] = code
        desk = new_desk(tmp_path / key, office_code=code)
        desk.clock = Clock(desk.now())
        build_history(desk, desk.clock)  # the same week at each office: 11 dossiers counted
        connect(desk, central.url, central.add_desk(code, f"Quầy {key}").token, sync=False)
        sync_once(desk)
        desk.close()

    out = tmp_path / "tinh01.xlsx"
    week = ["--from", "2026-11-16", "--to", "2026-11-20"]
    rc = main(["report", "--db", central.db_url, "--province", "01", *week, "--xlsx", str(out)])
    assert rc == 0 and out.exists()
    ws = load_workbook(io.BytesIO(out.read_bytes()))["II.06a"]
    rows = {ws[f"C{r}"].value: r for r in range(1, ws.max_row + 1)}
    assert offices["c"] not in rows  # another province
    for key in ("a", "b"):
        r = rows[offices[key]]
        # The hand counts of tests/unit/services/test_reports.py, per office: received 11
        # (1 online, 5 direct, 5 carried), settled 4 (1 early, 2 on time, 1 late), pending 7.
        got = [evaluate(ws, f"{col}{r}") for col in "DEFGHIJKLMN"]
        assert got == [11, 1, 5, 5, 4, 1, 2, 1, 7, 5, 2]
    # The online column's note speaks of what the desks synced, not of one counter.
    texts = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "đồng bộ về hệ thống trung tâm" in texts and "ghi nhận tại quầy" not in texts
    total = next(r for r in range(1, ws.max_row + 1) if ws[f"B{r}"].value == "Tổng cộng")
    assert [evaluate(ws, f"{col}{total}") for col in "DHL"] == [22, 8, 14]

    one = tmp_path / "one.pdf"
    rc = main(
        ["report", "--db", central.db_url, "--office", offices["c"], *week, "--pdf", str(one)]
    )
    assert rc == 0
    assert one.read_bytes().startswith(b"%PDF")

    capsys.readouterr()
    args = ["report", "--db", central.db_url, "--from", "2026-11-16", "--to", "2026-11-20"]
    assert main([*args, "--office", "999.99.99.X99", "--xlsx", str(out)]) == 2
    assert "999.99.99.X99" in capsys.readouterr().err
    bad_date = ["report", "--db", central.db_url, "--province", "01", "--from", "16/11/2026"]
    assert main([*bad_date, "--to", "2026-11-20", "--xlsx", str(out)]) == 2
    assert "--from" in capsys.readouterr().err
