"""RF-1 and RF-3: the queue is filled only after commit, and a broker that is down loses nothing.

RF-1 points the Celery app at a closed port: saving a trajectory still works, the
schedule still moves, and the failed enqueue is only a warning (the nightly sweep
catches up). Then at a broker that hangs (a server that accepts the connection and
never answers, and a real Redis stopped with SIGSTOP): the save still returns within
the bound the broker timeouts set, instead of waiting as long as the broker hangs.
RF-3 uses the real Redis of the test run (CELERY_BROKER_URL, db 15): the sweep of a
saved trajectory is queued once, and only after the commit.
"""

import base64
import json
import logging
import os
import signal
import time
import uuid
from contextlib import contextmanager

import pytest
import redis
from django.conf import settings
from django.urls import reverse
from kombu import pools
from kombu.exceptions import OperationalError

from cases.models import Trajectory
from followup import reminders
from followup.models import FollowUpMoment, Notification
from followup.schedule import sync_schedule, working_day_on_or_before
from followup.tasks import _send, enqueue_on_commit, sweep_trajectory
from lifedomains.domains import Regie
from rio.celery import app
from rio.drills import HangingServer
from rio.embedded import start_redis
from tests.factories import ClientFactory, TrajectoryFactory, days

pytestmark = pytest.mark.django_db

CLOSED_BROKER = "redis://127.0.0.1:1/0"
QUEUE = "celery"
TASK = "followup.sweep_trajectory"
# Held by every test that empties or reads the queue.
QUEUE_LOCK = "rio-tests:celery-queue"


def forget_broker_connections() -> None:
    """Make Celery build its connection and producer pools anew from the current settings.

    The app caches its connection pool (`app._pool`) and producer pool
    (`app.amqp._producer_pool`); kombu keeps both in global registries keyed by
    the connection, so those are emptied too.
    """
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@contextmanager
def broker_at(url: str):
    """The Celery app's broker is `url` inside the `with`.

    Celery reads CELERY_BROKER_URL from the environment before its own settings
    (pytest-env sets it), so both are pointed at `url`.
    """
    saved = {
        name: os.environ.get(name) for name in ("CELERY_BROKER_URL", "CELERY_BROKER_WRITE_URL")
    }
    had_setting = "broker_url" in app.conf.changes
    old_setting = app.conf.changes.get("broker_url")
    os.environ["CELERY_BROKER_URL"] = url
    os.environ.pop("CELERY_BROKER_WRITE_URL", None)
    app.conf.broker_url = url
    forget_broker_connections()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if had_setting:
            app.conf.broker_url = old_setting
        else:
            app.conf.changes.pop("broker_url", None)
        forget_broker_connections()


@pytest.fixture
def broker_down():
    """The Celery app's broker is a closed port, for this test only."""
    with broker_at(CLOSED_BROKER):
        yield


@pytest.fixture
def hanging_broker():
    """The broker accepts the connection and never answers (a stopped or cut-off Redis)."""
    with HangingServer() as server, broker_at(server.url):
        yield server


@pytest.fixture
def stoppable_redis(tmp_path):
    """A real Redis of this test's own (never the machine's), as the Celery broker.

    The test stops it with SIGSTOP, as a hanging broker, and lets it continue.
    """
    server = start_redis(tmp_path / "redis.rdb")
    try:
        with broker_at(f"redis+socket://{server.socket_file}"):
            yield server
    finally:
        os.kill(server.pid, signal.SIGCONT)
        server.shutdown()


@pytest.fixture
def queue():
    """The real Redis list Celery publishes to (db 15 in tests), emptied before and after."""
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert settings.CELERY_BROKER_URL.endswith("/15")
    forget_broker_connections()
    assert app.connection_for_write().as_uri().endswith("127.0.0.1:6379/15")
    connection = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    connection.ping()
    # The test processes of a parallel run (-n 2) share this list: one at a time.
    with connection.lock(QUEUE_LOCK, timeout=120, blocking_timeout=120):
        connection.delete(QUEUE)
        yield connection
        connection.delete(QUEUE)
    connection.close()


def queued_sweeps(connection, trajectory_id: int) -> list[dict]:
    """The queued `followup.sweep_trajectory` messages for this trajectory, decoded."""
    found = []
    for raw in connection.lrange(QUEUE, 0, -1):
        message = json.loads(raw)
        body = message["body"]
        if message["properties"].get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args, kwargs, _embed = json.loads(body)
        if message["headers"]["task"] == TASK and args == [trajectory_id]:
            found.append({"headers": message["headers"], "args": args, "kwargs": kwargs})
    return found


