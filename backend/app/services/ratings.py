"""Satisfaction ratings: only the widget that holds a conversation's secret may rate it, once."""

import hashlib
import hmac

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import ApiError
from app.models import Rating

SOCKET_CONVERSATION_PREFIX = "sio-"  # channels/secure_socketio.py issues ids with this prefix


def conversation_secret(socket_secret: str, conversation_id: str) -> str:
    """The same HMAC Rasa's socket channel hands the widget with its conversation id."""
    return hmac.new(socket_secret.encode(), conversation_id.encode(), hashlib.sha256).hexdigest()


def check_secret(socket_secret: str, conversation_id: str, given: str) -> None:
    """403 unless `given` is the secret the socket channel issued for this conversation."""
    issued = conversation_id.startswith(SOCKET_CONVERSATION_PREFIX)
    expected = conversation_secret(socket_secret, conversation_id)
    if not (issued and hmac.compare_digest(expected.encode(), given.encode())):
        raise ApiError(403, "conversation_secret_invalid")


def find(db: Session, conversation_id: str) -> Rating | None:
    return db.query(Rating).filter(Rating.conversation_id == conversation_id).one_or_none()


def rate(db: Session, conversation_id: str, score: int, language: str) -> Rating:
    """409 `already_rated` for a second rating, also when two arrive at once (unique column)."""
    if find(db, conversation_id) is not None:
        raise ApiError(409, "already_rated")
    rating = Rating(conversation_id=conversation_id, score=score, language=language)
    db.add(rating)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise ApiError(409, "already_rated") from None
    return rating
