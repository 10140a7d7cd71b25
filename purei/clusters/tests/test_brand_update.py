from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from purei.clusters.brand import BrandChanges, BrandErrorCode, cluster_brand_update
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory, image_upload
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_admin_changes_the_brand_and_it_is_audited(cluster_x_admin, cluster_x):
    # when
    cluster = cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(
            name_en="Marlborough Wine",
            name_mi="Te Tauihu Wāina",
            tagline="Sauvignon from the sunny top of the south",
            colour_primary="#5B2333",
            colour_accent="#7a3b00",
            commission_rate="12.5",
            join_requires_approval=False,
            domain="Shop.MarlboroughWine.NZ.",
        ),
    )
    # then
    cluster.refresh_from_db()
    assert cluster.name_en == "Marlborough Wine"
    assert cluster.name_mi == "Te Tauihu Wāina"
    assert cluster.colour_primary == "#5b2333"
    assert cluster.commission_rate == Decimal("12.50")
    assert cluster.join_requires_approval is False
    assert cluster.domain == "shop.marlboroughwine.nz"
    assert "te tauihu waina" in cluster.search_text
    entry = AuditEntry.objects.get(verb="cluster.brand_updated")
    assert entry.cluster_id == cluster_x.pk
    assert entry.actor == cluster_x_admin.user
    assert entry.before["name_en"] == "Cluster X Wine"
    assert entry.after["name_en"] == "Marlborough Wine"
    assert entry.before["domain"] is None
    assert entry.after["domain"] == "shop.marlboroughwine.nz"
    assert entry.after["commission_rate"] == "12.50"
    assert "story" not in entry.after  # only what changed


def test_only_the_keys_given_change(cluster_x_admin, cluster_x):
    # when
    cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(tagline="New line"),
    )
    # then
    cluster_x.refresh_from_db()
    assert cluster_x.tagline == "New line"
    assert cluster_x.name_en == "Cluster X Wine"
    assert cluster_x.join_requires_approval is True


def test_nothing_changed_writes_no_audit_row(cluster_x_admin, cluster_x):
    # when
    cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(name_en="Cluster X Wine"),
    )
    # then
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "actor_name",
    ["anonymous", "customer", "member_a_staff", "member_a_owner", "cluster_y_admin"],
)
def test_only_this_clusters_admins_change_the_brand(request, actor_name, cluster_x):
    # given
    actor = request.getfixturevalue(actor_name)
    # when
    with pytest.raises(NotPermitted) as caught:
        cluster_brand_update(
            actor=actor, cluster=cluster_x, changes=BrandChanges(name_en="Hacked")
        )
    # then
    assert caught.value.code == BrandErrorCode.NOT_CLUSTER_ADMIN
    cluster_x.refresh_from_db()
    assert cluster_x.name_en == "Cluster X Wine"
    assert not AuditEntry.objects.exists()


def test_platform_staff_may_change_the_brand(platform_staff, cluster_x):
    cluster_brand_update(
        actor=platform_staff, cluster=cluster_x, changes=BrandChanges(tagline="x")
    )
    cluster_x.refresh_from_db()
    assert cluster_x.tagline == "x"


def test_low_contrast_colours_are_refused_with_the_ratio(cluster_x_admin, cluster_x):
    # when
    with pytest.raises(ValidationFailed) as caught:
        cluster_brand_update(
            actor=cluster_x_admin,
            cluster=cluster_x,
            changes=BrandChanges(
                colour_primary="#ffcc00", colour_accent="#88ccff", tagline="Changed"
            ),
        )
    # then
    errors = caught.value.errors
    assert caught.value.code == BrandErrorCode.INVALID_BRAND
    assert caught.value.field == "colour_primary"
    assert (
        "White text on #ffcc00 has a contrast of 1.5:1" in errors["colour_primary"][0]
    )
    assert "at least 4.5:1" in errors["colour_primary"][0]
    assert "colour_accent" in errors
    cluster_x.refresh_from_db()
    assert cluster_x.colour_primary == ""
    assert cluster_x.tagline == "Made together"
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("0", True),
        ("100", True),
        ("12.25", True),
        (Decimal("7.5"), True),
        (15, True),
        ("12.255", False),
        ("-1", False),
        ("100.01", False),
        ("abc", False),
        ("NaN", False),
        ("", False),
        (True, False),
    ],
)
def test_commission_is_a_percentage_with_two_decimals(
    cluster_x_admin, cluster_x, value, ok
):
    # when / then
    if ok:
        cluster_brand_update(
            actor=cluster_x_admin,
            cluster=cluster_x,
            changes=BrandChanges(commission_rate=value),
        )
        cluster_x.refresh_from_db()
        assert cluster_x.commission_rate == Decimal(str(value))
    else:
        with pytest.raises(ValidationFailed) as caught:
            cluster_brand_update(
                actor=cluster_x_admin,
                cluster=cluster_x,
                changes=BrandChanges(commission_rate=value),
            )
        assert caught.value.field == "commission_rate"
        cluster_x.refresh_from_db()
        assert cluster_x.commission_rate == Decimal("0.00")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("shop.example.nz", "shop.example.nz"),
        ("  SHOP.Example.NZ ", "shop.example.nz"),
        ("kūmara.example.nz", "xn--kmara-lfb.example.nz"),
        ("", None),
    ],
)
def test_domain_is_normalised(cluster_x_admin, cluster_x, value, expected):
    # when
    cluster_brand_update(
        actor=cluster_x_admin, cluster=cluster_x, changes=BrandChanges(domain=value)
    )
    # then
    cluster_x.refresh_from_db()
    assert cluster_x.domain == expected


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("https://shop.example.nz/", "only the host name"),
        ("shop.example.nz:8000", "only the host name"),
        ("203.0.113.7", "not an IP address"),
        ("[2001:db8::1]", "not an IP address"),
        ("shop", "not a valid domain name"),
        ("-shop.example.nz", "not a valid domain name"),
        ("shop_1.example.nz", "not a valid domain name"),
        ("localhost", "Pūrei's own address"),
        ("app.localhost", "Pūrei's own address"),
        ("purei.example.nz", "Pūrei's own address"),
    ],
)
@override_settings(SITE_URL="https://purei.example.nz")
def test_bad_domains_are_refused(cluster_x_admin, cluster_x, value, says):
    # when
    with pytest.raises(ValidationFailed) as caught:
        cluster_brand_update(
            actor=cluster_x_admin, cluster=cluster_x, changes=BrandChanges(domain=value)
        )
    # then
    assert caught.value.field == "domain"
    assert says in caught.value.message
    cluster_x.refresh_from_db()
    assert cluster_x.domain is None


