import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from purei.clusters.models import Cluster, Region
from purei.core.tests.pictures import PDF_BYTES, picture_bytes, upload
from purei.members.models import Credential, Member, Membership
from purei.members.services import (
    MemberDetails,
    member_create,
    member_photo_add,
    member_update,
)
from purei.members.tests.factories import (
    CredentialFactory,
    MemberFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)


def page(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def card_names(body: str) -> list[str]:
    return re.findall(
        r'<h3 class="member-card__name"><a href="[^"]+">([^<]+)</a>', body
    )


def approved(cluster: Cluster, **fields) -> Member:
    member = MemberFactory.create(**fields)
    MembershipFactory.create(member=member, cluster=cluster)
    return member


def test_members_are_listed_by_region_north_to_south(client, cluster_x, member_a):
    # given
    approved(
        cluster_x,
        trading_name="Kaitaia Kai",
        region=Region.objects.get(code="NZ-NTL"),
        town="Kaitaia",
    )
    approved(cluster_x, trading_name="Āwhina Wines", town="Renwick")
    approved(cluster_x, trading_name="No Place", region=None, town="")
    # when
    body = page(client, "/c/cluster-x/members/")
    # then
    headings = re.findall(r'<h2 id="region-[^"]+">([^<]+)', body)
    assert [h.strip() for h in headings] == ["Northland", "Marlborough", "Other places"]
    assert card_names(body) == [
        "Kaitaia Kai",
        "Āwhina Wines",
        "Member A Wines",
        "No Place",
    ]
    assert body.count("<h1") == 1
    assert 'role="status" aria-live="polite">4 members.' in body
    assert "Kaitaia, Northland" in body
    assert "In trade" in body


def test_only_approved_members_show(client, cluster_x, cluster_y, member_a):
    # given
    for status in (
        Membership.Status.APPLIED,
        Membership.Status.DECLINED,
        Membership.Status.SUSPENDED,
        Membership.Status.LEFT,
    ):
        member = MemberFactory.create(trading_name=f"Status {status}")
        MembershipFactory.create(member=member, cluster=cluster_x, status=status)
    approved(cluster_y, trading_name="Oyster Farm")
    # when
    body = page(client, "/c/cluster-x/members/")
    # then
    assert card_names(body) == ["Member A Wines"]


def test_search_ignores_case_and_macrons(client, cluster_x):
    # given
    approved(cluster_x, trading_name="Kūmara Kai", story="Roasted kūmara.")
    approved(
        cluster_x,
        trading_name="Pinot People",
        story="We grow pinot noir.",
        town="Blenheim",
    )
    approved(cluster_x, trading_name="Havelock Mussels", town="Havelock")
    # then
    assert card_names(page(client, "/c/cluster-x/members/?q=KUMARA")) == ["Kūmara Kai"]
    assert card_names(page(client, "/c/cluster-x/members/?q=pinot noir")) == [
        "Pinot People"
    ]
    assert card_names(page(client, "/c/cluster-x/members/?q=havelock")) == [
        "Havelock Mussels"
    ]
    assert card_names(page(client, "/c/cluster-x/members/?q=marlborough")) == [
        "Havelock Mussels",
        "Kūmara Kai",
        "Pinot People",
    ]
    empty = page(client, "/c/cluster-x/members/?q=zzz")
    assert "No members match" in empty
    assert "0 members match." in empty


def test_htmx_search_returns_the_results_and_the_count(client, cluster_x, member_a):
    # when
    body = page(client, "/c/cluster-x/members/?q=member", **{"HX-Request": "true"})
    # then
    assert "<html" not in body
    assert 'id="member-count" hx-swap-oob="innerHTML"' in body
    assert "1 member matches." in body
    assert card_names(body) == ["Member A Wines"]


def test_the_search_form_works_without_javascript(client, cluster_x, member_a):
    # when
    body = page(client, "/c/cluster-x/members/")
    # then
    form = body[
        body.index('<form class="filters') : body.index(
            "</form>", body.index('<form class="filters')
        )
    ]
    assert 'method="get"' in form
    assert 'action="/c/cluster-x/members/"' in form
    assert '<label for="member-q">' in form
    assert 'hx-get="/c/cluster-x/members/"' in form


def test_a_cluster_that_is_not_live_has_no_member_pages(client, cluster_x, member_a):
    # given
    Cluster.objects.filter(pk=cluster_x.pk).update(status=Cluster.Status.DRAFT)
    # then
    assert client.get("/c/cluster-x/members/").status_code == 404
    assert client.get("/c/cluster-x/members/member-a/").status_code == 404
    assert client.get("/c/nowhere/members/").status_code == 404


def test_only_currently_verified_credentials_are_badged(client, cluster_x, member_a):
    # given
    CredentialFactory.create(
        member=member_a,
        kind=Credential.Kind.WINE_STANDARDS,
        verification=Credential.Verification.VERIFIED,
        expires_on=NEXT_YEAR,
    )
    CredentialFactory.create(
        member=member_a,
        kind=Credential.Kind.ORGANIC,
        verification=Credential.Verification.VERIFIED,
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    CredentialFactory.create(member=member_a, kind=Credential.Kind.FOOD_ACT)
    CredentialFactory.create(
        member=member_a,
        kind=Credential.Kind.TOI_IHO,
        verification=Credential.Verification.REJECTED,
    )
    # when
    listing = page(client, "/c/cluster-x/members/")
    detail = page(client, "/c/cluster-x/members/member-a/")
    # then
    for body in (listing, detail):
        assert "Wine standards management plan" in body
        assert "Organic certification" not in body
        assert "Food Act registration" not in body
        assert "Toi Iho licence" not in body


def test_forty_members_cost_a_fixed_number_of_queries(
    client, cluster_x, django_assert_num_queries
):
    # given
    for number in range(40):
        member = approved(cluster_x, trading_name=f"Maker {number:02d}")
        CredentialFactory.create(
            member=member, verification=Credential.Verification.VERIFIED
        )
    # when: the cluster, the members (+ regions), their credentials
    with django_assert_num_queries(3):
        body = page(client, "/c/cluster-x/members/")
    # then
    assert len(card_names(body)) == 40
    assert body.count("Liquor licence") == 40


@pytest.fixture
def full_member(customer, cluster_x) -> Member:
    member = member_create(
        actor=customer,
        details=MemberDetails(
            legal_name="Pinot People Limited",
            trading_name="Pinot People",
            in_trade=True,
            story="## Our vines\n\nWe grow **pinot noir**. <script>alert(1)</script>",
            region="NZ-MBH",
            town="Renwick",
            latitude="-41.5139",
            longitude="173.8312",
            contact_name="Aroha Ngata",
            email="kiaora@pinot.example.nz",
            phone="03 572 0000",
            website="https://pinot.example.nz",
            logo=upload("logo.png", picture_bytes(400, 400, "PNG"), "image/png"),
        ),
    )
    MembershipFactory.create(member=member, cluster=cluster_x)
    member_photo_add(
        actor=customer,
        member=member,
        image=upload(data=picture_bytes(2000, 1000, gps=True)),
        alt_text="Rows of vines under the Richmond Range",
    )
    credential = CredentialFactory.create(
        member=member,
        kind=Credential.Kind.WINE_STANDARDS,
        issuer="Ministry for Primary Industries",
        number="WSMP-1234",
        expires_on=datetime.date(2031, 3, 31),
        verification=Credential.Verification.VERIFIED,
    )
    assert credential.is_verified
    return member


def test_the_member_page_tells_story_place_contact_and_trader_status(
    client, full_member
):
    # when
    body = page(client, "/c/cluster-x/members/pinot-people/")
    # then
    assert "<h1>Pinot People</h1>" in body
    assert "Trading name of Pinot People Limited" in body
    assert "Pinot People sells in trade" in body
    assert "<h3>Our vines</h3>" in body
    assert "<strong>pinot noir</strong>" in body
    assert "alert(1)" not in body
    assert "Renwick" in body
    assert "Marlborough" in body
    # where it is: a pin on our own map of Aotearoa, and a link out to OSM
    assert '<circle class="nz-map__pin" cx="589" cy="796" r="18"/>' in body
    assert "members/aotearoa.svg" in body
    assert "https://www.openstreetmap.org/?mlat=-41.51390&amp;mlon=173.83120" in body
    assert "Pinot People is in Renwick, marked on a map" in body
    assert '<a href="mailto:kiaora@pinot.example.nz">' in body
    assert '<a href="tel:035720000">03 572 0000</a>' in body
    assert '<a href="https://pinot.example.nz" rel="nofollow noopener">' in body
    assert "Ministry for Primary Industries" in body
    assert "WSMP-1234" in body
    assert '<time datetime="2031-03-31">31 March 2031</time>' in body
    # the photo in sizes (its renditions, made when it was added)
    photo = re.search(
        r'<img src="(/media/renditions/members/photos/[^"]+-640w\.jpg)" '
        r'srcset="([^"]+)" sizes="[^"]+" width="(\d+)" height="(\d+)" '
        r'alt="([^"]+)"',
        body,
    )
    assert photo is not None
    assert photo.group(5) == "Rows of vines under the Richmond Range"
    assert (photo.group(3), photo.group(4)) == ("640", "320")
    assert photo.group(2).endswith("-1600w.jpg 1600w")
    assert body.count("<h1") == 1
    # nothing is loaded from elsewhere (no map tiles, no fonts): the only outside
    # addresses are links a visitor may follow (the member's site and OSM) and the
    # page's own hreflang alternates
    assert not re.search(r'(src|srcset)="https?://', body)
    assert not re.search(
        r'<(link|script|image)(?![^>]*rel="alternate")[^>]+href="https?://', body
    )
    outside = set(re.findall(r'<a href="(https?://[^/"]+)', body))
    assert outside == {"https://pinot.example.nz", "https://www.openstreetmap.org"}


def test_the_member_page_works_on_a_thin_profile(client, cluster_x, member_a):
    # given
    Member.objects.filter(pk=member_a.pk).update(
        email="", town="", region=None, in_trade=False, story_html=""
    )
    # when
    body = page(client, "/c/cluster-x/members/member-a/")
    # then
    assert "No contact details yet." in body
    assert "has not said where it is" in body
    assert "sells in trade" not in body


def test_member_pages_are_404_outside_their_approved_cluster(
    client, cluster_x, cluster_y, member_a
):
    # given
    other = approved(cluster_y, slug="oyster-farm")
    pending = MemberFactory.create(slug="pending")
    MembershipFactory.create(
        member=pending, cluster=cluster_x, status=Membership.Status.APPLIED
    )
    # then
    assert client.get("/c/cluster-y/members/member-a/").status_code == 404
    assert client.get("/c/cluster-x/members/oyster-farm/").status_code == 404
    assert client.get("/c/cluster-x/members/pending/").status_code == 404
    assert client.get(f"/c/cluster-y/members/{other.slug}/").status_code == 200


def test_the_cluster_home_links_to_its_members(client, cluster_x):
    # when
    body = page(client, "/c/cluster-x/")
    # then
    assert 'href="/c/cluster-x/members/"' in body


# --- Public pictures ----------------------------------------------------------


def test_public_pictures_are_served_with_long_caching(client, full_member):
    # given
    url = full_member.logo.url
    # when
    response = client.get(url)
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age=31536000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.getvalue().startswith(b"\x89PNG")


def test_cluster_brand_images_are_public_too(client):
    # given
    name = default_storage.save("clusters/brand/2026/11/abc.jpg", upload())
    webp = default_storage.save(
        "renditions/clusters/brand/2026/11/abc-320w.webp", upload()
    )
    # then
    assert client.get(f"/media/{name}").status_code == 200
    assert client.get(f"/media/{webp}").status_code == 200


def test_member_logos_and_photos_renditions_are_public(client):
    # given (the pages show these smaller copies, not the originals)
    logo = default_storage.save("renditions/members/logos/2026/11/a-320w.jpg", upload())
    photo = default_storage.save(
        "renditions/members/photos/2026/11/b-640w.webp", upload()
    )
    # then
    assert client.get(f"/media/{logo}").status_code == 200
    assert client.get(f"/media/{photo}").status_code == 200


def test_product_photos_and_their_renditions_are_public(client):
    # given
    photo = default_storage.save("catalogue/products/2026/11/abc.jpg", upload())
    webp = default_storage.save(
        "renditions/catalogue/products/2026/11/abc-320w.webp", upload()
    )
    # then
    assert client.get(f"/media/{photo}").status_code == 200
    assert client.get(f"/media/{webp}").status_code == 200


def test_evidence_and_unknown_files_are_never_served_as_media(client, member_a):
    # given
    credential = CredentialFactory.create(member=member_a)
    credential.evidence.save("x.pdf", upload("x.pdf", PDF_BYTES), save=True)
    other = default_storage.save("private/notes.jpg", upload())
    odd = default_storage.save("members/photos/page.html", upload())
    # then
    assert client.get(f"/media/{credential.evidence.name}").status_code == 404
    assert client.get(f"/media/{other}").status_code == 404
    assert client.get(f"/media/{odd}").status_code == 404
    assert client.get("/media/members/photos/../evidence/x.pdf").status_code == 404
    assert client.get("/media/members/photos/missing.jpg").status_code == 404
    assert client.post(f"/media/{credential.evidence.name}").status_code == 405


def test_a_member_updated_after_approval_shows_the_new_story(
    client, full_member, customer
):
    # when
    member_update(
        actor=customer, member=full_member, details=MemberDetails(story="New _story_.")
    )
    # then
    assert "New <em>story</em>." in page(client, "/c/cluster-x/members/pinot-people/")


def test_decimal_coordinates_west_and_north_read_as_words():
    # given
    from purei.members.nz_map import coordinates_text

    # then
    assert (
        coordinates_text(Decimal("12.500000"), Decimal("-3.250000"))
        == "12.5° N, 3.25° W"
    )
    assert coordinates_text(None, Decimal(1)) == ""
