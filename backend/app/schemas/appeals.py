from datetime import datetime

from pydantic import BaseModel, Field

from app.errors import STATEMENT_MAX_LENGTH


class MaterialRef(BaseModel):
    kind: str
    name: str


class AppealIn(BaseModel):
    product: str = Field(examples=["jiebei"])
    statement: str = Field(min_length=1, max_length=STATEMENT_MAX_LENGTH)


class TimelineEntry(BaseModel):
    status: str
    at: datetime
    note: str


class MaterialOut(BaseModel):
    id: int
    kind: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    status: str
    uploaded_at: datetime


class AppealOut(BaseModel):
    number: str
    product: str
    reason_code: str
    reason_title: str
    statement: str
    status: str
    created_at: datetime
    timeline: list[TimelineEntry]
    materials: list[MaterialOut]
    required_materials: list[MaterialRef]
