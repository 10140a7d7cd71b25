import factory
from factory.django import DjangoModelFactory

from purei.accounts.models import MemberRole
from purei.clusters.models import Region
from purei.core.text import fold
from purei.members.models import Credential, Member, Membership
from purei.search.shelf import membership_changed


class MemberFactory(DjangoModelFactory[Member]):
    class Meta:
        model = Member

    slug = factory.Sequence(lambda n: f"member-{n}")
    legal_name = factory.Sequence(lambda n: f"Maker Number {n} Limited")
    trading_name = factory.Sequence(lambda n: f"Maker {n}")
    in_trade = True
    story = "We make good things in **Aotearoa**."
    story_html = "<p>We make good things in <strong>Aotearoa</strong>.</p>"
    region = factory.LazyFunction(lambda: Region.objects.get(code="NZ-MBH"))
    town = "Blenheim"
    email = factory.Sequence(lambda n: f"hello{n}@maker.example.nz")
    # Folded like purei.members.services.member_search_text, so searches find it.
    search_text = factory.LazyAttribute(
        lambda o: fold(
            " ".join(
                [o.legal_name, o.trading_name, o.story, o.town]
                + (
                    [o.region.name_en, o.region.name_mi, o.region.other_names]
                    if o.region
                    else []
                )
            )
        )
    )


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    member = factory.SubFactory(MemberFactory)
    cluster = factory.SubFactory("purei.clusters.tests.factories.ClusterFactory")
    status = Membership.Status.APPROVED

    @factory.post_generation
    def shelf(
        obj: Membership, create: bool, extracted: object, **kwargs: object
    ) -> None:
        """Tell the search app whether the member is admitted, as the membership
        services do."""
        if create:
            membership_changed(
                member_id=obj.member_id,
                cluster_id=obj.cluster_id,
                open=obj.status == Membership.Status.APPROVED,
            )


class MemberRoleFactory(DjangoModelFactory[MemberRole]):
    class Meta:
        model = MemberRole

    user = factory.SubFactory("purei.accounts.tests.factories.UserFactory")
    member = factory.SubFactory(MemberFactory)
    role = MemberRole.Role.OWNER


class CredentialFactory(DjangoModelFactory[Credential]):
    class Meta:
        model = Credential

    member = factory.SubFactory(MemberFactory)
    kind = Credential.Kind.LIQUOR_LICENCE
    issuer = "Marlborough District Licensing Committee"
    number = factory.Sequence(lambda n: f"51/OFF/{n:03d}/2025")
