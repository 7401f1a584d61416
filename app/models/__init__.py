"""ORM models shared by the desk and the central store (see DESIGN.md "Parts")."""

from app.models.base import Base, new_id, utcnow
from app.models.catalogue import (
    CalendarDay,
    CatalogueRelease,
    Component,
    Procedure,
    ProcedureVersion,
)
from app.models.dossier import (
    Dossier,
    DossierComponent,
    DossierDayTotal,
    DossierMonthTotal,
    EventDayTotal,
    EventProcedureDayTotal,
)
from app.models.events import CodeBlock, Event, Outbox, Setting
from app.models.files import StoredFile
from app.models.org import Desk, Office, Officer
from app.models.postal import PostalBatch, PostalItem

__all__ = [
    "Base",
    "CalendarDay",
    "CatalogueRelease",
    "CodeBlock",
    "Component",
    "Desk",
    "Dossier",
    "DossierComponent",
    "DossierDayTotal",
    "DossierMonthTotal",
    "Event",
    "EventDayTotal",
    "EventProcedureDayTotal",
    "Office",
    "Officer",
    "Outbox",
    "PostalBatch",
    "PostalItem",
    "Procedure",
    "ProcedureVersion",
    "Setting",
    "StoredFile",
    "new_id",
    "utcnow",
]
