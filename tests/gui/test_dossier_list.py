"""The dossier list: lazy model (qtmodeltester), filters, search, marks, open on Enter."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QModelIndex, Qt

from app.services.search import DossierFilter
from app.services.seed import seed_demo
from app.ui import worker
from app.ui.common import today_local
from app.ui.dossier_list import COL_CODE, DossierListModel, DossierListWidget
from app.ui.dossier_view import EventsModel
from tests.gui.conftest import receive, type_text


def loaded(qtbot, model, n=None):
    qtbot.waitUntil(lambda: not model.loading and model.total is not None, timeout=20_000)
    worker.wait_idle()
    if n is not None:
        assert model.rowCount() == n


def test_model_pages_lazily(qtbot, qtmodeltester, desk):
    seed_demo(desk, dossiers=450, days=30)
    model = DossierListModel(desk)
    model.PAGE = 200
    model.set_filter(DossierFilter(today=today_local()))
    loaded(qtbot, model, 200)
    assert model.total == 450
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 400, timeout=10_000)
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 450, timeout=10_000)
    assert not model.canFetchMore(QModelIndex())
    ids = [r.id for r in model.rows]
    assert len(set(ids)) == 450  # keyset pages neither skip nor repeat
    qtmodeltester.check(model, force_py=True)


def test_events_model(qtmodeltester, desk):
    from app.services.actions import get_detail

    r = receive(desk)
    qtmodeltester.check(EventsModel(get_detail(desk, r.code).events), force_py=True)


def test_search_box_and_filters(qtbot, desk):
    a = receive(desk, "Nguyễn Thị Lan", "001190012345", "0912345678")
    receive(desk, "Trần Văn Bình", "001090012346", "0987654321")
    receive(desk, "Lê Thị Cúc", "001190012347", "0911111111", outcome="supplement")
    w = DossierListWidget(desk)
    qtbot.addWidget(w)
    w.show()
    w.apply_filter()
    loaded(qtbot, w.model, 3)
    w.focus_search()
    qtbot.keyClicks(w.search, "nguyen thi")  # folded name
    qtbot.keyClick(w.search, Qt.Key.Key_Return)
    loaded(qtbot, w.model, 1)
    assert w.model.rows[0].code == a.code
    w.search.clear()
    qtbot.keyClicks(w.search, "0987654321")  # phone
    qtbot.keyClick(w.search, Qt.Key.Key_Return)
    loaded(qtbot, w.model, 1)
    assert w.model.rows[0].full_name == "Trần Văn Bình"
    w.search.clear()
    type_text(w.search, a.code)  # code
    qtbot.keyClick(w.search, Qt.Key.Key_Return)
    loaded(qtbot, w.model, 1)
    w.search.clear()
    w.apply_filter()
    loaded(qtbot, w.model, 3)
    w.status.setCurrentIndex(w.status.findData("supplement_requested"))
    loaded(qtbot, w.model, 1)
    assert "bổ sung" in w.model.rows[0].status_label.lower()
    w.status.setCurrentIndex(0)
    w.procedure.setCurrentIndex(w.procedure.findData("BHXH-C06"))
    loaded(qtbot, w.model, 0)
    assert "0 hồ sơ" in w.count_label.text()
    w.procedure.setCurrentIndex(0)
    w.mine.setCurrentIndex(2)  # received by me
    loaded(qtbot, w.model, 3)
    w.use_dates.setChecked(True)
    loaded(qtbot, w.model, 3)


def test_overdue_and_due_soon_are_marked(qtbot, desk):
    r = receive(desk)
    model = DossierListModel(desk)
    f = DossierFilter(today=r.due_date + timedelta(days=1), soon_until=r.due_date)
    model.set_filter(f)
    loaded(qtbot, model, 1)
    assert model.due_mark(model.rows[0]) == "overdue"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None
    model.set_filter(DossierFilter(today=r.due_date - timedelta(days=1),
                                   soon_until=r.due_date))
    loaded(qtbot, model, 1)
    assert model.due_mark(model.rows[0]) == "soon"
    model.set_filter(DossierFilter(today=r.due_date, due="overdue"))
    loaded(qtbot, model, 0)


def test_due_filters_use_working_days(qtbot, desk):
    from app.services.ui_support import nth_working_day

    w = DossierListWidget(desk)
    qtbot.addWidget(w)
    w.due.setCurrentIndex(w.due.findData("soon"))  # before the calendar has arrived
    assert w.model.filter.due == "soon"
    # The second working day is read on the worker pool; when it arrives, the filter in
    # force is applied again with it.
    want = nth_working_day(desk, today_local(), 2)
    qtbot.waitUntil(lambda: w.model.filter.soon_until == want, timeout=10_000)
    assert w.current_filter().soon_until == want
    assert w.procedure.count() > 1  # the procedures arrived with it
    loaded(qtbot, w.model)


def test_enter_opens_the_dossier(qtbot, window):
    r = receive(window.ctx)
    window.find()
    assert window.tabs.currentIndex() == 1
    loaded(qtbot, window.dossiers.model, 1)
    table = window.dossiers.table
    table.setCurrentIndex(window.dossiers.model.index(0, COL_CODE))
    with qtbot.waitSignal(window.dossiers.open_requested) as sig:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert sig.args[0] == r.dossier_id
    assert window.open_views
    v = window.open_views[-1]
    qtbot.waitUntil(lambda: v.detail is not None, timeout=10_000)
    assert v.detail.code == r.code


def test_enter_opens_a_single_match_and_an_empty_result_says_so(qtbot, window):
    a = receive(window.ctx, "Nguyễn Thị Lan", "001190012345", "0912345678")
    receive(window.ctx, "Nguyễn Thị Lanh", "001190012346", "0912345679")
    window.find()
    lst = window.dossiers
    loaded(qtbot, lst.model, 2)
    type_text(lst.search, "nguyen thi lan")  # both names start so: nothing opens
    qtbot.keyClick(lst.search, Qt.Key.Key_Return)
    loaded(qtbot, lst.model, 2)
    assert window.open_views == []
    lst.focus_search()
    type_text(lst.search, "001190012345")
    with qtbot.waitSignal(lst.open_requested, timeout=10_000) as sig:
        qtbot.keyClick(lst.search, Qt.Key.Key_Return)
    assert sig.args[0] == a.dossier_id
    qtbot.waitUntil(lambda: bool(window.open_views), timeout=10_000)
    lst.focus_search()
    type_text(lst.search, "khong ai ten nay")
    qtbot.keyClick(lst.search, Qt.Key.Key_Return)
    loaded(qtbot, lst.model, 0)
    qtbot.waitUntil(lambda: lst.empty_label.isVisible(), timeout=5000)
    assert "Không có hồ sơ nào" in lst.empty_label.text()
    lst.search.clear()
    lst.apply_filter()
    loaded(qtbot, lst.model, 2)
    assert not lst.empty_label.isVisible()


def test_days_overdue_column(qtbot, desk):
    from app.ui.dossier_list import COL_OVERDUE

    r = receive(desk)
    model = DossierListModel(desk)
    model.set_filter(DossierFilter(today=r.due_date + timedelta(days=4)))
    loaded(qtbot, model, 1)
    assert model.headerData(COL_OVERDUE, Qt.Orientation.Horizontal) == "Quá hạn (ngày)"
    assert model.data(model.index(0, COL_OVERDUE)) == "4"
    model.set_filter(DossierFilter(today=r.due_date))
    loaded(qtbot, model, 1)
    assert model.data(model.index(0, COL_OVERDUE)) == ""


def test_column_sorting_pages_in_order(qtbot, qtmodeltester, desk, clock):
    """Issue 10: a header click sorts in the database and later pages continue the order."""
    from PySide6.QtCore import Qt as _Qt

    from app.ui.dossier_list import COL_NAME, COL_PROCEDURE, COL_RECEIVED

    names = ["Lê Thị Cúc", "Trần Văn Bình", "Nguyễn Thị Lan", "Đỗ Văn An", "Bùi Thị Hà"]
    for i, n in enumerate(names):
        clock.at += timedelta(minutes=3)
        receive(desk, n, f"00119001234{i}")
    w = DossierListWidget(desk)
    qtbot.addWidget(w)
    w.model.PAGE = 2  # several pages for five dossiers
    w.apply_filter()
    loaded(qtbot, w.model)
    while w.model.canFetchMore():
        w.model.fetchMore()
        loaded(qtbot, w.model)
    assert [r.full_name for r in w.model.rows] == names[::-1]  # newest first
    w.table.horizontalHeader().setSortIndicator(COL_NAME, _Qt.SortOrder.AscendingOrder)
    loaded(qtbot, w.model)
    while w.model.canFetchMore():
        w.model.fetchMore()
        loaded(qtbot, w.model)
    assert [r.full_name for r in w.model.rows] == [
        "Bùi Thị Hà", "Đỗ Văn An", "Lê Thị Cúc", "Nguyễn Thị Lan", "Trần Văn Bình"]
    # A filter change keeps the sort; a column that cannot be paged in order is refused.
    w.status.setCurrentIndex(w.status.findData("received"))
    loaded(qtbot, w.model)
    assert w.model.filter.sort == "name"
    w.table.horizontalHeader().setSortIndicator(COL_PROCEDURE, _Qt.SortOrder.AscendingOrder)
    assert w.table.horizontalHeader().sortIndicatorSection() == COL_NAME
    w.table.horizontalHeader().setSortIndicator(COL_RECEIVED, _Qt.SortOrder.AscendingOrder)
    loaded(qtbot, w.model)
    assert [r.full_name for r in w.model.rows][:2] == names[:2]  # oldest first
    qtmodeltester.check(w.model)
