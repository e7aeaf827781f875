"""Who the user is: phone codes for users stuck at login, and resolving a session token."""

from fastapi import APIRouter

from app.api.deps import CustomerDep, DbDep, ServiceDep, SettingsDep, ThrottleDep, with_retry_after
from app.api.present import customer_out
from app.api.responses import error_responses
from app.schemas.identity import (
    CustomerOut,
    OtpSendIn,
    OtpSentOut,
    OtpVerifyIn,
    SessionOut,
)
from app.services import otp, sessions

router = APIRouter(prefix="/identity", tags=["identity"])


@router.post(
    "/otp/send",
    status_code=202,
    response_model=OtpSentOut,
    dependencies=[ServiceDep],
    responses=with_retry_after(error_responses(401, 422, 429, 503)),
)
def send_otp(body: OtpSendIn, db: DbDep, settings: SettingsDep, throttle: ThrottleDep) -> dict:
    """Same answer (and the same limits) for unknown numbers, so the endpoint cannot be used to
    find customers. 429 `otp_send_limited` when the number or the conversation asked too often;
    503 `rate_limit_unavailable` when the limit storage cannot be reached."""
    return otp.send_code(db, settings, throttle, body.phone, body.conversation_id)


@router.post(
    "/otp/verify",
    response_model=SessionOut,
    dependencies=[ServiceDep],
    responses=error_responses(400, 401, 422),
)
def verify_otp(body: OtpVerifyIn, db: DbDep, settings: SettingsDep) -> SessionOut:
    """Only the conversation the code was sent to can use it. 400 `otp_invalid` (+ `attempts_left`),
    `otp_attempts_exhausted` (request a new code) or `otp_expired` (none pending, expired or used)."""
    customer = otp.verify_code(db, settings, body.phone, body.code, body.conversation_id)
    token, expires_at = sessions.issue(db, "otp", settings.session_ttl_minutes, customer_id=customer.id)
    return SessionOut(token=token, expires_at=expires_at, customer=customer_out(customer))


@router.get("/me", response_model=CustomerOut, responses=error_responses(401))
def me(customer: CustomerDep) -> CustomerOut:
    return customer_out(customer)
