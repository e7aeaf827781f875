"""Handoff tickets: one open ticket per conversation, claimed by one agent at a time."""

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.errors import ApiError
from app.models import OPEN_TICKET_STATUSES, Agent, HandoffTicket


def open_ticket(session: Session, conversation_id: str) -> HandoffTicket | None:
    return session.scalar(
        select(HandoffTicket).where(
            HandoffTicket.conversation_id == conversation_id,
            HandoffTicket.status.in_(OPEN_TICKET_STATUSES),
        )
    )


def create_ticket(session: Session, fields: dict, customer_id: int | None) -> tuple[HandoffTicket, bool]:
    """Returns (ticket, created); a conversation already waiting for a human keeps its ticket."""
    existing = open_ticket(session, fields["conversation_id"])
    if existing is not None:
        return existing, False
    ticket = HandoffTicket(**fields, customer_id=customer_id, created_at=utcnow())
    session.add(ticket)
    try:
        session.commit()
        return ticket, True
    except IntegrityError:
        session.rollback()
        existing = open_ticket(session, fields["conversation_id"])
        if existing is None:
            raise
        return existing, False


def get_ticket(session: Session, ticket_id: int) -> HandoffTicket:
    ticket = session.get(HandoffTicket, ticket_id)
    if ticket is None:
        raise ApiError(404, "not_found")
    return ticket


def list_tickets(session: Session, status: str | None) -> list[HandoffTicket]:
    statuses = (status,) if status else OPEN_TICKET_STATUSES
    return list(
        session.scalars(
            select(HandoffTicket)
            .where(HandoffTicket.status.in_(statuses))
            .order_by(HandoffTicket.created_at, HandoffTicket.id)
        )
    )


def claim(session: Session, ticket_id: int, agent: Agent) -> HandoffTicket:
    """A conditional update, so two agents clicking at once cannot both get it."""
    ticket = get_ticket(session, ticket_id)
    if ticket.status == "active" and ticket.agent_id == agent.id:
        return ticket
    claimed = session.execute(
        update(HandoffTicket)
        .where(HandoffTicket.id == ticket_id, HandoffTicket.status == "waiting")
        .values(status="active", agent_id=agent.id, claimed_at=utcnow())
    )
    session.commit()
    session.refresh(ticket)
    if claimed.rowcount == 1:
        return ticket
    raise ApiError(409, "ticket_closed" if ticket.status == "closed" else "already_claimed")


def require_owned(ticket: HandoffTicket, agent: Agent) -> None:
    """Talking to the user or handing back needs the ticket to be this agent's active one."""
    if ticket.status == "closed":
        raise ApiError(409, "ticket_closed")
    if ticket.status == "waiting":
        raise ApiError(409, "not_claimed")
    if ticket.agent_id != agent.id:
        raise ApiError(409, "already_claimed")


def close(session: Session, ticket: HandoffTicket, *, handed_back: bool = False) -> HandoffTicket:
    now = utcnow()
    ticket.status = "closed"
    ticket.open_slot = None
    ticket.closed_at = now
    if handed_back:
        ticket.handed_back_at = now
    session.commit()
    return ticket
