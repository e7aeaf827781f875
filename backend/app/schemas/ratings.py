from datetime import datetime

from pydantic import BaseModel, Field

from app.models.rating import MAX_SCORE, MIN_SCORE
from app.schemas.identity import CONVERSATION_ID


class RatingIn(BaseModel):
    conversation_id: str = CONVERSATION_ID
    session_secret: str = Field(
        min_length=1,
        max_length=128,
        description="The secret the widget received with its conversation id: HMAC-SHA256(SOCKET_SECRET, id), hex",
    )
    score: int = Field(ge=MIN_SCORE, le=MAX_SCORE, description="1 (very unhappy) to 5 (very happy)")


class RatingOut(BaseModel):
    conversation_id: str
    score: int
    created_at: datetime
