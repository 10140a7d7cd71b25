"""The trade buyer's view of the shop, ``/c/<slug>/trade/products/``: every variant
offered to trade, its price excluding GST in the buyer's currency (its own price,
the currency's list, or converted from NZD — said which), the RRP beside it, the
minimum order, pack size and quantity breaks. Approved buyers of the cluster only;
everyone else is sent to the trade page (logged out: to log in)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from purei.catalogue.models import Variant
from purei.catalogue.selectors import public_now
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.text import fold
from purei.trade.offers import trade_offers
from purei.trade.selectors import exchange_rates_current, trade_account_for_buyer

PAGE_SIZE = 50
MAX_QUERY = 100


@login_required
@require_GET
def products_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    account = trade_account_for_buyer(actor=actor, cluster=cluster)
    if account is None or not account.is_approved:
        return redirect(reverse("trade:home", kwargs={"slug": cluster.slug}))
    query = str(request.GET.get("q", "")).strip()[:MAX_QUERY]
    variants = (
        Variant.objects.filter(
            product__in=public_now(cluster), trade_price_cents__isnull=False
        )
        .select_related("product", "member")
        .order_by("member__trading_name", "product__title_en", "position", "pk")
    )
    if query:
        folded = fold(query)
        variants = variants.filter(
            Q(product__search_text__contains=folded) | Q(sku__iexact=query)
        )
    page = Paginator(variants, PAGE_SIZE).get_page(request.GET.get("page"))
    rate = exchange_rates_current(cluster).get(account.currency)
    offers = trade_offers(account=account, variants=list(page.object_list), rate=rate)
    rows = [offers[v.pk] for v in page.object_list if v.pk in offers]
    return render(
        request,
        "trade/products.html",
        {
            "cluster": cluster,
            "account": account,
            "page": page,
            "rows": rows,
            "rate": rate,
            "query": query,
            "needs_rate": account.currency != "NZD" and rate is None,
        },
    )
