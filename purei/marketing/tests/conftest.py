from collections.abc import Iterator

import pytest

from purei.marketing.tests.smtp import SmtpServer, smtp_server_running


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """A real SMTP server on a free port; Django's mail goes to it."""
    with smtp_server_running() as server:
        settings.MAILERS = server.mailers
        yield server


@pytest.fixture(autouse=True)
def _site_url(settings) -> None:
    # Links in emails are https, as in production (RFC 8058 asks for https).
    settings.SITE_URL = "https://purei.test"
    settings.NEWSLETTER_RETRY_SECONDS = [0, 0]
