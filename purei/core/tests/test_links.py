"""Absolute links where there is no request (emails, the CLI): all on SITE_URL."""

from typing import Any

import pytest

from purei.core.links import absolute_url, site_url


def test_links_are_built_on_site_url(settings: Any):
    # given
    settings.SITE_URL = "https://purei.example.nz/"
    # then
    assert site_url() == "https://purei.example.nz"
    assert absolute_url("/orders/P-1/?key=abc") == (
        "https://purei.example.nz/orders/P-1/?key=abc"
    )


def test_only_paths_from_the_root_are_taken():
    with pytest.raises(ValueError, match="from the root"):
        absolute_url("orders/")
