"""The demo's follow-up: schedules, what was done, and inboxes with something in them."""

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.models import Trajectory
from followup.models import FollowUpMoment, Notification
from followup.reminders import sweep
from tests.factories import days

pytestmark = pytest.mark.django_db

TEAMS = ["RIO Dordrecht", "RIO Rotterdam"]
K = FollowUpMoment.Kind
S = FollowUpMoment.Status


@pytest.fixture
def seeded():
    call_command("seed_demo", force=True)


def counts() -> dict:
    return {
        "moments": dict(
            FollowUpMoment.objects.values_list("status").annotate(n=Count("pk")).order_by()
        ),
        "notifications": Notification.objects.count(),
    }


def test_every_running_demo_trajectory_has_a_schedule_and_seeding_again_repeats_it(seeded):
    running = Trajectory.objects.filter(client__team__name__in=TEAMS).open()
    assert running.count() >= 20
    assert not running.filter(followup_moments__isnull=True).exists()
    first = counts()
    call_command("seed_demo", force=True)
    assert counts() == first
    # the seed ran the nightly sweep already: running it now adds nothing
    assert sweep() == 0


def test_rio1s_inbox_shows_the_due_follow_ups_of_the_dordrecht_caseload(seeded, client, settings):
    settings.RIO_REQUIRE_MFA = False  # as in the demo, whose users have no TOTP device
    rio1 = User.objects.get(username="rio1")
    client.force_login(rio1)
    response = client.get(reverse("followup:inbox"))
    assert response.status_code == 200
    notifications = list(response.context["page"].object_list)
    kinds = {n.kind for n in notifications}
    assert {Notification.Kind.MOMENT_DUE, Notification.Kind.RELEASE_READINESS} <= kinds
    assert {n.trajectory.client.team.name for n in notifications} == {"RIO Dordrecht"}
    assert {n.recipient for n in notifications} == {rio1}
    unread = Notification.objects.filter(recipient=rio1, read_at__isnull=True).count()
    assert f'id="inbox-unread">{unread}<' in response.content.decode()


def test_released_yesterday_the_release_day_is_done_with_its_contact_and_a_week_is_due(seeded):
    released = Trajectory.objects.filter(
        client__team__name="RIO Dordrecht", actual_release=days(-1)
    ).get()
    release_day = released.followup_moments.get(kind=K.RELEASE_DAY)
    assert release_day.status == S.DONE
    assert release_day.contact.date == days(-1)
    assert release_day.assessment is None or release_day.assessment.trajectory == released
    week = released.followup_moments.get(kind=K.AFTER_1W)
    assert week.status == S.OPEN
    assert 0 <= (week.due_on - timezone.localdate()).days <= 7
    assert Notification.objects.filter(moment=week, kind=Notification.Kind.MOMENT_DUE).exists()


def test_a_closed_trajectory_keeps_its_done_moments_and_has_none_open(seeded):
    closed = Trajectory.objects.filter(
        client__team__name__in=TEAMS,
        status=Trajectory.Status.CLOSED,
        end_reason=Trajectory.EndReason.COMPLETED,
    )
    assert closed.exists()
    for trajectory in closed:
        moments = trajectory.followup_moments.all()
        assert moments.filter(status=S.DONE).exists()
        assert not moments.filter(status=S.OPEN).exists()
        assert moments.filter(kind=K.AFTER_24M, status=S.DONE).exists()
