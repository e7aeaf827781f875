"""The FastAPI application. Importing this module touches no database; startup does."""

from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from app.api.router import api_router
from app.api.routes.demo import dev_router
from app.api.routes.web import mount_web
from app.core.config import Settings, get_settings
from app.core.db import Database
from app.core.logs import configure_logging
from app.errors import install_error_handlers
from app.seed.loader import prepare_database
from app.services.throttle import Throttle

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        configure_logging()
        settings.refuse_public_demo_mode()
        settings.warn_about_generated_secrets()
        settings.upload_dir.mkdir(parents=True, exist_ok=True)
        db = Database(settings.database_url)
        await run_in_threadpool(prepare_database, db, settings)
        app.state.db = db
        try:
            yield
        finally:
            db.dispose()

    app = FastAPI(
        title="Credit account support backend",
        description="Account status, diagnosis, appeals and human handoff. Short guide: docs/backend-api.md",
        version="1.0.0",
        lifespan=lifespan,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.throttle = Throttle(settings)
    install_error_handlers(app)
    app.include_router(api_router, prefix=API_PREFIX)
    app.include_router(dev_router)
    mount_web(app)  # the web pages (web/), after every API route so they never shadow one
    return app


app = create_app()
