"""The cast, named once (style.md §6.8): every test asks for actors by these names.

Two clusters, X and Y; member business A is an approved member of cluster X.

| fixture | who |
|---|---|
| anonymous | nobody logged in |
| customer | a logged-in shopper with no roles |
| member_a_staff | staff of member A |
| member_a_owner | owner of member A |
| cluster_x_admin | admin of cluster X (member A's cluster) |
| cluster_y_admin | admin of cluster Y |
| platform_staff | Pūrei's own staff |
| trade_buyer | the buyer of an approved trade account with cluster X |

Each actor fixture has a matching ``*_user`` fixture (the ``User``), for logging in a
test client.
"""

import copy
import os
import uuid
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

import pytest
from django.db import transaction
from hypothesis import settings as hypothesis_settings
from pytest_django import DjangoDbBlocker

from purei.accounts.models import User
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.members.models import Member
from tests import cast, schema_cache
from tests.memory_files import files_kept

# Property tests check arithmetic, not speed: on a loaded machine (CI, xdist
# workers sharing two cores) one example can take longer than hypothesis's
# 200 ms default deadline, which then fails a correct test. Speed is measured by
# the benchmark (tests/bench), not here.
hypothesis_settings.register_profile("purei", deadline=None)
hypothesis_settings.load_profile("purei")


@pytest.fixture(autouse=True)
def _files_undone() -> Iterator[None]:
    """The files a test saves (in memory, in the test settings) are undone with its
    rows (tests/memory_files.py)."""
    with files_kept():
        yield


@pytest.fixture(scope="class")
def demo_seeded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[str]:
    """The demo (``purei seed_demo --no-history``), loaded once for a class of tests
    that read it (a load takes seconds): what the command printed. Each test rolls
    back to the loaded demo, as a test always rolls back its own changes; the demo,
    its files included, is rolled back after the class. Not for transactional tests
    (a flush would empty it)."""
    from django.core.management import call_command

    with django_db_blocker.unblock(), files_kept(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", "--no-history", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def anonymous() -> Actor:
    return Actor.anonymous()


@pytest.fixture
def customer_user(db) -> User:
    return cast.customer_user_create()


@pytest.fixture
def customer(customer_user: User) -> Actor:
    return Actor(user=customer_user)


@pytest.fixture
def staff_user(db) -> User:
    return cast.staff_user_create()


@pytest.fixture
def platform_staff(staff_user: User) -> Actor:
    return Actor(user=staff_user)


@pytest.fixture
def cluster_x(db) -> Cluster:
    return cast.cluster_x_create()


@pytest.fixture
def cluster_y(db) -> Cluster:
    return cast.cluster_y_create()


@pytest.fixture
def member_a(cluster_x: Cluster) -> Member:
    return cast.member_a_create(cluster_x)


@pytest.fixture
def member_a_owner_user(member_a: Member) -> User:
    return cast.member_a_owner_user_create(member_a)


@pytest.fixture
def member_a_owner(member_a_owner_user: User) -> Actor:
    return Actor(user=member_a_owner_user)


@pytest.fixture
def member_a_staff_user(member_a: Member) -> User:
    return cast.member_a_staff_user_create(member_a)


@pytest.fixture
def member_a_staff(member_a_staff_user: User) -> Actor:
    return Actor(user=member_a_staff_user)


@pytest.fixture
def cluster_x_admin_user(cluster_x: Cluster) -> User:
    return cast.cluster_x_admin_user_create(cluster_x)


@pytest.fixture
def cluster_x_admin(cluster_x_admin_user: User) -> Actor:
    return Actor(user=cluster_x_admin_user)


@pytest.fixture
def cluster_y_admin_user(cluster_y: Cluster) -> User:
    return cast.cluster_y_admin_user_create(cluster_y)


@pytest.fixture
def cluster_y_admin(cluster_y_admin_user: User) -> Actor:
    return Actor(user=cluster_y_admin_user)


@pytest.fixture
def trade_buyer_user(cluster_x: Cluster) -> User:
    return cast.trade_buyer_user_create(cluster_x)


@pytest.fixture
def trade_buyer(trade_buyer_user: User) -> Actor:
    return Actor(user=trade_buyer_user)


@pytest.fixture
def rate_limits(settings: Any) -> Callable[..., None]:
    """Turns the rate limits on (the test settings turn them off), counting afresh
    for this test. Call it to change one action's rates:
    ``rate_limits("signup", address="2/h")``."""
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_KEY_PREFIX = f"test-rl:{uuid.uuid4().hex}"

    def set_rates(action: str, **scopes: str) -> None:
        limits = copy.deepcopy(getattr(settings, "RATE_LIMITS", {}))
        limits.setdefault(action, {}).update(scopes)
        settings.RATE_LIMITS = limits

    return set_rates


# --- Redis (`make test-redis`) --------------------------------------------------

# CI runs these tests a second time with REDIS_URL set, so that the cache is a real
# Redis (`pytest -m redis`): the cache's, the rate limits' and search's, the shop and
# search pages, and the deploy check that Redis answers.
REDIS_TEST_PATHS = (
    "purei/search/tests/",
    "purei/catalogue/tests/test_public_pages.py",
    "purei/core/tests/test_checks.py",
)
REDIS_TEST_WORDS = ("cache", "rate_limit", "throttl", "search", "redis")
# Where the tests look for a Redis when REDIS_URL is not set (they only PING it).
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def pytest_configure(config: pytest.Config) -> None:
    # Each test database starts from the schema migrated once (tests/schema_cache.py).
    schema_cache.install()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        name = path.rsplit("/", 1)[-1]
        if path.startswith(REDIS_TEST_PATHS) or any(
            word in name for word in REDIS_TEST_WORDS
        ):
            item.add_marker(pytest.mark.redis)


@pytest.fixture
def redis_url() -> str:
    """A Redis that answers: REDIS_URL's, which must answer when it is set (a run
    against Redis never skips), else the local one, skipped when nothing answers."""
    from purei.core.checks import redis_problem

    url = os.environ.get("REDIS_URL", "")
    problem = redis_problem(url or LOCAL_REDIS, timeout=1)
    if problem and url:
        pytest.fail(f"REDIS_URL is set but {problem}")
    if problem:
        pytest.skip(f"no Redis at {LOCAL_REDIS}: {problem} (set REDIS_URL)")
    return url or LOCAL_REDIS
