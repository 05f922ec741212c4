"""Browser tests drive Debian's Chromium through Playwright (never a downloaded browser)."""

import os
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db.backends.signals import connection_created
from django.test.testcases import LiveServerThread

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still
# synchronous and run before or after each browser step.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """On SQLite the test database lives in memory and the live server's request threads share its one
    connection: two requests at once (the convention page loads its sections together) deadlocked there, one
    thread inside SQLite waiting for Python's lock, the other holding it and waiting for SQLite's. Each request
    still has its thread (a connection the browser opens ahead and leaves idle blocks nobody), but the
    application answers them in turn, its response read whole before the next begins."""

    in_turn = threading.Lock()

    def set_app(self, application):
        def application_in_turn(environ, start_response):
            with self.in_turn:
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    response.close()

        super().set_app(application_in_turn)


def read_uncommitted_on_sqlite(sender, connection, **kwargs):
    """A job run in a thread beside the live server (JOBS_EXECUTION="thread", as on the SQLite demo) opens its own
    connection to the in-memory database, whose shared cache locks whole tables: the page reading the job's row
    while the thread marked it « en cours » failed at once with « database table is locked: jobs_job » (SQLite
    does not wait on those locks). Reading uncommitted, a reader takes no table lock, so it neither waits for nor
    blocks the job; a file database, as the demo's, waits instead (its busy timeout)."""
    if connection.vendor == "sqlite":
        connection.connection.execute("PRAGMA read_uncommitted = 1")


connection_created.connect(read_uncommitted_on_sqlite)


@pytest.fixture(scope="session", autouse=True)
def live_server_in_turn_on_sqlite():
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    original = LiveServerThread.server_class
    LiveServerThread.server_class = OneRequestAtATimeServer
    yield
    LiveServerThread.server_class = original


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium est absent : lancez scripts/setup (paquets chromium et chromium-driver).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    """Save a screenshot of the page as a test artefact (artifacts/ is not committed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
