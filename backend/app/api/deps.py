"""Request-scoped dependencies: settings, database session, and who is calling.

Dependencies that only read the request, the settings or the app state are `async def`:
FastAPI runs every plain `def` dependency in its threadpool, a thread hop each (the
threadpool's machinery was 17 % of the backend's busy CPU under `scripts/benchmark.py`'s
short load, 11.5 % after this; py-spy, issue 11). Those that touch the database stay plain
`def`, off the event loop."""

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import Depends, Header, Query, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.core.config import Settings, is_loopback
from app.core.security import same_secret
from app.errors import ApiError
from app.i18n import request_language
from app.models import Agent, Customer
from app.models.handoff import STAFF_ROLES
from app.services import sessions
from app.services.throttle import Throttle

bearer = HTTPBearer(auto_error=False, description="Customer session token or agent token")
service_key = APIKeyHeader(name="X-Service-Token", auto_error=False, description="SERVICE_TOKEN")
UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


async def get_settings(request: Request) -> Settings:
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


def require_roles(*roles: str):
    """A dependency admitting staff of these roles only: another staff role gets 403
    `forbidden_role`, a customer token or none 401. Every staff endpoint uses one."""

    def staff_member(agent: Annotated[Agent, Depends(current_agent)]) -> Agent:
        if agent.role not in roles:
            raise ApiError(403, "forbidden_role")
        return agent

    return staff_member


async def require_service(settings: SettingsDep, token: Annotated[str | None, Depends(service_key)]) -> None:
    if not same_secret(token, settings.service_token):
        raise ApiError(401, "service_token_invalid")


async def service_conversation(
    settings: SettingsDep,
    token: Annotated[str | None, Depends(service_key)],
    conversation_id: Annotated[
        str | None,
        Header(
            alias="X-Conversation-Id",
            pattern=r"^[A-Za-z0-9._:@-]{1,128}$",
            description="the chat this request comes from; taken only with a valid X-Service-Token "
            "(the action server), ignored otherwise",
        ),
    ] = None,
) -> str | None:
    """The conversation the action server is serving, so the backend can later write to it
    (appeal outcomes, an incident's end). A customer's own call cannot name one: a chat id
    from anyone but the action server is ignored."""
    if conversation_id and same_secret(token, settings.service_token):
        return conversation_id
    return None


async def require_demo_mode(request: Request, settings: SettingsDep) -> None:
    """Demo endpoints answer only in demo mode, on a loopback socket, to a loopback client:
    a proxy or port forward that makes them reachable from elsewhere still gets a 404."""
    server = request.scope.get("server") or (None,)
    client = request.client.host if request.client else None
    if not (settings.demo_mode and is_loopback(server[0]) and is_loopback(client)):
        raise ApiError(404, "not_found")


async def get_throttle(request: Request) -> Throttle:
    return request.app.state.throttle


async def client_address(request: Request) -> str:
    """The direct peer. Behind a load balancer, run uvicorn with --proxy-headers and
    --forwarded-allow-ips set to the balancer, or every user shares the balancer's address."""
    return request.client.host if request.client else "unknown"


def with_retry_after(responses: dict) -> dict:
    """Documents the Retry-After header (seconds) that comes with a route's 429 answer."""
    responses[429] = {
        **responses[429],
        "headers": {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}},
    }
    return responses


async def language(
    request: Request,
    lang: Annotated[Literal["zh", "en"] | None, Query(description="zh or en")] = None,
) -> str:
    """?lang=, Accept-Language, the customer's preference (when known), then zh."""
    return request_language(request)


CustomerDep = Annotated[Customer, Depends(current_customer)]
AgentDep = Annotated[Agent, Depends(require_roles("agent"))]
ReviewerDep = Annotated[Agent, Depends(require_roles("reviewer"))]
OperationsDep = Annotated[Agent, Depends(require_roles("operations"))]
StaffDep = Annotated[Agent, Depends(require_roles(*STAFF_ROLES))]  # any staff role
LangDep = Annotated[str, Depends(language)]
ThrottleDep = Annotated[Throttle, Depends(get_throttle)]
ClientAddressDep = Annotated[str, Depends(client_address)]
ServiceDep = Depends(require_service)
ServiceConversationDep = Annotated[str | None, Depends(service_conversation)]
