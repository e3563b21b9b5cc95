"""Run the daily follow-up sweep by hand, without Celery: the same chunks, in-process."""

from django.core.management.base import BaseCommand

from followup.reminders import sweep


class Command(BaseCommand):
    help = (
        "Re-plan stale follow-up schedules and create the notifications that are due, "
        "chunk by chunk (RIO_SWEEP_CHUNK_SIZE trajectories each), as the nightly tasks do."
    )

    def handle(self, *args, **options) -> None:
        created = sweep()
        self.stdout.write(f"{created} notifications created")
