from django.contrib import admin
from django.urls import include, path

from purei.api.api import api
from purei.web.views import favicon_view

urlpatterns = [
    path("", include("purei.web.urls")),
    path("", include("purei.clusters.urls")),
    path("", include("purei.members.urls")),
    path("", include("purei.catalogue.urls")),
    path("", include("purei.orders.urls")),
    path("", include("purei.ledger.urls")),
    path("", include("purei.settlement.urls")),
    path("", include("purei.trade.urls")),
    path("accounts/", include("purei.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon_view),
]
