from app.ui import worker


def test_main_window_opens(window, qtbot):
    assert window.isVisible()
    qtbot.waitUntil(lambda: window.sync_status is not None, timeout=5000)
    assert "Chờ đồng bộ" in window.waiting_label.text()
    worker.wait_idle()
