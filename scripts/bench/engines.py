"""Jinja2 against the Django template language on the storefront's hot templates.

``python -m scripts.bench.engines`` with the bench's ``DATABASE_URL`` (and
``PUREI_DATA_DIR``) set, after ``make bench`` (SIZE=1000, SQLite) has generated the
data and collected the static files (the manifest ``{% static %}`` reads)::

    DATABASE_URL=sqlite:///$PWD/data/bench-1000.sqlite3 PUREI_DATA_DIR=data/bench \\
        .venv/bin/python -m scripts.bench.engines

Issue 18, ADR 0024. It picks the live cluster whose shop has the most products, builds
the shop's first page as ``shop_view`` does (the same search, cards, slots, facets
and paging: ``purei.catalogue.views.public``), and renders it through both engines:

- **DTL**: the production templates (``catalogue/public/_card.html``,
  ``_results.html`` and ``shop.html`` in its layouts) through the project's engine
  (cached loader);
- **Jinja2**: their ports in ``scripts/bench/jinja/`` through Django's own
  ``django.template.backends.jinja2.Jinja2`` backend with the same context
  processors, ``environment()`` below giving them the same helpers
  (gettext/ngettext/pgettext, ``url``, ``static``, ``picture``, ``cluster_path``,
  ``cart_count``, ``htmx_script``, the ``mi`` filter …).

It checks first that both engines give the same HTML, then times, for each engine,
one card (with and without the request, i.e. the context processors), the page's
24 cards, the results fragment with its cards already rendered (a warm card cache)
and with its 24 cards (a cold one), and the shop page around the results: the
median of ``--rounds`` rounds of ``--repeat`` renders (a tenth of that for the
fragments and the page), the engines taking turns in each round, wall
(``perf_counter``) and process CPU time (``process_time``). Then it requests the
shop, a product page and the cluster's storefront in-process
(``django.test.Client``, production settings), warm and with the result caches
off, and reports how much of each request the Django template renders take (every
top-level render through the engine, timed, with the SQL run inside it counted
apart; the includes inside them count in their parent) and what the measured
speed-ups would save of it.
Nothing here changes a production template, view or setting.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import urlencode
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext, npgettext, pgettext
from django_htmx.jinja import htmx_script as base_htmx_script

from purei.core.templatetags.pictures import picture
from purei.web.templatetags.te_reo import maori_lang_attribute, mark_maori

JINJA_DIR = Path(__file__).resolve().parent / "jinja"
CARD = "catalogue/public/_card.html"
RESULTS = "catalogue/public/_results.html"
SHOP = "catalogue/public/shop.html"
HOST = "127.0.0.1"
TIMES = "\N{MULTIPLICATION SIGN}"


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# --- The Jinja2 side -----------------------------------------------------------


def url(name: str, *args: object, **kwargs: object) -> str:
    """``{% url name arg … %}`` as ``{{ url(name, arg, …) }}``."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


@jinja2.pass_context
def cluster_path(context: Any, cluster: Any, suffix: str = "") -> str:
    """``{% cluster_path cluster "shop/" %}`` (the same function: it reads only
    ``request`` from the context)."""
    from purei.clusters.templatetags import cluster_brand

    return cluster_brand.cluster_path(context, cluster, suffix)


@jinja2.pass_context
def platform_url(context: Any) -> str:
    from purei.clusters.templatetags import cluster_brand

    return cluster_brand.platform_url(context)


@jinja2.pass_context
def cart_count(context: Any, cluster: Any) -> int:
    """``{% cart_count cluster as count %}``: from the session, no query."""
    from purei.orders.templatetags.shop import cart_count as tag

    return tag(context, cluster)


@jinja2.pass_context
def htmx_script(context: Any) -> SafeString:
    """``{% htmx_script %}``: django-htmx's own Jinja2 helper."""
    return base_htmx_script(nonce=context.get("csp_nonce"))


def environment(**options: Any) -> jinja2.Environment:
    """The Jinja2 environment of the ports: autoescaping (set by Django's backend),
    the i18n extension over Django's own gettext functions (so ``{% trans %}`` and
    ``_()`` find the same msgids in the same catalogues), and the project's
    helpers as globals and filters. Whitespace is kept as the Django template
    language keeps it (the trailing newline too)."""
    extensions = [*options.pop("extensions", []), "jinja2.ext.i18n"]
    options.setdefault("keep_trailing_newline", True)
    options.pop("autoescape", None)  # Django's backend passes True: always on
    env = jinja2.Environment(autoescape=True, extensions=extensions, **options)
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext, ngettext, newstyle=False, pgettext=pgettext, npgettext=npgettext
    )
    env.globals.update(
        url=url,
        static=static,
        picture=picture,
        cluster_path=cluster_path,
        platform_url=platform_url,
        cart_count=cart_count,
        htmx_script=htmx_script,
    )
    env.filters.update(
        mi=mark_maori,
        mi_lang=maori_lang_attribute,
        date=date_filter,
        urlencode=urlencode,
    )
    return env


