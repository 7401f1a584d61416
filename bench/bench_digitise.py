"""Digitising (issue 16): pages per second stored, MB per second synced, each beside a
bare file copy of the same bytes measured in the same run (the machine is shared: only the
ratios mean something).

The pages are a real 300 dpi colour scan from the SANE `test` backend (scanimage runs),
10 pages of 200 × 200 mm (the backend's largest area), as an officer's feeder scan.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

PAGES = 10
DPI = 300


def _copy_rate(files: list[Path], out: Path) -> float:
    """Seconds to copy `files` into `out` (fsync'd, as the store does)."""
    import os

    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for f in files:
        dest = out / f.name
        shutil.copyfile(f, dest)
        with dest.open("rb+") as fh:
            os.fsync(fh.fileno())
    return time.perf_counter() - t0


OCR_PAGES = 3  # OCR takes seconds a page: a few pages give the rate


def _ocr(desk, dossier: str, pages: list, plain_s_per_page: float) -> str:  # type: ignore[no-untyped-def]
    """What the counter waits for now beside what it waited for before, same pages, same
    run: the plain store of a few scanned pages (the receipt waits for it), then their
    PDF/A copy by OCRmyPDF (in the background now, under `nice`; before, the receipt
    waited for both). CPU time of the OCR child processes too (the machine is shared:
    wall time stretches, CPU time much less)."""
    import resource

    from app.services import digitise

    if digitise.ocr_program()[0] is None:
        return "pdf/a: OCRmyPDF or Tesseract's vie data not installed here; not measured"
    t0, c0 = time.perf_counter(), time.process_time()
    plain = digitise.digitise_component(desk, dossier, "BHXH-C06-03", pages)
    wait_s, wait_cpu = time.perf_counter() - t0, time.process_time() - c0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    up = digitise.upgrade_to_pdfa(desk, dossier, "BHXH-C06-03", plain.sha256)
    ocr_s = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    n = len(pages)
    return (
        f"receipt waits for {n} scanned pages: {wait_s:.2f} s wall ({wait_cpu:.2f} s CPU), "
        f"the plain store only; it waited {wait_s + ocr_s:.1f} s before (store + OCR), "
        f"ratio {(wait_s + ocr_s) / wait_s:.0f}x\n"
        f"pdf/a in the background (OCRmyPDF under nice, vie+eng, {n} pages): "
        f"{ocr_s / n:.1f} s/page wall, {cpu / n:.1f} s/page CPU of the OCR processes, "
        f"{up.outcome}  plain store: {plain_s_per_page:.2f} s/page (10-page run)  "
        f"ratio {ocr_s / n / plain_s_per_page:.0f}x"
    )


def run() -> list[str]:
    from app.central.api import create_app
    from app.central.blobs import LocalStore
    from app.domain.applicant import Applicant
    from app.domain.completeness import HandedIn
    from app.services import digitise, intake
    from app.services.scanning import SaneScanner
    from app.sync.commands import SyncReport, _client_for, connect, sync_once
    from app.sync.files import upload_pending
    from tests.support.central import ServerThread, new_desk
    from tests.support.sane import sane_test_env

    lines = []
    with tempfile.TemporaryDirectory(prefix="bench-digitise-") as tmp_s:
        tmp = Path(tmp_s)
        scanner = SaneScanner(env=sane_test_env(tmp / "sane"))
        t0 = time.perf_counter()
        (tmp / "scan").mkdir()
        subprocess.run(
            [
                scanner.program, "-d", "test:0", "--format=png", f"--resolution={DPI}",
                "--mode=Color", "--test-picture=Color pattern", "-x", "200", "-y", "200",
                f"--batch={tmp / 'scan' / 'page-%04d.png'}", f"--batch-count={PAGES}",
            ],
            env=scanner.env, check=True, capture_output=True,
        )
        scan_s = time.perf_counter() - t0
        files = sorted((tmp / "scan").glob("page-*.png"))
        in_bytes = sum(f.stat().st_size for f in files)
        app = create_app(
            f"sqlite:///{tmp / 'central.sqlite3'}", files=LocalStore(tmp / "central-files"),
            rate_limit=None,
        )
        with ServerThread(app) as server:
            from app.central import admin

            office = "BEN.01.31.H56"
            with app.state.sessions.begin() as s:
                admin.add_office(s, office, "Bench")
            with app.state.sessions.begin() as s:
                token = admin.add_desk(s, office, "Quầy", None).token
            desk = new_desk(tmp / "desk", office_code=office)
            connect(desk, server.url, token)
            mother = Applicant(
                full_name="Lê Thị Mai", id_number="001194123457",
                date_of_birth=date(1994, 3, 2), sex="F",
            )
            req = intake.IntakeRequest(
                "BHXH-C06", mother,
                (HandedIn("BHXH-C06-02", "original", 1),
                 HandedIn("BHXH-C06-03", "certified_copy", 1)),
                conditions={"BHXH-C06-01": False, "BHXH-C06-02": True, "BHXH-C06-03": True},
                filer="worker",
            )
            dossier = intake.submit(desk, req).dossier_id
            pages = digitise.pages_from_files(files, source="scanner")
            t0, c0 = time.perf_counter(), time.process_time()
            result = digitise.digitise_component(desk, dossier, "BHXH-C06-02", pages, ocr=False)
            store_s, store_cpu = time.perf_counter() - t0, time.process_time() - c0
            copy_in_s = _copy_rate(files, tmp / "copy-in")
            sync_once(desk, documents=False, blocks=False, files=False)  # the event first
            client = _client_for(desk.sessions, 60)
            t0 = time.perf_counter()
            report = SyncReport()
            upload_pending(desk.sessions, client, report)
            sync_s = time.perf_counter() - t0
            client.close()
            pdf = digitise.store_of(desk).path_for(result.sha256)
            copy_out_s = _copy_rate([pdf], tmp / "copy-out")
            # After the sync figures: its file would otherwise travel with them.
            ocr_line = _ocr(desk, dossier, pages[:OCR_PAGES], store_s / PAGES)
            desk.close()
        mb_in, mb_pdf = in_bytes / 1e6, result.size / 1e6
        lines.append(
            f"scan {PAGES} pages {DPI} dpi colour (SANE test backend): {scan_s:.2f} s, "
            f"{mb_in:.1f} MB of PNG"
        )
        lines.append(
            f"store: {PAGES / store_s:.1f} pages/s ({mb_in / store_s:.1f} MB/s, one PDF of "
            f"{mb_pdf:.1f} MB, SHA-256, event)  bare copy of the same PNGs: "
            f"{mb_in / copy_in_s:.1f} MB/s  ratio {store_s / copy_in_s:.1f}x"
        )
        lines[-1] += f"  (store CPU {store_cpu:.2f} s, wall {store_s:.2f} s)"
        lines.append(ocr_line)
        lines.append(
            f"sync: {mb_pdf / sync_s:.1f} MB/s ({report.file_bytes_sent / 1e6:.1f} MB in "
            f"512 KiB chunks over loopback HTTP, hashed at the central)  bare copy of the same "
            f"file: {mb_pdf / copy_out_s:.1f} MB/s  ratio {sync_s / copy_out_s:.1f}x"
        )
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
