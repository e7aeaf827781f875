"""Serves the web pages in web/: the demo app page with the chat widget, and the agent console.

No build step and no CDN: the socket.io client and Chart.js come from web/node_modules (npm ci
in scripts/setup.sh). The browser talks to Rasa's socket.io channel directly, at RASA_URL.
"""

import json

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

from app.api.deps import SettingsDep
from app.core.config import REPO_ROOT
from app.errors import ApiError

WEB_DIR = REPO_ROOT / "web"
NODE_MODULES = WEB_DIR / "node_modules"
# Third-party browser code, from web/node_modules at the exact versions of web/package.json.
VENDOR = {
    "socket.io.min.js": NODE_MODULES / "socket.io-client" / "dist" / "socket.io.min.js",
    "chart.umd.min.js": NODE_MODULES / "chart.js" / "dist" / "chart.umd.min.js",
}
NO_CACHE = {"Cache-Control": "no-cache"}


def _page(name: str) -> FileResponse:
    return FileResponse(WEB_DIR / name, headers=NO_CACHE)


def mount_web(app: FastAPI) -> None:
    """Call after every API route is included, so the pages never shadow one."""

    @app.get("/", include_in_schema=False)
    def app_page() -> FileResponse:
        return _page("index.html")

    @app.get("/console", include_in_schema=False)
    def console_page() -> FileResponse:
        return _page("console.html")

    @app.get("/console/figures", include_in_schema=False)
    def figures_page() -> FileResponse:
        return _page("figures.html")

    @app.get("/console/unknown", include_in_schema=False)
    def unknown_messages_page() -> FileResponse:
        return _page("unknown.html")

    @app.get("/config.js", include_in_schema=False)
    def config(settings: SettingsDep) -> Response:
        body = f"window.APP_CONFIG = {json.dumps({'rasaUrl': settings.rasa_url})};\n"
        return Response(body, media_type="text/javascript", headers=NO_CACHE)

    @app.get("/static/vendor/{name}", include_in_schema=False)
    def vendor_script(name: str) -> FileResponse:
        path = VENDOR.get(name)
        if path is None or not path.is_file():  # web/node_modules missing: run scripts/setup.sh
            raise ApiError(404, "not_found")
        return FileResponse(path, media_type="text/javascript", headers=NO_CACHE)

    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="web-static")
