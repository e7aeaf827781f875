"""Settings from the environment, with defaults that are safe on a developer machine."""

import ipaddress
import logging
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[3]
SECRET_FIELDS = (
    "service_token",
    "rasa_api_token",
    "demo_agent_password",
    "demo_reviewer_password",
    "demo_operations_password",
    "socket_secret",
)


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
    # Demo endpoints hand out customer sessions and one-time codes: off unless asked for, and
    # then only on loopback (the launcher passes the host it binds uvicorn to as BACKEND_HOST).
    demo_mode: bool = False
    backend_host: str = "127.0.0.1"
    demo_agent_password: str = ""
    demo_reviewer_password: str = ""
    demo_operations_password: str = ""
    session_ttl_minutes: int = 120
    app_session_ttl_minutes: int = 720
    agent_session_ttl_minutes: int = 480
    otp_ttl_seconds: int = 300
    otp_max_attempts: int = 5
    # Rate limits in the `limits` notation ("5/10 minutes;20/day"), kept in RATE_LIMIT_STORAGE_URL:
    # memory:// for one backend process, redis://host:6379/0 when several share the limits.
    rate_limit_storage_url: str = "memory://"
    rate_limit_key_prefix: str = "support-backend"
    otp_send_limit_per_phone: str = "5/10 minutes;20/day"
    otp_send_limit_per_conversation: str = "3/10 minutes"
    agent_login_limit_per_user_address: str = "5/15 minutes"
    agent_login_limit_per_address: str = "30/15 minutes"
    max_upload_mb: int = 10
    max_body_kb: int = 64  # every request body but a material upload
    # The widget's conversation secret is HMAC-SHA256(SOCKET_SECRET, conversation id), issued by
    # Rasa's socket channel; the backend checks the same HMAC before taking a rating.
    socket_secret: str = ""
    # Rasa's tracker store, read (never written) for figures and not-understood messages:
    # TRACKER_STORE_URL (sqlite:///... or postgresql+psycopg://...), else the SQLite file
    # RASA_TRACKER_DB that Rasa itself uses (scripts/stack.py sets it), else $DATA_DIR/tracker.db.
    tracker_store_url: str = ""
    rasa_tracker_db: Path | None = None

    # Secrets that were not configured and got a random value; reported once at startup.
    generated_secrets: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _fill_derived(self) -> "Settings":
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'backend.db'}"
        if self.upload_dir is None:
            self.upload_dir = self.data_dir / "uploads"
        if not self.tracker_store_url:
            self.tracker_store_url = f"sqlite:///{self.rasa_tracker_db or self.data_dir / 'tracker.db'}"
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

    def refuse_public_demo_mode(self) -> None:
        """Demo mode on a reachable address would let anyone log in as any customer: refuse to start."""
        if self.demo_mode and not is_loopback(self.backend_host):
            problem = (
                f"DEMO_MODE is on but BACKEND_HOST={self.backend_host!r} is not a loopback address: "
                "demo endpoints hand out customer sessions and one-time codes. "
                "Turn DEMO_MODE off, or bind the backend to 127.0.0.1."
            )
            log.critical("refusing to start: %s", problem)
            raise RuntimeError(problem)

    def warn_about_generated_secrets(self) -> None:
        """Random secrets work for one run only; say so instead of failing silently later."""
        for name in self.generated_secrets:
            log.warning(
                "%s is not set: using a random value for this run only "
                "(set it in the environment to share it with other services)",
                name.upper(),
            )


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1 (also written as ::ffff:127.x.x.x) or the name localhost."""
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


@lru_cache
def get_settings() -> Settings:
    return Settings()
