from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class DayCount(BaseModel):
    day: date
    count: int


class ConversationFigures(BaseModel):
    total: int = Field(description="conversations with a user message in the range")
    per_day: list[DayCount] = Field(description="every day of the range: conversations with a user message that day")
    handed_off: int = Field(description="conversations the bot handed to a human")
    contained: int
    containment: float | None = Field(description="contained / total; null without conversations")


class WaitSeconds(BaseModel):
    average: float | None
    median: float | None
    max: float | None


class HandoffFigures(BaseModel):
    total: int = Field(description="tickets created in the range")
    claimed: int
    waiting: int = Field(description="of those, still waiting for an agent")
    wait_seconds: WaitSeconds = Field(description="created -> claimed, over the claimed tickets")


class CauseCount(BaseModel):
    reason_code: str
    conversations: int


class AppealFigures(BaseModel):
    filed: int
    decided: int = Field(description="approvals and rejections made in the range")
    approved: int


class FallbackFigures(BaseModel):
    user_messages: int = Field(description="messages the users typed (buttons not counted)")
    not_understood: int
    rate: float | None


class SatisfactionFigures(BaseModel):
    count: int
    average: float | None
    scores: dict[str, int] = Field(description='ratings per score, "1" to "5"')


class FiguresOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date
    conversations: ConversationFigures
    handoffs: HandoffFigures
    causes: list[CauseCount] = Field(description="diagnosed reasons, by conversations, most first")
    appeals: AppealFigures
    fallback: FallbackFigures
    satisfaction: SatisfactionFigures


class UnknownGroup(BaseModel):
    text: str = Field(description="the newest message of the group")
    count: int
    last_at: datetime
    examples: list[str] = Field(description="distinct texts, newest first, at most 10")


class UnknownMessagesOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date
    messages: int
    groups: list[UnknownGroup]
