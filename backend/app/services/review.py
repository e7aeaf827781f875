"""Reviewers' decisions on appeals, and telling the customer: live in the chat the appeal was
filed from, else once at the start of their next conversation."""

import logging
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.errors import ApiError
from app.i18n import pick
from app.models import OPEN_APPEAL_STATUSES, Account, Agent, Appeal, Customer, Decision, Material, Product
from app.models.appeal import AppealEvent
from app.services.rasa import RasaClient

log = logging.getLogger(__name__)

DECIDED_NOTES = {
    "approved": ("审核通过：{note}", "Approved by a reviewer: {note}"),
    "rejected": ("审核未通过：{note}", "Rejected by a reviewer: {note}"),
}
DECISION_DETAIL = {
    "approved": ("申诉 {number} 审核通过", "appeal {number} approved"),
    "rejected": ("申诉 {number} 审核未通过，维持原拒绝决定", "appeal {number} rejected; the refusal stands"),
}
OUTCOME_MESSAGES = {
    "approved": (
        "您的申诉 {number} 已通过：{product}已恢复可用。审核说明：{note}",
        "Your appeal {number} was approved: {product} is available again. The reviewer's note: {note}",
    ),
    "rejected": (
        "您的申诉 {number} 未通过。审核说明：{note}",
        "Your appeal {number} was rejected. The reviewer's note: {note}",
    ),
}
RETRY_MESSAGE = ("您可以在 {date} 之后重新申请。", "You can apply again after {date}.")


def queue(session: Session, product: str | None, reason: str | None, status: str | None) -> list[Appeal]:
    """Oldest first; without `status`, the appeals still open (submitted or in review)."""
    query = select(Appeal).order_by(Appeal.created_at, Appeal.id)
    query = query.where(Appeal.status == status) if status else query.where(Appeal.status.in_(OPEN_APPEAL_STATUSES))
    if product:
        query = query.where(Appeal.product_code == product)
    if reason:
        query = query.where(Appeal.reason_code == reason)
    return list(session.scalars(query))


def get_appeal(session: Session, number: str) -> Appeal:
    appeal = session.scalar(select(Appeal).where(Appeal.number == number))
    if appeal is None:
        raise ApiError(404, "not_found")
    return appeal


def material_path(upload_dir: Path, appeal: Appeal, material_id: int) -> tuple[Material, Path]:
    """The material and its file, which must lie inside the upload folder."""
    material = next((m for m in appeal.materials if m.id == material_id), None)
    if material is None:
        raise ApiError(404, "not_found")
    root = upload_dir.resolve()
    path = (root / material.stored_path).resolve()
    if root not in path.parents or not path.is_file():
        raise ApiError(404, "not_found")
    return material, path


def retry_date(appeal: Appeal) -> date | None:
    if appeal.status != "rejected" or not appeal.decided_at or not appeal.reason.retry_after_days:
        return None
    return (appeal.decided_at + timedelta(days=appeal.reason.retry_after_days)).date()


