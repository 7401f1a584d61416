"""Errors that carry a message a person can act on, per field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: shown next to that field in the UI, or in an API reason."""

    field: str
    code: str
    message: str


class ValidationFailed(Exception):
    """Raised by a use case when its input is not acceptable; nothing was written."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))

    def for_field(self, field: str) -> list[FieldError]:
        return [e for e in self.errors if e.field == field]


class DomainError(Exception):
    """A rule forbids the action (wrong state, already rescheduled ...); message is translated."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)
