"""What the load generator asks for: one entry of ``SCENARIOS`` per scenario.

A scenario builds its requests from the *facts* the catalogue generator wrote (the
clusters by size with their facet values, a sample of public product paths, words
found in the catalogue), varied so no cache can flatter the result. Each connection
of the load generator is one ``Session``, which hands out the scenario's requests
from its own random starting point. A scenario that needs state (a checkout: log in,
add to the cart, place the order) gives its own ``Session`` subclass, which sees
every response in ``on_response`` (cookies, CSRF token) and decides the next
request; ``engines`` limits it to the engines it is meant for and ``ok_statuses``
says which answers are not errors (a form post answers 302).
"""

from __future__ import annotations

import json
import random
import unicodedata
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

Facts = Mapping[str, Any]

SORTS = ("relevance", "newest", "price_asc", "price_desc")
PRICE_BANDS = ("under-25", "25-50", "50-100", "100-250", "250-up")
PER_PAGE = 24  # the shop's page size (purei.catalogue.views.public.PER_PAGE)
# Typos a shopper makes; PostgreSQL finds near-misses for them, SQLite nothing.
TYPOS = ("avacado", "kumura", "manuak", "sauvignon blanck", "oystres", "pinot nior")
# How many requests each scenario's list holds (each session cycles through it).
URLS_PER_SCENARIO = 3000


@dataclass(frozen=True)
class Request:
    path: str
    method: str = "GET"
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    # Whether its time counts in the scenario's figures (a checkout's steps before
    # the order is placed do not; their errors still count).
    measured: bool = True


class Session:
    """One simulated visitor on one connection: the next request, and a look at
    each answer (unused by the read-only scenarios)."""

    def __init__(self, requests: Sequence[Request], rng: random.Random) -> None:
        if not requests:
            raise ValueError("a scenario needs at least one request")
        self.requests = requests
        self.position = rng.randrange(len(requests))

    def next_request(self) -> Request:
        request = self.requests[self.position]
        self.position = (self.position + 1) % len(self.requests)
        return request

    def on_response(
        self, request: Request, status: int, headers: Mapping[str, str], body: bytes
    ) -> None:
        """Called with every answer; a stateful scenario keeps cookies here."""


Builder = Callable[[Facts, random.Random], list[Request]]


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    build: Builder
    concurrency: int | None = None  # fixed (search-c1); None: the run's
    session: type[Session] = Session
    engines: frozenset[str] | None = None  # None: every engine
    ok_statuses: frozenset[int] = frozenset({200})

    def sessions(self, facts: Facts, count: int, seed: int = 1) -> list[Session]:
        """``count`` sessions over one shared request list, each starting at its
        own random place (reproducible from ``seed``)."""
        requests = self.build(facts, random.Random(seed))  # noqa: S311 - not secret
        return [
            self.session(requests, random.Random(seed * 1000 + index))  # noqa: S311
            for index in range(count)
        ]

    def runs_on(self, engine: str) -> bool:
        return self.engines is None or engine in self.engines


