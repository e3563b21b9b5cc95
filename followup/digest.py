"""The optional daily e-mail digest: how many new reminders, never whose.

An e-mail leaves the municipality's systems, so it names no young person and
no case detail: only counts per kind and a link to the inbox.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from followup.models import DigestLog, Notification

logger = logging.getLogger(__name__)


def send_digests(*, today: datetime.date | None = None) -> int:
    """Send each caseworker one digest of unread reminders from the last day.

    At most once per caseworker per day: the DigestLog row is claimed before
    sending and released if sending fails, so the next run tries again.
    Returns how many digests were sent.
    """
    if not settings.RIO_EMAIL_DIGEST:
        return 0
    today = today or timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=1)
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Notification.objects.unread()
        .filter(created_at__gte=since, recipient__is_active=True)
        .exclude(recipient__email="")
        .values_list("recipient_id", "kind")
        .annotate(n=Count("pk"))
    )
    for user_id, kind, n in rows:
        counts.setdefault(user_id, {})[kind] = n
    sent = 0
    for user in User.objects.filter(pk__in=counts).order_by("pk"):
        try:
            with transaction.atomic():
                log = DigestLog.objects.create(
                    user=user, day=today, count=sum(counts[user.pk].values())
                )
        except IntegrityError:
            continue  # already sent today
        try:
            _send(user, counts[user.pk])
        except Exception:
            logger.exception("digest for user %s not sent; next run tries again", user.pk)
            log.delete()
        else:
            sent += 1
    return sent


def _send(user: User, counts: dict[str, int]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        kinds = [(str(Notification.Kind(kind).label), n) for kind, n in sorted(counts.items())]
        inbox_url = settings.RIO_SITE_URL.rstrip("/") + reverse("followup:inbox")
        context = {
            "user": user,
            "kinds": kinds,
            "total": sum(counts.values()),
            "inbox_url": inbox_url,
        }
        send_mail(
            subject=render_to_string("followup/digest_subject.txt", context).strip(),
            message=render_to_string("followup/digest.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
