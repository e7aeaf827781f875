"""Loads the catalog and the demo customers; safe to run again (it refreshes, never duplicates)."""

import base64
import io
import logging
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import Base, Database, utcnow
from app.core.security import hash_password, verify_password
from app.models import (
    Account,
    Agent,
    Appeal,
    Attempt,
    Customer,
    Decision,
    Incident,
    MaterialKind,
    Product,
    Reason,
)
from app.seed.catalog import MATERIAL_KINDS, PRODUCTS, REASONS
from app.seed.customers import CUSTOMERS, INCIDENTS, STAFF
from app.services.appeals import add_material, new_appeal

log = logging.getLogger(__name__)

# Tiny but real files, so seeded materials pass the same content checks as uploads.
SAMPLE_FILES = {
    ".png": base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    ),
    ".pdf": b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
}


def _ago(now: datetime, spec: dict) -> datetime:
    return now - timedelta(days=spec.get("days_ago", 0), hours=spec.get("hours_ago", 0))


def upsert_catalog(session: Session) -> None:
    for model, rows in ((Product, PRODUCTS), (MaterialKind, MATERIAL_KINDS), (Reason, REASONS)):
        for row in rows:
            session.merge(model(**row))
    session.flush()


def sync_staff(session: Session, settings: Settings) -> None:
    """Each demo staff member's role and password follow the settings (DEMO_AGENT_PASSWORD,
    DEMO_REVIEWER_PASSWORD, DEMO_OPERATIONS_PASSWORD), also on an existing database."""
    for data in STAFF:
        password = getattr(settings, data["password_setting"])
        agent = session.scalar(select(Agent).where(Agent.username == data["username"]))
        if agent is None:
            agent = Agent(username=data["username"], password_hash=hash_password(password))
            session.add(agent)
        elif not verify_password(password, agent.password_hash):
            agent.password_hash = hash_password(password)
        agent.display_name = data["display_name"]
        agent.role = data["role"]


def upsert_incidents(session: Session, now: datetime) -> None:
    for data in INCIDENTS:
        incident = session.scalar(select(Incident).where(Incident.ref == data["ref"])) or Incident(ref=data["ref"])
        incident.service = data["service"]
        incident.product_code = data["product"]
        incident.reason_code = data["reason"]
        incident.title_zh, incident.title_en = data["title_zh"], data["title_en"]
        incident.status = data["status"]
        incident.closed_at = None
        incident.started_at = _ago(now, data)
        incident.expected_end = now + timedelta(hours=data["expected_end_in_hours"])
        session.add(incident)


def _remove_customer(session: Session, upload_dir: Path, customer: Customer) -> None:
    for number in session.scalars(select(Appeal.number).where(Appeal.customer_id == customer.id)):
        shutil.rmtree(upload_dir / number, ignore_errors=True)
    session.delete(customer)
    session.flush()


def _add_customer(session: Session, upload_dir: Path, data: dict, now: datetime) -> None:
    customer = Customer(
        **{k: data[k] for k in ("name", "name_en", "phone", "id_number_masked", "region_zh", "region_en")},
        preferred_language=data["preferred_language"],
        created_at=now - timedelta(days=800),
    )
    accounts = {}
    for product, spec in data["accounts"].items():
        decisions = [
            Decision(
                outcome=d["outcome"],
                decided_at=_ago(now, d),
                reason_codes=d.get("reasons", []),
                detail_zh=d.get("detail_zh"),
                detail_en=d.get("detail_en"),
            )
            for d in spec.get("decisions", [])
        ]
        updated = decisions[-1].decided_at if decisions else customer.created_at
        accounts[product] = Account(product_code=product, status=spec["status"], updated_at=updated, decisions=decisions)
    customer.accounts = list(accounts.values())
    session.add(customer)
    session.flush()
    for a in data.get("attempts", []):
        session.add(
            Attempt(
                customer_id=customer.id,
                kind=a["kind"],
                product_code=a.get("product"),
                occurred_at=_ago(now, a),
                success=a["success"],
                reason_code=a.get("reason"),
                device=a.get("device"),
                app_version=a.get("app_version"),
                location_zh=a.get("location_zh"),
                location_en=a.get("location_en"),
            )
        )
    for spec in data.get("appeals", []):
        account = accounts[spec["product"]]
        reason = account.decisions[-1].reason_codes[0]
        appeal = new_appeal(session, account, reason, spec["statement"], spec["idempotency_key"], _ago(now, spec))
        session.flush()
        for m in spec.get("materials", []):
            content = SAMPLE_FILES[Path(m["file_name"]).suffix]
            add_material(
                session, upload_dir, len(content), appeal, m["kind"], m["file_name"], io.BytesIO(content), _ago(now, m)
            )


def seed_demo(session: Session, settings: Settings, now: datetime | None = None, refresh: bool = False) -> int:
    """Catalog, agent, incidents and demo customers. Existing demo customers are kept as they are,
    unless `refresh`, which rebuilds their history relative to now. Returns customers written."""
    now = now or utcnow()
    upsert_catalog(session)
    sync_staff(session, settings)
    upsert_incidents(session, now)
    session.commit()
    written = 0
    for data in CUSTOMERS:
        existing = session.scalar(select(Customer).where(Customer.phone == data["phone"]))
        if existing is not None and not refresh:
            continue
        if existing is not None:
            _remove_customer(session, settings.upload_dir, existing)
        _add_customer(session, settings.upload_dir, data, now)
        session.commit()
        written += 1
    return written


def wipe(session: Session, upload_dir: Path) -> None:
    """Every row of every table and every uploaded file: a clean slate for `seed --reset` and tests."""
    for table in reversed(Base.metadata.sorted_tables):
        session.execute(delete(table))
    session.commit()
    shutil.rmtree(upload_dir, ignore_errors=True)


def prepare_database(db: Database, settings: Settings) -> int:
    """The prestart step (app/prestart.py): migrate, seed an empty database, keep the catalog
    and staff current otherwise. Returns the demo customers written."""
    db.migrate()
    with db.session() as session:
        if session.scalar(select(func.count()).select_from(Customer)) == 0:
            log.info("empty database: loading the demo data")
            return seed_demo(session, settings)
        upsert_catalog(session)
        sync_staff(session, settings)
        session.commit()
        return 0
