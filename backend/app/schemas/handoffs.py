from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.identity import CustomerOut


class HandoffIn(BaseModel):
    conversation_id: str = Field(min_length=1, max_length=200)
    language: Literal["zh", "en"] = "zh"
    product: str | None = Field(default=None, max_length=20)
    reason_code: str | None = Field(default=None, max_length=40)
    summary: str = Field(default="", max_length=4000)


class AgentOut(BaseModel):
    id: int
    username: str
    display_name: str


class AgentLoginIn(BaseModel):
    username: str = Field(max_length=50)
    password: str = Field(max_length=200)


class AgentSessionOut(BaseModel):
    token: str
    expires_at: datetime
    agent: AgentOut


class TicketOut(BaseModel):
    id: int
    conversation_id: str
    language: str
    product: str | None
    reason_code: str | None
    summary: str
    status: str
    created_at: datetime
    claimed_at: datetime | None
    handed_back_at: datetime | None
    closed_at: datetime | None
    waiting_seconds: int
    customer: CustomerOut | None
    agent: AgentOut | None


class AgentMessageIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000)


class TranscriptLine(BaseModel):
    sender: Literal["user", "bot", "agent"]
    text: str
    at: datetime | None
