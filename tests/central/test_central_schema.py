"""schemathesis against the served OpenAPI schema: no answer is a 5xx."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")


@pytest.mark.slow
def test_openapi_fuzz_never_5xx(central, office):
    from hypothesis import HealthCheck, given, settings

    token = central.add_desk(office, "Fuzz").token
    schema = schemathesis.openapi.from_url(central.url + "/openapi.json")
    failures: list[str] = []

    def check(op) -> None:
        @settings(
            max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(case=op.as_strategy())
        def run(case):
            for headers in ({"Authorization": f"Bearer {token}"}, {}):
                response = case.call(base_url=central.url, headers=headers, timeout=30)
                if response.status_code >= 500:
                    failures.append(f"{op.label} {response.status_code} {case.body!r}"[:300])

        run()

    for op_result in schema.get_all_operations():
        check(op_result.ok())
    assert not failures, failures[:5]
