"""Rules that protect accounts live in the service, so no screen or command bypasses them."""

from __future__ import annotations

import pytest

from app.domain.errors import DomainError
from app.services import setup
from tests.conftest import make_admin


def test_only_an_administrator_adds_officers(desk):
    canbo = setup.officer_by_username(desk, "canbo1")
    for actor in (None, canbo.id):
        with pytest.raises(setup.Forbidden, match="quản trị viên"):
            setup.add_officer(desk, username="x1", full_name="X", password="mat-khau-x",
                              actor_id=actor)
    admin = make_admin(desk)
    assert setup.add_officer(desk, username="x1", full_name="X", password="mat-khau-x",
                             actor_id=admin.id).username == "x1"


def test_first_account_needs_no_actor(tmp_path):
    from app.services.bootstrap import open_desk

    ctx = open_desk(tmp_path / "d")
    setup.setup_desk(ctx, office_code="000.00.31.H56", office_name="BHXH", desk_name="Quầy 1")
    setup.add_officer(ctx, username="admin", full_name="A", password="mat-khau-1",
                      role="administrator")
    with pytest.raises(setup.Forbidden):
        setup.add_officer(ctx, username="b", full_name="B", password="mat-khau-1")


def test_lock_role_and_reset_rules(desk):
    canbo = setup.officer_by_username(desk, "canbo1")
    admin = make_admin(desk)
    with pytest.raises(setup.Forbidden):
        setup.set_officer_active(desk, admin.id, False, actor_id=canbo.id)
    with pytest.raises(setup.Forbidden):
        setup.set_officer_active(desk, canbo.id, True, role="administrator", actor_id=canbo.id)
    with pytest.raises(setup.Forbidden):
        setup.reset_password(desk, canbo.id, admin.id, "chiem-quyen-1")
    with pytest.raises(DomainError, match="tự khoá"):
        setup.set_officer_active(desk, admin.id, False, actor_id=admin.id)
    with pytest.raises(DomainError, match="quyền quản trị"):
        setup.set_officer_active(desk, admin.id, True, role="officer", actor_id=admin.id)
    setup.set_officer_active(desk, canbo.id, False, actor_id=admin.id)
    assert setup.authenticate(desk, "canbo1", "mat-khau-1") is None
    # A locked administrator account no longer carries its rights.
    setup.set_officer_active(desk, canbo.id, True, role="administrator", actor_id=admin.id)
    setup.set_officer_active(desk, admin.id, False, actor_id=canbo.id)
    with pytest.raises(setup.Forbidden):
        setup.reset_password(desk, admin.id, canbo.id, "mat-khau-moi")
    assert setup.may(desk, canbo.id, "restore") and not setup.may(desk, admin.id, "restore")
