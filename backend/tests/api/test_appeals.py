"""Filing appeals, uploading materials, and every way of getting it wrong."""

import hashlib
import uuid

import pytest
from sqlalchemy import func, select

from app.models import Appeal, Material
from tests.conftest import customer_headers
from tests.files import EXECUTABLE, JPEG, PDF, PNG

API = "/api/v1"
STATEMENT = "我现在在一家公司稳定工作了 8 个月，之前换工作是因为公司搬迁。"


def file_appeal(client, headers, product="jiebei", statement=STATEMENT, key=None):
    return client.post(
        f"{API}/me/appeals",
        json={"product": product, "statement": statement},
        headers={**headers, "Idempotency-Key": key or str(uuid.uuid4())},
    )


def upload(client, headers, number, kind, name, content, content_type="application/octet-stream"):
    return client.post(
        f"{API}/me/appeals/{number}/materials",
        data={"kind": kind},
        files={"file": (name, content, content_type)},
        headers=headers,
    )


def test_li_si_files_an_appeal_with_two_files_and_reads_them_back(client, app_settings):
    headers = customer_headers(client, "li_si")
    created = file_appeal(client, headers)
    assert created.status_code == 201, created.text
    appeal = created.json()
    assert appeal["number"].startswith("AP-") and appeal["status"] == "submitted"
    assert appeal["reason_code"] == "UNSTABLE_EMPLOYMENT" and appeal["reason_title"] == "工作和收入稳定性不足"
    assert [m["kind"] for m in appeal["required_materials"]] == ["employment_proof", "income_proof"]
    assert appeal["review_days"] == 3 and appeal["review_time"] == "3 个工作日"

    first = upload(client, headers, appeal["number"], "employment_proof", "在职证明.pdf", PDF)
    second = upload(client, headers, appeal["number"], "income_proof", "salary.png", PNG, "image/png")
    assert first.status_code == 201 and second.status_code == 201, (first.text, second.text)
    assert first.json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert first.json()["content_type"] == "application/pdf" and first.json()["size"] == len(PDF)
    assert first.json()["file_name"] == "在职证明.pdf"

    listed = client.get(f"{API}/me/appeals/{appeal['number']}/materials", headers=headers).json()
    assert [(m["kind"], m["file_name"]) for m in listed] == [
        ("employment_proof", "在职证明.pdf"),
        ("income_proof", "salary.png"),
    ]
    again = client.get(f"{API}/me/appeals/{appeal['number']}?lang=en", headers=headers).json()
    assert again["status"] == "in_review"  # both required materials are in
    assert [s["status"] for s in again["timeline"]] == ["submitted", "in_review"]
    assert again["timeline"][1]["note"] == "All materials received; a reviewer will decide within 3 working days"
    assert again["review_time"] == "3 working days"
    stored = list((app_settings.upload_dir / appeal["number"]).iterdir())
    assert sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in stored) == sorted(
        [hashlib.sha256(PDF).hexdigest(), hashlib.sha256(PNG).hexdigest()]
    )

    diagnosis = client.get(f"{API}/me/diagnosis?product=jiebei", headers=headers).json()
    assert diagnosis["status"] == "under_review"
    assert diagnosis["open_appeal"]["number"] == appeal["number"] and diagnosis["appealable"] is False
    assert [a["number"] for a in client.get(f"{API}/me/appeals", headers=headers).json()] == [
        appeal["number"]
    ]


def test_same_idempotency_key_returns_the_same_appeal(client, db):
    headers = customer_headers(client, "li_si")
    key = str(uuid.uuid4())
    first = file_appeal(client, headers, key=key)
    second = file_appeal(client, headers, key=key)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["number"] == second.json()["number"]
    assert (
        db.scalar(select(func.count()).select_from(Appeal).where(Appeal.product_code == "jiebei")) == 2
    )  # + Zheng Yi's


def test_second_appeal_for_the_same_product_is_refused(client):
    headers = customer_headers(client, "li_si")
    assert file_appeal(client, headers).status_code == 201
    again = file_appeal(client, headers)
    assert again.status_code == 409 and again.json()["code"] == "appeal_already_open"
    zheng = file_appeal(client, customer_headers(client, "zheng_yi"))
    assert zheng.status_code == 409 and zheng.json()["code"] == "appeal_already_open"


@pytest.mark.parametrize(
    "who, product",
    [("sun_ba", "jiebei"), ("emily", "huabei"), ("li_si", "huabei"), ("zhao_liu", "huabei")],
)
def test_nothing_appealable_gives_409(client, db, who, product):
    response = file_appeal(client, customer_headers(client, who), product=product)
    assert response.status_code == 409 and response.json()["code"] == "not_appealable"
    expected = "There is no refusal" if who == "emily" else "没有可以申诉"  # Emily prefers English
    assert expected in response.json()["message"]


def test_unknown_product_gives_404(client):
    response = file_appeal(client, customer_headers(client, "li_si"), product="yuebao")
    assert response.status_code == 404 and response.json()["code"] == "unknown_product"


