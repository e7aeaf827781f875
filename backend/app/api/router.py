"""Everything under /api/v1."""

from fastapi import APIRouter

from app.api.routes import agent, appeals, customer, demo, handoffs, identity, reasons

api_router = APIRouter()


@api_router.get("/health", tags=["health"])
def health() -> dict:
    """Answers once startup (migrations and seeding) has finished."""
    return {"status": "ok"}


for module in (identity, demo, customer, reasons, appeals, handoffs, agent):
    api_router.include_router(module.router)
