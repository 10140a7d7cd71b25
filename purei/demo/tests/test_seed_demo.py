from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django.test import Client

from purei.accounts.models import ClusterRole, User
from purei.clusters import seed
from purei.clusters.brand_colours import brand_errors
from purei.clusters.models import Cluster, ClusterType, LeadOrganisationKind
from purei.clusters.rules import type_rule_errors
from purei.clusters.search import cluster_search_text
from purei.members.seed import seed_login_count

pytestmark = pytest.mark.django_db

DESIGN_TYPES = {
    "marlborough-wine": ClusterType.TRADITIONAL,
    "te-hiku-oysters": ClusterType.TRADITIONAL,
    "bay-of-plenty-avocados": ClusterType.TRADITIONAL,
    "kaipara-kumara": ClusterType.TRADITIONAL,
    "south-canterbury-small-seeds": ClusterType.TRADITIONAL,
    "te-tauranga-toi": ClusterType.TRADITIONAL,
    "aotearoa-craft-beer": ClusterType.VIRTUAL,
    "nz-steel-fabricators": ClusterType.VIRTUAL,
    "rongoa-natural-health": ClusterType.VIRTUAL,
    "martinborough-fair": ClusterType.LOCAL,
    "tokoroa-makers": ClusterType.LOCAL,
}


def seed_demo(*, history: bool = False) -> str:
    """``purei seed_demo``; without the past orders and payouts unless asked
    (they have their own test, purei/ledger/tests/test_seed.py, and cost ~3 s)."""
    out = StringIO()
    call_command("seed_demo", *([] if history else ["--no-history"]), stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, object]:
    """Every row the seed writes, field by field (timestamps and hashes included)."""
    clusters = {
        c.slug: {
            **model_to_dict(c, exclude=["regions"]),
            "search_text": c.search_text,
            "created_at": c.created_at,
            "updated_at": c.updated_at,
            "regions": sorted(r.code for r in c.regions.all()),
        }
        for c in Cluster.objects.prefetch_related("regions")
    }
    users = {
        u.email: (u.pk, u.password, u.full_name, u.is_staff, u.is_superuser)
        for u in User.objects.all()
    }
    roles = sorted(
        ClusterRole.objects.values_list(
            "pk", "user__email", "cluster__slug", "role", "updated_at"
        )
    )
    return {"clusters": clusters, "users": users, "roles": roles}


@pytest.mark.usefixtures("demo_seeded")
class TestTheSeededDemo:
    """What ``purei seed_demo`` writes, read by each test from one load of it
    (``demo_seeded``; each test's own changes are rolled back)."""

    def test_loads_the_eleven_clusters_of_the_design_map_all_live(self):
        # when: the demo, seeded once for the class
        # then
        clusters = {c.slug: c for c in Cluster.objects.all()}
        assert {slug: c.type for slug, c in clusters.items()} == DESIGN_TYPES
        assert {c.status for c in clusters.values()} == {Cluster.Status.LIVE}

    def test_every_seed_cluster_passes_the_type_rules(self):
        # when: the demo, seeded once for the class
        # then
        for cluster in Cluster.objects.prefetch_related("regions"):
            errors = type_rule_errors(
                cluster_type=cluster.type,
                region_count=len(cluster.regions.all()),
                specialisation=cluster.specialisation,
            )
            assert errors == {}, cluster.slug

    def test_seed_clusters_have_realistic_details(self):
        # when: the demo, seeded once for the class
        # then
        for cluster in Cluster.objects.prefetch_related("regions"):
            assert cluster.lead_org_name, cluster.slug
            assert cluster.lead_org_kind, cluster.slug
            assert cluster.tagline, cluster.slug
            assert 3 <= len(cluster.story.split("\n\n")) <= 4, cluster.slug
            assert cluster.search_text == cluster_search_text(cluster), cluster.slug
            if cluster.type == ClusterType.LOCAL:
                assert cluster.specialisation == "", cluster.slug
        regions = {
            c.slug: sorted(r.code for r in c.regions.all())
            for c in Cluster.objects.prefetch_related("regions")
        }
        assert regions["marlborough-wine"] == ["NZ-MBH"]
        assert regions["kaipara-kumara"] == ["NZ-NTL"]
        assert regions["martinborough-fair"] == ["NZ-WGN"]
        assert regions["tokoroa-makers"] == ["NZ-WKO"]
        assert Cluster.objects.get(slug="te-tauranga-toi").name_mi == "Te Tauranga Toi"

    def test_search_finds_seed_clusters_without_macrons(self, client: Client):
        # given: the demo, seeded once for the class
        # when
        kumara = client.get("/api/v1/clusters?q=kumara").json()
        maori = client.get("/api/v1/clusters?q=maori").json()
        # then
        assert [c["slug"] for c in kumara] == ["kaipara-kumara"]
        assert "te-tauranga-toi" in [c["slug"] for c in maori]

    def test_running_again_repairs_edited_seed_rows(self):
        # given: the demo, seeded once for the class
        cluster = Cluster.objects.get(slug="kaipara-kumara")
        cluster.tagline = "Changed"
        cluster.save()
        cluster.regions.clear()
        user = User.objects.get(email="admin@marlborough-wine.test")
        user.set_password("something-else")
        user.save()
        # when
        seed_demo()
        # then
        cluster.refresh_from_db()
        assert cluster.tagline != "Changed"
        assert [r.code for r in cluster.regions.all()] == ["NZ-NTL"]
        user.refresh_from_db()
        assert user.check_password("purei-demo")

    def test_creates_demo_logins_and_prints_them(self, demo_seeded: str):
        # when: the demo, seeded once for the class
        output = demo_seeded
        # then
        assert "Demo logins:" in output
        for login in seed.DEMO_LOGINS:
            assert login.email in output
        assert "purei-demo" in output
        staff = User.objects.get(email="staff@purei.test")
        assert staff.is_staff
        admin = User.objects.get(email="admin@marlborough-wine.test")
        assert not admin.is_staff
        assert list(admin.cluster_roles.values_list("cluster__slug", "role")) == [
            ("marlborough-wine", ClusterRole.Role.ADMIN)
        ]

    @pytest.mark.parametrize(
        "email", ["staff@purei.test", "admin@marlborough-wine.test"]
    )
    def test_demo_logins_can_log_in(self, client: Client, email):
        # given: the demo, seeded once for the class
        # when
        response = client.post(
            "/accounts/login/", {"username": email, "password": "purei-demo"}
        )
        # then
        assert response.status_code == 302
        assert client.session.get("_auth_user_id") == str(
            User.objects.get(email=email).pk
        )


