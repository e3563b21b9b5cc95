"""Celery tasks of retention: thin, and safe to run twice (see `privacy.retention`)."""

from __future__ import annotations

import logging

from celery import shared_task

from privacy import retention

logger = logging.getLogger(__name__)


@shared_task(name="privacy.apply_retention")
def apply_retention() -> int:
    """Daily: destroy the dossiers past retention. Twice is harmless: a destroyed young
    person is marked so and no longer matches the rule, and two workers lock different
    ones (SKIP LOCKED)."""
    statement = retention.apply_retention()
    destroyed = statement.trajectories.count() if statement else 0
    logger.info("retention: %s trajectories destroyed", destroyed)
    return destroyed


@shared_task(name="privacy.purge_audit_trail")
def purge_audit_trail() -> int:
    """Daily: the access log and change history past `RIO_AUDIT_RETENTION_YEARS` go
    (deleting by id twice is harmless)."""
    return retention.purge_audit_trail()
