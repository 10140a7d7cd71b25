"""``purei.core.rows``: plain-SQL reads of a few columns by primary key, as the
ORM would give them (the kept pages' version and stock), and ``one_of``, many ids
as one parameter. On Django's own ``Group`` (core knows no domain model)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from purei.core.rows import one_of, rows_by_pk

pytestmark = pytest.mark.django_db

FIELDS = ["id", "name"]


def _groups(*names: str) -> list[Group]:
    return [Group.objects.create(name=name) for name in names]


def test_the_rows_asked_for_in_key_order_as_the_orm_reads_them() -> None:
    # given
    groups = _groups("kai", "rongoā", "toi")
    asked = [groups[2].pk, groups[0].pk]
    # when
    found = rows_by_pk(Group, FIELDS, asked)
    # then
    expected = list(
        Group.objects.filter(pk__in=asked).order_by("pk").values_list(*FIELDS)
    )
    assert found == expected
    assert [row[1] for row in found] == ["kai", "toi"]


def test_no_keys_no_query() -> None:
    with CaptureQueriesContext(connection) as captured:
        found = rows_by_pk(Group, FIELDS, [])
    assert found == []
    assert captured.captured_queries == []


def test_a_relation_is_not_a_column() -> None:
    with pytest.raises(TypeError):
        rows_by_pk(Group, ["user"], [1])


def test_one_of_takes_tens_of_thousands_of_ids_as_one_parameter() -> None:
    # given: two groups asked for among 40,000 ids (beyond SQLite's cap of
    # parameters per statement)
    wanted = [group.pk for group in _groups("a", "b", "c")][::2]
    ids = [*wanted, *range(10**6, 10**6 + 40_000)]
    # when
    with CaptureQueriesContext(connection) as captured:
        found = list(
            Group.objects.filter(one_of(Group, "id", ids)).values_list("pk", flat=True)
        )
    # then
    assert sorted(found) == sorted(wanted)
    assert len(captured.captured_queries) == 1


def test_one_of_no_ids_finds_nothing() -> None:
    _groups("a")
    assert not Group.objects.filter(one_of(Group, "id", [])).exists()
