"""The demo partners: bottlenecks at every level, an expired legal basis, answered
requests and case conferences in each demo team; idempotent."""

import pytest
from django.core.management import call_command

from accounts.models import Municipality, Team
from lifedomains.domains import Regie
from partners.models import (
    Agreement,
    Bottleneck,
    BottleneckEvent,
    CaseConference,
    ContactPerson,
    Involvement,
    Organisation,
    PartnerRequest,
    SharingBasis,
)

pytestmark = pytest.mark.django_db

TEAMS = ["RIO Dordrecht", "RIO Rotterdam"]
L = Regie
S = Bottleneck.Status


@pytest.fixture
def seeded():
    call_command("seed_demo", force=True)


def row_counts() -> dict[str, int]:
    models = [
        Organisation,
        ContactPerson,
        Involvement,
        SharingBasis,
        PartnerRequest,
        CaseConference,
        CaseConference.organisations.through,
        Agreement,
        Bottleneck,
        Bottleneck.organisations.through,
        Bottleneck.trajectories.through,
        BottleneckEvent,
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize("team_name", TEAMS)
def test_each_demo_team_has_a_bottleneck_at_every_level(seeded, team_name):
    team = Team.objects.get(name=team_name)
    by_level = {b.level: b for b in Bottleneck.objects.filter(team=team)}

    assert set(by_level) == {L.CASE, L.PROCESS, L.ADMINISTRATIVE}
    case = by_level[L.CASE]
    assert case.status == S.RESOLVED
    assert case.resolution.strip()
    assert case.closed_on is not None
    assert by_level[L.PROCESS].status == S.OPEN
    assert by_level[L.ADMINISTRATIVE].status == S.SCHEDULED
    for bottleneck in by_level.values():
        assert bottleneck.events.filter(kind=BottleneckEvent.Kind.RAISED).count() == 1
        assert bottleneck.organisations.exists()
        assert bottleneck.trajectories.exists()
        # Linked trajectories are the team's own.
        assert not bottleneck.trajectories.exclude(client__team=team).exists()
    assert (
        by_level[L.ADMINISTRATIVE].events.filter(kind=BottleneckEvent.Kind.ESCALATED).count() == 2
    )


@pytest.mark.parametrize("municipality", ["Dordrecht", "Rotterdam"])
def test_each_demo_municipality_has_an_expired_legal_basis(seeded, municipality):
    bases = SharingBasis.objects.filter(
        trajectory__client__team__municipality=Municipality.objects.get(name=municipality)
    )

    states = [basis.state() for basis in bases]
    assert SharingBasis.State.EXPIRED in states
    assert SharingBasis.State.VALID in states


@pytest.mark.parametrize("team_name", TEAMS)
def test_each_demo_team_has_requests_with_answer_times(seeded, team_name):
    requests = list(PartnerRequest.objects.filter(trajectory__client__team__name=team_name))

    answered = [r for r in requests if r.answered_on is not None]
    assert answered
    assert all(r.days_to_answer > 0 and r.answer for r in answered)
    assert all(r.asked_on <= r.answered_on for r in answered)


@pytest.mark.parametrize("team_name", TEAMS)
def test_each_demo_team_has_two_case_conferences_with_agreements(seeded, team_name):
    conferences = CaseConference.objects.filter(trajectory__client__team__name=team_name)

    assert conferences.count() == 2
    for conference in conferences:
        assert conference.agreements.exists()
        assert conference.organisations.exists()


def test_demo_partner_data_keeps_the_rules(seeded):
    for involvement in Involvement.objects.select_related("contact_person"):
        if involvement.contact_person:
            assert involvement.contact_person.organisation_id == involvement.organisation_id
    for basis in SharingBasis.objects.all():
        assert basis.scope
    assert not Bottleneck.objects.filter(status__in=Bottleneck.CLOSED_STATUSES, resolution="")


def test_seeding_twice_keeps_the_counts(seeded):
    counts = row_counts()

    call_command("seed_demo", force=True)

    assert row_counts() == counts
