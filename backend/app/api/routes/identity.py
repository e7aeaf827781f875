"""Who the user is: phone codes for users stuck at login, and resolving a session token."""

from fastapi import APIRouter

from app.api.deps import CustomerDep, DbDep, ServiceDep, SettingsDep
from app.api.present import customer_out
from app.schemas.identity import (
    CustomerOut,
    OtpSentOut,
    OtpVerifyIn,
    PhoneIn,
    SessionOut,
)
from app.services import otp, sessions

router = APIRouter(prefix="/identity", tags=["identity"])


@router.post("/otp/send", status_code=202, response_model=OtpSentOut, dependencies=[ServiceDep])
def send_otp(body: PhoneIn, db: DbDep, settings: SettingsDep) -> dict:
    """Same answer for unknown numbers, so the endpoint cannot be used to find customers."""
    return otp.send_code(db, settings, body.phone)


@router.post("/otp/verify", response_model=SessionOut, dependencies=[ServiceDep])
def verify_otp(body: OtpVerifyIn, db: DbDep, settings: SettingsDep) -> SessionOut:
    customer = otp.verify_code(db, settings, body.phone, body.code)
    token, expires_at = sessions.issue(db, "otp", settings.session_ttl_minutes, customer_id=customer.id)
    return SessionOut(token=token, expires_at=expires_at, customer=customer_out(customer))


@router.get("/me", response_model=CustomerOut)
def me(customer: CustomerDep) -> CustomerOut:
    return customer_out(customer)
