"""``/healthz``, ``/readyz`` and ``/metrics`` (purei.operations.views); one address
in every language."""

from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("healthz", views.healthz_view, name="healthz"),
    path("readyz", views.readyz_view, name="readyz"),
    path("metrics", views.metrics_view, name="metrics"),
]
