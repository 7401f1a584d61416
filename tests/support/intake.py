"""The plainest intake there is: one citizen, one component, received.

Tests use it to show that a desk still takes the next citizen after whatever they did to
its database (a bulk seed, copied offices, a restored block of codes).
"""

from __future__ import annotations

from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.services import intake
from app.services.context import DeskContext


def receive_next_citizen(ctx: DeskContext) -> intake.IntakeResult:
    """Receive a complete BHXH-E02 dossier for one applicant through the use case."""
    return intake.submit(
        ctx,
        intake.IntakeRequest(
            "BHXH-E02",
            Applicant(full_name="Lê Văn Tám"),
            (HandedIn("BHXH-E02-01", "original", 1),),
        ),
    )
