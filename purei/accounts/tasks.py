"""Background work of the accounts app (Django tasks): take ids, safe to run twice."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.tasks import task
from django.urls import reverse

from purei.core.links import absolute_url
from purei.core.mail import send_templated_email

from .models import Invitation, User
from .selectors import (
    EMAIL_CHANGE_MAX_AGE,
    email_change_url,
    invitation_target,
    invitation_url,
)


def _absolute(name: str) -> str:
    return absolute_url(reverse(name))


@task
def invitation_send(*, invitation_id: int, language: str | None = None) -> bool:
    """Email the invitation link; does nothing once it is accepted or revoked."""
    invitation = (
        Invitation.objects.select_related("cluster", "member", "invited_by")
        .filter(pk=invitation_id, status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        return False
    cluster = invitation.cluster
    applied = False
    if cluster is not None and not invitation.is_for_business:
        try:
            applied = cluster.application.contact_email.lower() == invitation.email
        except ObjectDoesNotExist:
            applied = False
    send_templated_email(
        to=invitation.email,
        template_prefix="accounts/email/invitation",
        context={
            "invitation": invitation,
            "cluster": cluster,
            "member": invitation.member,
            "target": invitation_target(invitation),
            "role": invitation.get_role_display(),
            "inviter": invitation.invited_by,
            "applied": applied,
            "url": invitation_url(invitation),
            "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
        },
        language=language,
        cluster=cluster,
    )
    return True


@task
def account_welcome_send(*, user_id: int, language: str | None = None) -> bool:
    """Welcome a person who just signed up."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    send_templated_email(
        to=user.email,
        template_prefix="accounts/email/welcome",
        context={"user": user, "account_url": _absolute("accounts:account")},
        language=language,
    )
    return True


@task
def email_change_send(
    *, user_id: int, new_email: str, language: str | None = None
) -> bool:
    """Email the link confirming ``new_email`` to that (new) address."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    send_templated_email(
        to=new_email,
        template_prefix="accounts/email/email_change",
        context={
            "user": user,
            "new_email": new_email,
            "url": email_change_url(user=user, new_email=new_email),
            "max_age_days": EMAIL_CHANGE_MAX_AGE.days,
        },
        language=language,
    )
    return True


@task
def email_changed_notice_send(
    *, user_id: int, old_email: str, language: str | None = None
) -> bool:
    """Tell the old address that the account's email address changed."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    send_templated_email(
        to=old_email,
        template_prefix="accounts/email/email_changed",
        context={
            "user": user,
            "old_email": old_email,
            "new_email": user.email,
            "account_url": _absolute("accounts:account"),
        },
        language=language,
    )
    return True
