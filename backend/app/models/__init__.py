"""All tables, imported together so Alembic and the app see the same metadata."""

from app.models.appeal import OPEN_APPEAL_STATUSES, Appeal, AppealEvent, Material
from app.models.auth import OtpCode, SessionToken
from app.models.catalog import MaterialKind, Product, Reason
from app.models.customer import Account, Attempt, Customer, Decision, Incident
from app.models.handoff import OPEN_TICKET_STATUSES, Agent, HandoffTicket
from app.models.rating import Rating

__all__ = [
    "OPEN_APPEAL_STATUSES",
    "OPEN_TICKET_STATUSES",
    "Account",
    "Agent",
    "Appeal",
    "AppealEvent",
    "Attempt",
    "Customer",
    "Decision",
    "HandoffTicket",
    "Incident",
    "Material",
    "MaterialKind",
    "OtpCode",
    "Product",
    "Rating",
    "Reason",
    "SessionToken",
]
