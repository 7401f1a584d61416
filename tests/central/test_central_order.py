"""The pull cursor never skips a late commit, with many writers committing at once."""

from __future__ import annotations

import random
import threading
import time
import uuid
from datetime import UTC, date, datetime

import pytest

from app.central import admin
from app.central.db import open_central
from app.central.service import authenticate, pull_events, push_events
from app.domain.dossier_code import format_code
from tests.support.central import received_payload, unique_office_code


@pytest.mark.slow
@pytest.mark.postgres
def test_no_event_skipped_with_concurrent_out_of_order_commits(pg_url):
    engine, sessions = open_central(pg_url)
    code = unique_office_code()
    with sessions.begin() as s:
        admin.add_office(s, code, "Một cửa")
        issued = [admin.add_desk(s, code, f"Quầy {i}") for i in range(1, 9)]
        from app.central.documents import seed_bundled

        seed_bundled(s)
    with sessions() as s:
        callers = [authenticate(s, d.token) for d in issued]
        from sqlalchemy import select

        from app.models import CatalogueRelease

        version = s.scalars(select(CatalogueRelease.version)).first()
    writers, batches, per_batch = len(callers), 12, 5
    total = writers * batches * per_batch
    numbers = iter(range(1, 9000))
    numbers_lock = threading.Lock()
    stop = threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def writer(k: int) -> None:
        rng = random.Random(k)
        caller = callers[k]
        try:
            for b in range(batches):
                events = []
                for j in range(per_batch):
                    with numbers_lock:
                        n = next(numbers)
                    events.append(
                        {
                            "id": str(uuid.uuid4()),
                            "desk_id": caller.desk_id,
                            "desk_seq": b * per_batch + j + 1,
                            "office_id": caller.office_id,
                            "dossier_id": str(uuid.uuid4()),
                            "type": "received",
                            "payload": received_payload(
                                format_code(code, date(2026, 11, 17), n),
                                n,
                                catalogue_version=version,
                            ),
                            "officer_id": None,
                            "occurred_at": datetime.now(UTC),
                        }
                    )
                with sessions.begin() as s:
                    results = push_events(s, caller, events)
                    assert all(r.status == "accepted" for r in results), results
                    # Hold the transaction open a random while: commits land late and,
                    # without the per-office lock, out of numbering order.
                    time.sleep(rng.uniform(0, 0.02))
        except BaseException as exc:
            errors.append(exc)

    def reader() -> None:
        after = 0
        while True:
            done = stop.is_set()  # read before the pull: an empty page after this is final
            with sessions() as s:
                page, after, _more = pull_events(s, callers[0], after, 7)
            seen.extend(e["server_seq"] for e in page)
            if done and not page:
                return
            time.sleep(0.001)

    r = threading.Thread(target=reader)
    r.start()
    ws = [threading.Thread(target=writer, args=(k,)) for k in range(writers)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
    stop.set()
    r.join()
    engine.dispose()
    assert not errors, errors
    assert seen == list(range(1, total + 1))
