"""Everything under /api/v1."""

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from app.api.routes import (
    agent,
    appeals,
    customer,
    demo,
    figures,
    handoffs,
    identity,
    operations,
    products,
    ratings,
    reasons,
    review,
)

api_router = APIRouter()


class HealthOut(BaseModel):
    status: Literal["ok"]


@api_router.get("/health", tags=["health"], response_model=HealthOut)
def health() -> HealthOut:
    """Answers once startup has finished: the schema was found current (see app/prestart.py)."""
    return HealthOut(status="ok")


for module in (
    identity, demo, customer, products, reasons, appeals, handoffs, agent, ratings, figures, review, operations,
):  # fmt: skip
    api_router.include_router(module.router)
