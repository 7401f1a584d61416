"""`onestop-central`: serve the API and administer offices and desk credentials."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from app.central.db import DEFAULT_DB_URL

ENV_DB = "ONESTOP_CENTRAL_DB"


def _db(args: argparse.Namespace) -> str:
    return str(args.db or os.environ.get(ENV_DB) or DEFAULT_DB_URL)


def _sessions(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from app.central.db import open_central

    return open_central(_db(args))[1]


def cmd_serve(args: argparse.Namespace) -> int:
    """One process, or `--workers N` processes behind one address (the API keeps no state
    of its own between requests: everything is in the database)."""
    import uvicorn

    if args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    common: dict[str, object] = {
        "host": args.host,
        "port": args.port,
        "log_level": args.log_level,
        "ssl_keyfile": args.ssl_keyfile,
        "ssl_certfile": args.ssl_certfile,
        "proxy_headers": True,
        "forwarded_allow_ips": args.forwarded_allow_ips,
        "timeout_keep_alive": 75,
    }
    if args.workers == 1:
        from app.central.api import create_app

        uvicorn.run(create_app(_db(args)), **common)  # type: ignore[arg-type]
        return 0
    from app.central.asgi import prepare_workers

    with prepare_workers(_db(args), args.workers):
        uvicorn.run(
            "app.central.asgi:app_factory",
            factory=True,
            workers=args.workers,
            # A worker starting on a loaded machine can take more than uvicorn's default
            # 5 s to answer its first health check, and would be killed and restarted over
            # and over; a hung worker is still replaced within a minute.
            timeout_worker_healthcheck=60,
            **common,  # type: ignore[arg-type]
        )
    return 0


def cmd_add_office(args: argparse.Namespace) -> int:
    from app.central.admin import add_office

    with _sessions(args).begin() as s:
        office = add_office(s, args.code, args.name, office_id=args.id)
        print(f"office {office.code} id={office.id}")
    return 0


def cmd_add_desk(args: argparse.Namespace) -> int:
    from app.central.admin import add_desk

    with _sessions(args).begin() as s:
        issued = add_desk(s, args.office, args.name, args.slot)
    print(
        f"desk {issued.name!r} of office {issued.office_code}, slot {issued.slot}, "
        f"id={issued.desk_id}"
    )
    print("token (shown once, keep it safe; the server keeps only its hash):")
    print(issued.token)
    return 0


def cmd_revoke_desk(args: argparse.Namespace) -> int:
    from app.central.admin import revoke_desk

    with _sessions(args).begin() as s:
        n = revoke_desk(s, args.desk, office_code=args.office, name=args.name)
    print(f"revoked {n} desk credential(s)")
    return 0 if n else 1


def cmd_rotate_token(args: argparse.Namespace) -> int:
    from app.central.admin import rotate_token

    with _sessions(args).begin() as s:
        issued = rotate_token(s, args.desk)
    print(
        f"new token for desk {issued.name!r} of office {issued.office_code}, slot "
        f"{issued.slot} (the old one no longer works); shown once:"
    )
    print(issued.token)
    return 0


def cmd_reinstate_desk(args: argparse.Namespace) -> int:
    from app.central.admin import reinstate_desk

    with _sessions(args).begin() as s:
        issued = reinstate_desk(s, args.desk)
    print(
        f"desk {issued.name!r} of office {issued.office_code} reinstated; what it made while "
        "revoked will be flagged for review. New token, shown once:"
    )
    print(issued.token)
    return 0


def cmd_review_list(args: argparse.Namespace) -> int:
    from app.central.service import review_flags

    with _sessions(args)() as s:
        rows = review_flags(s, args.office)
    for event_id, dossier_id, desk_id, reason, at in rows:
        print(f"{at:%Y-%m-%d %H:%M}  {reason}  desk {desk_id}  dossier {dossier_id}  {event_id}")
    return 0


def cmd_overrides(args: argparse.Namespace) -> int:
    """Supervisors' overrides of desks' guard rails (clock, offline limits), as pushed."""
    from app.central.service import guard_overrides

    with _sessions(args)() as s:
        rows = guard_overrides(s, args.office)
    for r in rows:
        offset = "-" if r.clock_offset_s is None else f"{r.clock_offset_s:+.0f}s"
        print(
            f"{r.occurred_at:%Y-%m-%d %H:%M}  {r.office_code}  desk {r.desk_name!r}  "
            f"by {r.by or r.officer_id}  {','.join(r.kinds)}  until {r.until}  "
            f"clock offset {offset}  reason: {r.reason}  {r.event_id}"
        )
    return 0


def cmd_list_desks(args: argparse.Namespace) -> int:
    from app.central.admin import list_desks

    with _sessions(args)() as s:
        for desk_id, code, name, slot, active in list_desks(s):
            print(
                f"{desk_id}  {code}  slot {slot:2d}  {'active ' if active else 'revoked'}  {name}"
            )
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from app.central.documents import publish

    body = json.loads(Path(args.file).read_text(encoding="utf-8"))
    with _sessions(args).begin() as s:
        version, new = publish(s, args.kind, body)
    print(f"{args.kind} {version} {'published' if new else 'was already published'}")
    return 0


def cmd_reset_cursors(args: argparse.Namespace) -> int:
    from app.central.admin import bump_cursor_epoch

    with _sessions(args).begin() as s:
        epoch = bump_cursor_epoch(s)
    print(f"cursor epoch is now {epoch}: every desk re-syncs its office from the start")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """II.06a over the central database for offices or a province, one line per office."""
    from datetime import date

    from app.central.db import open_central
    from app.domain.errors import ValidationFailed
    from app.services.context import DeskContext
    from app.services.report_docs import export_offices

    try:
        date_from, date_to = date.fromisoformat(args.date_from), date.fromisoformat(args.date_to)
    except ValueError:
        print("error: --from and --to are dates like 2026-11-16", file=sys.stderr)
        return 2
    if not args.xlsx and not args.pdf:
        print("error: give --xlsx FILE and/or --pdf FILE", file=sys.stderr)
        return 2
    engine, sessions = open_central(_db(args))
    ctx = DeskContext(engine, sessions)
    try:
        for fmt, path in (("xlsx", args.xlsx), ("pdf", args.pdf)):
            if not path:
                continue
            out = export_offices(
                ctx, date_from, date_to, fmt, tuple(args.office or ()), args.province
            )
            Path(path).write_bytes(out.data)
            print(f"wrote {path}")
    except ValidationFailed as exc:
        print("error: " + "; ".join(e.message for e in exc.errors), file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="onestop-central", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    def with_db(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sp.add_argument(
            "--db",
            help=f"database URL (env {ENV_DB}; default {DEFAULT_DB_URL}); "
            "PostgreSQL: postgresql+psycopg://user@host/db",
        )
        return sp

    s = with_db(sub.add_parser("serve", help="run the HTTP API"))
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8765)
    s.add_argument("--ssl-keyfile")
    s.add_argument("--ssl-certfile")
    s.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    s.add_argument("--log-level", default="info")
    s.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("ONESTOP_CENTRAL_WORKERS", "1")),
        help="worker processes behind the one address (default 1; about one per core)",
    )
    s.set_defaults(func=cmd_serve)

    s = with_db(sub.add_parser("add-office", help="create an office"))
    s.add_argument("--code", required=True, help="QCVN 102 unit code, e.g. 000.00.31.H56")
    s.add_argument("--name", required=True)
    s.add_argument("--id", help="keep this office id (e.g. the one a stand-alone desk made)")
    s.set_defaults(func=cmd_add_office)

    s = with_db(sub.add_parser("add-desk", help="issue a desk token (printed once)"))
    s.add_argument("--office", required=True, help="office code")
    s.add_argument("--name", required=True)
    s.add_argument("--slot", type=int, help="desk slot 1..20 (default: the first free one)")
    s.set_defaults(func=cmd_add_desk)

    s = with_db(sub.add_parser("revoke-desk", help="revoke a desk token"))
    s.add_argument("--desk", help="desk id")
    s.add_argument("--office", help="office code (with --name)")
    s.add_argument("--name")
    s.set_defaults(func=cmd_revoke_desk)

    s = with_db(sub.add_parser("rotate-token", help="new token for a desk (same id, slot)"))
    s.add_argument("--desk", required=True, help="desk id")
    s.set_defaults(func=cmd_rotate_token)

    s = with_db(
        sub.add_parser(
            "reinstate-desk", help="un-revoke a desk (explicit; new token; its work flagged)"
        )
    )
    s.add_argument("--desk", required=True, help="desk id")
    s.set_defaults(func=cmd_reinstate_desk)

    s = with_db(sub.add_parser("review-list", help="events flagged for review"))
    s.add_argument("--office", help="office code")
    s.set_defaults(func=cmd_review_list)

    s = with_db(
        sub.add_parser("overrides", help="supervisors' overrides of desks' guard rails")
    )
    s.add_argument("--office", help="office code")
    s.set_defaults(func=cmd_overrides)

    s = with_db(sub.add_parser("list-desks", help="list desk credentials"))
    s.set_defaults(func=cmd_list_desks)

    s = with_db(sub.add_parser("publish", help="publish a catalogue or calendar document"))
    s.add_argument("kind", choices=["catalogue", "calendar"])
    s.add_argument("file")
    s.set_defaults(func=cmd_publish)

    s = with_db(sub.add_parser("report", help="form II.06a for offices or a province"))
    who = s.add_mutually_exclusive_group(required=True)
    who.add_argument("--office", action="append", help="office code (repeatable)")
    who.add_argument("--province", help="province code, e.g. 01: every office of it")
    s.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
    s.add_argument("--to", dest="date_to", required=True, help="last day, YYYY-MM-DD")
    s.add_argument("--xlsx", help="write the Excel file here")
    s.add_argument("--pdf", help="write the PDF here")
    s.set_defaults(func=cmd_report)

    s = with_db(sub.add_parser("reset-cursors", help="make every desk re-sync from the start"))
    s.set_defaults(func=cmd_reset_cursors)
    return p


def main(argv: list[str] | None = None) -> int:
    from app.central.admin import AdminError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except AdminError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
