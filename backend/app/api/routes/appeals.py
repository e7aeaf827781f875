"""Appeals and their materials, always scoped to the calling customer."""

from collections.abc import AsyncIterator
from typing import Annotated, get_args

from fastapi import APIRouter, Depends, Header, Request, Response
from starlette.datastructures import UploadFile

from app.api.deps import CustomerDep, DbDep, LangDep, ServiceConversationDep, SettingsDep
from app.api.present import Presenter, material_out
from app.api.responses import error_responses
from app.errors import ApiError
from app.models import Appeal
from app.schemas.appeals import AppealIn, AppealOut, MaterialKindCode, MaterialOut
from app.services import appeals

router = APIRouter(prefix="/me/appeals", tags=["appeals"])
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the `kind` field, beyond MAX_UPLOAD_MB
MATERIAL_KINDS = get_args(MaterialKindCode)
UPLOAD_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["kind", "file"],
                    "additionalProperties": False,
                    "properties": {
                        "kind": {"type": "string", "enum": list(MATERIAL_KINDS), "example": "employment_proof"},
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "JPEG, PNG or PDF, checked by content; at most MAX_UPLOAD_MB",
                        },
                    },
                }
            }
        },
    }
}


def customer_appeal(number: str, customer: CustomerDep, db: DbDep) -> Appeal:
    return appeals.get_for_customer(db, customer.id, number)


AppealDep = Annotated[Appeal, Depends(customer_appeal)]


def _invalid(*errors: tuple[str, str, str]) -> ApiError:
    """422 validation_error for (field, problem, type) of the form."""
    return ApiError(
        422,
        "validation_error",
        extra={"errors": [{"loc": ["body", *field], "msg": msg, "type": kind} for field, msg, kind in errors]},
    )


async def read_upload(request: Request) -> AsyncIterator[tuple[str, UploadFile]]:
    """The form's `kind` and `file`, and nothing else; its size is bounded as it streams in
    (core.middleware.BodyLimit)."""
    try:
        form = await request.form(max_files=1, max_fields=5)
    except Exception:
        raise _invalid(((), "invalid multipart body", "multipart")) from None
    try:
        kind, upload = form.get("kind"), form.get("file")
        problems = [((name,), "Field required", "missing") for name in ("kind", "file") if not form.get(name)]
        if kind and not isinstance(kind, str):
            problems.append((("kind",), "must be a text field", "string_type"))
        if upload and not isinstance(upload, UploadFile):
            problems.append((("file",), "must be a file", "file_type"))
        if problems:
            raise _invalid(*problems)
        if kind not in MATERIAL_KINDS:
            raise _invalid((("kind",), "unknown material kind", "literal_error"))
        unexpected = sorted(set(form.keys()) - {"kind", "file"})
        if unexpected:
            raise _invalid(*(((name,), "unexpected field", "extra_forbidden") for name in unexpected))
        yield kind, upload
    finally:
        await form.close()


@router.post(
    "",
    response_model=AppealOut,
    status_code=201,
    responses={200: {"model": AppealOut, "description": "The key was used before: that appeal"}}
    | error_responses(401, 404, 409, 413, 422),
)
def create_appeal(
    body: AppealIn,
    response: Response,
    customer: CustomerDep,
    db: DbDep,
    lang: LangDep,
    idempotency_key: Annotated[str, Header(min_length=1, max_length=100)],
    conversation_id: ServiceConversationDep = None,
) -> AppealOut:
    """201 for a new appeal; 200 with the same appeal when the key was already used. Filed by
    the action server (service token + X-Conversation-Id), it remembers that chat and its
    language, where the reviewer's decision is pushed."""
    appeal, created = appeals.create_appeal(
        db, customer, body.product, body.statement, idempotency_key, conversation_id, lang
    )
    if not created:
        response.status_code = 200
    return Presenter(db, lang).appeal(appeal)


@router.get("", response_model=list[AppealOut], responses=error_responses(401, 422))
def list_appeals(customer: CustomerDep, db: DbDep, lang: LangDep) -> list[AppealOut]:
    present = Presenter(db, lang)
    return [present.appeal(a) for a in appeals.list_for_customer(db, customer.id)]


@router.get("/{number}", response_model=AppealOut, responses=error_responses(401, 404, 422))
def get_appeal(appeal: AppealDep, db: DbDep, lang: LangDep) -> AppealOut:
    return Presenter(db, lang).appeal(appeal)


@router.post(
    "/{number}/materials",
    response_model=MaterialOut,
    status_code=201,
    openapi_extra=UPLOAD_SCHEMA,
    responses=error_responses(401, 404, 409, 413, 415, 422),
)
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


@router.get("/{number}/materials", response_model=list[MaterialOut], responses=error_responses(401, 404, 422))
def list_materials(appeal: AppealDep) -> list[MaterialOut]:
    return [material_out(m) for m in appeal.materials]
