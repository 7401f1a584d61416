"""Where the desk's token for the central service is kept: never in the database.

The database is copied into backups, salvaged to CSV and readable by anyone who can read
the data folder; the token is the desk's identity at the central. So it goes to the OS
keyring (`keyring`: Windows Credential Manager, macOS Keychain, Secret Service on Linux),
or, where no keyring works (a Linux desk without a Secret Service, a service account), to
a file of mode 0600 in the data folder. The database keeps only a marker saying which.

Only the file fallback can be exercised on the build machine (no keyring daemon there);
`ONESTOP_TOKEN_STORE=file` forces it, `=keyring` refuses to fall back.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

ENV_STORE = "ONESTOP_TOKEN_STORE"
SERVICE = "onestop-desk"
TOKEN_FILENAME = "desk-token"
#: What the database's `sync.token` setting holds instead of the token.
MARKER_PREFIX = "@"


class TokenStoreError(RuntimeError):
    """No place to keep the token (the keyring refused and the file cannot be written)."""


def _account(data_dir: Path) -> str:
    """One keyring entry per data folder (a PC may hold more than one desk folder)."""
    return hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:32]


def _keyring():  # type: ignore[no-untyped-def]
    """The OS keyring, or None when there is none that really stores secrets."""
    if os.environ.get(ENV_STORE) == "file":
        return None
    try:
        import keyring
        from keyring.backends import fail
    except Exception:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    if isinstance(backend, fail.Keyring) or backend.priority <= 0:  # type: ignore[operator]
        return None
    return keyring


def _token_file(data_dir: Path) -> Path:
    return data_dir / TOKEN_FILENAME


def _write_private(path: Path, text: str) -> None:
    """Create the file 0600 from the start (no moment when others may read it)."""
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if os.name == "posix":
        os.chmod(tmp, 0o600)
    tmp.replace(path)


def save_token(data_dir: Path, token: str) -> str:
    """Keep `token`; returns the marker to store in the database ("@keyring" or "@file")."""
    kr = _keyring()
    if kr is not None:
        try:
            kr.set_password(SERVICE, _account(data_dir), token)
            _token_file(data_dir).unlink(missing_ok=True)
            return MARKER_PREFIX + "keyring"
        except Exception as exc:
            if os.environ.get(ENV_STORE) == "keyring":
                raise TokenStoreError(f"keyring refused the token: {type(exc).__name__}") from exc
    elif os.environ.get(ENV_STORE) == "keyring":
        raise TokenStoreError("no OS keyring is available")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        _write_private(_token_file(data_dir), token)
    except OSError as exc:
        raise TokenStoreError(f"cannot write {_token_file(data_dir)}: {exc}") from exc
    return MARKER_PREFIX + "file"


def load_token(data_dir: Path, marker: str) -> str:
    """The token a marker points to ("" when it is gone: the desk must be paired again)."""
    if marker == MARKER_PREFIX + "keyring":
        kr = _keyring()
        if kr is None:
            return ""
        try:
            return kr.get_password(SERVICE, _account(data_dir)) or ""
        except Exception:
            return ""
    if marker == MARKER_PREFIX + "file":
        try:
            return _token_file(data_dir).read_text(encoding="utf-8").strip()
        except OSError:
            return ""
    return ""


def is_marker(value: str) -> bool:
    return value.startswith(MARKER_PREFIX)


def data_dir_of(target: object) -> Path | None:
    """The data folder of a DeskContext, or of the SQLite file behind a sessionmaker."""
    d = getattr(target, "data_dir", None)
    if d is not None:
        return Path(d)
    sessions = getattr(target, "sessions", target)
    bind = getattr(sessions, "kw", {}).get("bind")
    db = getattr(getattr(bind, "url", None), "database", None)
    return Path(db).resolve().parent if db else None


def forget_token(data_dir: Path) -> None:
    """Remove the token kept for `data_dir` (a scratch folder after a rebuild)."""
    kr = _keyring()
    if kr is not None:
        with contextlib.suppress(Exception):
            kr.delete_password(SERVICE, _account(data_dir))
    _token_file(data_dir).unlink(missing_ok=True)
