"""Freight on quote: the cluster admins' requests and the shopper's decline
(``views/freight.py``)."""

from django.urls import URLPattern, path

from .views import freight

urlpatterns: list[URLPattern] = [
    path(
        "manage/clusters/<slug:slug>/freight-quotes/",
        freight.cluster_freight_quotes_view,
        name="cluster-freight-quotes",
    ),
    path(
        "manage/clusters/<slug:slug>/freight-quotes/<int:quote_id>/",
        freight.cluster_freight_quote_view,
        name="cluster-freight-quote",
    ),
    path(
        "orders/<slug:number>/freight/decline/",
        freight.order_freight_decline_view,
        name="order-freight-decline",
    ),
]
