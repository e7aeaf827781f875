"""What the logged-in customer may see about their own accounts."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import CustomerDep, DbDep, LangDep, ServiceConversationDep, ServiceDep
from app.api.present import Presenter
from app.api.responses import error_responses
from app.core.db import utcnow
from app.schemas.appeals import ProductCode, StatementIn
from app.schemas.customer import AccountOut, AppealOutcomeOut, DiagnosisOut, Topic
from app.services import incidents, review
from app.services.diagnosis import diagnose

router = APIRouter(prefix="/me", tags=["customer"])


@router.get("/accounts", response_model=list[AccountOut], responses=error_responses(401, 422))
def accounts(customer: CustomerDep, db: DbDep, lang: LangDep) -> list[AccountOut]:
    present = Presenter(db, lang)
    return [present.account(a) for a in customer.accounts]


@router.get("/diagnosis", response_model=DiagnosisOut, responses=error_responses(401, 404, 422))
def diagnosis(
    customer: CustomerDep,
    db: DbDep,
    lang: LangDep,
    product: Annotated[
        ProductCode | None,
        Query(description="omit for account-wide problems; another value is a 404 `unknown_product`"),
    ] = None,
    topic: Annotated[Topic | None, Query(description="what the user complains about; decides the blocking cause")] = None,
    conversation_id: ServiceConversationDep = None,
) -> DiagnosisOut:
    """From the action server (service token + X-Conversation-Id), an outage that blocks the
    customer is remembered for that chat, which is told when the outage ends (unless the bot
    must first ask which product the user means)."""
    found = diagnose(db, customer, product, topic, utcnow())
    if conversation_id and found.blocking and found.blocking.source == "incident" and not found.ask_product:
        incidents.remember_told(db, [i.id for i in found.incidents], conversation_id, lang)
    return Presenter(db, lang).diagnosis(found)


@router.post("/appeal-statements/check", response_model=StatementIn, responses=error_responses(401, 413, 422))
def check_appeal_statement(body: StatementIn, customer: CustomerDep) -> StatementIn:
    """Whether POST /me/appeals would accept this statement (else 413 `statement_too_long` or
    422 `statement_too_short`, worded in the asked language): the bot checks its user's
    statement here before asking to confirm the appeal."""
    return body


@router.post(
    "/appeal-outcomes/deliver",
    response_model=list[AppealOutcomeOut],
    dependencies=[ServiceDep],
    responses=error_responses(401, 422),
)
def deliver_appeal_outcomes(
    customer: CustomerDep, db: DbDep, lang: LangDep, conversation_id: ServiceConversationDep = None
) -> list[AppealOutcomeOut]:
    """For the action server, at the start of a verified customer's answer: the decided appeals
    they have not been told of in a conversation yet, each once ever, with the sentence to say
    in `lang`. The chat that already got the live message is not told again."""
    return [
        AppealOutcomeOut(number=a.number, product=a.product_code, status=a.status, message=text)
        for a, text in review.deliver_outcomes(db, customer, conversation_id or "", lang)
    ]
