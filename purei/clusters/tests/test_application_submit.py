import pytest

from purei.clusters.errors import ClusterErrorCode
from purei.clusters.models import ClusterApplication
from purei.clusters.services import application_submit
from purei.clusters.tests.factories import application_input, region
from purei.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_records_a_pending_application_with_regions_and_finder_answers(anonymous):
    # when
    application = application_submit(actor=anonymous, details=application_input())
    # then
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.PENDING
    assert application.proposed_name_en == "Tokoroa Makers"
    assert [r.code for r in application.regions.all()] == ["NZ-WKO"]
    assert application.finder_answers == {
        "shared_place": True,
        "shared_specialisation": False,
    }
    assert application.applicant is None


def test_remembers_a_logged_in_applicant(customer):
    # when
    application = application_submit(actor=customer, details=application_input())
    # then
    assert application.applicant == customer.user


def test_accepts_region_rows_as_well_as_codes(anonymous):
    # when
    application = application_submit(
        actor=anonymous,
        details=application_input(regions=[region("NZ-OTA"), "nz-ntl"]),
    )
    # then: in the Region table's order (north to south)
    assert [r.code for r in application.regions.all().order_by("position")] == [
        "NZ-NTL",
        "NZ-OTA",
    ]


@pytest.mark.parametrize(
    ("cluster_type", "regions", "specialisation", "bad_fields"),
    [
        ("traditional", [], "Oysters", {"regions"}),
        ("traditional", ["NZ-NTL"], "", {"specialisation"}),
        ("traditional", [], "  ", {"regions", "specialisation"}),
        ("local", [], "", {"regions"}),
        ("local", [], "Markets", {"regions"}),
        ("virtual", [], "", {"specialisation"}),
        ("virtual", ["NZ-CAN"], "", {"specialisation"}),
    ],
)
def test_refuses_what_the_type_rules_forbid(
    anonymous, cluster_type, regions, specialisation, bad_fields
):
    # given
    data = application_input(
        cluster_type=cluster_type, regions=regions, specialisation=specialisation
    )
    # when
    with pytest.raises(ValidationFailed) as caught:
        application_submit(actor=anonymous, details=data)
    # then
    assert caught.value.code == ClusterErrorCode.INVALID_APPLICATION
    assert set(caught.value.errors) == bad_fields
    assert ClusterApplication.objects.exists() is False


@pytest.mark.parametrize(
    ("cluster_type", "regions", "specialisation"),
    [
        ("traditional", ["NZ-NTL"], "Oysters"),
        ("local", ["NZ-WGN"], ""),
        ("local", ["NZ-WGN"], "Fair stallholders"),
        ("virtual", [], "Craft beer"),
        ("virtual", ["NZ-AUK", "NZ-CAN"], "Steel fabrication"),
    ],
)
def test_accepts_what_the_type_rules_allow(
    anonymous, cluster_type, regions, specialisation
):
    # when
    application = application_submit(
        actor=anonymous,
        details=application_input(
            cluster_type=cluster_type, regions=regions, specialisation=specialisation
        ),
    )
    # then
    assert application.pk is not None
    assert application.cluster_type == cluster_type


def test_type_rule_message_says_what_to_do(anonymous):
    # when
    with pytest.raises(ValidationFailed) as caught:
        application_submit(
            actor=anonymous, details=application_input(cluster_type="traditional")
        )
    # then
    assert caught.value.field == "specialisation"
    assert "specialisation" in caught.value.message


def test_refuses_unknown_region_codes(anonymous):
    # when
    with pytest.raises(ValidationFailed) as caught:
        application_submit(
            actor=anonymous, details=application_input(regions=["NZ-WKO", "NZ-XXX"])
        )
    # then
    assert caught.value.field == "regions"
    assert "NZ-XXX" in caught.value.message
    assert ClusterApplication.objects.exists() is False


def test_names_every_missing_required_field_in_form_order(anonymous):
    # given
    data = application_input(
        contact_name=" ",
        contact_email="",
        lead_org_name="",
        proposed_name_en="",
        lead_org_kind="",
        cluster_type="",
    )
    # when
    with pytest.raises(ValidationFailed) as caught:
        application_submit(actor=anonymous, details=data)
    # then
    assert list(caught.value.errors) == [
        "contact_name",
        "contact_email",
        "lead_org_kind",
        "lead_org_name",
        "proposed_name_en",
        "cluster_type",
    ]
    assert caught.value.field == "contact_name"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_email", "not-an-email"),
        ("lead_org_kind", "guild"),
        ("cluster_type", "regional"),
        ("proposed_name_en", "x" * 121),
        ("expected_members", 0),
        ("expected_members", 10_001),
        ("expected_members", "twelve"),
        ("expected_members", 2.5),
        ("expected_members", True),
        ("finder_answers", {"shared_place": "yes"}),
        ("finder_answers", {"favourite_colour": True}),
    ],
)
def test_refuses_bad_values_naming_the_field(anonymous, field, value):
    # when
    with pytest.raises(ValidationFailed) as caught:
        application_submit(actor=anonymous, details=application_input(**{field: value}))
    # then
    assert caught.value.field == field
    assert ClusterApplication.objects.exists() is False


def test_stores_the_email_in_lower_case_and_trims_text(anonymous):
    # when
    application = application_submit(
        actor=anonymous,
        details=application_input(
            contact_email=" Aroha@Tokoroa.Example.NZ ", proposed_name_en=" Tokoroa "
        ),
    )
    # then
    assert application.contact_email == "aroha@tokoroa.example.nz"
    assert application.proposed_name_en == "Tokoroa"
