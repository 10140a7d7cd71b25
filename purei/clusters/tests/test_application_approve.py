import re

import pytest
from django.core import mail

from purei.accounts.models import ClusterRole, Invitation
from purei.clusters.errors import ApplicationAlreadyDecided, ClusterErrorCode
from purei.clusters.models import Cluster, ClusterApplication
from purei.clusters.services import application_approve, application_decline
from purei.clusters.tests.factories import ClusterApplicationFactory, ClusterFactory
from purei.core.errors import NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def application() -> ClusterApplication:
    return ClusterApplicationFactory.create(
        proposed_name_en="Kaipara Kūmara",
        proposed_name_mi="Kūmara o Kaipara",
        cluster_type="traditional",
        specialisation="Kūmara",
        lead_org_kind="iwi_hapu",
        lead_org_name="Ngāti Whātua growers",
        about="Growers of kūmara on the Kaipara.",
        contact_email="rangi@kaipara.example.nz",
        regions=["NZ-NTL", "NZ-AUK"],
    )


def test_creates_a_live_cluster_from_the_application(platform_staff, application):
    # when
    cluster = application_approve(actor=platform_staff, application=application)
    # then
    cluster.refresh_from_db()
    assert cluster.status == Cluster.Status.LIVE
    assert cluster.slug == "kaipara-kumara"
    assert cluster.name_en == "Kaipara Kūmara"
    assert cluster.name_mi == "Kūmara o Kaipara"
    assert cluster.type == "traditional"
    assert cluster.specialisation == "Kūmara"
    assert cluster.lead_org_kind == "iwi_hapu"
    assert cluster.lead_org_name == "Ngāti Whātua growers"
    assert cluster.story == "Growers of kūmara on the Kaipara."
    assert sorted(r.code for r in cluster.regions.all()) == ["NZ-AUK", "NZ-NTL"]
    assert "kumara" in cluster.search_text


def test_records_the_decision_and_links_the_cluster(platform_staff, application):
    # when
    cluster = application_approve(actor=platform_staff, application=application)
    # then
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.APPROVED
    assert application.decided_by == platform_staff.user
    assert application.decided_at is not None
    assert application.cluster == cluster


def test_invites_the_applicant_as_admin_by_email(
    platform_staff, application, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        cluster = application_approve(actor=platform_staff, application=application)
    # then
    invitation = Invitation.objects.get(cluster=cluster)
    assert invitation.email == "rangi@kaipara.example.nz"
    assert invitation.role == ClusterRole.Role.ADMIN
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.invited_by == platform_staff.user
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rangi@kaipara.example.nz"]
    assert "Kaipara Kūmara" in message.subject
    assert "approved" in message.body
    assert re.search(
        r"http://127\.0\.0\.1:8000/accounts/invitations/[^/\s]+/", str(message.body)
    )


def test_makes_the_slug_unique_when_the_name_is_taken(platform_staff, application):
    # given
    ClusterFactory.create(slug="kaipara-kumara")
    ClusterFactory.create(slug="kaipara-kumara-2")
    # when
    cluster = application_approve(actor=platform_staff, application=application)
    # then
    assert cluster.slug == "kaipara-kumara-3"


def test_uses_a_chosen_slug(platform_staff, application):
    # when
    cluster = application_approve(
        actor=platform_staff, application=application, slug="kumara"
    )
    # then
    assert cluster.slug == "kumara"


@pytest.mark.parametrize("slug", ["taken", "Not A Slug", "x" * 65])
def test_refuses_a_chosen_slug_that_is_taken_or_malformed(
    platform_staff, application, slug
):
    # given
    ClusterFactory.create(slug="taken")
    # when
    with pytest.raises(ValidationFailed) as caught:
        application_approve(actor=platform_staff, application=application, slug=slug)
    # then
    assert caught.value.field == "slug"
    assert caught.value.code == ClusterErrorCode.SLUG_TAKEN
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.PENDING
    assert Cluster.objects.count() == 1
    assert Invitation.objects.exists() is False


@pytest.mark.parametrize("actor_name", ["anonymous", "customer"])
def test_refuses_anyone_but_platform_staff_and_changes_nothing(
    request, application, actor_name, django_capture_on_commit_callbacks
):
    # given
    actor = request.getfixturevalue(actor_name)
    # when
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(NotPermitted) as caught,
    ):
        application_approve(actor=actor, application=application)
    # then
    assert caught.value.code == ClusterErrorCode.NOT_PLATFORM_STAFF
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.PENDING
    assert application.decided_by is None
    assert application.cluster is None
    assert Cluster.objects.exists() is False
    assert Invitation.objects.exists() is False
    assert mail.outbox == []


def test_refuses_to_approve_twice(platform_staff, application):
    # given
    first = application_approve(actor=platform_staff, application=application)
    # when
    with pytest.raises(ApplicationAlreadyDecided) as caught:
        application_approve(actor=platform_staff, application=application)
    # then
    assert caught.value.code == ClusterErrorCode.APPLICATION_NOT_PENDING
    assert caught.value.status == 409
    assert list(Cluster.objects.all()) == [first]
    assert Invitation.objects.count() == 1


def test_refuses_to_approve_a_declined_application(platform_staff, application):
    # given
    application_decline(actor=platform_staff, application=application, reason="No.")
    # when
    with pytest.raises(ApplicationAlreadyDecided):
        application_approve(actor=platform_staff, application=application)
    # then
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.DECLINED
    assert Cluster.objects.exists() is False


def test_refuses_an_application_that_breaks_the_type_rules(platform_staff):
    # given: edited after submission (e.g. in the admin) so it breaks a rule
    application = ClusterApplicationFactory.create(cluster_type="local", regions=[])
    # when
    with pytest.raises(ValidationFailed) as caught:
        application_approve(actor=platform_staff, application=application)
    # then
    assert caught.value.field == "regions"
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.PENDING
    assert Cluster.objects.exists() is False


def test_a_name_without_letters_still_gets_a_slug(platform_staff):
    # given
    application = ClusterApplicationFactory.create(proposed_name_en="!!!")
    # when
    cluster = application_approve(actor=platform_staff, application=application)
    # then
    assert cluster.slug == "cluster"


def test_approval_is_recorded_in_the_new_clusters_activity_log(platform_staff):
    # given
    from purei.core.models import AuditEntry

    application = ClusterApplicationFactory.create(proposed_name_en="Logged Makers")
    # when
    cluster = application_approve(actor=platform_staff, application=application)
    # then
    entry = AuditEntry.objects.get(verb="cluster_application.approved")
    assert entry.cluster_id == cluster.pk
    assert entry.actor_email == "staff@purei.test"
    assert entry.before == {"status": "pending", "cluster": None}
    assert entry.after == {"status": "approved", "cluster": cluster.slug}
