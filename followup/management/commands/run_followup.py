"""Run the daily follow-up sweep by hand, without Celery (the same function)."""

from django.core.management.base import BaseCommand

from followup.reminders import sweep


class Command(BaseCommand):
    help = "Recompute follow-up schedules and create the notifications that are due."

    def handle(self, *args, **options) -> None:
        created = sweep()
        self.stdout.write(f"{created} notifications created")
