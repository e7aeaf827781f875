"""Filing appeals (idempotent, one open appeal per account) and storing their materials."""

import hashlib
import os
import re
import shutil
import tempfile
import uuid
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.errors import ApiError
from app.i18n import working_days
from app.models import (
    OPEN_APPEAL_STATUSES,
    Account,
    Appeal,
    Customer,
    Material,
)
from app.services.diagnosis import diagnose

NUMBER_ATTEMPTS = 5
CHUNK = 64 * 1024
# What a file claims to be, from its first bytes (never its name or declared type); the
# whole content is then checked (_verify) before anything is kept.
SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", ".jpg", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png", "PNG"),
    (b"%PDF-", "application/pdf", ".pdf", None),
]
# Anything a browser could run or render as a page, anywhere in the file (polyglots).
ACTIVE_CONTENT = re.compile(rb"<(?:html|script|svg|!doctype)[\s/>]", re.IGNORECASE)
MARKER_OVERLAP = 16  # bytes kept from the previous chunk, so a marker split by a chunk is seen
PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
PDF_TAIL = 1024  # %%EOF must be within the last KB
MAX_IMAGE_PIXELS = 50_000_000  # a 50-megapixel photo; beyond it decoding is a memory bomb
SUBMITTED_NOTE = ("申诉已提交，等待补充材料", "Appeal submitted; waiting for materials")
IN_REVIEW_NOTE = (
    "材料已收齐，进入人工审核，预计 {}内给出结果",
    "All materials received; a reviewer will decide within {}",
)


def find_by_key(session: Session, customer_id: int, key: str) -> Appeal | None:
    return session.scalar(
        select(Appeal).where(Appeal.customer_id == customer_id, Appeal.idempotency_key == key)
    )


def get_for_customer(session: Session, customer_id: int, number: str) -> Appeal:
    """Someone else's appeal is reported exactly like a missing one."""
    appeal = session.scalar(select(Appeal).where(Appeal.customer_id == customer_id, Appeal.number == number))
    if appeal is None:
        raise ApiError(404, "not_found")
    return appeal


def next_number(session: Session, at: datetime) -> str:
    prefix = f"AP-{at:%Y%m%d}-"
    last = session.scalar(select(func.max(Appeal.number)).where(Appeal.number.like(f"{prefix}%")))
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def new_appeal(
    session: Session, account: Account, reason_code: str, statement: str, key: str, at: datetime
) -> Appeal:
    """An appeal in `submitted` state, with the account put under review."""
    appeal = Appeal(
        number=next_number(session, at),
        customer_id=account.customer_id,
        account_id=account.id,
        product_code=account.product_code,
        reason_code=reason_code,
        statement=statement,
        idempotency_key=key,
        created_at=at,
    )
    appeal.set_status("submitted", at, *SUBMITTED_NOTE)
    account.status = "under_review"
    account.updated_at = at
    session.add(appeal)
    return appeal


def create_appeal(
    session: Session,
    customer: Customer,
    product_code: str,
    statement: str,
    key: str,
    conversation_id: str | None = None,
    language: str | None = None,
) -> tuple[Appeal, bool]:
    """Returns (appeal, created). A repeated key returns the first appeal, even when the
    repeats race each other: the database's unique constraints decide, we re-read."""
    existing = find_by_key(session, customer.id, key)
    if existing is not None:
        return existing, False
    for _ in range(NUMBER_ATTEMPTS):
        now = utcnow()
        diagnosis = diagnose(session, customer, product_code, None, now)
        if diagnosis.open_appeal is not None:
            # It may be the appeal a concurrent retry with this very key just filed.
            if diagnosis.open_appeal.idempotency_key == key:
                return diagnosis.open_appeal, False
            raise ApiError(409, "appeal_already_open")
        if diagnosis.account is None or not diagnosis.appealable:
            raise ApiError(409, "not_appealable")
        appeal = new_appeal(session, diagnosis.account, diagnosis.blocking.reason.code, statement, key, now)
        appeal.conversation_id, appeal.language = conversation_id, language
        try:
            session.commit()
            return appeal, True
        except IntegrityError:
            session.rollback()
            existing = find_by_key(session, customer.id, key)
            if existing is not None:
                return existing, False
            # Otherwise another appeal took the open slot or the number: look again.
    raise ApiError(409, "appeal_already_open")


