from __future__ import annotations

import factory
from django.utils import timezone

from purei.clusters.tests.factories import ClusterFactory
from purei.marketing.models import Campaign, Story, Subscriber, SubscriptionEvent


class StoryFactory(factory.django.DjangoModelFactory[Story]):
    class Meta:
        model = Story

    cluster = factory.SubFactory(ClusterFactory)
    slug = factory.Sequence(lambda n: f"story-{n}")
    title_en = factory.Sequence(lambda n: f"Story {n}")
    summary_en = "News from the cluster."
    body_en = "First paragraph.\n\nSecond paragraph."
    status = Story.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class SubscriberFactory(factory.django.DjangoModelFactory[Subscriber]):
    """A confirmed subscriber, with its consent recorded."""

    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    cluster = factory.SubFactory(ClusterFactory)
    email = factory.Sequence(lambda n: f"reader{n}@example.nz")
    status = Subscriber.Status.SUBSCRIBED
    requested_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
    consent_source = "test"
    consent_wording = "Yes, email me the newsletter."

    @factory.post_generation
    def events(
        obj: Subscriber, create: bool, extracted: object, **kwargs: object
    ) -> None:
        if not create:
            return
        now = timezone.now()
        SubscriptionEvent.objects.create(
            subscriber=obj, kind="requested", at=now, source="test", wording="Yes"
        )
        if obj.status == Subscriber.Status.SUBSCRIBED:
            SubscriptionEvent.objects.create(
                subscriber=obj, kind="confirmed", at=now, source="test"
            )


class CampaignFactory(factory.django.DjangoModelFactory[Campaign]):
    class Meta:
        model = Campaign

    cluster = factory.SubFactory(ClusterFactory)
    story = factory.SubFactory(StoryFactory, cluster=factory.SelfAttribute("..cluster"))
    subject = "News from the cluster"
    reply_to = "admin@cluster.example.nz"
