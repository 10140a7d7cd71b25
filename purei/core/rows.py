"""Rows read in plain SQL, for the few reads every kept page makes, and a
condition that sends many ids as one parameter.

A kept page (``purei.catalogue.page_cache``) asks the database for the catalogue
version on every answer and, every few seconds, for the stock it shows. Built by
the ORM, such a query cost more than running it (the filter's query building was
a third of a kept product page's time, profiled for issue 18:
docs/performance.md), so they are written here once, from the model's own names,
with every value a parameter.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, router
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL


def rows_by_pk(
    model: type[models.Model], fields: Sequence[str], pks: Sequence[Any]
) -> list[tuple[Any, ...]]:
    """``fields`` of ``model``'s rows whose primary key is in ``pks``, in
    primary-key order, from the database the router reads ``model`` from (the
    replica inside ``replica_reads``). Values come as the database driver gives
    them: use it for plain columns (numbers, text), not ones the ORM converts."""
    if not pks:
        return []
    alias = router.db_for_read(model) or DEFAULT_DB_ALIAS
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(_column(model, name)) for name in fields)
    key = quote(str(meta.pk.column))
    marks = ", ".join(["%s"] * len(pks))
    # Names from the model, quoted; every value is a parameter.
    sql = (
        f"SELECT {columns} FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {key} IN ({marks}) ORDER BY {key}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(pks))
        return [tuple(row) for row in cursor.fetchall()]


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a relation, not a column")
    return str(field.column)


def one_of(model: type[models.Model], field: str, ids: Sequence[int]) -> RawSQL:
    """A condition for ``.filter()`` on ``model``: its ``field`` is one of ``ids``,
    sent as ONE parameter however many there are — an array on PostgreSQL, a JSON
    list on SQLite. A parameter per id costs more to send than the query costs to
    run once there are thousands (a common word's matches), and SQLite caps their
    number."""
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(_column(model, field))}"
    values = [int(value) for value in ids]
    # The column's name from the model, quoted; the ids are one parameter.
    if connection.vendor == "postgresql":
        return RawSQL(  # noqa: S611
            f"{column} = ANY(%s)", (values,), output_field=BooleanField()
        )
    return RawSQL(  # noqa: S611
        f"{column} IN (SELECT value FROM json_each(%s))",  # noqa: S608
        (json.dumps(values),),
        output_field=BooleanField(),
    )
