"""Printed documents of the one-stop desk, rendered to PDF bytes (no Qt, no database).

The services layer builds the `data` values; the UI previews and prints the bytes.
"""

from app.print.data import (
    CIRCULAR_01_2018,
    CIRCULAR_03_2025,
    FORM_ROLES,
    FORM_SETS,
    ApologyDoc,
    ComponentLine,
    ControlSheetDoc,
    DossierDoc,
    FormSet,
    FormTitle,
    Handover,
    LogBookDoc,
    LogBookEntry,
    OfficeInfo,
    RefusalDoc,
    StopNoticeDoc,
    SupplementDoc,
    form_set_for,
)
from app.print.forms import (
    render_apology,
    render_control_sheet,
    render_refusal,
    render_stop_notice,
    render_supplement,
)
from app.print.logbook import render_logbook
from app.print.receipt import render_receipt, render_receipt_80mm

__all__ = [
    "CIRCULAR_01_2018",
    "CIRCULAR_03_2025",
    "FORM_ROLES",
    "FORM_SETS",
    "ApologyDoc",
    "ComponentLine",
    "ControlSheetDoc",
    "DossierDoc",
    "FormSet",
    "FormTitle",
    "Handover",
    "LogBookDoc",
    "LogBookEntry",
    "OfficeInfo",
    "RefusalDoc",
    "StopNoticeDoc",
    "SupplementDoc",
    "form_set_for",
    "render_apology",
    "render_control_sheet",
    "render_logbook",
    "render_receipt",
    "render_receipt_80mm",
    "render_refusal",
    "render_stop_notice",
    "render_supplement",
]
