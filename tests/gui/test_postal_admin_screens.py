"""The postal screens beyond intake (issue 15): a supervisor resolving a record signed twice
(the action only supervisors see, its confirmation and reason, Escape changing nothing),
the agencies and fee table an administrator edits (a bad entry marked in its cell, nothing
typed lost), and a consignment's history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.models import Event
from app.services import postal
from app.ui import worker
from app.ui.postal import BatchDialog
from app.ui.postal_admin import PostalHistoryDialog, PostalSetupDialog
from tests.conftest import make_admin
from tests.support.postal import AGENCY_CODE, make_post_desk
from tests.unit.postal.test_postal_desk import _accept
from tests.unit.postal.test_postal_resolve import OTHER_DESK, _signed_twice


@pytest.fixture
def post(tmp_path: Path, clock: Any) -> Iterator[Any]:
    ctx = make_post_desk(tmp_path / "post", clock=clock)
    yield ctx
    ctx.close()


def _events(ctx: Any) -> int:
    with ctx.read() as s:
        return int(s.scalar(select(func.count()).select_from(Event)) or 0)


def test_only_a_supervisor_sees_the_resolve_action_and_escape_changes_nothing(
    qtbot: Any, post: Any, desk: Any, fake_dialogs: Any
) -> None:
    info = _signed_twice(post, desk)
    officer = desk.officer_id
    plain = BatchDialog(desk, info.code.text())
    qtbot.addWidget(plain)
    plain.show()
    qtbot.waitUntil(lambda: plain.info is not None and "XUNG ĐỘT" in plain.heading.text())
    worker.wait_idle(10_000)
    qtbot.wait(20)
    assert not plain.resolve_btn.isVisible()  # an officer: the action is not offered

    desk.officer_id = str(make_admin(desk, username="giamsat", role="supervisor").id)
    dialog = BatchDialog(desk, info.code.text())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.resolve_btn.isVisible() and dialog.resolve_btn.isEnabled())
    before = _events(desk)

    dialog.open_resolve()
    res = dialog.resolve_dialog
    qtbot.waitUntil(lambda: res.choices.count() == 2)
    assert res.choices.hasFocus() or res.isVisible()
    qtbot.keyClick(res, Qt.Key.Key_Escape)  # closes, nothing recorded
    qtbot.waitUntil(lambda: not res.isVisible())
    assert _events(desk) == before

    dialog.open_resolve()
    res = dialog.resolve_dialog
    qtbot.waitUntil(lambda: res.choices.count() == 2 and res.ok_btn.isEnabled())
    res.choices.setCurrentRow(1)  # the other desk's signing
    res.confirm()  # no reason: the message sits under the reason field
    qtbot.waitUntil(lambda: res.errors["reason"].isVisible())
    assert _events(desk) == before and res.isVisible()
    res.reason.setFocus()
    res.reason.setText("Quầy 2 ký trước theo sổ giao nhận")
    fake_dialogs.answer = False  # the confirmation declined: nothing either
    res.confirm()
    assert _events(desk) == before
    fake_dialogs.answer = True
    res.confirm()
    qtbot.waitUntil(lambda: not res.isVisible())
    assert _events(desk) == before + 1  # the resolution (the only dossier is kept)
    assert fake_dialogs.shown[-2][:1] == ("ask",)
    qtbot.waitUntil(lambda: "Đã giải quyết" in dialog.heading.text())
    assert not dialog.resolve_btn.isEnabled()
    b = postal.batch(desk, info.batch_no)
    assert b is not None and b.resolution is not None
    assert b.resolution["keep_desk"] == OTHER_DESK and not b.conflict
    desk.officer_id = officer
    for d in (plain, dialog):
        d.close()


def test_setup_screen_marks_a_bad_cell_and_keeps_what_was_typed(
    qtbot: Any, post: Any, fake_dialogs: Any
) -> None:
    post.officer_id = str(make_admin(post, username="quantri9").id)
    dialog = PostalSetupDialog(post)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.agencies.table.rowCount() == 1)
    assert dialog.agencies.table.item(0, 0).text() == AGENCY_CODE
    assert dialog.bands.table.rowCount() == 2

    # A second agency in a band the table lacks: refused, the cell marked, the row kept.
    dialog.agencies.add_row()
    for c, v in enumerate(("000.00.32.H56", "Bảo hiểm xã hội cơ sở Đống Đa", "", "vutru")):
        dialog.agencies.table.setItem(1, c, type(dialog.agencies.table.item(0, 0))(v))
    dialog.save_agencies()
    qtbot.waitUntil(lambda: dialog.agencies.error.isVisible())
    assert "Dòng 2" in dialog.agencies.error.text()
    assert dialog.agencies.table.item(1, 3).toolTip()
    assert dialog.agencies.table.item(1, 3).text() == "vutru"  # nothing lost
    dialog.agencies.table.item(1, 3).setText("interprovince")
    dialog.save_agencies()
    qtbot.waitUntil(lambda: "Đã lưu" in dialog.status.text())
    assert [a.code for a in postal.agencies_list(post)] == [AGENCY_CODE, "000.00.32.H56"]

    # A fee amount that is not a number: marked in its cell, the stored table unchanged.
    dialog.bands.table.item(0, 2).setText("hai mươi nghìn")
    dialog.save_fees()
    qtbot.waitUntil(lambda: dialog.bands.error.isVisible())
    assert dialog.bands.table.item(0, 2).toolTip()
    assert dialog.bands.table.item(0, 2).text() == "hai mươi nghìn"
    assert postal.fee_table_data(post) == postal.bundled_fee_table()
    dialog.bands.table.item(0, 2).setText("25000")
    dialog.bands.table.item(0, 5).setText("S")
    dialog.save_fees()
    qtbot.waitUntil(lambda: "Đã lưu" in dialog.status.text())
    band = postal.desk_setup(post).table.band("province")
    assert band is not None and band.send_vnd == 25000
    dialog.close()


def test_history_of_a_consignment_typed_or_scanned(
    qtbot: Any, post: Any, desk: Any, fake_dialogs: Any
) -> None:
    got = _accept(post, 1)
    postal.hand_over(post, AGENCY_CODE)
    dialog = PostalHistoryDialog(post)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.number, "EE 000 000 00X VN")
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    dialog.number.setText(got.consignment_no.lower())  # as a scanner with caps lock off
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    assert not dialog.error.isVisible()
    steps = [dialog.table.item(r, 1).text() for r in range(2)]
    assert steps == [
        "Bưu điện nhận hồ sơ, thu cước",
        "Bưu điện giao hồ sơ cho cơ quan (biên bản giao nhận)",
    ]
    assert got.receipt_no in dialog.table.item(0, 3).text()
    assert got.consignment_no in dialog.summary.text()
    dialog.close()


def test_a_supervisor_finds_the_records_signed_twice_from_the_menu(
    qtbot: Any, post: Any, desk: Any, ui_settings: Any, fake_dialogs: Any
) -> None:
    from app.services.setup import authenticate
    from app.ui.mainwindow import MainWindow

    info = _signed_twice(post, desk)
    make_admin(desk, username="giamsat", role="supervisor")
    officer = authenticate(desk, "giamsat", "mat-khau-qt")
    assert officer is not None
    w = MainWindow(desk, officer, ui_settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.context_ready)
    assert w.postal_conflicts_action.isEnabled()
    w.postal_conflicts_action.trigger()
    listing = w.postal_conflicts
    qtbot.waitUntil(lambda: listing.list.count() == 1)
    assert info.batch_no in listing.list.item(0).text()
    qtbot.keyClick(listing.list, Qt.Key.Key_Return)  # Enter opens the record
    qtbot.waitUntil(
        lambda: hasattr(listing, "batch_dialog") and listing.batch_dialog.resolve_btn.isVisible()
    )
    assert listing.batch_dialog.resolve_btn.isEnabled()
    worker.wait_idle(10_000)
    listing.batch_dialog.close()
    listing.close()
    w.close()
