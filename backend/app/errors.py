"""One error shape for every failure: {"code", "message", ...extra}, message in the asked language."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.i18n import message, request_language

log = logging.getLogger(__name__)

# The one rule for an appeal statement; the bot checks what its user wrote against it
# (POST /me/appeal-statements/check), so the limits live only here.
STATEMENT_MIN_LENGTH = 5
STATEMENT_MAX_LENGTH = 2000
UNPARSABLE_BODY = {"loc": ["body"], "msg": "the body could not be parsed", "type": "body_invalid"}


class ApiError(Exception):
    """Raised anywhere in request handling; `extra` goes into the body and, with `params`, fills the message."""

    def __init__(
        self,
        status: int,
        code: str,
        *,
        params: dict | None = None,
        extra: dict | None = None,
        headers: dict | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = params or {}
        self.extra = extra or {}
        self.headers = headers


def error_response(request: Request, error: ApiError) -> JSONResponse:
    lang = request_language(request)
    text = message(error.code, lang, **{**error.extra, **error.params})
    return JSONResponse({"code": error.code, "message": text, **error.extra}, status_code=error.status, headers=error.headers)


def _validation_details(exc: RequestValidationError) -> list[dict]:
    """Field, problem and type only: never echo the input back (it may be 100 KB)."""
    return [
        {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")}
        for err in exc.errors()
    ]


def _allowed_methods(request: Request) -> str:
    """Every method of every route at this path: Starlette's own Allow names only the first
    route's, and GET and POST of one path are two routes here."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        if route.methods and route.path_regex.match(request.scope["path"]):
            methods |= route.methods
    return ", ".join(sorted(methods))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        if any(d["loc"][-1:] == ["product"] and d["type"] == "literal_error" for d in details):
            return error_response(request, ApiError(404, "unknown_product"))
        if any(d["loc"][-1:] == ["statement"] and d["type"] == "string_too_long" for d in details):
            too_long = ApiError(413, "statement_too_long", extra={"max_length": STATEMENT_MAX_LENGTH})
            return error_response(request, too_long)
        if any(d["loc"][-1:] == ["statement"] and d["type"] == "string_too_short" for d in details):
            limits = {"min_length": STATEMENT_MIN_LENGTH, "max_length": STATEMENT_MAX_LENGTH}
            return error_response(request, ApiError(422, "statement_too_short", extra=limits))
        return error_response(request, ApiError(422, "validation_error", extra={"errors": details}))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI could not parse the body, e.g. JSON that is not UTF-8
            return error_response(request, ApiError(422, "validation_error", extra={"errors": [UNPARSABLE_BODY]}))
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "validation_error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request) or headers.get("Allow", "")
        return error_response(request, ApiError(exc.status_code, code, headers=headers))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, ApiError(500, "internal_error"))
