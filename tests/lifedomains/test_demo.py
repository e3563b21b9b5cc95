"""The demo's life-domain data: moments, scores, plans and checklists that tell a story."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from cases.models import Client, TimelineEvent, Trajectory
from lifedomains.domains import Domain
from lifedomains.models import Action, Assessment, DomainScore, Goal, PersonalPlan, ReadinessItem
from tests.factories import days

pytestmark = pytest.mark.django_db

TEAMS = ["RIO Dordrecht", "RIO Rotterdam"]
M = Assessment.Moment
S = Trajectory.Status
ITEM = ReadinessItem.Item


@pytest.fixture
def seeded():
    call_command("seed_demo", force=True)


def trajectories(team: str):
    return Trajectory.objects.filter(client__team__name=team)


def score(assessment: Assessment, domain: str) -> int | None:
    return assessment.scores.get(domain=domain).score


def row_counts() -> dict[str, int]:
    models = [Assessment, DomainScore, Goal, Action, ReadinessItem, PersonalPlan]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["TimelineEvent"] = TimelineEvent.objects.filter(
        kind=TimelineEvent.Kind.LIFE_DOMAINS
    ).count()
    return counts


@pytest.mark.parametrize("team", TEAMS)
def test_every_trajectory_with_contacts_has_a_t0_and_just_registered_none(seeded, team):
    mine = trajectories(team).annotate(contact_count=Count("contacts"))
    assert mine.filter(contact_count=0).exists()
    for trajectory in mine:
        moments = set(trajectory.assessments.values_list("moment", flat=True))
        if trajectory.contact_count == 0:
            assert not moments
            assert not trajectory.goals.exists()
        else:
            assert M.T0 in moments
            t0 = trajectory.assessments.get(moment=M.T0)
            assert t0.created_by == trajectory.caseworker
            assert t0.date >= trajectory.started_on
            assert t0.date <= (trajectory.actual_release or timezone.localdate())


def test_every_assessment_scores_all_five_domains_within_the_rules(seeded):
    today = timezone.localdate()
    for assessment in Assessment.objects.select_related("trajectory"):
        assert assessment.scores.count() == len(Domain)
        assert assessment.date <= (assessment.trajectory.ended_on or today)
    for row in DomainScore.objects.all():
        if row.discussed:
            assert 1 <= row.score <= 5
            assert not row.not_discussed_reason
        else:
            assert row.score is None
            assert row.not_discussed_reason
        assert (row.wish_strength is None) or (row.wish and 1 <= row.wish_strength <= 5)
    assert DomainScore.objects.filter(discussed=False).exists()
    assert DomainScore.objects.exclude(wish="").count() >= 10


@pytest.mark.parametrize("team", TEAMS)
def test_release_in_ten_days_has_id_but_not_housing(seeded, team):
    soon = trajectories(team).get(status=S.DETENTION, expected_release__range=(days(8), days(12)))
    assert soon.assessments.filter(moment=M.T0).exists()
    items = {row.item: row for row in soon.readiness_items.all()}
    assert items[ITEM.ID_DOCUMENT].status == ReadinessItem.Status.ARRANGED
    assert ITEM.HOUSING not in items or not items[ITEM.HOUSING].is_done
    assert ITEM.INCOME not in items or not items[ITEM.INCOME].is_done


@pytest.mark.parametrize("team", TEAMS)
def test_one_year_after_release_shows_clear_change_since_t0(seeded, team):
    year = trajectories(team).get(
        status=S.AFTERCARE, actual_release__range=(days(-370), days(-360))
    )
    t0 = year.assessments.get(moment=M.T0)
    m12 = year.assessments.get(moment=M.M12)
    assert score(m12, Domain.WORK) == 4
    assert score(m12, Domain.FINANCES) == 3
    assert score(m12, Domain.HOUSING) > score(t0, Domain.HOUSING)
    assert score(m12, Domain.WORK) > score(t0, Domain.WORK)
    for domain in (Domain.HOUSING, Domain.FINANCES, Domain.WORK):
        assert score(t0, domain) <= 2


@pytest.mark.parametrize("team", TEAMS)
def test_three_months_after_release_has_an_overdue_partner_action(seeded, team):
    today = timezone.localdate()
    mine = Action.objects.filter(goal__trajectory__client__team__name=team)
    assert mine.overdue(today).filter(owner=Action.Owner.PARTNER).exists()
    three = trajectories(team).get(status=S.AFTERCARE, actual_release__range=(days(-95), days(-85)))
    overdue = mine.filter(goal__trajectory=three, owner=Action.Owner.PARTNER).overdue(today)
    assert overdue.filter(owner_name__gt="").exists()
    release, interim = (three.assessments.get(moment=m) for m in (M.RELEASE, M.INTERIM))
    assert score(interim, Domain.ADMIN) > score(release, Domain.ADMIN)
    assert score(interim, Domain.WORK) > score(release, Domain.WORK)


@pytest.mark.parametrize("team", TEAMS)
def test_plans_are_in_the_young_persons_words(seeded, team):
    goals = Goal.objects.filter(trajectory__client__team__name=team)
    assert goals.filter(text="Ik wil een eigen kamer").exists()
    assert goals.filter(status=Goal.Status.OPEN).count() > goals.count() / 3
    assert goals.filter(status=Goal.Status.ACHIEVED).exists()
    for trajectory in trajectories(team).annotate(n=Count("goals")).filter(n__gt=0):
        if trajectory.is_open:
            assert 2 <= trajectory.n <= 4
        else:
            assert trajectory.n <= 2
            assert not trajectory.goals.filter(status=Goal.Status.OPEN).exists()
    for goal in goals.annotate(n=Count("actions")):
        assert 1 <= goal.n <= 4
    actions = Action.objects.filter(goal__in=goals)
    assert actions.filter(done_on__isnull=False).exists()
    assert set(actions.values_list("owner", flat=True)) == set(Action.Owner.values)
    assert not actions.filter(done_on__gt=timezone.localdate()).exists()


@pytest.mark.parametrize("team", TEAMS)
def test_released_checklists_are_mostly_arranged_and_one_refused(seeded, team):
    items = ReadinessItem.objects.filter(
        trajectory__client__team__name=team, trajectory__actual_release__isnull=False
    )
    assert items.filter(status__in=ReadinessItem.DONE).count() > items.count() / 2
    refused = items.get(status=ReadinessItem.Status.REFUSED)
    assert refused.note
    assert not ReadinessItem.objects.filter(date__gt=timezone.localdate()).exists()


@pytest.mark.parametrize("team", TEAMS)
def test_lvb_client_has_an_easy_read_plan(seeded, team):
    lvb = Client.objects.get(team__name=team, lvb=Client.LVB.YES)
    plan = PersonalPlan.objects.get(trajectory=lvb.current_trajectory)
    assert timezone.localtime(plan.next_appointment).hour == 10
    assert timezone.localtime(plan.next_appointment).date() > timezone.localdate()
    assert plan.appointment_place
    assert plan.message
    assert (
        PersonalPlan.objects.filter(
            ~Q(trajectory__status=S.CLOSED), trajectory__client__team__name=team
        ).count()
        >= 2
    )


def test_assessments_are_on_the_timeline(seeded):
    events = TimelineEvent.objects.filter(kind=TimelineEvent.Kind.LIFE_DOMAINS)
    assert events.count() == Assessment.objects.count()
    assert events.filter(title="Meting T0 vastgelegd").exists()


def test_seeding_twice_gives_the_same_rows(seeded):
    counts = row_counts()
    scores = sorted(DomainScore.objects.values_list("domain", "score", "wish"), key=str)
    call_command("seed_demo", force=True)
    assert row_counts() == counts
    assert sorted(DomainScore.objects.values_list("domain", "score", "wish"), key=str) == scores


def test_lifedomains_seed_alone_is_idempotent(seeded):
    from lifedomains import demo

    counts = row_counts()
    demo.seed()
    assert row_counts() == counts
