"""Settings from the environment, with defaults that are safe on a developer machine."""

import logging
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[3]
SECRET_FIELDS = ("service_token", "rasa_api_token", "demo_agent_password")


class Settings(BaseSettings):
    """Every knob the backend has; names match the environment variables (case-insensitive)."""

    model_config = SettingsConfigDict(extra="ignore")

    data_dir: Path = REPO_ROOT / "var"
    database_url: str = ""
    upload_dir: Path | None = None
    service_token: str = ""
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_api_token: str = ""
    rasa_timeout_seconds: float = 5.0
    demo_mode: bool = True
    demo_agent_password: str = ""
    session_ttl_minutes: int = 120
    app_session_ttl_minutes: int = 720
    agent_session_ttl_minutes: int = 480
    otp_ttl_seconds: int = 300
    otp_max_attempts: int = 5
    otp_lock_minutes: int = 15
    max_upload_mb: int = 10

    # Secrets that were not configured and got a random value; reported once at startup.
    generated_secrets: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _fill_derived(self) -> "Settings":
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'backend.db'}"
        if self.upload_dir is None:
            self.upload_dir = self.data_dir / "uploads"
        generated = []
        for name in SECRET_FIELDS:
            if not getattr(self, name):
                setattr(self, name, secrets.token_urlsafe(24))
                generated.append(name)
        self.generated_secrets = tuple(generated)
        return self

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    def warn_about_generated_secrets(self) -> None:
        """Random secrets work for one run only; say so instead of failing silently later."""
        for name in self.generated_secrets:
            log.warning(
                "%s is not set: using a random value for this run only "
                "(set it in the environment to share it with other services)",
                name.upper(),
            )


@lru_cache
def get_settings() -> Settings:
    return Settings()
