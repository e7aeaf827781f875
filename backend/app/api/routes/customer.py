"""What the logged-in customer may see about their own accounts."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import CustomerDep, DbDep, LangDep
from app.api.present import Presenter
from app.api.responses import error_responses
from app.core.db import utcnow
from app.schemas.appeals import ProductCode
from app.schemas.customer import AccountOut, DiagnosisOut, Topic
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
) -> DiagnosisOut:
    return Presenter(db, lang).diagnosis(diagnose(db, customer, product, topic, utcnow()))
