"""Who sells, the lead organisation's GST details, commission and the price split:
the service, the money screen, the manage API, and a member's own commission."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from purei.clusters.brand import BrandChanges, BrandErrorCode, cluster_brand_update
from purei.clusters.models import Cluster, SellingModel
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.commission import membership_commission_update
from purei.members.models import Member, Membership

pytestmark = pytest.mark.django_db

VALID_IRD = "136-410-132"  # check digit 2 by IRD's weights
BAD_CHECK_DIGIT = "136-410-133"


def money_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "selling_model": "agent",
        "lead_org_gst_registered": "",
        "lead_org_gst_number": "",
        "lead_org_address": "",
        "commission_rate": "0",
        "show_price_split": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


def membership_of(member: Member, cluster: Cluster) -> Membership:
    return Membership.objects.get(member=member, cluster=cluster)


def send_patch(client: Client, data: object):
    return client.patch(
        "/api/v1/clusters/cluster-x/brand",
        json.dumps(data),
        content_type="application/json",
    )


# --- The service ----------------------------------------------------------------------


def test_admin_makes_the_lead_organisation_the_seller_and_it_is_audited(
    cluster_x_admin, cluster_x
):
    # when
    cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(
            selling_model="reseller",
            lead_org_gst_registered=True,
            lead_org_gst_number=VALID_IRD,
            lead_org_address="  12 Main Street,\n Blenheim 7201 ",
            show_price_split=True,
        ),
    )
    # then
    cluster_x.refresh_from_db()
    assert cluster_x.selling_model == SellingModel.RESELLER
    assert cluster_x.lead_org_gst_registered is True
    assert cluster_x.lead_org_gst_number == "136410132"
    assert cluster_x.lead_org_address == "12 Main Street, Blenheim 7201"
    assert cluster_x.show_price_split is True
    entry = AuditEntry.objects.get(verb="cluster.money_updated")
    assert entry.cluster_id == cluster_x.pk
    assert entry.actor == cluster_x_admin.user
    assert entry.before == {
        "selling_model": "agent",
        "lead_org_gst_registered": False,
        "lead_org_gst_number": "",
        "lead_org_address": "",
        "show_price_split": False,
    }
    assert entry.after["selling_model"] == "reseller"
    assert entry.after["lead_org_gst_number"] == "136410132"
    assert not AuditEntry.objects.filter(verb="cluster.brand_updated").exists()


def test_saving_the_same_settings_again_is_not_audited(cluster_x_admin, cluster_x):
    # given
    changes = BrandChanges(selling_model="agent", show_price_split=False)
    # when
    cluster_brand_update(actor=cluster_x_admin, cluster=cluster_x, changes=changes)
    # then
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"selling_model": "wholesaler"}, "selling_model", "Choose who sells"),
        (
            {"lead_org_gst_registered": True, "lead_org_gst_number": ""},
            "lead_org_gst_number",
            "Give the lead organisation's GST number",
        ),
        (
            {"lead_org_gst_registered": True},
            "lead_org_gst_number",
            "Give the lead organisation's GST number",
        ),
        (
            {"lead_org_gst_registered": True, "lead_org_gst_number": BAD_CHECK_DIGIT},
            "lead_org_gst_number",
            "last digit does not match",
        ),
        (
            {"lead_org_gst_registered": True, "lead_org_gst_number": "12-345"},
            "lead_org_gst_number",
            "8 or 9 digits",
        ),
        ({"show_price_split": "yes"}, "show_price_split", "yes or no"),
        ({"lead_org_address": "x" * 301}, "lead_org_address", "300 characters"),
        ({"commission_rate": "100.5"}, "commission_rate", "from 0 to 100"),
    ],
)
def test_refuses_wrong_money_settings_and_changes_nothing(
    cluster_x_admin, cluster_x, data, field, words
):
    # when
    with pytest.raises(ValidationFailed) as caught:
        cluster_brand_update(
            actor=cluster_x_admin,
            cluster=cluster_x,
            changes=BrandChanges(**data, tagline="Changed"),
        )
    # then
    assert caught.value.code == BrandErrorCode.INVALID_BRAND
    assert field in caught.value.errors
    assert words in " ".join(caught.value.errors[field])
    cluster_x.refresh_from_db()
    assert cluster_x.tagline == "Made together"
    assert cluster_x.selling_model == SellingModel.AGENT
    assert cluster_x.lead_org_gst_registered is False
    assert not AuditEntry.objects.exists()


def test_an_unregistered_lead_organisation_keeps_no_gst_number(
    cluster_x_admin, cluster_x
):
    # given
    cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(
            lead_org_gst_registered=True, lead_org_gst_number=VALID_IRD
        ),
    )
    # when
    cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(
            lead_org_gst_registered=False, lead_org_gst_number=VALID_IRD
        ),
    )
    # then
    cluster_x.refresh_from_db()
    assert cluster_x.lead_org_gst_registered is False
    assert cluster_x.lead_org_gst_number == ""


def test_another_clusters_admin_cannot_change_the_money_settings(
    cluster_y_admin, cluster_x
):
    # when
    with pytest.raises(NotPermitted):
        cluster_brand_update(
            actor=cluster_y_admin,
            cluster=cluster_x,
            changes=BrandChanges(selling_model="reseller"),
        )
    # then
    cluster_x.refresh_from_db()
    assert cluster_x.selling_model == SellingModel.AGENT
    assert not AuditEntry.objects.exists()


# --- The money screen -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_name", "status"),
    [
        ("cluster_x_admin_user", 200),
        ("staff_user", 200),
        ("cluster_y_admin_user", 404),
        ("member_a_owner_user", 404),
        ("customer_user", 404),
    ],
)
def test_money_screen_is_for_the_clusters_admins(
    client: Client, request, member_a, cluster_x, user_name, status
):
    # given
    client.force_login(request.getfixturevalue(user_name))
    # when
    shown = client.get("/manage/clusters/cluster-x/money/")
    posted = client.post(
        "/manage/clusters/cluster-x/money/", money_post(selling_model="reseller")
    )
    # then
    assert shown.status_code == status
    assert posted.status_code == (302 if status == 200 else 404)
    cluster_x.refresh_from_db()
    assert (cluster_x.selling_model == "reseller") is (status == 200)


def test_money_screen_explains_both_ways_of_selling(
    client: Client, cluster_x_admin_user, cluster_x
):
    # given
    client.force_login(cluster_x_admin_user)
    # when
    body = client.get("/manage/clusters/cluster-x/money/").content.decode()
    # then
    assert 'type="radio" name="selling_model" value="agent"' in body
    assert 'value="reseller"' in body
    assert "Each member sells its own goods" in body
    assert "The lead organisation buys from the members and sells on" in body
    assert 'name="commission_rate"' in body
    assert 'href="/manage/clusters/cluster-x/money/"' in body  # the tab


def test_admin_saves_the_money_settings(
    client: Client, cluster_x_admin_user, cluster_x
):
    # given
    client.force_login(cluster_x_admin_user)
    # when
    response = client.post(
        "/manage/clusters/cluster-x/money/",
        money_post(
            selling_model="reseller",
            lead_org_gst_registered="on",
            lead_org_gst_number=VALID_IRD,
            lead_org_address="12 Main Street, Blenheim",
            commission_rate="7.5",
            show_price_split="on",
        ),
    )
    # then
    assert response.status_code == 302
    cluster_x.refresh_from_db()
    assert cluster_x.selling_model == "reseller"
    assert cluster_x.lead_org_gst_number == "136410132"
    assert cluster_x.commission_rate == Decimal("7.50")
    assert cluster_x.show_price_split is True
    body = client.get("/manage/clusters/cluster-x/money/").content.decode()
    assert 'value="136-410-132"' in body  # shown as people write it
    assert AuditEntry.objects.filter(verb="cluster.money_updated").count() == 1


def test_a_registered_lead_org_without_number_is_explained_on_its_field(
    client: Client, cluster_x_admin_user, cluster_x
):
    # given
    client.force_login(cluster_x_admin_user)
    # when
    response = client.post(
        "/manage/clusters/cluster-x/money/",
        money_post(selling_model="reseller", lead_org_gst_registered="on"),
    )
    # then
    assert response.status_code == 400
    body = response.content.decode()
    assert 'role="alert"' in body
    assert 'id="id_lead_org_gst_number_error"' in body
    cluster_x.refresh_from_db()
    assert cluster_x.selling_model == "agent"


# --- The manage API -------------------------------------------------------------------


def test_api_patch_changes_the_money_settings(
    client: Client, cluster_x_admin_user, cluster_x
):
    # given
    client.force_login(cluster_x_admin_user)
    # when
    response = send_patch(
        client,
        {
            "selling_model": "reseller",
            "lead_org_gst_registered": True,
            "lead_org_gst_number": VALID_IRD,
            "show_price_split": True,
        },
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["selling_model"] == "reseller"
    assert body["lead_org_gst_registered"] is True
    assert body["lead_org_gst_number"] == "136410132"
    assert body["show_price_split"] is True
    assert AuditEntry.objects.filter(verb="cluster.money_updated").exists()


def test_api_refuses_a_wrong_gst_number_naming_the_field(
    client: Client, cluster_x_admin_user, cluster_x
):
    # given
    client.force_login(cluster_x_admin_user)
    # when
    response = send_patch(
        client,
        {"lead_org_gst_registered": True, "lead_org_gst_number": BAD_CHECK_DIGIT},
    )
    # then
    assert response.status_code == 422
    assert response.json()["field"] == "lead_org_gst_number"
    cluster_x.refresh_from_db()
    assert cluster_x.lead_org_gst_registered is False


def test_api_refuses_another_clusters_admin(
    client: Client, cluster_y_admin_user, cluster_x
):
    # given
    client.force_login(cluster_y_admin_user)
    # when
    response = send_patch(client, {"selling_model": "reseller"})
    # then
    assert response.status_code == 404
    cluster_x.refresh_from_db()
    assert cluster_x.selling_model == "agent"


# --- A member's own commission --------------------------------------------------------


def test_admin_sets_and_clears_a_members_own_rate(cluster_x_admin, member_a, cluster_x):
    # given
    membership = membership_of(member_a, cluster_x)
    # when
    membership_commission_update(actor=cluster_x_admin, membership=membership, rate="5")
    membership_commission_update(actor=cluster_x_admin, membership=membership, rate="")
    # then
    membership.refresh_from_db()
    assert membership.commission_rate is None
    entries = list(
        AuditEntry.objects.filter(verb="membership.commission_changed").order_by("pk")
    )
    assert [(e.before, e.after) for e in entries] == [
        ({"commission_rate": None}, {"commission_rate": "5.00"}),
        ({"commission_rate": "5.00"}, {"commission_rate": None}),
    ]
    assert entries[0].member_id == member_a.pk
    assert entries[0].cluster_id == cluster_x.pk


@pytest.mark.parametrize("rate", ["-1", "100.01", "7.125", "seven", "NaN"])
def test_a_members_rate_is_0_to_100_with_two_decimals(
    cluster_x_admin, member_a, cluster_x, rate
):
    # given
    membership = membership_of(member_a, cluster_x)
    # when
    with pytest.raises(ValidationFailed) as caught:
        membership_commission_update(
            actor=cluster_x_admin, membership=membership, rate=rate
        )
    # then
    assert caught.value.field == "commission_rate"
    membership.refresh_from_db()
    assert membership.commission_rate is None
    assert not AuditEntry.objects.exists()


def test_another_clusters_admin_cannot_set_a_members_rate(
    cluster_y_admin, member_a, cluster_x
):
    # given
    membership = membership_of(member_a, cluster_x)
    # when
    with pytest.raises(NotPermitted):
        membership_commission_update(
            actor=cluster_y_admin, membership=membership, rate="1"
        )
    # then
    membership.refresh_from_db()
    assert membership.commission_rate is None
    assert not AuditEntry.objects.exists()


def test_admin_sets_a_members_rate_on_its_screen(
    client: Client, cluster_x_admin_user, member_a, cluster_x
):
    # given
    client.force_login(cluster_x_admin_user)
    membership = membership_of(member_a, cluster_x)
    url = f"/manage/clusters/cluster-x/members/{membership.pk}/"
    # when
    response = client.post(
        url, {"action": "commission", "commission-commission_rate": "6.25"}
    )
    # then
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.commission_rate == Decimal("6.25")
    body = client.get(url).content.decode()
    assert "now pays 6.25% commission" in body
    assert "This member pays its own rate: 6.25%" in body
    assert 'value="6.25"' in body


def test_a_wrong_member_rate_is_explained_on_the_screen(
    client: Client, cluster_x_admin_user, member_a, cluster_x
):
    # given
    client.force_login(cluster_x_admin_user)
    membership = membership_of(member_a, cluster_x)
    # when
    response = client.post(
        f"/manage/clusters/cluster-x/members/{membership.pk}/",
        {"action": "commission", "commission-commission_rate": "101"},
    )
    # then
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_commission-commission_rate_error"' in body
    assert "from 0 to 100" in body
    membership.refresh_from_db()
    assert membership.commission_rate is None


@pytest.mark.parametrize("path", ["cluster-y/members/{pk}/", "cluster-x/members/{pk}/"])
def test_another_clusters_admin_gets_404_for_the_member_screen(
    client: Client, cluster_y_admin_user, cluster_y, member_a, cluster_x, path
):
    # given
    client.force_login(cluster_y_admin_user)
    membership = membership_of(member_a, cluster_x)
    # when
    response = client.post(
        "/manage/clusters/" + path.format(pk=membership.pk),
        {"action": "commission", "commission-commission_rate": "1"},
    )
    # then
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.commission_rate is None
    assert not AuditEntry.objects.exists()
