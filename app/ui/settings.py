"""The window's own settings (per user, QSettings), declared once with their defaults.

Desk-wide settings (language, cut-off time, central address) live in the desk database and
are read through the services; these are the officer's screen preferences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings


@dataclass(frozen=True)
class UiSetting:
    key: str
    default: Any
    doc: str


UI_SETTINGS: dict[str, UiSetting] = {
    s.key: s
    for s in (
        UiSetting("print_direct", False, "Print straight to the default printer, no dialog."),
        UiSetting("printer", "", "Print queue for the forms, by name; empty: the default."),
        UiSetting("serial_port", "", "Serial port of a scanner in virtual-COM mode."),
        UiSetting("scan_max_interval_ms", 35, "A scanner types faster than this per key."),
        UiSetting("font_point_size", 11, "Base font size for readability at the counter."),
    )
}


class UiSettings:
    """Typed access to UI_SETTINGS over a QSettings store (tests pass their own file)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings()

    def get(self, key: str) -> Any:
        spec = UI_SETTINGS[key]
        value = self.store.value(key, spec.default)
        if isinstance(spec.default, bool):
            return value in (True, "true", "1", 1)
        if isinstance(spec.default, int):
            try:
                return int(value)  # type: ignore[call-overload]  # TypeError handled
            except (TypeError, ValueError):
                return spec.default
        return str(value) if value is not None else spec.default

    def set(self, key: str, value: Any) -> None:
        assert key in UI_SETTINGS, key
        self.store.setValue(key, value)

    def take_legacy(self, key: str) -> Any:
        """A value an older version kept here (and no longer declared): removed as it is
        read, so it is carried over once. None when there is none."""
        if key in UI_SETTINGS or not self.store.contains(key):
            return None
        value = self.store.value(key)
        self.store.remove(key)
        return value

    def geometry(self, name: str) -> Any:
        return self.store.value(f"geometry/{name}")

    def save_geometry(self, name: str, data: Any) -> None:
        self.store.setValue(f"geometry/{name}", data)
