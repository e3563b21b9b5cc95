"""A young person with something in every part of the export, and another one beside."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AccessLogEntry
from followup.models import FollowUpSchedule, Notification
from followup.schedule import RULES_VERSION
from lifedomains.models import PersonalPlan
from partners.models import Bottleneck, BottleneckEvent, DetentionPlace, Organisation
from tests.factories import ClientFactory, TrajectoryFactory, days
from tests.test_dossier import fill


def full_client(team, caseworker, **client_fields):
    """One of every model the export reads, for one client (tests/test_dossier.py `fill`
    and what the dossier does not show)."""
    client = ClientFactory(team=team, **client_fields)
    trajectory = TrajectoryFactory(client=client, caseworker=caseworker)
    fill(trajectory, scale=1)
    # `fill` names its partners "Partner 0", ...: free the names for the next client.
    for organisation in Organisation.objects.filter(name__regex=r"^Partner [0-9]+$"):
        organisation.name = f"{organisation.name} ({client.pk})"
        organisation.save(update_fields=["name"])
    PersonalPlan.objects.create(trajectory=trajectory, message="Goed bezig!")
    DetentionPlace.objects.create(
        trajectory=trajectory,
        organisation=Organisation.objects.create(
            name=f"PI {client.last_name}", kind=Organisation.Kind.PENITENTIARY
        ),
    )
    for bottleneck in Bottleneck.objects.filter(trajectories=trajectory):
        BottleneckEvent.objects.create(
            bottleneck=bottleneck, kind=BottleneckEvent.Kind.RAISED, by=caseworker
        )
    FollowUpSchedule.objects.update_or_create(
        trajectory=trajectory, defaults={"rules_version": RULES_VERSION}
    )
    Notification.objects.create(
        recipient=caseworker,
        trajectory=trajectory,
        kind=Notification.Kind.NO_CONTACT,
        due_on=days(0),
    )
    AccessLogEntry.objects.create(
        user=caseworker, action=AccessLogEntry.Action.VIEW, client_ref=client.pk, what="dossier"
    )
    return client


@pytest.fixture
def subject(team, caseworker):
    return full_client(
        team, caseworker, first_name="Samira", last_name="Bakker", with_bsn=True, phone="0612345678"
    )


@pytest.fixture
def bystander(team, caseworker):
    """Another young person of the same team, whose data must not be in the export."""
    return full_client(team, caseworker, first_name="Dirk", last_name="Anderman")


def log(user, client, *, at, what="dossier", action=AccessLogEntry.Action.VIEW):
    return AccessLogEntry.objects.create(
        user=user, action=action, client_ref=client.pk, what=what, at=at
    )


def hours_ago(hours: int):
    return timezone.now() - datetime.timedelta(hours=hours)
