"""Customers and what happened to them: accounts, decisions, attempts; plus service incidents."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, UTCDateTime, utcnow


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    id_number_masked: Mapped[str] = mapped_column(String(30))
    region_zh: Mapped[str] = mapped_column(String(100))
    region_en: Mapped[str] = mapped_column(String(100))
    preferred_language: Mapped[str] = mapped_column(String(5), default="zh")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    accounts: Mapped[list["Account"]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Account.product_code"
    )


class Account(Base):
    """A customer's use of one product; status is one of active, not_opened, refused, under_review, suspended."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("customer_id", "product_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    product_code: Mapped[str] = mapped_column(ForeignKey("products.code"))
    status: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="accounts")
    decisions: Mapped[list["Decision"]] = relationship(
        back_populates="account", cascade="all, delete-orphan", order_by="Decision.decided_at"
    )


class Decision(Base):
    """A credit decision on an account (approved or refused) with the catalog reasons behind it."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    detail_zh: Mapped[str | None] = mapped_column(Text)
    detail_en: Mapped[str | None] = mapped_column(Text)

    account: Mapped[Account] = relationship(back_populates="decisions")


class Attempt(Base):
    """A login, identity verification, service use or application attempt, with why it failed."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    product_code: Mapped[str | None] = mapped_column(ForeignKey("products.code"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    success: Mapped[bool] = mapped_column(Boolean)
    reason_code: Mapped[str | None] = mapped_column(ForeignKey("reasons.code"))
    device: Mapped[str | None] = mapped_column(String(100))
    app_version: Mapped[str | None] = mapped_column(String(20))
    location_zh: Mapped[str | None] = mapped_column(String(100))
    location_en: Mapped[str | None] = mapped_column(String(100))


class Incident(Base):
    """An outage or upgrade of a platform service; `ref` keeps seeded incidents refreshable."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    service: Mapped[str] = mapped_column(String(60))
    product_code: Mapped[str | None] = mapped_column(ForeignKey("products.code"))
    reason_code: Mapped[str] = mapped_column(ForeignKey("reasons.code"))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # open | closed
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expected_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class IncidentNotice(Base):
    """A conversation the bot explained an open incident to, so the customer there is told
    when it ends (once: `notified_at`)."""

    __tablename__ = "incident_notices"
    __table_args__ = (UniqueConstraint("incident_id", "conversation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[str] = mapped_column(String(128))
    language: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
