"""The running stack shared by the end-to-end and hostile suites (one per test run);
the browser tests start their own (tests/browser/conftest.py)."""
import pytest

from tests.helpers import start_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    stack = start_stack(tmp_path_factory)
    yield stack
    stack.stop()
