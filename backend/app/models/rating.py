"""Satisfaction ratings the widget offers when a conversation ends."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow

MIN_SCORE, MAX_SCORE = 1, 5


class Rating(Base):
    """One per conversation: the unique conversation id makes a second rating a database
    error, so two taps at once cannot both count."""

    __tablename__ = "ratings"
    __table_args__ = (CheckConstraint(f"score BETWEEN {MIN_SCORE} AND {MAX_SCORE}", name="score_range"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(128), unique=True)
    score: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
