"""The webhooks manage pages."""

from django.urls import URLPattern

app_name = "webhooks"

urlpatterns: list[URLPattern] = []
