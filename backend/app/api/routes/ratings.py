"""The widget's one-tap satisfaction rating at the end of a conversation."""

from fastapi import APIRouter

from app.api.deps import DbDep, LangDep, SettingsDep
from app.api.responses import error_responses
from app.schemas.ratings import RatingIn, RatingOut
from app.services import ratings

router = APIRouter(prefix="/ratings", tags=["ratings"])


@router.post("", response_model=RatingOut, status_code=201, responses=error_responses(403, 409, 422))
def rate(body: RatingIn, db: DbDep, settings: SettingsDep, lang: LangDep) -> RatingOut:
    """Authenticated by the conversation's own secret (HMAC-SHA256(SOCKET_SECRET, id)), which only
    the widget holding the conversation has: 403 `conversation_secret_invalid` otherwise. Once per
    conversation: 409 `already_rated`."""
    ratings.check_secret(settings.socket_secret, body.conversation_id, body.session_secret)
    rating = ratings.rate(db, body.conversation_id, body.score, lang)
    return RatingOut(conversation_id=rating.conversation_id, score=rating.score, created_at=rating.created_at)
