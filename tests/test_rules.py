"""The business rules, each pinned once at its boundaries, and proof that the caseload, the
dossier and the daily reminder give the same answer for the same trajectory on the same day.

Each rule is one QuerySet method (or a function over a Trajectory QuerySet where the
rule needs another app's data); the pages, the sweep and the reports all call it.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import ContactMoment, Trajectory
from followup.models import FollowUpMoment, Notification
from followup.reminders import sweep
from lifedomains.domains import Domain
from lifedomains.models import (
    Action,
    Assessment,
    Goal,
    ReadinessItem,
    readiness_open,
    release_warning,
    with_t0_before_release,
)
from partners.models import Organisation, SharingBasis
from tests.factories import ClientFactory, ContactFactory, TrajectoryFactory, days

pytestmark = pytest.mark.django_db

Status = Trajectory.Status
ITEM, DONE = ReadinessItem.Item, ReadinessItem.Status
With = ContactMoment.With


def today() -> datetime.date:
    return timezone.localdate()


def trajectory_for(caseworker, **fields) -> Trajectory:
    return TrajectoryFactory(
        client=ClientFactory(team=caseworker.team), caseworker=caseworker, **fields
    )


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def arrange(trajectory, *items, status=DONE.ARRANGED) -> None:
    for item in items:
        ReadinessItem.objects.create(trajectory=trajectory, item=item, status=status)


# --- Release within the warning window ----------------------------------------------------


@pytest.mark.parametrize(("offset", "inside"), [(-1, False), (0, True), (14, True), (15, False)])
def test_release_soon_counts_today_up_to_the_warning_day(caseworker, offset, inside):
    trajectory = trajectory_for(
        caseworker, expected_release=days(offset), detention_start=days(-90)
    )

    assert (trajectory.pk in ids(Trajectory.objects.release_soon(today()))) is inside


@pytest.mark.parametrize(
    ("fields", "inside"),
    [
        ({"registered": True}, True),
        ({}, True),
        ({"released": True}, False),
        ({"closed": True}, False),
    ],
    ids=["registered", "detention", "released", "closed"],
)
def test_release_soon_is_any_open_trajectory_not_yet_released(caseworker, fields, inside):
    trajectory = trajectory_for(caseworker, expected_release=days(10), **fields)

    assert (trajectory.pk in ids(Trajectory.objects.release_soon(today()))) is inside


def test_the_warning_window_is_the_setting(caseworker, settings):
    trajectory = trajectory_for(caseworker, expected_release=days(10))
    settings.RIO_RELEASE_WARNING_DAYS = 9

    assert trajectory.pk not in ids(Trajectory.objects.release_soon(today()))


# --- Basic conditions done -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "still_open"),
    [
        ([DONE.ARRANGED] * 5, False),
        ([DONE.ARRANGED] * 4 + [DONE.NOT_NEEDED], False),
        ([DONE.ARRANGED] * 4 + [DONE.REFUSED], True),
        ([DONE.ARRANGED] * 4 + [DONE.IN_PROGRESS], True),
        ([DONE.ARRANGED] * 4, True),
    ],
    ids=["all arranged", "one not needed", "one refused", "one in progress", "one untouched"],
)
def test_readiness_is_open_until_every_basic_condition_is_arranged_or_not_needed(
    caseworker, statuses, still_open
):
    trajectory = trajectory_for(caseworker)
    for item, status in zip(ReadinessItem.BASIC, statuses, strict=False):
        arrange(trajectory, item, status=status)
    # Practical matters are not basic conditions.
    arrange(trajectory, ITEM.DIGID, ITEM.BANK_ACCOUNT)

    assert (trajectory.pk in ids(readiness_open(Trajectory.objects.all()))) is still_open


# --- No contact for too long ----------------------------------------------------------------


@pytest.mark.parametrize(("last", "warned"), [(-30, True), (-29, False), (None, True)])
def test_out_of_contact_after_the_setting_s_days(caseworker, last, warned):
    trajectory = trajectory_for(caseworker, started_on=days(-100))
    if last is not None:
        ContactFactory(trajectory=trajectory, date=days(last))
        ContactFactory(trajectory=trajectory, date=days(last - 10))

    assert (trajectory.pk in ids(Trajectory.objects.out_of_contact(today()))) is warned


@pytest.mark.parametrize(("started", "warned"), [(-30, True), (-29, False)])
def test_without_any_contact_the_days_count_from_the_start_of_guidance(caseworker, started, warned):
    trajectory = trajectory_for(caseworker, started_on=days(started), detention_start=days(-40))

    assert (trajectory.pk in ids(Trajectory.objects.out_of_contact(today()))) is warned


def test_only_the_trajectory_s_own_contacts_count(caseworker):
    older = trajectory_for(caseworker, closed=True, started_on=days(-300))
    trajectory = TrajectoryFactory(
        client=older.client, caseworker=caseworker, started_on=days(-100)
    )
    ContactFactory(trajectory=older, date=days(-2))

    assert trajectory.pk in ids(Trajectory.objects.out_of_contact(today()))


def test_a_closed_trajectory_is_never_out_of_contact(caseworker):
    trajectory = trajectory_for(caseworker, closed=True, started_on=days(-300))

    assert trajectory.pk not in ids(Trajectory.objects.out_of_contact(today()))


def test_the_no_contact_days_are_the_setting(caseworker, settings):
    trajectory = trajectory_for(caseworker, started_on=days(-100))
    ContactFactory(trajectory=trajectory, date=days(-12))
    settings.RIO_NO_CONTACT_WARNING_DAYS = 12

    assert trajectory.pk in ids(Trajectory.objects.out_of_contact(today()))


# --- Starting on time: first contact, guidance and T0 before release -------------------------


def test_the_first_contact_is_the_earliest_the_young_person_took_part_in(caseworker):
    trajectory = trajectory_for(caseworker, started_on=days(-100))
    ContactFactory(trajectory=trajectory, date=days(-90), with_whom=[With.PARTNER])
    ContactFactory(trajectory=trajectory, date=days(-85), with_whom=[With.NETWORK])
    ContactFactory(trajectory=trajectory, date=days(-60), with_whom=[With.CLIENT])
    ContactFactory(trajectory=trajectory, date=days(-70), with_whom=[With.PARTNER, With.CLIENT])
    without = trajectory_for(caseworker)
    ContactFactory(trajectory=without, date=days(-5), with_whom=[With.PARTNER])

    first = dict(Trajectory.objects.with_first_contact().values_list("pk", "first_contact"))

    assert first == {trajectory.pk: days(-70), without.pk: None}


@pytest.mark.parametrize(
    ("started", "released", "before"),
    [(-11, -10, True), (-10, -10, False), (-11, None, False)],
    ids=["the day before", "on the day of release", "not released"],
)
def test_guidance_started_before_release_is_before_the_day_of_release(
    caseworker, started, released, before
):
    trajectory = trajectory_for(
        caseworker,
        detention_start=days(-100),
        started_on=days(started),
        actual_release=days(released) if released is not None else None,
    )

    row = Trajectory.objects.with_guidance_started_before_release().get(pk=trajectory.pk)
    assert row.guidance_started_before_release is before


@pytest.mark.parametrize(
    ("moment", "dated", "released", "before"),
    [
        (Assessment.Moment.T0, -11, -10, True),
        (Assessment.Moment.T0, -10, -10, False),
        (Assessment.Moment.INTERIM, -11, -10, False),
        (Assessment.Moment.T0, -11, None, False),
    ],
    ids=["T0 the day before", "T0 on the day of release", "another moment", "not released"],
)
def test_a_t0_before_release_is_dated_before_the_day_of_release(
    caseworker, moment, dated, released, before
):
    trajectory = trajectory_for(
        caseworker,
        detention_start=days(-100),
        actual_release=days(released) if released is not None else None,
    )
    Assessment.objects.create(trajectory=trajectory, moment=moment, date=days(dated))

    row = with_t0_before_release(Trajectory.objects.filter(pk=trajectory.pk)).get()
    assert row.t0_before_release is before


# --- Overdue actions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "done", "overdue"),
    [(-1, None, True), (0, None, False), (None, None, False), (-5, -1, False)],
    ids=["due yesterday", "due today", "no date", "done"],
)
def test_an_action_is_overdue_the_day_after_its_date_until_done(caseworker, due, done, overdue):
    goal = Goal.objects.create(
        trajectory=trajectory_for(caseworker), domain=Domain.HOUSING, text="Een kamer"
    )
    action = Action.objects.create(
        goal=goal,
        description="Inschrijven",
        owner=Action.Owner.CLIENT,
        due_date=days(due) if due is not None else None,
        done_on=days(done) if done is not None else None,
    )

    # The set (sweep, caseload) and the row (the plan on the dossier) agree.
    assert (action.pk in ids(Action.objects.overdue(today()))) is overdue
    assert action.is_overdue(today()) is overdue


# --- Follow-up moments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "overdue", "due_soon"),
    [(-1, True, False), (0, False, True), (7, False, True), (8, False, False)],
)
def test_a_moment_is_due_soon_within_the_reminder_days_and_overdue_after(
    caseworker, due, overdue, due_soon
):
    trajectory = trajectory_for(caseworker)
    FollowUpMoment.objects.filter(trajectory=trajectory).delete()
    moment = FollowUpMoment.objects.create(
        trajectory=trajectory,
        kind=FollowUpMoment.Kind.AFTER_1M,
        planned_on=days(due),
        due_on=days(due),
    )
    moments = FollowUpMoment.objects.all()

    assert (moment.pk in ids(moments.overdue(today()))) is overdue
    assert (moment.pk in ids(moments.due_soon(today()))) is due_soon
    assert (moment.pk in ids(moments.due_for_followup(today()))) is (overdue or due_soon)
    flagged = moments.with_state(today()).get(pk=moment.pk)
    assert (flagged.overdue, flagged.due_soon) == (overdue, due_soon)


def test_a_done_moment_is_neither_overdue_nor_due(caseworker):
    trajectory = trajectory_for(caseworker)
    moment = FollowUpMoment.objects.create(
        trajectory=trajectory,
        kind=FollowUpMoment.Kind.AFTER_1M,
        planned_on=days(-3),
        due_on=days(-3),
        status=FollowUpMoment.Status.DONE,
        done_on=days(-3),
    )

    assert not FollowUpMoment.objects.due_for_followup(today()).filter(pk=moment.pk).exists()


# --- Legal bases expiring ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("until", "withdrawn", "expiring"),
    [(30, None, True), (31, None, False), (0, None, True), (-1, None, False), (10, 0, False)],
    ids=["in 30 days", "in 31 days", "today", "yesterday", "withdrawn today"],
)
def test_a_legal_basis_expires_soon_within_the_setting_s_days(
    caseworker, until, withdrawn, expiring
):
    basis = SharingBasis.objects.create(
        trajectory=trajectory_for(caseworker),
        organisation=Organisation.objects.create(name="Reclassering", kind="probation"),
        basis=SharingBasis.Basis.CONSENT,
        scope=["care"],
        valid_from=days(-100),
        valid_until=days(until),
        withdrawn_on=days(withdrawn) if withdrawn is not None else None,
    )

    # The set (the sweep) and the row (the dossier's state) agree.
    assert (basis.pk in ids(SharingBasis.objects.expiring(today()))) is expiring
    assert (basis.state(today()) == SharingBasis.State.EXPIRING) is expiring


# --- One answer on every page -----------------------------------------------------------------


def caseload_rows(client_) -> dict[int, dict]:
    response = client_.get(reverse("cases:caseload"), {"status": "all"})
    return {row["client"].pk: row for row in response.context["rows"]}


def dossier_warns(client_, trajectory) -> bool:
    content = client_.get(reverse("cases:client-detail", args=[trajectory.client_id]))
    section = re.search(
        r'<section id="basisvoorwaarden".*?</section>', content.content.decode(), re.DOTALL
    ).group(0)
    return "rio-alert--warning" in section


def dossier_says_out_of_contact(client_, trajectory) -> bool:
    content = client_.get(reverse("cases:client-detail", args=[trajectory.client_id]))
    section = re.search(
        r'<section id="contacten".*?</section>', content.content.decode(), re.DOTALL
    ).group(0)
    return "rio-alert--warning" in section


def reminded(trajectory, kind) -> bool:
    return Notification.objects.filter(trajectory=trajectory, kind=kind).exists()


@pytest.mark.parametrize(
    ("fields", "warned"),
    [
        ({"registered": True, "expected_release": 10}, True),
        ({"expected_release": 10}, True),
        ({"expected_release": 14}, True),
        ({"expected_release": 15}, False),
        ({"expected_release": 0}, True),
        ({"released": True, "expected_release": -30}, False),
    ],
    ids=[
        "registered, release in 10 days",
        "in detention, 10 days",
        "14 days",
        "15 days",
        "today",
        "already released",
    ],
)
def test_caseload_dossier_and_reminder_agree_on_release_readiness(
    caseworker_client, caseworker, fields, warned
):
    offset = fields.pop("expected_release")
    trajectory = trajectory_for(caseworker, expected_release=days(offset), **fields)
    arrange(trajectory, ITEM.ID_DOCUMENT, ITEM.HOUSING)
    sweep(today=today())

    row = caseload_rows(caseworker_client)[trajectory.client_id]
    assert row["client"].release_warning is warned
    assert (
        "rio-flag--readiness" in caseworker_client.get(reverse("cases:caseload")).content.decode()
    ) is warned
    assert dossier_warns(caseworker_client, trajectory) is warned
    assert reminded(trajectory, Notification.Kind.RELEASE_READINESS) is warned
    assert (trajectory.pk in ids(release_warning(Trajectory.objects.all(), today()))) is warned


def test_nobody_is_warned_once_every_basic_condition_is_done(caseworker_client, caseworker):
    trajectory = trajectory_for(caseworker, registered=True, expected_release=days(10))
    arrange(trajectory, *ReadinessItem.BASIC)
    sweep(today=today())

    assert caseload_rows(caseworker_client)[trajectory.client_id]["client"].release_warning is False
    assert dossier_warns(caseworker_client, trajectory) is False
    assert not reminded(trajectory, Notification.Kind.RELEASE_READINESS)


@pytest.mark.parametrize(
    ("fields", "last", "warned"),
    [
        ({"registered": True}, -30, True),
        ({}, -30, True),
        ({}, -29, False),
        ({"released": True}, -45, True),
        ({}, None, True),
    ],
    ids=["registered, 30 days", "detention, 30 days", "29 days", "aftercare, 45 days", "never"],
)
def test_caseload_dossier_and_reminder_agree_on_no_contact(
    caseworker_client, caseworker, fields, last, warned
):
    trajectory = trajectory_for(caseworker, started_on=days(-100), **fields)
    if last is not None:
        ContactFactory(trajectory=trajectory, date=days(last))
    sweep(today=today())

    assert caseload_rows(caseworker_client)[trajectory.client_id]["no_contact_warning"] is warned
    assert dossier_says_out_of_contact(caseworker_client, trajectory) is warned
    assert reminded(trajectory, Notification.Kind.NO_CONTACT) is warned
