from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.errors import STATEMENT_MAX_LENGTH, STATEMENT_MIN_LENGTH
from app.seed.catalog import MATERIAL_KINDS, PRODUCTS

# The catalog's codes as schema enums: what the server accepts is what the schema publishes.
ProductCode = Literal[tuple(p["code"] for p in PRODUCTS)]  # type: ignore[valid-type]
MaterialKindCode = Literal[tuple(k["kind"] for k in MATERIAL_KINDS)]  # type: ignore[valid-type]
AppealStatus = Literal["submitted", "in_review", "approved", "rejected"]
MATERIAL_TYPES = ("image/jpeg", "image/png", "application/pdf")


class MaterialRef(BaseModel):
    kind: MaterialKindCode
    name: str


class StatementIn(BaseModel):
    statement: str = Field(min_length=STATEMENT_MIN_LENGTH, max_length=STATEMENT_MAX_LENGTH)


class AppealIn(StatementIn):
    product: ProductCode = Field(examples=["jiebei"])


class TimelineEntry(BaseModel):
    status: AppealStatus
    at: datetime
    note: str


class MaterialOut(BaseModel):
    id: int
    kind: MaterialKindCode
    file_name: str
    content_type: Literal[MATERIAL_TYPES]  # type: ignore[valid-type]
    size: int
    sha256: str
    status: Literal["received"]
    uploaded_at: datetime


class AppealOut(BaseModel):
    number: str
    product: ProductCode
    product_name: str
    reason_code: str
    reason_title: str
    statement: str
    status: AppealStatus
    open: bool = Field(description="still to be decided (submitted or in review)")
    review_days: int = Field(description="working days a reviewer usually takes once the materials are in")
    review_time: str = Field(description="review_days in words, in the asked language", examples=["3 个工作日"])
    created_at: datetime
    timeline: list[TimelineEntry]
    materials: list[MaterialOut]
    required_materials: list[MaterialRef]
