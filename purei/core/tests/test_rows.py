"""``rows_by_pk`` (purei/core/rows.py): plain-SQL reads of a few columns by
primary key, as the ORM would give them (the kept pages' version and stock)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from purei.catalogue.models import Variant
from purei.core.rows import one_of, rows_by_pk
from purei.search.tests.factories import VariantFactory, public_product

pytestmark = pytest.mark.django_db

FIELDS = ["id", "stock_policy", "stock", "lead_time_days"]


def test_the_rows_asked_for_in_key_order_as_the_orm_reads_them() -> None:
    # given
    product = public_product()
    variants = [VariantFactory.create(product=product, stock=n) for n in (5, 0, 9)]
    asked = [variants[2].pk, variants[0].pk]
    # when
    found = rows_by_pk(Variant, FIELDS, asked)
    # then
    expected = list(
        Variant.objects.filter(pk__in=asked).order_by("pk").values_list(*FIELDS)
    )
    assert found == expected
    assert [row[0] for row in found] == sorted(asked)
    assert [row[2] for row in found] == [5, 9]


def test_no_keys_no_query() -> None:
    with CaptureQueriesContext(connection) as captured:
        found = rows_by_pk(Variant, FIELDS, [])
    assert found == []
    assert captured.captured_queries == []


def test_one_of_takes_tens_of_thousands_of_ids_as_one_parameter() -> None:
    # given: two variants asked for among 40,000 ids (beyond SQLite's cap of
    # parameters per statement)
    product = public_product()
    wanted = [VariantFactory.create(product=product).pk for _ in range(3)][::2]
    ids = [*wanted, *range(10**6, 10**6 + 40_000)]
    # when
    with CaptureQueriesContext(connection) as captured:
        found = list(
            Variant.objects.filter(one_of(Variant, "id", ids)).values_list(
                "pk", flat=True
            )
        )
    # then
    assert sorted(found) == sorted(wanted)
    assert len(captured.captured_queries) == 1


def test_one_of_no_ids_finds_nothing() -> None:
    public_product()
    assert not Variant.objects.filter(one_of(Variant, "id", [])).exists()
