"""Every picture on the public pages keeps its space and comes in sizes: each
``<img>`` has ``width``, ``height``, ``srcset`` and ``sizes`` (``{% picture %}``),
the cluster's logo and hero included."""

from __future__ import annotations

from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client

from purei.catalogue.services.photos import product_photo_add
from purei.clusters.brand import BrandChanges, cluster_brand_update
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.tests.pictures import picture_bytes, upload
from purei.members.models import Member
from purei.members.services import MemberDetails, member_photo_add, member_update
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append({name: value or "" for name, value in attrs})


def _images(client: Client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Images()
    parser.feed(response.content.decode())
    return parser.images


def test_every_image_on_the_public_pages_has_a_size_and_a_srcset(
    client: Client,
    cluster_x: Cluster,
    cluster_x_admin: Actor,
    member_a: Member,
    member_a_owner: Actor,
) -> None:
    # given: the cluster's logo and a 1,800 px hero, the member's logo and a
    # photo, a product with a photo, and that product in the cart
    cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(
            logo=upload("logo.png", picture_bytes(600, 200, "PNG"), "image/png"),
            hero_image=upload("hero.jpg", picture_bytes(1800, 900)),
            hero_alt="Rows of vines at dusk",
        ),
    )
    member_update(
        actor=member_a_owner,
        member=member_a,
        details=MemberDetails(logo=upload("logo.jpg", picture_bytes(500, 500))),
    )
    member_photo_add(
        actor=member_a_owner,
        member=member_a,
        image=upload("cellar.jpg", picture_bytes(1200, 800)),
        alt_text="The cellar door",
    )
    product = public_product(cluster_x, member=member_a, title_en="Pinot Noir")
    product_photo_add(
        actor=member_a_owner,
        product=product,
        image=upload("bottle.jpg", picture_bytes(1200, 900)),
        alt_text="A bottle of Pinot Noir",
    )
    variant = product.variants.get()
    client.post("/c/cluster-x/cart/add/", {"variant": variant.pk, "quantity": "1"})
    pages = [
        "/",
        "/clusters/",
        "/c/cluster-x/",
        "/c/cluster-x/shop/",
        f"/c/cluster-x/p/{member_a.slug}/{product.slug}/",
        f"/c/cluster-x/members/{member_a.slug}/",
        "/c/cluster-x/members/",
        "/c/cluster-x/cart/",
    ]
    # when
    images = {url: _images(client, url) for url in pages}
    # then: the cluster's pages all show pictures (its logo at least)
    assert all(images[url] for url in pages if url.startswith("/c/"))
    for url, found in images.items():
        for image in found:
            for attribute in ("width", "height", "srcset", "sizes"):
                assert image.get(attribute), f"{url}: {image} has no {attribute}"
            assert image["width"].isdigit()
            assert image["height"].isdigit()
    home = images["/c/cluster-x/"]
    hero = next(i for i in home if i["alt"] == "Rows of vines at dusk")
    assert hero["fetchpriority"] == "high"
    assert "loading" not in hero
    # Phones get a narrow copy: the 1,800 px original is never in the srcset.
    widths = [candidate.split()[-1] for candidate in hero["srcset"].split(", ")]
    assert widths == ["320w", "640w", "1024w", "1600w"]
    assert (hero["width"], hero["height"]) == ("640", "320")
    logo = next(i for i in home if "brand__logo" in i.get("class", ""))
    assert logo["alt"] == ""
    assert (logo["width"], logo["height"]) == ("600", "200")
    member_page = images[f"/c/cluster-x/members/{member_a.slug}/"]
    assert {i["alt"] for i in member_page} >= {
        f"Logo of {member_a.name}",
        "The cellar door",
    }
    product_page = images[f"/c/cluster-x/p/{member_a.slug}/{product.slug}/"]
    assert any(i["alt"] == "A bottle of Pinot Noir" for i in product_page)


def test_images_render_makes_renditions_of_pictures_stored_before_them(
    cluster_x: Cluster, cluster_x_admin: Actor, member_a: Member, member_a_owner: Actor
) -> None:
    # given: a logo and a member photo whose renditions were never made
    cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(logo=upload("logo.jpg", picture_bytes(700, 300))),
    )
    photo = member_photo_add(
        actor=member_a_owner,
        member=member_a,
        image=upload("cellar.jpg", picture_bytes(900, 600)),
        alt_text="The cellar door",
    )
    Cluster.objects.filter(pk=cluster_x.pk).update(logo_renditions=[])
    type(photo).objects.filter(pk=photo.pk).update(renditions=[])
    # when
    out = StringIO()
    call_command("images_render", "--missing-only", stdout=out)
    # then
    cluster_x.refresh_from_db()
    photo.refresh_from_db()
    assert [r["w"] for r in cluster_x.logo_renditions] == [320, 640, 700]
    assert [r["w"] for r in photo.renditions] == [320, 640, 900]
    assert all(default_storage.exists(r["webp"]) for r in photo.renditions)
    assert "1 cluster logos and heroes and 1 member logos and photos" in out.getvalue()
