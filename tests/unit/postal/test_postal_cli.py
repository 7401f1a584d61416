"""`onestop postal-agencies` / `postal-fees`: an administrator sets what the agent desk
serves and charges; anyone else, or bad input, exits 2 and nothing changes (real processes)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.services import postal
from app.services.bootstrap import open_desk
from tests.conftest import Clock
from tests.support.postal import AGENCY_CODE, make_post_desk
from tests.unit.test_cli import onestop

ADMIN_PW = "mat-khau-qt"  # tests.conftest.make_admin's


def _stored(data_dir: Path) -> tuple[list[postal.Agency], dict[str, object]]:
    ctx = open_desk(data_dir)
    try:
        return postal.agencies_list(ctx), postal.fee_table_data(ctx)
    finally:
        ctx.close()


def test_agencies_and_fees_from_the_command_line(tmp_path: Path, clock: Clock) -> None:
    data_dir = tmp_path / "post"
    make_post_desk(data_dir, clock=clock).close()
    before = _stored(data_dir)
    os.environ.pop("ONESTOP_PASSWORD", None)

    shown = onestop(data_dir, "postal-agencies")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split("\t")[0] == AGENCY_CODE

    two = tmp_path / "agencies.json"
    two.write_text(
        json.dumps(
            [
                {"code": AGENCY_CODE, "name": "Bảo hiểm xã hội cơ sở Ba Đình"},
                {"code": "000.00.99.G01", "name": "Sở Tư pháp Hà Nội", "scope": "province"},
            ],
            ensure_ascii=False,
        ),
        "utf-8",
    )
    bad_cases: list[tuple[list[str], str | None]] = [
        (["postal-agencies", "--set", str(two)], None),  # no --as
        (["postal-agencies", "--set", str(two), "--as", "buudien1"], "mat-khau-1\n"),  # officer
        (["postal-agencies", "--set", str(two), "--as", "quantri1"], "sai-mat-khau\n"),
        (["postal-agencies", "--set", str(tmp_path / "none.json"), "--as", "quantri1"], None),
    ]
    broken = tmp_path / "broken.json"
    broken.write_text("[{", "utf-8")
    wrong_shape = tmp_path / "shape.json"
    wrong_shape.write_text(json.dumps([{"code": 1, "name": "x"}]), "utf-8")
    district = tmp_path / "district.json"
    district.write_text(
        json.dumps(
            [{"code": AGENCY_CODE, "name": "Trung tâm Phục vụ hành chính công quận Ba Đình"}],
            ensure_ascii=False,
        ),
        "utf-8",
    )
    table = before[1]
    assert isinstance(table, dict)
    no_bands = tmp_path / "no-bands.json"
    no_bands.write_text(json.dumps({**table, "bands": []}), "utf-8")
    for f in (broken, wrong_shape, district):
        bad_cases.append((["postal-agencies", "--set", str(f), "--as", "quantri1"], ADMIN_PW))
    for f in (broken, no_bands, two):
        bad_cases.append((["postal-fees", "--set", str(f), "--as", "quantri1"], ADMIN_PW))
    bad_cases.append((["postal-fees", "--set", str(no_bands)], None))
    for args, stdin in bad_cases:
        r = onestop(data_dir, *args, stdin=stdin)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert r.stderr.strip(), args
        assert _stored(data_dir) == before, args  # nothing changed

    done = onestop(
        data_dir, "postal-agencies", "--set", str(two), "--as", "quantri1", stdin=ADMIN_PW + "\n"
    )
    assert done.returncode == 0, done.stderr
    assert [line.split("\t")[0] for line in done.stdout.splitlines()] == [
        AGENCY_CODE,
        "000.00.99.G01",
    ]

    fees = onestop(data_dir, "postal-fees")
    assert fees.returncode == 0, fees.stderr
    printed = json.loads(fees.stdout)
    assert printed == table
    bands = printed["bands"]
    bands[0]["send_vnd"] = int(bands[0]["send_vnd"]) + 1000
    new = tmp_path / "fees.json"
    new.write_text(json.dumps(printed, ensure_ascii=False), "utf-8")
    set_fees = onestop(
        data_dir, "postal-fees", "--set", str(new), "--as", "quantri1", stdin=ADMIN_PW + "\n"
    )
    assert set_fees.returncode == 0, set_fees.stderr
    agencies, stored = _stored(data_dir)
    assert len(agencies) == 2 and stored == printed
    ctx = open_desk(data_dir)
    try:
        with ctx.read() as s:
            assert postal.fee_table(s).bands[0].send_vnd == bands[0]["send_vnd"]
    finally:
        ctx.close()
