import pytest
from django.test import Client

from purei.accounts.models import ClusterRole, MemberRole
from purei.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/login/"


def _log_in(client: Client, email: str, **extra: str):
    return client.post(URL, {"username": email, "password": PASSWORD, **extra})


def test_a_shopper_returns_where_they_were(client: Client):
    # given
    UserFactory.create(email="shopper@example.nz")
    # when
    response = _log_in(client, "shopper@example.nz", back="/shop/?q=honey")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/shop/?q=honey"


def test_a_shopper_without_a_place_goes_home(client: Client):
    UserFactory.create(email="shopper@example.nz")
    response = _log_in(client, "shopper@example.nz")
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_a_place_on_another_site_is_ignored(client: Client, unsafe: str):
    UserFactory.create(email="shopper@example.nz")
    response = _log_in(client, "shopper@example.nz", back=unsafe, next=unsafe)
    assert response["Location"] == "/"


def test_a_cluster_curator_lands_on_manage(client: Client, cluster_x):
    # given
    user = UserFactory.create(email="curator@example.nz")
    ClusterRole.objects.create(
        user=user, cluster=cluster_x, role=ClusterRole.Role.CURATOR
    )
    # when: they logged in from a shop page
    response = _log_in(client, "curator@example.nz", back="/shop/")
    # then
    assert response["Location"] == "/manage/"


def test_a_member_owner_lands_on_manage(client: Client, member_a):
    user = UserFactory.create(email="owner@example.nz")
    MemberRole.objects.create(user=user, member=member_a, role=MemberRole.Role.OWNER)
    response = _log_in(client, "owner@example.nz")
    assert response["Location"] == "/manage/"


def test_a_page_that_asked_for_login_still_wins_for_a_manager(client: Client, member_a):
    # given: a page behind the login sent them here with ?next=
    user = UserFactory.create(email="owner@example.nz")
    MemberRole.objects.create(user=user, member=member_a, role=MemberRole.Role.OWNER)
    # when
    response = _log_in(client, "owner@example.nz", next="/accounts/")
    # then
    assert response["Location"] == "/accounts/"


def test_the_header_link_carries_the_page_and_the_form_keeps_it(client: Client):
    # when
    home = client.get("/clusters/").content.decode()
    # then
    assert 'href="/accounts/login/?back=/clusters/"' in home
    form = client.get(URL, {"back": "/clusters/"}).content.decode()
    assert 'name="back" value="/clusters/"' in form
