"""Pūrei's URLconf.

Pages have one address per language: English at ``/…`` and te reo Māori at
``/mi/…`` (``i18n_patterns`` without a prefix for the default language, so every
English address is what it always was and ``reverse()`` gives the active language's
address). The path alone decides the language of a page; the cookie does not
(docs/te-reo.md).

Language-neutral addresses — the API, the admin, webhooks, public media, the
favicon, the language switch's POST and the operators' ``/healthz``, ``/readyz``
and ``/metrics`` — stay outside ``i18n_patterns``: one address
in every language, never a ``/mi/`` twin. Static files are served by WhiteNoise
before any URLconf.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from purei.api.api import api
from purei.catalogue.views.home import platform_home_view
from purei.members.views.media import public_media_view
from purei.settlement.views.webhooks import stripe_cluster_webhook, stripe_webhook
from purei.web.bench import ceiling_view
from purei.web.views import favicon_view, set_language_view

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon_view),
    # The old language switch posted here; it still works (and redirects to the
    # other language's address of the page it came from).
    path("i18n/setlang/", set_language_view, name="set_language"),
    # Public pictures (logos, photos, cluster brand images); never evidence files.
    path("media/<path:path>", public_media_view, name="media"),
    # The address registered in Stripe's dashboard.
    path("payments/stripe/webhook/", stripe_webhook, name="stripe-webhook"),
    # A cluster with its own Stripe keys registers this one (ADR 0021).
    path(
        "payments/stripe/webhook/<slug:slug>/",
        stripe_cluster_webhook,
        name="stripe-cluster-webhook",
    ),
    # Health, readiness and metrics for the load balancer and Prometheus
    # (docs/operations.md "Observability").
    path("", include("purei.operations.urls")),
    # robots.txt, sitemaps and feeds: one address in every language.
    path("", include("purei.marketing.urls_neutral")),
    *i18n_patterns(
        # Pūrei's home shows clusters and products, so the catalogue serves it;
        # its name stays web:home.
        path("", include(([path("", platform_home_view, name="home")], "web"))),
        path("", include("purei.clusters.urls")),
        path("", include("purei.members.urls")),
        path("", include("purei.catalogue.urls")),
        path("", include("purei.orders.urls")),
        path("", include("purei.ledger.urls")),
        path("", include("purei.promotions.urls")),
        path("", include("purei.settlement.urls")),
        path("", include("purei.trade.urls")),
        path("", include("purei.marketing.urls")),
        path("", include("purei.cooperation.urls")),
        path("", include("purei.insights.urls")),
        # Before accounts/ (its addresses sit under /accounts/ too).
        path("", include("purei.privacy.urls")),
        path("", include("purei.apikeys.urls")),
        path("", include("purei.webhooks.urls")),
        path("accounts/", include("purei.accounts.urls")),
        prefix_default_language=False,
    ),
]

if settings.BENCH_CEILING:  # make bench's bare page (purei/web/bench.py)
    urlpatterns.insert(0, path("__bench__/ceiling/", ceiling_view))

# Under /api/, Django's own 400, 404 and 500 answer in the API's error shape.
handler400 = "purei.api.handlers.bad_request"
handler404 = "purei.api.handlers.page_not_found"
handler500 = "purei.api.handlers.server_error"
