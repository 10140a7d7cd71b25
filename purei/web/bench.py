"""The benchmark's ceiling: a bare Django page, served only when ``BENCH_CEILING``.

One view that renders 24 hard-coded product cards through the same Django template
engine, with no database, no session and no context processors: what one request
costs here when Pūrei does nothing of its own. ``make bench`` loads it beside the
storefront's pages and prints each page as a percentage of it (issue 18,
docs/performance.md).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template

CARDS = [
    {
        "title": f"Product {number}",
        "maker": f"Maker {number % 7}",
        "price": f"${10 + number}.50",
        "url": f"/c/bench/p/maker-{number % 7}/product-{number}/",
        "image": f"/media/bench/{number}.webp",
    }
    for number in range(1, 25)
]


def ceiling_view(request: HttpRequest) -> HttpResponse:
    html = get_template("web/bench_ceiling.html").render({"cards": CARDS})
    return HttpResponse(html)
