"""Notifications are purged a year after they were read; unread ones stay."""

import datetime

from django.utils import timezone

from followup.models import Notification
from followup.tasks import purge_notifications
from tests.followup.test_inbox import a_trajectory, notify


def read_days_ago(notification: Notification, days: int, now) -> Notification:
    Notification.objects.filter(pk=notification.pk).update(
        read_at=now - datetime.timedelta(days=days)
    )
    return notification


def test_a_notification_read_over_a_year_ago_is_purged_and_the_rest_kept(
    db, team, caseworker, settings
):
    now = timezone.now()
    trajectory = a_trajectory(team, caseworker)
    old = read_days_ago(notify(trajectory, n=0), settings.RIO_NOTIFICATION_RETENTION_DAYS + 1, now)
    recent = read_days_ago(
        notify(trajectory, n=1), settings.RIO_NOTIFICATION_RETENTION_DAYS - 1, now
    )
    unread = notify(trajectory, n=2)
    Notification.objects.filter(pk=unread.pk).update(created_at=now - datetime.timedelta(days=800))

    assert purge_notifications() == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {recent.pk, unread.pk}
    assert not Notification.objects.filter(pk=old.pk).exists()
    # Running it again (a retry, a second worker) finds nothing more to do.
    assert purge_notifications() == 0


def test_the_purge_follows_the_setting_and_works_in_batches(db, team, caseworker, settings):
    settings.RIO_NOTIFICATION_RETENTION_DAYS = 30
    now = timezone.now()
    trajectory = a_trajectory(team, caseworker)
    for n in range(5):
        read_days_ago(notify(trajectory, n=n), 31, now)
    kept = read_days_ago(notify(trajectory, n=9), 29, now)

    from followup.models import purge_read_notifications

    assert purge_read_notifications(batch_size=2) == 5
    assert list(Notification.objects.values_list("pk", flat=True)) == [kept.pk]
