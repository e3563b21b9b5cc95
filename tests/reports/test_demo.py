"""The demo history behind the managers' dashboards (reports.demo): three years of closed
trajectories per demo municipality, next to caseloads that stay as cases.demo makes them."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import User
from cases.models import Client, ContactMoment, Trajectory
from followup.models import FollowUpMoment
from lifedomains.models import (
    Assessment,
    DomainScore,
    ReadinessItem,
    ReadinessItemEvent,
    with_readiness_on_release,
)
from partners.models import Bottleneck, PartnerRequest, SharingBasis
from reports import demo

pytestmark = pytest.mark.django_db

MUNICIPALITIES = ["Dordrecht", "Rotterdam"]
CASEWORKERS = ["rio1", "rio1b", "rio2", "rio2b"]
END = Trajectory.EndReason


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


def test_each_municipality_has_three_years_of_mostly_closed_trajectories(seeded):
    today = timezone.localdate()
    for municipality in MUNICIPALITIES:
        all_of_them = trajectories(municipality)
        assert all_of_them.count() >= 120
        assert (
            all_of_them.filter(status=Trajectory.Status.CLOSED).count() > 0.8 * all_of_them.count()
        )
        starts = all_of_them.filter(started_on__gte=today - datetime.timedelta(days=3 * 365))
        assert starts.count() == all_of_them.count()
        for year in range(3):
            newest = today - datetime.timedelta(days=365 * year)
            in_year = all_of_them.filter(
                started_on__gt=newest - datetime.timedelta(days=365), started_on__lte=newest
            )
            assert in_year.count() >= 15
        assert not all_of_them.filter(ended_on__gte=today).exists()


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
        # Every assessment lies within its trajectory.
        assert not assessments.filter(
            Q(date__lt=F("trajectory__started_on")) | Q(date__gt=F("trajectory__ended_on"))
        ).exists()


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


def test_running_seed_demo_twice_gives_the_same_rows(seeded):
    assert row_counts() == seeded["first"]