def test_statement_rules(client, db):
    headers = customer_headers(client, "li_si")
    too_long = file_appeal(client, headers, statement="长" * 2001)
    assert too_long.status_code == 413 and too_long.json()["code"] == "statement_too_long"
    long = file_appeal(client, {**headers, "Accept-Language": "en"}, statement="x" * 50_000)
    assert long.status_code == 413 and "2000" in long.json()["message"] and long.json()["max_length"] == 2000
    assert len(long.text) < 1000  # the 50 KB input is not echoed back
    huge = file_appeal(client, {**headers, "Accept-Language": "en"}, statement="x" * 100_000)
    assert huge.status_code == 413 and huge.json()["code"] == "request_too_large"  # over MAX_BODY_KB
    for short in ("", "四个字符"):
        too_short = file_appeal(client, {**headers, "Accept-Language": "en"}, statement=short)
        assert too_short.status_code == 422 and too_short.json()["code"] == "statement_too_short"
        assert too_short.json()["message"] == "Please write a statement of 5 to 2000 characters."
    assert client.get(f"{API}/me/appeals", headers=headers).json() == []
    assert file_appeal(client, headers, statement="长" * 2000).status_code == 201


def test_idempotency_key_is_required(client):
    response = client.post(
        f"{API}/me/appeals",
        json={"product": "jiebei", "statement": STATEMENT},
        headers=customer_headers(client, "li_si"),
    )
    assert response.status_code == 422
    assert ["header", "idempotency-key"] in [e["loc"] for e in response.json()["errors"]]


def test_another_customers_appeal_is_not_found_without_a_hint(client):
    li_si = customer_headers(client, "li_si")
    number = file_appeal(client, li_si).json()["number"]
    zhang = customer_headers(client, "zhang_san")
    for response in (
        client.get(f"{API}/me/appeals/{number}", headers=zhang),
        client.get(f"{API}/me/appeals/{number}/materials", headers=zhang),
        upload(client, zhang, number, "income_proof", "a.pdf", PDF),
        client.get(f"{API}/me/appeals/AP-19990101-9999", headers=zhang),
    ):
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "没有找到相关记录。"}
    assert client.get(f"{API}/me/appeals", headers=zhang).json() == []


def test_upload_refusals_leave_nothing_behind(client, db, app_settings):
    headers = customer_headers(client, "li_si")
    number = file_appeal(client, headers).json()["number"]

    disguised = upload(client, headers, number, "income_proof", "photo.jpg", EXECUTABLE, "image/jpeg")
    assert disguised.status_code == 415 and disguised.json()["code"] == "unsupported_file_type"
    too_big = upload(client, headers, number, "income_proof", "big.jpg", JPEG + b"\0" * (10 * 1024 * 1024))
    assert too_big.status_code == 413 and too_big.json()["code"] == "file_too_large"
    assert too_big.json()["max_mb"] == 10
    unknown_kind = upload(client, headers, number, "selfie_with_cat", "a.pdf", PDF)
    assert unknown_kind.status_code == 422 and unknown_kind.json()["code"] == "validation_error"
    no_file = client.post(
        f"{API}/me/appeals/{number}/materials", data={"kind": "income_proof"}, headers=headers
    )
    assert no_file.status_code == 422 and no_file.json()["errors"][0]["loc"] == ["body", "file"]

    assert (
        db.scalar(select(func.count()).select_from(Material).join(Appeal).where(Appeal.number == number)) == 0
    )
    leftovers = [
        p
        for p in app_settings.upload_dir.rglob("*")
        if p.is_file() and (number in p.parts or ".incoming" in p.parts)
    ]
    assert leftovers == []


def test_oversized_body_is_refused_from_its_declared_length(client):
    headers = customer_headers(client, "li_si")
    number = file_appeal(client, headers).json()["number"]
    response = client.post(
        f"{API}/me/appeals/{number}/materials",
        content=b"x" * 100,
        headers={
            **headers,
            "Content-Type": "multipart/form-data; boundary=b",
            "Content-Length": str(50 * 1024 * 1024),
        },
    )
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"
    assert response.json()["max_bytes"] == 10 * 1024 * 1024 + 64 * 1024  # MAX_UPLOAD_MB + the form


def test_jpeg_is_accepted_whatever_its_name(client):
    headers = customer_headers(client, "li_si")
    number = file_appeal(client, headers).json()["number"]
    response = upload(client, headers, number, "employment_proof", "scan.pdf", JPEG)
    assert response.status_code == 201 and response.json()["content_type"] == "image/jpeg"


def test_no_uploads_to_a_decided_appeal(client, db):
    headers = customer_headers(client, "li_si")
    number = file_appeal(client, headers).json()["number"]
    appeal = db.scalar(select(Appeal).where(Appeal.number == number))
    from app.core.db import utcnow

    appeal.set_status("rejected", utcnow(), "驳回", "Rejected")
    db.commit()
    response = upload(client, headers, number, "income_proof", "a.pdf", PDF)
    assert response.status_code == 409 and response.json()["code"] == "appeal_closed"
    # A decided appeal frees the slot: a new one may be filed.
    assert file_appeal(client, headers).status_code == 201


def test_malformed_json_is_a_422_with_a_json_body(client):
    response = client.post(
        f"{API}/me/appeals",
        content=b'{"product": "jiebei", "statement": ',
        headers={
            **customer_headers(client, "li_si"),
            "Content-Type": "application/json",
            "Idempotency-Key": "k",
        },
    )
    assert response.status_code == 422
    assert (
        response.json()["code"] == "validation_error"
        and response.json()["errors"][0]["type"] == "json_invalid"
    )