def test_a_domain_belongs_to_one_cluster(cluster_x_admin, cluster_x):
    # given
    ClusterFactory.create(domain="shop.example.nz")
    # when
    with pytest.raises(ValidationFailed) as caught:
        cluster_brand_update(
            actor=cluster_x_admin,
            cluster=cluster_x,
            changes=BrandChanges(domain="shop.example.nz"),
        )
    # then
    assert "Another cluster already uses shop.example.nz" in caught.value.message


def test_keeping_its_own_domain_is_fine(cluster_x_admin, cluster_x):
    # given
    Cluster.objects.filter(pk=cluster_x.pk).update(domain="shop.example.nz")
    # when
    cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(domain="shop.example.nz"),
    )
    # then
    cluster_x.refresh_from_db()
    assert cluster_x.domain == "shop.example.nz"


def test_names_are_required_and_limited(cluster_x_admin, cluster_x):
    # when
    with pytest.raises(ValidationFailed) as caught:
        cluster_brand_update(
            actor=cluster_x_admin,
            cluster=cluster_x,
            changes=BrandChanges(name_en="  ", tagline="x" * 201),
        )
    # then
    assert set(caught.value.errors) == {"name_en", "tagline"}


def test_logo_is_cleaned_and_stored(cluster_x_admin, cluster_x):
    # when
    cluster = cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(
            logo=image_upload("me.jpg", (1600, 1200), "JPEG", exif=True)
        ),
    )
    # then
    cluster.refresh_from_db()
    name = cluster.logo.name or ""
    assert name.startswith("clusters/brand/")
    assert "me" not in name.rsplit("/", 1)[-1]
    with cluster.logo.open("rb") as stored, Image.open(stored) as image:
        assert max(image.size) == 800  # resized to fit
        assert not image.getexif()  # metadata stripped
    entry = AuditEntry.objects.get(verb="cluster.brand_updated")
    assert entry.before["logo"] == ""
    assert entry.after["logo"] == cluster.logo.name


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        (
            SimpleUploadedFile("logo.png", b"not an image", content_type="image/png"),
            "not a picture",
        ),
        (image_upload(size=(20, 20)), "at least 64 pixels"),
        (image_upload(fmt="GIF", name="logo.gif"), "not a picture"),
    ],
)
def test_bad_logos_are_refused(cluster_x_admin, cluster_x, upload, says):
    # when
    with pytest.raises(ValidationFailed) as caught:
        cluster_brand_update(
            actor=cluster_x_admin, cluster=cluster_x, changes=BrandChanges(logo=upload)
        )
    # then
    assert caught.value.field == "logo"
    assert says in caught.value.message
    cluster_x.refresh_from_db()
    assert not cluster_x.logo


def test_hero_image_needs_a_description(cluster_x_admin, cluster_x):
    # when
    with pytest.raises(ValidationFailed) as caught:
        cluster_brand_update(
            actor=cluster_x_admin,
            cluster=cluster_x,
            changes=BrandChanges(
                hero_image=image_upload("hero.jpg", (1200, 600), "JPEG")
            ),
        )
    # then
    assert caught.value.field == "hero_alt"
    cluster_x.refresh_from_db()
    assert not cluster_x.hero_image


def test_hero_image_with_its_description(cluster_x_admin, cluster_x):
    # when
    cluster = cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(
            hero_image=image_upload("hero.jpg", (1200, 600), "JPEG"),
            hero_alt="Vines below the Richmond Range",
        ),
    )
    # then
    cluster.refresh_from_db()
    assert cluster.hero_image
    assert cluster.hero_alt == "Vines below the Richmond Range"


def test_clearing_the_logo(cluster_x_admin, cluster_x):
    # given
    cluster = cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(logo=image_upload()),
    )
    # when
    cluster = cluster_brand_update(
        actor=cluster_x_admin, cluster=cluster, changes=BrandChanges(logo_clear=True)
    )
    # then
    cluster.refresh_from_db()
    assert not cluster.logo


def test_removing_the_hero_description_while_keeping_the_image_is_refused(
    cluster_x_admin, cluster_x
):
    # given
    cluster = cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(
            hero_image=image_upload("h.png", (800, 400)), hero_alt="Vines"
        ),
    )
    # when
    with pytest.raises(ValidationFailed) as caught:
        cluster_brand_update(
            actor=cluster_x_admin, cluster=cluster, changes=BrandChanges(hero_alt="")
        )
    # then
    assert caught.value.field == "hero_alt"
