from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.identity import CONVERSATION_ID


class HandoffIn(BaseModel):
    conversation_id: str = CONVERSATION_ID
    language: Literal["zh", "en"] = "zh"
    product: str | None = Field(default=None, max_length=20)
    reason_code: str | None = Field(default=None, max_length=40)
    summary: str = Field(
        default="",
        max_length=4000,
        description="The bot's notes for the agent, shown as plain text. Who the customer is comes "
        "only from the verified token bound to the ticket, never from here.",
    )


class AgentOut(BaseModel):
    """A staff member; `role` decides which endpoints and console pages they may use."""

    id: int
    username: str
    display_name: str
    role: Literal["agent", "reviewer", "operations"]


class AgentLoginIn(BaseModel):
    username: str = Field(max_length=50)
    password: str = Field(max_length=200)


class AgentSessionOut(BaseModel):
    token: str
    expires_at: datetime
    agent: AgentOut


class TicketCustomerOut(BaseModel):
    """The verified customer, from the session token the handoff came with."""

    name: str
    name_en: str
    masked_phone: str


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
    customer: TicketCustomerOut | None = Field(description="null: the user was not verified")
    agent: AgentOut | None


class AgentMessageIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000)
    message_id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="Chosen by the console per message and sent again with its retry, which then "
        "does not reach the user a second time.",
    )


class TranscriptLine(BaseModel):
    """A chat line as the user's widget shows it (Rasa's widget channel makes both)."""

    sender: Literal["user", "bot", "agent"]
    text: str
    at: datetime | None
    agent: str | None = Field(default=None, description="The display name of the agent who wrote it (sender `agent`).")
