"""Start-up shows the sign-in window first and opens the desk behind it (issue 10)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.services import setup
from app.ui.signin import SignInDialog
from tests.gui.conftest import type_text

REPO = Path(__file__).resolve().parents[2]

CHILD = """
import json, sys
from pathlib import Path
from app.ui import app as a
seen = {}
def mark(name):
    seen[name] = "sqlalchemy" in sys.modules
    if name == "signin_ready":
        seen["ok_enabled"] = st.signin.ok.isEnabled()
        seen["title"] = st.signin.form.title.text()
        qapp.exit(0)
a._bench_mark = mark
qapp = a.make_application("vi")
st = a.Startup(qapp, Path(sys.argv[1]))
st.begin()
qapp.exec()
print(json.dumps(seen))
"""


def test_sign_in_paints_before_the_database_is_touched(desk):
    desk.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-c", CHILD, str(desk.data_dir)], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    seen = json.loads(r.stdout.strip().splitlines()[-1])
    assert seen["signin_painted"] is False  # no SQLAlchemy before the first frame
    assert seen["signin_ready"] is True and seen["ok_enabled"] is True
    assert "Quầy 1" in seen["title"]


def test_enter_before_the_desk_is_open_signs_in_when_it_is(qtbot, desk):
    dlg = SignInDialog(None)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.ok.isEnabled() and "Đang mở dữ liệu" in dlg.form.title.text()
    type_text(dlg.username, "canbo1")
    type_text(dlg.password, "mat-khau-1")
    dlg.try_sign_in()  # Enter while the database is still opening: kept, not lost
    assert dlg.officer is None and dlg.password.text() == "mat-khau-1"
    with qtbot.waitSignal(dlg.signed_in, timeout=20_000) as sig:
        dlg.set_context(desk, setup.desk_identity(desk))
    assert sig.args[0].username == "canbo1"


DAMAGED_CHILD = """
import sys
from pathlib import Path
from app.ui import app as a
from app.ui import dialogs as d
seen = []
class Record(d.Dialogs):
    def exec(self, dialog):
        seen.append((type(dialog).__name__, dialog.message.text(), dialog.choices.text()))
        return 0  # the person chooses to quit
    def error(self, parent, title, text):
        seen.append(("error", title, text))
d.install(Record())
qapp = a.make_application("vi")
st = a.Startup(qapp, Path(sys.argv[1]))
st.begin()
code = qapp.exec()
for row in seen:
    print("|".join(row))
sys.exit(code)
"""


def test_a_damaged_database_gets_its_screen_not_a_traceback(desk):
    """The real start-up path (window first, desk opened behind it) shows the
    damaged-database screen with its choices and ends with exit 5, file untouched."""
    from app.config import DB_FILENAME
    from app.services import backup

    desk.close()
    backup.take_backup(desk.data_dir, "start")
    db = desk.data_dir / DB_FILENAME
    db.write_bytes(b"")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-c", DAMAGED_CHILD, str(desk.data_dir)], cwd=REPO,
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 5, r.stderr[-2000:]
    assert "DatabaseProblemDialog|" in r.stdout and "rỗng" in r.stdout
    assert "onestop restore" in r.stdout and "Traceback" not in r.stderr
    assert db.stat().st_size == 0


ENTRY = """
import sys
from app.cli import main
sys.exit(main(["--data-dir", sys.argv[1]]))
"""


def test_the_log_file_opens_after_the_first_frame_not_before(desk, tmp_path):
    """Issue 10: the real entry point paints the sign-in window before it imports the
    logging set-up or platformdirs, then opens the log file before the desk."""
    desk.close()
    logs = tmp_path / "logs"
    marks = tmp_path / "marks"
    probe = (
        "import sys, app.ui.app as a\n"
        "real = a._bench_mark\n"
        "def mark(name):\n"
        "    if name == 'signin_painted':\n"
        "        print('before', 'app.logging_setup' in sys.modules,\n"
        "              'platformdirs' in sys.modules, flush=True)\n"
        "    if name == 'signin_ready':\n"
        "        print('ready', 'app.logging_setup' in sys.modules, flush=True)\n"
        "    real(name)\n"
        "a._bench_mark = mark\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONESTOP_LOG_DIR=str(logs),
               ONESTOP_BENCH_MARKS=str(marks), ONESTOP_BENCH_EXIT_AT="signin_ready")
    r = subprocess.run([sys.executable, "-c", probe + ENTRY, str(desk.data_dir)], cwd=REPO,
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "before False False" in r.stdout  # no log set-up, no platformdirs
    assert "ready True" in r.stdout
    assert (logs / "onestop.log").is_file()
