"""Applying to form a cluster, and platform staff's review of the applications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from purei.accounts.selectors import user_get_by_email
from purei.clusters.application_selectors import (
    application_get_for_review,
    application_get_submitted,
    application_list_for_review,
    application_status_errors,
)
from purei.clusters.forms import (
    ApplicationApproveForm,
    ApplicationDeclineForm,
    ClusterApplicationForm,
    finder_summary,
)
from purei.clusters.models import ClusterApplication
from purei.clusters.services import (
    application_approve,
    application_decline,
    application_submit,
    cluster_slug_suggest,
)
from purei.core.actor import actor_from
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.core.ratelimit import rate_limit_request

# The applications this browser session submitted: only it may see their receipt.
SUBMITTED_SESSION_KEY = "purei.submitted_applications"
REVIEW_PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
def application_create_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        rate_limit_request(
            request, "cluster_application", email=request.POST.get("contact_email")
        )
        form = ClusterApplicationForm(request.POST)
        if form.is_valid():
            try:
                application = application_submit(
                    actor=actor_from(request),
                    details=form.service_data(),
                    language=get_language(),
                )
            except ValidationFailed as exc:
                form_add_domain_error(form, exc)
            else:
                submitted = request.session.get(SUBMITTED_SESSION_KEY, [])
                request.session[SUBMITTED_SESSION_KEY] = [
                    *submitted[-19:],
                    application.pk,
                ]
                return redirect("clusters:apply-thanks", pk=application.pk)
    else:
        form = ClusterApplicationForm(
            initial=ClusterApplicationForm.initial_from_finder(request.GET)
        )
    return render(request, "clusters/applications/apply.html", {"form": form})


@require_GET
def application_thanks_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_submitted(
        application_id=pk,
        submitted_ids=list(request.session.get(SUBMITTED_SESSION_KEY, [])),
    )
    return render(
        request,
        "clusters/applications/thanks.html",
        {
            "application": application,
            "finder_summary": finder_summary(application.finder_answers),
        },
    )


@login_required
@require_GET
def review_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    status = request.GET.get("status", "").strip()
    status_errors = application_status_errors(status)
    try:
        applications = application_list_for_review(
            actor=actor, status=None if status_errors else status or None
        )
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    page = Paginator(applications, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    pending_count = (
        application_list_for_review(actor=actor)
        .filter(status=ClusterApplication.Status.PENDING)
        .count()
    )
    return render(
        request,
        "clusters/applications/review_list.html",
        {
            "page": page,
            "status": "" if status_errors else status,
            "status_error": status_errors.get("status", [""])[0],
            "statuses": ClusterApplication.Status.choices,
            "pending_count": pending_count,
        },
        status=400 if status_errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from(request)
    try:
        application = application_get_for_review(actor=actor, application_id=pk)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    approve_form = ApplicationApproveForm(prefix="approve")
    decline_form = ApplicationDeclineForm(prefix="decline")
    here = reverse("clusters:review-detail", kwargs={"pk": application.pk})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "approve":
            approve_form = ApplicationApproveForm(request.POST, prefix="approve")
            if approve_form.is_valid():
                try:
                    cluster = application_approve(
                        actor=actor,
                        application=application,
                        slug=approve_form.cleaned_data["slug"] or None,
                    )
                except ValidationFailed as exc:
                    form_add_domain_error(approve_form, exc)
                except DomainError as exc:
                    messages.error(request, exc.message)
                    return redirect(here)
                else:
                    messages.success(
                        request,
                        format_html(
                            '{} <a href="{}">{}</a>',
                            _(
                                "Approved: %(cluster)s is live, and an invitation to "
                                "be its admin was emailed to %(email)s."
                            )
                            % {
                                "cluster": cluster.name_en,
                                "email": application.contact_email,
                            },
                            reverse(
                                "catalogue:cluster-home", kwargs={"slug": cluster.slug}
                            ),
                            _("Visit %(cluster)s") % {"cluster": cluster.name_en},
                        ),
                    )
                    return redirect(here)
        elif action == "decline":
            decline_form = ApplicationDeclineForm(request.POST, prefix="decline")
            if decline_form.is_valid():
                try:
                    application_decline(
                        actor=actor,
                        application=application,
                        reason=decline_form.cleaned_data["reason"],
                    )
                except ValidationFailed as exc:
                    form_add_domain_error(decline_form, exc)
                except DomainError as exc:
                    messages.error(request, exc.message)
                    return redirect(here)
                else:
                    messages.success(
                        request,
                        _("Declined. The reason was emailed to %(email)s.")
                        % {"email": application.contact_email},
                    )
                    return redirect(here)
        else:
            messages.error(request, _("Choose approve or decline."))
            return redirect(here)
    slug_suggestion = (
        cluster_slug_suggest(application.proposed_name_en)
        if application.status == ClusterApplication.Status.PENDING
        else ""
    )
    return render(
        request,
        "clusters/applications/review_detail.html",
        {
            "application": application,
            "regions": list(application.regions.all()),
            "finder_summary": finder_summary(application.finder_answers),
            "approve_form": approve_form,
            "decline_form": decline_form,
            "slug_suggestion": slug_suggestion,
            "applicant_has_account": user_get_by_email(application.contact_email)
            is not None,
        },
    )
