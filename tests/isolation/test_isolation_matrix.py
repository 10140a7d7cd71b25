"""Tenant isolation, proven: every endpoint against every kind of actor.

Allowed actors get through (2xx/3xx); everyone else is refused with 401, 403 or 404
(or, for a page, sent to log in) and never sees the tenant's data. An endpoint that
is in neither ``CASES`` nor ``NOT_TENANT`` fails
``test_every_endpoint_is_in_the_matrix``.
"""

import json as jsonlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from pytest_django import DjangoDbBlocker

from tests import cast
from tests.isolation.cases import (
    ACTORS,
    CASES,
    NOT_TENANT,
    PRIVATE_DOWNLOADS,
    Case,
    World,
    api_operation_keys,
    build_world,
    html_url_names,
)
from tests.memory_files import files_kept

DENIED = {401, 403, 404}


def test_every_endpoint_is_in_the_matrix():
    # given
    covered = {case.key for case in CASES} | set(NOT_TENANT)
    # when
    endpoints = set(html_url_names()) | set(api_operation_keys())
    # then
    missing = sorted(endpoints - covered)
    assert not missing, (
        "These endpoints are not in the isolation matrix "
        "(tests/isolation/cases.py): add a Case, or a NOT_TENANT reason: "
        + ", ".join(missing)
    )


def test_the_matrix_names_only_real_endpoints():
    endpoints = set(html_url_names()) | set(api_operation_keys())
    admin = {case.key for case in CASES if case.key.startswith("admin:")}
    stale = sorted({case.key for case in CASES} - endpoints - admin)
    assert not stale, f"Cases for endpoints that no longer exist: {stale}"


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    """The cast and the tenants' data, built once for the module (in each test
    process) and rolled back after it: each test rolls back what it did, so every
    test starts from this same world, as if it had been built for it alone. Files
    saved by a test are undone too (conftest.py), and the cache is emptied before
    each test (below)."""
    with django_db_blocker.unblock(), files_kept(), transaction.atomic():
        cluster_x = cast.cluster_x_create()
        cluster_y = cast.cluster_y_create()
        member_a = cast.member_a_create(cluster_x)
        users = {
            "customer": cast.customer_user_create(),
            "member_a_staff": cast.member_a_staff_user_create(member_a),
            "member_a_owner": cast.member_a_owner_user_create(member_a),
            "cluster_x_admin": cast.cluster_x_admin_user_create(cluster_x),
            "cluster_y_admin": cast.cluster_y_admin_user_create(cluster_y),
            "platform_staff": cast.staff_user_create(),
            "trade_buyer": cast.trade_buyer_user_create(cluster_x),
        }
        assert set(users) == set(ACTORS) - {"anonymous"}
        yield build_world(users, cluster_x, cluster_y, member_a)
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _cache_emptied() -> None:
    """Nothing cached by an earlier test (its rows rolled back, the same primary
    keys as this test's) answers for this one."""
    cache.clear()


def _request(client: Client, case: Case, world: World) -> Any:
    url = case.url(world)
    data = case.data(world) if case.data else None
    if case.json:
        body = jsonlib.dumps(data or {})
        return client.generic(case.method, url, body, content_type="application/json")
    if case.method == "GET":
        return client.get(url)
    return client.post(url, data or {})


def _is_login_redirect(response: Any) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        "/accounts/login/" in location or "/admin/login/" in location
    )


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.key}")
@pytest.mark.django_db
def test_isolation(case: Case, actor: str, world: World, client: Client):
    # given
    user = world.users.get(actor)
    if user is not None:
        client.force_login(user)
    # when
    response = _request(client, case, world)
    # then
    status = response.status_code
    body = b"".join(response) if response.streaming else response.content
    if actor in case.allowed:
        # Reaching the endpoint may still end in a refusal of the input itself
        # (400 form errors, 409 a move not allowed, 422 validation).
        assert status < 400 or status in {400, 409, 422}, (
            f"{actor} should reach {case.method} {case.url(world)}, got {status}"
        )
        assert not _is_login_redirect(response)
        if case.secret and case.method == "GET":
            assert case.secret(world).encode() in body, "allowed but data missing"
    else:
        refused = (
            status in DENIED
            or status in case.also_denied
            or _is_login_redirect(response)
        )
        assert refused, (
            f"{actor} must be refused {case.method} {case.url(world)}, got {status}"
        )
        if case.secret:
            assert case.secret(world).encode() not in body, "refused but data leaked"


# --- API keys (issue 17): every API case against a key of each kind and scope ---

API_CASES = [case for case in CASES if " /api/v1/" in case.key]


def _operation_scopes() -> dict[str, str | None]:
    """``METHOD /api/v1/path`` → the scope the installed key check asks for (None:
    not open to keys), read from each operation's wrapped ``run``."""
    from purei.api.api import api

    scopes: dict[str, str | None] = {}
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                full = re.sub(r"/+", "/", f"/api/v1/{bound.prefix}/{path}")
                full = re.sub(r"\{\w+:(\w+)\}", r"{\1}", full)
                for method in operation.methods:
                    scopes[f"{method} {full}"] = operation.run.scope  # type: ignore[attr-defined]
    return scopes


def test_every_api_case_is_known_to_the_key_check():
    scopes = _operation_scopes()
    missing = [case.key for case in API_CASES if case.key not in scopes]
    assert not missing, missing


def _key_may(case: Case, key: Any, scope: str | None) -> bool:
    """A key reaches an operation only within its owner and scopes: a public one
    as an anonymous caller would, a scoped one as its issuer would."""
    if scope is None:
        return False
    if scope == "public":
        return "anonymous" in case.allowed
    return scope in key.scopes and key.issuer in case.allowed


@pytest.mark.parametrize("case", API_CASES, ids=lambda c: f"{c.method} {c.key}")
@pytest.mark.django_db
def test_isolation_with_api_keys(case: Case, world: World):
    scope = _operation_scopes()[case.key]
    for name, key in world.api_keys.items():
        cache.clear()
        with transaction.atomic():
            client = Client(HTTP_AUTHORIZATION=f"Bearer {key.secret}")
            # when
            response = _request(client, case, world)
            # then
            status = response.status_code
            body = b"".join(response) if response.streaming else response.content
            where = f"{name} on {case.method} {case.url(world)}"
            if _key_may(case, key, scope):
                assert status < 400 or status in {400, 409, 422}, (
                    f"{where} should reach it, got {status}: {body[:200]!r}"
                )
            else:
                assert status in DENIED or status in case.also_denied, (
                    f"{where} must be refused, got {status}"
                )
                if case.secret:
                    assert case.secret(world).encode() not in body, (
                        f"{where}: refused but data leaked"
                    )
            transaction.set_rollback(True)


def _download_case(key: str) -> Case:
    return next(c for c in CASES if c.key == key and c.method == "GET")


@pytest.mark.parametrize("key", PRIVATE_DOWNLOADS)
@pytest.mark.django_db
def test_private_downloads_go_out_private(key: str, world: World, client: Client):
    # given an actor allowed the download (logged in)
    case = _download_case(key)
    actor = next(a for a in ACTORS if a in case.allowed and a != "anonymous")
    user = world.users[actor]
    assert user is not None
    client.force_login(user)
    # when it is fetched
    response = _request(client, case, world)
    if response.streaming:
        b"".join(response)  # read to the end: the file is closed
    # then it is saved, never sniffed, never kept by a shared cache
    assert response.status_code == 200, f"{actor} GET {case.url(world)}"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
