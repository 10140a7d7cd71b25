"""How a cluster's products are listed (issue 11, defect 6): whether a curator
approves each product first, and whether works carrying cultural designs wait for
the cluster's kaitiaki. The service, the screen, the API, the Django admin, and the
audit row shown on the activity page."""

import json
import re

import pytest
from django.test import Client

from purei.accounts.models import ClusterRole, User
from purei.accounts.tests.factories import UserFactory
from purei.clusters.listing_rules import ListingRules, cluster_listing_rules_update
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import NotPermitted
from purei.core.models import AuditEntry

pytestmark = pytest.mark.django_db

VERB = "cluster.listing_rules_updated"
SCREEN = "/manage/clusters/cluster-x/listing-rules/"
API = "/api/v1/clusters/cluster-x/listing-rules"


def rules_of(cluster: Cluster) -> tuple[bool, bool]:
    cluster.refresh_from_db()
    return cluster.listings_need_approval, cluster.cultural_review


@pytest.fixture
def cluster_x_curator(cluster_x: Cluster) -> Actor:
    user = UserFactory.create(email="curator@cluster-x.nz")
    ClusterRole.objects.create(
        user=user, cluster=cluster_x, role=ClusterRole.Role.CURATOR
    )
    return Actor(user=user)


# --- The service ----------------------------------------------------------------


def test_an_admin_lists_at_once_and_asks_the_kaitiaki_and_it_is_audited(
    cluster_x_admin: Actor, cluster_x: Cluster
):
    # given
    assert rules_of(cluster_x) == (True, False)
    # when
    cluster_listing_rules_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        rules=ListingRules(listings_need_approval=False, cultural_review=True),
    )
    # then
    assert rules_of(cluster_x) == (False, True)
    entry = AuditEntry.objects.get(verb=VERB)
    assert entry.cluster_id == cluster_x.pk
    assert entry.actor == cluster_x_admin.user
    assert entry.target_id == str(cluster_x.pk)
    assert entry.before == {"listings_need_approval": True, "cultural_review": False}
    assert entry.after == {"listings_need_approval": False, "cultural_review": True}


def test_only_the_rules_given_change(cluster_x_admin: Actor, cluster_x: Cluster):
    # when
    cluster_listing_rules_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        rules=ListingRules(cultural_review=True),
    )
    # then
    assert rules_of(cluster_x) == (True, True)
    entry = AuditEntry.objects.get(verb=VERB)
    assert entry.before == {"cultural_review": False}
    assert entry.after == {"cultural_review": True}


def test_no_change_records_nothing(cluster_x_admin: Actor, cluster_x: Cluster):
    # when
    cluster_listing_rules_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        rules=ListingRules(listings_need_approval=True, cultural_review=False),
    )
    # then
    assert rules_of(cluster_x) == (True, False)
    assert not AuditEntry.objects.filter(verb=VERB).exists()


def test_platform_staff_may_change_them(platform_staff: Actor, cluster_x: Cluster):
    # when
    cluster_listing_rules_update(
        actor=platform_staff,
        cluster=cluster_x,
        rules=ListingRules(listings_need_approval=False),
    )
    # then
    assert rules_of(cluster_x) == (False, False)
    assert AuditEntry.objects.get(verb=VERB).actor == platform_staff.user


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "customer",
        "member_a_owner",
        "cluster_y_admin",
        "cluster_x_curator",
    ],
)
def test_anyone_but_its_admins_is_refused_and_nothing_changes(
    request: pytest.FixtureRequest, who: str, cluster_x: Cluster
):
    # given
    actor = request.getfixturevalue(who)
    # when
    with pytest.raises(NotPermitted):
        cluster_listing_rules_update(
            actor=actor,
            cluster=cluster_x,
            rules=ListingRules(listings_need_approval=False, cultural_review=True),
        )
    # then
    assert rules_of(cluster_x) == (True, False)
    assert not AuditEntry.objects.filter(verb=VERB).exists()


# --- The screen -----------------------------------------------------------------


@pytest.fixture
def admin_client(client: Client, cluster_x_admin_user: User) -> Client:
    client.force_login(cluster_x_admin_user)
    return client


def test_the_screen_explains_each_choice_in_plain_words(admin_client: Client):
    # when
    response = admin_client.get(SCREEN)
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert 'aria-current="page">Listing rules</a>' in body
    assert "A curator approves each product first" in body
    assert "Products are listed at once" in body
    assert "wait for the cluster&#x27;s kaitiaki" in body
    assert "No cultural review" in body
    # The current rules are chosen.
    assert _checked(body, "listings_need_approval", "yes")
    assert _checked(body, "cultural_review", "no")


def _checked(body: str, name: str, value: str) -> bool:
    tag = re.search(rf'<input[^>]*name="{name}" value="{value}"[^>]*>', body)
    return tag is not None and " checked" in tag.group(0)


