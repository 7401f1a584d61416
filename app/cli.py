"""The `onestop` command: the window by default, and commands for support staff and scripts.

No command opens a window; every command works on the same database the window uses.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse  # imported where a parser is built: the window's start needs none

from app import __version__
from app.config import resolve_data_dir
from app.domain.errors import DomainError, ValidationFailed
from app.domain.messages import set_language

log = logging.getLogger(__name__)

#: Exit codes: 0 done, 1 nothing found, 2 bad input or a rule refused (nothing changed),
#: 3 central unreachable, 4 refused by the central, 5 the desk database needs a person.
EXIT_BAD_INPUT = 2
EXIT_DATABASE = 5


def _count(text: str) -> int:
    """A whole number ≥ 0 (argparse exits 2 with this message otherwise)."""
    import argparse

    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {n}")
    return n


def _positive(text: str) -> int:
    import argparse

    n = _count(text)
    if n == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _parser() -> argparse.ArgumentParser:
    import argparse

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
    f.add_argument("--limit", type=_positive, default=50)

    s = sub.add_parser("seed-demo", help="fill the database with a demo office and dossiers")
    s.add_argument("--dossiers", type=_count, default=500)
    s.add_argument("--seed", type=int, default=1)

    st = sub.add_parser("setup", help="make this database a desk of an office (for IT)")
    st.add_argument("--office-code", required=True, help="QCVN 102 unit code, e.g. 000.00.31.H56")
    st.add_argument("--office-name", required=True)
    st.add_argument("--desk-name", required=True)
    st.add_argument(
        "--slot", type=_positive, default=1, help="desk number in the office (1-20)"
    )

    ao = sub.add_parser("add-officer", help="add an officer account")
    ao.add_argument("--username", required=True)
    ao.add_argument("--full-name", required=True)
    ao.add_argument("--role", default="officer", choices=("officer", "supervisor", "administrator"))
    ao.add_argument("--password", help="read from standard input when omitted")
    ao.add_argument(
        "--as",
        dest="actor",
        help="administrator adding the account (needed once the desk has one); their "
        "password from ONESTOP_PASSWORD or the first line of standard input",
    )
    rp = sub.add_parser(
        "reset-password",
        help="set a temporary password (administrators); changed at the next sign-in",
    )
    rp.add_argument("username")
    rp.add_argument("--as", dest="actor", required=True, help="administrator's username")
    rp.add_argument("--password", help="the temporary password (else the next stdin line)")
    cn = sub.add_parser("connect", help="pair this desk with the central service")
    cn.add_argument("url")
    cn.add_argument("token", help="the desk token (may start with '-')")
    sub.add_parser("sync", help="run one sync round; exit 3 when the central is unreachable")

    bk = sub.add_parser("backup", help="back the desk database up now (checked, rotated)")
    bk.add_argument("--to", help="also write the backup to this folder (USB stick, share)")
    bl = sub.add_parser("backups", help="list the good backups, newest first")
    bl.add_argument("--json", action="store_true")
    rs = sub.add_parser(
        "restore", help="put a backup in place of the desk database (administrators)"
    )
    rs.add_argument("file", help="backup file (desk-….sqlite3)")
    rs.add_argument(
        "--as",
        dest="actor",
        required=True,
        help="administrator's username; the password is read from ONESTOP_PASSWORD or stdin",
    )
    rb = sub.add_parser(
        "rebuild-from-central",
        help="a paired desk whose database is lost: a new one from the central's history",
    )
    rb.add_argument("--url", help="central address (default: the one this desk was paired with)")
    sv = sub.add_parser(
        "salvage", help="open a damaged database read-only and export what is readable to CSV"
    )
    sv.add_argument("--out", required=True, help="folder for the CSV files")

    pa = sub.add_parser(
        "postal-agencies",
        help="post-office agent desk: list the agencies served, or replace them (administrators)",
    )
    pa.add_argument(
        "--set",
        dest="file",
        help='JSON file: a list of {"code", "name", "address", "scope"}; replaces the list',
    )
    pa.add_argument("--as", dest="actor", help="administrator's username (needed with --set)")
    pf = sub.add_parser(
        "postal-fees",
        help="post-office agent desk: print the postal fee table as JSON, or replace it "
        "(administrators)",
    )
    pf.add_argument("--set", dest="file", help="JSON file in the printed table's form")
    pf.add_argument("--as", dest="actor", help="administrator's username (needed with --set)")

    sub.add_parser(
        "postal-conflicts",
        help="hand-over records signed at more than one desk: each signing (desk id, time, "
        "rows settled), for a supervisor to resolve",
    )
    ps = sub.add_parser(
        "postal-resolve",
        help="a supervisor chooses which signing of a record signed twice stands; the other "
        "signing's duplicate dossiers are cancelled with the reason",
    )
    ps.add_argument("batch", help="the record's number (as postal-conflicts lists it)")
    ps.add_argument("--keep", required=True, help="id of the desk whose signing stands")
    ps.add_argument("--reason", required=True, help="why (kept with every cancellation)")
    ps.add_argument("--as", dest="actor", required=True, help="supervisor's username")

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


def _password(prompt_name: str) -> str:
    """A password from ONESTOP_PASSWORD, else the next line of standard input."""
    import os

    env = os.environ.get("ONESTOP_PASSWORD")
    if env is not None:
        return env
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"{prompt_name}: ")
    return sys.stdin.readline().rstrip("\n")


def _cmd_backup(args: argparse.Namespace) -> int:
    from app.services import backup
    from app.services.ui_support import read_settings

    ctx = _open(args)  # refuses a damaged database (exit 5): its backup would be damaged
    second = args.to or read_settings(ctx, "backup.second_dir")["backup.second_dir"] or None
    data_dir = ctx.data_dir
    ctx.close()
    report = backup.take_backup(data_dir, "manual", Path(second) if second else None)
    for b in report.made:
        print(str(b.path))
    for folder, why in report.failed:
        print(f"{folder}: {why}", file=sys.stderr)
    return 0 if report.made and not report.failed else EXIT_BAD_INPUT


def _cmd_backups(args: argparse.Namespace) -> int:
    from app.models.dbcheck import read_identity
    from app.services import backup

    data_dir = resolve_data_dir(args.data_dir)
    second = (read_identity(data_dir) or {}).get("backup_second_dir") or None
    rows = backup.list_backups(backup.backup_dir(data_dir), Path(second) if second else None)
    for b in rows:
        if args.json:
            import json

            print(json.dumps({"path": str(b.path), "taken_at": b.taken_at.isoformat(),
                              "reason": b.reason, "size": b.size}))
        else:
            print(f"{b.taken_at:%Y-%m-%d %H:%M:%S}Z\t{b.reason}\t{b.size}\t{b.path}")
    return 0 if rows else 1


def _cmd_restore(args: argparse.Namespace) -> int:
    from app.services import backup

    data_dir = resolve_data_dir(args.data_dir)
    aside = backup.restore_as(
        data_dir, Path(args.file).expanduser().resolve(), args.actor, _password("password")
    )
    print(f"restored {args.file}; the previous database is kept as {aside}")
    return 0


def _cmd_rebuild(args: argparse.Namespace) -> int:
    """Build a new database next to the old one from the central (same desk, same token,
    kept outside the database), and only then put it in place; the old one is kept aside."""
    from app.sync.commands import NeverPaired, SyncError, rebuild_from_central

    data_dir = resolve_data_dir(args.data_dir)
    try:
        result = rebuild_from_central(data_dir, args.url)
    except NeverPaired as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except SyncError as exc:
        print(f"central service: {exc}", file=sys.stderr)
        return 3
    print(
        f"rebuilt desk {result.desk_name!r} of office {result.office_code} from {result.url}; "
        f"the previous database (if any) is kept as {result.aside}. Add an officer next "
        "(onestop add-officer): accounts are not kept at the central."
    )
    return 0


def _cmd_salvage(args: argparse.Namespace) -> int:
    from app.config import DB_FILENAME
    from app.services.backup import salvage

    data_dir = resolve_data_dir(args.data_dir)
    report = salvage(data_dir / DB_FILENAME, Path(args.out))
    for name, n in sorted(report.tables.items()):
        print(f"{name}\t{n}")
    for name, why in sorted(report.errors.items()):
        print(f"{name}: {why}", file=sys.stderr)
    return 0 if report.tables else EXIT_DATABASE


def _cmd_find(args: argparse.Namespace) -> int:
    from app.services.search import find_dossiers

    ctx = _open(args)
    rows = find_dossiers(ctx, args.text, limit=args.limit)
    for r in rows:
        if args.json:
            import json

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


def _actor_id(ctx, username: str | None) -> str | None:  # type: ignore[no-untyped-def]
    """The officer the command acts as, signed in with their password; None without --as."""
    from app.domain.errors import DomainError
    from app.services.setup import authenticate

    if username is None:
        return None
    officer = authenticate(ctx, username, _password(f"password of {username}"))
    if officer is None:
        raise DomainError(
            "auth.bad", "--as: sai tên đăng nhập hoặc mật khẩu / wrong username or password"
        )
    return officer.id


def _cmd_add_officer(args: argparse.Namespace) -> int:
    from app.services.setup import add_officer

    ctx = _open(args)
    actor = _actor_id(ctx, args.actor)
    password = args.password if args.password is not None else sys.stdin.readline().rstrip("\n")
    info = add_officer(
        ctx,
        username=args.username,
        full_name=args.full_name,
        password=password,
        role=args.role,
        actor_id=actor,
        must_change_password=actor is not None,
    )
    print(f"{info.username}\t{info.role}")
    return 0


def _cmd_reset_password(args: argparse.Namespace) -> int:
    from app.domain.errors import DomainError
    from app.services.setup import officer_by_username, reset_password

    ctx = _open(args)
    actor = _actor_id(ctx, args.actor)
    target = officer_by_username(ctx, args.username)
    if target is None:
        raise DomainError(
            "auth.unknown_officer", f"{args.username}: không có cán bộ này / no such officer"
        )
    password = args.password if args.password is not None else sys.stdin.readline().rstrip("\n")
    info = reset_password(ctx, actor, target.id, password)
    print(f"{info.username}\tmust change password at next sign-in")
    return 0


def _json_file(path: str) -> Any:
    """The JSON in `path`; a DomainError (exit 2, nothing changed) when it cannot be read."""
    import json

    try:
        return json.loads(Path(path).expanduser().read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DomainError("cli.json", f"{path}: {exc}") from None


def _needs_actor(args: argparse.Namespace) -> None:
    if args.file and not args.actor:
        raise DomainError(
            "cli.as", "--set cần --as <quản trị viên> / --set needs --as <administrator>"
        )


def _cmd_postal_agencies(args: argparse.Namespace) -> int:
    from app.services import postal

    _needs_actor(args)
    ctx = _open(args)
    if args.file:
        data = _json_file(args.file)
        keys = {"code", "name", "address", "scope"}
        if not isinstance(data, list) or not all(
            isinstance(a, dict)
            and {"code", "name"} <= set(a) <= keys
            and all(isinstance(v, str) for v in a.values())
            for a in data
        ):
            raise DomainError(
                "cli.agencies",
                f"{args.file}: cần một danh sách {{code, name, address?, scope?}} (chuỗi) / "
                "expected a list of {code, name, address?, scope?} (strings)",
            )
        actor = _actor_id(ctx, args.actor)
        postal.set_agencies(ctx, [postal.Agency(**a) for a in data], actor_id=actor)
    for a in postal.agencies_list(ctx):
        print(f"{a.code}\t{a.name}\t{a.scope}\t{a.address}")
    return 0


def _cmd_postal_conflicts(args: argparse.Namespace) -> int:
    from app.services import postal

    ctx = _open(args)
    for b in postal.conflicts(ctx):
        view = postal.conflict_view(ctx, b.batch_no)
        for sg in view.signings:
            when = sg.signed_at.isoformat() if sg.signed_at else "-"
            rows = ",".join(f"{pos}:{code or outcome}" for pos, code, outcome in sg.settled)
            print(f"{b.batch_no}\t{sg.desk_id}\t{sg.desk_name}\t{when}\t{rows}")
    return 0


def _cmd_postal_resolve(args: argparse.Namespace) -> int:
    from app.services import postal

    ctx = _open(args)
    actor = _actor_id(ctx, args.actor)
    done = postal.resolve_conflict(ctx, args.batch, args.keep, args.reason, actor_id=actor)
    print(f"kept\t{done.keep_desk}")
    for code in done.cancelled:
        print(f"cancelled\t{code}")
    for code in done.untouched:
        print(f"untouched\t{code}")
    return 0


def _cmd_postal_fees(args: argparse.Namespace) -> int:
    import json

    from app.services import postal

    _needs_actor(args)
    ctx = _open(args)
    if args.file:
        data = _json_file(args.file)
        if not isinstance(data, dict):
            raise DomainError(
                "cli.fees", f"{args.file}: cần một đối tượng JSON / expected an object"
            )
        postal.set_fee_table(ctx, data, actor_id=_actor_id(ctx, args.actor))
    print(json.dumps(postal.fee_table_data(ctx), ensure_ascii=False, indent=2))
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
        # Recorded only once the file is written: a failed print is not a print.
        rendered = documents.render(ctx, args.code, args.form, record=False)
    out = Path(args.out)
    tmp = out.with_name(out.name + ".part")
    try:
        tmp.write_bytes(rendered.pdf)
        tmp.replace(out)  # never leave a half-written PDF under the requested name
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        print(
            f"--out: không ghi được / cannot write {out}: {exc.strerror or exc}", file=sys.stderr
        )
        return 2  # and no "printed" event: nothing was printed
    if args.form != "logbook":
        from app.services.actions import record_print

        record_print(
            ctx, rendered.code or args.code, args.form, copy=rendered.copy, synced=rendered.synced
        )
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
    "reset-password": _cmd_reset_password,
    "print": _cmd_print,
    "postal-agencies": _cmd_postal_agencies,
    "postal-fees": _cmd_postal_fees,
    "postal-conflicts": _cmd_postal_conflicts,
    "postal-resolve": _cmd_postal_resolve,
    "connect": _cmd_connect,
    "sync": _cmd_sync,
    "backup": _cmd_backup,
    "backups": _cmd_backups,
    "restore": _cmd_restore,
    "salvage": _cmd_salvage,
    "rebuild-from-central": _cmd_rebuild,
}


def _protect_connect_token(argv: list[str]) -> list[str]:
    """`connect URL TOKEN` takes no options, so everything after `connect` is positional: a
    token may start with "-" (tokens are random) without the person knowing about `--`."""
    if "connect" not in argv:
        return argv
    i = argv.index("connect")
    rest = argv[i + 1 :]
    if not rest or rest[0] == "--" or any(a in ("-h", "--help") for a in rest):
        return argv
    return [*argv[: i + 1], "--", *rest]


def _setup_logging() -> None:
    from app.logging_setup import setup_logging

    try:
        setup_logging()
    except OSError as exc:  # a read-only profile must not stop the desk
        print(f"log folder unavailable: {exc}", file=sys.stderr)


def _gui_only(argv: list[str]) -> Any:
    """The desk shortcut's command line (`--data-dir DIR`, `--lang vi|en`, nothing else)
    read without building the parser of every command (about 18 ms of CPU, a tenth of a
    bare window's start-up; issue 10). Anything else goes to argparse (None)."""
    values: dict[str, str | None] = {"data_dir": None, "lang": None}
    rest = list(argv)
    while rest:
        if len(rest) < 2 or rest[0] not in ("--data-dir", "--lang") or rest[1].startswith("-"):
            return None
        key = rest[0][2:].replace("-", "_")
        if values[key] is not None or (key == "lang" and rest[1] not in ("vi", "en")):
            return None
        values[key] = rest[1]
        rest = rest[2:]
    from types import SimpleNamespace

    return SimpleNamespace(command=None, **values)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _gui_only(argv) or _parser().parse_args(_protect_connect_token(argv))
    if args.lang:
        set_language(args.lang)
    if args.command is None:
        from app.ui.app import run_gui

        # The window first (issue 10): the log file is opened right after the sign-in
        # window's first frame, before the desk is opened; until then only warnings
        # could be written, and they go to stderr.
        return run_gui(
            resolve_data_dir(args.data_dir), lang=args.lang, after_first_frame=_setup_logging
        )
    _setup_logging()
    from app.services.bootstrap import DatabaseProblem

    try:
        return COMMANDS[args.command](args)
    except DatabaseProblem as exc:
        print(exc.message, file=sys.stderr)
        print("Lựa chọn / choices:" if args.lang != "en" else "Choices:", file=sys.stderr)
        for choice in exc.info.choices:
            print(f"  - {choice}", file=sys.stderr)
        return EXIT_DATABASE
    except ValidationFailed as exc:
        for e in exc.errors:
            print(f"{e.field}: {e.message}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
