"""The cast, named once (style.md §6.8): every test asks for actors by these names."""

import pytest

from purei.accounts.models import User
from purei.accounts.tests.factories import StaffFactory, UserFactory
from purei.core.actor import Actor


@pytest.fixture
def anonymous() -> Actor:
    return Actor.anonymous()


@pytest.fixture
def customer_user(db) -> User:
    return UserFactory.create(email="customer@example.nz")


@pytest.fixture
def customer(customer_user: User) -> Actor:
    return Actor(user=customer_user)


@pytest.fixture
def staff_user(db) -> User:
    return StaffFactory.create(email="staff@purei.test")


@pytest.fixture
def platform_staff(staff_user: User) -> Actor:
    return Actor(user=staff_user)
