"""Browser fixtures: one real server on the demo warehouse and one headless Chromium per session."""


import pytest

from dashboard.localserver import CHROMIUM_ARGS, running_dashboard
from tests.fixtures.browser import chromium_or_skip


@pytest.fixture(scope="session")
def server_state_store(tmp_path_factory):
    """The (temporary) state store of the session's server; a test that writes storyboards for it uses this."""
    return tmp_path_factory.mktemp("server-state") / "state.sqlite"


@pytest.fixture(scope="session")
def dashboard_url(demo_warehouse, server_state_store, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HSS_STATE_STORE", str(server_state_store))
        with running_dashboard(demo_warehouse, tmp_path_factory.mktemp("server") / "streamlit.log") as url:
            yield url


@pytest.fixture(scope="session")
def browser():
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    yield context.new_page()
    context.close()
