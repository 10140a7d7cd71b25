"""Stories: the cluster's journal on its storefront (``/c/<slug>/stories/`` and
``…/stories/<story>/``; the feed is ``purei.marketing.feeds``), and a cluster
admin's screens under ``/manage/clusters/<slug>/stories/`` (platform staff may look;
the services refuse their changes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.models import Cluster
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import Actor, actor_from
from purei.core.errors import DomainError, NotPermitted
from purei.core.forms import form_add_domain_error
from purei.marketing.forms import StoryForm, StoryImageForm
from purei.marketing.models import MAORI, Story
from purei.marketing.rendering import story_sections
from purei.marketing.selectors import (
    story_get_for_admin,
    story_get_public,
    story_image_get_for_admin,
    story_list_for_admin,
    story_list_public,
)
from purei.marketing.services import (
    story_create,
    story_image_add,
    story_image_delete,
    story_publish,
    story_unpublish,
    story_update,
)
from purei.web.shell import cluster_manage_context

PAGE_SIZE = 12


def story_versions(story: Story, language: str) -> list[dict[str, Any]]:
    """The language versions a page shows, in order: on a te reo page the te reo
    version in place of the English (when there is one); on an English page
    English first, then te reo (docs/te-reo.md: English comes first)."""
    languages = [story.language_for(MAORI)] if language == MAORI else story.languages
    return [
        {
            "lang": version,
            "title": story.title_in(version),
            "summary": story.summary_in(version),
            "sections": story_sections(story, version),
        }
        for version in languages
    ]


@require_GET
def story_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    page = Paginator(story_list_public(cluster=cluster), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "marketing/stories/list.html",
        {"cluster": cluster, "page": page, "language": get_language()},
    )


@require_GET
def story_view(request: HttpRequest, slug: str, story: str) -> HttpResponse:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    found = story_get_public(cluster=cluster, slug=story)
    language = get_language() or "en"
    return render(
        request,
        "marketing/stories/page.html",
        {
            "cluster": cluster,
            "story": found,
            "versions": story_versions(found, language),
            "canonical_url": request.build_absolute_uri(request.path),
        },
    )


# --- A cluster admin's screens ----------------------------------------------------


def _admin_only(actor: Actor, cluster: Cluster) -> None:
    if not actor.is_cluster_admin(cluster.pk):
        raise PermissionDenied(_("Only the cluster's admins write its stories."))


@login_required
@require_GET
def manage_stories_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    stories = story_list_for_admin(actor=actor, cluster=cluster)
    page = Paginator(stories, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "marketing/stories/manage_list.html",
        cluster_manage_context(
            cluster, "stories", page=page, can_write=actor.is_cluster_admin(cluster.pk)
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_story_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    _admin_only(actor, cluster)
    form = StoryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                story = story_create(
                    actor=actor, cluster=cluster, details=form.story_input()
                )
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(
                    request, _("Saved as a draft. Add pictures, then publish it.")
                )
                return redirect(
                    "marketing:manage-story", slug=cluster.slug, pk=story.pk
                )
        status = 422
    return render(
        request,
        "marketing/stories/manage_form.html",
        cluster_manage_context(cluster, "stories", form=form, story=None),
        status=status,
    )


STORY_ACTIONS = {
    "publish": (
        story_publish,
        _("Published: it is on the storefront and in the feed."),
    ),
    "unpublish": (story_unpublish, _("Taken down: it is a draft again.")),
}


@login_required
@require_http_methods(["GET", "POST"])
def manage_story_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    story = story_get_for_admin(actor=actor, cluster=cluster, story_id=pk)
    form = StoryForm.for_story(story)
    status = 200
    if request.method == "POST":
        _admin_only(actor, cluster)
        action = request.POST.get("action", "save")
        try:
            if action in STORY_ACTIONS:
                service, done = STORY_ACTIONS[action]
                service(actor=actor, story=story)
                messages.success(request, str(done))
                return redirect(
                    "marketing:manage-story", slug=cluster.slug, pk=story.pk
                )
            form = StoryForm(request.POST)
            if form.is_valid():
                story_update(actor=actor, story=story, details=form.story_input())
                messages.success(request, _("Saved."))
                return redirect(
                    "marketing:manage-story", slug=cluster.slug, pk=story.pk
                )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form_add_domain_error(form, exc)
        status = 422
    return render(
        request,
        "marketing/stories/manage_form.html",
        cluster_manage_context(
            cluster,
            "stories",
            form=form,
            story=story,
            image_form=StoryImageForm(),
            versions=story_versions(story, "en"),
            can_write=actor.is_cluster_admin(cluster.pk),
        ),
        status=status,
    )


@login_required
@require_POST
def manage_story_image_add_view(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    story = story_get_for_admin(actor=actor, cluster=cluster, story_id=pk)
    _admin_only(actor, cluster)
    image_form = StoryImageForm(request.POST, request.FILES)
    if image_form.is_valid():
        try:
            added = story_image_add(
                actor=actor,
                story=story,
                image=image_form.cleaned_data["image"],
                alt_text=image_form.cleaned_data["alt_text"],
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form_add_domain_error(image_form, exc)
        else:
            messages.success(
                request,
                _(
                    "Picture %(n)s added: place it in the text as "
                    "![A caption](image:%(n)s)."
                )
                % {"n": added.number},
            )
            return redirect("marketing:manage-story", slug=cluster.slug, pk=story.pk)
    return render(
        request,
        "marketing/stories/manage_form.html",
        cluster_manage_context(
            cluster,
            "stories",
            form=StoryForm.for_story(story),
            story=story,
            image_form=image_form,
            versions=story_versions(story, "en"),
            can_write=actor.is_cluster_admin(cluster.pk),
        ),
        status=422,
    )


@login_required
@require_POST
def manage_story_image_delete_view(
    request: HttpRequest, slug: str, pk: int, image_pk: int
) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    story = story_get_for_admin(actor=actor, cluster=cluster, story_id=pk)
    image = story_image_get_for_admin(actor=actor, story=story, image_id=image_pk)
    _admin_only(actor, cluster)
    try:
        story_image_delete(actor=actor, image=image)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Picture removed."))
    return redirect("marketing:manage-story", slug=cluster.slug, pk=story.pk)
