"""Hostile requests to the backend of the running stack: bodies bounded as they stream,
disguised files refused, pages framed by nobody, one error shape everywhere."""
import struct
import zlib

import pytest

from tests.helpers import Chat, app_token, http_json
from tests.security.hostile import send


def png_header_then_html() -> bytes:
    """A real PNG signature and header chunk, then a web page."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(header)) + b"IHDR" + header + struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return b"\x89PNG\r\n\x1a\n" + chunk + b"<html><script>alert(document.cookie)</script></html>"


def multipart(kind: str, name: str, content: bytes):
    boundary = "hostileboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.fixture(scope="module")
def open_appeal(stack):
    """李四's appeal (filed here unless an earlier test filed it) and his token."""
    backend = stack.env["BACKEND_URL"]
    token = app_token(backend, "13800000002")
    headers = {"Authorization": f"Bearer {token}"}
    appeals = http_json("GET", f"{backend}/api/v1/me/appeals", headers=headers)
    if not appeals:
        chat = Chat(stack.env["RASA_URL"], token=token)
        chat.say("我要申诉")
        chat.say("我已经在现在的公司稳定工作一年多了，每月按时发工资")
        chat.say("/affirm")
        appeals = http_json("GET", f"{backend}/api/v1/me/appeals", headers=headers)
    return appeals[0]["number"], headers


def materials(stack, open_appeal) -> list:
    number, headers = open_appeal
    return http_json("GET", f"{stack.env['BACKEND_URL']}/api/v1/me/appeals/{number}/materials", headers=headers)


def test_a_png_header_followed_by_html_is_refused(stack, open_appeal):
    number, headers = open_appeal
    before = materials(stack, open_appeal)
    body, content_type = multipart("employment_proof", "proof.png", png_header_then_html())
    answer = send("POST", f"{stack.env['BACKEND_URL']}/api/v1/me/appeals/{number}/materials", body,
                  headers={**headers, "Content-Type": content_type})
    assert answer.status == 415 and answer.json()["code"] == "unsupported_file_type"
    assert materials(stack, open_appeal) == before


def test_a_chunked_upload_without_length_is_cut_off_at_the_limit(stack, open_appeal):
    number, headers = open_appeal
    before = materials(stack, open_appeal)
    body, content_type = multipart("employment_proof", "big.pdf", b"%PDF-1.4\n" + b"0" * (12 * 1024 * 1024))
    answer = send("POST", f"{stack.env['BACKEND_URL']}/api/v1/me/appeals/{number}/materials",
                  headers={**headers, "Content-Type": content_type},
                  chunks=(body[i:i + 65536] for i in range(0, len(body), 65536)))
    assert answer.status == 413 and answer.json()["code"] == "request_too_large"
    assert materials(stack, open_appeal) == before  # nothing half-stored


def test_an_oversized_json_body_is_refused_before_it_is_read(stack):
    answer = send("POST", f"{stack.env['BACKEND_URL']}/api/v1/agent/login",
                  b'{"username": "' + b"a" * 200_000 + b'", "password": "x"}',
                  headers={"Content-Type": "application/json"})
    assert answer.status == 413 and answer.json()["code"] == "request_too_large"


@pytest.mark.parametrize("body", [b"[1, 2]", b"{not json", b'{"username": 5, "password": []}'],
                         ids=["array", "broken", "wrong-types"])
def test_malformed_json_gets_the_error_shape_not_500(stack, body):
    answer = send("POST", f"{stack.env['BACKEND_URL']}/api/v1/agent/login", body,
                  headers={"Content-Type": "application/json"})
    assert answer.status == 422 and answer.json()["code"] == "validation_error"
    assert b"Traceback" not in answer.body


@pytest.mark.parametrize("path", ["/", "/console"])
def test_pages_cannot_be_framed_or_run_injected_scripts(stack, path):
    answer = send("GET", f"{stack.env['BACKEND_URL']}{path}")
    policy = answer.headers["content-security-policy"]
    assert answer.status == 200 and answer.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_wrong_method_says_which_are_allowed(stack):
    answer = send("DELETE", f"{stack.env['BACKEND_URL']}/api/v1/agent/login")
    assert answer.status == 405 and "POST" in answer.headers["allow"]
    assert answer.json()["code"] == "method_not_allowed"


def test_another_customers_appeal_is_not_found(stack, open_appeal):
    number, _ = open_appeal
    other = {"Authorization": f"Bearer {app_token(stack.env['BACKEND_URL'], '13800000001')}"}
    answer = send("GET", f"{stack.env['BACKEND_URL']}/api/v1/me/appeals/{number}", headers=other)
    assert answer.status == 404 and answer.json()["code"] == "not_found"
