from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.appeals import AppealOut, MaterialRef, ProductCode

AccountStatus = Literal["active", "not_opened", "refused", "under_review", "suspended"]
Topic = Literal["login", "verification", "service", "application"]


class ProductOut(BaseModel):
    code: ProductCode
    name: str


class AccountOut(BaseModel):
    product: ProductCode
    product_name: str
    status: AccountStatus
    has_problem: bool = Field(description="the customer cannot use it now (refused, under review, suspended)")
    updated_at: datetime


class ReasonFollowUpOut(BaseModel):
    """Answers to follow-up questions about this cause, in the asked language (null: none)."""

    why_me: str | None = Field(None, description="why this applies to the user, and why it is fair")
    timing: str | None = Field(None, description="how long it takes / when things can change")
    already_fixed: str | None = Field(None, description="what to do once the user has fixed the cause")


class ReasonOut(BaseModel):
    code: str
    family: Literal["qualification", "technical", "compliance", "regulatory"]
    title: str
    explanation: str
    remedy: str
    required_materials: list[MaterialRef]
    appealable: bool
    retry_after_days: int | None
    appeal_review_days: int | None = Field(description="working days a reviewer takes to decide an appeal (null: not appealable)")
    follow_up: ReasonFollowUpOut
    keywords: list[str] = Field(
        description="words customers use for this cause, both languages, lower case: which cause a follow-up names"
    )


class DecisionOut(BaseModel):
    outcome: str
    decided_at: datetime
    reason_codes: list[str]
    detail: str | None


class AttemptOut(BaseModel):
    kind: Topic
    product: ProductCode | None
    occurred_at: datetime
    reason_code: str | None
    device: str | None
    app_version: str | None
    location: str | None


class IncidentOut(BaseModel):
    id: int
    service: str
    product: ProductCode | None
    title: str
    status: str
    started_at: datetime
    expected_end: datetime | None


class DiagnosisOut(BaseModel):
    product: ProductCode | None = Field(
        description="the product diagnosed: the one asked about; without one, for a complaint about a "
        "product (no topic, or `application`), the only product with a problem; else the blocking cause's"
    )
    product_name: str | None
    status: AccountStatus | None = Field(description="of `product` (`not_opened` when it has no account)")
    ask_product: bool = Field(
        description="no product was asked about and several have a problem: ask the user which one"
    )
    accounts: list[AccountOut] = Field(description="all of the customer's accounts")
    blocking_reason: ReasonOut | None
    other_reasons: list[ReasonOut]
    decision: DecisionOut | None
    failed_attempts: list[AttemptOut]
    incidents: list[IncidentOut]
    appealable: bool
    required_materials: list[MaterialRef]
    retry_after: date | None
    open_appeal: AppealOut | None


class AppealOutcomeOut(BaseModel):
    number: str
    product: ProductCode
    status: Literal["approved", "rejected"]
    message: str = Field(description="what the bot says, in the asked language")
