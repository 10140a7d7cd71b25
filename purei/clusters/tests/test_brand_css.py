"""The brand reaches a cluster's pages as a stylesheet, never as inline styles."""

import re

import pytest
from django.test import Client

from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory, image_upload
from purei.core.renditions import renditions_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def branded() -> Cluster:
    return ClusterFactory.create(
        slug="marlborough-wine",
        name_en="Marlborough Wine",
        colour_primary="#5b2333",
        colour_accent="#7a3b00",
    )


def assert_no_inline_style(body: str) -> None:
    assert not re.search(r"\sstyle\s*=", body)
    assert "<style" not in body


def test_serves_the_colours_as_custom_properties(client: Client, branded):
    # when
    response = client.get("/c/marlborough-wine/brand.css")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    assert ":root {" in css
    assert "--color-brand: #5b2333;" in css
    assert "--color-brand-contrast: #ffffff;" in css
    assert "--color-accent: #7a3b00;" in css
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert "immutable" not in response["Cache-Control"]
    assert response["ETag"]
    assert response["Last-Modified"]


def test_the_current_version_in_the_url_is_cached_for_a_year(client: Client, branded):
    # given: the link a cluster page carries
    version = int(branded.updated_at.timestamp())
    # when
    response = client.get(f"/c/marlborough-wine/brand.css?v={version}")
    # then
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache == {"public", "max-age=31536000", "immutable"}


def test_an_old_version_in_the_url_is_cached_briefly(client: Client, branded):
    # given: a link from before the brand changed
    old = int(branded.updated_at.timestamp())
    branded.colour_primary = "#0b5d4b"
    branded.save()
    # when
    response = client.get(f"/c/marlborough-wine/brand.css?v={old - 60}")
    # then
    assert "max-age=300" in response["Cache-Control"]
    assert "immutable" not in response["Cache-Control"]
    assert "--color-brand: #0b5d4b;" in response.content.decode()


def test_an_unchanged_brand_is_not_sent_again(client: Client, branded):
    # given
    etag = client.get("/c/marlborough-wine/brand.css")["ETag"]
    # when
    response = client.get("/c/marlborough-wine/brand.css", HTTP_IF_NONE_MATCH=etag)
    # then
    assert response.status_code == 304
    assert response.content == b""


def test_a_changed_brand_has_a_new_etag(client: Client, branded):
    # given
    etag = client.get("/c/marlborough-wine/brand.css")["ETag"]
    branded.colour_primary = "#0b5d4b"
    branded.save()
    # when
    response = client.get("/c/marlborough-wine/brand.css", HTTP_IF_NONE_MATCH=etag)
    # then
    assert response.status_code == 200
    assert "--color-brand: #0b5d4b;" in response.content.decode()


def test_a_cluster_without_colours_keeps_the_defaults(client: Client, cluster_x):
    # when
    css = client.get("/c/cluster-x/brand.css").content.decode()
    # then
    assert "--color-brand" not in css


@pytest.mark.parametrize("status", [Cluster.Status.DRAFT, Cluster.Status.PAUSED])
def test_only_live_clusters_have_a_brand_stylesheet(client: Client, branded, status):
    # given
    Cluster.objects.filter(pk=branded.pk).update(status=status)
    # when
    response = client.get("/c/marlborough-wine/brand.css")
    # then
    assert response.status_code == 404


def test_cluster_home_links_the_stylesheet_and_shows_no_inline_style(
    client: Client, branded
):
    # when
    response = client.get("/c/marlborough-wine/")
    # then
    body = response.content.decode()
    version = int(branded.updated_at.timestamp())
    assert (
        f'<link rel="stylesheet" href="/c/marlborough-wine/brand.css?v={version}">'
        in body
    )
    assert 'data-cluster="marlborough-wine"' in body
    assert_no_inline_style(body)


def test_cluster_home_without_colours_links_no_stylesheet(client: Client, cluster_x):
    # when
    body = client.get("/c/cluster-x/").content.decode()
    # then
    assert "brand.css" not in body


def test_cluster_pages_show_the_logo_and_name_in_the_header(client: Client, branded):
    # given
    branded.logo.save("logo.png", image_upload(), save=False)
    branded.logo_renditions = renditions_create(branded.logo.name or "")
    branded.save()
    # when
    body = client.get("/c/marlborough-wine/").content.decode()
    # then: a small copy, with its size, beside the name it shows
    header = body.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    logo = re.search(
        r'<picture><source type="image/webp" srcset="[^"]+" sizes="10rem">'
        r'<img src="(/media/renditions/clusters/brand/[^"]+)" srcset="[^"]+" '
        r'sizes="10rem" width="\d+" height="\d+" alt="" decoding="async" '
        r'class="brand__logo"></picture>',
        header,
    )
    assert logo is not None
    assert "Marlborough Wine" in header
    assert "on Pūrei" in header
    assert_no_inline_style(body)


def test_join_page_carries_the_brand(client: Client, branded):
    # when
    body = client.get("/c/marlborough-wine/join/").content.decode()
    # then
    assert "/c/marlborough-wine/brand.css" in body
    assert_no_inline_style(body)