def unique_trajectory(team, caseworker) -> Trajectory:
    """A trajectory with a pk no other test process uses, so its messages are its own."""
    return TrajectoryFactory(
        pk=10**12 + uuid.uuid4().int % 10**12,
        client=ClientFactory(team=team, first_name="Anouk", last_name="Aarts"),
        caseworker=caseworker,
        expected_release=days(10),
    )


def edit_data(trajectory, caseworker, *, expected_release) -> dict:
    return {
        "caseworker": caseworker.pk,
        "offences": trajectory.offences,
        "penitentiary_institution": "PI Vught",
        "detention_start": trajectory.detention_start.isoformat(),
        "expected_release": expected_release.isoformat(),
        "started_on": trajectory.started_on.isoformat(),
        "regie": Regie.CASE,
        "version": trajectory.version,
    }


def release_day(trajectory) -> FollowUpMoment:
    return FollowUpMoment.objects.get(trajectory=trajectory, kind=FollowUpMoment.Kind.RELEASE_DAY)


# --- RF-1: the broker is down ----------------------------------------------------------------


def test_the_broker_down_fixture_really_points_at_the_closed_port(broker_down):
    assert app.connection_for_write().as_uri().endswith("127.0.0.1:1/0")
    assert app.pool.connection.as_uri().endswith("127.0.0.1:1/0")
    # Sending really tries the closed port, and fails quickly.
    with pytest.raises(OperationalError, match=r"127\.0\.0\.1:1\b"):
        sweep_trajectory.delay(42)


def test_send_swallows_the_broker_error_and_logs_a_warning(broker_down, caplog):
    caplog.set_level(logging.WARNING, logger="followup.tasks")

    assert _send(sweep_trajectory, 42) is None

    (record,) = [r for r in caplog.records if r.name == "followup.tasks"]
    assert record.levelno == logging.WARNING
    assert "could not enqueue followup.sweep_trajectory(42,)" in record.getMessage()
    assert "daily sweep will catch up" in record.getMessage()


def test_saving_a_trajectory_works_while_the_broker_is_down(
    broker_down, caplog, django_capture_on_commit_callbacks, caseworker_client, team, caseworker
):
    caplog.set_level(logging.WARNING, logger="followup.tasks")
    trajectory = unique_trajectory(team, caseworker)
    sync_schedule(trajectory)
    old_due = release_day(trajectory).due_on
    new_release = days(45)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = caseworker_client.post(
            reverse("cases:trajectory-update", args=[trajectory.pk]),
            edit_data(trajectory, caseworker, expected_release=new_release),
        )

    assert response.status_code == 302
    assert callbacks
    trajectory.refresh_from_db()
    assert trajectory.expected_release == new_release
    assert trajectory.penitentiary_institution == "PI Vught"
    # The schedule moved with the release date, in the same request.
    moved = release_day(trajectory)
    assert moved.due_on == working_day_on_or_before(new_release)
    assert moved.due_on != old_due
    assert moved.status == FollowUpMoment.Status.OPEN
    warnings = [r for r in caplog.records if r.name == "followup.tasks"]
    assert [r.levelno for r in warnings] == [logging.WARNING]
    assert f"could not enqueue {TASK}({trajectory.pk},)" in warnings[0].getMessage()
    # And the dossier opens with the saved data.
    page = caseworker_client.get(response["Location"])
    assert page.status_code == 200
    assert "PI Vught" in page.content.decode()


# --- RF-1: the broker hangs ------------------------------------------------------------------

# What the settings allow: every attempt waits at most the socket timeout, and a
# publish is retried (settings CELERY_TASK_PUBLISH_RETRY_POLICY) after one
# reconnection; about 1.5 s with the defaults. The bounds below are generous for a
# busy test machine; far below the minute a hanging broker used to cost.
GENEROUS_SECONDS = 5


def test_the_broker_connection_has_bounded_timeouts_and_a_bounded_publish_retry():
    options = app.conf.broker_transport_options
    assert 0 < options["socket_timeout"] <= 1
    assert 0 < options["socket_connect_timeout"] <= 1
    policy = app.conf.task_publish_retry_policy
    assert 0 <= policy["max_retries"] <= 2
    assert policy["interval_max"] <= 0.5
    attempts = 2 + policy["max_retries"]
    assert attempts * options["socket_timeout"] + policy["max_retries"] * policy["interval_max"] < 2


