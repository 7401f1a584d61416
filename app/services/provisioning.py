"""`provisioning.json`: the central address and desk token IT leaves for the first start.

The Windows installer writes it (`/CENTRAL=… /TOKEN=…`, docs/installer.md); IT may also
drop it in by hand. The first run pre-fills the pairing from it, and the file is deleted
once the desk is paired, because it holds a secret.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
FILENAME = "provisioning.json"


@dataclass(frozen=True)
class Provisioning:
    central_url: str
    desk_token: str


def read_provisioning(data_dir: Path | None) -> Provisioning | None:
    """The values in the file, or None when there is no usable file (never raises)."""
    if data_dir is None:
        return None
    path = data_dir / FILENAME
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable %s: %s", FILENAME, type(exc).__name__)
        return None
    if not isinstance(data, dict) or data.get("format") != 1:
        log.warning("ignoring %s of an unknown format", FILENAME)
        return None
    raw_url, raw_token = data.get("central_url"), data.get("desk_token")
    url = raw_url if isinstance(raw_url, str) else ""
    token = raw_token if isinstance(raw_token, str) else ""
    if not (url or token):
        return None
    return Provisioning(url.strip(), token.strip())


def consume_provisioning(data_dir: Path | None) -> None:
    """Delete the file after a successful pairing."""
    if data_dir is not None:
        (data_dir / FILENAME).unlink(missing_ok=True)
