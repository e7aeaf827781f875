"""The agent console's API: log in, take tickets, read and write to the conversation via Rasa."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlalchemy import select

from app.api.deps import AgentDep, DbDep, SettingsDep
from app.api.present import agent_out, ticket_out
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


@router.post("/login", response_model=AgentSessionOut)
def login(body: AgentLoginIn, db: DbDep, settings: SettingsDep) -> AgentSessionOut:
    agent = db.scalar(select(Agent).where(Agent.username == body.username))
    if agent is None or not verify_password(body.password, agent.password_hash):
        raise ApiError(401, "agent_login_failed")
    token, expires_at = sessions.issue(db, "agent", settings.agent_session_ttl_minutes, agent_id=agent.id)
    return AgentSessionOut(token=token, expires_at=expires_at, agent=agent_out(agent))


@router.get("/handoffs", response_model=list[TicketOut])
def list_handoffs(
    agent: AgentDep,
    db: DbDep,
    status: Annotated[Literal["waiting", "active", "closed"] | None, Query()] = None,
) -> list[TicketOut]:
    """Without `status`: every open ticket (waiting and active), oldest first."""
    return [ticket_out(t) for t in handoffs.list_tickets(db, status)]


@router.post("/handoffs/{ticket_id}/claim", response_model=TicketOut)
def claim(ticket_id: int, agent: AgentDep, db: DbDep) -> TicketOut:
    return ticket_out(handoffs.claim(db, ticket_id, agent))


@router.get("/handoffs/{ticket_id}/transcript", response_model=list[TranscriptLine])
def transcript(ticket_id: int, agent: AgentDep, db: DbDep, settings: SettingsDep) -> list[dict]:
    ticket = handoffs.get_ticket(db, ticket_id)
    return RasaClient(settings).transcript(ticket.conversation_id)


@router.post("/handoffs/{ticket_id}/messages", response_model=TranscriptLine, status_code=201)
def send_message(
    ticket_id: int, body: AgentMessageIn, agent: AgentDep, db: DbDep, settings: SettingsDep
) -> TranscriptLine:
    """Sent as a bot event carrying metadata.agent, so it reaches the widget and the transcript."""
    ticket = handoffs.get_ticket(db, ticket_id)
    handoffs.require_owned(ticket, agent)
    RasaClient(settings).post_event(
        ticket.conversation_id,
        {"event": "bot", "text": body.text, "metadata": {"agent": agent.display_name}},
    )
    return TranscriptLine(sender="agent", text=body.text, at=utcnow())


@router.post("/handoffs/{ticket_id}/handback", response_model=TicketOut)
def handback(ticket_id: int, agent: AgentDep, db: DbDep, settings: SettingsDep) -> TicketOut:
    """Resume the paused conversation, let the bot greet the user back, then close the ticket."""
    ticket = handoffs.get_ticket(db, ticket_id)
    handoffs.require_owned(ticket, agent)
    rasa = RasaClient(settings)
    # Paused right after the handoff action, the tracker never listened; without this
    # action_listen the rule "EXTERNAL_handback -> utter_welcome_back" cannot match.
    rasa.post_event(ticket.conversation_id, [{"event": "resume"}, {"event": "action", "name": "action_listen"}])
    rasa.trigger_intent(ticket.conversation_id, HANDBACK_INTENT)
    return ticket_out(handoffs.close(db, ticket, handed_back=True))


@router.post("/handoffs/{ticket_id}/close", response_model=TicketOut)
def close(ticket_id: int, agent: AgentDep, db: DbDep) -> TicketOut:
    """Close without handing back (e.g. the user left); someone else's active ticket is not ours to close."""
    ticket = handoffs.get_ticket(db, ticket_id)
    if ticket.status == "active":
        handoffs.require_owned(ticket, agent)
    elif ticket.status == "closed":
        raise ApiError(409, "ticket_closed")
    return ticket_out(handoffs.close(db, ticket))
