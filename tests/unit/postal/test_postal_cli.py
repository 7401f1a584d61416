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


def test_a_supervisor_resolves_a_record_signed_twice_from_the_command_line(
    tmp_path: Path, clock: Clock
) -> None:
    """`postal-conflicts` lists the signings; `postal-resolve` needs a supervisor (an
    officer's or a wrong password exits 2, nothing written) and a reason."""
    from sqlalchemy import func, select

    from app.models import Event
    from tests.conftest import make_admin, make_desk
    from tests.unit.postal.test_postal_resolve import OTHER_DESK, _signed_twice

    post = make_post_desk(tmp_path / "post", clock=clock)
    data_dir = tmp_path / "agency"
    desk = make_desk(data_dir, clock=clock)
    info = _signed_twice(post, desk)
    make_admin(desk, username="giamsat", role="supervisor")
    desk.close()
    post.close()

    def events() -> int:
        ctx = open_desk(data_dir)
        try:
            with ctx.read() as s:
                return int(s.scalar(select(func.count()).select_from(Event)) or 0)
        finally:
            ctx.close()

    listed = onestop(data_dir, "postal-conflicts")
    assert listed.returncode == 0, listed.stderr
    lines = [ln.split("\t") for ln in listed.stdout.splitlines()]
    assert {ln[0] for ln in lines} == {info.batch_no} and OTHER_DESK in {ln[1] for ln in lines}
    before = events()
    args = ("postal-resolve", info.batch_no, "--keep", OTHER_DESK, "--reason", "Quầy 2 ký trước")
    wrong = onestop(data_dir, *args, "--as", "giamsat", stdin="sai-mat-khau\n")
    officer = onestop(data_dir, *args, "--as", "canbo1", stdin="mat-khau-1\n")
    assert (wrong.returncode, officer.returncode) == (2, 2) and events() == before
    done = onestop(data_dir, *args, "--as", "giamsat", stdin=f"{ADMIN_PW}\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"kept\t{OTHER_DESK}"
    assert events() == before + 1
    again = onestop(data_dir, *args, "--as", "giamsat", stdin=f"{ADMIN_PW}\n")
    assert again.returncode == 2 and onestop(data_dir, "postal-conflicts").stdout == ""
