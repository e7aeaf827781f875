"""What the published OpenAPI schema says about errors and credentials: `responses=` entries
listing every error status an operation can return, and the security each one really checks
(schema-driven clients and fuzzers rely on both)."""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import current_agent, current_customer, optional_customer, require_service


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(BaseModel):
    """Every error body: a stable code, a message in the asked language, and documented extras."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(examples=["validation_error"])
    message: str
    errors: list[FieldError] | None = Field(None, description="422 validation_error: what is wrong where")
    attempts_left: int | None = Field(None, description="400 otp_invalid")
    retry_after: int | None = Field(None, description="429: seconds until a new try is accepted")
    retry_at: str | None = Field(None, description="429: ISO time a new try is accepted")
    min_length: int | None = Field(None, description="422 statement_too_short")
    max_length: int | None = Field(None, description="413 statement_too_long, 422 statement_too_short")
    max_bytes: int | None = Field(None, description="413 request_too_large")
    max_mb: int | None = Field(None, description="413 file_too_large")
    rasa_status: int | None = Field(None, description="502 rasa_unavailable: Rasa's own status")
    max_days: int | None = Field(None, description="422 date_range_invalid: longest range in days")


DESCRIPTIONS = {
    400: "Refused one-time code (`otp_invalid`, `otp_attempts_exhausted`, `otp_expired`)",
    401: "Missing, invalid or expired credentials (`token_missing`, `token_invalid`, "
    "`service_token_invalid`, `agent_login_failed`)",
    403: "Staff of another role (`forbidden_role`), or not the caller's conversation (`conversation_secret_invalid`)",
    404: "Not found, or not yours (`not_found`, `unknown_product`)",
    409: "Conflicts with the current state (`not_appealable`, `appeal_already_open`, `appeal_closed`, "
    "`already_claimed`, `not_claimed`, `ticket_closed`, `conversation_not_waiting`, `already_rated`)",
    413: "Too large (`request_too_large`, `statement_too_long`, `file_too_large`)",
    415: "Not a JPEG, PNG or PDF, judged by content (`unsupported_file_type`)",
    422: "Malformed or missing input (`validation_error` + `errors`; `date_range_invalid` + `max_days`; "
    "`statement_too_short` + `min_length`, `max_length`)",
    429: "Too many attempts (`otp_send_limited`, `login_throttled`; + `retry_after`, `retry_at`)",
    500: "Unexpected failure (`internal_error`, never a stack trace)",
    502: "Rasa answered with an error (`rasa_unavailable` + `rasa_status`)",
    503: "Rasa, its tracker store or the rate-limit storage unreachable (`rasa_unavailable`, "
    "`tracker_unavailable`, `rate_limit_unavailable`)",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for these error statuses, each an ErrorOut with its usual codes."""
    return {status: {"model": ErrorOut, "description": DESCRIPTIONS[status]} for status in statuses}


SECURITY_SCHEMES = {
    "CustomerBearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "Customer session token: the app's login (demo: POST /demo/app-session) or a phone code",
    },
    "AgentBearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "Staff token (agent, reviewer or operations) from POST /agent/login; "
        "each operation names the roles it admits",
    },
    "ServiceToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Service-Token",
        "description": "SERVICE_TOKEN, shared with the action server",
    },
}
CHECKS = (("ServiceToken", require_service), ("CustomerBearer", current_customer), ("AgentBearer", current_agent))


def _calls(dependant: Dependant) -> Iterator[Callable | None]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _calls(dependency)


def security_requirements(route: RouteContext) -> list[dict[str, list]]:
    """The credentials a route's dependencies really check. One bearer scheme serves customers
    and agents alike in FastAPI's own schema, and its list of two requirements would mean
    'either' where the service token and an optional customer token are both meant."""
    calls = set(_calls(route.dependant))
    required = {name: [] for name, check in CHECKS if check in calls}
    if optional_customer in calls:
        return [{**required, "CustomerBearer": []}, required]
    return [required] if required else []


def finish_schema(schema: dict, routes: Iterable) -> dict:
    """Adds what no single route declares: the credentials each operation checks, and the 413
    that core.middleware.BodyLimit gives any request body. Idempotent."""
    schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
    too_large = {
        "description": DESCRIPTIONS[413],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }
    for route in iter_route_contexts(routes):
        if isinstance(route.original_route, APIRoute) and route.include_in_schema:
            requirements = security_requirements(route)
            for method in route.methods:
                operation = schema["paths"][route.path_format][method.lower()]
                operation.pop("security", None)
                if requirements:
                    operation["security"] = requirements
                if "requestBody" in operation:
                    operation["responses"].setdefault("413", too_large)
    return schema
