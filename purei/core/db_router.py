"""Reads of the public storefront on the read replica; everything else on the primary.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database alias (a
PostgreSQL streaming replica) and list :class:`PrimaryReplicaRouter`. The router is
explicit rather than clever: a read goes to the replica only when **all** of these
hold, and to the primary (``default``) otherwise:

- it runs inside :func:`replica_reads` (a context manager and decorator). Only the
  storefront's anonymous read paths use it, through :func:`replica_reads_view`:
  Pūrei's home, a cluster's home, its shop (and its categories, which are the
  shop's filters), a product page, a maker's page and search. Cart, checkout,
  accounts, the manage screens and the API never do;
- the request is a GET or HEAD by someone not logged in (a member who has just
  changed a product reads it back from the primary, never a lagging copy);
- nothing was written through the router in this scope yet (a write sets a flag:
  what follows reads its own writes);
- the primary has no transaction open (``transaction.atomic``): a read inside a
  transaction must see that transaction's rows;
- the model belongs to a storefront app (:data:`REPLICA_APPS`): sessions, users,
  orders and the tasks' tables stay on the primary even inside the scope;
- the replica answers. The first connect that fails (refused, or no answer within
  the alias's ``connect_timeout``) trips a :class:`~purei.core.outage.Breaker`:
  for ``DATABASE_REPLICA_RETRY_SECONDS`` every read of the process goes to the
  primary without trying, so a stopped replica costs one failed connect per
  process per interval, never a 500. A replica lost *during* a page (its
  connection broken under a query) trips the same breaker, and
  :func:`replica_reads_view` answers that page again from the primary: the view
  only read, so running it again is safe.

Writes always go to the primary; relations are allowed between the two aliases (they
hold the same data); migrations run on the primary only (the replica follows it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest

from .outage import Breaker

logger = logging.getLogger(__name__)

REPLICA = "replica"
# The apps whose rows the storefront shows: only their models are read from the
# replica (by app label).
REPLICA_APPS = frozenset({"catalogue", "search", "members", "clusters", "promotions"})


class _Scope:
    """One :func:`replica_reads` scope: whether it has written yet."""

    __slots__ = ("wrote",)

    def __init__(self) -> None:
        self.wrote = False


_scope: ContextVar[_Scope | None] = ContextVar("replica_reads", default=None)
_replica_down = Breaker(5.0)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[_Scope]:
    """Inside, the storefront's reads may be answered by the replica (see the
    module's docstring for when they are not)."""
    scope = _Scope()
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def replica_reads_view[R](
    view: Callable[..., R],
) -> Callable[..., R]:
    """A storefront view whose reads may come from the replica: for GET and HEAD
    requests by someone not logged in; any other request runs as it would. When
    the replica's connection breaks during the view (the replica stopped or
    failed under a query) and the view has written nothing, the view runs once
    more with every read on the primary, and the breaker keeps the process off
    the replica for ``DATABASE_REPLICA_RETRY_SECONDS``."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> R:
        user = getattr(request, "user", None)
        if request.method not in {"GET", "HEAD"} or (
            user is not None and user.is_authenticated
        ):
            return view(request, *args, **kwargs)
        try:
            with replica_reads() as scope:
                return view(request, *args, **kwargs)
        except DatabaseError as exc:
            if scope.wrote or not _replica_broke():
                raise
            _replica_lost(exc)
        return view(request, *args, **kwargs)  # every read on the primary

    return wrapped


def _replica_broke() -> bool:
    """Whether the replica's connection failed in this request (Django marks a
    connection whose query raised anything but a data or integrity error)."""
    if not replica_configured():
        return False
    replica = connections[REPLICA]
    return replica.connection is not None and replica.errors_occurred


def _replica_lost(exc: DatabaseError) -> None:
    """The replica failed under a query: its connection closed, the breaker
    tripped, the page read again from the primary."""
    with suppress(DatabaseError):
        connections[REPLICA].close()
    _trip(exc)


def _trip(exc: DatabaseError) -> None:
    _replica_down.seconds = float(
        getattr(settings, "DATABASE_REPLICA_RETRY_SECONDS", 5)
    )
    _replica_down.trip()
    logger.warning(
        "read replica unreachable, reading from the primary for %s s: %s",
        _replica_down.seconds,
        exc,
    )


def _replica_reachable() -> bool:
    """Whether the replica can take a read now: connected, or connects (once per
    breaker interval at most when it cannot)."""
    if _replica_down.is_open:
        return False
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except DatabaseError as exc:
        _trip(exc)
        return False
    return True


class PrimaryReplicaRouter:
    """Listed in ``DATABASE_ROUTERS`` only when the replica is configured."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        scope = _scope.get()
        if (
            scope is None
            or scope.wrote
            or model._meta.app_label not in REPLICA_APPS
            or not replica_configured()
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
            or not _replica_reachable()
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        if (scope := _scope.get()) is not None:
            scope.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        return db == DEFAULT_DB_ALIAS


def replica_breaker() -> Breaker:
    """The process's replica breaker (tests reset it)."""
    return _replica_down
