"""The action server hands a conversation to a human."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from app.api.deps import DbDep, ServiceDep, optional_customer
from app.api.present import ticket_out
from app.api.responses import error_responses
from app.models import Customer
from app.schemas.handoffs import HandoffIn, TicketOut
from app.services import handoffs

router = APIRouter(prefix="/handoffs", tags=["handoffs"])


@router.post(
    "",
    response_model=TicketOut,
    status_code=201,
    dependencies=[ServiceDep],
    responses={200: {"model": TicketOut, "description": "This conversation's open ticket"}}
    | error_responses(401, 422),
)
def create_handoff(
    body: HandoffIn,
    response: Response,
    db: DbDep,
    customer: Annotated[Customer | None, Depends(optional_customer)],
) -> TicketOut:
    """The customer comes from their verified token only, never from the request body or the
    summary (which the console shows as the bot's notes)."""
    fields = {
        "conversation_id": body.conversation_id,
        "language": body.language,
        "product_code": body.product,
        "reason_code": body.reason_code,
        "summary": body.summary,
    }
    ticket, created = handoffs.create_ticket(db, fields, customer.id if customer else None)
    if not created:
        response.status_code = 200
    return ticket_out(ticket)
