"""The public product catalog: the one source of product names for the bot and the pages."""

from fastapi import APIRouter
from sqlalchemy import select

from app.api.deps import DbDep, LangDep
from app.api.present import Presenter
from app.api.responses import error_responses
from app.models import Product
from app.schemas.customer import ProductOut

router = APIRouter(prefix="/products", tags=["products"])


@router.get("", response_model=list[ProductOut], responses=error_responses(422))
def list_products(db: DbDep, lang: LangDep) -> list[ProductOut]:
    present = Presenter(db, lang)
    products = db.scalars(select(Product).order_by(Product.code))
    return [ProductOut(code=p.code, name=present.product_name(p.code)) for p in products]
