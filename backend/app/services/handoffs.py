"""Handoff tickets: one open ticket per conversation, claimed by one agent at a time."""

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.errors import ApiError
from app.models import OPEN_TICKET_STATUSES, Agent, HandoffTicket
from app.services.rasa import RasaClient

UNCONFIRMED_TICKET_SECONDS = 60


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


def claim(session: Session, ticket_id: int, agent: Agent, rasa: RasaClient) -> HandoffTicket:
    """Only a conversation that really asked for a human, as Rasa records it, can be taken
    (the service token alone could otherwise point an agent at any conversation). A
    conditional update, so two agents clicking at once cannot both get it."""
    ticket = get_ticket(session, ticket_id)
    if ticket.status == "active" and ticket.agent_id == agent.id:
        return ticket
    _raise_unless_waiting(ticket)
    if not rasa.waiting_for_human(ticket.conversation_id):
        _close_if_never_confirmed(session, ticket)
        raise ApiError(409, "conversation_not_waiting")
    claimed = session.execute(
        update(HandoffTicket)
        .where(HandoffTicket.id == ticket_id, HandoffTicket.status == "waiting")
        .values(status="active", agent_id=agent.id, claimed_at=utcnow())
    )
    session.commit()
    session.refresh(ticket)
    if claimed.rowcount != 1:  # another agent was quicker, or the ticket was closed meanwhile
        _raise_unless_waiting(ticket)
    return ticket


def _raise_unless_waiting(ticket: HandoffTicket) -> None:
    if ticket.status == "closed":
        raise ApiError(409, "ticket_closed")
    if ticket.status == "active":
        raise ApiError(409, "already_claimed")


def _close_if_never_confirmed(session: Session, ticket: HandoffTicket) -> None:
    """Rasa stores a turn only when it ends, so a fresh ticket may not show yet; one that still
    does not after UNCONFIRMED_TICKET_SECONDS was never a real request and leaves the queue."""
    now = utcnow()
    if now - ticket.created_at <= timedelta(seconds=UNCONFIRMED_TICKET_SECONDS):
        return
    session.execute(
        update(HandoffTicket)
        .where(HandoffTicket.id == ticket.id, HandoffTicket.status == "waiting")
        .values(status="closed", open_slot=None, closed_at=now)
    )
    session.commit()


def require_reader(ticket: HandoffTicket, agent: Agent) -> None:
    """The conversation is read only by the agent who holds the ticket or who handled it."""
    if ticket.agent_id == agent.id and ticket.status in ("active", "closed"):
        return
    raise ApiError(409, "not_claimed" if ticket.agent_id is None else "already_claimed")


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
