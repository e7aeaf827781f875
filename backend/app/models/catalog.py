"""Reference data: products, the reason catalog and material kinds (all bilingual)."""

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class Product(Base):
    __tablename__ = "products"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(50))


class Reason(Base):
    __tablename__ = "reasons"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    family: Mapped[str] = mapped_column(String(20))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    explanation_zh: Mapped[str] = mapped_column(Text)
    explanation_en: Mapped[str] = mapped_column(Text)
    remedy_zh: Mapped[str] = mapped_column(Text)
    remedy_en: Mapped[str] = mapped_column(Text)
    required_materials: Mapped[list[str]] = mapped_column(JSON, default=list)
    appealable: Mapped[bool] = mapped_column(Boolean)
    retry_after_days: Mapped[int | None] = mapped_column(Integer)
    # Working days a reviewer takes to decide an appeal about this cause (null where no
    # appeal can be filed): the one figure the bot, the timeline and the texts quote.
    appeal_review_days: Mapped[int | None] = mapped_column(Integer)
    # Short answers to the questions people ask once the cause is explained (the bot shows
    # them; null where a reason has nothing to add): why me / is that fair, how long, and
    # what changes once the user has fixed it.
    why_me_zh: Mapped[str | None] = mapped_column(Text)
    why_me_en: Mapped[str | None] = mapped_column(Text)
    timing_zh: Mapped[str | None] = mapped_column(Text)
    timing_en: Mapped[str | None] = mapped_column(Text)
    already_fixed_zh: Mapped[str | None] = mapped_column(Text)
    already_fixed_en: Mapped[str | None] = mapped_column(Text)
    # Words customers use for this cause, both languages (app.seed.catalog.KEYWORDS).
    keywords: Mapped[list[str] | None] = mapped_column(JSON)


class MaterialKind(Base):
    __tablename__ = "material_kinds"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
