"""The demo caseload: every shape of DEMO.md in each team, idempotent, within the rules."""

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone

from accounts.models import Team
from cases import bsn as bsn_rules
from cases.models import (
    Client,
    ContactMoment,
    DJIMessage,
    Document,
    NetworkMember,
    TimelineEvent,
    Trajectory,
    age_on,
)
from lifedomains.domains import Regie
from tests.factories import days

pytestmark = pytest.mark.django_db

TEAMS = ["RIO Dordrecht", "RIO Rotterdam"]
S = Trajectory.Status
R = Trajectory.EndReason


@pytest.fixture
def seeded():
    call_command("seed_demo", force=True)


def trajectories(team: str):
    return Trajectory.objects.filter(client__team__name=team)


def row_counts() -> dict[str, int]:
    models = [Client, Trajectory, ContactMoment, NetworkMember, Document, DJIMessage]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["TimelineEvent"] = TimelineEvent.objects.count()
    return counts


def test_about_fifteen_clients_per_team_each_with_a_trajectory(seeded):
    for team in TEAMS:
        clients = Client.objects.filter(team__name=team)
        assert 12 <= clients.count() <= 18
        assert not clients.filter(trajectories__isnull=True).exists()
        caseworkers = trajectories(team).values_list("caseworker__username", flat=True)
        main = {"RIO Dordrecht": "rio1", "RIO Rotterdam": "rio2"}[team]
        assert list(caseworkers).count(main) > len(caseworkers) / 2
        assert len(set(caseworkers)) == 2


@pytest.mark.parametrize("team", TEAMS)
def test_every_demo_shape_is_in_the_caseload(seeded, team):
    mine = trajectories(team)
    # In detention, release in about ten days.
    assert mine.filter(status=S.DETENTION, expected_release__range=(days(8), days(12))).exists()
    # Just registered after a notice of start of detention, no contact yet.
    just_registered = mine.filter(
        status__in=[S.REGISTERED, S.DETENTION],
        dji_messages__kind=DJIMessage.Kind.DETENTION_START,
        contacts__isnull=True,
    )
    assert just_registered.exists()
    # Released yesterday, with a conversation on the day of release.
    yesterday = mine.get(status=S.AFTERCARE, actual_release=days(-1))
    assert yesterday.contacts.filter(kind=ContactMoment.Kind.CONVERSATION, date=days(-1)).exists()
    assert yesterday.dji_messages.filter(
        kind=DJIMessage.Kind.DETENTION_END, release_date=days(-1)
    ).exists()
    # Three months and one year after release.
    assert mine.filter(status=S.AFTERCARE, actual_release__range=(days(-95), days(-85))).exists()
    assert mine.filter(status=S.AFTERCARE, actual_release__range=(days(-370), days(-360))).exists()
    # Re-detained: a closed trajectory ended by a new detention, a newer open one.
    redetained = mine.get(end_reason=R.NEW_DETENTION, status=S.CLOSED)
    newer = redetained.client.trajectories.exclude(status=S.CLOSED).get()
    assert newer.started_on >= redetained.ended_on
    # Closed after about two years; stopped early by the young person.
    completed = mine.get(end_reason=R.COMPLETED)
    assert (completed.ended_on - completed.started_on).days >= 730
    stopped = mine.get(end_reason=R.STOPPED_BY_CLIENT, status=S.CLOSED)
    assert stopped.end_note
    assert (stopped.ended_on - stopped.started_on).days < 730
    # No contact for 40 days, while in aftercare.
    clients = Client.objects.filter(team__name=team).annotate(
        last=Max("trajectories__contacts__date")
    )
    silent = clients.get(last=days(-40))
    assert silent.current_trajectory.status == S.AFTERCARE
    # LVB indicated; no fixed address with a postal address.
    assert clients.filter(lvb=Client.LVB.YES).exists()
    postal = clients.get(address_kind=Client.AddressKind.POSTAL)
    assert postal.street
    assert postal.postcode
    assert postal.city == Team.objects.get(name=team).municipality.name
    # Age exception: 28 at the start, with the reason recorded.
    exception = mine.get(age_exception_reason__gt="")
    assert age_on(exception.client.date_of_birth, exception.started_on) == 28


@pytest.mark.parametrize("team", TEAMS)
def test_the_caseload_has_stories_not_just_rows(seeded, team):
    mine = trajectories(team)
    contacts = ContactMoment.objects.filter(trajectory__in=mine)
    assert set(contacts.values_list("kind", flat=True)) == set(ContactMoment.Kind.values)
    assert set(contacts.values_list("regie", flat=True)) == set(Regie.values)
    assert mine.filter(regie=Regie.PROCESS).exists()
    network = NetworkMember.objects.filter(client__team__name=team)
    assert network.filter(influence="supportive").count() >= 3
    assert network.filter(influence="risk", relation="vriend uit de oude groep").exists()
    assert Client.objects.filter(team__name=team, dreams="wil automonteur worden").exists()
    dji = DJIMessage.objects.filter(trajectory__in=mine)
    assert set(dji.values_list("kind", flat=True)) == set(DJIMessage.Kind.values)
    assert TimelineEvent.objects.filter(
        trajectory__in=mine, kind=TimelineEvent.Kind.STATUS, title__contains="→ Nazorg"
    ).exists()
    # Every contact is on the timeline, on the contact's own day.
    timeline = TimelineEvent.objects.filter(trajectory__in=mine, kind=TimelineEvent.Kind.CONTACT)
    assert timeline.count() == contacts.count()
    oldest = timeline.order_by("at").first()
    assert timezone.localtime(oldest.at).date() == contacts.order_by("date").first().date


def test_every_trajectory_keeps_the_rules(seeded):
    today = timezone.localdate()
    for trajectory in Trajectory.objects.select_related("client"):
        age = age_on(trajectory.client.date_of_birth, trajectory.started_on)
        assert 18 <= age <= 27 or trajectory.age_exception_reason
        assert trajectory.started_on <= today
        assert trajectory.offences
        assert trajectory.penitentiary_institution.startswith("PI ")
    for client in Client.objects.exclude(bsn=""):
        assert bsn_rules.is_valid(client.bsn)
    assert Client.objects.filter(bsn="").exists()
    assert ContactMoment.objects.filter(date__gt=today).count() == 0


def test_documents_are_real_pdfs(seeded):
    for team in TEAMS:
        documents = Document.objects.filter(client__team__name=team)
        assert documents.count() >= 3
        for document in documents:
            with document.file.open("rb") as file:
                content = file.read()
            assert content.startswith(b"%PDF-1.4")
            assert content.rstrip().endswith(b"%%EOF")
            assert document.size == len(content)
            assert document.extension == "pdf"
            assert document.file.name.endswith(".pdf")
            assert document.original_name != document.file.name


def test_seeding_twice_gives_the_same_rows(seeded):
    counts = row_counts()
    names = sorted(Client.objects.values_list("first_name", "last_name"))
    call_command("seed_demo", force=True)
    assert row_counts() == counts
    assert sorted(Client.objects.values_list("first_name", "last_name")) == names
    assert Trajectory.objects.filter(client__team__name="RIO Dordrecht").count() >= 15
