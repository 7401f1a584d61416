"""A pulled page checked by the lean model and whole-page checks (app.models.event_schema.
parse_pulled_page) gives what PulledEvent gives, event by event: the same events with the
same values, and a page it cannot vouch for is left to PulledEvent (which decides)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from app.models.event_schema import PulledEvent, _PulledLean, parse_pulled_page
from app.sync.commands import SyncReport, _parse_page

AT = datetime(2026, 3, 2, 1, 2, 3, 456789, tzinfo=UTC)


def _event(**change: Any) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "v": 2,
        "id": str(uuid.uuid4()),
        "desk_id": str(uuid.uuid4()),
        "desk_seq": 7,
        "office_id": str(uuid.uuid4()),
        "dossier_id": str(uuid.uuid4()),
        "type": "transferred",
        "payload": {"note": "Trần Thị Ánh"},
        "officer_id": str(uuid.uuid4()),
        "occurred_at": AT.isoformat(),
        "recorded_at": AT.isoformat(),
        "server_seq": 12,
        "server_received_at": (AT + timedelta(seconds=2)).isoformat(),
    }
    ev.update(change)
    return {k: v for k, v in ev.items() if v is not ...}


def _reference(page: list[Any]) -> tuple[list[dict[str, Any]], int]:
    """PulledEvent on each event: the ones it accepts, and how many it refuses."""
    ok, bad = [], 0
    for raw in page:
        try:
            ok.append(PulledEvent.model_validate(raw).model_dump())
        except ValidationError:
            bad += 1
    return ok, bad


NOT_NFC = "Tra\u0302\u0300n"  # "Trần" decomposed
CASES = {
    "plain": {},
    "no officer, no recorded time": {"officer_id": None, "recorded_at": ...},
    "id upper case": {"id": "0F8FAD5B-D9CB-469F-A165-70867728950E"},
    "id without hyphens": {"id": "0f8fad5bd9cb469fa16570867728950e"},
    "id not a UUID": {"id": "not-a-uuid"},
    "control character": {"desk_id": "desk\x01"},
    "newline in a line": {"dossier_id": "dossier\n1"},
    "lone surrogate": {"office_id": "office\ud800"},
    "NFC non-ASCII": {"officer_id": "Trần"},
    "not NFC": {"dossier_id": NOT_NFC},
    "too long": {"desk_id": "d" * 37},
    "empty": {"office_id": ""},
    "naive time": {"occurred_at": "2026-03-02T01:02:03"},
    "naive recorded time": {"recorded_at": "2026-03-02T01:02:03"},
    "year 2000 in UTC": {"occurred_at": datetime(2000, 1, 1, 3, tzinfo=UTC).isoformat()},
    "year 1999 in UTC": {
        "occurred_at": datetime(2000, 1, 1, 3, tzinfo=timezone(timedelta(hours=7))).isoformat()
    },
    "year 2100 in UTC": {"recorded_at": datetime(2100, 12, 31, 23, tzinfo=UTC).isoformat()},
    "year 2101 in UTC": {
        "recorded_at": datetime(2100, 12, 31, 20, tzinfo=timezone(-timedelta(hours=5))).isoformat()
    },
    "offset +07:00": {"occurred_at": AT.astimezone(timezone(timedelta(hours=7))).isoformat()},
    "unknown type": {"type": "teleported"},
    "bad sequence": {"desk_seq": 0},
    "missing dossier": {"dossier_id": ...},
    "extra field": {"colour": "blue"},
    "not an object": None,
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_page_reads_as_pulled_event_reads_it(name: str) -> None:
    change = CASES[name]
    page = [_event(), _event() if change is None else _event(**change), _event()]
    if change is None:
        page[1] = "not an event"
    expected, refused = _reference(page)
    plain = parse_pulled_page(page)
    if plain is not None:  # vouched for: exactly what PulledEvent gives, nothing refused
        assert refused == 0 and [e.model_dump() for e in plain] == expected
    report = SyncReport()
    assert [e.model_dump() for e in _parse_page(page, report)] == expected
    assert report.projection_errors == refused


def test_a_plain_page_takes_the_lean_path() -> None:
    page = [_event(), _event(officer_id=None, recorded_at=...), _event(type="received")]
    assert parse_pulled_page(page) is not None


def test_the_lean_model_keeps_every_constraint_of_pulled_event() -> None:
    """Only the Python checks differ (they do not show in the JSON schema): every type,
    length and range bound, default and required field is PulledEvent's."""
    full, lean = PulledEvent.model_json_schema(), _PulledLean.model_json_schema()
    for schema in (full, lean):
        schema.pop("title"), schema.pop("description")
    assert lean == full
