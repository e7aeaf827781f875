"""One-time phone codes: single use, expiring, valid only in the conversation that asked for
them, and void after too many wrong tries.

Wrong tries count per code, not per phone: an attacker guessing from another chat can spoil
only the code of their own chat, never the owner's. Sends are rate limited per phone and per
conversation (services/throttle.py). Unknown phone numbers get the same answers as known
ones, so nobody can probe who is a customer."""

import logging
import secrets
from datetime import timedelta
from typing import NoReturn

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import utcnow
from app.core.security import hash_otp, mask_phone, new_otp_code
from app.errors import ApiError
from app.models import Customer, OtpCode
from app.services.throttle import Throttle

log = logging.getLogger(__name__)


def send_code(session: Session, settings: Settings, throttle: Throttle, phone: str, conversation_id: str) -> dict:
    throttle.hit(
        [(throttle.otp_send_per_phone, (phone,)), (throttle.otp_send_per_conversation, (conversation_id,))],
        "otp_send_limited",
    )
    now = utcnow()
    known = session.scalar(select(Customer.id).where(Customer.phone == phone)) is not None
    code = new_otp_code()
    salt = secrets.token_hex(8)
    # A new code replaces the one this conversation was still waiting for, and no other.
    session.execute(
        update(OtpCode)
        .where(OtpCode.conversation_id == conversation_id, OtpCode.used_at.is_(None), OtpCode.expires_at > now)
        .values(expires_at=now)
    )
    session.add(
        OtpCode(
            phone=phone,
            conversation_id=conversation_id,
            code_hash=hash_otp(code, salt),
            salt=salt,
            # An unknown number's code is sent nowhere: it only makes the answers look the same.
            demo_code=code if settings.demo_mode and known else None,
            failed_attempts=0,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.otp_ttl_seconds),
        )
    )
    session.commit()
    if settings.demo_mode and known:
        log.info("demo one-time code for %s: %s", mask_phone(phone), code)
    return {"sent": True, "expires_in": settings.otp_ttl_seconds, "masked_phone": mask_phone(phone)}


def verify_code(session: Session, settings: Settings, phone: str, code: str, conversation_id: str) -> Customer:
    """The customer the code was sent to, or an ApiError: otp_expired (none pending here,
    expired or used), otp_attempts_exhausted (void after too many wrong tries) or otp_invalid."""
    now = utcnow()
    pending = session.scalar(
        select(OtpCode)
        .where(OtpCode.phone == phone, OtpCode.conversation_id == conversation_id)
        .order_by(OtpCode.id.desc())
        .limit(1)
    )
    if pending is None or pending.used_at is not None or pending.expires_at <= now:
        raise ApiError(400, "otp_expired")
    if pending.failed_attempts >= settings.otp_max_attempts:
        raise ApiError(400, "otp_attempts_exhausted")
    matches = secrets.compare_digest(pending.code_hash, hash_otp(code, pending.salt))
    customer = session.scalar(select(Customer).where(Customer.phone == phone))
    if matches and customer is not None:
        # Conditional update: of two simultaneous uses only one wins, and a code that ran out
        # of tries meanwhile stays void.
        used = session.execute(
            update(OtpCode)
            .where(
                OtpCode.id == pending.id,
                OtpCode.used_at.is_(None),
                OtpCode.failed_attempts < settings.otp_max_attempts,
            )
            .values(used_at=now)
        )
        session.commit()
        if used.rowcount == 1:
            return customer
        session.refresh(pending)
        raise ApiError(400, "otp_expired" if pending.used_at else "otp_attempts_exhausted")
    _count_wrong_try(session, settings, pending)


def _count_wrong_try(session: Session, settings: Settings, pending: OtpCode) -> NoReturn:
    """Counted in the database, so concurrent guesses cannot get more tries than allowed."""
    failed = session.scalar(
        update(OtpCode)
        .where(OtpCode.id == pending.id, OtpCode.failed_attempts < settings.otp_max_attempts)
        .values(failed_attempts=OtpCode.failed_attempts + 1)
        .returning(OtpCode.failed_attempts)
    )
    session.commit()
    left = settings.otp_max_attempts - failed if failed is not None else 0
    if left <= 0:
        raise ApiError(400, "otp_attempts_exhausted")
    raise ApiError(400, "otp_invalid", params={"attempts_left": left}, extra={"attempts_left": left})
