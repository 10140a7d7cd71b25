import pytest
from django.test import Client

from purei.accounts.models import User
from purei.clusters.models import Cluster, ClusterApplication
from purei.clusters.tests.factories import (
    ClusterApplicationFactory,
    ClusterFactory,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("root@purei.test", "x"))
    return client


def cluster_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name_en": "Honey Aotearoa",
        "name_mi": "",
        "slug": "honey-aotearoa",
        "status": "live",
        "type": "virtual",
        "regions": [],
        "specialisation": "Honey",
        "lead_org_kind": "industry_body",
        "lead_org_name": "Apiculture NZ",
        "tagline": "",
        "story": "",
    }
    data.update(overrides)
    return data


def test_admin_lists_pages_load(admin_client_: Client):
    # given
    ClusterFactory.create()
    ClusterApplicationFactory.create()
    # when / then
    for url in [
        "/admin/clusters/cluster/",
        "/admin/clusters/cluster/add/",
        "/admin/clusters/region/",
        "/admin/clusters/clusterapplication/",
    ]:
        assert admin_client_.get(url).status_code == 200, url


def test_admin_creates_a_cluster_with_its_search_text(admin_client_: Client):
    # when
    response = admin_client_.post("/admin/clusters/cluster/add/", cluster_form())
    # then
    assert response.status_code == 302
    assert Cluster.objects.get().search_text != ""


def test_admin_applies_the_type_rules(admin_client_: Client):
    # when
    response = admin_client_.post(
        "/admin/clusters/cluster/add/",
        cluster_form(type="traditional", specialisation=""),
    )
    # then
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"regions", "specialisation"}
    assert Cluster.objects.exists() is False


def test_admin_accepts_a_local_cluster_with_a_region(admin_client_: Client):
    # when
    response = admin_client_.post(
        "/admin/clusters/cluster/add/",
        cluster_form(type="local", specialisation="", regions=[region("NZ-WGN").pk]),
    )
    # then
    assert response.status_code == 302


def test_admin_action_approves_applications(admin_client_: Client):
    # given
    application = ClusterApplicationFactory.create(proposed_name_en="Tokoroa")
    # when
    response = admin_client_.post(
        "/admin/clusters/clusterapplication/",
        {"action": "approve_selected", "_selected_action": [application.pk]},
        follow=True,
    )
    # then
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.APPROVED
    assert Cluster.objects.get().slug == "tokoroa"