def _sniff(head: bytes) -> tuple[str, str, str | None]:
    for magic, content_type, extension, image_format in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension, image_format
    raise ApiError(415, "unsupported_file_type")


def _verify(path: Path, image_format: str | None) -> None:
    """JPEG and PNG must decode completely as what they claim; a PDF needs its header and an
    %%EOF trailer. Anything else is a 415."""
    try:
        if image_format:
            with Image.open(path, formats=[image_format]) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValueError("too many pixels")
                image.load()
            return
        with path.open("rb") as pdf:
            header = pdf.read(16)
            pdf.seek(max(0, path.stat().st_size - PDF_TAIL))
            tail = pdf.read()
        if not PDF_HEADER.match(header) or b"%%EOF" not in tail:
            raise ValueError("not a PDF")
    except Exception:  # Pillow reports broken files with many exception types
        raise ApiError(415, "unsupported_file_type") from None


def private_dir(path: Path) -> Path:
    """Uploaded files are readable by the backend's own user only."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def safe_file_name(name: str | None) -> str:
    """The user's file name for display only: no folders, no control characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:200] or "upload"


def add_material(
    session: Session,
    upload_dir: Path,
    max_bytes: int,
    appeal: Appeal,
    kind: str,
    file_name: str | None,
    source: BinaryIO,
    at: datetime | None = None,
) -> Material:
    """Copy to a temp file while hashing and counting, then move into place and commit.
    On any failure neither a row nor a file is left behind."""
    if appeal.status not in OPEN_APPEAL_STATUSES:
        raise ApiError(409, "appeal_closed")
    staging = private_dir(upload_dir / ".incoming")
    private_dir(upload_dir)
    digest = hashlib.sha256()
    size = 0
    final_path: Path | None = None
    with tempfile.NamedTemporaryFile(dir=staging, delete=False) as temp:  # created 0600
        temp_path = Path(temp.name)
    try:
        with temp_path.open("wb") as out:
            head = source.read(CHUNK)
            content_type, extension, image_format = _sniff(head)
            chunk, previous = head, b""
            while chunk:
                size += len(chunk)
                if size > max_bytes:
                    raise ApiError(413, "file_too_large", extra={"max_mb": max_bytes // (1024 * 1024)})
                if ACTIVE_CONTENT.search(previous + chunk):
                    raise ApiError(415, "unsupported_file_type")
                digest.update(chunk)
                out.write(chunk)
                previous = chunk[-MARKER_OVERLAP:]
                chunk = source.read(CHUNK)
        _verify(temp_path, image_format)
        relative = Path(appeal.number) / f"{uuid.uuid4().hex}{extension}"
        final_path = private_dir(upload_dir / appeal.number) / relative.name
        shutil.move(temp_path, final_path)
        material = Material(
            appeal_id=appeal.id,
            kind=kind,
            file_name=safe_file_name(file_name),
            content_type=content_type,
            size=size,
            sha256=digest.hexdigest(),
            stored_path=str(relative),
            uploaded_at=at or utcnow(),
        )
        appeal.materials.append(material)
        _advance_when_complete(appeal, material.uploaded_at)
        session.commit()
        return material
    except BaseException:
        session.rollback()
        temp_path.unlink(missing_ok=True)
        if final_path is not None:
            final_path.unlink(missing_ok=True)
        raise


def _advance_when_complete(appeal: Appeal, at: datetime) -> None:
    """Once every required material is in, the appeal moves on to a reviewer."""
    required = set(appeal.reason.required_materials)
    received = {m.kind for m in appeal.materials}
    if appeal.status == "submitted" and required <= received:
        days = working_days(appeal.reason.appeal_review_days)
        appeal.set_status("in_review", at, *(note.format(text) for note, text in zip(IN_REVIEW_NOTE, days)))


def list_for_customer(session: Session, customer_id: int) -> list[Appeal]:
    return list(
        session.scalars(
            select(Appeal)
            .where(Appeal.customer_id == customer_id)
            .order_by(Appeal.created_at.desc(), Appeal.id.desc())
        )
    )
