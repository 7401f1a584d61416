"""`uv run python -m bench [core|print|sync|startup|reports|search|digitise|seed|all]
[--sizes N,N]` (seed runs only when named)."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

SUITES = ("core", "print", "sync", "startup", "reports", "search", "digitise")
#: Run only when named (seeding a million dossiers takes minutes).
EXTRA = ("seed",)


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench")
    p.add_argument("suite", nargs="?", default="core", choices=(*SUITES, *EXTRA, "all"))
    p.add_argument("--sizes", default="100000,1000000", help="seeded dossiers for look-ups")
    p.add_argument("--cache", help="folder keeping seeded databases between runs")
    p.add_argument(
        "--central",
        type=int,
        default=None,
        help="reports: dossiers generated for the central's PostgreSQL run (0: skip it)",
    )
    args = p.parse_args()
    for suite in SUITES if args.suite == "all" else (args.suite,):
        print(f"== {suite}")
        if suite == "core":
            from bench.bench_core import run

            sizes = tuple(int(x) for x in args.sizes.split(",") if x)
            for line in run(sizes, Path(args.cache) if args.cache else None):
                print(line, flush=True)
            continue
        if suite == "seed":
            from bench.bench_core import run_seed

            for line in run_seed(tuple(int(x) for x in args.sizes.split(",") if x)):
                print(line, flush=True)
            continue
        if suite == "reports":
            from bench.bench_reports import run as run_reports

            sizes = tuple(int(x) for x in args.sizes.split(",") if x)
            for line in run_reports(sizes, Path(args.cache) if args.cache else None):
                print(line, flush=True)
            if args.central != 0:
                from bench.bench_reports import CENTRAL_DOSSIERS, run_central

                for line in run_central(args.central or CENTRAL_DOSSIERS):
                    print(line, flush=True)
            continue
        module = importlib.import_module(f"bench.bench_{suite}")
        result = module.run()
        if isinstance(result, dict):
            continue  # the suite printed each section as it ended (sync); its keys say nothing
        for line in result if isinstance(result, list) else [result]:
            print(line if isinstance(line, str) else "  ".join(map(str, line)), flush=True)


if __name__ == "__main__":
    main()
