import re

import pytest
from django.core import mail
from django.test import Client

from purei.accounts.models import ClusterRole, User
from purei.clusters.models import Cluster, ClusterApplication
from purei.clusters.services import application_decline
from purei.clusters.tests.factories import (
    ClusterApplicationFactory,
    ClusterFactory,
    region,
)

pytestmark = pytest.mark.django_db


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "contact_name": "Aroha Ngata",
        "contact_email": "aroha@tokoroa.example.nz",
        "contact_phone": "",
        "lead_org_kind": "chamber",
        "lead_org_name": "Tokoroa Chamber of Commerce",
        "proposed_name_en": "Tokoroa Makers",
        "proposed_name_mi": "",
        "cluster_type": "local",
        "regions": [str(region("NZ-WKO").pk)],
        "specialisation": "",
        "expected_members": "24",
        "about": "",
        "finder_shared_place": "yes",
        "finder_shared_specialisation": "no",
    }
    data.update(overrides)
    return data


# --- applying ---------------------------------------------------------------------


def test_apply_page_shows_the_form_with_regions_in_table_order(client: Client):
    # when
    response = client.get("/apply/")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert 'type="radio" name="cluster_type"' in body
    assert body.index("Northland") < body.index("Auckland") < body.index("Southland")
    assert '<span lang="mi">Tāmaki-Makaurau</span>' in body
    assert "From the finder" not in body


def test_apply_page_prefills_from_the_finder(client: Client):
    # when
    response = client.get(
        "/apply/?type=local&shared_place=yes&shared_specialisation=no"
    )
    # then
    body = response.content.decode()
    assert re.search(r'value="local"[^>]*checked', body)
    assert 'name="finder_shared_place" value="yes"' in body
    assert 'name="finder_shared_specialisation" value="no"' in body
    assert "From the finder" in body
    assert "you share a place; you don&#x27;t share a specialisation" in body


def test_apply_page_ignores_bad_finder_values(client: Client):
    # when
    response = client.get("/apply/?type=galactic&shared_place=maybe&page=<x>")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "From the finder" not in body
    assert "checked" not in body


def test_submitting_records_the_application_and_shows_what_happens_next(
    client: Client,
):
    # when
    response = client.post("/apply/", form_data(), follow=True)
    # then
    application = ClusterApplication.objects.get()
    assert response.redirect_chain == [(f"/apply/{application.pk}/thanks/", 302)]
    assert application.finder_answers == {
        "shared_place": True,
        "shared_specialisation": False,
    }
    assert [r.code for r in application.regions.all()] == ["NZ-WKO"]
    body = response.content.decode()
    assert "What happens next" in body
    assert "aroha@tokoroa.example.nz" in body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {"cluster_type": "traditional", "regions": [], "specialisation": "Wood"},
            "regions",
        ),
        ({"cluster_type": "local", "regions": []}, "regions"),
        ({"cluster_type": "virtual", "regions": []}, "specialisation"),
        ({"cluster_type": "traditional"}, "specialisation"),
    ],
)
def test_type_rules_show_as_errors_on_the_right_field(client: Client, overrides, field):
    # when
    response = client.post("/apply/", form_data(**overrides))
    # then
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    body = response.content.decode()
    assert 'class="error-summary" role="alert"' in body
    assert f'href="#id_{field}' in body
    assert ClusterApplication.objects.exists() is False


def test_a_virtual_cluster_needs_no_region(client: Client):
    # when
    response = client.post(
        "/apply/",
        form_data(cluster_type="virtual", regions=[], specialisation="Honey"),
    )
    # then
    assert response.status_code == 302
    assert ClusterApplication.objects.get().cluster_type == "virtual"


def test_expected_members_must_be_between_1_and_10000(client: Client):
    # when
    response = client.post("/apply/", form_data(expected_members="0"))
    too_many = client.post("/apply/", form_data(expected_members="10001"))
    # then
    assert "expected_members" in response.context["form"].errors
    assert "expected_members" in too_many.context["form"].errors
    assert ClusterApplication.objects.exists() is False