def decide(session: Session, number: str, reviewer: Agent, outcome: str, note: str) -> Appeal:
    """One conditional UPDATE decides: of two reviewers deciding at once, the second finds the
    appeal no longer open and gets 409 `appeal_decided`, whatever the database."""
    appeal = get_appeal(session, number)
    now = utcnow()
    decided = session.execute(
        update(Appeal)
        .where(Appeal.id == appeal.id, Appeal.status.in_(OPEN_APPEAL_STATUSES))
        .values(status=outcome, open_slot=None, decided_at=now, decided_by_id=reviewer.id, decision_note=note)
        .execution_options(synchronize_session=False)
    )
    if decided.rowcount != 1:
        session.rollback()
        raise ApiError(409, "appeal_decided")
    session.refresh(appeal)
    zh, en = DECIDED_NOTES[outcome]
    session.add(AppealEvent(appeal_id=appeal.id, status=outcome, at=now, note_zh=zh.format(note=note), note_en=en.format(note=note)))
    account = session.get(Account, appeal.account_id)
    previous = account.decisions[-1] if account.decisions else None
    detail_zh, detail_en = (text.format(number=appeal.number) for text in DECISION_DETAIL[outcome])
    if outcome == "approved":
        # An approval closes the refusal: the latest decision is no longer one.
        account.status = "active"
        account.decisions.append(Decision(outcome="approved", decided_at=now, reason_codes=[], detail_zh=detail_zh, detail_en=detail_en))
    else:
        # The refusal stands, renewed today: the retry date runs from now (diagnosis adds the
        # reason's retry_after_days).
        account.status = "refused"
        codes = list(previous.reason_codes) if previous and previous.outcome == "refused" else [appeal.reason_code]
        if appeal.reason_code not in codes:
            codes.insert(0, appeal.reason_code)
        account.decisions.append(Decision(outcome="refused", decided_at=now, reason_codes=codes, detail_zh=detail_zh, detail_en=detail_en))
    account.updated_at = now
    session.commit()
    session.refresh(appeal)
    return appeal


def outcome_message(session: Session, appeal: Appeal, lang: str) -> str:
    product = session.get(Product, appeal.product_code)
    zh, en = OUTCOME_MESSAGES[appeal.status]
    text = pick(lang, zh, en).format(
        number=appeal.number, product=pick(lang, product.name_zh, product.name_en), note=appeal.decision_note
    )
    retry = retry_date(appeal)
    if retry:
        if not text.endswith(("。", ".", "！", "!", "？", "?")):
            text += pick(lang, "。", ".")
        text += pick(lang, "", " ") + pick(lang, *RETRY_MESSAGE).format(date=retry.isoformat())
    return text


def customer_language(session: Session, appeal: Appeal) -> str:
    if appeal.language:
        return appeal.language
    return session.get(Customer, appeal.customer_id).preferred_language


def outcome_request_id(appeal: Appeal) -> str:
    """One per appeal: Rasa's channel tells a conversation a request id once, so a retried
    or repeated push of the same decision reaches the customer once."""
    return f"appeal-{appeal.number}-decision"


def push_outcome(session: Session, appeal: Appeal, rasa: RasaClient) -> bool:
    """Sends the outcome to the chat the appeal was filed from, as a bot message (like an
    agent's), once however often it is sent. Rasa unreachable is no failure of the decision:
    the customer is then told at their next conversation."""
    if not appeal.conversation_id:
        return False
    text = outcome_message(session, appeal, customer_language(session, appeal))
    try:
        rasa.send_message(appeal.conversation_id, outcome_request_id(appeal), text, {"notice": "appeal_outcome"})
    except ApiError as error:
        log.warning("could not push the outcome of %s: %s", appeal.number, error.code)
        return False
    appeal.outcome_pushed_at = utcnow()
    session.commit()
    return True


def deliver_outcomes(session: Session, customer: Customer, conversation_id: str, lang: str) -> list[tuple[Appeal, str]]:
    """Decided appeals the customer has not been told of in a conversation yet, each returned
    once (a conditional UPDATE claims it, so two turns at once cannot both tell it). The chat
    that already received the live push is not told again."""
    pending = session.scalars(
        select(Appeal)
        .where(
            Appeal.customer_id == customer.id,
            Appeal.status.in_(("approved", "rejected")),
            Appeal.outcome_delivered_at.is_(None),
        )
        .order_by(Appeal.decided_at, Appeal.id)
    ).all()
    told = []
    now = utcnow()
    for appeal in pending:
        claimed = session.execute(
            update(Appeal)
            .where(Appeal.id == appeal.id, Appeal.outcome_delivered_at.is_(None))
            .values(outcome_delivered_at=now)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        seen_live = appeal.outcome_pushed_at is not None and appeal.conversation_id == conversation_id
        if claimed.rowcount == 1 and not seen_live:
            told.append((appeal, outcome_message(session, appeal, lang)))
    return told
