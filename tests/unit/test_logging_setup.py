"""app.logging_setup: real log files in tmp_path, personal data masked, rotation."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.logging_setup import (
    BACKUP_COUNT,
    LOG_FILENAME,
    MAX_BYTES,
    default_log_dir,
    mask_text,
    setup_logging,
)


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    before = list(root.handlers), root.level
    d = tmp_path / "logs"
    yield d
    for h in list(root.handlers):
        if h not in before[0]:
            root.removeHandler(h)
            h.close()
    root.setLevel(before[1])


def _read(path: Path) -> str:
    for h in logging.getLogger().handlers:
        h.flush()
    return path.read_text(encoding="utf-8")


def test_creates_log_file_in_given_folder(log_dir: Path) -> None:
    path = setup_logging(log_dir)
    assert path == log_dir / LOG_FILENAME
    logging.getLogger("app.test").info("desk started")
    assert "desk started" in _read(path)
    assert "INFO" in _read(path)


@pytest.mark.parametrize(
    ("raw", "secret"),
    [
        ("CCCD 001090012345 nộp hồ sơ", "001090012345"),
        ("CMND cũ 012345678.", "012345678"),
        ("mã số BHXH=0123456789", "0123456789"),
        ("thẻ BHYT DN4797912345678 hết hạn", "DN4797912345678"),
        ("gọi 0912345678 để hẹn", "0912345678"),
        ("gọi +84 912 345 678", "912 345 678"),
        ("gọi 0912.345.678", "0912.345.678"),
        ("cố định 024-3826-1234", "024-3826-1234"),
        ("thư an.nguyen@example.vn", "an.nguyen"),
    ],
)
def test_masks_personal_data(log_dir: Path, raw: str, secret: str) -> None:
    path = setup_logging(log_dir)
    logging.getLogger("app.test").warning("hồ sơ: %s", raw)
    text = _read(path)
    assert secret not in text
    assert "hồ sơ:" in text
    assert "*" in text


def test_masks_values_passed_as_pii_extra(log_dir: Path) -> None:
    path = setup_logging(log_dir)
    log = logging.getLogger("app.test")
    log.info("tiếp nhận hồ sơ của %s", "Nguyễn Văn An", extra={"pii": "Nguyễn Văn An"})
    log.info("địa chỉ %s, %s", "12 Lê Lợi", "Ba Đình", extra={"pii": ["12 Lê Lợi", "Ba Đình"]})
    text = _read(path)
    assert "Nguyễn Văn An" not in text
    assert "Lê Lợi" not in text and "Ba Đình" not in text
    assert text.count("***") >= 3


def test_masks_exception_text(log_dir: Path) -> None:
    path = setup_logging(log_dir)
    try:
        raise ValueError("số định danh 079912345678 không hợp lệ")
    except ValueError:
        logging.getLogger("app.test").exception("lỗi khi kiểm tra")
    text = _read(path)
    assert "079912345678" not in text
    assert "ValueError" in text and "**********78" in text


def test_keeps_codes_uuids_and_dates(log_dir: Path) -> None:
    path = setup_logging(log_dir)
    msg = (
        "dossier 000.00.31.H56-260717-0001 event 550e8400-e29b-41d4-a716-446655440000 "
        "due 27/07/2026 seq 42"
    )
    logging.getLogger("app.test").info(msg)
    assert msg in _read(path)


def test_mask_text_keeps_last_two_characters() -> None:
    assert mask_text("001090012345") == "**********45"
    assert mask_text("x@y.vn") == "***@y.vn"


def test_level_filters_records(log_dir: Path) -> None:
    path = setup_logging(log_dir, level="WARNING")
    log = logging.getLogger("app.test")
    log.info("not written")
    log.warning("written")
    text = _read(path)
    assert "written" in text and "not written" not in text


def test_rotation(log_dir: Path) -> None:
    path = setup_logging(log_dir, max_bytes=2_000, backup_count=3)
    log = logging.getLogger("app.test")
    for i in range(200):
        log.info("line %04d phone 0912345678 %s", i, "x" * 40)
    _read(path)
    files = sorted(p.name for p in log_dir.iterdir())
    assert files == [LOG_FILENAME, *(f"{LOG_FILENAME}.{i}" for i in (1, 2, 3))]
    for f in log_dir.iterdir():
        content = f.read_text(encoding="utf-8")
        assert f.stat().st_size <= 2_200
        assert "0912345678" not in content
    assert "line 0199" in path.read_text(encoding="utf-8")


def test_calling_twice_keeps_one_handler(log_dir: Path) -> None:
    setup_logging(log_dir)
    path = setup_logging(log_dir)
    logging.getLogger("app.test").info("once")
    assert _read(path).count("once") == 1


def test_defaults() -> None:
    assert MAX_BYTES == 2 * 1024 * 1024 and BACKUP_COUNT == 5


def test_default_log_dir_is_overridable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ONESTOP_LOG_DIR", str(tmp_path / "x"))
    assert default_log_dir() == tmp_path / "x"
    monkeypatch.delenv("ONESTOP_LOG_DIR")
    assert "onestop" in str(default_log_dir()).lower()