def test_a_bad_finder_answer_on_post_is_ignored(client: Client):
    # when
    client.post("/apply/", form_data(finder_shared_place="perhaps"))
    # then
    application = ClusterApplication.objects.get()
    assert application.finder_answers == {"shared_specialisation": False}


def test_the_thanks_page_is_only_for_the_session_that_applied(client: Client):
    # given
    client.post("/apply/", form_data())
    application = ClusterApplication.objects.get()
    other = ClusterApplicationFactory.create()
    stranger = Client()
    # when
    mine = client.get(f"/apply/{application.pk}/thanks/")
    not_mine = client.get(f"/apply/{other.pk}/thanks/")
    strangers = stranger.get(f"/apply/{application.pk}/thanks/")
    # then
    assert mine.status_code == 200
    assert not_mine.status_code == 404
    assert strangers.status_code == 404


# --- the review queue -------------------------------------------------------------


def test_review_list_sends_anonymous_to_log_in(client: Client):
    # when
    response = client.get("/staff/applications/")
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_review_pages_are_forbidden_to_non_staff(client: Client, customer_user):
    # given
    application = ClusterApplicationFactory.create()
    client.force_login(customer_user)
    # when
    listing = client.get("/staff/applications/")
    detail = client.get(f"/staff/applications/{application.pk}/")
    approve = client.post(
        f"/staff/applications/{application.pk}/", {"action": "approve"}
    )
    decline = client.post(
        f"/staff/applications/{application.pk}/",
        {"action": "decline", "decline-reason": "No."},
    )
    # then
    assert listing.status_code == 403
    assert detail.status_code == 403
    assert approve.status_code == 403
    assert decline.status_code == 403
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.PENDING
    assert Cluster.objects.exists() is False


def test_review_list_shows_pending_first_then_decided(
    client: Client, staff_user, platform_staff
):
    # given
    declined = ClusterApplicationFactory.create(proposed_name_en="Declined one")
    application_decline(actor=platform_staff, application=declined, reason="No.")
    ClusterApplicationFactory.create(proposed_name_en="Older pending")
    ClusterApplicationFactory.create(proposed_name_en="Newer pending")
    client.force_login(staff_user)
    # when
    response = client.get("/staff/applications/")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        body.index("Older pending")
        < body.index("Newer pending")
        < body.index("Declined one")
    )
    assert "2 applications are waiting for review" in body


def test_review_list_filters_by_status(client: Client, staff_user, platform_staff):
    # given
    declined = ClusterApplicationFactory.create(proposed_name_en="Declined one")
    application_decline(actor=platform_staff, application=declined, reason="No.")
    ClusterApplicationFactory.create(proposed_name_en="Pending one")
    client.force_login(staff_user)
    # when
    response = client.get("/staff/applications/?status=declined")
    bad = client.get("/staff/applications/?status=lost")
    # then
    body = response.content.decode()
    assert "Declined one" in body
    assert "Pending one" not in body
    assert bad.status_code == 400
    assert "Unknown status" in bad.content.decode()


def test_review_list_costs_a_fixed_number_of_queries(
    client: Client, staff_user, django_assert_max_num_queries
):
    # given
    ClusterApplicationFactory.create_batch(30)
    client.force_login(staff_user)
    # when / then
    with django_assert_max_num_queries(8):
        response = client.get("/staff/applications/")
    assert response.status_code == 200


