"""OpenAPI `responses=` entries for error answers, so the published schema lists every
status an operation can return (schema-driven clients and fuzzers rely on it)."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
    locked_until: str | None = Field(None, description="429 otp_locked: ISO time")
    retry_after: int | None = Field(None, description="429: seconds until a new try is accepted")
    retry_at: str | None = Field(None, description="429: ISO time a new try is accepted")
    max_length: int | None = Field(None, description="413 statement_too_long")
    max_bytes: int | None = Field(None, description="413 request_too_large")
    max_mb: int | None = Field(None, description="413 file_too_large")
    rasa_status: int | None = Field(None, description="502 rasa_unavailable: Rasa's own status")


DESCRIPTIONS = {
    400: "Refused input (`otp_invalid`, `otp_expired`)",
    401: "Missing, invalid or expired credentials (`token_missing`, `token_invalid`, "
    "`service_token_invalid`, `agent_login_failed`)",
    403: "Not allowed for this caller",
    404: "Not found, or not yours (`not_found`, `unknown_product`)",
    409: "Conflicts with the current state (`not_appealable`, `appeal_already_open`, `appeal_closed`, "
    "`already_claimed`, `not_claimed`, `ticket_closed`)",
    413: "Too large (`request_too_large`, `statement_too_long`, `file_too_large`)",
    415: "Unsupported content (`unsupported_file_type`, `unsupported_media_type`)",
    422: "Malformed or missing input (`validation_error` + `errors`)",
    429: "Too many attempts (`otp_locked`, `too_many_requests`)",
    500: "Unexpected failure (`internal_error`, never a stack trace)",
    502: "Rasa answered with an error (`rasa_unavailable` + `rasa_status`)",
    503: "Rasa unreachable or too slow (`rasa_unavailable`)",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for these error statuses, each an ErrorOut with its usual codes."""
    return {status: {"model": ErrorOut, "description": DESCRIPTIONS[status]} for status in statuses}
