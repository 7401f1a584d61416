"""Receive → receipt preview (issue 10, < 150 ms): what the fast path must not lose.

The receipt is rendered in the intake's own trip to the worker pool and shown before the
status counts and the list refresh; the `printed` event is written once it is on screen;
a Receive pressed right after the ID asks for the citizen's earlier dossiers once; a
closed preview is reused, not left behind as a hidden child of the main window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.services import search
from app.services.actions import get_detail
from app.ui import printing, worker
from app.ui.printing import PrintPreview


def fill(qtbot: Any, window: Any, name: str, id_number: str) -> Any:
    it = window.intake
    qtbot.waitUntil(lambda: it.picker is not None, timeout=10_000)
    it.select_procedure("BHXH-B02")
    it.full_name.setText(name)
    it.id_number.setText(id_number)
    for r in it.rows:
        r.received.setChecked(True)
    return it


def receive(qtbot: Any, window: Any, name: str, id_number: str) -> tuple[Any, PrintPreview]:
    it = fill(qtbot, window, name, id_number)
    before = set(map(id, printing.open_previews()))
    with qtbot.waitSignal(it.submitted, timeout=20_000) as sig:
        qtbot.keyClick(it.full_name, Qt.Key.Key_F9)
    qtbot.waitUntil(
        lambda: any(id(p) not in before for p in printing.open_previews()), timeout=20_000
    )
    preview = next(p for p in printing.open_previews() if id(p) not in before)
    return sig.args[0], preview


def test_receipt_shows_then_counts_refresh_and_print_is_recorded_once(
    qtbot, window, desk, monkeypatch
):
    order: list[str] = []
    real_refresh = window.refresh_status

    def refresh() -> None:
        order.append("refresh:" + ("preview" if printing.open_previews() else "none"))
        real_refresh()

    monkeypatch.setattr(window, "refresh_status", refresh)
    result, preview = receive(qtbot, window, "Nguyễn Thị Lan", "001190012345")
    assert preview.windowTitle() == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert preview.page_labels and not preview.page_labels[0].pixmap().isNull()
    assert result.code in preview.filename
    # The counts are read once the receipt is up, not on its way there.
    qtbot.waitUntil(lambda: bool(order), timeout=10_000)
    assert order == ["refresh:preview"]
    assert window.updatesEnabled()  # the window behind repaints once the receipt is up
    worker.wait_idle(10_000)
    qtbot.waitUntil(
        lambda: [e.type for e in get_detail(desk, result.code).events].count("printed") == 1,
        timeout=10_000,
    )
    printed = [e for e in get_detail(desk, result.code).events if e.type == "printed"]
    assert printed[0].payload == {"form": "receipt", "copy": False, "synced": False}
    # Printing it again from the window is a reprint: marked as a copy.
    preview.reject()
    window.print_last()
    qtbot.waitUntil(
        lambda: [e.type for e in get_detail(desk, result.code).events].count("printed") == 2,
        timeout=20_000,
    )
    copies = [e.payload["copy"] for e in get_detail(desk, result.code).events
              if e.type == "printed"]
    assert copies == [False, True]


def test_receive_right_after_the_id_asks_for_earlier_dossiers_once(
    qtbot, window, monkeypatch
):
    """F9 pressed while the ID's look-up is on the pool waits for that look-up; it asked a
    second time before (two trips on the way to the receipt)."""
    asked: list[str] = []
    real = search.earlier_dossiers

    def counting(ctx: Any, idn: str) -> Any:
        asked.append(idn)
        return real(ctx, idn)

    monkeypatch.setattr(search, "earlier_dossiers", counting)
    it = fill(qtbot, window, "Nguyễn Thị Lan", "001190012345")
    with qtbot.waitSignal(it.submitted, timeout=20_000):
        it.submit("receive")  # at once: the look-up started by the ID has not answered
    assert asked == ["001190012345"]


def test_a_receive_waiting_for_the_look_up_is_dropped_by_clear(qtbot, window, monkeypatch):
    it = fill(qtbot, window, "Nguyễn Thị Lan", "001190012345")
    it.submit("receive")
    it.clear()  # F2 before the look-up answered: no dossier for an emptied form
    worker.wait_idle(10_000)
    qtbot.wait(50)
    assert not it.busy and it.general_error.text() == "" and it.procedure is None


def test_closed_previews_are_reused_not_piled_up(qtbot, window):
    for i in range(3):
        _result, preview = receive(qtbot, window, "Trần Văn Bình", f"00109001234{i}")
        qtbot.waitUntil(lambda: not window.intake.busy, timeout=10_000)
        worker.wait_idle(10_000)
        qtbot.keyClick(preview, Qt.Key.Key_Escape)
        assert not preview.isVisible()
    qtbot.wait(50)  # deleteLater
    kept = [c for c in window.findChildren(PrintPreview)]
    # One spare built after the first receipt was shown; closed ones are reused or deleted.
    assert len(kept) <= 2, f"{len(kept)} previews kept as hidden children"
    assert all(not p.isVisible() for p in kept)
    assert all(not p.page_labels for p in kept)  # a closed preview drops its page images


def test_a_reused_preview_shows_the_new_form_only(qtbot, window):
    _r1, first = receive(qtbot, window, "Trần Văn Bình", "001090012350")
    worker.wait_idle(10_000)
    qtbot.keyClick(first, Qt.Key.Key_Escape)
    r2, second = receive(qtbot, window, "Lê Thị Hoa", "001190012351")
    assert len(second.page_labels) == 1
    assert r2.code in second.filename and second.pdf.startswith(b"%PDF")
    assert second.heading.isVisible() and r2.code in second.heading.text()


def test_a_failing_preview_does_not_leave_the_window_frozen(qtbot, window, monkeypatch):
    """The window stops repainting while the receipt goes up; if the preview cannot be
    built, it must repaint again (it stayed frozen when this raised)."""

    def broken(*args: Any, **kwargs: Any) -> PrintPreview:
        raise RuntimeError("no preview")

    monkeypatch.setattr(printing, "preview_for", broken)
    it = fill(qtbot, window, "Nguyễn Thị Lan", "001190012345")
    with qtbot.capture_exceptions() as caught, qtbot.waitSignal(it.submitted, timeout=20_000):
        qtbot.keyClick(it.full_name, Qt.Key.Key_F9)
    assert any("no preview" in str(e[1]) for e in caught)
    assert window.updatesEnabled()
