"""Reviews' pages (docs/marketing.md "Reviews"):

- ``/c/<slug>/reviews/<product_id>/write/``: a buyer writes (or changes) their
  review of a product they received there;
- ``/manage/members/<slug>/reviews/`` and ``…/<pk>/reply/``: the reviews of a
  member's products, and its one reply to each;
- ``/manage/clusters/<slug>/reviews/``, ``…/<pk>/`` and ``…/settings/``: the
  cluster's curators approve, reject or hide; its admins choose whether new
  reviews wait for a curator.

The product page's section, its JSON-LD and the order page's links are template
tags (``templatetags/marketing_reviews.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purei.catalogue.paths import product_path
from purei.catalogue.selectors import cluster_get_for_curator
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.errors import DomainError, NotPermitted
from purei.core.forms import form_add_domain_error
from purei.marketing.models import Review
from purei.marketing.review_forms import (
    ModerateForm,
    ReplyForm,
    ReviewForm,
    ReviewSettingsForm,
)
from purei.marketing.review_selectors import (
    review_counts_for_cluster,
    review_get_for_curator,
    review_get_for_member,
    review_list_for_member,
    review_queue_for_cluster,
    review_settings_for,
    review_target_get_for,
)
from purei.marketing.services.reviews import (
    REPLY_OPEN,
    ReviewInput,
    review_moderate,
    review_reply,
    review_settings_update,
    review_write,
)
from purei.members.selectors import member_get_for_team, member_team_for
from purei.web.shell import cluster_manage_context, member_manage_context

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def review_write_view(request: HttpRequest, slug: str, product_id: int) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    target = review_target_get_for(actor=actor, cluster=cluster, product_id=product_id)
    review = target.review
    initial = {"stars": review.stars, "body": review.body} if review else None
    form = ReviewForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = review_write(
                    actor=actor,
                    cluster=cluster,
                    product_id=product_id,
                    details=ReviewInput(
                        stars=form.cleaned_data["stars"],
                        body=form.cleaned_data["body"],
                    ),
                )
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                if saved.status == Review.Status.APPROVED:
                    messages.success(request, _("Thank you: your review is shown."))
                else:
                    messages.success(
                        request,
                        _(
                            "Thank you: your review shows once a curator has "
                            "approved it."
                        ),
                    )
                return redirect("settlement:order-detail", target.line.order.number)
        status = 422
    product = target.product
    return render(
        request,
        "marketing/reviews/write.html",
        {
            "cluster": cluster,
            "product": product,
            "product_url": product_path(
                cluster.slug, product.member.slug, product.slug
            ),
            "order": target.line.order,
            "review": review,
            "form": form,
            "editable": review is None or review.is_editable,
        },
        status=status,
    )


# --- A member's screens ---


@login_required
@require_GET
def member_reviews_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    team = member_team_for(actor=actor, member=member)
    page = Paginator(review_list_for_member(actor=actor, member=member), PAGE_SIZE)
    return render(
        request,
        "marketing/reviews/member_reviews.html",
        member_manage_context(
            member=member,
            section="reviews",
            team=team,
            page=page.get_page(request.GET.get("page")),
            can_reply=actor.is_member_team(member.pk),
            reply_open=REPLY_OPEN,
            form=ReplyForm(),
        ),
    )


@login_required
@require_POST
def member_review_reply_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    review = review_get_for_member(actor=actor, member=member, review_id=pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a reply first."))
        return redirect("marketing:member-reviews", slug=member.slug)
    try:
        review_reply(actor=actor, review=review, text=form.cleaned_data["reply"])
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your reply is saved."))
    return redirect("marketing:member-reviews", slug=member.slug)


# --- The cluster's screens ---


@login_required
@require_GET
def manage_reviews_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_curator(actor=actor, slug=slug)
    shown = request.GET.get("status", Review.Status.PENDING)
    if shown not in Review.Status.values:
        shown = Review.Status.PENDING
    reviews = review_queue_for_cluster(actor=actor, cluster=cluster, status=shown)
    settings = review_settings_for(cluster=cluster)
    return render(
        request,
        "marketing/reviews/manage_reviews.html",
        cluster_manage_context(
            cluster,
            "reviews",
            page=Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page")),
            shown=shown,
            statuses=Review.Status.choices,
            counts=review_counts_for_cluster(actor=actor, cluster=cluster),
            settings=settings,
            settings_form=ReviewSettingsForm(
                initial={"needs_approval": settings.needs_approval}
            ),
            can_decide=cluster.pk in actor.curator_cluster_ids,
            can_change_settings=actor.is_cluster_admin(cluster.pk),
        ),
    )


@login_required
@require_POST
def manage_review_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_curator(actor=actor, slug=slug)
    review = review_get_for_curator(actor=actor, cluster=cluster, review_id=pk)
    form = ModerateForm(request.POST)
    queue = reverse("marketing:manage-reviews", kwargs={"slug": cluster.slug})
    back = redirect(f"{queue}?status={review.status}")
    if not form.is_valid():
        messages.error(request, _("Nothing was changed."))
        return back
    try:
        review_moderate(
            actor=actor,
            review=review,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
        )
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return back


@login_required
@require_POST
def manage_review_settings_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_curator(actor=actor, slug=slug)
    form = ReviewSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what happens to new reviews."))
        return redirect("marketing:manage-reviews", slug=cluster.slug)
    try:
        review_settings_update(
            actor=actor,
            cluster=cluster,
            needs_approval=form.cleaned_data["needs_approval"],
        )
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Saved."))
    return redirect("marketing:manage-reviews", slug=cluster.slug)
