"""The API keys' manage pages: list, make (the secret shown once), revoke.

- ``/manage/members/<slug>/api-keys/``: a member business's keys (its owners);
- ``/manage/clusters/<slug>/api-keys/``: a cluster's keys (its admins);
- ``/c/<slug>/trade/api-keys/``: the trade buyer's account's keys with the cluster.

The secret is rendered in the answer to the POST that made it and kept nowhere
(not in the session, not in a message). Everyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from purei.core.actor import Actor, actor_from
from purei.core.errors import DomainError
from purei.core.forms import form_add_domain_error
from purei.members.selectors import member_team_for
from purei.web.shell import cluster_manage_context, member_manage_context

from .forms import FIELD_MAP, ApiKeyForm
from .models import ApiKey
from .owners import cluster_owner, member_owner, trade_account_owner
from .scopes import SCOPE_LABELS, SCOPES_BY_KIND, Scope
from .selectors import api_key_get, api_keys_of
from .services import IssuedKey, KeyOwner, api_key_create, api_key_revoke

OwnerOf = Callable[..., KeyOwner]


def _shell(actor: Actor, owner: KeyOwner) -> dict[str, Any]:
    if owner.kind == ApiKey.Kind.MEMBER:
        return member_manage_context(
            member=owner.target,
            section="api-keys",
            team=member_team_for(actor=actor, member=owner.target),  # type: ignore[arg-type]
        )
    if owner.kind == ApiKey.Kind.CLUSTER:
        return cluster_manage_context(owner.target, "api-keys")
    account = owner.target
    return {"cluster": account.cluster, "account": account}  # type: ignore[attr-defined]


_TEMPLATES = {
    ApiKey.Kind.MEMBER: "apikeys/member_keys.html",
    ApiKey.Kind.CLUSTER: "apikeys/cluster_keys.html",
    ApiKey.Kind.TRADE_ACCOUNT: "apikeys/trade_keys.html",
}
_LIST_URLS = {
    ApiKey.Kind.MEMBER: "apikeys:member-keys",
    ApiKey.Kind.CLUSTER: "apikeys:cluster-keys",
    ApiKey.Kind.TRADE_ACCOUNT: "apikeys:trade-keys",
}
_REVOKE_URLS = {
    ApiKey.Kind.MEMBER: "apikeys:member-key-revoke",
    ApiKey.Kind.CLUSTER: "apikeys:cluster-key-revoke",
    ApiKey.Kind.TRADE_ACCOUNT: "apikeys:trade-key-revoke",
}


def _row(key: ApiKey) -> dict[str, Any]:
    return {
        "key": key,
        "scopes": [
            SCOPE_LABELS.get(Scope(s), s) if s in Scope else s for s in key.scopes
        ],
        "state": _("Revoked")
        if key.is_revoked
        else _("Expired")
        if key.is_expired
        else _("Active"),
    }


def _keys_page(request: HttpRequest, slug: str, owner_of: OwnerOf) -> HttpResponse:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    keys = api_keys_of(actor=actor, owner=owner)  # 404 unless they may issue them
    kind = ApiKey.Kind(owner.kind)
    form = ApiKeyForm(scopes=SCOPES_BY_KIND[kind])
    issued: IssuedKey | None = None
    status = 200
    if request.method == "POST":
        form = ApiKeyForm(request.POST, scopes=SCOPES_BY_KIND[kind])
        if form.is_valid():
            try:
                issued = api_key_create(
                    actor=actor,
                    owner=owner,
                    name=form.cleaned_data["name"],
                    scopes=list(form.cleaned_data["scopes"]),
                    expires_at=form.expires_at(),
                )
            except DomainError as exc:
                form_add_domain_error(form, exc, field_map=FIELD_MAP)
                status = 422
            else:
                form = ApiKeyForm(scopes=SCOPES_BY_KIND[kind])
                status = 201
        else:
            status = 422
    response = render(
        request,
        _TEMPLATES[kind],
        {
            **_shell(actor, owner),
            "owner": owner,
            "slug": slug,
            "rows": [_row(key) for key in keys],
            "form": form,
            "issued": issued,
            "list_url": _LIST_URLS[kind],
            "revoke_url": _REVOKE_URLS[kind],
        },
        status=status,
    )
    return response


def _revoke(
    request: HttpRequest, slug: str, pk: int, owner_of: OwnerOf
) -> HttpResponse:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    key = api_key_get(actor=actor, owner=owner, key_id=pk)
    api_key_revoke(actor=actor, owner=owner, key=key)
    messages.success(
        request,
        _("The key “%(name)s” is revoked: it no longer works.") % {"name": key.name},
    )
    return redirect(_LIST_URLS[ApiKey.Kind(owner.kind)], slug=slug)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def member_keys_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _keys_page(request, slug, member_owner)


@login_required
@require_POST
def member_key_revoke_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _revoke(request, slug, pk, member_owner)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def cluster_keys_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _keys_page(request, slug, cluster_owner)


@login_required
@require_POST
def cluster_key_revoke_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _revoke(request, slug, pk, cluster_owner)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def trade_keys_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _keys_page(request, slug, trade_account_owner)


@login_required
@require_POST
def trade_key_revoke_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _revoke(request, slug, pk, trade_account_owner)
