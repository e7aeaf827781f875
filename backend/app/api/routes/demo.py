"""Demo-mode helpers: stand-ins for the app's login, and where the 'sent' codes can be read."""

import html

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from app.api.deps import DbDep, LangDep, SettingsDep, require_demo_mode
from app.api.present import customer_out
from app.api.responses import error_responses
from app.errors import ApiError
from app.i18n import pick
from app.models import Customer, OtpCode
from app.schemas.identity import DemoCustomerOut, DemoOtpOut, PhoneIn, SessionOut
from app.seed.customers import CUSTOMERS
from app.services import sessions

router = APIRouter(prefix="/demo", tags=["demo"], dependencies=[Depends(require_demo_mode)])
dev_router = APIRouter(tags=["demo"], dependencies=[Depends(require_demo_mode)])
LATEST_CODES_SHOWN = 20


@router.post("/app-session", response_model=SessionOut, responses=error_responses(404, 422))
def app_session(body: PhoneIn, db: DbDep, settings: SettingsDep) -> SessionOut:
    """Stands for the app's own login: a logged-in page gets a customer token."""
    customer = db.scalar(select(Customer).where(Customer.phone == body.phone))
    if customer is None:
        raise ApiError(404, "not_found")
    token, expires_at = sessions.issue(db, "app", settings.app_session_ttl_minutes, customer_id=customer.id)
    return SessionOut(token=token, expires_at=expires_at, customer=customer_out(customer))


@router.get("/customers", response_model=list[DemoCustomerOut], responses=error_responses(404, 422))
def demo_customers(lang: LangDep) -> list[DemoCustomerOut]:
    return [
        DemoCustomerOut(
            name=c["name"],
            name_en=c["name_en"],
            phone=c["phone"],
            situation=pick(lang, c["situation_zh"], c["situation_en"]),
        )
        for c in CUSTOMERS
    ]


def _latest_codes(db, phone: str | None = None, conversation_id: str | None = None) -> list[OtpCode]:
    query = select(OtpCode).where(OtpCode.demo_code.is_not(None))
    if phone:
        query = query.where(OtpCode.phone == phone)
    if conversation_id:
        query = query.where(OtpCode.conversation_id == conversation_id)
    return list(db.scalars(query.order_by(OtpCode.id.desc()).limit(LATEST_CODES_SHOWN)))


@router.get("/otp", response_model=DemoOtpOut, responses=error_responses(404, 422))
def latest_code(phone: str, db: DbDep, conversation_id: str | None = None) -> DemoOtpOut:
    """The last code 'sent' to a phone (in that conversation, when given), for automated tests
    of the login-by-code flow."""
    codes = _latest_codes(db, phone, conversation_id)
    if not codes:
        raise ApiError(404, "not_found")
    code = codes[0]
    return DemoOtpOut(
        phone=code.phone,
        conversation_id=code.conversation_id,
        code=code.demo_code,
        created_at=code.created_at,
        expires_at=code.expires_at,
        used=code.used_at is not None,
    )


@dev_router.get("/dev/otp", response_class=HTMLResponse, include_in_schema=False)
def dev_otp_page(db: DbDep) -> str:
    """Development page: in the demo, SMS codes 'arrive' here (and in the log)."""
    rows = "".join(
        f"<tr><td>{html.escape(c.phone)}</td><td>{html.escape(c.conversation_id)}</td>"
        f"<td><b>{html.escape(c.demo_code)}</b></td>"
        f"<td>{c.created_at:%Y-%m-%d %H:%M:%S} UTC</td><td>{c.expires_at:%H:%M:%S} UTC</td>"
        f"<td>{'used' if c.used_at else ''}</td></tr>"
        for c in _latest_codes(db)
    )
    return (
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'>"
        "<meta http-equiv='refresh' content='5'><title>Demo one-time codes</title>"
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em 1em;text-align:left}</style>"
        "</head><body><h1>Demo one-time codes / 演示验证码</h1>"
        "<p>Demo mode only: these stand for SMS messages. 仅演示模式：这里代替短信。</p>"
        "<table><tr><th>phone</th><th>conversation</th><th>code</th><th>sent</th><th>expires</th><th></th></tr>"
        f"{rows or '<tr><td colspan=6>No codes yet.</td></tr>'}</table></body></html>"
    )
