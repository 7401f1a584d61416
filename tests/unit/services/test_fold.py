"""The fold is one pure function: prior state + event + explicit lookup -> new state.

No database here at all: if the fold read a session (or the clock) these tests could not run.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from app.domain.errors import DomainError
from app.services.projection import (
    FoldLookup,
    UnknownProcedure,
    fold_event,
    fold_events,
)
from tests.support.central import received_payload

LOOKUP = FoldLookup(
    versions={("1.001", "2025.1"): "pv-2025"},
    current={"1.001": "pv-2026"},
    offices={"office-1"},
)


def _ev(type_: str, payload: dict[str, Any] | None = None, **kw: Any) -> SimpleNamespace:
    return SimpleNamespace(
        type=type_,
        payload=payload or {},
        dossier_id=kw.get("dossier_id", "d-1"),
        office_id=kw.get("office_id", "office-1"),
        desk_id="desk-1",
        officer_id="officer-1",
        occurred_at=kw.get("at", datetime(2026, 3, 2, 8, 0, tzinfo=UTC)),
    )


def _received(version: str = "2025.1", **kw: Any) -> SimpleNamespace:
    when = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    p = received_payload(
        "000.00.31.H56-260302-0001", 1, catalogue_version=version, procedure_code="1.001", when=when
    )
    p["applicant"]["full_name"] = "Nguyễn Thị Hoa"
    return _ev("received", p, **kw)


def test_a_dossier_folds_without_any_database() -> None:
    d = fold_events(
        [
            _received(),
            _ev("transferred"),
            _ev("appointment_changed", {"new_due_date": "2026-05-01", "reason": "x"}),
            _ev("result_ready"),
            _ev("posted", {"consignment_no": "EB123456789VN"}),
        ],
        LOOKUP,
    )
    assert d is not None
    assert d["status"] == "returned" and d["return_method"] == "post"
    assert d["procedure_version_id"] == "pv-2025"
    assert d["due_date"] == date(2026, 5, 1) and d["rescheduled"] is True
    assert d["original_due_date"] == date(2026, 4, 11)
    assert d["name_fold"] == "nguyen thi hoa" and d["event_count"] == 5
    assert [c["component_code"] for c in d["components"]] == ["1.001-01"]
    assert d["conflict"] is False


def test_the_prior_state_is_left_as_it_was() -> None:
    created = fold_event(None, _received(), LOOKUP, remote=False)
    kept = copy.deepcopy(created)
    after = fold_event(created, _ev("refused", {"reason": "Sai thẩm quyền"}), LOOKUP, remote=True)
    assert created == kept
    assert after is not created and after["note"] == "Sai thẩm quyền"


def test_lookup_is_explicit_unknown_version_falls_back_then_fails() -> None:
    # A version this desk lacks: the procedure's current one, the row keeps its string.
    d = fold_event(None, _received("2027.9"), LOOKUP, remote=True)
    assert d["procedure_version_id"] == "pv-2026" and d["catalogue_version"] == "2027.9"
    with pytest.raises(UnknownProcedure):
        fold_event(None, _received(), FoldLookup(), remote=True)
    with pytest.raises(DomainError, match="office"):
        fold_event(None, _received(office_id="elsewhere"), LOOKUP, remote=True)


def test_local_lifecycle_breach_raises_remote_one_is_flagged() -> None:
    d = fold_events([_received(), _ev("transferred"), _ev("result_ready"), _ev("returned")], LOOKUP)
    twice = _ev("feedback_given", {"scores": {}})
    d = fold_event(d, twice, LOOKUP, remote=False)
    with pytest.raises(DomainError):
        fold_event(d, twice, LOOKUP, remote=False)
    flagged = fold_event(d, twice, LOOKUP, remote=True)
    assert flagged["conflict"] is True and d["conflict"] is False
    # A change before its dossier: nothing to fold into.
    with pytest.raises(DomainError):
        fold_event(None, _ev("transferred"), LOOKUP, remote=True)
    assert fold_events([_ev("transferred"), _received()], LOOKUP) is not None