def test_running_twice_changes_nothing():
    # given
    seed_demo(history=True)
    first = snapshot()
    # when
    output = seed_demo(history=True)
    # then
    assert snapshot() == first
    assert Cluster.objects.count() == 11
    # The cluster seed's logins, plus each cluster's admin and member logins.
    assert User.objects.count() == seed_login_count()
    assert "already up to date" in output


def test_a_seed_that_breaks_a_type_rule_fails_loudly_and_writes_nothing(
    monkeypatch,
):
    # given
    broken = seed.SeedCluster(
        slug="nowhere-nothing",
        name_en="Nowhere Nothing",
        type=ClusterType.TRADITIONAL,
        lead_org_kind=LeadOrganisationKind.OTHER,
        lead_org_name="Nobody",
        regions=(),
        specialisation="",
        tagline="",
        story="",
    )
    monkeypatch.setattr(seed, "SEED_CLUSTERS", (*seed.SEED_CLUSTERS, broken))
    # when
    with pytest.raises(CommandError) as failed:
        seed_demo()
    # then
    assert "nowhere-nothing: regions" in str(failed.value)
    assert "nowhere-nothing: specialisation" in str(failed.value)
    assert Cluster.objects.count() == 0
    assert User.objects.count() == 0


def test_every_seed_cluster_has_its_colours_a_logo_and_a_hero(client: Client):
    # when
    seed_demo()
    # then: colours the brand screen would accept, and pictures drawn from the
    # members' products, in sizes, described
    for cluster in Cluster.objects.all():
        assert brand_errors(cluster.colour_primary, cluster.colour_accent) == {}
        assert cluster.colour_primary, cluster.slug
        assert str(cluster.logo.name).endswith(".png"), cluster.slug
        assert str(cluster.hero_image.name).endswith(".jpg"), cluster.slug
        assert cluster.hero_alt.startswith("Illustration: "), cluster.slug
        hero = cluster.hero_picture
        assert hero is not None
        assert (hero.width, hero.height) == (1600, 900), cluster.slug
        assert [r["w"] for r in cluster.logo_renditions] == [192], cluster.slug
    # and the directory shows them (no brand panel in their place)
    html = client.get("/clusters/").content.decode()
    assert html.count('class="cluster-card__hero"') == 11
    assert "cluster-card__panel" not in html
    wine = Cluster.objects.get(slug="marlborough-wine")
    webp = wine.hero_renditions[0]["webp"]
    assert client.get(f"/media/{webp}").status_code == 200
