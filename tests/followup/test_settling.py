"""Reminders that are settled without being opened: a closed trajectory, the live count."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Trajectory
from followup.models import Notification
from tests.factories import ClientFactory, TrajectoryFactory, days

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def reminder(trajectory, kind, *, recipient=None) -> Notification:
    return Notification.objects.create(
        recipient=recipient or trajectory.caseworker,
        trajectory=trajectory,
        kind=kind,
        due_on=days(-1),
    )


def test_closing_a_trajectory_settles_all_its_reminders(caseworker_client, team, caseworker):
    trajectory = TrajectoryFactory(
        client=ClientFactory(team=team), caseworker=caseworker, released=True
    )
    other = TrajectoryFactory(client=ClientFactory(team=team), caseworker=caseworker)
    settled = [reminder(trajectory, kind) for kind in Kind.values]
    still_open = reminder(other, Kind.NO_CONTACT)

    response = caseworker_client.post(
        reverse("cases:trajectory-close", args=[trajectory.pk]),
        {
            "ended_on": timezone.localdate().isoformat(),
            "end_reason": Trajectory.EndReason.COMPLETED,
            "end_note": "Twee jaar gevolgd, eindevaluatie gehouden.",
        },
    )

    assert response.status_code == 302
    assert not Notification.objects.filter(pk__in=[n.pk for n in settled], read_at=None).exists()
    still_open.refresh_from_db()
    assert still_open.read_at is None
    inbox = caseworker_client.get(reverse("followup:inbox")).content.decode()
    assert re.search(r'id="inbox-unread">1<', inbox)


def test_marking_read_in_place_updates_the_count_in_the_menu(caseworker_client, team, caseworker):
    trajectory = TrajectoryFactory(client=ClientFactory(team=team), caseworker=caseworker)
    first, _second, _third = (reminder(trajectory, kind) for kind in Kind.values[:3])

    response = caseworker_client.post(
        reverse("followup:notification-read", args=[first.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<span class="rio-badge" hx-swap-oob="true" id="inbox-unread">2<', html)
    for notification in Notification.objects.exclude(pk=first.pk):
        caseworker_client.post(
            reverse("followup:notification-read", args=[notification.pk]),
            HTTP_HX_REQUEST="true",
        )
    last = caseworker_client.post(
        reverse("followup:notification-read", args=[first.pk]), HTTP_HX_REQUEST="true"
    )
    # At zero the badge is swapped for a hidden, empty one.
    assert 'hx-swap-oob="true" hidden id="inbox-unread"></span>' in last.content.decode()
