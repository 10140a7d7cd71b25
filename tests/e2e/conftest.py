"""Playwright in Debian's Chromium, offline (see ../shared/docs/browser-testing.md)."""

import os
import shutil
from collections.abc import Generator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
OFFLINE_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Every name but loopback fails inside Chromium: no DNS traffic leaves the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright() -> Generator[None]:
    """Playwright's sync API keeps an asyncio loop running in the test thread, so ORM
    calls in browser tests would raise SynchronousOnlyOperation. Only for these tests
    (the variable must never be set in deployment: Django's check refuses it)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            # Transactional, so the live server sees the data; serialized rollback
            # restores what migrations loaded (the regions) after each flush.
            item.add_marker(
                pytest.mark.django_db(transaction=True, serialized_rollback=True)
            )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any]:
    outcome = yield
    report = outcome.get_result()
    # In CI a skipped browser test is a failure: it would hide a missing browser.
    if report.skipped and os.environ.get("CI") == "true":
        report.outcome = "failed"
        report.longrepr = f"browser test skipped in CI: {report.longrepr}"


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any],
) -> dict[str, Any]:
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)",
            pytrace=False,
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *OFFLINE_ARGS],
    }


@pytest.fixture
def axe_check() -> Any:
    """Run axe on the page; fail listing every violation, whatever its impact
    (minor and moderate too: the bar is 0 violations)."""
    axe = Axe()

    def check(page: Page, context: str = "") -> None:
        results = axe.run(page)
        bad = results.response["violations"]
        details = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] for n in v["nodes"][:5])
            for v in bad
        )
        assert not bad, f"axe found on {context or page.url}:\n{details}"

    return check


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "console_errors_expected: the test means to cause errors in the browser's "
        "console (the shared page fixture fails any other test that has one)",
    )


def _console_error_text(message: Any) -> str:
    location = message.location or {}
    return (
        f"{message.text} ({location.get('url', '')}:{location.get('lineNumber', '')})"
    )


def _expected_load_failure(message: Any, page_urls: set[str]) -> bool:
    """A page a test opens on purpose may answer 4xx (a 404 page, a refused form):
    Chromium logs the document's own status as a console error. Only that is let
    through; a sub-resource (a script, a picture, an htmx request) failing is not."""
    url = (message.location or {}).get("url", "")
    return message.text.startswith("Failed to load resource") and url in page_urls


@pytest.fixture
def page(page: Page, request: pytest.FixtureRequest) -> Generator[Page]:
    """Playwright's page, listening to the console: any error there (a script error,
    a CSP refusal, htmx logging ``htmx:sendAbort``, a failed request)
    fails the test, unless it is marked ``console_errors_expected``."""
    errors: list[str] = []
    documents: set[str] = set()

    def on_response(response: Any) -> None:
        if response.request.resource_type == "document":
            documents.add(response.url)

    def on_console(message: Any) -> None:
        if message.type == "error" and not _expected_load_failure(message, documents):
            errors.append(_console_error_text(message))

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    yield page
    if request.node.get_closest_marker("console_errors_expected") is None:
        assert not errors, "errors in the browser console:\n" + "\n".join(errors)
