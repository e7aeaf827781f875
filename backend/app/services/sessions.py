"""Issuing and resolving session tokens for customers and agents."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.core.security import hash_token, new_token
from app.models import SessionToken


def issue(
    session: Session,
    source: str,
    ttl_minutes: int,
    *,
    customer_id: int | None = None,
    agent_id: int | None = None,
) -> tuple[str, datetime]:
    """Returns the plain token (shown once, to its owner) and when it expires."""
    token = new_token()
    expires_at = utcnow() + timedelta(minutes=ttl_minutes)
    session.add(
        SessionToken(
            token_hash=hash_token(token),
            source=source,
            customer_id=customer_id,
            agent_id=agent_id,
            expires_at=expires_at,
        )
    )
    session.commit()
    return token, expires_at


def resolve(session: Session, token: str) -> SessionToken | None:
    """The live session for a token, or None when it is unknown or expired."""
    found = session.scalar(select(SessionToken).where(SessionToken.token_hash == hash_token(token)))
    if found is None or found.expires_at <= utcnow():
        return None
    return found
