"""Appeals and their materials, always scoped to the calling customer."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from starlette.datastructures import UploadFile

from app.api.deps import CustomerDep, DbDep, LangDep, SettingsDep
from app.api.present import Presenter, material_out
from app.errors import ApiError
from app.models import Appeal
from app.schemas.appeals import AppealIn, AppealOut, MaterialOut
from app.services import appeals

router = APIRouter(prefix="/me/appeals", tags=["appeals"])
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the `kind` field
UPLOAD_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["kind", "file"],
                    "properties": {
                        "kind": {"type": "string", "example": "employment_proof"},
                        "file": {"type": "string", "format": "binary"},
                    },
                }
            }
        },
    }
}


def customer_appeal(number: str, customer: CustomerDep, db: DbDep) -> Appeal:
    return appeals.get_for_customer(db, customer.id, number)


AppealDep = Annotated[Appeal, Depends(customer_appeal)]


async def read_upload(request: Request, settings: SettingsDep) -> AsyncIterator[tuple[str, UploadFile]]:
    """Refuses an oversized body from its declared length before reading it, then parses the form."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > settings.max_upload_bytes + FORM_OVERHEAD:
        raise ApiError(413, "file_too_large", params={"max_mb": settings.max_upload_mb})
    try:
        form = await request.form(max_files=1, max_fields=5)
    except Exception:
        raise ApiError(
            422,
            "validation_error",
            extra={"errors": [{"loc": ["body"], "msg": "invalid multipart body", "type": "multipart"}]},
        ) from None
    try:
        kind, upload = form.get("kind"), form.get("file")
        missing = [name for name, value in (("kind", kind), ("file", upload)) if not value]
        if missing or not isinstance(kind, str) or not isinstance(upload, UploadFile):
            raise ApiError(
                422,
                "validation_error",
                extra={
                    "errors": [
                        {"loc": ["body", m], "msg": "Field required", "type": "missing"} for m in missing
                    ]
                },
            )
        yield kind, upload
    finally:
        await form.close()


@router.post("", response_model=AppealOut, status_code=201, responses={200: {"model": AppealOut}})
def create_appeal(
    body: AppealIn,
    response: Response,
    customer: CustomerDep,
    db: DbDep,
    lang: LangDep,
    idempotency_key: Annotated[str, Header(min_length=1, max_length=100)],
) -> AppealOut:
    """201 for a new appeal; 200 with the same appeal when the key was already used."""
    appeal, created = appeals.create_appeal(db, customer, body.product, body.statement, idempotency_key)
    if not created:
        response.status_code = 200
    return Presenter(db, lang).appeal(appeal)


@router.get("", response_model=list[AppealOut])
def list_appeals(customer: CustomerDep, db: DbDep, lang: LangDep) -> list[AppealOut]:
    present = Presenter(db, lang)
    return [present.appeal(a) for a in appeals.list_for_customer(db, customer.id)]


@router.get("/{number}", response_model=AppealOut)
def get_appeal(appeal: AppealDep, db: DbDep, lang: LangDep) -> AppealOut:
    return Presenter(db, lang).appeal(appeal)


@router.post("/{number}/materials", response_model=MaterialOut, status_code=201, openapi_extra=UPLOAD_SCHEMA)
def upload_material(
    appeal: AppealDep,
    upload: Annotated[tuple[str, UploadFile], Depends(read_upload)],
    db: DbDep,
    settings: SettingsDep,
) -> MaterialOut:
    kind, file = upload
    material = appeals.add_material(
        db, settings.upload_dir, settings.max_upload_bytes, appeal, kind, file.filename, file.file
    )
    return material_out(material)


@router.get("/{number}/materials", response_model=list[MaterialOut])
def list_materials(appeal: AppealDep) -> list[MaterialOut]:
    return [material_out(m) for m in appeal.materials]
