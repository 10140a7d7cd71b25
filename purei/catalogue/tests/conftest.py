import pytest

from purei.accounts.models import ClusterRole, User
from purei.accounts.tests.factories import UserFactory
from purei.catalogue.models import Product, Variant
from purei.catalogue.tests.factories import ProductFactory, VariantFactory
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.members.models import Member


@pytest.fixture
def product(member_a: Member) -> Product:
    return ProductFactory.create(member=member_a, slug="manuka", title_en="Mānuka")


@pytest.fixture
def variant(product: Product) -> Variant:
    return VariantFactory.create(product=product, sku="MH-500", stock=5)


@pytest.fixture
def kaitiaki_x_user(cluster_x: Cluster) -> User:
    user = UserFactory.create(email="kaitiaki@cluster-x.nz")
    ClusterRole.objects.create(
        user=user, cluster=cluster_x, role=ClusterRole.Role.KAITIAKI
    )
    return user


@pytest.fixture
def kaitiaki_x(kaitiaki_x_user: User) -> Actor:
    return Actor(user=kaitiaki_x_user)