def jinja_backend() -> Any:
    """Django's Jinja2 backend over the ports, as ``TEMPLATES`` would configure it:
    the same context processors as the project's Django engine, so a render with a
    request costs what it costs there."""
    from django.conf import settings
    from django.template.backends.jinja2 import Jinja2

    templates: list[dict[str, Any]] = settings.TEMPLATES
    django_engine = next(
        t for t in templates if t["BACKEND"].endswith(".DjangoTemplates")
    )
    return Jinja2(
        {
            "NAME": "bench-jinja2",
            "DIRS": [str(JINJA_DIR)],
            "APP_DIRS": False,
            "OPTIONS": {
                "environment": "scripts.bench.engines.environment",
                "context_processors": django_engine["OPTIONS"]["context_processors"],
            },
        }
    )


def dtl_backend() -> Any:
    """The project's Django template engine (production's, cached loader)."""
    from django.template import engines

    return engines["django"]


# --- The page, as shop_view builds it ------------------------------------------


@dataclass
class Page:
    """One results page's context (as ``_results_context`` makes it) and its cards,
    rendered per engine from the same data."""

    request: Any
    context: dict[str, Any]
    cards: list[Any]
    cluster: Any
    show_clusters: bool

    def card_context(self, card: Any) -> dict[str, Any]:
        from purei.catalogue.views.public import PRODUCT_CARD_SIZES

        return {
            "card": card,
            "show_clusters": self.show_clusters,
            "card_sizes": PRODUCT_CARD_SIZES,
        }

    def render_cards(self, card_template: Any) -> list[str]:
        return [
            card_template.render(self.card_context(card), self.request)
            for card in self.cards
        ]

    def shop_context(self, results_html: str) -> dict[str, Any]:
        """``shop_view``'s own context: the results come rendered (and cached)."""
        from django.utils.safestring import mark_safe

        return {
            "cluster": self.cluster,
            "q": self.context["q"],
            "results_html": mark_safe(results_html),  # noqa: S308 - rendered here
        }

    def results_context(self, cards_html: list[str]) -> dict[str, Any]:
        from django.utils.safestring import mark_safe

        from purei.catalogue.views.public import _slots

        safe = [mark_safe(html) for html in cards_html]  # noqa: S308 - rendered here
        return {
            **self.context,
            "cards_html": safe,
            "slots": _slots(self.context["results"], self.cluster, safe),
            "show_clusters": self.show_clusters,
        }


def build_page(
    path: str, cluster: Any, *, show_clusters: bool, query: dict[str, str] | None = None
) -> Page:
    """The results page at ``path`` (a shop when ``cluster``, search when not)
    with ``query``: the same search, facets and cards ``shop_view`` would show,
    with the result caches off so every card is built from the database."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.cache import SessionStore
    from django.test import RequestFactory, override_settings
    from django.urls import resolve

    from purei.catalogue.views.public import _cards, _results_context

    request = RequestFactory(HTTP_HOST=HOST).get(path, query or {})
    # What the middleware gives a first visit: a session, nobody logged in.
    request.session = SessionStore()
    request.user = AnonymousUser()
    request.resolver_match = resolve(path)
    with override_settings(SEARCH_CACHE_SECONDS=0):
        context = _results_context(request, path, cluster, show_clusters=show_clusters)
    cards = _cards(context["results"], cluster)
    return Page(request, context, cards, cluster, show_clusters)


# The same characters escaped by Django (``escape``) and by MarkupSafe (Jinja2).
ENTITIES = {"&#39;": "&#x27;", "&#34;": "&quot;"}
# A CSRF token is masked afresh each time it is printed, whatever the engine.
CSRF = re.compile(r'("X-CSRFToken": ")[A-Za-z0-9]+(")')


def normalise(html: str) -> str:
    """Whitespace runs as one space, none between tags, and one spelling of each
    escaped quote: what a browser's DOM and the accessibility tree make of the
    same markup."""
    for theirs, ours in ENTITIES.items():
        html = html.replace(theirs, ours)
    html = CSRF.sub(r"\1(token)\2", html)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@dataclass(frozen=True)
class Difference:
    what: str
    dtl: str
    jinja: str

    def __str__(self) -> str:
        """Where the normalised HTML first differs, with some context."""
        ours, theirs = normalise(self.dtl), normalise(self.jinja)
        at = next(
            (i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b),
            min(len(ours), len(theirs)),
        )
        start = max(0, at - 80)
        return (
            f"{self.what} at {at}: DTL …{ours[start : at + 80]}… "
            f"Jinja2 …{theirs[start : at + 80]}…"
        )


def differences(page: Page, dtl: Any, jinja: Any) -> list[Difference]:
    """Where the two engines' HTML for ``page`` differs (after ``normalise``):
    each card, then the results fragment built from each engine's own cards."""
    found = []
    dtl_cards = page.render_cards(dtl.get_template(CARD))
    jinja_cards = page.render_cards(jinja.get_template(CARD))
    for index, (ours, theirs) in enumerate(zip(dtl_cards, jinja_cards, strict=True)):
        if normalise(ours) != normalise(theirs):
            found.append(Difference(f"card {index}", ours, theirs))
    dtl_html = dtl.get_template(RESULTS).render(
        page.results_context(dtl_cards), page.request
    )
    jinja_html = jinja.get_template(RESULTS).render(
        page.results_context(jinja_cards), page.request
    )
    if normalise(dtl_html) != normalise(jinja_html):
        found.append(Difference("results", dtl_html, jinja_html))
    if page.cluster is not None:
        dtl_page = dtl.get_template(SHOP).render(
            page.shop_context(dtl_html), page.request
        )
        jinja_page = jinja.get_template(SHOP).render(
            page.shop_context(jinja_html), page.request
        )
        if normalise(dtl_page) != normalise(jinja_page):
            found.append(Difference("shop page", dtl_page, jinja_page))
    return found


