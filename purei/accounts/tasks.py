"""Background work of the accounts app (Django tasks): take ids, safe to run twice."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.tasks import task

from purei.core.mail import send_templated_email

from .models import Invitation
from .selectors import invitation_url


@task
def invitation_send(*, invitation_id: int, language: str | None = None) -> bool:
    """Email the invitation link; does nothing once it is accepted or revoked."""
    invitation = (
        Invitation.objects.select_related("cluster", "invited_by")
        .filter(pk=invitation_id, status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        return False
    cluster = invitation.cluster
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
            "role": invitation.get_role_display(),
            "inviter": invitation.invited_by,
            "applied": applied,
            "url": invitation_url(invitation),
            "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
        },
        language=language,
    )
    return True
