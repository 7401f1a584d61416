"""`python -m app.sync --data-dir DIR (connect URL TOKEN | sync | loop)`: headless desk sync.

The `onestop connect` and `onestop sync` commands of app/cli.py call `main` here; the exit
status is 0 on success, 3 when the central service cannot be reached, 4 when it refuses
this desk, 2 on other sync errors.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from app.config import resolve_data_dir
from app.sync.client import SyncError, SyncRefused, SyncUnavailable
from app.sync.commands import connect, report_json, sync_once

EXIT_UNAVAILABLE = 3
EXIT_REFUSED = 4
EXIT_ERROR = 2


def run(command: str, data_dir: Path, args: list[str], *, rounds: int = 0) -> int:
    from app.services.bootstrap import open_desk

    ctx = open_desk(data_dir)
    try:
        if command == "connect":
            url, token = args
            result = connect(ctx, url, token)
            print(
                f"paired: desk {result.desk_name!r} slot {result.slot} of office "
                f"{result.office_code}; {result.queued} event(s) queued"
            )
            if result.report:
                print(report_json(result.report))
        elif command == "sync":
            print(report_json(sync_once(ctx)))
        elif command == "loop":  # rounds until the outbox is empty (tests, scripts)
            n = 0
            while True:
                report = sync_once(ctx, push_batch=50)
                print(report_json(report), flush=True)
                n += 1
                if (rounds and n >= rounds) or (report.pushed == 0 and report.inserted == 0):
                    break
                time.sleep(0.05)
        else:
            print(f"unknown command {command}", file=sys.stderr)
            return EXIT_ERROR
    except SyncUnavailable as exc:
        print(f"central service unreachable: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except SyncRefused as exc:
        print(f"refused by the central service: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except SyncError as exc:
        print(f"sync failed: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        ctx.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.sync")
    p.add_argument("--data-dir")
    p.add_argument("command", choices=["connect", "sync", "loop"])
    p.add_argument("args", nargs="*")
    p.add_argument("--rounds", type=int, default=0)
    ns = p.parse_args(argv)
    return run(ns.command, resolve_data_dir(ns.data_dir), ns.args, rounds=ns.rounds)


if __name__ == "__main__":
    sys.exit(main())
