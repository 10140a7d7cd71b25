"""The demo's reviews: only of products the demo shopper received."""

from __future__ import annotations

import pytest

from purei.marketing.models import Review
from purei.marketing.review_seed import review_seed_load
from purei.orders.models import OrderLine


@pytest.mark.usefixtures("demo_seeded")
@pytest.mark.django_db
class TestReviewSeed:
    def test_reviews_only_of_received_products_one_replied_none_twice(self):
        # given: without the history nobody received anything: no reviews
        assert not Review.objects.exists()
        from purei.settlement.seed import money_seed_load

        money_seed_load()
        # when
        made = review_seed_load()
        # then
        reviews = list(Review.objects.all())
        assert made == len(reviews)
        assert reviews
        for review in reviews:
            assert review.status == "approved"
            assert review.author.email == "shopper@purei.test"
            assert OrderLine.objects.filter(
                product=review.product,
                order__customer=review.author,
                fulfilment__status__in=["delivered", "collected"],
            ).exists()
        assert any(review.reply for review in reviews)
        assert review_seed_load() == 0
