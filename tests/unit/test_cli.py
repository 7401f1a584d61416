"""The `onestop` command as support staff and scripts use it (real subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parents[2]


def onestop(
    data_dir: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ONESTOP_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        input=stdin,
        timeout=300,
    )


def test_version(tmp_path: Path) -> None:
    out = onestop(tmp_path, "--version")
    assert out.returncode == 0 and __version__ in out.stdout


@pytest.mark.slow
def test_seed_find_print(tmp_path: Path) -> None:
    seeded = onestop(tmp_path, "seed-demo", "--dossiers", "300")
    assert seeded.returncode == 0, seeded.stderr
    assert "dossiers=300" in seeded.stdout
    assert (tmp_path / "desk.sqlite3").exists()  # ONESTOP_DATA_DIR was honoured

    found = onestop(tmp_path, "find", "nguyen", "--json")
    assert found.returncode == 0, found.stderr
    rows = [json.loads(line) for line in found.stdout.splitlines()]
    assert rows and all(r["applicant"].startswith("Nguyễn") for r in rows)
    assert set(rows[0]) >= {"code", "applicant", "procedure", "status", "appointment_date"}

    by_code = onestop(tmp_path, "find", rows[0]["code"])
    assert by_code.returncode == 0 and rows[0]["code"] in by_code.stdout

    none = onestop(tmp_path, "--data-dir", str(tmp_path), "find", "zzzz-khong-co")
    assert none.returncode == 1 and "Không tìm thấy" in none.stderr

    pdf = tmp_path / "out.pdf"
    received = next(r for r in rows if r["appointment_date"])
    printed = onestop(tmp_path, "print", received["code"], "--form", "receipt", "--out", str(pdf))
    assert printed.returncode == 0, printed.stderr
    assert pdf.read_bytes().startswith(b"%PDF")

    bad = onestop(
        tmp_path,
        "print",
        "000.00.31.H56-200101-0001",
        "--form",
        "receipt",
        "--out",
        str(tmp_path / "x.pdf"),
    )
    assert bad.returncode == 2 and "Không tìm thấy hồ sơ" in bad.stderr
    assert not (tmp_path / "x.pdf").exists()
    wrong_form = onestop(
        tmp_path, "print", received["code"], "--form", "poster", "--out", str(tmp_path / "y.pdf")
    )
    assert wrong_form.returncode == 2


def test_setup_and_officer_with_bad_input(tmp_path: Path) -> None:
    bad = onestop(
        tmp_path, "setup", "--office-code", "H56", "--office-name", "X", "--desk-name", "Quầy 1"
    )
    assert bad.returncode == 2 and "office_code" in bad.stderr
    ok = onestop(
        tmp_path,
        "setup",
        "--office-code",
        "000.00.31.H56",
        "--office-name",
        "Bộ phận Một cửa",
        "--desk-name",
        "Quầy 1",
    )
    assert ok.returncode == 0, ok.stderr
    short = onestop(
        tmp_path, "add-officer", "--username", "an", "--full-name", "Nguyễn An", stdin="123\n"
    )
    assert short.returncode == 2 and "password" in short.stderr
    added = onestop(
        tmp_path,
        "add-officer",
        "--username",
        "an",
        "--full-name",
        "Nguyễn An",
        stdin="mat-khau-dai\n",
    )
    assert added.returncode == 0, added.stderr


def test_sync_commands_say_why_they_cannot_run(tmp_path: Path) -> None:
    unpaired = onestop(tmp_path, "sync")
    assert unpaired.returncode == 2 and "onestop connect" in unpaired.stderr
    unreachable = onestop(tmp_path, "connect", "http://127.0.0.1:9", "token")
    assert unreachable.returncode == 3 and "unreachable" in unreachable.stderr


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (None, None)),
        (["--data-dir", "D"], ("D", None)),
        (["--lang", "en", "--data-dir", "D"], ("D", "en")),
        (["--lang", "fr"], None),  # argparse says why (exit 2)
        (["--data-dir"], None),
        (["--data-dir", "-x"], None),
        (["--data-dir", "a", "--data-dir", "b"], None),
        (["--data-dir=D"], None),
        (["--version"], None),
        (["find", "x"], None),
        (["--data-dir", "D", "find", "x"], None),
    ],
)
def test_the_window_command_line_is_read_without_the_parser(argv, expected) -> None:
    """Issue 10: the desk shortcut's command line skips building every command's parser;
    anything else is left to argparse, so its messages and exit codes stay."""
    from app.cli import _gui_only

    got = _gui_only(argv)
    if expected is None:
        assert got is None
    else:
        assert (got.command, got.data_dir, got.lang) == (None, *expected)


def test_a_bad_language_still_exits_2_with_argparse_s_message(capsys) -> None:
    from app.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--lang", "fr"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
