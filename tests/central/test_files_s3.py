"""The central's digitised files in an S3-compatible object store (issue 16): moto's
server mode on loopback is the real S3 endpoint here (HTTP, boto3), not a mock in-process."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from PIL import Image

from app.central import admin
from app.central.api import create_app
from app.central.blobs import S3Store
from app.domain.applicant import Applicant
from app.domain.completeness import HandedIn
from app.services import digitise, intake
from app.sync.commands import _client_for, connect, sync_once
from app.sync.files import fetch_dossier_files
from tests.support.central import ServerThread, free_port, new_desk

moto_server = pytest.importorskip("moto.server")


@pytest.fixture
def s3(monkeypatch):
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=url)
    client.create_bucket(Bucket="onestop-files")
    yield url, client
    server.stop()


def test_files_through_an_s3_compatible_store(s3, tmp_path):
    url, client = s3
    store = S3Store(url, "onestop-files")
    app = create_app(f"sqlite:///{tmp_path / 'central.sqlite3'}", files=store)
    office = "S3T.01.31.H56"
    with app.state.sessions.begin() as s:
        admin.add_office(s, office, "Một cửa S3")
    with ServerThread(app) as server:
        tokens = []
        for n in (1, 2):
            with app.state.sessions.begin() as s:
                tokens.append(admin.add_desk(s, office, f"Quầy {n}", n).token)
        d1 = new_desk(tmp_path / "d1", office_code=office, slot=1)
        d2 = new_desk(tmp_path / "d2", office_code=office, slot=2)
        connect(d1, server.url, tokens[0])
        connect(d2, server.url, tokens[1])
        mother = Applicant(
            full_name="Lê Thị Mai",
            id_number="001194123457",
            date_of_birth=date(1994, 3, 2),
            sex="F",
        )
        req = intake.IntakeRequest(
            "BHXH-C06",
            mother,
            (HandedIn("BHXH-C06-02", "original", 1),),
            conditions={"BHXH-C06-01": False, "BHXH-C06-02": True, "BHXH-C06-03": False},
            filer="worker",
        )
        dossier = intake.submit(d1, req).dossier_id
        png = tmp_path / "a.png"
        Image.effect_noise((1200, 1200), 100).convert("RGB").save(png)
        r = digitise.digitise_component(
            d1, dossier, "BHXH-C06-02", digitise.pages_from_files([png]), ocr=False
        )
        assert r.size > 1024 * 1024  # several chunks, joined in the bucket
        report = sync_once(d1, documents=False, blocks=False)
        assert report.files_sent == 1
        body = client.get_object(Bucket="onestop-files", Key=f"files/{r.sha256}")["Body"].read()
        assert hashlib.sha256(body).hexdigest() == r.sha256
        left = client.list_objects_v2(Bucket="onestop-files", Prefix="partial/")
        assert left.get("KeyCount", 0) == 0  # the chunks are gone once joined
        sync_once(d2, documents=False, blocks=False)
        c2 = _client_for(d2.sessions, 10)
        (path,) = fetch_dossier_files(d2, c2, dossier)
        c2.close()
        assert digitise.sha256_file(path) == r.sha256
