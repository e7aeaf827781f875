"""Every failure is JSON {code, message} in the asked language; nothing leaks a stack trace."""

from fastapi import APIRouter
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import make_settings

API = "/api/v1"


def test_unknown_route_and_method(client):
    missing = client.get(f"{API}/nothing-here?lang=en")
    assert missing.status_code == 404 and missing.json() == {
        "code": "not_found",
        "message": "Nothing was found here.",
    }
    wrong_method = client.delete(f"{API}/reasons")
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == "method_not_allowed"


def test_message_language_choice(client):
    assert client.get(f"{API}/me/accounts").json()["message"] == "请先登录或完成身份验证。"
    english = client.get(f"{API}/me/accounts", headers={"Accept-Language": "fr;q=0.9, en;q=0.8"})
    assert english.json()["message"] == "Please log in or verify your identity first."
    forced = client.get(f"{API}/me/accounts?lang=zh", headers={"Accept-Language": "en"})
    assert forced.json()["message"] == "请先登录或完成身份验证。"


def test_unexpected_errors_are_a_plain_500_with_the_security_headers(database_url, tmp_path, fake_rasa, client):
    app = create_app(make_settings(database_url, tmp_path, fake_rasa.url))
    broken = APIRouter()

    @broken.get("/api/v1/broken")
    def explode():
        raise RuntimeError("secret internals")

    app.include_router(broken)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/api/v1/broken?lang=en")
    assert response.status_code == 500
    assert response.json() == {
        "code": "internal_error",
        "message": "Something went wrong on our side. Please try again.",
    }
    assert "secret" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"  # even the last resort
    assert response.headers["referrer-policy"] == "no-referrer"


def test_health_and_openapi(client):
    assert client.get(f"{API}/health").json() == {"status": "ok"}
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert (
        "/api/v1/me/appeals/{number}/materials" in paths
        and "/api/v1/agent/handoffs/{ticket_id}/handback" in paths
    )
