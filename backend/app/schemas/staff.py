"""What reviewers and operations staff send and see."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.appeals import AppealOut, AppealStatus, ProductCode
from app.schemas.customer import AccountOut, DecisionOut, IncidentOut, ReasonOut

NOTE_MAX_LENGTH = 1000


class ReviewCustomerOut(BaseModel):
    name: str
    name_en: str
    masked_phone: str
    region: str
    preferred_language: Literal["zh", "en"]


class ReviewQueueItem(BaseModel):
    number: str
    product: ProductCode
    product_name: str
    reason_code: str
    reason_title: str
    status: AppealStatus
    created_at: datetime
    customer: ReviewCustomerOut
    materials_received: int
    materials_required: int


class ReviewDecisionOut(BaseModel):
    outcome: Literal["approved", "rejected"]
    note: str
    decided_at: datetime
    reviewer: str | None = Field(description="display name of the reviewer (null if since removed)")
    retry_after: date | None = Field(description="rejected: when the customer may apply again")
    told_live: bool = Field(description="pushed to the chat the appeal was filed from")
    told_in_chat_at: datetime | None = Field(description="told at the start of a later conversation")


class ReviewAppealOut(AppealOut):
    """An appeal with the customer's situation, for the reviewer who decides it."""

    customer: ReviewCustomerOut
    accounts: list[AccountOut]
    reason: ReasonOut
    account_decisions: list[DecisionOut] = Field(description="the appealed account's credit decisions, oldest first")
    decision: ReviewDecisionOut | None


class ReviewDecisionIn(BaseModel):
    outcome: Literal["approved", "rejected"]
    note: str = Field(min_length=1, max_length=NOTE_MAX_LENGTH, description="the reviewer's reason, told to the customer")


class IncidentIn(BaseModel):
    product: ProductCode | None = Field(description="null: every product")
    service: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$", examples=["jiebei-risk-control"])
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    expected_end: datetime = Field(description="with a time zone; must be in the future")


class IncidentEndIn(BaseModel):
    expected_end: datetime = Field(description="with a time zone; must be in the future")


class StaffIncidentOut(IncidentOut):
    title_zh: str
    title_en: str
    closed_at: datetime | None
    conversations_told: int = Field(description="conversations the bot explained this incident to")
    conversations_notified: int = Field(description="of those, told that it ended")
