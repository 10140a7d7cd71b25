"""Factories of working together's rows."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from purei.cooperation.models import PartnerPost, Thread


class ThreadFactory(factory.django.DjangoModelFactory[Thread]):
    class Meta:
        model = Thread

    category = Thread.Category.FREIGHT
    title = factory.Sequence(lambda n: f"Notice {n}")
    body = "Anyone sending a pallet north?"


class PartnerPostFactory(factory.django.DjangoModelFactory[PartnerPost]):
    class Meta:
        model = PartnerPost

    kind = PartnerPost.Kind.OFFER
    title = factory.Sequence(lambda n: f"Offer {n}")
    body = "Half a container to Brisbane."
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
