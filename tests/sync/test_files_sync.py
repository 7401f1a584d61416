"""Digitised files between desks and the central (issue 16): chunked upload after the
events, cut midway by the fault proxy and resumed, checked by hash at the central and on a
second desk of the office; another office cannot fetch them."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from PIL import Image

from app.models import StoredFile
from app.services import digitise
from app.services.digitise import digitise_component, dossier_files, pages_from_files
from app.services.scanning import SaneScanner, ScanOptions
from app.sync.commands import SyncUnavailable, _client_for, connect, sync_once
from app.sync.files import CHUNK, FileDamaged, fetch_dossier_files, fetch_file
from tests.support.central import FaultPlan, FaultProxy, new_desk
from tests.support.maternity import maternity
from tests.support.sane import sane_test_env


def noisy_png(path, side=1400):
    Image.effect_noise((side, side), 120).convert("RGB").save(path, "PNG")
    return path


def central_file(central, sha):
    store = central.app.state.file_store
    return b"".join(store.read(sha, 0))


def test_two_components_scanned_cut_midway_resumed_and_fetched_by_second_desk(
    central, office, tmp_path, monkeypatch
):
    port = int(central.url.rsplit(":", 1)[1])
    with FaultProxy(port, FaultPlan()) as proxy:
        d1 = new_desk(tmp_path / "d1", office_code=office, slot=1)
        d2 = new_desk(tmp_path / "d2", office_code=office, slot=2)
        connect(d1, proxy.url, central.add_desk(office, "Quầy 1").token)
        connect(d2, proxy.url, central.add_desk(office, "Quầy 2").token)
        dossier = maternity(d1)
        # Component 1 from the scanner (SANE test backend), component 2 a large photo.
        scans = SaneScanner(env=sane_test_env(tmp_path / "sane")).scan(
            "test:0", tmp_path / "scan", ScanOptions(dpi=150, pages=2)
        )
        r1 = digitise_component(
            d1, dossier, "BHXH-C06-02", pages_from_files(scans, source="scanner"), ocr=False
        )
        r2 = digitise_component(
            d1,
            dossier,
            "BHXH-C06-03",
            pages_from_files([noisy_png(tmp_path / "cmnd.png")]),
            ocr=False,
        )
        assert r2.size > 4 * CHUNK
        # Events first: a round whose push is cut sends no file.
        proxy.cut_up_at = proxy.bytes_up + 2000
        with pytest.raises(SyncUnavailable):
            sync_once(d1, timeout=10)
        with d1.read() as s:
            assert all(s.get(StoredFile, r.sha256).uploaded_at is None for r in (r1, r2))
        sync_once(d1, documents=False, blocks=False)  # events and the files
        with d1.read() as s:
            assert s.get(StoredFile, r1.sha256).uploaded_at is not None
        # A new component, its upload cut midway through the file.
        r3 = digitise_component(
            d1,
            dossier,
            "BHXH-C06-03",
            pages_from_files([noisy_png(tmp_path / "b.png", 1500)]),
            ocr=False,
        )
        report = sync_once(d1, documents=False, blocks=False, files=False)
        proxy.cut_up_at = proxy.bytes_up + r3.size // 2
        with pytest.raises(SyncUnavailable):
            sync_once(d1, documents=False, blocks=False)
        assert proxy.counts["cut_up"] == 2
        client = _client_for(d1.sessions, 10)
        status = client.raw("GET", f"/files/{r3.sha256}/status").json()
        client.close()
        assert 0 < status["received"] < r3.size and not status["complete"]
        report = sync_once(d1, documents=False, blocks=False)
        # Resumed: only what the central lacked was sent again.
        assert report.files_sent == 1
        assert report.file_bytes_sent == r3.size - status["received"]
        for r in (r1, r2, r3):
            assert hashlib.sha256(central_file(central, r.sha256)).hexdigest() == r.sha256
        # Sent again (a new round): nothing goes up.
        assert sync_once(d1, documents=False, blocks=False).file_bytes_sent == 0

        # The second desk: the events arrive with the pull, the bytes when it opens the dossier.
        sync_once(d2, documents=False, blocks=False)
        with d2.read() as s:
            states = {f.component_code: f.state for f in dossier_files(s, dossier)}
        assert states == {"BHXH-C06-02": "remote", "BHXH-C06-03": "remote"}
        client2 = _client_for(d2.sessions, 10)
        paths = fetch_dossier_files(d2, client2, dossier)
        assert sorted(digitise.sha256_file(p) for p in paths) == sorted([r1.sha256, r3.sha256])
        with d2.read() as s:
            assert {f.state for f in dossier_files(s, dossier)} == {"synced"}
        # A file damaged on the second desk is noticed by its hash and fetched again.
        bad = digitise.store_of(d2).path_for(r1.sha256)
        bad.write_bytes(b"%PDF-1.4 not the scan")
        assert digitise.sha256_file(fetch_file(d2, client2, r1.sha256)) == r1.sha256
        client2.close()


def test_download_resumes_and_a_bad_download_is_refused_by_hash(central, office, tmp_path):
    d1 = new_desk(tmp_path / "d1", office_code=office, slot=1)
    d2 = new_desk(tmp_path / "d2", office_code=office, slot=2)
    connect(d1, central.url, central.add_desk(office, "Quầy 1").token)
    connect(d2, central.url, central.add_desk(office, "Quầy 2").token)
    dossier = maternity(d1)
    r = digitise_component(
        d1,
        dossier,
        "BHXH-C06-03",
        pages_from_files([noisy_png(tmp_path / "a.png", 1000)]),
        ocr=False,
    )
    sync_once(d1, documents=False, blocks=False)
    sync_once(d2, documents=False, blocks=False)
    store2 = digitise.store_of(d2)
    (store2.root / "tmp").mkdir(parents=True, exist_ok=True)
    part = store2.root / "tmp" / f"{r.sha256}.download"
    whole = digitise.store_of(d1).path_for(r.sha256).read_bytes()
    part.write_bytes(whole[: len(whole) // 3])  # a download cut at a third
    client = _client_for(d2.sessions, 10)
    assert digitise.sha256_file(fetch_file(d2, client, r.sha256)) == r.sha256
    # A partial download whose first bytes are wrong: the whole does not hash right.
    store2.path_for(r.sha256).unlink()
    part.write_bytes(b"X" * 1000)
    with pytest.raises(FileDamaged):
        fetch_file(d2, client, r.sha256)
    assert not part.exists() and not store2.has(r.sha256)
    assert digitise.sha256_file(fetch_file(d2, client, r.sha256)) == r.sha256
    client.close()


def test_central_checks_the_hash_on_arrival_and_keeps_offices_apart(central, office, tmp_path):
    other = central.add_office()
    d1 = new_desk(tmp_path / "d1", office_code=office, slot=1)
    connect(d1, central.url, central.add_desk(office, "Quầy 1").token)
    dossier = maternity(d1)
    r = digitise_component(
        d1,
        dossier,
        "BHXH-C06-02",
        pages_from_files([noisy_png(tmp_path / "a.png", 300)]),
        ocr=False,
    )
    sync_once(d1, documents=False, blocks=False)
    outsider = central.add_desk(other, "Quầy khác").token
    with httpx.Client(base_url=central.url, headers={"Authorization": f"Bearer {outsider}"}) as h:
        assert h.get(f"/v1/files/{r.sha256}").status_code == 404
        assert h.get(f"/v1/files/{r.sha256}/status").json()["received"] == 0
        # Bytes that do not hash to the name are thrown away (and not stored).
        fake = "0" * 64
        resp = h.put(f"/v1/files/{fake}", params={"offset": 0, "size": 5}, content=b"hello")
        assert resp.status_code == 422
        assert h.get(f"/v1/files/{fake}/status").json()["received"] == 0
        assert h.get("/v1/files/not-a-hash/status").status_code == 422
        # A chunk at the wrong offset is told where the central is.
        body = b"abcdef"
        sha = hashlib.sha256(body).hexdigest()
        resp = h.put(f"/v1/files/{sha}", params={"offset": 3, "size": 6}, content=body[3:])
        assert resp.status_code == 409 and resp.json()["received"] == 0
        assert (
            h.put(f"/v1/files/{sha}", params={"offset": 0, "size": 6}, content=body[:3]).json()[
                "received"
            ]
            == 3
        )
        done = h.put(f"/v1/files/{sha}", params={"offset": 3, "size": 6}, content=body[3:]).json()
        assert done["complete"]
        assert h.get(f"/v1/files/{sha}").content == body
        assert h.get(f"/v1/files/{sha}", headers={"Range": "bytes=2-"}).content == body[2:]


@pytest.mark.slow
def test_the_pdfa_copy_goes_to_the_central_after_its_plain_file_and_wins_on_another_desk(
    central, office, tmp_path
):
    """The plain PDF (the digitisation at reception) and, later, its PDF/A copy: two
    events, two blobs, both accepted by the central (its schema checks `replaces`); the
    second desk sees and fetches the PDF/A, the component's latest file."""
    if digitise.ocr_program()[0] is None:
        pytest.fail("OCRmyPDF with Tesseract's vie data is needed; .ci/run installs it")
    d1 = new_desk(tmp_path / "d1", office_code=office, slot=1)
    d2 = new_desk(tmp_path / "d2", office_code=office, slot=2)
    connect(d1, central.url, central.add_desk(office, "Quầy 1").token)
    connect(d2, central.url, central.add_desk(office, "Quầy 2").token)
    dossier = maternity(d1)
    png = tmp_path / "p.png"
    Image.new("RGB", (600, 800), "white").save(png)
    plain = digitise_component(d1, dossier, "BHXH-C06-02", pages_from_files([png]))
    assert plain.ocr_pending
    first = sync_once(d1, documents=False, blocks=False)
    assert first.files_sent == 1
    up = digitise.upgrade_to_pdfa(d1, dossier, "BHXH-C06-02", plain.sha256)
    assert up.outcome == "done"
    second = sync_once(d1, documents=False, blocks=False)
    assert second.files_sent == 1  # the PDF/A only: the plain file is there already
    for sha in (plain.sha256, up.sha256):
        assert hashlib.sha256(central_file(central, sha)).hexdigest() == sha
    with d1.read() as s:
        assert all(s.get(StoredFile, x).uploaded_at for x in (plain.sha256, up.sha256))

    sync_once(d2, documents=False, blocks=False)
    with d2.read() as s:
        (f,) = dossier_files(s, dossier)
    assert (f.sha256, f.pdfa, f.state) == (up.sha256, True, "remote")
    client2 = _client_for(d2.sessions, 10)
    (path,) = fetch_dossier_files(d2, client2, dossier)
    client2.close()
    assert digitise.sha256_file(path) == up.sha256
    # The second desk does not make a copy of its own of the first desk's file.
    assert digitise.pending_upgrades(d2) == []
