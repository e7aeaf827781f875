"""The figures of the staff console, for a range of UTC days: from the backend's tables
(handoff tickets, appeals, ratings) and Rasa's tracker store (conversations, messages)."""

import statistics
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import ApiError
from app.models import Appeal, AppealEvent, HandoffTicket, Rating
from app.services.tracker import TrackerReader

MAX_DAYS = 366
DECIDED = ("approved", "rejected")


def day_range(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in UTC; 422 `date_range_invalid` when reversed or too long."""
    days = (end - start).days + 1
    if days < 1 or days > MAX_DAYS:
        raise ApiError(422, "date_range_invalid", extra={"max_days": MAX_DAYS})
    return datetime.combine(start, time(), UTC), datetime.combine(end, time(), UTC) + timedelta(days=1)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _handoffs(db: Session, start: datetime, end: datetime) -> dict:
    tickets = db.scalars(
        select(HandoffTicket).where(HandoffTicket.created_at >= start, HandoffTicket.created_at < end)
    ).all()
    waits = sorted((t.claimed_at - t.created_at).total_seconds() for t in tickets if t.claimed_at)
    return {
        "total": len(tickets),
        "claimed": len(waits),
        "waiting": sum(1 for t in tickets if t.status == "waiting"),
        "wait_seconds": {
            "average": round(statistics.fmean(waits), 1) if waits else None,
            "median": round(statistics.median(waits), 1) if waits else None,
            "max": round(waits[-1], 1) if waits else None,
        },
    }


def _appeals(db: Session, start: datetime, end: datetime) -> dict:
    filed = db.scalar(select(func.count()).select_from(Appeal).where(Appeal.created_at >= start, Appeal.created_at < end))
    decisions = dict(
        db.execute(
            select(AppealEvent.status, func.count())
            .where(AppealEvent.status.in_(DECIDED), AppealEvent.at >= start, AppealEvent.at < end)
            .group_by(AppealEvent.status)
        ).all()
    )
    return {"filed": filed, "decided": sum(decisions.values()), "approved": decisions.get("approved", 0)}


def _satisfaction(db: Session, start: datetime, end: datetime) -> dict:
    scores = dict(
        db.execute(
            select(Rating.score, func.count())
            .where(Rating.created_at >= start, Rating.created_at < end)
            .group_by(Rating.score)
        ).all()
    )
    count = sum(scores.values())
    total = sum(score * n for score, n in scores.items())
    return {
        "count": count,
        "average": round(total / count, 2) if count else None,
        "scores": {str(score): scores.get(score, 0) for score in range(1, 6)},
    }


def figures(db: Session, tracker: TrackerReader, start_day: date, end_day: date) -> dict:
    start, end = day_range(start_day, end_day)
    conversations = tracker.conversations(start, end)
    per_day = {start_day + timedelta(days=n): set() for n in range((end_day - start_day).days + 1)}
    causes: Counter[str] = Counter()
    typed = fallbacks = 0
    for conversation in conversations:
        for message in conversation.messages:
            if message.from_user:
                per_day[message.at.date()].add(conversation.sender_id)
            if message.typed:
                typed += 1
                fallbacks += message.not_understood
        causes.update(set(conversation.reasons))  # a cause counts once per conversation
    handed_off = sum(c.handed_off for c in conversations)
    return {
        "from": start_day,
        "to": end_day,
        "conversations": {
            "total": len(conversations),
            "per_day": [{"day": day, "count": len(ids)} for day, ids in per_day.items()],
            "handed_off": handed_off,
            "contained": len(conversations) - handed_off,
            "containment": _share(len(conversations) - handed_off, len(conversations)),
        },
        "handoffs": _handoffs(db, start, end),
        "causes": [{"reason_code": code, "conversations": n} for code, n in sorted(causes.items(), key=lambda i: (-i[1], i[0]))],
        "appeals": _appeals(db, start, end),
        "fallback": {"user_messages": typed, "not_understood": fallbacks, "rate": _share(fallbacks, typed)},
        "satisfaction": _satisfaction(db, start, end),
    }
