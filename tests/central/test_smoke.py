from __future__ import annotations

import httpx

from app.central.testing import new_desk, receive_dossiers
from app.sync.commands import connect


def test_connect_push_pull(central, office, tmp_path):
    d1 = central.add_desk(office, "Quầy 1")
    desk = new_desk(tmp_path / "d1", office_code=office)
    receive_dossiers(desk, 3)
    res = connect(desk, central.url, d1.token)
    assert res.report.accepted == 3, res.report
    r = httpx.get(central.url + "/v1/health")
    assert r.status_code == 200
