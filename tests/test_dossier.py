"""The dossier as wired in `RIO_DOSSIER_SECTIONS`: every section is on the page and in its
table of contents, and the whole page is one pinned number of queries, whatever the history."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from cases import dossier
from cases.models import DJIMessage, TimelineEvent, Trajectory
from followup.schedule import sync_schedule
from lifedomains.domains import Domain
from lifedomains.models import Action, Assessment, DomainScore, Goal, ReadinessItem
from partners.models import (
    Agreement,
    Bottleneck,
    CaseConference,
    Involvement,
    Organisation,
    PartnerRequest,
    SharingBasis,
)
from tests.factories import (
    ClientFactory,
    ContactFactory,
    DJIMessageFactory,
    DocumentFactory,
    NetworkMemberFactory,
    TrajectoryFactory,
    days,
)

pytestmark = pytest.mark.django_db

# The one pin of the dossier, with every section filled. The view: session, user, MFA
# check, client, trajectories, access log insert, and the session save (3). The page: the
# user's team and the inbox's unread count. Then the sections, in their order:
# release readiness: checklist items, the counts and warning (2); life domains:
# assessments and their scores (2); follow-up: the schedule (1); plan: goals, their
# actions, the open agreements (3); network (1); chain partners: legal bases,
# involvements, requests, detention place, conferences, their organisations and
# agreements (7); bottlenecks (1); contacts and the no-contact rule (2); documents, DJI
# messages, timeline (3).
DOSSIER_QUERIES = 33
MOMENTS = ["t0", "release", "m6", "m12", "m24"]


def fill(trajectory: Trajectory, *, scale: int) -> None:
    """Give every section of the dossier something to show; `scale` 2 doubles all of it."""
    client, caseworker = trajectory.client, trajectory.caseworker
    organisations = [
        Organisation.objects.create(name=f"Partner {n}", kind=Organisation.Kind.HOUSING)
        for n in range(3 * scale)
    ]
    for number, organisation in enumerate(organisations):
        Involvement.objects.create(
            trajectory=trajectory, organisation=organisation, role="Begeleiding", domains=["care"]
        )
        SharingBasis.objects.create(
            trajectory=trajectory,
            organisation=organisation,
            basis=SharingBasis.Basis.CONSENT,
            scope=["care"],
            valid_from=days(-30),
            valid_until=days(20 * number),
        )
        PartnerRequest.objects.create(
            trajectory=trajectory,
            organisation=organisation,
            domain="care",
            question=f"Vraag {number}",
            asked_on=days(-20),
            answered_on=days(-10) if number % 2 else None,
            answer="Ja" if number % 2 else "",
        )
        conference = CaseConference.objects.create(trajectory=trajectory, held_on=days(-number))
        conference.organisations.add(organisation)
        Agreement.objects.create(conference=conference, text=f"Afspraak {number}")
        bottleneck = Bottleneck.objects.create(
            team=client.team,
            title=f"Wachtlijst {number}",
            description="Wachtlijst",
            category=Bottleneck.Category.CAPACITY,
            raised_by=caseworker,
            raised_on=days(-10),
        )
        bottleneck.trajectories.add(trajectory)
    for number in range(6 * scale):
        assessment = Assessment.objects.create(
            trajectory=trajectory,
            moment=MOMENTS[number] if number < len(MOMENTS) else "interim",
            date=days(-95 + 7 * number),
        )
        for offset, domain in enumerate(Domain.values):
            DomainScore.objects.create(
                assessment=assessment, domain=domain, score=(number + offset) % 5 + 1
            )
    for number in range(8 * scale):
        goal = Goal.objects.create(
            trajectory=trajectory, domain=Domain.values[number % 5], text=f"Doel {number}"
        )
        for index in range(3):
            Action.objects.create(
                goal=goal,
                description=f"Actie {number}.{index}",
                owner=Action.Owner.PARTNER if index == 0 else Action.Owner.CLIENT,
                organisation=organisations[0] if index == 0 else None,
                due_date=days(index * 10 - 5),
            )
    for number, item in enumerate(ReadinessItem.Item.values):
        status = ReadinessItem.Status.values[number % len(ReadinessItem.Status.values)]
        ReadinessItem.objects.create(trajectory=trajectory, item=item, status=status)
    for number in range(20 * scale):
        ContactFactory(trajectory=trajectory, date=days(-number), created_by=caseworker)
        TimelineEvent.record(trajectory=trajectory, kind="contact", by=caseworker, title="x")
    for _ in range(5 * scale):
        NetworkMemberFactory(client=client)
        document = DocumentFactory(client=client, trajectory=trajectory, uploaded_by=caseworker)
        DJIMessageFactory(trajectory=trajectory, kind=DJIMessage.Kind.RR_PLAN, document=document)
    sync_schedule(trajectory)
    if scale > 1:
        older = TrajectoryFactory(
            client=client,
            caseworker=caseworker,
            status=Trajectory.Status.CLOSED,
            started_on=days(-700),
            detention_start=days(-720),
            expected_release=days(-600),
            actual_release=days(-600),
            ended_on=days(-400),
            end_reason=Trajectory.EndReason.NEW_DETENTION,
        )
        ContactFactory(trajectory=older, date=days(-500))


@pytest.fixture
def trajectory(team, caseworker):
    return TrajectoryFactory(
        client=ClientFactory(team=team, first_name="Jayden", last_name="Verhoef"),
        caseworker=caseworker,
        status=Trajectory.Status.DETENTION,
        started_on=days(-100),
        detention_start=days(-120),
        expected_release=days(10),
    )


def dossier_url(trajectory) -> str:
    return reverse("cases:client-detail", args=[trajectory.client_id])


@pytest.mark.parametrize("scale", [1, 2])
def test_the_whole_dossier_is_one_fixed_number_of_queries(
    caseworker_client, trajectory, django_assert_num_queries, scale
):
    fill(trajectory, scale=scale)

    with django_assert_num_queries(DOSSIER_QUERIES):
        response = caseworker_client.get(dossier_url(trajectory))

    assert response.status_code == 200
    content = response.content.decode()
    # Every section really rendered its data at this scale.
    assert content.count("rio-checklist__item--") == 10
    assert content.count('class="rio-action') >= 8 * scale * 3
    assert content.count("Wachtlijst ") == 3 * scale
    assert content.count("Afspraak ") >= 3 * scale
    assert content.count('id="moment-') >= 10
    assert "⚠" in content  # released in 10 days with conditions open


def test_every_section_is_on_the_page_in_order_and_in_the_table_of_contents(
    caseworker_client, trajectory
):
    content = caseworker_client.get(dossier_url(trajectory)).content.decode()

    toc = re.search(r'<nav class="rio-toc".*?</nav>', content, re.DOTALL).group(0)
    anchors = [section.anchor for section in dossier.sections()]
    assert re.findall(r'href="#([a-z-]+)"', toc) == anchors
    positions = [content.index(f'<section id="{anchor}"') for anchor in anchors]
    assert positions == sorted(positions)
    assert len(anchors) == len(settings.RIO_DOSSIER_SECTIONS) == 12


def test_the_order_of_the_sections_comes_from_the_settings(caseworker_client, trajectory, settings):
    settings.RIO_DOSSIER_SECTIONS = ["cases.sections.TIMELINE", "cases.sections.TRAJECTORY"]

    content = caseworker_client.get(dossier_url(trajectory)).content.decode()

    assert content.index('<section id="tijdlijn"') < content.index('<section id="traject"')
    assert '<section id="basisvoorwaarden"' not in content


def test_two_sections_may_not_give_their_data_the_same_name(trajectory, caseworker, settings):
    settings.RIO_DOSSIER_SECTIONS = ["cases.sections.CONTACTS", "cases.sections.CONTACTS"]
    current = dossier.Dossier(
        client=trajectory.client,
        trajectory=trajectory,
        trajectories=[trajectory],
        user=caseworker,
        today=timezone.localdate(),
    )

    with pytest.raises(ImproperlyConfigured, match="contacts"):
        dossier.section_context(current)


def test_a_client_without_a_trajectory_still_gets_every_section(caseworker_client, team):
    client = ClientFactory(team=team)

    response = caseworker_client.get(reverse("cases:client-detail", args=[client.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert all(f'<section id="{s.anchor}"' in content for s in dossier.sections())
