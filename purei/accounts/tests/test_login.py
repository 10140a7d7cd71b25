import pytest
from django.test import Client

from purei.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/login/"


def test_logging_in_rotates_the_session_key(client: Client):
    # given: an anonymous session already exists
    UserFactory.create(email="mere@example.nz")
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key
    assert client.cookies["sessionid"].value == before
    # when
    response = client.post(URL, {"username": "mere@example.nz", "password": PASSWORD})
    # then
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.session["_auth_user_id"]


def test_the_email_is_matched_whatever_its_case(client: Client):
    # given
    user = UserFactory.create(email="mere@example.nz")
    # when
    response = client.post(URL, {"username": " MERE@Example.NZ", "password": PASSWORD})
    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_says_so_in_a_summary(client: Client):
    # given
    UserFactory.create(email="mere@example.nz")
    # when
    response = client.post(URL, {"username": "mere@example.nz", "password": "wrong"})
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "Please enter a correct email address and password" in body
    assert "_auth_user_id" not in client.session


def test_logging_out_ends_the_session(client: Client, customer_user):
    # given
    client.force_login(customer_user)
    # when
    response = client.post("/accounts/logout/")
    # then
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_login_page_links_to_sign_up_and_password_reset(client: Client):
    # when
    body = client.get(URL).content.decode()
    # then
    assert 'href="/accounts/signup/"' in body
    assert 'href="/accounts/password-reset/"' in body


def test_the_header_offers_sign_up_or_the_account(client: Client, customer_user):
    # when
    anonymous = client.get("/").content.decode()
    client.force_login(customer_user)
    logged_in = client.get("/").content.decode()
    # then
    assert "Sign up" in anonymous
    assert 'href="/accounts/signup/"' in anonymous
    assert 'href="/accounts/"' not in anonymous
    assert "Your account" in logged_in
    assert 'href="/accounts/"' in logged_in
    assert 'href="/accounts/signup/"' not in logged_in
