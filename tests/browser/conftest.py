"""Browser tests: the whole stack on free ports, driven through Debian's headless Chromium.

Needs a trained model (scripts/test.sh trains first; by hand: `bash scripts/train.sh`) and
/usr/bin/chromium (or CHROMIUM_PATH). Screenshots go to test-artifacts/ (gitignored).
"""
import os
import shutil

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from scripts.stack import Stack, free_port
from tests.browser.ui import ARTIFACTS, SECRETS

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """Backend, action server and Rasa with a data folder, ports and secrets of their own."""
    env = {k: v for k, v in os.environ.items() if k not in (
        "BACKEND_URL", "RASA_URL", "ACTION_ENDPOINT_URL", "DATABASE_URL", "RASA_TRACKER_DB")}
    env.update(SECRETS, DATA_DIR=str(tmp_path_factory.mktemp("stack-data")), DEMO_MODE="true",
               BACKEND_PORT=str(free_port()), ACTIONS_PORT=str(free_port()), RASA_PORT=str(free_port()))
    started = Stack(env=env)
    started.start(timeout=300, progress=lambda _: None)
    yield started
    started.stop()


@pytest.fixture(scope="session")
def backend_url(stack) -> str:
    return stack.env["BACKEND_URL"]


@pytest.fixture(scope="session")
def rasa_url(stack) -> str:
    return stack.env["RASA_URL"]


@pytest.fixture(scope="session")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser: Browser, backend_url):
    """Opens pages in fresh browser contexts (separate people); closes them after the test."""
    contexts = []

    def make(path: str = "/", **context_options) -> Page:
        context_options.setdefault("locale", "zh-CN")
        context = browser.new_context(base_url=backend_url, **context_options)
        contexts.append(context)
        page = context.new_page()
        page.goto(path)
        return page

    yield make
    for context in contexts:
        context.close()


