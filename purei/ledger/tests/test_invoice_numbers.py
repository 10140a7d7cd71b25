"""Invoice numbers: each supplier's prefix is its own across the platform, so no
two suppliers ever issue the same number (docs/money.md "Numbers").

Before, a number began with the first eight characters of the owner's slug:
Greytown Woodturning, Greytown Soap and a cluster "greytown-collective" each
issued ``GREYTOWN-INV-000001``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
from collections import Counter

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.ledger.models import Invoice, InvoicePrefix, InvoiceSequence
from purei.ledger.services.invoice_numbers import (
    PREFIX_MAX_LENGTH,
    invoice_prefix_candidates,
    invoice_prefix_for,
)
from purei.ledger.services.payouts import payout_run
from purei.members.models import Member

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    dispatch,
    money_cluster,
    money_member,
    paid_order,
)

pytestmark = pytest.mark.django_db


def _prefix(number: str) -> str:
    """``GREYTOWN-SOAP-INV-000001`` → ``GREYTOWN-SOAP``."""
    return number.rsplit("-", 2)[0]


def _owner(invoice: Invoice) -> str:
    return (
        f"member:{invoice.member_id}"
        if invoice.member_id
        else (f"cluster:{invoice.cluster_id}")
    )


def test_suppliers_whose_names_start_alike_issue_numbers_of_their_own() -> None:
    # given two makers in Greytown selling through an agent cluster whose name
    # starts the same, and a reseller cluster of Greytown too
    trust = money_cluster(rate="10", slug="greytown-trust")
    woodturning = money_member(trust, slug="greytown-woodturning")
    soap = money_member(trust, slug="greytown-soap")
    collective = money_cluster(rate="10", reseller=True, slug="greytown-collective")
    honey = money_member(collective, slug="greytown-honey")
    # when each sells, and the agent cluster pays its makers out (which issues
    # its commission invoices)
    order, _payment = paid_order(
        trust, [(woodturning, [(5000, 1)]), (soap, [(3000, 1)])]
    )
    dispatch(order)
    paid_order(collective, [(honey, [(2000, 1)])])
    payout_run(
        actor=Actor.system(),
        cluster=trust,
        until=timezone.now() + dt.timedelta(minutes=1),
    )
    # then no number was issued twice, and each owner numbers under its own prefix
    invoices = list(Invoice.objects.order_by("pk"))
    numbers = Counter(invoice.number for invoice in invoices)
    assert [n for n, count in numbers.items() if count > 1] == []
    owners_by_prefix: dict[str, set[str]] = {}
    for invoice in invoices:
        owners_by_prefix.setdefault(_prefix(invoice.number), set()).add(_owner(invoice))
    assert all(len(owners) == 1 for owners in owners_by_prefix.values())
    assert {_prefix(i.number) for i in invoices} == {
        "GREYTOWN-WOODTURNING",  # the member's own invoice
        "GREYTOWN-SOAP",
        "GREYTOWN-TRUST",  # the agent cluster's commission invoices
        "GREYTOWN-COLLECTIVE",  # the reseller cluster's invoice
    }
    assert len(invoices) == 5


def test_a_prefix_belongs_to_one_supplier_in_the_database() -> None:
    # given
    cluster = money_cluster(slug="kai-db")
    first = money_member(cluster, slug="kai-db-one")
    second = money_member(cluster, slug="kai-db-two")
    InvoicePrefix.objects.create(member=first, prefix="KAI")
    # when / then: another member, or the cluster, may not take it
    for owner in ({"member": second}, {"cluster": cluster}):
        with pytest.raises(IntegrityError), transaction.atomic():
            InvoicePrefix.objects.create(prefix="KAI", **owner)
    # and a supplier has one prefix
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoicePrefix.objects.create(member=first, prefix="KAI-2")


def test_the_prefix_comes_from_the_name_then_a_short_disambiguator() -> None:
    candidates = invoice_prefix_candidates("greytown-woodturning")
    assert next(candidates) == "GREYTOWN-WOODTURNING"
    assert next(candidates) == "GREYTOWN-WOODTURNING-2"
    assert next(candidates) == "GREYTOWN-WOODTURNING-3"
    # long names are cut at a word, never leaving a dangling hyphen
    assert next(invoice_prefix_candidates("south-canterbury-small-seeds")) == (
        "SOUTH-CANTERBURY"
    )
    assert next(invoice_prefix_candidates("te-hiku-oysters")) == "TE-HIKU-OYSTERS"
    assert next(invoice_prefix_candidates("a" * 64)) == "A" * 20
    for slug in ("x", "south-canterbury-small-seeds", "a" * 64, "a-" * 30 + "b"):
        first_hundred = list(itertools.islice(invoice_prefix_candidates(slug), 100))
        assert len(set(first_hundred)) == 100
        assert all(len(p) <= PREFIX_MAX_LENGTH for p in first_hundred)
        assert all(not p.endswith("-") and "--" not in p for p in first_hundred)


def test_the_second_supplier_with_the_same_name_gets_a_disambiguator() -> None:
    # given a member and a cluster with the same slug
    cluster = money_cluster(slug="greytown-market")
    member = money_member(cluster, slug="greytown-market")
    # when each is given a prefix: the member first
    first = invoice_prefix_for(member=member, cluster=cluster)
    second = invoice_prefix_for(member=None, cluster=cluster)
    # then
    assert (first, second) == ("GREYTOWN-MARKET", "GREYTOWN-MARKET-2")
    # and asking again gives the same
    assert invoice_prefix_for(member=member, cluster=cluster) == first


def test_a_suppliers_prefix_stays_when_its_web_address_changes() -> None:
    # given a member that issued an invoice
    cluster = money_cluster(slug="kai-rename")
    member = money_member(cluster, slug="old-name")
    paid_order(cluster, [(member, [(1000, 1)])])
    # when its web address changes and it sells again
    Member.objects.filter(pk=member.pk).update(slug="new-name")
    member.refresh_from_db()
    paid_order(cluster, [(member, [(1000, 1)])])
    # then its series goes on under the same prefix
    assert list(
        Invoice.objects.filter(member=member)
        .order_by("pk")
        .values_list("number", flat=True)
    ) == ["OLD-NAME-INV-000001", "OLD-NAME-INV-000002"]


def test_a_prefix_that_numbered_earlier_invoices_is_not_given_again() -> None:
    # given an invoice issued under "HONEY" by a supplier without a prefix row
    # (e.g. issued under an earlier web address)
    cluster = money_cluster(slug="kai-old")
    old = money_member(cluster, slug="old-honey")
    Invoice.objects.create(
        kind=Invoice.Kind.INVOICE,
        series="INV",
        sequence=1,
        number="HONEY-INV-000001",
        cluster=cluster,
        member=old,
        issued_at=timezone.now(),
        supplier_name="Old Honey",
        gst_registered=False,
        band=Invoice.Band.LOW,
        total_cents=1000,
        gst_cents=0,
    )
    honey = money_member(cluster, slug="honey")
    # when / then
    assert invoice_prefix_for(member=honey, cluster=cluster) == "HONEY-2"


# --- The data migration: existing series -------------------------------------------


def _issued(member: Member | None, cluster: Cluster, number: str) -> Invoice:
    series, sequence = number.rsplit("-", 2)[1:]
    return Invoice.objects.create(
        kind=Invoice.Kind.COMMISSION if series == "COM" else Invoice.Kind.INVOICE,
        series=series,
        sequence=int(sequence),
        number=number,
        cluster=cluster,
        member=member,
        issued_at=timezone.now(),
        supplier_name="Someone",
        gst_registered=False,
        band=Invoice.Band.LOW,
        total_cents=1000,
        gst_cents=0,
    )


def test_the_migration_keeps_issued_numbers_and_parts_colliding_series() -> None:
    # given series as they were before prefixes were kept: Greytown Woodturning
    # and then Greytown Soap both issued GREYTOWN-INV-000001; the cluster
    # greytown-trust has a commission series but issued nothing yet; Honey issued
    # under a prefix nobody else used; Potter has a series and nothing issued
    trust = money_cluster(slug="greytown-trust")
    woodturning = money_member(trust, slug="greytown-woodturning")
    soap = money_member(trust, slug="greytown-soap")
    honey = money_member(trust, slug="honey")
    potter = money_member(trust, slug="potter")
    for member in (woodturning, soap, honey, potter):
        InvoiceSequence.objects.create(member=member, series="INV", next_number=2)
    InvoiceSequence.objects.filter(member=potter).update(next_number=1)
    InvoiceSequence.objects.create(cluster=trust, series="COM", next_number=1)
    kept = [
        _issued(woodturning, trust, "GREYTOWN-INV-000001"),
        _issued(soap, trust, "GREYTOWN-INV-000001"),
        _issued(honey, trust, "HONEY-INV-000001"),
    ]
    InvoicePrefix.objects.all().delete()
    migration = importlib.import_module("purei.ledger.migrations.0003_invoice_prefix")
    # when
    migration.keep_or_assign_prefixes(apps, None)  # it uses no schema editor
    # then the issued documents are untouched
    assert [Invoice.objects.get(pk=invoice.pk).number for invoice in kept] == [
        "GREYTOWN-INV-000001",
        "GREYTOWN-INV-000001",
        "HONEY-INV-000001",
    ]
    prefixes = {
        (row.member_id, row.cluster_id): row.prefix
        for row in InvoicePrefix.objects.all()
    }
    assert prefixes == {
        # the first to issue under GREYTOWN keeps it
        (woodturning.pk, None): "GREYTOWN",
        # the second keeps what it issued, and numbers new documents under its
        # own prefix from now on
        (soap.pk, None): "GREYTOWN-SOAP",
        (honey.pk, None): "HONEY",
        # series that issued nothing get the name-derived prefix
        (potter.pk, None): "POTTER",
        (None, trust.pk): "GREYTOWN-TRUST",
    }
    # and each series goes on from its next number
    assert invoice_prefix_for(member=soap, cluster=trust) == "GREYTOWN-SOAP"
    assert InvoiceSequence.objects.get(member=soap).next_number == 2
