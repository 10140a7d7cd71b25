import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client, RequestFactory

from purei.accounts.tests.factories import UserFactory
from purei.catalogue.models import Variant
from purei.catalogue.tests.factories import VariantFactory
from purei.core.actor import Actor
from purei.marketing.models import NotifyRequest
from purei.marketing.services import NotifyInput, notify_request_create
from purei.marketing.tasks import back_in_stock_notify
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

NOTIFY = "/c/cluster-x/notify/"
CONFIRM = re.compile(r"https://purei\.test(/\S+/notify/confirm/\S+/)")


@pytest.fixture
def sold_out(cluster_x, member_a) -> Variant:
    product = public_product(
        cluster_x, member=member_a, slug="olive-oil", title_en="Olive oil"
    )
    variant = product.variants.get()
    Variant.objects.filter(pk=variant.pk).update(stock=0, stock_policy="tracked")
    variant.refresh_from_db()
    return variant


def test_an_anonymous_request_is_confirmed_then_emailed_once_when_back(
    cluster_x, sold_out, django_capture_on_commit_callbacks
):
    client = Client()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            NOTIFY,
            {
                "variant": sold_out.pk,
                "email": "kiri@example.nz",
                "next": "/c/cluster-x/p/member-a/olive-oil/",
            },
        )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/c/cluster-x/p/member-a/olive-oil/"
    request = NotifyRequest.objects.get()
    assert (request.kind, request.target_id, request.status) == (
        "back_in_stock",
        sold_out.pk,
        "pending",
    )
    assert "Olive oil" in request.wording
    found = CONFIRM.search(str(mail.outbox[0].body))
    assert found is not None
    path = found.group(1)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    request.refresh_from_db()
    assert request.status == "waiting"
    # when: nothing is back yet
    assert back_in_stock_notify.call() == 0
    # when: stock returns (however it came back: a member, a cancelled order)
    Variant.objects.filter(pk=sold_out.pk).update(stock=4)
    mail.outbox.clear()
    sent = back_in_stock_notify.call()
    again = back_in_stock_notify.call()
    # then
    assert (sent, again) == (1, 0)
    assert mail.outbox[0].to == ["kiri@example.nz"]
    assert "Olive oil is back in stock" in mail.outbox[0].subject
    assert "https://purei.test/c/cluster-x/p/member-a/olive-oil/" in mail.outbox[0].body
    request.refresh_from_db()
    assert request.status == "sent"


def test_an_unconfirmed_request_gets_no_email(cluster_x, sold_out):
    notify_request_create(
        actor=Actor.anonymous(),
        cluster=cluster_x,
        variant=sold_out,
        details=NotifyInput(email="x@example.nz", source="t", wording="w"),
    )
    Variant.objects.filter(pk=sold_out.pk).update(stock=4)
    assert back_in_stock_notify.call() == 0


def test_a_logged_in_shopper_waits_at_once_for_their_own_address(cluster_x, sold_out):
    user = UserFactory.create(email="ana@example.nz")
    client = Client()
    client.force_login(user)
    client.post(NOTIFY, {"variant": sold_out.pk, "email": "ana@example.nz"})
    request = NotifyRequest.objects.get()
    assert (request.status, request.user) == ("waiting", user)
    assert mail.outbox == []


def test_asking_twice_keeps_one_request(cluster_x, sold_out):
    user = UserFactory.create(email="ana@example.nz")
    client = Client()
    client.force_login(user)
    for _ in range(2):
        client.post(NOTIFY, {"variant": sold_out.pk, "email": "ana@example.nz"})
    assert NotifyRequest.objects.count() == 1


def test_a_product_in_stock_or_not_public_is_refused(cluster_x, cluster_y, sold_out):
    in_stock = public_product(cluster_x, slug="jam").variants.get()
    Variant.objects.filter(pk=in_stock.pk).update(stock=5)
    Client().post(NOTIFY, {"variant": in_stock.pk, "email": "a@example.nz"})
    hidden = VariantFactory.create()
    response = Client().post(NOTIFY, {"variant": hidden.pk, "email": "a@example.nz"})
    other = Client().post(
        "/c/cluster-y/notify/", {"variant": sold_out.pk, "email": "a@example.nz"}
    )
    assert response.status_code == 404
    assert other.status_code == 404
    assert NotifyRequest.objects.exists() is False


def test_the_command_sends_what_is_due(cluster_x, sold_out, capsys):
    NotifyRequest.objects.create(
        cluster=cluster_x,
        kind="back_in_stock",
        target_id=sold_out.pk,
        email="a@example.nz",
        status="waiting",
        source="t",
    )
    Variant.objects.filter(pk=sold_out.pk).update(stock=1)
    call_command("notify_back_in_stock")
    assert "1 emails sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_tag_draws_the_form_only_for_a_sold_out_option(cluster_x, sold_out):
    template = Template(
        "{% load marketing_notify %}{% notify_me cluster product variants %}"
    )
    request = RequestFactory().get("/c/cluster-x/p/member-a/olive-oil/")
    request.user = AnonymousUser()
    rows = [{"variant": sold_out, "price": "$10.00", "stock": "Sold out"}]
    html = template.render(
        Context(
            {
                "cluster": cluster_x,
                "product": sold_out.product,
                "variants": rows,
                "request": request,
            }
        )
    )
    assert 'action="/c/cluster-x/notify/"' in html
    assert f'name="variant" value="{sold_out.pk}"' in html
    Variant.objects.filter(pk=sold_out.pk).update(stock=3)
    sold_out.refresh_from_db()
    assert (
        template.render(
            Context(
                {
                    "cluster": cluster_x,
                    "product": sold_out.product,
                    "variants": [sold_out],
                    "request": request,
                }
            )
        ).strip()
        == ""
    )
