"""Where the desk keeps its data, and the settings every layer reads, declared once.

The data folder is per machine-user from platformdirs unless `--data-dir` or
`ONESTOP_DATA_DIR` says otherwise (IT may point it at a per-machine folder).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "onestop"
APP_AUTHOR = "onestop"
DB_FILENAME = "desk.sqlite3"
ENV_DATA_DIR = "ONESTOP_DATA_DIR"


def default_data_dir() -> Path:
    import platformdirs  # only when no folder is given: kept off the start-up path

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """`--data-dir`, then `ONESTOP_DATA_DIR`, then the per-user data folder."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its key, default (as text, the way it is stored) and why it exists."""

    key: str
    default: str
    doc: str


SETTINGS: dict[str, SettingSpec] = {
    s.key: s
    for s in (
        SettingSpec("ui.language", "vi", "Language of the screens and documents (vi or en)."),
        SettingSpec(
            "intake.cutoff",
            "15:00",
            "Dossiers received after this time count from the next working day "
            "(Decree 61/2018 Art. 18; provinces differ). Empty disables the rule.",
        ),
        SettingSpec(
            "calendar.saturday_is_workday",
            "0",
            "Count Saturdays as working days for time limits (assume not, domain.md §6).",
        ),
        SettingSpec(
            "security.idle_lock_minutes",
            "10",
            "Lock the screen after this many idle minutes, 0..240 (0: never). The one lock "
            "time of the desk; the window's old per-user 'lock_minutes' is carried into it.",
        ),
        SettingSpec("print.direct", "0", "Print receipts straight to the default printer."),
        SettingSpec("print.receipt_copies", "1", "Copies of form 01 (1, or 2: Liên 1 / Liên 2)."),
        SettingSpec("scanner.serial_port", "", "Serial port of a scanner in USB-COM mode."),
        SettingSpec("sync.central_url", "", "Address of the central service, once paired."),
        SettingSpec("sync.token", "", "This desk's token for the central service."),
        SettingSpec(
            "backup.second_dir",
            "",
            "A second place for backups an administrator chose (USB stick, network share).",
        ),
        SettingSpec(
            "backup.every_hours", "4", "Back up while the window is open every N hours."
        ),
        SettingSpec(
            "guard.max_unsynced_dossiers",
            "2000",
            "A paired desk holding this many unsynced dossiers stops intake until a sync "
            "succeeds or a supervisor overrides (0: no limit). Weeks of a busy counter.",
        ),
        SettingSpec(
            "guard.max_offline_hours",
            "168",
            "A paired desk without a good sync for this long stops intake until one succeeds "
            "or a supervisor overrides (0: no limit). A week: an outage of a few days never "
            "stops a counter.",
        ),
        SettingSpec(
            "guard.revoked_grace_hours",
            "24",
            "After the central refused this desk's token, receipts stop after this long.",
        ),
        SettingSpec(
            "digitise.max_page_mb",
            "20",
            "Largest page a digitised component may have, in MB (a 300 dpi A4 colour PNG is "
            "about 10 MB).",
        ),
        SettingSpec(
            "digitise.max_dossier_mb",
            "200",
            "Largest total of a dossier's digitised files, in MB.",
        ),
        SettingSpec(
            "digitise.ocr",
            "1",
            "Make each digitised component a PDF/A with a Vietnamese text layer when OCRmyPDF "
            "and Tesseract's Vietnamese data are installed (0: always a plain PDF; OCR takes "
            "a few seconds a page).",
        ),
        SettingSpec("desk.id", "", "The id of this desk (set when the desk is set up)."),
        SettingSpec("desk.office_id", "", "The office this desk belongs to."),
    )
}
