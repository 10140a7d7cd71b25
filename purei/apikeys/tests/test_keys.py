"""API keys: issued, shown once, stored hashed, narrowed to their owner and scopes,
revoked and expired at once, rate-limited, and exempt from CSRF (ADR 0019)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from purei.accounts.models import MemberRole, User
from purei.apikeys.models import ApiKey
from purei.apikeys.services import KeyOwner, api_key_revoke
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.members.models import Member
from purei.members.tests.factories import MemberFactory

from .helpers import call, issue

pytestmark = pytest.mark.django_db


def _member_b() -> Member:
    member = MemberFactory.create(slug="member-b", trading_name="Member B Oysters")
    return member


# --- Issuing ------------------------------------------------------------------


def test_an_owner_makes_a_key_shown_once_and_stored_hashed(
    client: Client, member_a: Member, member_a_owner_user: User
):
    # given
    client.force_login(member_a_owner_user)
    # when
    made = call(
        client,
        "POST",
        "/members/member-a/api-keys",
        {"name": "Xero sync", "scopes": ["read_orders", "read_money"]},
    )
    listed = call(client, "GET", "/members/member-a/api-keys")
    # then
    assert made.status_code == 201, made.content
    secret = made.json()["secret"]
    assert secret.startswith("pk_live_")
    assert len(secret) >= 8 + 43
    key = ApiKey.objects.get()
    assert key.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiKey.objects.values().get())
    assert key.prefix == secret[:16]
    assert key.scopes == ["read_money", "read_orders"]
    assert listed.status_code == 200
    assert secret not in listed.content.decode()
    assert listed.json()[0]["prefix"] == secret[:16]
    assert listed.json()[0]["last_used_at"] is None


def test_only_an_owner_admin_or_buyer_issues_keys(
    member_a: Member,
    member_a_staff: Actor,
    cluster_x: Cluster,
    cluster_y_admin: Actor,
    platform_staff: Actor,
):
    # when / then: staff of the business, another cluster's admin, platform staff
    with pytest.raises(NotPermitted):
        issue(member_a_staff, member_a, ["read_orders"])
    with pytest.raises(NotPermitted):
        issue(cluster_y_admin, cluster_x, ["read_orders"])
    with pytest.raises(NotPermitted):
        issue(platform_staff, member_a, ["read_orders"])


def test_a_key_cannot_make_keys(
    client: Client, member_a: Member, member_a_owner: Actor
):
    # given: a key with every member scope
    key = issue(member_a_owner, member_a, ["read_orders", "write_catalogue"]).secret
    # when
    response = call(
        client,
        "POST",
        "/members/member-a/api-keys",
        {"name": "Sneaky", "scopes": ["read_orders"]},
        key=key,
    )
    # then: the key endpoints are not open to keys
    assert response.status_code == 403
    assert response.json()["code"] == "api_key_not_accepted"
    assert ApiKey.objects.count() == 1


def test_scopes_must_fit_the_kind_of_owner(cluster_x: Cluster, cluster_x_admin: Actor):
    # when / then: a cluster has no catalogue of its own to write
    with pytest.raises(ValidationFailed) as refused:
        issue(cluster_x_admin, cluster_x, ["write_catalogue"])
    assert refused.value.field == "scopes"


# --- Using a key ---------------------------------------------------------------------


def test_a_key_reads_within_its_scope_and_notes_its_use_once_a_minute(
    client: Client, member_a: Member, member_a_owner: Actor
):
    # given
    issued = issue(member_a_owner, member_a, ["read_orders"])
    # when
    first = call(client, "GET", "/members/member-a/fulfilments", key=issued.secret)
    used = ApiKey.objects.get().last_used_at
    second = call(client, "GET", "/members/member-a/fulfilments", key=issued.secret)
    # then
    assert first.status_code == 200, first.content
    assert second.status_code == 200
    assert used is not None
    assert ApiKey.objects.get().last_used_at == used  # not written again so soon
    # when: a minute later
    ApiKey.objects.update(last_used_at=used - dt.timedelta(seconds=61))
    call(client, "GET", "/members/member-a/fulfilments", key=issued.secret)
    # then
    noted = ApiKey.objects.get().last_used_at
    assert noted is not None
    assert noted > used - dt.timedelta(seconds=1)


def test_a_key_is_refused_what_its_scopes_do_not_allow(
    client: Client, member_a: Member, member_a_owner: Actor
):
    # given
    key = issue(member_a_owner, member_a, ["read_orders"]).secret
    # when
    money = call(client, "GET", "/members/member-a/balance", key=key)
    write = call(
        client,
        "POST",
        "/members/member-a/stock",
        {"stock": {"SKU-1": 3}},
        key=key,
    )
    # an operation outside the scope map (a person's profile) is refused
    profile = call(client, "GET", "/members/member-a", key=key)
    # then
    assert money.status_code == 403
    assert money.json() == {
        "code": "api_key_scope_missing",
        "message": "This API key lacks the scope read_money.",
        "field": None,
    }
    assert write.status_code == 403
    assert profile.status_code == 403
    assert profile.json()["code"] == "api_key_not_accepted"


def test_a_member_key_reaches_only_its_member(
    client: Client, member_a: Member, member_a_owner_user: User
):
    # given: the owner of A also owns B; the key is A's
    member_b = _member_b()
    MemberRole.objects.create(
        user=member_a_owner_user, member=member_b, role=MemberRole.Role.OWNER
    )
    owner = Actor(user=member_a_owner_user)
    key = issue(owner, member_a, ["read_orders", "read_money"]).secret
    # when
    own = call(client, "GET", "/members/member-a/fulfilments", key=key)
    other = call(client, "GET", "/members/member-b/fulfilments", key=key)
    other_money = call(client, "GET", "/members/member-b/balance", key=key)
    # then
    assert own.status_code == 200
    assert other.status_code == 404
    assert other_money.status_code == 404


def test_a_cluster_key_reaches_only_its_cluster(
    client: Client, cluster_x: Cluster, cluster_y: Cluster, cluster_x_admin_user: User
):
    # given: the admin of X is admin of Y as well; the key is X's
    from purei.accounts.models import ClusterRole

    ClusterRole.objects.create(
        user=cluster_x_admin_user, cluster=cluster_y, role=ClusterRole.Role.ADMIN
    )
    key = issue(Actor(user=cluster_x_admin_user), cluster_x, ["read_money"]).secret
    # when
    own = call(client, "GET", "/clusters/cluster-x/payouts", key=key)
    other = call(client, "GET", "/clusters/cluster-y/payouts", key=key)
    # then
    assert own.status_code == 200, own.content
    assert other.status_code == 404


def test_a_key_is_never_platform_staff(
    client: Client, member_a: Member, staff_user: User
):
    # given: platform staff who also owns member A
    MemberRole.objects.create(
        user=staff_user, member=member_a, role=MemberRole.Role.OWNER
    )
    key = issue(Actor(user=staff_user), member_a, ["read_orders"]).secret
    other = _member_b()
    # when: staff may read any business's fulfilments in a session; the key may not
    response = call(client, "GET", f"/members/{other.slug}/fulfilments", key=key)
    # then
    assert response.status_code == 404


def test_a_key_stops_when_its_issuer_loses_the_role(
    client: Client, member_a: Member, member_a_owner_user: User
):
    # given
    key = issue(Actor(user=member_a_owner_user), member_a, ["read_orders"]).secret
    # when
    MemberRole.objects.filter(user=member_a_owner_user).delete()
    response = call(client, "GET", "/members/member-a/fulfilments", key=key)
    # then
    assert response.status_code == 404


def test_revoking_takes_effect_at_once(
    client: Client, member_a: Member, member_a_owner: Actor
):
    # given
    issued = issue(member_a_owner, member_a, ["read_orders"])
    assert (
        call(client, "GET", "/members/member-a/fulfilments", key=issued.secret)
    ).status_code == 200
    # when
    api_key_revoke(
        actor=member_a_owner,
        owner=KeyOwner(kind="member", target=member_a),
        key=issued.key,
    )
    response = call(client, "GET", "/members/member-a/fulfilments", key=issued.secret)
    # then
    assert response.status_code == 401
    assert response.json()["code"] == "api_key_revoked"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoking_through_the_api(
    client: Client, member_a: Member, member_a_owner: Actor, member_a_owner_user: User
):
    # given
    issued = issue(member_a_owner, member_a, ["read_orders"])
    client.force_login(member_a_owner_user)
    # when
    revoked = call(client, "POST", f"/members/member-a/api-keys/{issued.key.pk}/revoke")
    client.logout()
    used = call(client, "GET", "/members/member-a/fulfilments", key=issued.secret)
    # then
    assert revoked.status_code == 200
    assert revoked.json()["active"] is False
    assert used.status_code == 401


def test_an_expired_key_is_refused(
    client: Client, member_a: Member, member_a_owner: Actor
):
    # given
    issued = issue(
        member_a_owner,
        member_a,
        ["read_orders"],
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    # when
    ApiKey.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = call(client, "GET", "/members/member-a/fulfilments", key=issued.secret)
    # then
    assert response.status_code == 401
    assert response.json()["code"] == "api_key_expired"


@pytest.mark.parametrize(
    "header",
    ["Bearer pk_live_nope", "Bearer", "Bearer a b", "bearer pk_test_x"],
)
def test_an_unknown_key_is_refused(client: Client, member_a: Member, header: str):
    # when
    response = client.get(
        "/api/v1/members/member-a/fulfilments", HTTP_AUTHORIZATION=header
    )
    # then
    assert response.status_code == 401
    assert response.json()["code"] == "api_key_invalid"


def test_a_key_is_rate_limited_with_retry_after(
    client: Client, member_a: Member, member_a_owner: Actor, rate_limits: Any
):
    # given
    rate_limits("api_key", key="2/m")
    key = issue(member_a_owner, member_a, ["read_orders"]).secret
    other = issue(member_a_owner, member_a, ["read_orders"], name="Other").secret
    # when
    answers = [
        call(client, "GET", "/members/member-a/fulfilments", key=key) for _ in range(3)
    ]
    others = call(client, "GET", "/members/member-a/fulfilments", key=other)
    # then
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert int(answers[2]["Retry-After"]) >= 1
    assert answers[2].json()["code"] == "rate_limited"
    assert others.status_code == 200  # per key


def test_a_key_needs_no_csrf_token_and_a_session_still_does(
    member_a: Member, member_a_owner: Actor, member_a_owner_user: User
):
    # given: a client that checks CSRF as a browser's would
    client = Client(enforce_csrf_checks=True)
    key = issue(member_a_owner, member_a, ["write_catalogue"]).secret
    body: dict[str, Any] = {"stock": {}}
    # when
    with_key = call(client, "POST", "/members/member-a/stock", body, key=key)
    client.force_login(member_a_owner_user)
    with_session = call(client, "POST", "/members/member-a/stock", body)
    # then
    assert with_key.status_code in {200, 422}, with_key.content
    assert with_session.status_code == 403


def test_a_key_ignores_the_session_beside_it(
    client: Client, member_a: Member, member_a_owner: Actor, staff_user: User
):
    # given: a platform staff session and member A's key on one request
    key = issue(member_a_owner, member_a, ["read_orders"]).secret
    client.force_login(staff_user)
    other = _member_b()
    # when
    response = call(client, "GET", f"/members/{other.slug}/fulfilments", key=key)
    # then: the key decides, not the session
    assert response.status_code == 404


def test_a_trade_key_reads_its_account(
    client: Client, trade_buyer_user: User, cluster_x: Cluster
):
    # given
    from purei.trade.models import TradeAccount

    account = TradeAccount.objects.get(buyers__user=trade_buyer_user)
    key = issue(Actor(user=trade_buyer_user), account, ["read_orders"]).secret
    # when
    own = call(client, "GET", f"/trade-accounts/{account.pk}", key=key)
    money = call(client, "GET", f"/trade-accounts/{account.pk}/statement", key=key)
    # then
    assert own.status_code == 200, own.content
    assert money.status_code == 403
