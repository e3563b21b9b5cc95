"""How the follow-up runs in production: Celery settings, one beat, scalable workers."""

import re
from pathlib import Path

from django.conf import settings

from rio.celery import app

COMPOSE = (Path(settings.BASE_DIR) / "docker-compose.yml").read_text()


def service(name: str) -> str:
    """The text of one top-level service in docker-compose.yml."""
    match = re.search(rf"^  {name}:\n(.*?)(?=^  \S|^\S|\Z)", COMPOSE, re.M | re.S)
    assert match, name
    return match.group(1)


def test_compose_runs_workers_and_exactly_one_beat():
    services = re.findall(r"^  ([a-z]+):\n", COMPOSE, re.M)
    beats = [name for name in services if '"beat"' in service(name)]
    assert beats == ["beat"]
    assert "replicas: 1" in service("beat")
    assert '"worker"' in service("worker")


def test_celery_acknowledges_late_one_task_at_a_time_in_json_without_results():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.result_backend is None
    assert conf.task_ignore_result is True
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit


def test_the_beat_schedule_names_only_registered_follow_up_tasks():
    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks == {
        "followup.daily_sweep",
        "followup.send_digests",
        "followup.purge_read_notifications",
        # Retention and the audit-trail purge (privacy), scheduled beside them.
        "privacy.apply_retention",
        "privacy.purge_audit_trail",
    }
    assert tasks <= set(app.tasks)