def test_sending_to_a_hanging_broker_fails_within_the_bound_and_is_logged(hanging_broker, caplog):
    caplog.set_level(logging.WARNING, logger="followup.tasks")

    started = time.monotonic()
    _send(sweep_trajectory, 42)
    elapsed = time.monotonic() - started

    assert hanging_broker.accepted >= 1  # it really connected, and got no answer
    assert elapsed < GENEROUS_SECONDS
    (record,) = [r for r in caplog.records if r.name == "followup.tasks"]
    assert "could not enqueue followup.sweep_trajectory(42,)" in record.getMessage()
    assert "Timeout" in str(record.exc_info[1])


def test_saving_a_trajectory_returns_quickly_while_the_broker_hangs(
    hanging_broker, caplog, django_capture_on_commit_callbacks, caseworker_client, team, caseworker
):
    caplog.set_level(logging.WARNING, logger="followup.tasks")
    trajectory = unique_trajectory(team, caseworker)
    sync_schedule(trajectory)
    new_release = days(12)

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = caseworker_client.post(
            reverse("cases:trajectory-update", args=[trajectory.pk]),
            edit_data(trajectory, caseworker, expected_release=new_release),
        )
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert callbacks
    assert hanging_broker.accepted >= 1
    assert elapsed < GENEROUS_SECONDS
    # The data is stored and the schedule moved, in the same request.
    trajectory.refresh_from_db()
    assert trajectory.expected_release == new_release
    assert trajectory.penitentiary_institution == "PI Vught"
    assert release_day(trajectory).due_on == working_day_on_or_before(new_release)
    warnings = [r for r in caplog.records if r.name == "followup.tasks"]
    assert [r.levelno for r in warnings] == [logging.WARNING]
    assert f"could not enqueue {TASK}({trajectory.pk},)" in warnings[0].getMessage()
    # The nightly sweep catches up on what the queued sweep would have done: the
    # release in 12 days with the basic conditions still open is reminded. (Its
    # chunks in-process, as `run_followup` runs them: the broker still hangs.)
    assert not Notification.objects.filter(trajectory=trajectory).exists()
    assert reminders.sweep() >= 1
    assert Notification.objects.filter(trajectory=trajectory, recipient=caseworker).exists()


def test_a_stopped_redis_costs_a_send_little_and_sending_works_again_once_it_continues(
    stoppable_redis, caplog
):
    caplog.set_level(logging.WARNING, logger="followup.tasks")
    trajectory_id = 10**15 + uuid.uuid4().int % 10**12
    _send(sweep_trajectory, trajectory_id)  # a pooled connection, as in a running web process
    assert stoppable_redis.llen(QUEUE) == 1

    os.kill(stoppable_redis.pid, signal.SIGSTOP)
    started = time.monotonic()
    _send(sweep_trajectory, trajectory_id)
    elapsed = time.monotonic() - started
    os.kill(stoppable_redis.pid, signal.SIGCONT)

    assert elapsed < GENEROUS_SECONDS
    assert len([r for r in caplog.records if r.name == "followup.tasks"]) == 1
    # Redis continues: the next send goes through on its own, no restart needed.
    # (A send that timed out may still arrive now, written before Redis stopped
    # reading; the tasks are idempotent, so that costs nothing.)
    before = stoppable_redis.llen(QUEUE)
    _send(sweep_trajectory, trajectory_id)
    assert stoppable_redis.llen(QUEUE) == before + 1
    assert len([r for r in caplog.records if r.name == "followup.tasks"]) == 1


# --- RF-3: queued after commit, once ---------------------------------------------------------


def test_the_sweep_is_queued_once_and_only_after_commit(
    queue, django_capture_on_commit_callbacks, caseworker_client, team, caseworker
):
    trajectory = unique_trajectory(team, caseworker)
    sync_schedule(trajectory)

    with django_capture_on_commit_callbacks(execute=True):
        response = caseworker_client.post(
            reverse("cases:trajectory-update", args=[trajectory.pk]),
            edit_data(trajectory, caseworker, expected_release=days(45)),
        )
        assert response.status_code == 302
        # Saved, but not yet committed: nothing is in the queue.
        assert queued_sweeps(queue, trajectory.pk) == []

    (message,) = queued_sweeps(queue, trajectory.pk)
    assert message["headers"]["task"] == TASK
    assert message["args"] == [trajectory.pk]
    assert message["kwargs"] == {}


def test_enqueue_on_commit_sends_nothing_until_the_commit(
    queue, django_capture_on_commit_callbacks
):
    trajectory_id = 10**15 + uuid.uuid4().int % 10**12

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(sweep_trajectory, trajectory_id)

    # Waiting for a commit (a rolled back transaction never sends it).
    assert len(callbacks) == 1
    assert queued_sweeps(queue, trajectory_id) == []
    callbacks[0]()
    assert len(queued_sweeps(queue, trajectory_id)) == 1
