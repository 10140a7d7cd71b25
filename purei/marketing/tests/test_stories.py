from xml.etree import ElementTree

import pytest
from django.test import Client

from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.core.tests.pictures import SVG_BYTES, picture_bytes, upload
from purei.marketing.models import Story, StoryImage
from purei.marketing.rendering import story_html, story_sections
from purei.marketing.services import (
    StoryInput,
    story_create,
    story_image_add,
    story_image_delete,
    story_publish,
    story_unpublish,
    story_update,
)
from purei.marketing.story_text import story_blocks
from purei.marketing.tests.factories import StoryFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _story(actor, cluster, **values):
    values.setdefault("title_en", "Fair day")
    return story_create(actor=actor, cluster=cluster, details=StoryInput(**values))


# --- Writing ---------------------------------------------------------------------


def test_an_admin_writes_a_draft_then_publishes_it(cluster_x, cluster_x_admin):
    # when
    story = _story(cluster_x_admin, cluster_x, body_en="Come early.")
    # then
    assert (story.slug, story.status, story.published_at) == ("fair-day", "draft", None)
    assert Client().get("/c/cluster-x/stories/fair-day/").status_code == 404
    # when
    story_publish(actor=cluster_x_admin, story=story)
    # then
    assert story.published_at is not None
    assert Client().get("/c/cluster-x/stories/fair-day/").status_code == 200
    verbs = list(AuditEntry.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs == ["story.created", "story.published"]


def test_a_story_needs_a_title_in_one_language(cluster_x, cluster_x_admin):
    with pytest.raises(ValidationFailed) as refused:
        _story(cluster_x_admin, cluster_x, title_en="", body_en="Text")
    assert "title_en" in refused.value.errors
    assert Story.objects.exists() is False


def test_a_te_reo_story_needs_no_english(cluster_x, cluster_x_admin):
    story = _story(
        cluster_x_admin,
        cluster_x,
        title_en="",
        title_mi="Nau mai, haere mai",
        body_mi="He kōrero.",
    )
    assert story.slug == "nau-mai-haere-mai"
    assert story.languages == ["mi"]


def test_slugs_stay_unique_in_a_cluster(cluster_x, cluster_x_admin):
    _story(cluster_x_admin, cluster_x)
    second = _story(cluster_x_admin, cluster_x)
    assert second.slug == "fair-day-2"
    with pytest.raises(ValidationFailed) as refused:
        _story(cluster_x_admin, cluster_x, slug="fair-day")
    assert "slug" in refused.value.errors


def test_only_the_clusters_admins_write_its_stories(
    cluster_x, cluster_x_admin, cluster_y_admin, platform_staff, member_a_owner
):
    story = _story(cluster_x_admin, cluster_x)
    for actor in (cluster_y_admin, platform_staff, member_a_owner):
        with pytest.raises(NotPermitted):
            _story(actor, cluster_x)
        with pytest.raises(NotPermitted):
            story_update(
                actor=actor, story=story, details=StoryInput(title_en="Hacked")
            )
        with pytest.raises(NotPermitted):
            story_publish(actor=actor, story=story)
    story.refresh_from_db()
    assert (story.title_en, story.status) == ("Fair day", "draft")
    assert Story.objects.count() == 1


def test_unpublishing_takes_it_off_the_storefront(cluster_x, cluster_x_admin):
    story = StoryFactory.create(cluster=cluster_x, slug="s")
    story_unpublish(actor=cluster_x_admin, story=story)
    assert Client().get("/c/cluster-x/stories/s/").status_code == 404


# --- Pictures ------------------------------------------------------------------------


def test_a_picture_is_checked_cleaned_and_placed_by_its_number(
    cluster_x, cluster_x_admin
):
    # given
    story = _story(
        cluster_x_admin, cluster_x, body_en="Before.\n\n![Stalls](image:1)\n\nAfter."
    )
    # when
    image = story_image_add(
        actor=cluster_x_admin,
        story=story,
        image=upload("stalls.jpg", picture_bytes(900, 600, gps=True)),
        alt_text="Stalls along the Square",
    )
    # then
    assert image.number == 1
    name = image.image.name or ""
    assert name.startswith("marketing/stories/")
    assert "stalls" not in name  # never the uploader's own name
    assert image.renditions  # WebP and JPEG copies
    kinds = [s.kind for s in story_sections(story, "en")]
    assert kinds == ["text", "picture", "text"]
    html = story_html(story, "en")
    assert 'alt="Stalls along the Square"' in html
    assert "<figcaption>Stalls</figcaption>" in html
    assert "https://purei.test/media/renditions/marketing/stories/" in html


def test_a_file_that_is_not_a_picture_is_refused(cluster_x, cluster_x_admin):
    story = _story(cluster_x_admin, cluster_x)
    with pytest.raises(ValidationFailed) as refused:
        story_image_add(
            actor=cluster_x_admin,
            story=story,
            image=upload("x.svg", SVG_BYTES, "image/svg+xml"),
            alt_text="A drawing",
        )
    assert "image" in refused.value.errors
    assert StoryImage.objects.exists() is False


def test_a_picture_needs_a_description(cluster_x, cluster_x_admin):
    story = _story(cluster_x_admin, cluster_x)
    with pytest.raises(ValidationFailed) as refused:
        story_image_add(
            actor=cluster_x_admin, story=story, image=upload(), alt_text=" "
        )
    assert "alt_text" in refused.value.errors


def test_a_picture_not_placed_in_the_text_comes_after_it(cluster_x, cluster_x_admin):
    story = _story(cluster_x_admin, cluster_x, body_en="Only text.")
    story_image_add(actor=cluster_x_admin, story=story, image=upload(), alt_text="A")
    assert [s.kind for s in story_sections(story, "en")] == ["text", "picture"]


def test_removing_a_picture_is_audited(cluster_x, cluster_x_admin):
    story = _story(cluster_x_admin, cluster_x)
    image = story_image_add(
        actor=cluster_x_admin, story=story, image=upload(), alt_text="A"
    )
    story_image_delete(actor=cluster_x_admin, image=image)
    assert StoryImage.objects.exists() is False
    assert AuditEntry.objects.filter(verb="story.image_removed").count() == 1


# --- Sanitising --------------------------------------------------------------------


def test_markdown_is_sanitised_like_a_members_story():
    blocks = story_blocks(
        "# Big\n\nHi <script>alert(1)</script> **there** "
        "[x](javascript:alert(1)) [ok](https://example.nz) "
        "<img src=x onerror=alert(1)> ![remote](https://evil.example/p.png)\n\n"
        '<iframe src="https://evil.example"></iframe>'
    )
    html = "".join(getattr(block, "html", "") for block in blocks)
    assert "<script" not in html
    assert "alert(1)</" not in html
    assert "javascript:" not in html
    assert "<img" not in html
    assert "evil.example" not in html
    assert "<iframe" not in html
    assert "<strong>there</strong>" in html
    assert '<a href="https://example.nz" rel="nofollow noopener">ok</a>' in html
    assert "<h3>Big</h3>" in html


# --- The storefront ------------------------------------------------------------------


def test_the_story_pages_mark_te_reo_with_lang_mi(cluster_x):
    # given
    StoryFactory.create(
        cluster=cluster_x,
        slug="both",
        title_en="Welcome",
        body_en="In English.",
        title_mi="Nau mai, haere mai",
        body_mi="He kōrero i te reo.",
    )
    # when
    english = Client().get("/c/cluster-x/stories/both/").content.decode()
    maori = Client().get("/mi/c/cluster-x/stories/both/").content.decode()
    # then: English first, then the te reo version marked; in te reo, only it
    assert english.index("In English.") < english.index("He kōrero i te reo.")
    assert '<div class="story__body" lang="mi">' in english
    assert '<h1 lang="mi">Nau mai, haere mai</h1>' in maori
    assert "In English." not in maori
    listing = Client().get("/mi/c/cluster-x/stories/").content.decode()
    assert 'lang="mi">Nau mai, haere mai</a>' in listing


def test_a_te_reo_title_alone_is_a_subtitle(cluster_x):
    StoryFactory.create(
        cluster=cluster_x, slug="s", title_en="Welcome", title_mi="Nau mai, haere mai"
    )
    page = Client().get("/mi/c/cluster-x/stories/s/").content.decode()
    assert "<h1>Welcome</h1>" in page
    assert '<p class="lede" lang="mi">Nau mai, haere mai</p>' in page


def test_stories_of_another_cluster_or_drafts_are_not_shown(cluster_x, cluster_y):
    StoryFactory.create(cluster=cluster_y, slug="theirs", title_en="Theirs")
    StoryFactory.create(
        cluster=cluster_x,
        slug="draft",
        title_en="Draft",
        status="draft",
        published_at=None,
    )
    assert Client().get("/c/cluster-x/stories/theirs/").status_code == 404
    body = Client().get("/c/cluster-x/stories/").content.decode()
    assert "Theirs" not in body
    assert "Draft" not in body


def test_the_list_page_takes_a_bounded_number_of_queries(
    cluster_x, django_assert_max_num_queries
):
    for n in range(12):
        StoryFactory.create(cluster=cluster_x, slug=f"s{n}")
    with django_assert_max_num_queries(8):
        response = Client().get("/c/cluster-x/stories/")
    assert response.status_code == 200


def test_the_atom_feed_lists_published_stories_with_their_language(cluster_x):
    # given
    StoryFactory.create(
        cluster=cluster_x,
        slug="en",
        title_en="English story",
        summary_en="Summary",
        body_en="**Body**",
    )
    StoryFactory.create(
        cluster=cluster_x,
        slug="mi",
        title_en="",
        title_mi="Nau mai",
        summary_en="",
        body_en="",
        body_mi="He kōrero.",
    )
    StoryFactory.create(
        cluster=cluster_x, slug="draft", status="draft", published_at=None
    )
    # when
    response = Client().get("/c/cluster-x/stories/feed.xml")
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    entries = feed.findall(f"{ATOM}entry")
    titles = {e.findtext(f"{ATOM}title"): e for e in entries}
    assert set(titles) == {"English story", "Nau mai"}
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert titles["Nau mai"].get(lang) == "mi"
    content = titles["English story"].findtext(f"{ATOM}content") or ""
    assert "<strong>Body</strong>" in content
    link = titles["English story"].find(f"{ATOM}link")
    assert link is not None
    assert str(link.get("href")).endswith("/c/cluster-x/stories/en/")


def test_the_feed_of_an_unknown_cluster_is_404(db):
    assert Client().get("/c/nowhere/stories/feed.xml").status_code == 404
