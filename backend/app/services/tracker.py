"""Reads Rasa's tracker store (table `events`), never writes it: SQLite is opened read-only,
PostgreSQL sessions are read-only transactions. Only what figures and the not-understood list
need is taken from an event: text, intent and its confidence, action and slot names. Message
metadata (where session tokens travel, stored `[redacted]`) is never read out."""

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, and_, column, create_engine, or_, select, table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError

from app.errors import ApiError

log = logging.getLogger(__name__)

EVENTS = table(
    "events",
    column("id"),
    column("sender_id"),
    column("type_name"),
    column("timestamp"),
    column("intent_name"),
    column("action_name"),
    column("data"),
)
FALLBACK_INTENT = "nlu_fallback"
# The core fallback: the policies did not know what to do with a message NLU did classify.
# (action_two_stage_fallback follows nlu_fallback, and while its loop is active it also
# receives the rephrased message, understood or not: its intent decides.)
CORE_FALLBACK = "action_default_fallback"
TWO_STAGE_FALLBACK = "action_two_stage_fallback"
HANDOFF_ACTION = "action_handoff_to_human"
REASON_SLOT = "diagnosed_reason"
CONFIDENCE_THRESHOLD = 0.5  # config.yml: FallbackClassifier threshold
LISTEN = "action_listen"
EXTERNAL_PREFIXES = ("EXTERNAL: ", "EXTERNAL_")  # Rasa's trigger_intent and our own EXTERNAL_ intents


@dataclass
class UserMessage:
    text: str
    at: datetime
    intent: str | None
    confidence: float | None
    next_action: str | None = None

    @property
    def from_user(self) -> bool:
        """Sent by the user (typed or a button): intents triggered from outside are not."""
        return not self.text.startswith(EXTERNAL_PREFIXES)

    @property
    def typed(self) -> bool:
        """Typed by the user: button payloads ("/intent") are not."""
        return self.from_user and not self.text.startswith("/")

    @property
    def not_understood(self) -> bool:
        """Ended in the fallback (its intent or the action that answered it) or below the threshold."""
        return (
            self.intent == FALLBACK_INTENT
            or self.next_action == CORE_FALLBACK
            or (self.confidence is not None and self.confidence < CONFIDENCE_THRESHOLD)
        )


@dataclass
class Conversation:
    sender_id: str
    messages: list[UserMessage] = field(default_factory=list)
    handed_off: bool = False
    reasons: list[str] = field(default_factory=list)


def _engine(url: str) -> Engine | None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not path.is_file():  # Rasa creates it when it first starts: no conversations yet
            return None
        return create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    return create_engine(url, pool_pre_ping=True, connect_args={"options": "-c default_transaction_read_only=on"})


class TrackerReader:
    """One engine per backend process, made on first use."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None

    def _rows(self, start: datetime, end: datetime) -> list:
        if self._engine is None:
            self._engine = _engine(self.url)
            if self._engine is None:
                return []
        wanted = or_(
            EVENTS.c.type_name.in_(("user", "action")),
            and_(EVENTS.c.type_name == "slot", EVENTS.c.action_name == REASON_SLOT),
        )
        query = (
            select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.action_name, EVENTS.c.data)
            .where(EVENTS.c.timestamp >= start.timestamp(), EVENTS.c.timestamp < end.timestamp(), wanted)
            .order_by(EVENTS.c.sender_id, EVENTS.c.id)
        )
        try:
            with self._engine.connect() as connection:
                return list(connection.execute(query))
        except (OperationalError, ProgrammingError) as exc:
            if "events" in str(exc.orig) and ("no such table" in str(exc.orig) or "does not exist" in str(exc.orig)):
                return []  # Rasa has not stored anything yet
            log.warning("tracker store unreadable: %s", type(exc.orig).__name__)
            raise ApiError(503, "tracker_unavailable") from None
        except SQLAlchemyError as exc:
            log.warning("tracker store unreadable: %s", type(exc).__name__)
            raise ApiError(503, "tracker_unavailable") from None

    def conversations(self, start: datetime, end: datetime) -> list[Conversation]:
        """Conversations with events in [start, end), in the order Rasa stored their events."""
        found: dict[str, Conversation] = {}
        for sender_id, type_name, timestamp, action_name, raw in self._rows(start, end):
            conversation = found.setdefault(sender_id, Conversation(sender_id))
            data = json.loads(raw) if isinstance(raw, str) else raw
            if type_name == "user":
                intent = (data.get("parse_data") or {}).get("intent") or {}
                confidence = intent.get("confidence")
                text = str(data.get("text") or "")
                last = conversation.messages[-1] if conversation.messages else None
                if last is not None and last.next_action == TWO_STAGE_FALLBACK and last.text == text:
                    continue  # the two-stage fallback re-sends a rephrased message once understood
                conversation.messages.append(
                    UserMessage(
                        text=text,
                        at=datetime.fromtimestamp(timestamp, UTC),
                        intent=intent.get("name"),
                        confidence=float(confidence) if isinstance(confidence, int | float) else None,
                    )
                )
            elif type_name == "action":
                if action_name == HANDOFF_ACTION:
                    conversation.handed_off = True
                last = conversation.messages[-1] if conversation.messages else None
                if last is not None and last.next_action is None and action_name != LISTEN:
                    last.next_action = action_name
            elif type_name == "slot" and data.get("value"):
                conversation.reasons.append(str(data["value"]))
        return [c for c in found.values() if any(m.from_user for m in c.messages)]

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
