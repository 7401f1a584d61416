"""Envelope checks kept exact on their fast paths: the event id keeps the form
`str(uuid.UUID(x))` gives for every spelling (the canonical one skips building a UUID
object), and the time range is judged in UTC (converted only near New Year)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from app.models.event_schema import WireEvent

U = uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e")


def _event(event_id: str) -> dict[str, object]:
    return {
        "v": 2,
        "id": event_id,
        "desk_id": "desk-1",
        "desk_seq": 1,
        "office_id": "office-1",
        "dossier_id": "dossier-1",
        "type": "transferred",
        "payload": {},
        "occurred_at": datetime(2026, 3, 2, 1, tzinfo=UTC).isoformat(),
    }


@pytest.mark.parametrize(
    "spelling",
    [str(U), str(U).upper(), U.hex, str(U).replace("a", "A", 1)],
)
def test_every_spelling_reads_as_the_canonical_form(spelling: str) -> None:
    assert WireEvent.model_validate(_event(spelling)).id == str(U)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "not-a-uuid",
        str(U)[:-1],
        str(U) + "0",
        str(U).replace("-", "_"),
        "g" * 32,
        "{" + str(U) + "}",  # longer than the 36 characters of the column
        U.urn,
    ],
)
def test_what_is_not_a_uuid_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        WireEvent.model_validate(_event(bad))


@pytest.mark.parametrize(
    ("written", "ok"),
    [
        ("2000-01-01T00:30:00+07:00", False),  # 1999 in UTC
        ("2000-01-01T07:00:00+07:00", True),
        ("1999-12-31T23:00:00-02:00", True),  # 2000 in UTC
        ("2100-12-31T23:00:00-02:00", False),  # 2101 in UTC
        ("2100-12-31T23:00:00+07:00", True),
        ("2101-01-01T03:00:00+07:00", True),  # 2100 in UTC
        ("2050-06-01T00:00:00+00:00", True),
        ("1999-06-01T00:00:00+00:00", False),
    ],
)
def test_time_range_is_judged_in_utc(written: str, ok: bool) -> None:
    ev = {**_event(str(U)), "occurred_at": written}
    if ok:
        WireEvent.model_validate(ev)
    else:
        with pytest.raises(ValidationError):
            WireEvent.model_validate(ev)
