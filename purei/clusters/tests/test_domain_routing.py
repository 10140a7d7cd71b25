"""A cluster's own domain serves that cluster's pages."""

import pytest
from django.test import Client, override_settings

from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.members.models import Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db

DOMAIN = "shop.marlboroughwine.nz"
HOSTS = [DOMAIN, "other.example.nz", "testserver"]


def _is_pureis_home(body: str) -> bool:
    """Pūrei's own home (it lists the clusters), not a cluster's home."""
    return "Buy straight from New Zealand" in body and "cluster-home" not in body


@pytest.fixture
def wine() -> Cluster:
    return ClusterFactory.create(
        slug="marlborough-wine",
        name_en="Marlborough Wine",
        tagline="Sauvignon from the top of the south",
        domain=DOMAIN,
        colour_primary="#5b2333",
    )


@override_settings(ALLOWED_HOSTS=HOSTS)
def test_the_domains_home_is_the_clusters_home(client: Client, wine):
    # when
    response = client.get("/", HTTP_HOST=DOMAIN)
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sauvignon from the top of the south" in body
    assert "Marlborough Wine" in body
    # links stay on the domain
    assert 'href="/join/"' in body
    assert 'href="/c/marlborough-wine/brand.css?v=' in body


@override_settings(ALLOWED_HOSTS=HOSTS)
def test_a_port_in_the_host_is_ignored(client: Client, wine):
    response = client.get("/", HTTP_HOST=f"{DOMAIN}:8443")
    assert "Sauvignon from the top of the south" in response.content.decode()


@override_settings(ALLOWED_HOSTS=HOSTS)
def test_join_and_brand_css_on_the_domain(client: Client, wine):
    # when
    join = client.get("/join/", HTTP_HOST=DOMAIN)
    css = client.get("/brand.css", HTTP_HOST=DOMAIN)
    # then
    assert join.status_code == 200
    assert "Join Marlborough Wine" in join.content.decode()
    assert css.status_code == 200
    assert "--color-brand: #5b2333;" in css.content.decode()


@override_settings(ALLOWED_HOSTS=HOSTS)
@pytest.mark.parametrize("path", ["members/", "members/member-a/", "members/nobody/"])
def test_member_pages_on_the_domain_are_the_clusters_member_pages(
    client: Client, wine, path
):
    # given: member A in this cluster
    MembershipFactory.create(
        member=MemberFactory.create(slug="member-a", trading_name="Member A Wines"),
        cluster=wine,
        status=Membership.Status.APPROVED,
    )
    # when
    on_domain = client.get(f"/{path}", HTTP_HOST=DOMAIN)
    on_platform = client.get(f"/c/marlborough-wine/{path}")
    # then: the same view answers both
    assert on_domain.status_code == on_platform.status_code
    if on_platform.status_code == 200:
        assert "Member A Wines" in on_domain.content.decode() or path.endswith(
            "nobody/"
        )


@override_settings(ALLOWED_HOSTS=HOSTS)
def test_platform_pages_still_work_on_the_domain(client: Client, wine):
    # when
    response = client.get("/clusters/", HTTP_HOST=DOMAIN)
    # then
    assert response.status_code == 200
    assert "Marlborough Wine" in response.content.decode()


@override_settings(ALLOWED_HOSTS=HOSTS)
def test_the_platform_host_is_unchanged(client: Client, wine):
    # when
    response = client.get("/")
    # then: Pūrei's home (which lists the cluster), not the cluster's own
    assert response.status_code == 200
    assert _is_pureis_home(response.content.decode())


@override_settings(ALLOWED_HOSTS=HOSTS)
@pytest.mark.parametrize("status", [Cluster.Status.DRAFT, Cluster.Status.PAUSED])
def test_a_cluster_that_is_not_live_is_not_served_on_its_domain(
    client: Client, wine, status
):
    # given
    Cluster.objects.filter(pk=wine.pk).update(status=status)
    # when
    response = client.get("/", HTTP_HOST=DOMAIN)
    # then
    assert "Sauvignon from the top of the south" not in response.content.decode()


@override_settings(ALLOWED_HOSTS=HOSTS)
def test_an_allowed_host_of_no_cluster_is_the_platform(client: Client, wine):
    response = client.get("/", HTTP_HOST="other.example.nz")
    assert response.status_code == 200
    assert _is_pureis_home(response.content.decode())


@override_settings(ALLOWED_HOSTS=HOSTS)
def test_a_host_outside_allowed_hosts_is_a_400(client: Client, wine):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400


@override_settings(ALLOWED_HOSTS=["*"], SITE_URL="https://purei.example.nz")
def test_with_any_host_allowed_unknown_hosts_are_still_refused(client: Client, wine):
    # when
    unknown = client.get("/", HTTP_HOST="evil.example.com")
    platform = client.get("/", HTTP_HOST="purei.example.nz")
    cluster = client.get("/", HTTP_HOST=DOMAIN)
    # then
    assert unknown.status_code == 400
    assert platform.status_code == 200
    assert cluster.status_code == 200
    assert "Sauvignon" in cluster.content.decode()


@override_settings(ALLOWED_HOSTS=HOSTS)
def test_the_request_knows_its_cluster(client: Client, wine):
    # when
    response = client.get("/", HTTP_HOST=DOMAIN)
    # then
    assert getattr(response.wsgi_request, "cluster_from_domain", None) == wine
    platform = client.get("/").wsgi_request
    assert getattr(platform, "cluster_from_domain", "unset") is None


@override_settings(ALLOWED_HOSTS=HOSTS)
def test_the_platform_host_costs_no_domain_query(
    client: Client, wine, settings, django_assert_num_queries
):
    # given Pūrei's home, cached (it shows the clusters and their products)
    settings.SEARCH_CACHE_SECONDS = 300
    client.get("/")
    # when / then: the catalogue's version is all it reads on Pūrei's own host
    with django_assert_num_queries(1) as queries:
        client.get("/")
    assert "search_catalogueversion" in queries.captured_queries[0]["sql"]


@override_settings(ALLOWED_HOSTS=HOSTS)
@pytest.mark.parametrize("path", ["/join", "/members"])
def test_a_missing_slash_is_added_on_the_domain(client: Client, wine, path):
    response = client.get(path, HTTP_HOST=DOMAIN)
    assert response.status_code == 301
    assert response["Location"] == f"{path}/"
