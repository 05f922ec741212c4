"""The account e-mails (invitation, « mot de passe oublié »), in French, queued as background jobs.

The links and the accounts are ``accounts.passwords``'s; this module only renders and queues the messages
(accounts sits below jobs in the layers)."""

from django.conf import settings
from django.template.loader import render_to_string

from accounts.passwords import AccountPasswordResetForm, password_set_path

from .mail import mail_send


def invitation_send(*, user, invited_by, reason: str = ""):
    """The invitation to set a password, sent to an account not yet active."""
    context = {
        "user": user,
        "invited_by": invited_by,
        "reason": reason,
        "link": settings.SITE_URL.rstrip("/") + password_set_path(user),
        "site_url": settings.SITE_URL,
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    return mail_send(
        to=[user.email],
        subject="Invitation à l'application CTG",
        text=render_to_string("accounts/email/invitation.txt", context),
        key=f"invitation:{user.pk}:{user.password[-12:]}",
        user=invited_by,
    )


class QueuedPasswordResetForm(AccountPasswordResetForm):
    """Django's reset form, its message sent by a job instead of inside the request."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        user = context["user"]
        context = {
            **context,
            "link": settings.SITE_URL.rstrip("/") + password_set_path(user),
            "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        }
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        mail_send(
            to=[to_email],
            subject=subject,
            text=render_to_string(email_template_name, context),
            key=f"mot-de-passe:{user.pk}:{context['token']}",
        )
