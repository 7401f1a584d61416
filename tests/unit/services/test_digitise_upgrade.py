"""The receipt never waits for OCR (issue 16): a component is stored at once as its plain,
lossless PDF and recorded; the PDF/A copy (real OCRmyPDF) follows as a second event that
replaces it, unless a newer scan came meanwhile. What is left to do is derived from the
events and the store (a restart loses nothing), and a failed OCR is remembered, not tried
again and again."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from app.domain.lifecycle import EventType
from app.models import Event, StoredFile
from app.models.event_schema import EventInvalid, event_wire, parse_event
from app.services import digitise
from app.services.bootstrap import open_desk
from app.services.context import set_setting
from app.services.digitise import Upgrade, digitise_component, pages_from_files
from tests.unit.services.test_digitise_ocr import maternity, paper, pdftotext, xmp_pdfa


def events_of(desk, dossier: str) -> list[Event]:
    with desk.read() as s:
        return list(
            s.query(Event)
            .filter(Event.dossier_id == dossier, Event.type == EventType.COMPONENT_DIGITISED.value)
            .order_by(Event.occurred_at, Event.desk_seq)
        )


@pytest.fixture
def ocr_installed() -> None:
    program, missing = digitise.ocr_program()
    if program is None:
        pytest.fail(f"OCRmyPDF with Tesseract's vie data is needed ({missing})")


def test_the_store_is_plain_and_recorded_at_once_the_pdfa_left_pending(
    desk, tmp_path, ocr_installed
):
    dossier = maternity(desk)
    png = paper(tmp_path / "a.png")
    result = digitise_component(desk, dossier, "BHXH-C06-03", pages_from_files([png]))
    assert not result.pdfa and result.ocr_pending and result.note == ""
    store = digitise.store_of(desk)
    path = store.path_for(result.sha256)
    assert xmp_pdfa(path) == (None, None) and pdftotext(path).strip() == ""  # no OCR ran
    assert not (store.root / "pdfa").exists()
    (ev,) = events_of(desk, dossier)
    assert ev.payload["pdfa"] is False and "replaces" not in ev.payload
    assert digitise.pending_upgrades(desk) == [Upgrade(dossier, "BHXH-C06-03", result.sha256)]
    (f,) = digitise.files_of(desk, dossier)
    assert (f.sha256, f.ocr, f.state) == (result.sha256, "pending", "here")


@pytest.mark.slow
def test_the_upgrade_records_the_pdfa_replacing_the_plain_file(
    desk, tmp_path, clock, ocr_installed
):
    dossier = maternity(desk)
    pages = pages_from_files([paper(tmp_path / "a.png"), paper(tmp_path / "b.png")])
    plain = digitise_component(desk, dossier, "BHXH-C06-03", pages)
    clock.at += timedelta(seconds=5)
    up = digitise.upgrade_to_pdfa(desk, dossier, "BHXH-C06-03", plain.sha256)
    assert up.outcome == "done"
    first, second = events_of(desk, dossier)
    assert first.payload["sha256"] == plain.sha256 and first.payload["pdfa"] is False
    assert second.id == up.event_id
    assert second.payload == {
        "component_code": "BHXH-C06-03",
        "pages": 2,
        "sha256": up.sha256,
        "size": digitise.store_of(desk).path_for(up.sha256).stat().st_size,
        "pdfa": True,
        "source": "file",
        "replaces": plain.sha256,
    }
    # Both files are kept and both go to the central (blobs of their own events).
    with desk.read() as s:
        assert s.get(StoredFile, plain.sha256).present and s.get(StoredFile, up.sha256).present
    (f,) = digitise.files_of(desk, dossier)
    assert (f.sha256, f.pdfa, f.ocr, f.pages) == (up.sha256, True, "done", 2)
    assert "Lê Thị Mai" in pdftotext(digitise.store_of(desk).path_for(up.sha256))
    assert digitise.pending_upgrades(desk) == []
    # Both events pass the checks the central makes (one schema, shared).
    for e in (first, second):
        parse_event(event_wire(e))


def test_the_schema_keeps_replaces_to_a_pdfa_naming_another_file(desk, tmp_path):
    dossier = maternity(desk)
    plain = digitise_component(
        desk, dossier, "BHXH-C06-02", pages_from_files([paper(tmp_path / "a.png")]), ocr=False
    )
    (ev,) = events_of(desk, dossier)
    wire = event_wire(ev)
    other = "0" * 64
    for bad in (
        {"replaces": other},  # a plain file replaces nothing
        {"pdfa": True, "replaces": plain.sha256},  # not itself
        {"pdfa": True, "replaces": "ABC"},
    ):
        with pytest.raises(EventInvalid):
            parse_event({**wire, "payload": {**wire["payload"], **bad}})
    parse_event({**wire, "payload": {**wire["payload"], "pdfa": True, "replaces": other}})


@pytest.mark.slow
def test_a_newer_scan_during_the_ocr_is_not_overwritten(
    desk, tmp_path, clock, monkeypatch, ocr_installed
):
    dossier = maternity(desk)
    old = digitise_component(
        desk, dossier, "BHXH-C06-03", pages_from_files([paper(tmp_path / "old.png")])
    )
    newer_png = paper(tmp_path / "new.png", ("Bản quét lại",))
    real = digitise.make_pdfa
    newer: list[digitise.DigitiseResult] = []

    def ocr_while_the_officer_scans_again(src: Path, out: Path, program: str, **kw):  # type: ignore[no-untyped-def]
        why = real(src, out, program, **kw)  # the real OCRmyPDF run
        clock.at += timedelta(seconds=3)
        newer.append(
            digitise_component(desk, dossier, "BHXH-C06-03", pages_from_files([newer_png]))
        )
        return why

    monkeypatch.setattr(digitise, "make_pdfa", ocr_while_the_officer_scans_again)
    up = digitise.upgrade_to_pdfa(desk, dossier, "BHXH-C06-03", old.sha256)
    assert up.outcome == "superseded" and up.event_id == ""
    (f,) = digitise.files_of(desk, dossier)
    assert f.sha256 == newer[0].sha256 and not f.pdfa  # the newer scan stands
    assert [e.payload["pdfa"] for e in events_of(desk, dossier)] == [False, False]
    # Only the newer scan is left to upgrade; the old one is not offered again.
    assert digitise.pending_upgrades(desk) == [Upgrade(dossier, "BHXH-C06-03", newer[0].sha256)]
    # An upgrade asked for after the newer scan stops before running OCRmyPDF at all.
    monkeypatch.setattr(digitise, "make_pdfa", lambda *a, **k: pytest.fail("OCR ran"))
    again = digitise.upgrade_to_pdfa(desk, dossier, "BHXH-C06-03", old.sha256)
    assert again.outcome == "superseded"


@pytest.mark.slow
def test_pending_upgrades_survive_a_restart(desk, tmp_path, ocr_installed):
    dossier = maternity(desk)
    a = digitise_component(
        desk, dossier, "BHXH-C06-02", pages_from_files([paper(tmp_path / "a.png")])
    )
    data_dir = desk.data_dir
    desk.close()  # the desk stops before the OCR was made
    again = open_desk(data_dir)
    try:
        todo = digitise.pending_upgrades(again)
        assert todo == [Upgrade(dossier, "BHXH-C06-02", a.sha256)]
        (u,) = todo
        assert digitise.upgrade_to_pdfa(
            again, u.dossier_id, u.component_code, u.plain_sha
        ).outcome == ("done")
        assert digitise.pending_upgrades(again) == []
    finally:
        again.close()


def test_pending_upgrades_are_this_desks_plain_files_while_ocr_is_wanted(
    desk, tmp_path, ocr_installed
):
    dossier = maternity(desk)
    a = digitise_component(
        desk, dossier, "BHXH-C06-02", pages_from_files([paper(tmp_path / "a.png")])
    )
    with desk.transaction() as s:
        set_setting(s, "digitise.ocr", "0")
    assert digitise.pending_upgrades(desk) == []
    assert digitise.upgrade_to_pdfa(desk, dossier, "BHXH-C06-02", a.sha256).outcome == (
        "unavailable"
    )
    (f,) = digitise.files_of(desk, dossier)
    assert f.ocr == "off"
    with desk.transaction() as s:
        set_setting(s, "digitise.ocr", "1")
    assert digitise.pending_upgrades(desk) == [Upgrade(dossier, "BHXH-C06-02", a.sha256)]
    # A file that is not here (not fetched yet) is not offered.
    digitise.store_of(desk).path_for(a.sha256).unlink()
    assert digitise.pending_upgrades(desk) == []


def test_a_failed_ocr_is_remembered_and_not_tried_again(desk, tmp_path, ocr_installed):
    dossier = maternity(desk)
    a = digitise_component(
        desk, dossier, "BHXH-C06-02", pages_from_files([paper(tmp_path / "a.png")])
    )
    with desk.transaction() as s:
        set_setting(s, "digitise.ocr_timeout_s", "0.05")  # the real OCRmyPDF cannot finish
    up = digitise.upgrade_to_pdfa(desk, dossier, "BHXH-C06-02", a.sha256)
    assert up.outcome == "failed" and "timed out" in up.why
    assert len(events_of(desk, dossier)) == 1  # nothing recorded
    # Its process group is gone: no Tesseract or Ghostscript left running for it.
    left = subprocess.run(["pgrep", "-f", a.sha256], capture_output=True, text=True)
    assert left.stdout.strip() == ""
    assert digitise.pending_upgrades(desk) == []  # not offered again, after a restart too
    (f,) = digitise.files_of(desk, dossier)
    assert f.ocr == "failed" and "timed out" in f.ocr_note
    # Someone asks for it again (and the time limit is sane again): offered once more.
    digitise.forget_failure(desk, a.sha256)
    assert digitise.pending_upgrades(desk) == [Upgrade(dossier, "BHXH-C06-02", a.sha256)]


@pytest.mark.slow
def test_a_pdfa_copy_over_the_dossier_limit_is_refused_and_the_plain_file_kept(
    desk, tmp_path, ocr_installed
):
    """The limit checked the plain file only: OCRmyPDF's copy (text layer, fonts, colour
    profile) is larger, and it was recorded past the dossier's limit."""
    dossier = maternity(desk)
    a = digitise_component(
        desk, dossier, "BHXH-C06-02", pages_from_files([paper(tmp_path / "a.png")])
    )
    with desk.transaction() as s:  # the plain file fits, one byte more does not
        set_setting(s, "digitise.max_dossier_mb", repr((a.size + 1) / digitise.MB))
    up = digitise.upgrade_to_pdfa(desk, dossier, "BHXH-C06-02", a.sha256)
    assert up.outcome == "failed" and "PDF/A" in up.why, up
    assert len(events_of(desk, dossier)) == 1  # nothing recorded
    (f,) = digitise.files_of(desk, dossier)
    assert (f.sha256, f.pdfa, f.ocr) == (a.sha256, False, "failed") and f.ocr_note == up.why
    assert digitise.pending_upgrades(desk) == []  # remembered, not tried again and again
    # The supervisor raises the limit and asks again: the copy goes in.
    with desk.transaction() as s:
        set_setting(s, "digitise.max_dossier_mb", "200")
    digitise.forget_failure(desk, a.sha256)
    again = digitise.upgrade_to_pdfa(desk, dossier, "BHXH-C06-02", a.sha256)
    assert again.outcome == "done"
    assert [e.payload["pdfa"] for e in events_of(desk, dossier)] == [False, True]


def test_a_damaged_plain_file_fails_the_upgrade_and_is_remembered(desk, tmp_path, ocr_installed):
    dossier = maternity(desk)
    a = digitise_component(
        desk, dossier, "BHXH-C06-02", pages_from_files([paper(tmp_path / "a.png")])
    )
    path = digitise.store_of(desk).path_for(a.sha256)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    up = digitise.upgrade_to_pdfa(desk, dossier, "BHXH-C06-02", a.sha256)
    assert up.outcome == "failed" and "hỏng" in up.why
    assert digitise.pending_upgrades(desk) == []
