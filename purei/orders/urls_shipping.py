"""Shipping rates and pickup: members' and clusters' manage screens."""

from django.urls import URLPattern, path

from .views import hub, shipping

urlpatterns: list[URLPattern] = [
    path(
        "manage/members/<slug:slug>/shipping/",
        shipping.member_shipping_view,
        name="member-shipping",
    ),
    path(
        "manage/clusters/<slug:slug>/shipping/",
        shipping.cluster_shipping_view,
        name="cluster-shipping",
    ),
    path(
        "manage/clusters/<slug:slug>/pickup-events/",
        shipping.pickup_event_list_view,
        name="pickup-events",
    ),
    path(
        "manage/clusters/<slug:slug>/pickup-events/new/",
        shipping.pickup_event_create_view,
        name="pickup-event-create",
    ),
    path(
        "manage/clusters/<slug:slug>/pickup-events/<int:pk>/update/",
        shipping.pickup_event_update_view,
        name="pickup-event-update",
    ),
    path(
        "manage/clusters/<slug:slug>/pickup-events/<int:pk>/cancel/",
        shipping.pickup_event_cancel_view,
        name="pickup-event-cancel",
    ),
    path("manage/clusters/<slug:slug>/hub/", hub.hub_view, name="cluster-hub"),
    path(
        "manage/clusters/<slug:slug>/hub/settings/",
        hub.hub_settings_view,
        name="cluster-hub-settings",
    ),
    path(
        "manage/members/<slug:slug>/orders/<str:number>/hub-drop/",
        hub.member_hub_drop_view,
        name="member-hub-drop",
    ),
]
