import logging

from app.core.config import Settings, is_loopback
from app.core.logs import mask_secrets
from app.i18n import language_from_header


def test_unset_secrets_are_random_and_reported(monkeypatch, tmp_path, caplog):
    for name in ("SERVICE_TOKEN", "RASA_API_TOKEN", "DEMO_AGENT_PASSWORD", "DATABASE_URL", "UPLOAD_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    first, second = Settings(), Settings()
    assert first.service_token and first.service_token != second.service_token
    assert first.database_url == f"sqlite:///{tmp_path / 'backend.db'}"
    assert first.upload_dir == tmp_path / "uploads" and first.max_upload_bytes == 10 * 1024 * 1024
    with caplog.at_level(logging.WARNING):
        first.warn_about_generated_secrets()
    assert "SERVICE_TOKEN is not set" in caplog.text and first.service_token not in caplog.text


def test_configured_secrets_are_kept(monkeypatch):
    monkeypatch.setenv("SERVICE_TOKEN", "from-env")
    settings = Settings()
    assert settings.service_token == "from-env" and "service_token" not in settings.generated_secrets


def test_accept_language_parsing():
    assert language_from_header("en-GB,en;q=0.9") == "en"
    assert language_from_header("zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert language_from_header("fr, en;q=0.5, zh;q=0.7") == "zh"
    assert language_from_header("fr") is None and language_from_header(None) is None


def test_loopback_addresses():
    for host in ("127.0.0.1", "127.0.0.53", "::1", "::ffff:127.0.0.1", "localhost"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "10.0.0.1", "203.0.113.7", "testserver", "", None):
        assert not is_loopback(host), host


def test_credentials_are_masked_in_any_log_text():
    lines = [
        "GET http://rasa:5005/conversations/c/tracker?token=s3cret&x=1",
        "headers {'Authorization': 'Bearer s3cret', 'X-Service-Token': 's3cret'}",
        "x-service-token: s3cret",
    ]
    masked = [mask_secrets(line) for line in lines]
    assert all("s3cret" not in line for line in masked)
    assert masked[0] == "GET http://rasa:5005/conversations/c/tracker?token=***&x=1"
