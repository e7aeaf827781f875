from datetime import date, datetime

from pydantic import BaseModel

from app.schemas.appeals import AppealOut, MaterialRef


class AccountOut(BaseModel):
    product: str
    product_name: str
    status: str
    updated_at: datetime


class ReasonOut(BaseModel):
    code: str
    family: str
    title: str
    explanation: str
    remedy: str
    required_materials: list[MaterialRef]
    appealable: bool
    retry_after_days: int | None


class DecisionOut(BaseModel):
    outcome: str
    decided_at: datetime
    reason_codes: list[str]
    detail: str | None


class AttemptOut(BaseModel):
    kind: str
    product: str | None
    occurred_at: datetime
    reason_code: str | None
    device: str | None
    app_version: str | None
    location: str | None


class IncidentOut(BaseModel):
    id: int
    service: str
    product: str | None
    title: str
    status: str
    started_at: datetime
    expected_end: datetime | None


class DiagnosisOut(BaseModel):
    product: str | None
    product_name: str | None
    status: str | None
    blocking_reason: ReasonOut | None
    other_reasons: list[ReasonOut]
    decision: DecisionOut | None
    failed_attempts: list[AttemptOut]
    incidents: list[IncidentOut]
    appealable: bool
    required_materials: list[MaterialRef]
    retry_after: date | None
    open_appeal: AppealOut | None
