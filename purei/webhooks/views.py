"""The webhooks' manage pages (docs/api.md "Webhooks"):

- ``/manage/members/<slug>/webhooks/``: a member business's endpoints (its owners);
- ``/manage/clusters/<slug>/webhooks/``: a cluster's endpoints (its admins);

each with the list and "add" form, and per endpoint (``…/<pk>/``) its events,
"rotate the secret" (the new secret shown once, in the answer), disable or
enable, and the delivery log with "send again". Everyone else gets 404.
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

from .forms import EVENT_LABELS, FIELD_MAP, EndpointForm
from .models import Endpoint
from .owners import cluster_owner, member_owner
from .selectors import deliveries_of, delivery_get, endpoint_get, endpoints_of
from .services import (
    EndpointOwner,
    SecretShown,
    delivery_replay,
    endpoint_create,
    endpoint_disable,
    endpoint_enable,
    endpoint_rotate_secret,
    endpoint_update,
)

OwnerOf = Callable[..., EndpointOwner]


def _shell(actor: Actor, owner: EndpointOwner) -> dict[str, Any]:
    if owner.kind == Endpoint.Kind.MEMBER:
        return member_manage_context(
            member=owner.target,
            section="webhooks",
            team=member_team_for(actor=actor, member=owner.target),  # type: ignore[arg-type]
        )
    return cluster_manage_context(owner.target, "webhooks")


def _prefix(owner: EndpointOwner) -> str:
    return (
        "webhooks:member" if owner.kind == Endpoint.Kind.MEMBER else "webhooks:cluster"
    )


def _context(actor: Actor, owner: EndpointOwner, slug: str) -> dict[str, Any]:
    return {
        **_shell(actor, owner),
        "owner": owner,
        "slug": slug,
        "is_member": owner.kind == Endpoint.Kind.MEMBER,
        "url_prefix": _prefix(owner),
        "event_labels": EVENT_LABELS,
    }


def _list_page(request: HttpRequest, slug: str, owner_of: OwnerOf) -> HttpResponse:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    endpoints = list(endpoints_of(actor=actor, owner=owner))  # 404 unless theirs
    form = EndpointForm()
    shown: SecretShown | None = None
    status = 200
    if request.method == "POST":
        form = EndpointForm(request.POST)
        if form.is_valid():
            try:
                shown = endpoint_create(
                    actor=actor,
                    owner=owner,
                    url=form.cleaned_data["url"],
                    events=list(form.cleaned_data["events"]),
                    description=form.cleaned_data["description"],
                )
            except DomainError as exc:
                form_add_domain_error(form, exc, field_map=FIELD_MAP)
                status = 422
            else:
                form = EndpointForm()
                endpoints = list(endpoints_of(actor=actor, owner=owner))
                status = 201
        else:
            status = 422
    return render(
        request,
        "webhooks/endpoints.html",
        {
            **_context(actor, owner, slug),
            "endpoints": endpoints,
            "form": form,
            "shown": shown,
        },
        status=status,
    )


def _detail_page(
    request: HttpRequest, slug: str, pk: int, owner_of: OwnerOf
) -> HttpResponse:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    endpoint = endpoint_get(actor=actor, owner=owner, endpoint_id=pk)
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "events": endpoint.events,
    }
    form = EndpointForm(initial=initial)
    status = 200
    if request.method == "POST":
        form = EndpointForm(request.POST)
        if form.is_valid():
            try:
                endpoint_update(
                    actor=actor,
                    owner=owner,
                    endpoint=endpoint,
                    url=form.cleaned_data["url"],
                    events=list(form.cleaned_data["events"]),
                    description=form.cleaned_data["description"],
                )
            except DomainError as exc:
                form_add_domain_error(form, exc, field_map=FIELD_MAP)
                status = 422
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{_prefix(owner)}-webhook", slug=slug, pk=pk)
        else:
            status = 422
    return _render_detail(request, actor, owner, slug, endpoint, form, None, status)


def _render_detail(
    request: HttpRequest,
    actor: Actor,
    owner: EndpointOwner,
    slug: str,
    endpoint: Endpoint,
    form: EndpointForm,
    shown: SecretShown | None,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "webhooks/endpoint.html",
        {
            **_context(actor, owner, slug),
            "endpoint": endpoint,
            "deliveries": deliveries_of(actor=actor, owner=owner, endpoint=endpoint),
            "form": form,
            "shown": shown,
        },
        status=status,
    )


def _rotate(
    request: HttpRequest, slug: str, pk: int, owner_of: OwnerOf
) -> HttpResponse:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    endpoint = endpoint_get(actor=actor, owner=owner, endpoint_id=pk)
    shown = endpoint_rotate_secret(actor=actor, owner=owner, endpoint=endpoint)
    form = EndpointForm(
        initial={
            "url": endpoint.url,
            "description": endpoint.description,
            "events": endpoint.events,
        }
    )
    return _render_detail(request, actor, owner, slug, endpoint, form, shown, 200)


def _disable(
    request: HttpRequest, slug: str, pk: int, owner_of: OwnerOf, *, enable: bool
) -> HttpResponse:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    endpoint = endpoint_get(actor=actor, owner=owner, endpoint_id=pk)
    if enable:
        endpoint_enable(actor=actor, owner=owner, endpoint=endpoint)
        messages.success(request, _("Enabled: it hears new events again."))
    else:
        endpoint_disable(actor=actor, owner=owner, endpoint=endpoint)
        messages.success(request, _("Disabled: nothing more is sent to it."))
    return redirect(f"{_prefix(owner)}-webhook", slug=slug, pk=pk)


def _replay(
    request: HttpRequest, slug: str, pk: int, delivery_pk: int, owner_of: OwnerOf
) -> HttpResponse:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    endpoint = endpoint_get(actor=actor, owner=owner, endpoint_id=pk)
    delivery = delivery_get(
        actor=actor, owner=owner, endpoint=endpoint, delivery_id=delivery_pk
    )
    try:
        delivery_replay(actor=actor, owner=owner, delivery=delivery)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sent again: see the newest row of the log."))
    return redirect(f"{_prefix(owner)}-webhook", slug=slug, pk=pk)


# --- The views: one set per kind of owner --------------------------------------------


def _views(owner_of: OwnerOf) -> dict[str, Callable[..., HttpResponse]]:
    @login_required
    @never_cache
    @require_http_methods(["GET", "POST"])
    def endpoints_view(request: HttpRequest, slug: str) -> HttpResponse:
        return _list_page(request, slug, owner_of)

    @login_required
    @never_cache
    @require_http_methods(["GET", "POST"])
    def endpoint_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        return _detail_page(request, slug, pk, owner_of)

    @login_required
    @never_cache
    @require_POST
    def endpoint_rotate_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        return _rotate(request, slug, pk, owner_of)

    @login_required
    @require_POST
    def endpoint_disable_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        return _disable(request, slug, pk, owner_of, enable=False)

    @login_required
    @require_POST
    def endpoint_enable_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        return _disable(request, slug, pk, owner_of, enable=True)

    @login_required
    @require_POST
    def delivery_replay_view(
        request: HttpRequest, slug: str, pk: int, delivery_pk: int
    ) -> HttpResponse:
        return _replay(request, slug, pk, delivery_pk, owner_of)

    return {
        "endpoints": endpoints_view,
        "endpoint": endpoint_view,
        "rotate": endpoint_rotate_view,
        "disable": endpoint_disable_view,
        "enable": endpoint_enable_view,
        "replay": delivery_replay_view,
    }


member_views = _views(member_owner)
cluster_views = _views(cluster_owner)
