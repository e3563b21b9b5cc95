"""Retention by hand, without Celery (the same functions as the daily tasks)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from privacy import retention
from privacy.models import DestructionStatement


class Command(BaseCommand):
    help = (
        "Destroy the personal data of young people whose trajectories are all past "
        "retention, and purge the audit trail past RIO_AUDIT_RETENTION_YEARS. "
        "With --dry-run, list what would go and change nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would go; change nothing."
        )
        parser.add_argument(
            "--batch-size", type=int, default=100, help="Young people per transaction."
        )

    def handle(self, *args, dry_run: bool, batch_size: int, **options) -> None:
        today = timezone.localdate()
        if dry_run:
            due = retention.what_would_go(today)
            for line in due:
                self.stdout.write(
                    f"client {line.client_ref}  trajectory {line.trajectory_ref}  "
                    f"ended {line.ended_on:%Y-%m-%d}  rule {line.rule}"
                )
            clients = len({line.client_ref for line in due})
            self.stdout.write(
                f"{clients} young people ({len(due)} trajectories) would be destroyed on "
                f"{today:%Y-%m-%d}"
            )
            audit = sum(lines.count() for _model, lines in retention.audit_trail_past_retention())
            self.stdout.write(f"{audit} audit trail lines would be purged")
            return
        statement = retention.apply_retention(
            today=today, batch_size=batch_size, started_by=DestructionStatement.StartedBy.COMMAND
        )
        destroyed = statement.trajectories.count() if statement else 0
        self.stdout.write(
            f"{destroyed} trajectories destroyed"
            + (f" (statement {statement.pk})" if statement else "")
        )
        purged = retention.purge_audit_trail()
        self.stdout.write(f"{purged} audit trail lines purged")