def strip_macrons(word: str) -> str:
    """``kūmara`` → ``kumara`` (what a shopper without a macron key types)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _shop_params(cluster: Mapping[str, Any], rng: random.Random) -> dict[str, str]:
    params: dict[str, str] = {}
    facets: dict[str, list[str]] = {
        "category": list(cluster.get("categories", ())),
        "region": list(cluster.get("regions", ())),
        "member": list(cluster.get("members", ())),
        "price": list(PRICE_BANDS),
        "in_stock": ["1"],
    }
    choices = [name for name, values in facets.items() if values]
    wanted = rng.choices([0, 1, 2], weights=[45, 40, 15])[0]
    for name in rng.sample(choices, min(wanted, len(choices))):
        params[name] = rng.choice(facets[name])
    sort = rng.choice(SORTS)
    if sort != "relevance":
        params["sort"] = sort
    pages = max(1, -(-int(cluster.get("products", 0)) // PER_PAGE))
    if params.keys() - {"sort"}:
        page = rng.choice([1, 1, 1, 2])  # a filtered list is short
    else:
        page = rng.choice([1, 1, 1, 2, 2, 3, 5, 10, 25, 100])
    if min(page, pages) > 1:
        params["page"] = str(min(page, pages))
    return params


def shop_requests(
    facts: Facts, rng: random.Random, count: int = URLS_PER_SCENARIO
) -> list[Request]:
    """Shop pages of the three biggest clusters: pages, sorts and facet filters."""
    clusters = sorted(facts["clusters"], key=lambda c: -int(c["products"]))[:3]
    requests = []
    for _ in range(count):
        cluster = rng.choice(clusters)
        params = _shop_params(cluster, rng)
        query = f"?{urlencode(params)}" if params else ""
        requests.append(Request(f"/c/{cluster['slug']}/shop/{query}"))
    return requests


def product_requests(
    facts: Facts, rng: random.Random, count: int = URLS_PER_SCENARIO
) -> list[Request]:
    """Random public product pages."""
    paths = list(facts["product_paths"])
    return [Request(path) for path in rng.sample(paths, min(count, len(paths)))]


def search_queries(facts: Facts, rng: random.Random, count: int) -> list[str]:
    """Words of the catalogue, with and without macrons; two-word phrases of real
    titles; a few typos; and a few pairs of unrelated words (which find nothing, so
    PostgreSQL looks for near-misses): roughly what shoppers type."""
    words = list(facts["search_words"])
    bare = sorted({strip_macrons(w) for w in words if strip_macrons(w) != w})
    phrases = list(facts.get("search_phrases", ()))
    unrelated = [" ".join(rng.sample(words, 2)) for _ in range(count // 40)]
    queries = [*words, *bare, *TYPOS, *unrelated]
    while len(queries) < count and phrases:
        queries.extend(phrases[: count - len(queries)])
    return queries[:count]


def search_requests(
    facts: Facts, rng: random.Random, count: int = URLS_PER_SCENARIO
) -> list[Request]:
    """``/search/?q=`` over the catalogue's words: each query first by relevance
    (a tenth sorted or on a later page), then again sorted, then on pages 2 to 4."""
    requests: list[Request] = []
    queries = search_queries(facts, rng, count)
    while len(requests) < count:  # the same words again, another sort or page
        for query in queries[: count - len(requests)]:
            params = {"q": query}
            roll = rng.random()
            if roll < 0.1 or len(requests) >= len(queries):
                params["sort"] = rng.choice(SORTS[1:])
            if roll > 0.9 or len(requests) >= 2 * len(queries):
                params["page"] = str(rng.randint(2, 4))
            requests.append(Request(f"/search/?{urlencode(params)}"))
    rng.shuffle(requests)
    return requests


def home_requests(facts: Facts, rng: random.Random) -> list[Request]:
    return [Request("/")]


def ceiling_requests(facts: Facts, rng: random.Random) -> list[Request]:
    """The bare Django page (purei/web/bench.py): the ceiling the others are
    measured against."""
    return [Request("/__bench__/ceiling/")]


def _biggest(facts: Facts, count: int = 3) -> list[Mapping[str, Any]]:
    return sorted(facts["clusters"], key=lambda c: -int(c["products"]))[:count]


def storefront_requests(facts: Facts, rng: random.Random) -> list[Request]:
    """The storefronts (cluster home pages) of the three biggest clusters."""
    return [Request(f"/c/{cluster['slug']}/") for cluster in _biggest(facts)]


def category_requests(facts: Facts, rng: random.Random) -> list[Request]:
    """A category of the biggest clusters' shops, page 1, as its link opens it."""
    return [
        Request(f"/c/{cluster['slug']}/shop/?{urlencode({'category': category})}")
        for cluster in _biggest(facts)
        for category in cluster.get("categories", ())
    ]


def maker_requests(facts: Facts, rng: random.Random) -> list[Request]:
    """Makers' pages in the biggest clusters."""
    return [
        Request(f"/c/{cluster['slug']}/members/{member}/")
        for cluster in _biggest(facts)
        for member in cluster.get("members", ())
    ]


def cart_requests(facts: Facts, rng: random.Random) -> list[Request]:
    """A shopper's cart page (empty: a first visit) in the biggest clusters."""
    return [Request(f"/c/{cluster['slug']}/cart/") for cluster in _biggest(facts)]


def checkout_targets(facts: Facts, rng: random.Random) -> list[Request]:
    """What the checkout sessions buy: one request per (cluster, variant) the
    catalogue generator picked (made to order or always available, so a run never
    sells out), carried as the cart page of the cluster."""
    targets = [
        Request(f"/c/{slug}/cart/", headers={"X-Bench-Variant": str(variant)})
        for slug, variant in facts.get("checkout_variants", [])
    ]
    rng.shuffle(targets)
    return targets


CHOICE_RANK = {"pickup_event": 0, "pickup_premises": 1, "delivery": 2}


