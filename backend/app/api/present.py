"""Turns stored rows into API bodies in one language (bilingual columns -> one text)."""

from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.core.security import mask_phone
from app.i18n import pick, working_days
from app.models import (
    OPEN_APPEAL_STATUSES,
    Account,
    Agent,
    Appeal,
    Attempt,
    Customer,
    Decision,
    HandoffTicket,
    Incident,
    Material,
    MaterialKind,
    Product,
    Reason,
)
from app.schemas.appeals import AppealOut, MaterialOut, MaterialRef, TimelineEntry
from app.schemas.customer import (
    AccountOut,
    AttemptOut,
    DecisionOut,
    DiagnosisOut,
    IncidentOut,
    ReasonFollowUpOut,
    ReasonOut,
)
from app.schemas.handoffs import AgentOut, TicketCustomerOut, TicketOut
from app.schemas.identity import CustomerOut
from app.services.diagnosis import PROBLEM_STATUSES, Diagnosis


def customer_out(customer: Customer) -> CustomerOut:
    return CustomerOut(
        id=customer.id,
        name=customer.name,
        name_en=customer.name_en,
        masked_phone=mask_phone(customer.phone),
        preferred_language=customer.preferred_language,
    )


def agent_out(agent: Agent) -> AgentOut:
    return AgentOut(id=agent.id, username=agent.username, display_name=agent.display_name, role=agent.role)


def material_out(material: Material) -> MaterialOut:
    return MaterialOut(
        id=material.id,
        kind=material.kind,
        file_name=material.file_name,
        content_type=material.content_type,
        size=material.size,
        sha256=material.sha256,
        status=material.status,
        uploaded_at=material.uploaded_at,
    )


def ticket_out(ticket: HandoffTicket) -> TicketOut:
    waited_until = ticket.claimed_at or ticket.closed_at or utcnow()
    return TicketOut(
        id=ticket.id,
        conversation_id=ticket.conversation_id,
        language=ticket.language,
        product=ticket.product_code,
        reason_code=ticket.reason_code,
        summary=ticket.summary,
        status=ticket.status,
        created_at=ticket.created_at,
        claimed_at=ticket.claimed_at,
        handed_back_at=ticket.handed_back_at,
        closed_at=ticket.closed_at,
        waiting_seconds=max(0, int((waited_until - ticket.created_at).total_seconds())),
        customer=(
            TicketCustomerOut(
                name=ticket.customer.name,
                name_en=ticket.customer.name_en,
                masked_phone=mask_phone(ticket.customer.phone),
            )
            if ticket.customer
            else None
        ),
        agent=agent_out(ticket.agent) if ticket.agent else None,
    )


class Presenter:
    """Holds the language and the small reference tables, loaded once per request."""

    def __init__(self, session: Session, lang: str) -> None:
        self.session = session
        self.lang = lang

    @cached_property
    def _kinds(self) -> dict[str, MaterialKind]:
        return {k.kind: k for k in self.session.scalars(select(MaterialKind))}

    @cached_property
    def _products(self) -> dict[str, Product]:
        return {p.code: p for p in self.session.scalars(select(Product))}

    def text(self, zh: str | None, en: str | None) -> str | None:
        return pick(self.lang, zh, en)

    def product_name(self, code: str | None) -> str | None:
        product = self._products.get(code) if code else None
        return self.text(product.name_zh, product.name_en) if product else None

    def materials(self, kinds: list[str]) -> list[MaterialRef]:
        return [
            MaterialRef(kind=k, name=self.text(self._kinds[k].name_zh, self._kinds[k].name_en)) for k in kinds
        ]

    def reason(self, reason: Reason) -> ReasonOut:
        return ReasonOut(
            code=reason.code,
            family=reason.family,
            title=self.text(reason.title_zh, reason.title_en),
            explanation=self.text(reason.explanation_zh, reason.explanation_en),
            remedy=self.text(reason.remedy_zh, reason.remedy_en),
            required_materials=self.materials(reason.required_materials),
            appealable=reason.appealable,
            retry_after_days=reason.retry_after_days,
            appeal_review_days=reason.appeal_review_days,
            follow_up=ReasonFollowUpOut(
                why_me=self.text(reason.why_me_zh, reason.why_me_en),
                timing=self.text(reason.timing_zh, reason.timing_en),
                already_fixed=self.text(reason.already_fixed_zh, reason.already_fixed_en),
            ),
            keywords=reason.keywords or [],
        )

    def account(self, account: Account) -> AccountOut:
        return AccountOut(
            product=account.product_code,
            product_name=self.product_name(account.product_code),
            status=account.status,
            has_problem=account.status in PROBLEM_STATUSES,
            updated_at=account.updated_at,
        )

    def decision(self, decision: Decision) -> DecisionOut:
        return DecisionOut(
            outcome=decision.outcome,
            decided_at=decision.decided_at,
            reason_codes=decision.reason_codes,
            detail=self.text(decision.detail_zh, decision.detail_en),
        )

    def attempt(self, attempt: Attempt) -> AttemptOut:
        return AttemptOut(
            kind=attempt.kind,
            product=attempt.product_code,
            occurred_at=attempt.occurred_at,
            reason_code=attempt.reason_code,
            device=attempt.device,
            app_version=attempt.app_version,
            location=self.text(attempt.location_zh, attempt.location_en),
        )

    def incident(self, incident: Incident) -> IncidentOut:
        return IncidentOut(
            id=incident.id,
            service=incident.service,
            product=incident.product_code,
            title=self.text(incident.title_zh, incident.title_en),
            status=incident.status,
            started_at=incident.started_at,
            expected_end=incident.expected_end,
        )

    def appeal(self, appeal: Appeal) -> AppealOut:
        return AppealOut(
            number=appeal.number,
            product=appeal.product_code,
            product_name=self.product_name(appeal.product_code),
            reason_code=appeal.reason_code,
            reason_title=self.text(appeal.reason.title_zh, appeal.reason.title_en),
            statement=appeal.statement,
            status=appeal.status,
            open=appeal.status in OPEN_APPEAL_STATUSES,
            review_days=appeal.reason.appeal_review_days,
            review_time=self.text(*working_days(appeal.reason.appeal_review_days)),
            created_at=appeal.created_at,
            timeline=[
                TimelineEntry(status=e.status, at=e.at, note=self.text(e.note_zh, e.note_en))
                for e in appeal.events
            ],
            materials=[material_out(m) for m in appeal.materials],
            required_materials=self.materials(appeal.reason.required_materials),
        )

    def diagnosis(self, d: Diagnosis) -> DiagnosisOut:
        blocking = d.blocking.reason if d.blocking else None
        return DiagnosisOut(
            product=d.product_code,
            product_name=self.product_name(d.product_code),
            status=d.account.status if d.account else ("not_opened" if d.product_code else None),
            ask_product=d.ask_product,
            accounts=[self.account(a) for a in d.accounts],
            blocking_reason=self.reason(blocking) if blocking else None,
            other_reasons=[self.reason(c.reason) for c in d.others],
            decision=self.decision(d.decision) if d.decision else None,
            failed_attempts=[self.attempt(a) for a in d.failed_attempts],
            incidents=[self.incident(i) for i in d.incidents],
            appealable=d.appealable,
            required_materials=self.materials(blocking.required_materials) if blocking else [],
            retry_after=d.retry_after,
            open_appeal=self.appeal(d.open_appeal) if d.open_appeal else None,
        )
