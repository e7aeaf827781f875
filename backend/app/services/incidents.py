"""Incidents opened, extended and closed by operations; the conversations told about one are
told when it ends. Diagnosis reads open incidents on every call, so the bot follows at once."""

import logging
import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.errors import ApiError
from app.i18n import pick
from app.models import Incident, Product
from app.models.customer import IncidentNotice
from app.services.rasa import RasaClient

log = logging.getLogger(__name__)
OUTAGE_REASON = "SERVICE_OUTAGE"
ENDED_MESSAGE = (
    "通知：{product}服务故障已经结束（{title}），现在可以重新使用了。",
    "Update: the {product} service problem is over ({title}); you can use it again now.",
)
ALL_PRODUCTS = ("全部产品", "all products")


def _future(expected_end: datetime) -> datetime:
    if expected_end.tzinfo is None or expected_end <= utcnow():
        raise ApiError(422, "expected_end_invalid")
    return expected_end


def list_incidents(session: Session) -> list[Incident]:
    """Open ones first, then the newest."""
    return list(session.scalars(select(Incident).order_by((Incident.status == "open").desc(), Incident.started_at.desc(), Incident.id.desc())))


def get_incident(session: Session, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise ApiError(404, "not_found")
    return incident


def open_incident(session: Session, product: str | None, service: str, title_zh: str, title_en: str, expected_end: datetime) -> Incident:
    incident = Incident(
        ref=f"INC-{uuid.uuid4().hex[:12].upper()}",
        service=service,
        product_code=product,
        reason_code=OUTAGE_REASON,
        title_zh=title_zh,
        title_en=title_en,
        status="open",
        started_at=utcnow(),
        expected_end=_future(expected_end),
    )
    session.add(incident)
    session.commit()
    return incident


def _change_open(session: Session, incident_id: int, **values) -> Incident:
    """A conditional UPDATE of an open incident: a closed one is 409 `incident_closed`."""
    incident = get_incident(session, incident_id)
    changed = session.execute(
        update(Incident)
        .where(Incident.id == incident.id, Incident.status == "open")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        session.rollback()
        raise ApiError(409, "incident_closed")
    session.commit()
    session.refresh(incident)
    return incident


def set_expected_end(session: Session, incident_id: int, expected_end: datetime) -> Incident:
    return _change_open(session, incident_id, expected_end=_future(expected_end))


def close_incident(session: Session, incident_id: int) -> Incident:
    """Closed once (a second close is 409 `incident_closed`)."""
    return _change_open(session, incident_id, status="closed", closed_at=utcnow())


def remember_told(session: Session, incident_ids: list[int], conversation_id: str, lang: str) -> None:
    """The bot explained these open incidents in this conversation (once per pair)."""
    for incident_id in incident_ids:
        exists = session.scalar(
            select(IncidentNotice.id).where(IncidentNotice.incident_id == incident_id, IncidentNotice.conversation_id == conversation_id)
        )
        if exists:
            continue
        session.add(IncidentNotice(incident_id=incident_id, conversation_id=conversation_id, language=lang))
        try:
            session.commit()
        except IntegrityError:  # the same conversation, a concurrent turn
            session.rollback()


def ended_request_id(incident: Incident) -> str:
    """The notice's request id: this incident's end. Rasa's channel carries a request id out
    once per conversation, so a retried or repeated notice reaches each chat once; the id need
    not name the conversation (and so stays within the channel's 100 characters whatever the
    conversation id). The close time is part of it because re-seeding the demo data reopens the
    seeded incident under the same id, and its next end is news again."""
    return f"incident-{incident.id}-ended-{incident.closed_at:%Y%m%dT%H%M%S}"


def notify_ended(session: Session, incident: Incident, rasa: RasaClient) -> int:
    """Tells every conversation the incident was explained to that it is over, each once
    (a stable request id per incident, so a retry cannot tell it twice); a conversation Rasa
    cannot reach now is left not notified, and a later call may tell it, still once. Returns
    how many were told."""
    product = session.get(Product, incident.product_code) if incident.product_code else None
    told = 0
    notices = session.scalars(
        select(IncidentNotice).where(IncidentNotice.incident_id == incident.id, IncidentNotice.notified_at.is_(None))
    ).all()
    for notice in notices:
        claimed = session.execute(
            update(IncidentNotice)
            .where(IncidentNotice.id == notice.id, IncidentNotice.notified_at.is_(None))
            .values(notified_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        session.commit()
        if claimed.rowcount != 1:
            continue
        name = pick(notice.language, product.name_zh, product.name_en) if product else pick(notice.language, *ALL_PRODUCTS)
        text = pick(notice.language, *ENDED_MESSAGE).format(product=name, title=pick(notice.language, incident.title_zh, incident.title_en))
        try:
            rasa.send_message(notice.conversation_id, ended_request_id(incident), text, {"notice": "incident_ended"})
            told += 1
        except ApiError as error:
            log.warning("could not tell a conversation that incident %s ended: %s", incident.id, error.code)
            session.execute(update(IncidentNotice).where(IncidentNotice.id == notice.id).values(notified_at=None))
            session.commit()
    return told


def counts(session: Session, incident_id: int) -> tuple[int, int]:
    told = session.scalar(select(func.count()).select_from(IncidentNotice).where(IncidentNotice.incident_id == incident_id))
    notified = session.scalar(
        select(func.count()).select_from(IncidentNotice).where(IncidentNotice.incident_id == incident_id, IncidentNotice.notified_at.is_not(None))
    )
    return told, notified