# --- Timing --------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """One render's time in microseconds: the median of the rounds' means."""

    wall_us: float
    cpu_us: float


def measure(
    renders: dict[str, Callable[[], object]], *, repeat: int, rounds: int
) -> dict[str, Timing]:
    """Each of ``renders`` timed: ``rounds`` rounds of ``repeat`` calls, the engines
    taking turns within each round (so a busy machine slows both alike); per call,
    the median of the rounds."""
    for render in renders.values():
        render()  # compile and warm
    walls: dict[str, list[float]] = {name: [] for name in renders}
    cpus: dict[str, list[float]] = {name: [] for name in renders}
    for _ in range(rounds):
        for name, render in renders.items():
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(repeat):
                render()
            cpus[name].append((time.process_time() - cpu) / repeat * 1e6)
            walls[name].append((time.perf_counter() - wall) / repeat * 1e6)
    return {
        name: Timing(statistics.median(walls[name]), statistics.median(cpus[name]))
        for name in renders
    }


@dataclass(frozen=True)
class Row:
    what: str
    dtl: Timing
    jinja: Timing

    @property
    def ratio(self) -> float:
        return self.dtl.cpu_us / self.jinja.cpu_us if self.jinja.cpu_us else 0.0


def render_rows(
    page: Page, dtl: Any, jinja: Any, *, repeat: int, rounds: int
) -> list[Row]:
    """Each hot piece of the shop page, timed on both engines. "As the view does"
    is with the request (the context processors run, as ``_cards_html`` and
    ``render_to_string`` call them); "without the request" is the template alone."""
    request = page.request
    fragment = max(1, repeat // 10)
    calls: dict[str, dict[str, Callable[[], object]]] = {}
    for name, engine in {"dtl": dtl, "jinja": jinja}.items():
        card = engine.get_template(CARD)
        results = engine.get_template(RESULTS)
        shop = engine.get_template(SHOP)
        first = page.card_context(page.cards[0])
        warm = page.results_context(page.render_cards(card))
        shop_context = page.shop_context(results.render(warm, request))

        def cold(
            card: Any = card, results: Any = results, with_request: bool = True
        ) -> str:
            on = request if with_request else None
            html: str = results.render(
                page.results_context(
                    [card.render(page.card_context(c), on) for c in page.cards]
                ),
                on,
            )
            return html

        calls[name] = {
            "card": partial(card.render, first, request),
            "card-bare": partial(card.render, first),
            "cards": partial(page.render_cards, card),
            "warm": partial(results.render, warm, request),
            "cold": cold,
            "cold-bare": partial(cold, card, results, with_request=False),
            "shop": partial(shop.render, shop_context, request),
        }
    timings: dict[str, dict[str, Timing]] = {"dtl": {}, "jinja": {}}
    for key in calls["dtl"]:
        measured = measure(
            {name: calls[name][key] for name in ("dtl", "jinja")},
            repeat=repeat if key.startswith("card-") or key == "card" else fragment,
            rounds=rounds,
        )
        for name, timing in measured.items():
            timings[name][key] = timing
    count = len(page.cards)
    labels = {
        "card": "one product card (`_card.html`), as the view renders it",
        "card-bare": "one product card, without the request (no context processors)",
        "cards": f"the page's {count} cards, as `_cards_html` renders them",
        "warm": "results fragment, cards already rendered (`_results.html`)",
        "cold": f"results fragment with its {count} cards (a cold card cache)",
        "cold-bare": f"results fragment with its {count} cards, without the request",
        "shop": "shop page around the rendered results (`shop.html` and its layouts)",
    }
    return [
        Row(label, timings["dtl"][key], timings["jinja"][key])
        for key, label in labels.items()
    ]


# --- The share of a real request ---------------------------------------------


@dataclass
class RenderClock:
    """Time spent in top-level Django template renders (an include counts in the
    template that includes it; a render inside a render is not counted twice)."""

    wall: float = 0.0
    cpu: float = 0.0
    renders: int = 0
    depth: int = 0
    queries: int = 0  # run while a template renders (a tag's, a lazy queryset's)
    query_cpu: float = 0.0


@contextmanager
def clocked_renders() -> Iterator[RenderClock]:
    from contextlib import ExitStack

    from django.db import connections
    from django.template.backends.django import Template

    clock = RenderClock()
    original = Template.render

    def timed_query(
        execute: Any, sql: Any, params: Any, many: Any, context: Any
    ) -> Any:
        if not clock.depth:
            return execute(sql, params, many, context)
        cpu = time.process_time()
        try:
            return execute(sql, params, many, context)
        finally:
            clock.queries += 1
            clock.query_cpu += time.process_time() - cpu

    def render(self: Any, context: Any = None, request: Any = None) -> Any:
        if clock.depth:
            return original(self, context, request)
        clock.depth += 1
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return original(self, context, request)
        finally:
            clock.wall += time.perf_counter() - wall
            clock.cpu += time.process_time() - cpu
            clock.renders += 1
            clock.depth -= 1

    Template.render = render  # type: ignore[method-assign]
    try:
        with ExitStack() as stack:
            for alias in connections:  # the replica's too (replica_reads_view)
                stack.enter_context(connections[alias].execute_wrapper(timed_query))
            yield clock
    finally:
        Template.render = original  # type: ignore[method-assign]


@dataclass(frozen=True)
class Share:
    page: str
    caches: str
    request_ms: float  # median wall time of a request
    request_cpu_ms: float
    template_ms: float  # median wall time in template renders, same requests
    template_cpu_ms: float
    renders: int
    queries: int  # in the renders
    query_cpu_ms: float  # their CPU time, inside template_cpu_ms

    @property
    def share(self) -> float:
        return self.template_cpu_ms / self.request_cpu_ms if self.request_cpu_ms else 0

    @property
    def engine_cpu_ms(self) -> float:
        """The renders' CPU time less the SQL they ran: what an engine can change."""
        return max(0.0, self.template_cpu_ms - self.query_cpu_ms)

    def saved(self, speedup: float) -> float:
        return self.engine_cpu_ms * (1 - 1 / speedup) if speedup > 0 else 0.0


def page_share(path: str, label: str, *, warm: bool, repeat: int) -> Share:
    """``path`` requested ``repeat`` times in-process (after two warm-up requests),
    with the result caches on (``warm``) or off."""
    from django.test import Client, override_settings

    client = Client(HTTP_HOST=HOST)
    overrides = {} if warm else {"SEARCH_CACHE_SECONDS": 0}
    rows = []
    with override_settings(**overrides):
        for _ in range(2):  # the result caches filled (when on), the code warm
            client.get(path)
        for _ in range(repeat):
            with clocked_renders() as clock:
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                done = (time.perf_counter() - wall, time.process_time() - cpu)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            rows.append(
                (
                    done[0],
                    done[1],
                    clock.wall,
                    clock.cpu,
                    clock.renders,
                    clock.queries,
                    clock.query_cpu,
                )
            )
    return Share(
        label,
        "warm" if warm else "off",
        statistics.median(r[0] for r in rows) * 1000,
        statistics.median(r[1] for r in rows) * 1000,
        statistics.median(r[2] for r in rows) * 1000,
        statistics.median(r[3] for r in rows) * 1000,
        rows[-1][4],
        rows[-1][5],
        statistics.median(r[6] for r in rows) * 1000,
    )


# --- The run -------------------------------------------------------------------


def pick_cluster() -> Any:
    """The live cluster whose shop has the most products."""
    from django.http import Http404

    from purei.catalogue.search import search_products
    from purei.clusters.models import Cluster
    from purei.clusters.selectors import cluster_get_live
    from purei.core.actor import Actor

    best, most = None, -1
    for slug in Cluster.objects.values_list("slug", flat=True):
        try:
            cluster = cluster_get_live(actor=Actor.anonymous(), slug=slug)
        except Http404:  # not live: no shop
            continue
        total = search_products(query="", cluster=cluster, per_page=1).total
        if total > most:
            best, most = cluster, total
    if best is None:
        raise SystemExit("No live cluster: load the bench data (make bench) first.")
    return best


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| render | DTL µs (CPU) | Jinja2 µs (CPU) | DTL ÷ Jinja2 | "
        "DTL µs (wall) | Jinja2 µs (wall) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines.extend(
        f"| {row.what} | {row.dtl.cpu_us:,.0f} | {row.jinja.cpu_us:,.0f} | "
        f"{row.ratio:.2f}{TIMES} | {row.dtl.wall_us:,.0f} | {row.jinja.wall_us:,.0f} |"
        for row in rows
    )
    return lines


