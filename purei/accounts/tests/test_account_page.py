import pytest
from django.test import Client

from purei.accounts.models import ClusterRole
from purei.accounts.tests.factories import PASSWORD, ClusterRoleFactory, UserFactory
from purei.clusters.tests.factories import ClusterFactory
from purei.members.tests.factories import MemberFactory, MemberRoleFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "pāua-shell-bright-77"


# --- the account page ---------------------------------------------------------------


def test_the_account_page_needs_a_login(client: Client):
    # when
    response = client.get("/accounts/")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/"


def test_it_shows_the_details_and_the_links_to_change_them(client: Client):
    # given
    user = UserFactory.create(email="mere@example.nz", full_name="Mere Tū")
    client.force_login(user)
    # when
    response = client.get("/accounts/")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Your account</h1>" in body
    assert "Mere Tū" in body
    assert "mere@example.nz" in body
    assert 'href="/accounts/email/"' in body
    assert 'href="/accounts/password/"' in body
    assert "You don't run a cluster or a business" in body


def test_it_lists_the_persons_own_roles_only(client: Client):
    # given
    user = UserFactory.create()
    wine = ClusterFactory.create(name_en="Marlborough Wine", slug="marlborough-wine")
    toi = ClusterFactory.create(name_en="Te Tauranga Toi", slug="te-tauranga-toi")
    ClusterRoleFactory.create(user=user, cluster=wine, role=ClusterRole.Role.ADMIN)
    ClusterRoleFactory.create(user=user, cluster=toi, role=ClusterRole.Role.CURATOR)
    MemberRoleFactory.create(
        user=user, member=MemberFactory.create(trading_name="Wairau Cellars")
    )
    MemberRoleFactory.create(
        user=user,
        member=MemberFactory.create(trading_name="Kōwhai Carvings"),
        role="staff",
    )
    someone_else = UserFactory.create()
    ClusterRoleFactory.create(
        user=someone_else, cluster=ClusterFactory.create(name_en="Hidden Honey")
    )
    client.force_login(user)
    # when
    body = client.get("/accounts/").content.decode()
    # then
    assert 'href="/c/marlborough-wine/"' in body
    assert "Marlborough Wine</a> — Cluster admin" in body
    assert "Te Tauranga Toi</a> — Curator" in body
    assert "Wairau Cellars — Owner" in body
    assert "Kōwhai Carvings — Staff" in body
    assert "Hidden Honey" not in body


# --- changing the password ----------------------------------------------------------


def test_the_password_page_needs_a_login(client: Client):
    # when
    response = client.get("/accounts/password/")
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_changing_the_password_keeps_the_person_logged_in(client: Client):
    # given
    user = UserFactory.create()
    client.force_login(user)
    session_before = client.cookies["sessionid"].value
    # when
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.cookies["sessionid"].value != session_before
    page = client.get("/accounts/")
    assert page.status_code == 200
    assert "Your password has been changed." in page.content.decode()


def test_other_sessions_end_when_the_password_changes(client: Client):
    # given
    user = UserFactory.create()
    elsewhere = Client()
    elsewhere.force_login(user)
    client.force_login(user)
    # when
    client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    # then
    assert elsewhere.get("/accounts/").status_code == 302


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"old_password": "wrong", "new_password1": NEW_PASSWORD},
            "old_password",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "password"},
            "new_password2",
        ),
    ],
)
def test_a_bad_password_change_gets_a_field_error(client: Client, data, field):
    # given
    user = UserFactory.create()
    client.force_login(user)
    data = {**data, "new_password2": data["new_password1"]}
    # when
    response = client.post("/accounts/password/", data)
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert f'id="id_{field}_error"' in body
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
