"""The storefront's shopper pages timed in-process: queries, SQL, CPU, rendering.

``python -m scripts.bench.pages`` with the bench's ``DATABASE_URL`` (and
``PUREI_DATA_DIR``) set, as for ``scripts.bench.profile``. It picks the seven pages of
issue 18 from the bench database (the biggest cluster's home, its shop, one of its
categories, a product page, a maker's page, a search, an empty cart) or takes
``--url`` (several times), and requests each through ``django.test.Client``
(production settings, an anonymous visitor):

- **cold**: the cache cleared before each request (``--repeat`` of them), so every
  fragment is rendered and every query run;
- **warm**: ``--repeat`` requests after one to fill the caches.

For each it prints the queries of one request, their time in SQL, the median wall
time and the CPU time per request (``time.process_time``: what the request cost this
process, whatever else the machine runs), and with ``--profile`` where one cold
request's time went: in Django's template rendering (``Template.render``, SQL run
by template tags included), in SQL (the cursor's ``execute``), in the view before
rendering. ``SEARCH_CACHE_SECONDS=0`` turns the result caches off (then cold and
warm differ only by Python's own warm-up).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purei.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

HOST = "127.0.0.1"


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def bench_urls() -> list[tuple[str, str]]:
    """The seven pages of issue 18 in the bench database: its biggest cluster."""
    from django.db.models import Count

    from purei.catalogue.paths import product_path
    from purei.search.models import PublicProduct

    top = (
        PublicProduct.objects.values("cluster_id")
        .annotate(n=Count("product_id"))
        .order_by("-n")
        .first()
    )
    if top is None:
        raise SystemExit("No public products: generate the bench database first.")
    from purei.catalogue.models import Product
    from purei.clusters.models import Cluster

    cluster = Cluster.objects.get(pk=top["cluster_id"])
    shelf = PublicProduct.objects.filter(cluster_id=cluster.pk).order_by(
        "-created_at", "-product_id"
    )
    first = shelf.first()
    if first is None:
        raise SystemExit("The biggest cluster has no public product.")
    product = Product.objects.select_related("member", "category").get(
        pk=first.product_id
    )
    category = (
        PublicProduct.objects.filter(cluster_id=cluster.pk)
        .values("category_id")
        .annotate(n=Count("product_id"))
        .order_by("-n")
        .first()
    )
    from purei.catalogue.models import Category

    category_slug = Category.objects.get(pk=category["category_id"]).slug  # type: ignore[index]
    word = product.title_en.split()[0].lower()
    return [
        ("storefront", f"/c/{cluster.slug}/"),
        ("shop", f"/c/{cluster.slug}/shop/"),
        ("category", f"/c/{cluster.slug}/shop/?category={category_slug}"),
        ("product", product_path(cluster.slug, product.member.slug, product.slug)),
        ("maker", f"/c/{cluster.slug}/members/{product.member.slug}/"),
        ("search", f"/search/?q={word}"),
        ("cart", f"/c/{cluster.slug}/cart/"),
    ]


class QueryTimer:
    """Counts and times every query (Django's debug log rounds each to a ms)."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


@dataclass
class Figures:
    queries: int
    sql_ms: float
    wall_ms: float  # median
    cpu_ms: float  # mean


def measure(client: Client, url: str, repeat: int, *, cold: bool) -> Figures:
    cache.clear()
    response = client.get(url)  # imports, the session, the first fill
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    if cold:
        cache.clear()
    timer = QueryTimer()
    with connection.execute_wrapper(timer):
        client.get(url)
    queries, sql_ms = timer.count, timer.seconds * 1000
    walls = []
    cpu_started = time.process_time()
    for _ in range(repeat):
        if cold:
            cache.clear()
        started = time.perf_counter()
        client.get(url)
        walls.append((time.perf_counter() - started) * 1000)
    cpu = (time.process_time() - cpu_started) * 1000 / repeat
    return Figures(
        queries=queries,
        sql_ms=sql_ms,
        wall_ms=statistics.median(walls),
        cpu_ms=cpu,
    )


def _cumulative(
    stats: pstats.Stats, file_part: str, name: str, line: int | None = None
) -> float:
    """The cumulative time of a function (the outermost calls of a recursive one,
    as ``Template.render`` is through includes), in ms."""
    total = 0.0
    for (file, number, function), row in stats.stats.items():  # type: ignore[attr-defined]
        if function == name and file_part in file and line in (None, number):
            total += row[3]
    return total * 1000


def profile(client: Client, url: str) -> str:
    """Where one cold request's time goes, from a cProfile of it (which slows it
    down several times: read the shares)."""
    import django.template.base as base

    cache.clear()
    client.get(url)
    cache.clear()
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler)
    whole = _cumulative(stats, "django/core/handlers/base.py", "get_response")
    line = base.Template.render.__code__.co_firstlineno
    render = _cumulative(stats, "django/template/base.py", "render", line)
    orm = _cumulative(stats, "django/db/models/query.py", "_fetch_all")
    sql = _cumulative(stats, "django/db/backends/utils.py", "_execute")
    return (
        f"profiled {whole:.1f} ms: templates {render / whole:.0%} "
        f"(ORM inside included), ORM querysets {orm / whole:.0%}, "
        f"SQL {sql / whole:.0%}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", default=[])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    urls = [(url, url) for url in args.url] or bench_urls()
    client = Client(HTTP_HOST=HOST)
    load = os.getloadavg()
    say(
        f"{connection.vendor}, {args.repeat} requests each, load average "
        f"{load[0]:.2f} {load[1]:.2f}"
    )
    say(
        "| page | url | cold: queries | SQL ms | wall ms | CPU ms "
        "| warm: queries | SQL ms | wall ms | CPU ms |"
    )
    say("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    notes = []
    for name, url in urls:
        cold = measure(client, url, args.repeat, cold=True)
        warm = measure(client, url, args.repeat, cold=False)
        say(
            f"| {name} | `{url}` | {cold.queries} | {cold.sql_ms:.1f} | "
            f"{cold.wall_ms:.1f} | {cold.cpu_ms:.1f} | {warm.queries} | "
            f"{warm.sql_ms:.1f} | {warm.wall_ms:.1f} | {warm.cpu_ms:.1f} |"
        )
        if args.profile:
            notes.append(f"{name}: {profile(client, url)}")
    for note in notes:
        say(note)
    load = os.getloadavg()
    say(f"load average after: {load[0]:.2f} {load[1]:.2f}")


if __name__ == "__main__":
    main()
