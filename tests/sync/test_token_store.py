"""The desk token lives outside the database: OS keyring where one works, else a 0600 file.

Only the file fallback runs here (this machine has no keyring daemon); the keyring path is
the same three calls against `keyring`'s API.
"""

from __future__ import annotations

import os
import stat

import pytest

from app import credentials
from app.config import DB_FILENAME
from app.services.context import get_setting, set_setting
from app.sync.commands import connect, sync_once
from tests.support.central import new_desk, receive_dossiers


@pytest.fixture(autouse=True)
def _file_store(monkeypatch):
    monkeypatch.setenv(credentials.ENV_STORE, "file")


def _bytes_everywhere(folder) -> bytes:
    return b"".join(
        p.read_bytes() for p in folder.iterdir()
        if p.is_file() and p.name.startswith(DB_FILENAME)
    )


def test_token_is_kept_in_a_private_file_not_the_database(central, office, tmp_path):
    issued = central.add_desk(office, "Quầy 1")
    desk = new_desk(tmp_path / "d", office_code=office)
    connect(desk, central.url, issued.token)
    receive_dossiers(desk, 2)
    report = sync_once(desk)
    assert report.pushed == 2
    token_file = tmp_path / "d" / credentials.TOKEN_FILENAME
    assert token_file.read_text() == issued.token
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
    with desk.read() as s:
        assert get_setting(s, "sync.token") == "@file"
    desk.close()
    assert issued.token.encode() not in _bytes_everywhere(tmp_path / "d")


def test_a_token_left_in_the_database_moves_out_at_the_next_sync(central, office, tmp_path):
    issued = central.add_desk(office, "Quầy 1")
    desk = new_desk(tmp_path / "d", office_code=office)
    connect(desk, central.url, issued.token)
    with desk.transaction() as s:  # as an older version left it
        set_setting(s, "sync.token", issued.token)
    (tmp_path / "d" / credentials.TOKEN_FILENAME).unlink()
    sync_once(desk)
    with desk.read() as s:
        assert get_setting(s, "sync.token") == "@file"
    assert (tmp_path / "d" / credentials.TOKEN_FILENAME).read_text() == issued.token


def test_forcing_the_keyring_without_one_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv(credentials.ENV_STORE, "keyring")
    monkeypatch.setattr(credentials, "_keyring", lambda: None)
    with pytest.raises(credentials.TokenStoreError, match="no OS keyring"):
        credentials.save_token(tmp_path, "t")
    assert not (tmp_path / credentials.TOKEN_FILENAME).exists()
