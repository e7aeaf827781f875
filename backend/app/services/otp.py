"""One-time phone codes: single use, expiring, and a lockout after too many wrong guesses.

Unknown phone numbers get the same answers as known ones, so nobody can probe who is a customer."""

import logging
import secrets
from datetime import datetime, timedelta
from typing import NoReturn

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import utcnow
from app.core.security import hash_otp, mask_phone, new_otp_code
from app.errors import ApiError
from app.models import Customer, OtpCode, OtpThrottle

log = logging.getLogger(__name__)


def _throttle(session: Session, phone: str) -> OtpThrottle:
    throttle = session.get(OtpThrottle, phone)
    if throttle is not None:
        return throttle
    try:
        with session.begin_nested():
            throttle = OtpThrottle(phone=phone, failed_count=0)
            session.add(throttle)
    except IntegrityError:  # created at the same moment by a concurrent request
        throttle = session.get(OtpThrottle, phone)
    return throttle


def _raise_if_locked(throttle: OtpThrottle, now: datetime) -> None:
    if throttle.locked_until and throttle.locked_until > now:
        until = throttle.locked_until.isoformat(timespec="seconds")
        raise ApiError(429, "otp_locked", params={"locked_until": until}, extra={"locked_until": until})


def send_code(session: Session, settings: Settings, phone: str) -> dict:
    now = utcnow()
    _raise_if_locked(_throttle(session, phone), now)
    if session.scalar(select(Customer.id).where(Customer.phone == phone)) is not None:
        code = new_otp_code()
        salt = secrets.token_hex(8)
        # A new code replaces any earlier one still pending.
        session.execute(
            update(OtpCode).where(OtpCode.phone == phone, OtpCode.used_at.is_(None)).values(expires_at=now)
        )
        session.add(
            OtpCode(
                phone=phone,
                code_hash=hash_otp(code, salt),
                salt=salt,
                demo_code=code if settings.demo_mode else None,
                expires_at=now + timedelta(seconds=settings.otp_ttl_seconds),
            )
        )
        if settings.demo_mode:
            log.info("demo one-time code for %s: %s", mask_phone(phone), code)
    session.commit()
    return {"sent": True, "expires_in": settings.otp_ttl_seconds, "masked_phone": mask_phone(phone)}


def verify_code(session: Session, settings: Settings, phone: str, code: str) -> Customer:
    """The customer the code was sent to, or an ApiError (otp_invalid, otp_expired, otp_locked)."""
    now = utcnow()
    throttle = _throttle(session, phone)
    session.commit()
    _raise_if_locked(throttle, now)
    latest = session.scalar(
        select(OtpCode).where(OtpCode.phone == phone).order_by(OtpCode.id.desc()).limit(1)
    )
    if latest is not None and secrets.compare_digest(latest.code_hash, hash_otp(code, latest.salt)):
        if latest.used_at is not None or latest.expires_at <= now:
            raise ApiError(400, "otp_expired")
        # Conditional update: of two simultaneous uses of one code, only one wins.
        used = session.execute(
            update(OtpCode).where(OtpCode.id == latest.id, OtpCode.used_at.is_(None)).values(used_at=now)
        )
        if used.rowcount != 1:
            session.rollback()
            raise ApiError(400, "otp_expired")
        throttle.failed_count = 0
        session.commit()
        return session.scalar(select(Customer).where(Customer.phone == phone))
    _count_failure(session, settings, phone, now)


def _count_failure(session: Session, settings: Settings, phone: str, now: datetime) -> NoReturn:
    session.execute(
        update(OtpThrottle)
        .where(OtpThrottle.phone == phone)
        .values(failed_count=OtpThrottle.failed_count + 1)
    )
    session.commit()
    throttle = session.get(OtpThrottle, phone, populate_existing=True)
    if throttle.failed_count >= settings.otp_max_attempts:
        throttle.failed_count = 0
        throttle.locked_until = now + timedelta(minutes=settings.otp_lock_minutes)
        session.commit()
        _raise_if_locked(throttle, now)
    left = settings.otp_max_attempts - throttle.failed_count
    raise ApiError(400, "otp_invalid", params={"attempts_left": left}, extra={"attempts_left": left})
