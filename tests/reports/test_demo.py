"""The demo history behind the managers' dashboards (reports.demo): three years of a second
team's work per demo municipality, next to caseloads that stay as cases.demo makes them."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Municipality, User
from cases.models import Client, ContactMoment, Trajectory
from followup.models import FollowUpMoment, Notification
from followup.schedule import sync_schedules
from lifedomains.models import (
    Assessment,
    DomainScore,
    ReadinessItem,
    ReadinessItemEvent,
    with_readiness_on_release,
)
from partners.models import Bottleneck, PartnerRequest, SharingBasis
from reports import demo, indicators
from reports.indicators.caseload import status_at
from tests.cases.test_caseload import QUERIES as CASELOAD_PAGE_QUERIES

pytestmark = pytest.mark.django_db

MUNICIPALITIES = ["Dordrecht", "Rotterdam"]
HISTORY_TEAMS = {"Dordrecht": "RIO Drechtsteden", "Rotterdam": "RIO Rotterdam-Zuid"}
CASEWORKERS = ["rio1", "rio1b", "rio2", "rio2b"]
END = Trajectory.EndReason
S = Trajectory.Status
# As tests/cases/test_caseload.py pins it whatever the size of the caseload, less its MFA
# check: the demo users have no TOTP, and the demo runs with MFA off.
CASELOAD_QUERIES = CASELOAD_PAGE_QUERIES - 1


def caseload(username: str) -> list[int]:
    """The clients the caseload page lists for `username` by default (its own QuerySet)."""
    user = User.objects.get(username=username)
    clients = Client.objects.visible_to(user).with_current_trajectory().filter(current_open=True)
    return sorted(clients.values_list("pk", flat=True))


def caseload_sizes() -> dict[str, tuple[int, int]]:
    """Per caseworker: (the team's open young people, their own)."""
    sizes = {}
    for username in CASEWORKERS:
        user = User.objects.get(username=username)
        clients = Client.objects.visible_to(user).with_current_trajectory()
        mine = clients.filter(current_open=True, current_caseworker_id=user.pk)
        sizes[username] = (len(caseload(username)), mine.count())
    return sizes


def trajectories(municipality: str):
    return Trajectory.objects.filter(client__team__municipality__name=municipality)


def history(municipality: str):
    """The trajectories of the municipality's second team, all made by reports.demo."""
    return Trajectory.objects.filter(client__team__name=HISTORY_TEAMS[municipality])


def events_of(municipality: str):
    return ReadinessItemEvent.objects.filter(
        trajectory_id__in=trajectories(municipality).values("pk")
    )


def row_counts() -> dict[str, int]:
    counts = {
        model.__name__: model.objects.count()
        for model in (
            Client,
            Trajectory,
            ContactMoment,
            Assessment,
            DomainScore,
            ReadinessItem,
            FollowUpMoment,
            PartnerRequest,
            SharingBasis,
            Bottleneck,
            Notification,
        )
    }
    # Events of removed items stay (append-only); the current trajectories' are compared.
    counts["ReadinessItemEvent"] = ReadinessItemEvent.objects.filter(
        trajectory_id__in=Trajectory.objects.values("pk")
    ).count()
    return counts


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module: the caseloads without the history, then with it twice.

    In a transaction of its own that is rolled back at the end, so the other
    modules find the database as it was.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        history = demo.HISTORIES
        demo.HISTORIES = ()
        try:
            call_command("seed_demo", force=True)
            before = caseload_sizes()
        finally:
            demo.HISTORIES = history
        call_command("seed_demo", force=True)
        first = row_counts()
        call_command("seed_demo", force=True)
        yield {"caseloads": before, "first": first}
        transaction.set_rollback(True)


def test_each_history_team_has_three_years_of_trajectories_most_closed(seeded):
    today = timezone.localdate()
    for municipality in MUNICIPALITIES:
        all_of_them = history(municipality)
        assert all_of_them.count() == 150
        closed = all_of_them.filter(status=S.CLOSED).count()
        assert 0.65 * 150 <= closed <= 0.75 * 150
        starts = all_of_them.filter(started_on__gte=today - datetime.timedelta(days=3 * 365))
        assert starts.count() == all_of_them.count()
        for year in range(3):
            newest = today - datetime.timedelta(days=365 * year)
            in_year = all_of_them.filter(
                started_on__gt=newest - datetime.timedelta(days=365), started_on__lte=newest
            )
            assert 45 <= in_year.count() <= 55
        assert not all_of_them.filter(ended_on__gte=today).exists()
        # The older ones have ended, the ones still running are mostly recent.
        running = all_of_them.open()
        assert not running.filter(started_on__lt=today - datetime.timedelta(days=640)).exists()
        assert running.filter(started_on__gt=today - datetime.timedelta(days=300)).count() > (
            0.7 * running.count()
        )


def test_the_running_ones_are_in_every_status_agreeing_with_their_dates(seeded):
    today = timezone.localdate()
    for municipality in MUNICIPALITIES:
        running = history(municipality).open()
        statuses = dict(running.values_list("status").annotate(n=Count("pk")))
        assert statuses[S.REGISTERED] >= 3
        assert statuses[S.DETENTION] >= 8
        assert statuses[S.AFTERCARE] >= 15
        # The status the dashboards read from the dates is the stored one.
        for key, _label, condition in status_at(today):
            assert not history(municipality).filter(condition).exclude(status=key).exists(), key
        assert not running.filter(
            status=S.DETENTION, expected_release__lte=today
        ).exists()  # expected, still to come
        assert (
            not running.filter(status=S.REGISTERED, expected_release__isnull=False)
            .filter(detention_start__isnull=True)
            .exists()
        )
        # Still within the two years of follow-up after release.
        assert not running.filter(actual_release__lte=today - datetime.timedelta(days=730)).exists()


def test_the_dashboard_of_the_last_twelve_months_shows_real_figures(seeded):
    today = timezone.localdate()
    for municipality in MUNICIPALITIES:
        scope = indicators.Scope(municipality=Municipality.objects.get(name=municipality))
        dashboard = indicators.dashboard(scope, indicators.Period.last_twelve_months(today))
        started = dashboard.table("started").rows[0].own
        assert isinstance(started, int)
        assert started >= 55
        status = {row.label: row.own for row in dashboard.table("status").rows}
        assert all(isinstance(cell, int) and cell >= 5 for cell in status.values()), status
        ages = [row.own for row in dashboard.table("age").rows]
        assert sum(isinstance(cell, int) for cell in ages) >= 2
        # Every team of the municipality counts, the second one most.
        caseworkers = {row.label for row in dashboard.table("caseworkers").rows}
        assert len(caseworkers) == 4


def test_end_reasons_are_of_several_kinds_completed_most(seeded):
    for municipality in MUNICIPALITIES:
        reasons = dict(
            trajectories(municipality)
            .exclude(end_reason="")
            .values_list("end_reason")
            .annotate(n=Count("pk"))
        )
        assert set(reasons) >= {END.COMPLETED, END.NEW_DETENTION, END.STOPPED_BY_CLIENT, END.MOVED}
        assert reasons[END.COMPLETED] == max(reasons.values())
        assert reasons[END.COMPLETED] < 0.7 * sum(reasons.values())


def test_history_fits_the_age_range_except_a_few_with_a_reason(seeded):
    for municipality in MUNICIPALITIES:
        history = trajectories(municipality).filter(status=Trajectory.Status.CLOSED)
        exceptions = history.exclude(age_exception_reason="")
        assert 0 < exceptions.count() < 0.1 * history.count()
        for trajectory in history.select_related("client"):
            age = trajectory.client.age(on=trajectory.started_on)
            assert 18 <= age <= 27 or trajectory.age_exception_reason


def test_assessments_at_several_moments_improving_on_average(seeded):
    for municipality in MUNICIPALITIES:
        assessments = Assessment.objects.filter(trajectory__in=trajectories(municipality))
        moments = dict(assessments.values_list("moment").annotate(n=Count("pk")))
        for moment in ("t0", "release", "m6", "m12", "m24"):
            assert moments.get(moment, 0) >= 10, moment
        scores = DomainScore.objects.filter(assessment__in=assessments)
        mean = {}
        for moment in ("t0", "m12"):
            values = scores.filter(assessment__moment=moment, discussed=True)
            mean[moment] = sum(values.values_list("score", flat=True)) / values.count()
        assert mean["m12"] > mean["t0"] + 0.5
        assert scores.filter(discussed=False).exists()
        # Every assessment lies within its trajectory, and none is ahead of today.
        assert not assessments.filter(
            Q(date__lt=F("trajectory__started_on")) | Q(date__gt=F("trajectory__ended_on"))
        ).exists()
        assert not assessments.filter(date__gt=timezone.localdate()).exists()
        assert not assessments.filter(trajectory__status=S.REGISTERED).exists()


def test_readiness_history_is_dated_in_the_past_and_reads_on_release_day(seeded):
    today = timezone.localdate()
    for municipality in MUNICIPALITIES:
        events = events_of(municipality)
        assert events.count() > 500
        assert events.filter(pgh_created_at__date__lt=today).count() > 0.95 * events.count()
        released = with_readiness_on_release(
            trajectories(municipality).exclude(actual_release=None)
        )
        total = released.count()
        ids = released.filter(done_on_release_id_document=True).count()
        housing = released.filter(done_on_release_housing=True).count()
        income = released.filter(done_on_release_income=True).count()
        assert ids > 0.6 * total
        assert income > 0.5 * total
        assert 0 < housing < ids


def test_the_caseloads_released_checklists_are_not_all_dated_today(seeded):
    """cases.demo's released young people: their checklist counts on the release day."""
    for municipality in MUNICIPALITIES:
        released = with_readiness_on_release(
            trajectories(municipality).open().exclude(actual_release=None)
        )
        assert released.filter(done_on_release_id_document=True).exists()


def test_followup_moments_were_kept_on_time_late_or_missed(seeded):
    for municipality in MUNICIPALITIES:
        closed = trajectories(municipality).filter(status=Trajectory.Status.CLOSED)
        moments = FollowUpMoment.objects.filter(trajectory__in=closed)
        done = moments.filter(status=FollowUpMoment.Status.DONE)
        assert done.count() > 500
        late = [m for m in done if (m.done_on - m.due_on).days > 14]
        assert 0.05 * done.count() < len(late) < 0.4 * done.count()
        # Each kept moment of the history is a contact on that day (in the caseloads,
        # followup.demo counts an old moment without one as done on its date).
        assert done.filter(contact=None).count() < 0.05 * done.count()
        cancelled = moments.filter(status=FollowUpMoment.Status.CANCELLED)
        missed = [m for m in cancelled if m.due_on <= m.cancelled_on]
        assert missed
        assert not moments.filter(status=FollowUpMoment.Status.OPEN).exists()


def test_the_running_ones_have_the_planners_schedule_with_some_moments_overdue(seeded):
    today = timezone.localdate()
    for municipality in MUNICIPALITIES:
        running = history(municipality).open()
        # As followup.schedule plans them: the nightly sync has nothing to change.
        assert sync_schedules(running.values_list("pk", flat=True)).changed == 0
        moments = FollowUpMoment.objects.filter(trajectory__in=running)
        assert moments.filter(status=FollowUpMoment.Status.DONE).count() > 150
        assert not moments.filter(status=FollowUpMoment.Status.CANCELLED).exists()
        assert not moments.filter(done_on__gt=today).exists()
        overdue = moments.overdue(today)
        assert 5 <= overdue.count() < 0.1 * moments.count()
        # Recent, or since the last contact of one out of touch: not forgotten for months.
        assert not overdue.filter(due_on__lt=today - datetime.timedelta(days=120)).exists()
        assert running.out_of_contact(today).exists()
        # The sweep has reminded their caseworkers.
        reminded = Notification.objects.filter(trajectory__in=running)
        assert {"moment_due", "no_contact"} <= set(reminded.values_list("kind", flat=True))


def test_the_running_ones_in_detention_have_a_checklist_of_what_is_done_so_far(seeded):
    today = timezone.localdate()
    for municipality in MUNICIPALITIES:
        inside = history(municipality).filter(status=S.DETENTION)
        items = ReadinessItem.objects.filter(trajectory__in=inside)
        assert items.values("trajectory").distinct().count() == inside.count()
        assert items.filter(status__in=ReadinessItem.DONE).exists()
        assert items.exclude(status__in=ReadinessItem.DONE).exists()
        assert not items.filter(date__gt=today).exists()
        events = ReadinessItemEvent.objects.filter(trajectory_id__in=inside.values("pk"))
        assert not events.filter(pgh_created_at__date__gt=today).exists()
        registered = history(municipality).filter(status=S.REGISTERED)
        assert not ReadinessItem.objects.filter(trajectory__in=registered).exists()


def test_partners_side_has_requests_bases_and_bottlenecks_at_every_level(seeded):
    today = timezone.localdate()
    for municipality in MUNICIPALITIES:
        mine = trajectories(municipality)
        requests = PartnerRequest.objects.filter(trajectory__in=mine)
        assert requests.filter(answered_on__isnull=False).count() > 50
        assert requests.filter(answered_on__isnull=True).exists()
        assert requests.values("organisation__kind").distinct().count() >= 4
        bases = SharingBasis.objects.filter(trajectory__in=mine)
        assert bases.filter(valid_until__lt=today).exists()
        bottlenecks = Bottleneck.objects.filter(team__municipality__name=municipality)
        assert set(bottlenecks.values_list("level", flat=True)) == {
            "case",
            "process",
            "administrative",
        }
        solved = bottlenecks.exclude(closed_on=None).values_list("closed_on", flat=True)
        assert len({day.year for day in solved}) >= 2


def test_the_caseloads_are_the_same_with_the_history(seeded):
    assert caseload_sizes() == seeded["caseloads"]


def test_the_history_teams_caseload_page_renders_in_the_pinned_queries(
    seeded, client, settings, django_assert_num_queries
):
    settings.RIO_REQUIRE_MFA = False
    client.force_login(User.objects.get(username="rio1c"))
    with django_assert_num_queries(CASELOAD_QUERIES):
        response = client.get(reverse("cases:caseload"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == history("Dordrecht").open().count()


def test_the_manager_can_choose_the_second_team_and_counts_it_in_the_municipality(
    seeded, client, settings
):
    settings.RIO_REQUIRE_MFA = False
    client.force_login(User.objects.get(username="manager1"))
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "RIO Drechtsteden" in content  # in the team filter
    assert "RIO Rotterdam-Zuid" not in content
    assert "Nadia Bouali" in content  # rio1c, in the open trajectories per caseworker


def test_running_seed_demo_twice_gives_the_same_rows(seeded):
    assert row_counts() == seeded["first"]
