"""The FastAPI application. Importing this module touches no database; startup only checks
that the schema is current (migrating and seeding is `python -m app.prestart`, run before)."""

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp

from app.api.responses import finish_schema
from app.api.router import api_router
from app.api.routes.appeals import FORM_OVERHEAD, upload_material
from app.api.routes.demo import dev_router
from app.api.routes.web import mount_web
from app.core.config import Settings, get_settings
from app.core.db import Database
from app.core.logs import configure_logging
from app.core.middleware import OWN_POLICIES, BodyLimit, SecurityHeaders, page_policy
from app.errors import install_error_handlers
from app.prestart import require_current_schema
from app.services.appeals import private_dir
from app.services.throttle import Throttle
from app.services.tracker import TrackerReader

API_PREFIX = "/api/v1"


class Backend(FastAPI):
    """Security headers outside every other layer, so even the last-resort 500 carries them;
    an OpenAPI schema naming the credentials each operation really checks."""

    def build_middleware_stack(self) -> ASGIApp:
        policy = page_policy(self.state.settings.rasa_url)
        return SecurityHeaders(super().build_middleware_stack(), policy, OWN_POLICIES)

    def openapi(self) -> dict:
        return finish_schema(super().openapi(), self.routes)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        configure_logging()
        settings.refuse_public_demo_mode()
        settings.warn_about_generated_secrets()
        private_dir(settings.upload_dir)
        db = Database(settings.database_url)
        try:
            await run_in_threadpool(require_current_schema, db)
        except Exception:
            db.dispose()
            raise
        app.state.db = db
        app.state.tracker = TrackerReader(settings.tracker_store_url)
        try:
            yield
        finally:
            app.state.tracker.dispose()
            db.dispose()

    app = Backend(
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
    uploads = [
        (route.methods, route.path_regex, settings.max_upload_bytes + FORM_OVERHEAD)
        for route in iter_route_contexts(app.routes)
        if route.endpoint is upload_material
    ]
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_kb * 1024, routes=uploads)
    return app


app = create_app()
