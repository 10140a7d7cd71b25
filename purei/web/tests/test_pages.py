import pytest
from django.test import Client


@pytest.mark.django_db
def test_home_page_says_what_purei_is_and_leads_on(client: Client):
    # when
    response = client.get("/")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "digital cluster" in body
    assert 'href="/finder/"' in body
    assert 'href="/clusters/"' in body


@pytest.mark.django_db
def test_language_switch_leads_to_the_te_reo_address(client: Client):
    # when
    response = client.post("/i18n/setlang/", {"language": "mi", "next": "/"})
    # then
    assert response.status_code == 302
    assert response["Location"] == "/mi/"
    page = client.get("/mi/").content.decode()
    assert '<html lang="en">' in page  # only the attested strings are in te reo
    assert '<span lang="mi">Ngā pūrei</span>' in page


@pytest.mark.django_db
def test_favicon_redirects_to_a_local_asset(client: Client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].startswith("/static/")


@pytest.mark.django_db
def test_missing_page_is_a_branded_404_with_a_way_on(client: Client):
    # when
    response = client.get("/no-such-page/")
    # then
    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert 'href="/clusters/"' in body


@pytest.mark.django_db
def test_te_reo_navigation_and_finder_use_attested_terms(client: Client):
    # when
    home = client.get("/mi/").content.decode()
    finder = client.get("/mi/finder/").content.decode()
    # then
    assert "Ngā pūrei" in home  # "Clusters" in the navigation
    assert "Te reo ka pīrangitia" in home  # the language switch
    assert "Āe" in finder
    assert "Kāo" in finder
