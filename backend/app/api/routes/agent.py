"""The console's API: every staff role logs in here; agents take tickets, read and write to the
conversation via Rasa."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlalchemy import select

from app.api.deps import AgentDep, ClientAddressDep, DbDep, SettingsDep, ThrottleDep, with_retry_after
from app.api.present import agent_out, ticket_out
from app.api.responses import error_responses
from app.core.db import utcnow
from app.core.security import verify_password
from app.errors import ApiError
from app.models import Agent
from app.schemas.handoffs import (
    AgentLoginIn,
    AgentMessageIn,
    AgentSessionOut,
    TicketOut,
    TranscriptLine,
)
from app.services import handoffs, sessions
from app.services.rasa import RasaClient

router = APIRouter(prefix="/agent", tags=["agent"])
HANDBACK_INTENT = "EXTERNAL_handback"


@router.post(
    "/login",
    response_model=AgentSessionOut,
    responses=with_retry_after(error_responses(401, 422, 429, 503)),
)
def login(
    body: AgentLoginIn, db: DbDep, settings: SettingsDep, throttle: ThrottleDep, address: ClientAddressDep
) -> AgentSessionOut:
    """Throttled before the deliberately slow password check: failures per username and client
    address, attempts per address (429 `login_throttled`). A username alone is never locked, so
    nobody can lock an agent out from another address."""
    failures = (throttle.login_failures, (address, body.username))
    throttle.check([failures], "login_throttled")
    throttle.hit([(throttle.login_attempts, (address,))], "login_throttled")
    agent = db.scalar(select(Agent).where(Agent.username == body.username))
    if agent is None or not verify_password(body.password, agent.password_hash):
        throttle.count(*failures)
        raise ApiError(401, "agent_login_failed")
    throttle.clear(*failures)
    token, expires_at = sessions.issue(db, "agent", settings.agent_session_ttl_minutes, agent_id=agent.id)
    return AgentSessionOut(token=token, expires_at=expires_at, agent=agent_out(agent))


@router.get("/handoffs", response_model=list[TicketOut], responses=error_responses(401, 403, 422))
def list_handoffs(
    agent: AgentDep,
    db: DbDep,
    status: Annotated[Literal["waiting", "active", "closed"] | None, Query()] = None,
) -> list[TicketOut]:
    """Without `status`: every open ticket (waiting and active), oldest first."""
    return [ticket_out(t) for t in handoffs.list_tickets(db, status)]


@router.post(
    "/handoffs/{ticket_id}/claim",
    response_model=TicketOut,
    responses=error_responses(401, 403, 404, 409, 422, 502, 503),
)
def claim(ticket_id: int, agent: AgentDep, db: DbDep, settings: SettingsDep) -> TicketOut:
    """Only a conversation that Rasa shows paused for a human can be taken: 409
    `conversation_not_waiting` otherwise (`already_claimed`, `ticket_closed` as before)."""
    return ticket_out(handoffs.claim(db, ticket_id, agent, RasaClient(settings)))


@router.get(
    "/handoffs/{ticket_id}/transcript",
    response_model=list[TranscriptLine],
    responses=error_responses(401, 403, 404, 409, 422, 502, 503),
)
def transcript(ticket_id: int, agent: AgentDep, db: DbDep, settings: SettingsDep) -> list[dict]:
    """For the agent holding the ticket or who handled it: 409 `not_claimed` / `already_claimed`."""
    ticket = handoffs.get_ticket(db, ticket_id)
    handoffs.require_reader(ticket, agent)
    return RasaClient(settings).transcript(ticket.conversation_id)


@router.post(
    "/handoffs/{ticket_id}/messages",
    response_model=TranscriptLine,
    status_code=201,
    responses=error_responses(401, 403, 404, 409, 422, 502, 503),
)
def send_message(
    ticket_id: int, body: AgentMessageIn, agent: AgentDep, db: DbDep, settings: SettingsDep
) -> TranscriptLine:
    """Sent as a bot event carrying metadata.agent, so it reaches the widget and the transcript.
    Sent again with the same `message_id` (the console's retry after an error), it reaches the
    user once; without one, only this request's own retry is covered."""
    ticket = handoffs.get_ticket(db, ticket_id)
    handoffs.require_owned(ticket, agent)
    message_id = body.message_id or uuid.uuid4().hex
    RasaClient(settings).send_message(
        ticket.conversation_id, f"agent-{ticket.id}-{message_id}", body.text, {"agent": agent.display_name}
    )
    return TranscriptLine(sender="agent", text=body.text, at=utcnow(), agent=agent.display_name)


@router.post(
    "/handoffs/{ticket_id}/handback",
    response_model=TicketOut,
    responses=error_responses(401, 403, 404, 409, 422, 502, 503),
)
def handback(ticket_id: int, agent: AgentDep, db: DbDep, settings: SettingsDep) -> TicketOut:
    """Resume the paused conversation, let the bot greet the user back, then close the ticket.
    A ticket is handed back once, so its id makes the request id: a retry after an error
    does not greet the user twice."""
    ticket = handoffs.get_ticket(db, ticket_id)
    handoffs.require_owned(ticket, agent)
    RasaClient(settings).hand_back(ticket.conversation_id, f"handback-{ticket.id}", HANDBACK_INTENT)
    return ticket_out(handoffs.close(db, ticket, handed_back=True))


@router.post(
    "/handoffs/{ticket_id}/close",
    response_model=TicketOut,
    responses=error_responses(401, 403, 404, 409, 422, 502, 503),
)
def close(ticket_id: int, agent: AgentDep, db: DbDep, settings: SettingsDep) -> TicketOut:
    """Close a ticket nobody will serve (e.g. the user left); someone else's active ticket is
    not ours to close. The conversation goes back to the bot as on a hand-back (once per
    ticket; if Rasa fails the ticket stays open): left paused, a user who came back would be
    told to wait for an agent who never comes."""
    ticket = handoffs.get_ticket(db, ticket_id)
    if ticket.status == "active":
        handoffs.require_owned(ticket, agent)
    elif ticket.status == "closed":
        raise ApiError(409, "ticket_closed")
    RasaClient(settings).hand_back(ticket.conversation_id, f"handback-{ticket.id}", HANDBACK_INTENT)
    return ticket_out(handoffs.close(db, ticket))
