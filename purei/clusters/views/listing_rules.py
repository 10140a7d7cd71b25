"""The listing rules screen, ``/manage/clusters/<slug>/listing-rules/``: whether a
curator approves each product before it shows, and whether works carrying cultural
designs wait for the cluster's kaitiaki. For the cluster's admins and platform
staff (404 for anyone else logged in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from purei.accounts.models import ClusterRole
from purei.accounts.selectors import cluster_role_list_for
from purei.clusters.listing_rules import cluster_listing_rules_update
from purei.clusters.manage_forms import ListingRulesForm
from purei.core.errors import ValidationFailed
from purei.core.forms import form_add_domain_error

from .manage import _admin_cluster, _context


@login_required
@require_http_methods(["GET", "POST"])
def listing_rules_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, cluster = _admin_cluster(request, slug)
    if request.method == "POST":
        form = ListingRulesForm(request.POST)
        if form.is_valid():
            try:
                cluster = cluster_listing_rules_update(
                    actor=actor, cluster=cluster, rules=form.rules()
                )
            except ValidationFailed as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, _("The listing rules are saved."))
                return redirect("clusters:manage-listing-rules", slug=cluster.slug)
    else:
        form = ListingRulesForm(initial=ListingRulesForm.initial_for(cluster))
    has_kaitiaki = (
        cluster_role_list_for(actor=actor, cluster=cluster)
        .filter(role=ClusterRole.Role.KAITIAKI)
        .exists()
    )
    return render(
        request,
        "clusters/manage/listing_rules.html",
        _context(cluster, "listing-rules", form=form, has_kaitiaki=has_kaitiaki),
        status=400 if form.errors else 200,
    )
