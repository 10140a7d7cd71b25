"""Emails about memberships (Django tasks): take ids, check the state still holds,
send. Safe to run twice: a task whose membership moved on sends nothing."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse

from purei.accounts.models import ClusterRole, MemberRole
from purei.core.mail import send_templated_email

from .models import Membership

# The status a membership must still have for each decision's email to go out.
DECIDED_STATUS = {
    "approved": Membership.Status.APPROVED,
    "auto_approved": Membership.Status.APPROVED,
    "invited_approved": Membership.Status.APPROVED,
    "reinstated": Membership.Status.APPROVED,
    "declined": Membership.Status.DECLINED,
    "suspended": Membership.Status.SUSPENDED,
}


def _membership(membership_id: int) -> Membership | None:
    return (
        Membership.objects.select_related("member", "cluster", "decided_by")
        .filter(pk=membership_id)
        .first()
    )


def _admin_emails(cluster_id: int) -> list[str]:
    return sorted(
        set(
            ClusterRole.objects.filter(
                cluster_id=cluster_id,
                role=ClusterRole.Role.ADMIN,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )


def _member_emails(membership: Membership) -> list[str]:
    """The business's own address, else its owners' addresses."""
    if membership.member.email:
        return [membership.member.email]
    return sorted(
        set(
            MemberRole.objects.filter(
                member_id=membership.member_id,
                role=MemberRole.Role.OWNER,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )


def _manage_path(membership: Membership) -> str:
    return reverse("members:cluster-members", kwargs={"slug": membership.cluster.slug})


@task
def membership_applied_notify(*, membership_id: int, invited: bool = False) -> int:
    """Tell the cluster's admins a business applied (or joined, when the cluster
    admits all or ``invited`` it). Returns how many emails went out."""
    membership = _membership(membership_id)
    if membership is None or membership.status not in (
        Membership.Status.APPLIED,
        Membership.Status.APPROVED,
    ):
        return 0
    emails = _admin_emails(membership.cluster_id)
    for email in emails:
        send_templated_email(
            to=email,
            template_prefix="members/email/membership_applied",
            cluster=membership.cluster,
            context={
                "membership": membership,
                "invited": invited,
                "manage_path": _manage_path(membership),
            },
        )
    return len(emails)


@task
def membership_decided_notify(*, membership_id: int, verb: str) -> int:
    """Tell the business what its cluster's admins decided (``verb``: approved,
    auto_approved, invited_approved, declined, suspended, reinstated), with their
    reason."""
    membership = _membership(membership_id)
    if membership is None or membership.status != DECIDED_STATUS.get(verb):
        return 0
    emails = _member_emails(membership)
    for email in emails:
        send_templated_email(
            to=email,
            template_prefix="members/email/membership_decided",
            cluster=membership.cluster,
            context={
                "membership": membership,
                "verb": verb,
                "cluster_path": reverse(
                    "catalogue:cluster-home", kwargs={"slug": membership.cluster.slug}
                ),
            },
        )
    return len(emails)


@task
def membership_left_notify(*, membership_id: int) -> int:
    """Tell the cluster's admins a business left (or withdrew its application)."""
    membership = _membership(membership_id)
    if membership is None or membership.status != Membership.Status.LEFT:
        return 0
    emails = _admin_emails(membership.cluster_id)
    for email in emails:
        send_templated_email(
            to=email,
            template_prefix="members/email/membership_left",
            cluster=membership.cluster,
            context={"membership": membership, "manage_path": _manage_path(membership)},
        )
    return len(emails)
