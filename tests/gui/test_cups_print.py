"""Printing through a real print system (issue 10): a CUPS queue backed by cups-pdf.

The receipt goes through QPrinter to the queue named in the desk's settings; CUPS hands
the job to cups-pdf, which writes a PDF into the submitting user's ~/PDF. We find that file
by its job title (the dossier code), rasterise it with pdftoppm and decode the barcode with
zbarimg: what a citizen would hold is what the desk printed. `.ci/run` sets up the same
queue; here the fixture starts the scheduler and adds the queue if they are missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from app.services import documents
from app.ui import printing
from tests.gui.conftest import receive

QUEUE = "onestop-pdf"
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


def _scheduler_running() -> bool:
    r = subprocess.run(["lpstat", "-r"], capture_output=True, text=True)
    return r.returncode == 0 and "is running" in r.stdout and "not" not in r.stdout


@pytest.fixture(scope="module")
def pdf_queue() -> str:
    if not shutil.which("cupsd") or not PPD.exists():
        pytest.skip("cups and printer-driver-cups-pdf are not installed (see .ci/run)")
    if not _scheduler_running():
        if os.geteuid() != 0:
            pytest.skip("the CUPS scheduler is not running and we may not start it")
        subprocess.run(["cupsd"], check=True)
        for _ in range(50):
            if _scheduler_running():
                break
            time.sleep(0.1)
    names = subprocess.run(["lpstat", "-p"], capture_output=True, text=True).stdout
    if f"printer {QUEUE} " not in names:
        subprocess.run(
            ["lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-P", str(PPD)],
            check=True, capture_output=True,
        )
    return QUEUE


def _written(title: str, timeout: float = 60.0) -> Path:
    out = Path.home() / "PDF"
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = [p for p in out.glob("*.pdf") if title in p.name] if out.is_dir() else []
        if found and found[0].stat().st_size > 0:
            time.sleep(0.3)  # cups-pdf renames the finished file into place; let it settle
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"cups-pdf wrote nothing for {title} in {out}")


@pytest.mark.slow
def test_receipt_printed_through_cups_decodes(qtbot, desk, pdf_queue, tmp_path):
    r = receive(desk)
    rendered = documents.render(desk, r.dossier_id, "receipt", record=False)
    # A title no earlier run used, so the file we find is this job's.
    title = f"receipt-{r.code}-{time.time_ns()}"
    preview = printing.PrintPreview(rendered.pdf, "receipt", title, printer_name=pdf_queue)
    qtbot.addWidget(preview)
    assert preview.print_btn.isEnabled()
    assert preview.print_now(ask=False), preview.note.text()
    assert pdf_queue in preview.note.text()

    pdf = _written(title)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    page = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(page)],
                             capture_output=True, text=True)
    assert r.code in decoded.stdout.split(), decoded.stdout


def test_unknown_queue_is_reported_not_crashed(qtbot, desk):
    r = receive(desk)
    rendered = documents.render(desk, r.dossier_id, "receipt", record=False)
    preview = printing.PrintPreview(rendered.pdf, "receipt", "x.pdf", printer_name="no-such-q")
    qtbot.addWidget(preview)
    assert not preview.print_now(ask=False)
    assert "no-such-q" in preview.note.text()


@pytest.mark.slow
def test_desk_setting_names_the_queue_and_direct_printing_uses_it(
    qtbot, desk, pdf_queue, ui_settings, tmp_path
):
    from app.ui.officers import SettingsDialog

    dlg = SettingsDialog(ui_settings, None, desk)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.printer.findData(pdf_queue) >= 0, timeout=20_000)
    dlg.printer.setCurrentIndex(dlg.printer.findData(pdf_queue))
    dlg.direct.setChecked(True)
    dlg.save()
    assert ui_settings.get("printer") == pdf_queue

    r = receive(desk)
    out = Path.home() / "PDF"
    before = set(out.glob("*.pdf")) if out.is_dir() else set()
    printing.print_document(None, desk, r.dossier_id, "receipt", ui_settings)
    end = time.monotonic() + 60
    new: list[Path] = []
    while time.monotonic() < end and not new:
        qtbot.wait(200)
        new = [p for p in out.glob("*.pdf") if p not in before and r.code in p.name]
    assert new, "nothing reached the queue"
    assert printing.open_previews() == []  # printed straight, no preview left open
