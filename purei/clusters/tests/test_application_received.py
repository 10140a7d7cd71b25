"""An application at /apply/ is confirmed to its contact, saying what happens next,
in the language they applied in; an approved cluster's replies go to that contact."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from purei.clusters.models import ClusterApplication
from purei.clusters.services import application_approve
from purei.clusters.tests.factories import ClusterApplicationFactory
from purei.clusters.tests.test_applications_views import form_data
from purei.core.actor import Actor

pytestmark = pytest.mark.django_db


def _html(message: Any) -> str:
    [(html, _mimetype)] = message.alternatives
    return str(html)


def test_applying_sends_a_receipt_that_says_what_happens_next(
    client: Client, django_capture_on_commit_callbacks: Any
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/apply/", form_data())
    # then
    assert response.status_code == 302
    application = ClusterApplication.objects.get()
    assert application.language == "en"
    [message] = mail.outbox
    assert message.to == ["aroha@tokoroa.example.nz"]
    assert message.subject == "We've received your application for Tokoroa Makers"
    body = message.body
    assert "Kia ora Aroha Ngata," in body
    assert "Pūrei's team reviews your application" in body  # who
    assert "within a few working days" in body  # roughly when
    assert "We email the decision to aroha@tokoroa.example.nz" in body  # what
    assert "http://127.0.0.1:8000/clusters/" in body or "/clusters/" in body
    assert 'lang="en"' in _html(message)
    assert "Tokoroa Makers" in _html(message)


def test_an_application_in_te_reo_is_answered_in_te_reo(
    client: Client, django_capture_on_commit_callbacks: Any
):
    # when: the form on the te reo page
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mi/apply/", form_data())
    # then: the language is stored, and the receipt goes out in it
    application = ClusterApplication.objects.get()
    assert application.language == "mi"
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "mi"
    assert '<html lang="mi">' in _html(message)
    assert "/mi/clusters/" in message.body  # the link opens the te reo page


def test_the_decline_goes_out_in_the_applicants_language(
    platform_staff: Actor, django_capture_on_commit_callbacks: Any
):
    # given
    from purei.clusters.services import application_decline

    application = ClusterApplicationFactory.create(language="mi")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        application_decline(
            actor=platform_staff,
            application=application,
            reason="Tell us more about your members.",
        )
    # then
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "mi"


def test_an_approved_cluster_takes_the_applicants_address_as_its_contact(
    platform_staff: Actor,
):
    # given
    application = ClusterApplicationFactory.create(contact_email="hine@otaki.nz")
    # when
    cluster = application_approve(actor=platform_staff, application=application)
    # then: replies to its emails go there
    assert cluster.contact_email == "hine@otaki.nz"
