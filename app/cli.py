"""The `onestop` command: the window by default, and commands for support staff and scripts.

No command opens a window; every command works on the same database the window uses.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from app import __version__
from app.config import resolve_data_dir
from app.domain.errors import DomainError, ValidationFailed
from app.domain.messages import set_language

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="onestop", description="One-stop counter desk application (Bộ phận một cửa)."
    )
    p.add_argument("--version", action="version", version=f"onestop {__version__}")
    p.add_argument(
        "--data-dir", help="data folder (default: per-user data folder; also ONESTOP_DATA_DIR)"
    )
    p.add_argument("--lang", choices=("vi", "en"), help="language of messages")
    sub = p.add_subparsers(dest="command")

    f = sub.add_parser("find", help="find dossiers by code, ID number, phone or name")
    f.add_argument("text")
    f.add_argument("--json", action="store_true", help="print JSON lines")
    f.add_argument("--limit", type=int, default=50)

    s = sub.add_parser("seed-demo", help="fill the database with a demo office and dossiers")
    s.add_argument("--dossiers", type=int, default=500)
    s.add_argument("--seed", type=int, default=1)

    st = sub.add_parser("setup", help="make this database a desk of an office (for IT)")
    st.add_argument("--office-code", required=True, help="QCVN 102 unit code, e.g. 000.00.31.H56")
    st.add_argument("--office-name", required=True)
    st.add_argument("--desk-name", required=True)
    st.add_argument("--slot", type=int, default=1, help="desk number in the office (1-20)")

    ao = sub.add_parser("add-officer", help="add an officer account")
    ao.add_argument("--username", required=True)
    ao.add_argument("--full-name", required=True)
    ao.add_argument("--role", default="officer", choices=("officer", "supervisor", "administrator"))
    ao.add_argument("--password", help="read from standard input when omitted")
    cn = sub.add_parser("connect", help="pair this desk with the central service")
    cn.add_argument("url")
    cn.add_argument("token")
    sub.add_parser("sync", help="run one sync round; exit 3 when the central is unreachable")

    pr = sub.add_parser("print", help="render a document to PDF (reprints, scripting)")
    pr.add_argument("code", nargs="?", help="dossier code (not needed for the log book)")
    pr.add_argument(
        "--form",
        required=True,
        choices=(
            "receipt",
            "receipt-80mm",
            "supplement",
            "refusal",
            "apology",
            "stop",
            "control",
            "logbook",
        ),
    )
    pr.add_argument("--from", dest="date_from", help="log book: first day (YYYY-MM-DD)")
    pr.add_argument("--to", dest="date_to", help="log book: last day (YYYY-MM-DD)")
    pr.add_argument("--out", required=True, help="PDF file to write")
    return p


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from app.services.bootstrap import open_desk

    return open_desk(resolve_data_dir(args.data_dir))


def _cmd_find(args: argparse.Namespace) -> int:
    from app.services.search import find_dossiers

    ctx = _open(args)
    rows = find_dossiers(ctx, args.text, limit=args.limit)
    for r in rows:
        if args.json:
            print(json.dumps(r.as_dict(), ensure_ascii=False))
        else:
            due = r.due_date.strftime("%d/%m/%Y") if r.due_date else "—"
            print(f"{r.code}\t{r.full_name}\t{r.procedure_name}\t{r.status_label}\t{due}")
    if not rows and not args.json:
        print(
            "Không tìm thấy hồ sơ nào." if args.lang != "en" else "No dossier found.",
            file=sys.stderr,
        )
    return 0 if rows else 1


def _cmd_seed(args: argparse.Namespace) -> int:
    from app.services.seed import seed_demo

    ctx = _open(args)
    report = seed_demo(ctx, dossiers=args.dossiers, seed=args.seed)
    print(report.summary())
    return 0


def _cmd_setup(args: argparse.Namespace) -> int:
    from app.services.setup import setup_desk

    ctx = _open(args)
    desk = setup_desk(
        ctx,
        office_code=args.office_code,
        office_name=args.office_name,
        desk_name=args.desk_name,
        slot=args.slot,
    )
    print(f"{desk.office_code}\t{desk.office_name}\t{desk.desk_name}\t{desk.slot}")
    return 0


def _cmd_add_officer(args: argparse.Namespace) -> int:
    from app.services.setup import add_officer

    ctx = _open(args)
    password = args.password if args.password is not None else sys.stdin.readline().rstrip("\n")
    info = add_officer(
        ctx, username=args.username, full_name=args.full_name, password=password, role=args.role
    )
    print(f"{info.username}\t{info.role}")
    return 0


def _cmd_print(args: argparse.Namespace) -> int:
    from datetime import date

    from app.services import documents

    ctx = _open(args)
    if args.form == "logbook":
        try:
            start = date.fromisoformat(args.date_from) if args.date_from else date.today()
            end = date.fromisoformat(args.date_to) if args.date_to else start
        except ValueError:
            print(
                "--from/--to: ngày phải có dạng YYYY-MM-DD / dates must be YYYY-MM-DD",
                file=sys.stderr,
            )
            return 2
        rendered = documents.render_logbook(ctx, start, end)
    else:
        if not args.code:
            print("Cần mã hồ sơ / a dossier code is required", file=sys.stderr)
            return 2
        rendered = documents.render(ctx, args.code, args.form)
    out = Path(args.out)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(rendered.pdf)
    tmp.replace(out)  # never leave a half-written PDF under the requested name
    print(str(out))
    return 0


def _cmd_connect(args: argparse.Namespace) -> int:
    from app.sync.__main__ import run

    return run("connect", resolve_data_dir(args.data_dir), [args.url, args.token])


def _cmd_sync(args: argparse.Namespace) -> int:
    from app.sync.__main__ import run

    return run("sync", resolve_data_dir(args.data_dir), [])


COMMANDS = {
    "find": _cmd_find,
    "seed-demo": _cmd_seed,
    "setup": _cmd_setup,
    "add-officer": _cmd_add_officer,
    "print": _cmd_print,
    "connect": _cmd_connect,
    "sync": _cmd_sync,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from app.logging_setup import setup_logging

    try:
        setup_logging()
    except OSError as exc:  # a read-only profile must not stop the desk
        print(f"log folder unavailable: {exc}", file=sys.stderr)
    if args.lang:
        set_language(args.lang)
    if args.command is None:
        from app.ui.app import run_gui

        return run_gui(resolve_data_dir(args.data_dir), lang=args.lang)
    try:
        return COMMANDS[args.command](args)
    except ValidationFailed as exc:
        for e in exc.errors:
            print(f"{e.field}: {e.message}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
