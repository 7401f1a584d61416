"""Log files for the desk: rotating, per user, and with personal data masked.

`setup_logging(log_dir)` attaches a RotatingFileHandler (5 files × 2 MB) to the root logger,
writing `onestop.log` in `log_dir` — by default the per-user log folder from platformdirs
(`default_log_dir()`, overridable with `ONESTOP_LOG_DIR`). Every record goes through
`PiiFilter` before it is written, which masks (DESIGN.md "Personal data stays out of logs"):

- citizen ID numbers (12 digits) and old ID numbers (9 digits),
- social-insurance numbers (10 digits, "mã số BHXH"),
- health-insurance card numbers (15 characters: 2 letters, 1 digit, 2 digits, 10 digits),
- Vietnamese phone numbers (+84…, 84…, 0…; spaces, dots and dashes allowed),
- e-mail addresses,
- any value a caller hands over explicitly with `extra={"pii": value}` (or a list of values).

Names and addresses cannot be recognised by pattern. THE RULE OF THIS CODE BASE: never pass
a person's name or address to the logger — log the dossier code or the row's UUID instead.
When a message cannot avoid a personal value, pass it in `extra={"pii": ...}` as well so the
filter removes it wherever it appears in the formatted message.

Masking keeps the last two characters of numbers (`************12`) so support staff can
still tell two records apart, and keeps only the domain of an e-mail address.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "onestop"
APP_AUTHOR = "onestop"
ENV_LOG_DIR = "ONESTOP_LOG_DIR"
LOG_FILENAME = "onestop.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"

_HANDLER_NAME = "onestop-file"

# Digits runs are matched whole (no digit or letter on either side), so a dossier code such
# as 000.00.31.H56-260717-0001 or a UUID is left alone while an ID number is not.
_NB = r"(?<![0-9A-Za-z])"
_NA = r"(?![0-9A-Za-z])"
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
# Health-insurance card: 2 letters (object), 1 digit (benefit), 2 digits (province), 10 digits.
_HI_CARD = re.compile(_NB + r"[A-Za-z]{2}[0-9]{13}" + _NA)
# Phones: +84 / 84 / 0, then 9 digits (mobile 3/5/7/8/9x) or 10 (landline 2x + 8 digits),
# separators allowed.
_PHONE = re.compile(r"(?<![0-9A-Za-z+])(?:\+84|84|0)[\s.-]?[235789](?:[\s.-]?[0-9]){8,9}" + _NA)
# 12-digit citizen ID, 10-digit social-insurance number, 9-digit old ID number.
_ID_NUMBERS = re.compile(_NB + r"(?:[0-9]{12}|[0-9]{10}|[0-9]{9})" + _NA)


def _mask_keep_tail(match: re.Match[str]) -> str:
    text = match.group(0)
    chars = [c for c in text if c.isalnum()]
    return "*" * (len(chars) - 2) + "".join(chars[-2:])


# UUIDs (row and event keys) are not personal data and may end in 12 digits: keep them whole.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def mask_text(text: str, extra_values: Iterable[str] = ()) -> str:
    """Return `text` with personal data replaced by asterisks."""
    for value in sorted({v for v in extra_values if v}, key=len, reverse=True):
        text = text.replace(value, "***")
    text = _EMAIL.sub(lambda m: "***@" + m.group(1), text)
    pieces = _UUID.split(text)
    uuids = _UUID.findall(text)
    out = [_mask_patterns(pieces[0])]
    for uuid, piece in zip(uuids, pieces[1:], strict=True):
        out += [uuid, _mask_patterns(piece)]
    return "".join(out)


def _mask_patterns(text: str) -> str:
    text = _HI_CARD.sub(_mask_keep_tail, text)
    text = _PHONE.sub(_mask_keep_tail, text)
    text = _ID_NUMBERS.sub(_mask_keep_tail, text)
    return text


def _pii_values(record: logging.LogRecord) -> list[str]:
    raw: Any = getattr(record, "pii", None)
    if raw is None:
        return []
    if isinstance(raw, str | int):
        return [str(raw)]
    if isinstance(raw, dict):
        return [str(v) for v in raw.values() if v is not None]
    if isinstance(raw, Iterable):
        return [str(v) for v in raw if v is not None]
    return [str(raw)]


class PiiFilter(logging.Filter):
    """Masks personal data in a record's message, arguments and exception text.

    The message is formatted once (`record.getMessage()`), masked, and stored back with
    `args` cleared, so no handler downstream can format the raw values again. Never drops
    a record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        values = _pii_values(record)
        record.msg = mask_text(record.getMessage(), values)
        record.args = None
        if values:
            record.pii = "***"
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text, values)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info, values)
        return True


def default_log_dir() -> Path:
    """`ONESTOP_LOG_DIR`, else the per-user log folder (e.g. %LOCALAPPDATA%\\onestop\\onestop\\Logs
    on Windows, ~/.local/state/onestop/log on Linux)."""
    env = os.environ.get(ENV_LOG_DIR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def setup_logging(
    log_dir: Path | None = None,
    level: str | int = "INFO",
    *,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> Path:
    """Send the root logger to a rotating file in `log_dir`; return the log file's path.

    Safe to call more than once (the previous handler of this module is replaced). The
    filter sits on the handler, so records from every library's logger are masked too.
    """
    log_dir = Path(log_dir) if log_dir is not None else default_log_dir()
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILENAME

    root = logging.getLogger()
    for h in list(root.handlers):
        if h.get_name() == _HANDLER_NAME:
            root.removeHandler(h)
            h.close()

    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
    )
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(PiiFilter())
    root.addHandler(handler)
    root.setLevel(level if isinstance(level, int) else level.upper())
    logging.captureWarnings(True)
    return path