def test_the_screen_saves_the_rules_and_the_activity_page_names_the_change(
    admin_client: Client, cluster_x: Cluster
):
    # when
    response = admin_client.post(
        SCREEN, {"listings_need_approval": "no", "cultural_review": "yes"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == SCREEN
    assert rules_of(cluster_x) == (False, True)
    page = admin_client.get(SCREEN).content.decode()
    assert "The listing rules are saved." in page
    assert _checked(page, "listings_need_approval", "no")
    assert _checked(page, "cultural_review", "yes")
    activity = admin_client.get("/manage/clusters/cluster-x/activity/")
    assert "Changed the listing rules" in activity.content.decode()


def test_the_screen_asks_again_when_a_choice_is_missing(
    admin_client: Client, cluster_x: Cluster
):
    # when
    response = admin_client.post(SCREEN, {"cultural_review": "yes"})
    # then
    assert response.status_code == 400
    assert "Choose whether curators approve products first." in (
        response.content.decode()
    )
    assert rules_of(cluster_x) == (True, False)
    assert not AuditEntry.objects.filter(verb=VERB).exists()


@pytest.mark.parametrize(
    "user", ["customer_user", "member_a_owner_user", "cluster_y_admin_user"]
)
def test_the_screen_is_not_found_for_others(
    client: Client, request: pytest.FixtureRequest, user: str, cluster_x: Cluster
):
    # given
    client.force_login(request.getfixturevalue(user))
    # when
    got = client.get(SCREEN)
    posted = client.post(SCREEN, {"listings_need_approval": "no"})
    # then
    assert got.status_code == 404
    assert posted.status_code == 404
    assert rules_of(cluster_x) == (True, False)


def test_the_brand_screen_and_the_listings_queue_point_to_the_rules(
    admin_client: Client,
):
    # when
    brand = admin_client.get("/manage/clusters/cluster-x/brand/").content.decode()
    queue = admin_client.get("/manage/clusters/cluster-x/listings/").content.decode()
    # then
    assert f'href="{SCREEN}"' in brand
    assert f'href="{SCREEN}"' in queue
    assert "New products wait here for a curator" in queue


# --- The API --------------------------------------------------------------------


def test_the_api_reads_and_changes_the_rules(admin_client: Client, cluster_x: Cluster):
    # when
    read = admin_client.get(API)
    changed = admin_client.patch(
        API, json.dumps({"cultural_review": True}), content_type="application/json"
    )
    # then
    assert read.status_code == 200
    assert read.json() == {
        "slug": "cluster-x",
        "listings_need_approval": True,
        "cultural_review": False,
    }
    assert changed.status_code == 200
    assert changed.json()["cultural_review"] is True
    assert changed.json()["listings_need_approval"] is True
    assert rules_of(cluster_x) == (True, True)
    assert AuditEntry.objects.get(verb=VERB).after == {"cultural_review": True}


@pytest.mark.parametrize(
    "payload",
    [{"cultural_review": "yes"}, {"cultural_review": 1}, {"surprise": True}],
)
def test_the_api_refuses_what_is_not_true_or_false(
    admin_client: Client, cluster_x: Cluster, payload: dict[str, object]
):
    # when
    response = admin_client.patch(
        API, json.dumps(payload), content_type="application/json"
    )
    # then
    assert response.status_code == 422
    assert response.json()["field"] in {"cultural_review", "surprise"}
    assert rules_of(cluster_x) == (True, False)


def test_the_api_hides_the_rules_from_another_clusters_admin(
    client: Client, cluster_y_admin_user: User, cluster_x: Cluster
):
    # given
    client.force_login(cluster_y_admin_user)
    # when
    read = client.get(API)
    changed = client.patch(
        API, json.dumps({"cultural_review": True}), content_type="application/json"
    )
    # then
    assert read.status_code == 404
    assert changed.status_code == 404
    assert rules_of(cluster_x) == (True, False)


# --- The Django admin -----------------------------------------------------------


def test_the_django_admin_changes_the_rules_through_the_service(
    client: Client, cluster_x: Cluster
):
    # given
    root = User.objects.create_superuser("root@purei.test", "x")
    client.force_login(root)
    url = f"/admin/clusters/cluster/{cluster_x.pk}/change/"
    form = client.get(url).content.decode()
    assert 'name="listings_need_approval"' in form
    assert 'name="cultural_review"' in form
    # when
    response = client.post(
        url,
        {
            "name_en": cluster_x.name_en,
            "name_mi": cluster_x.name_mi,
            "slug": cluster_x.slug,
            "status": cluster_x.status,
            "type": cluster_x.type,
            "regions": list(cluster_x.regions.values_list("pk", flat=True)),
            "specialisation": cluster_x.specialisation,
            "lead_org_kind": cluster_x.lead_org_kind,
            "lead_org_name": cluster_x.lead_org_name,
            "tagline": cluster_x.tagline,
            "story": cluster_x.story,
            "cultural_review": "on",  # listings_need_approval left unticked
        },
    )
    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    assert rules_of(cluster_x) == (False, True)
    entry = AuditEntry.objects.get(verb=VERB)
    assert entry.actor == root
    assert entry.before == {"listings_need_approval": True, "cultural_review": False}
    assert entry.after == {"listings_need_approval": False, "cultural_review": True}
