"""Celery tasks: thin, take ids or nothing, and safe to run twice.

Each task calls a plain function that is idempotent by a unique key (see
`followup.reminders` and `followup.digest`), so a retry, a redelivery after
a worker crash (acks late) or a second worker never doubles a reminder.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from followup import digest, reminders
from followup.models import Notification, purge_read_notifications
from followup.schedule import sync_schedule

logger = logging.getLogger(__name__)


@shared_task(name="followup.daily_sweep")
def daily_sweep() -> int:
    """The nightly sweep (the beat schedule in settings): one `sweep_chunk` task per
    `RIO_SWEEP_CHUNK_SIZE` open trajectories, all for today's date. Returns how many
    chunks were queued; sending them twice is harmless, each chunk is idempotent."""
    today = timezone.localdate().isoformat()
    ranges = reminders.chunks()
    for first_id, last_id in ranges:
        sweep_chunk.delay(first_id, last_id, today)
    logger.info("follow-up sweep: %s chunks queued for %s", len(ranges), today)
    return len(ranges)


@shared_task(
    name="followup.sweep_chunk",
    # Acknowledged after it ran: a chunk lost with its worker is run by another.
    acks_late=True,
    soft_time_limit=settings.RIO_SWEEP_CHUNK_SOFT_TIME_LIMIT,
    time_limit=settings.RIO_SWEEP_CHUNK_TIME_LIMIT,
)
def sweep_chunk(first_id: int, last_id: int, day: str | None = None) -> int:
    """One chunk of the nightly sweep: the open trajectories with ids from `first_id` to
    `last_id`. Safe to run twice: each notification has a unique key (ON CONFLICT DO
    NOTHING) and the chunk commits at once or not at all, so a retry, a redelivery or a
    chunk stopped at its time limit creates every reminder exactly once."""
    today = datetime.date.fromisoformat(day) if day else None
    created = reminders.sweep_chunk(first_id=first_id, last_id=last_id, today=today)
    logger.info("follow-up sweep %s-%s: %s notifications created", first_id, last_id, created)
    return created


@shared_task(name="followup.sweep_trajectory")
def sweep_trajectory(trajectory_id: int) -> int:
    """Remind at once about one trajectory whose dates just changed."""
    return reminders.sweep(trajectory_ids=[trajectory_id])


@shared_task(name="followup.send_digests")
def send_digests() -> int:
    return digest.send_digests()


@shared_task(name="followup.purge_read_notifications")
def purge_notifications() -> int:
    """Daily: notifications read more than a year ago go (deleting by id twice is harmless)."""
    purged = purge_read_notifications()
    logger.info("notifications purged: %s", purged)
    return purged


def _send(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception:  # the broker is down or unreachable (RF-1)
        # Nothing is lost: the nightly sweep covers every trajectory, and
        # `manage.py run_followup` runs it by hand.
        logger.warning(
            "could not enqueue %s%r; the daily sweep will catch up", task.name, args, exc_info=True
        )


def enqueue_on_commit(task, *args) -> None:
    """Queue `task` once the current transaction has committed (RF-3).

    A broker that is down never fails the request that saved the data (RF-1).
    """
    transaction.on_commit(partial(_send, task, *args))


def keep_followup_current(trajectory, *, by=None) -> None:
    """Called by `cases` whenever a trajectory was written (see cases.dossier).

    Recomputes the schedule in the same transaction. A closed trajectory's
    unread reminders are settled. An open one's go to its current caseworker,
    and after commit a sweep of it is queued, so what is now due shows
    without waiting for the night.
    """
    sync_schedule(trajectory, by=by)
    unread = Notification.objects.unread().filter(trajectory=trajectory)
    if not trajectory.is_open:
        unread.update(read_at=timezone.now())
        return
    unread.exclude(recipient_id=trajectory.caseworker_id).update(
        recipient_id=trajectory.caseworker_id
    )
    enqueue_on_commit(sweep_trajectory, trajectory.pk)
