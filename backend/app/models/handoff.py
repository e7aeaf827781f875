"""Support agents and the handoff tickets they work on."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, UTCDateTime, utcnow
from app.models.customer import Customer

OPEN_TICKET_STATUSES = ("waiting", "active")
STAFF_ROLES = ("agent", "reviewer", "operations")


class Agent(Base):
    """A staff member (the table keeps its first name): `role` is one of STAFF_ROLES and
    decides which endpoints and console pages they may use."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default="agent", server_default="agent")


class HandoffTicket(Base):
    """status waiting -> active -> closed; `open_slot` (1 while open) makes one open ticket per
    conversation a database rule, so concurrent handoffs cannot create two."""

    __tablename__ = "handoff_tickets"
    __table_args__ = (UniqueConstraint("conversation_id", "open_slot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(5))
    product_code: Mapped[str | None] = mapped_column(String(20))
    reason_code: Mapped[str | None] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="waiting")
    open_slot: Mapped[int | None] = mapped_column(Integer, default=1)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handed_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    customer: Mapped[Customer | None] = relationship()
    agent: Mapped[Agent | None] = relationship()
