"""Demo-only endpoints exist in demo mode and nowhere else."""

from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import PHONES, make_settings

API = "/api/v1"


def test_demo_customers_are_listed_with_their_situation(client):
    customers = client.get(f"{API}/demo/customers?lang=en").json()
    assert len(customers) == 10
    assert customers[0] == {
        "name": "张三",
        "name_en": "Zhang San",
        "phone": "13800000001",
        "situation": "Huabei refused: overdue records in credit report",
    }


def test_app_session_for_unknown_phone_is_404(client):
    response = client.post(f"{API}/demo/app-session", json={"phone": "13999999999"})
    assert response.status_code == 404


def test_demo_mode_off_hides_demo_endpoints(database_url, tmp_path, fake_rasa, client):
    settings = make_settings(database_url, tmp_path, fake_rasa.url)
    settings.demo_mode = False
    with TestClient(create_app(settings)) as production:
        for response in (
            production.get(f"{API}/demo/customers"),
            production.post(f"{API}/demo/app-session", json={"phone": PHONES["li_si"]}),
            production.get("/dev/otp"),
        ):
            assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert production.get(f"{API}/health").json() == {"status": "ok"}