def test_review_detail_shows_everything_including_finder_answers(
    client: Client, staff_user
):
    # given
    application = ClusterApplicationFactory.create(
        proposed_name_en="Te Tauranga Toi",
        about="Māori artists of Tauranga Moana.",
        finder_answers={"shared_place": True, "shared_specialisation": True},
        regions=["NZ-BOP"],
    )
    client.force_login(staff_user)
    # when
    response = client.get(f"/staff/applications/{application.pk}/")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "Te Tauranga Toi" in body
    assert "Māori artists of Tauranga Moana." in body
    assert "Bay of Plenty" in body
    assert "you share a place; you share a specialisation" in body
    assert application.contact_email in body
    assert 'value="approve"' in body
    assert 'value="decline"' in body
    assert "te-tauranga-toi" in body


def test_approving_on_the_review_page_creates_the_cluster_and_links_it(
    client: Client, staff_user, django_capture_on_commit_callbacks
):
    # given
    application = ClusterApplicationFactory.create(proposed_name_en="Tokoroa Makers")
    client.force_login(staff_user)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/applications/{application.pk}/",
            {"action": "approve", "approve-slug": ""},
            follow=True,
        )
    # then
    cluster = Cluster.objects.get()
    assert cluster.slug == "tokoroa-makers"
    body = response.content.decode()
    assert 'href="/c/tokoroa-makers/"' in body
    assert "is live" in body
    assert len(mail.outbox) == 1


def test_approving_with_a_taken_slug_shows_the_error(client: Client, staff_user):
    # given
    ClusterFactory.create(slug="taken")
    application = ClusterApplicationFactory.create()
    client.force_login(staff_user)
    # when
    response = client.post(
        f"/staff/applications/{application.pk}/",
        {"action": "approve", "approve-slug": "taken"},
    )
    # then
    assert response.status_code == 200
    assert "already uses" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.PENDING


def test_approving_twice_on_the_page_shows_a_message(client: Client, staff_user):
    # given
    application = ClusterApplicationFactory.create()
    client.force_login(staff_user)
    client.post(f"/staff/applications/{application.pk}/", {"action": "approve"})
    # when
    response = client.post(
        f"/staff/applications/{application.pk}/", {"action": "approve"}, follow=True
    )
    # then
    assert "already approved" in response.content.decode()
    assert Cluster.objects.count() == 1


def test_declining_requires_a_reason_then_emails_it(
    client: Client, staff_user, django_capture_on_commit_callbacks
):
    # given
    application = ClusterApplicationFactory.create()
    client.force_login(staff_user)
    url = f"/staff/applications/{application.pk}/"
    # when
    empty = client.post(url, {"action": "decline", "decline-reason": " "})
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url, {"action": "decline", "decline-reason": "Too few members."}
        )
    # then
    assert empty.status_code == 200
    assert "Say why" in empty.content.decode()
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.DECLINED
    assert mail.outbox[0].to == [application.contact_email]
    assert "Too few members." in mail.outbox[0].body


# --- the whole flow ---------------------------------------------------------------


def test_from_application_to_logged_in_cluster_admin(
    client: Client, staff_user, django_capture_on_commit_callbacks
):
    # given: a founding group applies
    client.post("/apply/", form_data())
    application = ClusterApplication.objects.get()
    # and staff approve it
    staff = Client()
    staff.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/staff/applications/{application.pk}/", {"action": "approve"})
    body = str(mail.outbox[0].body)
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/invitations/\S+/)", body)
    assert link is not None
    # when: the applicant follows the emailed link and creates an account
    page = client.get(link.group(1))
    response = client.post(
        link.group(1),
        {
            "full_name": "Aroha Ngata",
            "password1": "tokoroa-makers-2025",
            "password2": "tokoroa-makers-2025",
        },
    )
    # then
    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == "/c/tokoroa-makers/"
    user = User.objects.get(email="aroha@tokoroa.example.nz")
    cluster = Cluster.objects.get(slug="tokoroa-makers")
    assert cluster.status == Cluster.Status.LIVE
    assert ClusterRole.objects.filter(
        user=user, cluster=cluster, role=ClusterRole.Role.ADMIN
    ).exists()
    assert client.session["_auth_user_id"] == str(user.pk)
