import pytest
from django.test import Client

from purei.accounts.models import User
from purei.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("root@purei.test", "x"))
    return client


def test_user_admin_lists_searches_and_orders_by_email(admin_client_: Client):
    # given
    UserFactory.create(email="zoe@example.nz")
    UserFactory.create(email="ana@example.nz")
    # when
    listing = admin_client_.get("/admin/accounts/user/")
    search = admin_client_.get("/admin/accounts/user/?q=zoe")
    # then
    assert listing.status_code == 200
    body = listing.content.decode()
    assert body.index("ana@example.nz") < body.index("zoe@example.nz")
    assert "ana@example.nz" not in search.content.decode()


def test_user_admin_adds_a_person_by_email(admin_client_: Client):
    # when
    page = admin_client_.get("/admin/accounts/user/add/")
    response = admin_client_.post(
        "/admin/accounts/user/add/",
        {
            "email": "New.Person@Example.NZ",
            "full_name": "New Person",
            "usable_password": "true",
            "password1": "kūmara-harvest-2025",
            "password2": "kūmara-harvest-2025",
        },
    )
    # then
    assert page.status_code == 200
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.nz")
    assert user.check_password("kūmara-harvest-2025")


def test_user_admin_refuses_a_duplicate_email_in_another_case(admin_client_: Client):
    # given
    UserFactory.create(email="mere@example.nz")
    # when
    response = admin_client_.post(
        "/admin/accounts/user/add/",
        {
            "email": "MERE@example.nz",
            "usable_password": "true",
            "password1": "kūmara-harvest-2025",
            "password2": "kūmara-harvest-2025",
        },
    )
    # then
    assert response.status_code == 200
    assert User.objects.filter(email__iexact="mere@example.nz").count() == 1


def test_user_admin_change_page_works(admin_client_: Client):
    # given
    user = UserFactory.create()
    # when
    response = admin_client_.get(f"/admin/accounts/user/{user.pk}/change/")
    # then
    assert response.status_code == 200


def test_invitation_and_role_admin_pages_load(admin_client_: Client):
    # when
    invitations = admin_client_.get("/admin/accounts/invitation/")
    roles = admin_client_.get("/admin/accounts/clusterrole/")
    member_roles = admin_client_.get("/admin/accounts/memberrole/")
    # then
    assert invitations.status_code == 200
    assert roles.status_code == 200
    assert member_roles.status_code == 200
