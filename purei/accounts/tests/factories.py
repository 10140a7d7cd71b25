import factory
from factory.django import DjangoModelFactory

from purei.accounts.models import ClusterRole, User

PASSWORD = "kia-ora-test-pass-1"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.nz")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@purei.test")
    is_staff = True


class ClusterRoleFactory(DjangoModelFactory[ClusterRole]):
    class Meta:
        model = ClusterRole

    user = factory.SubFactory(UserFactory)
    cluster = factory.SubFactory("purei.clusters.tests.factories.ClusterFactory")
    role = ClusterRole.Role.ADMIN
