"""provisioning.json as the installer writes it (docs/installer.md)."""

from __future__ import annotations

from pathlib import Path

from app.services.provisioning import Provisioning, consume_provisioning, read_provisioning


def test_read_and_consume(tmp_path: Path) -> None:
    assert read_provisioning(tmp_path) is None
    f = tmp_path / "provisioning.json"
    f.write_text('\ufeff{"format": 1, "central_url": " https://c.example ", "desk_token": "x",'
                 ' "extra": 1}', encoding="utf-8")
    assert read_provisioning(tmp_path) == Provisioning("https://c.example", "x")
    consume_provisioning(tmp_path)
    assert not f.exists()


def test_bad_files_are_ignored(tmp_path: Path) -> None:
    f = tmp_path / "provisioning.json"
    for text in ("{not json", '{"format": 2, "central_url": "u"}', "[]",
                 '{"format": 1, "central_url": "", "desk_token": ""}'):
        f.write_text(text, encoding="utf-8")
        assert read_provisioning(tmp_path) is None
