"""Working together's background work (Django tasks, ``purei worker``): the
board's email digest, one task per person and cluster, safe to run twice
(``digest.digest_claim``)."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task
from django.urls import reverse

from purei.accounts.models import User
from purei.clusters.models import Cluster
from purei.core.links import absolute_url
from purei.core.mail import send_templated_email

from .digest import digest_claim, digest_items, now


@task
def board_digest_send(*, user_id: int, cluster_id: int, frequency: str) -> int:
    """Email one person the news on the notices they follow in one cluster
    (1 if sent; 0 when not due, nothing new, or they left the cluster)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    cluster = Cluster.objects.filter(pk=cluster_id).first()
    if user is None or cluster is None:
        return 0
    with transaction.atomic():
        since = digest_claim(
            user_id=user_id, cluster_id=cluster_id, frequency=frequency, now=now()
        )
    if since is None:
        return 0
    items = digest_items(user=user, cluster=cluster, since=since)
    if not items:
        return 0
    board = absolute_url(reverse("cooperation:board", kwargs={"slug": cluster.slug}))
    send_templated_email(
        to=user.email,
        template_prefix="cooperation/email/digest",
        cluster=cluster,
        context={
            "cluster": cluster,
            "items": [
                {
                    "title": item.thread.title,
                    "new_replies": item.new_replies,
                    "is_new": item.is_new,
                    "url": absolute_url(
                        reverse(
                            "cooperation:thread",
                            kwargs={"slug": cluster.slug, "pk": item.thread.pk},
                        )
                    ),
                }
                for item in items
            ],
            "board_url": board,
            "frequency": frequency,
        },
    )
    return 1


@task
def group_buy_closed_notify(*, group_buy_id: int) -> int:
    """Tell the owners of each business that committed to a closed group buy
    how it went: its share to pay (and how), or that the target was missed.
    Returns the number of emails sent."""
    from purei.accounts.models import MemberRole
    from purei.cooperation.models import Commitment, GroupBuy

    group_buy = (
        GroupBuy.objects.filter(pk=group_buy_id).select_related("cluster").first()
    )
    if group_buy is None or group_buy.status == GroupBuy.Status.OPEN:
        return 0
    url = absolute_url(
        reverse(
            "cooperation:group-buy",
            kwargs={"slug": group_buy.cluster.slug, "pk": group_buy.pk},
        )
    )
    sent = 0
    commitments = Commitment.objects.filter(group_buy=group_buy).select_related(
        "member"
    )
    for commitment in commitments.order_by("pk"):
        owners = MemberRole.objects.filter(
            member_id=commitment.member_id,
            role=MemberRole.Role.OWNER,
            user__is_active=True,
        ).select_related("user")
        for role in owners:
            send_templated_email(
                to=role.user.email,
                template_prefix="cooperation/email/group_buy_closed",
                cluster=group_buy.cluster,
                context={
                    "group_buy": group_buy,
                    "commitment": commitment,
                    "met": group_buy.status == GroupBuy.Status.ALLOCATED,
                    "url": url,
                },
            )
            sent += 1
    return sent
