"""Decides which cause blocks a customer right now and which are secondary.

The bot only displays this; keeping the judgement here means every channel (bot, agent,
app) tells the user the same thing."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    OPEN_APPEAL_STATUSES,
    Account,
    Appeal,
    Attempt,
    Customer,
    Decision,
    Incident,
    Reason,
)

TOPICS = ("login", "verification", "service", "application")
PROBLEM_STATUSES = ("refused", "under_review", "suspended")  # an account the customer cannot use now
MAX_ATTEMPTS_SHOWN = 5


@dataclass
class Cause:
    reason: Reason
    source: str  # incident | attempt | decision
    product_code: str | None
    decision: Decision | None = None
    attempt: Attempt | None = None


@dataclass
class Diagnosis:
    product_code: str | None
    accounts: list[Account]
    ask_product: bool
    account: Account | None
    blocking: Cause | None
    others: list[Cause]
    decision: Decision | None
    failed_attempts: list[Attempt]
    incidents: list[Incident]
    open_appeal: Appeal | None
    retry_after: date | None
    appealable: bool = False


def current_failures(attempts: list[Attempt]) -> list[Attempt]:
    """Failed attempts not yet followed by a success of the same kind and product (newest first):
    a failed login last week stops mattering once the user logged in yesterday."""
    settled: set[tuple[str, str | None]] = set()
    failures = []
    for attempt in sorted(attempts, key=lambda a: (a.occurred_at, a.id), reverse=True):
        key = (attempt.kind, attempt.product_code)
        if key in settled:
            continue
        if attempt.success:
            settled.add(key)
        else:
            failures.append(attempt)
    return failures


def open_appeal_for(session: Session, account: Account | None) -> Appeal | None:
    if account is None:
        return None
    return session.scalar(
        select(Appeal).where(Appeal.account_id == account.id, Appeal.status.in_(OPEN_APPEAL_STATUSES))
    )


def _incident_hit(incident: Incident, failures: list[Attempt]) -> bool:
    return any(
        f.reason_code == incident.reason_code
        and (incident.product_code is None or f.product_code == incident.product_code)
        and f.occurred_at >= incident.started_at
        for f in failures
    )


def _refusals(accounts: list[Account]) -> list[Decision]:
    """Latest decision of each account that is not usable now, if that decision was a refusal."""
    latest = [a.decisions[-1] for a in accounts if a.decisions and a.status in PROBLEM_STATUSES]
    return sorted((d for d in latest if d.outcome == "refused"), key=lambda d: d.decided_at, reverse=True)


def product_in_question(customer: Customer, named: str | None, topic: str | None) -> tuple[str | None, bool]:
    """The product a complaint is about, and whether the user must be asked which one.

    A named product wins. A complaint about a product (no topic, or an application) that
    names none is about the only product with a problem; with several, the user is asked."""
    if named or topic not in (None, "application"):
        return named, False
    troubled = [a.product_code for a in customer.accounts if a.status in PROBLEM_STATUSES]
    return (troubled[0] if len(troubled) == 1 else None), len(troubled) > 1


def diagnose(
    session: Session, customer: Customer, product_code: str | None, topic: str | None, now: datetime
) -> Diagnosis:
    product_code, ask_product = product_in_question(customer, product_code, topic)
    accounts = {a.product_code: a for a in customer.accounts}
    in_scope = [accounts[product_code]] if product_code in accounts else list(accounts.values())
    scope_codes = {a.product_code for a in in_scope}
    reasons = {r.code: r for r in session.scalars(select(Reason))}

    attempts = session.scalars(select(Attempt).where(Attempt.customer_id == customer.id)).all()
    failures = current_failures(
        [a for a in attempts if a.product_code is None or a.product_code in scope_codes]
    )
    incidents = session.scalars(
        select(Incident).where(Incident.status == "open").order_by(Incident.started_at.desc(), Incident.id)
    ).all()
    # Asked about a product: its outages matter. Account-wide: only outages of products the
    # customer can use now, or that they actually ran into.
    usable = {product_code} if product_code else {a.product_code for a in in_scope if a.status == "active"}
    incidents = [
        i
        for i in incidents
        if i.product_code is None or i.product_code in usable or _incident_hit(i, failures)
    ]

    # An outage blocks this user when they ran into it, or when they ask about service problems.
    incident_causes = [
        Cause(reasons[i.reason_code], "incident", i.product_code)
        for i in incidents
        if topic == "service" or _incident_hit(i, failures)
    ]
    decision_causes = [
        Cause(reasons[code], "decision", d.account.product_code, d)
        for d in _refusals(in_scope)
        for code in d.reason_codes
    ]
    # Outage failures only count through an open incident: once it ends they are history.
    attempt_causes = [
        Cause(reasons[f.reason_code], "attempt", f.product_code, attempt=f)
        for f in failures
        if f.reason_code and f.reason_code != "SERVICE_OUTAGE"
    ]
    if topic:
        on_topic = [c for c in attempt_causes if c.attempt.kind == topic]
        off_topic = [c for c in attempt_causes if c.attempt.kind != topic]
        ordered = incident_causes + on_topic + decision_causes + off_topic
    else:
        ordered = incident_causes + decision_causes + attempt_causes

    causes = _unique_by_code(ordered)
    blocking = causes[0] if causes else None
    # A refused application is often on record twice, as the failed attempt and as the decision:
    # whichever comes first, the decision dates the retry.
    if blocking and blocking.decision is None:
        blocking.decision = next(
            (c.decision for c in decision_causes if c.reason.code == blocking.reason.code), None
        )
    shown_product = product_code or (blocking.product_code if blocking else None)
    account = accounts.get(shown_product) if shown_product else None
    if product_code:
        decision = account.decisions[-1] if account and account.decisions else None
    else:
        decision = blocking.decision if blocking else None
    retry_after = None
    if blocking and blocking.decision and blocking.reason.retry_after_days:
        retry_after = (blocking.decision.decided_at + timedelta(days=blocking.reason.retry_after_days)).date()
    open_appeal = open_appeal_for(session, account)
    return Diagnosis(
        product_code=shown_product,
        accounts=list(customer.accounts),
        ask_product=ask_product,
        account=account,
        blocking=blocking,
        others=causes[1:],
        decision=decision,
        failed_attempts=failures[:MAX_ATTEMPTS_SHOWN],
        incidents=incidents,
        open_appeal=open_appeal,
        retry_after=retry_after,
        appealable=bool(blocking and blocking.reason.appealable and open_appeal is None),
    )


def _unique_by_code(causes: list[Cause]) -> list[Cause]:
    seen: set[str] = set()
    unique = []
    for cause in causes:
        if cause.reason.code not in seen:
            seen.add(cause.reason.code)
            unique.append(cause)
    return unique
