"""Marketing's pages, in each language (inside ``i18n_patterns``)."""

from django.urls import URLPattern, URLResolver, path

from .views import found, newsletter, notify, reviews, stories, windows

app_name = "marketing"

urlpatterns: list[URLPattern | URLResolver] = []

# --- Stories and newsletters (docs/marketing.md "Stories and newsletters") ---------
urlpatterns += [
    path("c/<slug:slug>/stories/", stories.story_list_view, name="stories"),
    path("c/<slug:slug>/stories/<slug:story>/", stories.story_view, name="story"),
    path(
        "c/<slug:slug>/newsletter/",
        newsletter.subscribe_view,
        name="newsletter-subscribe",
    ),
    path(
        "c/<slug:slug>/newsletter/sent/",
        newsletter.subscribe_sent_view,
        name="newsletter-sent",
    ),
    path(
        "c/<slug:slug>/newsletter/confirm/<str:token>/",
        newsletter.confirm_view,
        name="newsletter-confirm",
    ),
    path(
        "c/<slug:slug>/newsletter/unsubscribe/<str:token>/",
        newsletter.unsubscribe_view,
        name="newsletter-unsubscribe",
    ),
    path("c/<slug:slug>/notify/", notify.notify_request_view, name="notify-request"),
    path(
        "c/<slug:slug>/notify/confirm/<str:token>/",
        notify.notify_confirm_view,
        name="notify-confirm",
    ),
    path(
        "manage/clusters/<slug:slug>/stories/",
        stories.manage_stories_view,
        name="manage-stories",
    ),
    path(
        "manage/clusters/<slug:slug>/stories/new/",
        stories.manage_story_create_view,
        name="manage-story-create",
    ),
    path(
        "manage/clusters/<slug:slug>/stories/<int:pk>/",
        stories.manage_story_view,
        name="manage-story",
    ),
    path(
        "manage/clusters/<slug:slug>/stories/<int:pk>/images/",
        stories.manage_story_image_add_view,
        name="manage-story-image-add",
    ),
    path(
        "manage/clusters/<slug:slug>/stories/<int:pk>/images/<int:image_pk>/delete/",
        stories.manage_story_image_delete_view,
        name="manage-story-image-delete",
    ),
    path(
        "manage/clusters/<slug:slug>/newsletter/",
        newsletter.manage_newsletter_view,
        name="manage-newsletter",
    ),
    path(
        "manage/clusters/<slug:slug>/newsletter/subscribers.csv",
        newsletter.manage_subscribers_csv_view,
        name="manage-subscribers-csv",
    ),
    path(
        "manage/clusters/<slug:slug>/newsletter/addresses/",
        newsletter.manage_address_mark_view,
        name="manage-address-mark",
    ),
    path(
        "manage/clusters/<slug:slug>/newsletter/campaigns/new/",
        newsletter.manage_campaign_create_view,
        name="manage-campaign-create",
    ),
    path(
        "manage/clusters/<slug:slug>/newsletter/campaigns/<int:pk>/",
        newsletter.manage_campaign_view,
        name="manage-campaign",
    ),
]

# --- Being found (docs/marketing.md) ---
urlpatterns += [
    path(
        "c/<slug:slug>/members/<slug:member_slug>/embed/",
        found.embed_view,
        name="embed",
    ),
    path(
        "manage/members/<slug:slug>/embed/",
        found.member_embed_view,
        name="member-embed",
    ),
]

# --- Reviews (docs/marketing.md "Reviews") ---
urlpatterns += [
    path(
        "c/<slug:slug>/reviews/<int:product_id>/write/",
        reviews.review_write_view,
        name="review-write",
    ),
    path(
        "manage/members/<slug:slug>/reviews/",
        reviews.member_reviews_view,
        name="member-reviews",
    ),
    path(
        "manage/members/<slug:slug>/reviews/<int:pk>/reply/",
        reviews.member_review_reply_view,
        name="member-review-reply",
    ),
    path(
        "manage/clusters/<slug:slug>/reviews/",
        reviews.manage_reviews_view,
        name="manage-reviews",
    ),
    path(
        "manage/clusters/<slug:slug>/reviews/settings/",
        reviews.manage_review_settings_view,
        name="manage-review-settings",
    ),
    path(
        "manage/clusters/<slug:slug>/reviews/<int:pk>/",
        reviews.manage_review_view,
        name="manage-review",
    ),
]

# --- Sales windows and events (issue 14; the windows are orders', ADR 0016) ---------
urlpatterns += [
    path("c/<slug:slug>/calendar/", windows.calendar_view, name="calendar"),
    path("c/<slug:slug>/windows/<int:pk>/", windows.window_view_page, name="window"),
    path(
        "c/<slug:slug>/notify/window/",
        windows.window_notify_view,
        name="window-notify",
    ),
]