def share_table(shares: list[Share], page_ratio: float, best_ratio: float) -> list[str]:
    """Each page's request, what its Django template renders take of it, and what
    Jinja2 would save of that at the shop page's measured ratio and at the best
    ratio measured (an upper bound)."""
    lines = [
        "| page | result caches | request ms (CPU) | in DTL renders ms (share) | "
        "SQL run inside them | renders | saved at "
        f"{page_ratio:.2f}{TIMES} ms | saved at {best_ratio:.2f}{TIMES} ms | "
        "request ms (wall) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for share in shares:
        low, high = share.saved(page_ratio), share.saved(best_ratio)
        total = share.request_cpu_ms or 1.0
        lines.append(
            f"| {share.page} | {share.caches} | {share.request_cpu_ms:.1f} | "
            f"{share.template_cpu_ms:.1f} ({share.share:.0%}) | "
            f"{share.queries} q, {share.query_cpu_ms:.1f} ms | {share.renders} | "
            f"{low:.1f} ({low / total:.0%}) | {high:.1f} ({high / total:.0%}) | "
            f"{share.request_ms:.1f} |"
        )
    return lines


def run(
    *, repeat: int, rounds: int, requests: int, pages: bool = True
) -> tuple[list[Row], list[Share]]:
    from django.urls import reverse

    cluster = pick_cluster()
    shop = reverse("catalogue:shop", kwargs={"slug": cluster.slug})
    page = build_page(shop, cluster, show_clusters=False)
    dtl, jinja = dtl_backend(), jinja_backend()
    wrong = differences(page, dtl, jinja)
    if wrong:
        raise SystemExit(f"The engines' HTML differs: {wrong[0]}")
    say(
        f"Shop of {cluster.slug!r}, page 1: {len(page.cards)} cards, "
        f"{page.context['results'].total} products; both engines give the same HTML."
    )
    rows = render_rows(page, dtl, jinja, repeat=repeat, rounds=rounds)
    shares: list[Share] = []
    if pages:
        product = next((card.url for card in page.cards if card.url), "")
        home = reverse("catalogue:cluster-home", kwargs={"slug": cluster.slug})
        for warm in (True, False):
            shares.append(page_share(shop, "shop", warm=warm, repeat=requests))
            if product:
                shares.append(
                    page_share(product, "product", warm=warm, repeat=requests)
                )
            shares.append(page_share(home, "storefront", warm=warm, repeat=requests))
    return rows, shares


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=400, help="renders per round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=30, help="per page")
    parser.add_argument("--no-pages", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purei.settings")
    import django

    django.setup()
    from django.db import connection

    load = os.getloadavg()
    rows, shares = run(
        repeat=args.repeat,
        rounds=args.rounds,
        requests=args.requests,
        pages=not args.no_pages,
    )
    say(
        f"\n{connection.vendor}, {args.rounds} rounds of {args.repeat} renders "
        f"(÷10 for the 24 cards, fragments and page); "
        f"load average {load[0]:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after\n"
    )
    for line in table(rows):
        say(line)
    if shares:
        page_ratio = rows[-1].ratio  # the page layout: what a warm page renders
        best_ratio = max(row.ratio for row in rows)
        say(f"\n{args.requests} requests per page, in-process (django.test.Client)\n")
        for line in share_table(shares, page_ratio, best_ratio):
            say(line)


if __name__ == "__main__":
    main()
