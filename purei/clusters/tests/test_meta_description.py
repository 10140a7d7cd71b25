"""The cluster home's meta description: escaped exactly once (issue 11, defect 12
was found on the member page; this page is checked for the same)."""

import html
import re

import pytest
from django.test import Client

from purei.clusters.tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db

HOSTILE = 'Tom & Jerry <img src=x onerror=alert(1)> grow kai, 5 < 6 "always".'


def meta_description(body: str) -> str:
    match = re.search(r'<meta name="description" content="([^"]*)">', body)
    assert match is not None, "no meta description"
    return match.group(1)


@pytest.mark.parametrize("field", ["tagline", "story"])
def test_the_cluster_home_is_described_escaped_once(client: Client, field: str):
    # given
    fields = {"tagline": "", "story": "", field: HOSTILE}
    ClusterFactory.create(slug="kaipara", **fields)
    # when
    response = client.get("/c/kaipara/")
    # then
    assert response.status_code == 200
    content = meta_description(response.content.decode())
    assert html.unescape(content) == HOSTILE
    assert "&amp;amp;" not in content
    assert "&amp;lt;" not in content
    assert "<" not in content
