"""Background work of the clusters app (Django tasks): take ids, safe to run twice."""

from django.tasks import task

from purei.core.mail import send_templated_email

from .models import ClusterApplication


@task
def application_received_notify(*, application_id: int) -> bool:
    """Confirm an application's receipt to its contact, and say what happens next
    (only while it waits for review)."""
    application = ClusterApplication.objects.filter(
        pk=application_id, status=ClusterApplication.Status.PENDING
    ).first()
    if application is None:
        return False
    send_templated_email(
        to=application.contact_email,
        template_prefix="clusters/email/application_received",
        context={"application": application},
        language=application.language or None,
    )
    return True


@task
def application_declined_notify(*, application_id: int) -> bool:
    """Email a declined application's reason to its contact (only if still declined)."""
    application = ClusterApplication.objects.filter(
        pk=application_id, status=ClusterApplication.Status.DECLINED
    ).first()
    if application is None:
        return False
    send_templated_email(
        to=application.contact_email,
        template_prefix="clusters/email/application_declined",
        context={"application": application},
        language=application.language or None,
    )
    return True
