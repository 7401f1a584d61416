"""Code blocks: a desk's claims are bounded, and a restored central re-learns held blocks."""

from __future__ import annotations

from datetime import date

import httpx


def _client(central, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=central.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


DAY = date(2026, 12, 24).isoformat()


def test_in_use_beyond_the_desks_share_is_refused(central, office):
    """Any desk could exhaust a day's blocks for the whole office with a large in_use."""
    c = _client(central, central.add_desk(office, slot=1).token)
    r = c.post("/v1/code-blocks", json={"days": [DAY], "size": 10, "in_use": {DAY: 8990}})
    assert r.status_code == 422 and "in_use" in r.json()["detail"]
    r = c.post("/v1/code-blocks", json={"days": [DAY], "size": 10, "in_use": {DAY: 40}})
    assert r.status_code == 200 and r.json()["blocks"][0]["first"] == 41


def test_held_blocks_are_learned_bounded_and_conflicts_named(central, office):
    c1 = _client(central, central.add_desk(office, slot=1).token)
    c2 = _client(central, central.add_desk(office, slot=2).token)
    # A block the central never recorded (issued after the backup it was restored from):
    r = c1.post("/v1/code-blocks", json={"days": [], "held": {DAY: [[101, 150]]}})
    assert r.status_code == 200 and r.json() == {"blocks": [], "conflicts": []}
    r = c2.post("/v1/code-blocks", json={"days": [DAY], "size": 20})
    assert r.json()["blocks"][0]["first"] == 151  # planned above what it was told of
    # The same numbers claimed by a second desk: a conflict, not recorded for it.
    r = c2.post("/v1/code-blocks", json={"days": [], "held": {DAY: [[120, 130]]}})
    assert r.json()["conflicts"] == [{"day": DAY, "first": 120, "last": 130}]
    # Bounded: no desk can claim the day's range.
    r = c1.post("/v1/code-blocks", json={"days": [], "held": {DAY: [[1, 8999]]}})
    assert r.status_code == 422
    many = [[s, s + 499] for s in range(1000, 4000, 500)]
    r = c1.post("/v1/code-blocks", json={"days": [], "held": {DAY: many}})
    assert r.status_code == 422 and "1000" in r.json()["detail"]


def test_one_catalogue_loader_one_checksum(central):
    """The central loads a published catalogue with the desks' loader: same release rows,
    same checksum (there were two loaders with two checksum formulas)."""
    import json

    from sqlalchemy import select

    from app.central.documents import BUNDLED, CATALOGUE
    from app.models import CatalogueRelease
    from app.resources import resources_dir
    from app.services.catalogue_service import checksum

    body = json.loads((resources_dir() / BUNDLED[CATALOGUE]).read_text(encoding="utf-8"))
    with central.sessions() as s:
        release = s.scalar(
            select(CatalogueRelease).where(
                CatalogueRelease.version == body["catalogue_version"]
            )
        )
    assert release is not None and release.checksum == checksum(body)