def cart_choices(body: bytes) -> dict[str, dict[str, Any]]:
    """The checkout's ``choices`` for a cart (the cart API's answer): for each
    maker's part, the fair if it offers one, else its premises, else delivery."""
    try:
        groups = json.loads(body or b"{}").get("groups", [])
    except ValueError:
        return {}
    choices = {}
    for group in groups:
        options = group.get("options") or []
        if not options:
            continue
        best = min(options, key=lambda o: CHOICE_RANK.get(o.get("method"), 3))
        choices[str(group["member_id"])] = {
            "method": best["method"],
            "event_id": best.get("event_id"),
        }
    return choices


class CheckoutSession(Session):
    """A shopper who buys one thing, again and again: the cart page (for the
    session and CSRF cookies), add a line (API), check out with the test card and
    a choice for each maker's part from the options the cart lists (the fair, else
    the maker's premises, else delivery; API). Only the checkout request is
    measured: the figures are orders placed per second and their latency."""

    def __init__(self, requests: Sequence[Request], rng: random.Random) -> None:
        super().__init__(requests, rng)
        self.rng = rng
        self.cookies: dict[str, str] = {}
        self.choices: dict[str, dict[str, Any]] = {}
        self.step = 0
        self.target = self.requests[self.position]

    def _headers(self, json_body: bool) -> dict[str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if json_body:
            headers["Content-Type"] = "application/json"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = "http://127.0.0.1/"
        return headers

    def next_request(self) -> Request:
        slug = self.target.path.split("/")[2]
        if self.step == 0 or "csrftoken" not in self.cookies:
            self.step = 0
            return Request(
                self.target.path, headers=self._headers(False), measured=False
            )
        if self.step == 1:
            body = json.dumps(
                {"variant": int(self.target.headers["X-Bench-Variant"]), "quantity": 1}
            ).encode()
            return Request(
                f"/api/v1/clusters/{slug}/cart/lines",
                method="POST",
                body=body,
                headers=self._headers(True),
                measured=False,
            )
        body = json.dumps(
            {
                "email": f"bench{self.rng.randrange(10**6)}@example.nz",
                "name": "Bench Shopper",
                "payment_method": "test",
                "payment": {
                    "card_number": "4242424242424242",
                    "expiry": "12/35",
                    "cvc": "123",
                },
                "idempotency_key": uuid.uuid4().hex,
                "address": {
                    "country": "NZ",
                    "line1": "12 Cuba Street",
                    "town": "Wellington",
                    "postcode": "6011",
                    "region": "NZ-WGN",
                },
                "choices": self.choices,
                "age_confirmed": True,
            }
        ).encode()
        return Request(
            f"/api/v1/clusters/{slug}/checkout",
            method="POST",
            body=body,
            headers=self._headers(True),
        )

    def on_response(
        self, request: Request, status: int, headers: Mapping[str, str], body: bytes
    ) -> None:
        for name, value in headers.items():
            if name.lower() != "set-cookie":
                continue
            for line in value.split("\n"):  # repeated headers, joined by load.py
                pair = line.split(";", 1)[0]
                key, _, cookie = pair.partition("=")
                self.cookies[key.strip()] = cookie.strip()
        if self.step == 0 and status == 200:
            self.step = 1
        elif self.step == 1:
            self.step = 2 if status == 201 else 0
            if status == 201:
                self.choices = cart_choices(body)
        elif self.step == 2:
            # Next purchase: another item (after a refusal, in a fresh session, so
            # the refused cart does not stay in the way).
            self.position = (self.position + 1) % len(self.requests)
            self.target = self.requests[self.position]
            self.step = 1
            if status not in (200, 201):
                self.cookies.clear()
                self.step = 0


SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        Scenario(
            "ceiling",
            "a bare Django page: 24 hard-coded cards, no database (100 %)",
            ceiling_requests,
        ),
        Scenario(
            "storefront", "a cluster's home page (its storefront)", storefront_requests
        ),
        Scenario(
            "shop", "a cluster's shop: pages, sorts, facet filters", shop_requests
        ),
        Scenario("category", "a category of a shop, page 1", category_requests),
        Scenario("maker", "a maker's page in a cluster", maker_requests),
        Scenario("cart", "a cart page, first visit (empty)", cart_requests),
        Scenario("product", "random public product pages", product_requests),
        Scenario("search", "/search/?q= across every live cluster", search_requests),
        Scenario(
            "search-c1",
            "the same searches one at a time (one query's latency)",
            search_requests,
            concurrency=1,
        ),
        Scenario("home", "the platform's home page", home_requests),
        Scenario(
            "checkout",
            "orders placed end to end (add to cart, check out, test card); "
            "figures are for the checkout request",
            checkout_targets,
            session=CheckoutSession,
            engines=frozenset({"postgres"}),
            ok_statuses=frozenset({200, 201}),
        ),
    )
}
