"""A real central service per backend (SQLite file, PostgreSQL scratch database)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.central import admin
from app.central.api import create_app
from app.central.blobs import LocalStore
from tests.support.central import (
    ServerThread,
    env_is_ci,
    postgres_reachable,
    scratch_postgres,
    unique_office_code,
)


@dataclass
class Central:
    backend: str
    db_url: str
    url: str
    app: Any

    @property
    def sessions(self) -> Any:
        return self.app.state.sessions

    def add_office(self, code: str | None = None) -> str:
        code = code or unique_office_code()
        with self.sessions.begin() as s:
            admin.add_office(s, code, f"Một cửa {code}")
        return code

    def add_desk(self, office_code: str, name: str = "Quầy", slot: int | None = None) -> Any:
        with self.sessions.begin() as s:
            return admin.add_desk(s, office_code, name, slot)


def _need_postgres() -> None:
    if not postgres_reachable():
        if env_is_ci():
            pytest.fail("CI=true but PostgreSQL at 127.0.0.1:5432 is unreachable")
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is unreachable (start it to run these)")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    _need_postgres()
    with scratch_postgres() as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def central(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Central]:
    if request.param == "postgres":
        db_url = request.getfixturevalue("pg_url")
    else:
        db_url = f"sqlite:///{Path(tmp_path_factory.mktemp('central')) / 'central.sqlite3'}"
    app = create_app(db_url, files=LocalStore(tmp_path_factory.mktemp("central-files")))
    with ServerThread(app) as server:
        yield Central(request.param, db_url, server.url, app)
    app.state.engine.dispose()


@pytest.fixture
def office(central: Central) -> str:
    return central.add_office()
