"""Reviews' background work (Django tasks): take ids, check the state still
holds, send. ``review_written_notify`` tells the maker a review of one of its
products arrived; a review that is gone, or a member without an email address,
sends nothing. Emails at most once per review (it is enqueued once, on commit of
the review's creation)."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse

from purei.core.links import absolute_url
from purei.core.mail import send_templated_email
from purei.marketing.models import Review


@task
def review_written_notify(*, review_id: int) -> int:
    """Email the maker that a review arrived (1 if sent)."""
    review = (
        Review.objects.select_related("product", "member", "cluster")
        .filter(pk=review_id)
        .first()
    )
    if review is None or not review.member.email:
        return 0
    send_templated_email(
        to=review.member.email,
        template_prefix="marketing/reviews/email/review_written",
        cluster=review.cluster,
        context={
            "review": review,
            "product": review.product,
            "cluster": review.cluster,
            "url": absolute_url(
                reverse("marketing:member-reviews", kwargs={"slug": review.member.slug})
            ),
        },
    )
    return 1
