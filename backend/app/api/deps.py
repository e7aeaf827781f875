"""Request-scoped dependencies: settings, database session, and who is calling."""

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.security import same_secret
from app.errors import ApiError
from app.i18n import request_language
from app.models import Agent, Customer
from app.services import sessions

bearer = HTTPBearer(auto_error=False, description="Customer session token or agent token")
service_key = APIKeyHeader(name="X-Service-Token", auto_error=False, description="SERVICE_TOKEN")
UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Iterator[Session]:
    with request.app.state.db.session() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Session, Depends(get_db)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def _session_for(db: Session, credentials: HTTPAuthorizationCredentials | None):
    if credentials is None:
        raise ApiError(401, "token_missing", headers=UNAUTHORIZED)
    found = sessions.resolve(db, credentials.credentials)
    if found is None:
        raise ApiError(401, "token_invalid", headers=UNAUTHORIZED)
    return found


def current_customer(request: Request, db: DbDep, credentials: Credentials) -> Customer:
    found = _session_for(db, credentials)
    if found.customer_id is None:
        raise ApiError(401, "token_invalid", headers=UNAUTHORIZED)
    customer = db.get(Customer, found.customer_id)
    # A plain string, so error handlers can use it after the database session is gone.
    request.state.preferred_language = customer.preferred_language
    return customer


def optional_customer(request: Request, db: DbDep, credentials: Credentials) -> Customer | None:
    """No token is fine; a token that is there must be valid."""
    return None if credentials is None else current_customer(request, db, credentials)


def current_agent(db: DbDep, credentials: Credentials) -> Agent:
    found = _session_for(db, credentials)
    if found.agent_id is None:
        raise ApiError(401, "token_invalid", headers=UNAUTHORIZED)
    return db.get(Agent, found.agent_id)


def require_service(settings: SettingsDep, token: Annotated[str | None, Depends(service_key)]) -> None:
    if not same_secret(token, settings.service_token):
        raise ApiError(401, "service_token_invalid")


def require_demo_mode(settings: SettingsDep) -> None:
    if not settings.demo_mode:
        raise ApiError(404, "not_found")


def language(
    request: Request,
    lang: Annotated[Literal["zh", "en"] | None, Query(description="zh or en")] = None,
) -> str:
    """?lang=, Accept-Language, the customer's preference (when known), then zh."""
    return request_language(request)


CustomerDep = Annotated[Customer, Depends(current_customer)]
AgentDep = Annotated[Agent, Depends(current_agent)]
LangDep = Annotated[str, Depends(language)]
ServiceDep = Depends(require_service)
