"""Uploaded materials are judged by their whole content, and kept readable by the backend only."""

import io
import stat
import uuid

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.models import Material
from tests.conftest import customer_headers
from tests.files import JPEG, PDF, PNG

API = "/api/v1"


@pytest.fixture
def appeal(client):
    headers = customer_headers(client, "li_si")
    created = client.post(
        f"{API}/me/appeals",
        json={"product": "jiebei", "statement": "换工作是因为公司搬迁"},
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    return headers, created.json()["number"]


def upload(client, headers, number, content, name="photo.png", kind="income_proof"):
    return client.post(
        f"{API}/me/appeals/{number}/materials",
        data={"kind": kind},
        files={"file": (name, content, "image/png")},
        headers=headers,
    )


def png_of(width: int, height: int, mode: str = "1") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


DISGUISED = {
    "png header then a page": PNG[:16] + b"<html><script>alert(1)</script></html>",
    "png then a script": PNG + b"<SCRIPT src=//evil.example/x.js></SCRIPT>",
    "jpeg then a page": JPEG + b"<!DOCTYPE html><p>hi",
    "truncated png": PNG[: len(PNG) // 2],
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "pdf without its trailer": PDF.replace(b"%%EOF", b""),
    "pdf header then a page": b"%PDF-1.7\n<html><body>hi</body></html>\n%%EOF\n",
    "pdf header alone": b"%PDF-\n%%EOF",
    "png of 56 megapixels": png_of(8000, 7000),
}


@pytest.mark.parametrize("content", DISGUISED.values(), ids=DISGUISED.keys())
def test_files_that_are_not_what_they_claim_are_refused_and_not_stored(client, db, app_settings, appeal, content):
    headers, number = appeal
    response = upload(client, headers, number, content)
    assert response.status_code == 415 and response.json()["code"] == "unsupported_file_type"
    assert db.scalar(select(func.count()).select_from(Material).where(Material.stored_path.like(f"{number}/%"))) == 0
    leftovers = [
        p for p in app_settings.upload_dir.rglob("*") if p.is_file() and (number in p.parts or ".incoming" in p.parts)
    ]
    assert leftovers == []


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(JPEG, "image/jpeg"), (PNG, "image/png"), (png_of(640, 480, "RGB"), "image/png"), (PDF, "application/pdf")],
)
def test_real_files_are_kept_owner_only(client, app_settings, appeal, content, content_type):
    headers, number = appeal
    response = upload(client, headers, number, content, name="scan.bin")
    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == content_type
    stored = [p for p in (app_settings.upload_dir / number).iterdir()]
    assert [p.read_bytes() for p in stored] == [content]
    assert stat.S_IMODE(stored[0].stat().st_mode) == 0o600
    for folder in (app_settings.upload_dir, app_settings.upload_dir / number, app_settings.upload_dir / ".incoming"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_the_kinds_accepted_are_exactly_the_published_enum(client, appeal):
    headers, number = appeal
    schema = client.get(f"{API}/openapi.json").json()
    form = schema["paths"]["/api/v1/me/appeals/{number}/materials"]["post"]["requestBody"]["content"]
    published = form["multipart/form-data"]["schema"]["properties"]["kind"]["enum"]
    assert "employment_proof" in published and "phone_real_name_proof" in published
    for kind in published:
        assert upload(client, headers, number, PDF, name="a.pdf", kind=kind).status_code == 201, kind
    refused = upload(client, headers, number, PDF, name="a.pdf", kind="selfie_with_cat")
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["body", "kind"]


def test_fields_beyond_kind_and_file_are_refused(client, appeal):
    headers, number = appeal
    response = client.post(
        f"{API}/me/appeals/{number}/materials",
        data={"kind": "income_proof", "owner": "someone else"},
        files={"file": ("a.pdf", PDF, "application/pdf")},
        headers=headers,
    )
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", "owner"]
    assert client.get(f"{API}/me/appeals/{number}/materials", headers=headers).json() == []
