"""The public reason catalog."""

from fastapi import APIRouter
from sqlalchemy import select

from app.api.deps import DbDep, LangDep
from app.api.present import Presenter
from app.api.responses import error_responses
from app.errors import ApiError
from app.models import Reason
from app.schemas.customer import ReasonOut

router = APIRouter(prefix="/reasons", tags=["reasons"])


@router.get("", response_model=list[ReasonOut], responses=error_responses(422))
def list_reasons(db: DbDep, lang: LangDep) -> list[ReasonOut]:
    present = Presenter(db, lang)
    return [present.reason(r) for r in db.scalars(select(Reason).order_by(Reason.family, Reason.code))]


@router.get("/{code}", response_model=ReasonOut, responses=error_responses(404, 422))
def get_reason(code: str, db: DbDep, lang: LangDep) -> ReasonOut:
    reason = db.get(Reason, code.upper())
    if reason is None:
        raise ApiError(404, "not_found")
    return Presenter(db, lang).reason(reason)
