"""What the logged-in customer may see about their own accounts."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.api.deps import CustomerDep, DbDep, LangDep
from app.api.present import Presenter
from app.core.db import utcnow
from app.schemas.customer import AccountOut, DiagnosisOut
from app.services.appeals import require_product
from app.services.diagnosis import diagnose

router = APIRouter(prefix="/me", tags=["customer"])


@router.get("/accounts", response_model=list[AccountOut])
def accounts(customer: CustomerDep, db: DbDep, lang: LangDep) -> list[AccountOut]:
    present = Presenter(db, lang)
    return [present.account(a) for a in customer.accounts]


@router.get("/diagnosis", response_model=DiagnosisOut)
def diagnosis(
    customer: CustomerDep,
    db: DbDep,
    lang: LangDep,
    product: Annotated[str | None, Query(description="huabei or jiebei; omit for account-wide")] = None,
    topic: Annotated[
        Literal["login", "verification", "service", "application"] | None,
        Query(description="what the user complains about; decides the blocking cause"),
    ] = None,
) -> DiagnosisOut:
    if product is not None:
        require_product(db, product)
    return Presenter(db, lang).diagnosis(diagnose(db, customer, product, topic, utcnow()))
