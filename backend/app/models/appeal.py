"""Appeals against a refusal, their timeline and the materials uploaded to them."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, UTCDateTime, utcnow
from app.models.catalog import Reason
from app.models.handoff import Agent

OPEN_APPEAL_STATUSES = ("submitted", "in_review")


class Appeal(Base):
    """`open_slot` is 1 while the appeal is open and NULL after: a unique (account, open_slot)
    lets the database itself refuse a second open appeal, on SQLite and PostgreSQL alike."""

    __tablename__ = "appeals"
    __table_args__ = (
        UniqueConstraint("customer_id", "idempotency_key"),
        UniqueConstraint("account_id", "open_slot"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    product_code: Mapped[str] = mapped_column(ForeignKey("products.code"))
    reason_code: Mapped[str] = mapped_column(ForeignKey("reasons.code"))
    statement: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    open_slot: Mapped[int | None] = mapped_column(Integer, default=1)
    idempotency_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The chat it was filed from (set only by the action server) and that chat's language:
    # where and how the customer is told the outcome.
    conversation_id: Mapped[str | None] = mapped_column(String(128))
    language: Mapped[str | None] = mapped_column(String(5))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    decision_note: Mapped[str | None] = mapped_column(Text)
    # The outcome reached the chat it was filed from (live push), and/or was told at the
    # start of a later conversation: never twice.
    outcome_pushed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reason: Mapped[Reason] = relationship()
    decided_by: Mapped[Agent | None] = relationship()
    events: Mapped[list["AppealEvent"]] = relationship(
        cascade="all, delete-orphan", order_by="AppealEvent.at, AppealEvent.id"
    )
    materials: Mapped[list["Material"]] = relationship(
        cascade="all, delete-orphan", order_by="Material.id"
    )

    def set_status(self, status: str, at: datetime, note_zh: str, note_en: str) -> None:
        """Every status change goes through here so the timeline is never missing a step."""
        self.status = status
        self.open_slot = 1 if status in OPEN_APPEAL_STATUSES else None
        self.events.append(AppealEvent(status=status, at=at, note_zh=note_zh, note_en=note_en))


class AppealEvent(Base):
    __tablename__ = "appeal_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note_zh: Mapped[str] = mapped_column(Text)
    note_en: Mapped[str] = mapped_column(Text)


class Material(Base):
    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(ForeignKey("material_kinds.kind"))
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="received")
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
