"""Reviewers: the appeal queue, an appeal with the customer's situation, its materials, and the decision."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from app.api.deps import DbDep, LangDep, ReviewerDep, SettingsDep
from app.api.present import Presenter
from app.api.responses import error_responses
from app.core.security import mask_phone
from app.i18n import pick
from app.models import Appeal, Customer
from app.schemas.appeals import MATERIAL_TYPES, AppealStatus, ProductCode
from app.schemas.staff import (
    ReviewAppealOut,
    ReviewCustomerOut,
    ReviewDecisionIn,
    ReviewDecisionOut,
    ReviewQueueItem,
)
from app.services import review
from app.services.rasa import RasaClient

router = APIRouter(prefix="/review", tags=["review"])
# A material is shown by the browser as what its content was checked to be, and nothing in it
# may run: no scripts, no plugins, no forms, no framing by other sites.
MATERIAL_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'"


def _customer(customer: Customer, lang: str) -> ReviewCustomerOut:
    return ReviewCustomerOut(
        name=customer.name,
        name_en=customer.name_en,
        masked_phone=mask_phone(customer.phone),
        region=pick(lang, customer.region_zh, customer.region_en),
        preferred_language=customer.preferred_language,
    )


def _decision(appeal: Appeal) -> ReviewDecisionOut | None:
    if appeal.status not in ("approved", "rejected"):
        return None
    return ReviewDecisionOut(
        outcome=appeal.status,
        note=appeal.decision_note or "",
        decided_at=appeal.decided_at,
        reviewer=appeal.decided_by.display_name if appeal.decided_by else None,
        retry_after=review.retry_date(appeal),
        told_live=appeal.outcome_pushed_at is not None,
        told_in_chat_at=appeal.outcome_delivered_at,
    )


def appeal_page(db, appeal: Appeal, lang: str) -> ReviewAppealOut:
    present = Presenter(db, lang)
    customer = db.get(Customer, appeal.customer_id)
    account = next(a for a in customer.accounts if a.id == appeal.account_id)
    return ReviewAppealOut(
        **present.appeal(appeal).model_dump(),
        customer=_customer(customer, lang),
        accounts=[present.account(a) for a in customer.accounts],
        reason=present.reason(appeal.reason),
        account_decisions=[present.decision(d) for d in account.decisions],
        decision=_decision(appeal),
    )


@router.get("/appeals", response_model=list[ReviewQueueItem], responses=error_responses(401, 403, 422))
def appeal_queue(
    reviewer: ReviewerDep,
    db: DbDep,
    lang: LangDep,
    product: Annotated[ProductCode | None, Query()] = None,
    reason: Annotated[str | None, Query(max_length=40, description="a reason code of the catalog")] = None,
    status: Annotated[AppealStatus | None, Query(description="omit: the open ones (submitted, in_review)")] = None,
) -> list[ReviewQueueItem]:
    """Oldest first, so nobody waits longest by accident."""
    present = Presenter(db, lang)
    items = []
    for appeal in review.queue(db, product, reason, status):
        customer = db.get(Customer, appeal.customer_id)
        items.append(
            ReviewQueueItem(
                number=appeal.number,
                product=appeal.product_code,
                product_name=present.product_name(appeal.product_code),
                reason_code=appeal.reason_code,
                reason_title=pick(lang, appeal.reason.title_zh, appeal.reason.title_en),
                status=appeal.status,
                created_at=appeal.created_at,
                customer=_customer(customer, lang),
                materials_received=len({m.kind for m in appeal.materials}),
                materials_required=len(appeal.reason.required_materials),
            )
        )
    return items


@router.get("/appeals/{number}", response_model=ReviewAppealOut, responses=error_responses(401, 403, 404, 422))
def appeal_detail(number: str, reviewer: ReviewerDep, db: DbDep, lang: LangDep) -> ReviewAppealOut:
    return appeal_page(db, review.get_appeal(db, number), lang)


@router.get(
    "/appeals/{number}/materials/{material_id}/file",
    response_model=None,
    responses={
        200: {
            "description": "The file as uploaded, its type detected from its content",
            "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in MATERIAL_TYPES},
        }
    }
    | error_responses(401, 403, 404, 422),
)
def material_file(number: str, material_id: int, reviewer: ReviewerDep, db: DbDep, settings: SettingsDep) -> FileResponse:
    """For reviewers only, shown inline: the detected content type, no sniffing, a sandbox
    that lets nothing in the file run, and never cached."""
    material, path = review.material_path(settings.upload_dir, review.get_appeal(db, number), material_id)
    ascii_name = "".join(c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in material.file_name)
    return FileResponse(
        path,
        media_type=material.content_type,
        headers={
            "Content-Disposition": f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(material.file_name)}",
            "Content-Security-Policy": MATERIAL_POLICY,
            "Cache-Control": "private, no-store",
        },
    )


@router.post(
    "/appeals/{number}/decision",
    response_model=ReviewAppealOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def decide(number: str, body: ReviewDecisionIn, reviewer: ReviewerDep, db: DbDep, lang: LangDep, settings: SettingsDep) -> ReviewAppealOut:
    """Approve or reject once (409 `appeal_decided` after, also when another reviewer was
    faster); the account follows and the customer is told in the chat the appeal came from
    when Rasa takes the message, else at their next conversation."""
    appeal = review.decide(db, number, reviewer, body.outcome, body.note)
    review.push_outcome(db, appeal, RasaClient(settings))
    return appeal_page(db, appeal, lang)
