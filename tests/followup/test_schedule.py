"""The follow-up schedule: what `plan()` says, and that every trajectory change keeps it current."""

import datetime
import functools
import zoneinfo

import holidays
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Client, DJIMessage, TimelineEvent, Trajectory
from followup import tasks
from followup.models import FollowUpMoment, Notification
from followup.schedule import plan, sync_schedule, sync_schedules, working_day_on_or_before
from lifedomains.domains import Regie
from tests.factories import ClientFactory, TrajectoryFactory, years_ago
from tests.pages import page_form

pytestmark = pytest.mark.django_db

S = Trajectory.Status
K = FollowUpMoment.Kind
M = FollowUpMoment.Status
D = datetime.date
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
TODAY = D(2026, 6, 15)  # a Monday


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=AMSTERDAM), tick=False)
    return TODAY


def unsaved(status=S.DETENTION, **dates) -> Trajectory:
    """A trajectory only for `plan()`, which reads nothing but its status and dates."""
    return Trajectory(status=status, **dates)


def make_trajectory(caseworker, *, sync=True, **fields) -> Trajectory:
    fields.setdefault("client", ClientFactory(team=caseworker.team))
    trajectory = TrajectoryFactory(caseworker=caseworker, **fields)
    if sync:
        sync_schedule(trajectory)
    return trajectory


def moments(trajectory) -> dict:
    return {(m.kind, m.sequence): m for m in FollowUpMoment.objects.filter(trajectory=trajectory)}


def moment(trajectory, kind, sequence=0) -> FollowUpMoment:
    return FollowUpMoment.objects.get(trajectory=trajectory, kind=kind, sequence=sequence)


def followup_lines(trajectory):
    """The timeline lines about the schedule (not those of a moment marked done)."""
    return TimelineEvent.objects.filter(
        trajectory=trajectory,
        kind=TimelineEvent.Kind.FOLLOW_UP,
        title__startswith="Follow-upschema",
    )


def assert_in_line_with_plan(trajectory):
    """Every planned moment exists and is open on its date (or done); the rest is cancelled."""
    trajectory.refresh_from_db()
    wanted = plan(trajectory)
    stored = moments(trajectory)
    assert set(wanted) <= set(stored)
    for key, row in stored.items():
        if row.status == M.DONE:
            continue
        if key in wanted:
            assert row.status == M.OPEN, key
            assert row.planned_on == wanted[key], key
            assert row.due_on == working_day_on_or_before(wanted[key]), key
            assert row.cancelled_on is None, key
        else:
            assert row.status == M.CANCELLED, key


# --- plan() ---------------------------------------------------------------------------------------


def test_plan_in_detention_with_a_known_release():
    trajectory = unsaved(
        detention_start=D(2026, 1, 10),
        started_on=D(2026, 2, 15),  # guidance began a month after the detention
        expected_release=D(2026, 9, 14),
    )

    assert plan(trajectory) == {
        (K.INTAKE, 0): D(2026, 2, 15),  # the later of detention start and guidance start
        # Month 1 (10-02) is before guidance began; month 5 (10-06) is 4 days from the
        # -3m moment and month 7 (10-08) 4 days from the -1m moment: those are the contact.
        (K.DETENTION_MONTHLY, 2): D(2026, 3, 10),
        (K.DETENTION_MONTHLY, 3): D(2026, 4, 10),
        (K.DETENTION_MONTHLY, 4): D(2026, 5, 10),
        (K.DETENTION_MONTHLY, 6): D(2026, 7, 10),
        (K.RELEASE_MINUS_3M, 0): D(2026, 6, 14),
        (K.RELEASE_MINUS_1M, 0): D(2026, 8, 14),
        (K.RELEASE_MINUS_1W, 0): D(2026, 9, 7),
        (K.RELEASE_DAY, 0): D(2026, 9, 14),
        (K.AFTER_1W, 0): D(2026, 9, 21),
        (K.AFTER_1M, 0): D(2026, 10, 14),
        (K.AFTER_3M, 0): D(2026, 12, 14),
        (K.AFTER_6M, 0): D(2027, 3, 14),
        (K.AFTER_12M, 0): D(2027, 9, 14),
        (K.AFTER_18M, 0): D(2028, 3, 14),
        (K.AFTER_24M, 0): D(2028, 9, 14),
    }


def test_monthly_contacts_are_numbered_from_one_and_stop_before_a_month_before_release():
    trajectory = unsaved(
        detention_start=D(2026, 1, 10), started_on=D(2026, 1, 10), expected_release=D(2026, 8, 30)
    )

    planned = plan(trajectory)

    monthly = {seq: day for (kind, seq), day in planned.items() if kind == K.DETENTION_MONTHLY}
    assert monthly == {n: D(2026, 1 + n, 10) for n in range(1, 7)}
    # 10-08 is 11 days after the -1m moment (30-07) and 13 before the -1w moment
    # (23-08): only the "before release minus a month" rule leaves it out.
    assert planned[(K.RELEASE_MINUS_1M, 0)] == D(2026, 7, 30)
    assert planned[(K.RELEASE_MINUS_1W, 0)] == D(2026, 8, 23)
    assert (K.DETENTION_MONTHLY, 7) not in planned
    assert all(day < D(2026, 7, 30) for day in monthly.values())


@pytest.mark.parametrize(
    ("release", "kept"),
    [
        (D(2026, 9, 17), False),  # -3m on 17-06, -1m on 17-08: exactly 7 days from a contact
        (D(2026, 9, 18), True),  # 8 days: the monthly contacts stay
    ],
)
def test_a_monthly_contact_within_seven_days_of_a_preparation_moment_is_left_out(release, kept):
    trajectory = unsaved(
        detention_start=D(2026, 1, 10), started_on=D(2026, 1, 10), expected_release=release
    )

    planned = plan(trajectory)

    assert ((K.DETENTION_MONTHLY, 5) in planned) is kept  # 10-06
    assert ((K.DETENTION_MONTHLY, 7) in planned) is kept  # 10-08
    assert (K.DETENTION_MONTHLY, 4) in planned
    assert (K.DETENTION_MONTHLY, 6) in planned


def test_preparation_before_the_start_of_guidance_is_left_out():
    trajectory = unsaved(
        detention_start=D(2026, 1, 10), started_on=D(2026, 7, 1), expected_release=D(2026, 9, 14)
    )

    planned = plan(trajectory)

    assert planned[(K.INTAKE, 0)] == D(2026, 7, 1)
    assert (K.RELEASE_MINUS_3M, 0) not in planned  # 14-06, before guidance began
    assert planned[(K.RELEASE_MINUS_1M, 0)] == D(2026, 8, 14)
    assert planned[(K.RELEASE_MINUS_1W, 0)] == D(2026, 9, 7)
    # Only 10-07 is after the start and not next to a preparation moment that exists.
    assert [key for key in planned if key[0] == K.DETENTION_MONTHLY] == [(K.DETENTION_MONTHLY, 6)]
    assert all(day >= D(2026, 7, 1) for day in planned.values())


def test_intake_is_on_the_start_of_detention_when_guidance_began_earlier():
    trajectory = unsaved(
        detention_start=D(2026, 3, 4), started_on=D(2026, 2, 1), expected_release=D(2027, 3, 4)
    )
    assert plan(trajectory)[(K.INTAKE, 0)] == D(2026, 3, 4)


def test_without_a_release_date_monthly_contacts_are_planned_for_24_months():
    trajectory = unsaved(detention_start=D(2026, 1, 12), started_on=D(2026, 1, 12))

    planned = plan(trajectory)

    monthly = sorted(seq for kind, seq in planned if kind == K.DETENTION_MONTHLY)
    assert monthly == list(range(1, 25))
    assert planned[(K.DETENTION_MONTHLY, 1)] == D(2026, 2, 12)
    assert planned[(K.DETENTION_MONTHLY, 24)] == D(2028, 1, 12)
    assert set(planned) == {(K.INTAKE, 0)} | {(K.DETENTION_MONTHLY, n) for n in range(1, 25)}


def test_a_registered_trajectory_gets_no_monthly_contacts():
    without_release = unsaved(status=S.REGISTERED, started_on=D(2026, 6, 1))
    assert plan(without_release) == {(K.INTAKE, 0): D(2026, 6, 1)}

    with_release = unsaved(
        status=S.REGISTERED, started_on=D(2026, 6, 1), expected_release=D(2026, 12, 1)
    )
    planned = plan(with_release)
    assert not [key for key in planned if key[0] == K.DETENTION_MONTHLY]
    assert planned[(K.RELEASE_DAY, 0)] == D(2026, 12, 1)
    assert planned[(K.RELEASE_MINUS_3M, 0)] == D(2026, 9, 1)


def test_the_actual_release_counts_over_the_expected_one():
    trajectory = unsaved(
        status=S.AFTERCARE,
        detention_start=D(2026, 1, 10),
        started_on=D(2026, 1, 10),
        expected_release=D(2026, 9, 14),
        actual_release=D(2026, 5, 20),
    )

    planned = plan(trajectory)

    assert planned[(K.RELEASE_DAY, 0)] == D(2026, 5, 20)
    assert planned[(K.AFTER_24M, 0)] == D(2028, 5, 20)
    assert planned[(K.RELEASE_MINUS_1M, 0)] == D(2026, 4, 20)
    assert max(day for (kind, _), day in planned.items() if kind == K.DETENTION_MONTHLY) < D(
        2026, 4, 20
    )


def test_a_closed_trajectory_has_an_empty_plan():
    trajectory = unsaved(
        status=S.CLOSED,
        detention_start=D(2026, 1, 10),
        started_on=D(2026, 1, 10),
        actual_release=D(2026, 5, 20),
    )
    assert plan(trajectory) == {}


# --- Working days ---------------------------------------------------------------------------------


def test_the_holidays_package_knows_the_dutch_days_these_tests_rely_on():
    dutch = holidays.country_holidays("NL", years=[2026, 2027])
    for day in (D(2026, 12, 25), D(2026, 12, 26), D(2027, 3, 26), D(2027, 3, 29), D(2027, 4, 27)):
        assert day in dutch


@pytest.mark.parametrize(
    ("planned_on", "due_on"),
    [
        (D(2026, 6, 15), D(2026, 6, 15)),  # a Monday: a working day
        (D(2026, 6, 13), D(2026, 6, 12)),  # Saturday → Friday
        (D(2026, 6, 14), D(2026, 6, 12)),  # Sunday → Friday
        (D(2027, 4, 27), D(2027, 4, 26)),  # King's Day (Tuesday) → Monday
        (D(2027, 3, 29), D(2027, 3, 25)),  # Easter Monday, weekend, Good Friday → Thursday
        (D(2026, 12, 25), D(2026, 12, 24)),  # Christmas (Friday) → Thursday
        (D(2026, 12, 26), D(2026, 12, 24)),  # Second Christmas Day (Saturday) → Thursday
        (D(2027, 1, 1), D(2026, 12, 31)),  # New Year's Day → the year before
    ],
)
def test_a_moment_is_due_on_the_working_day_on_or_before_its_date(caseworker, planned_on, due_on):
    # The release day is planned on the release date itself.
    trajectory = make_trajectory(
        caseworker,
        detention_start=D(2026, 5, 4),
        started_on=D(2026, 5, 4),
        expected_release=planned_on,
    )

    release_day = moment(trajectory, K.RELEASE_DAY)

    assert release_day.planned_on == planned_on
    assert release_day.due_on == due_on
    assert working_day_on_or_before(planned_on) == due_on


def test_no_moment_is_due_before_guidance_began(caseworker):
    # Guidance began on Saturday 10-01-2026; the intake is planned that day. Moving it
    # to the working day before makes it due on Friday 09-01, before the caseworker
    # was involved (and the done form then refuses its own prefilled date).
    trajectory = make_trajectory(
        caseworker,
        detention_start=D(2026, 1, 10),
        started_on=D(2026, 1, 10),
        expected_release=D(2026, 9, 14),
    )

    intake = moment(trajectory, K.INTAKE)

    assert intake.planned_on == D(2026, 1, 10)
    assert intake.due_on >= trajectory.started_on


# --- One place that syncs -------------------------------------------------------------------------


def registration_data(caseworker, **changes) -> dict:
    data = {
        "client-first_name": "Sem",
        "client-last_name": "de Vries",
        "client-date_of_birth": years_ago(20, days=30).isoformat(),
        "client-bsn_input": "",
        "client-phone": "0612345678",
        "client-email": "",
        "client-address_kind": Client.AddressKind.ADDRESS,
        "client-street": "Voorstraat 1",
        "client-postcode": "3311 AB",
        "client-city": "Dordrecht",
        "client-lvb": Client.LVB.UNKNOWN,
        "client-strengths": "",
        "client-talents": "",
        "client-dreams": "",
        "trajectory-situation": S.DETENTION,
        "trajectory-caseworker": caseworker.pk,
        "trajectory-offences": [Trajectory.Offence.STREET_ROBBERY],
        "trajectory-penitentiary_institution": "PI Dordrecht",
        "trajectory-detention_start": "2026-05-18",
        "trajectory-expected_release": "2026-11-16",
        "trajectory-actual_release": "",
        "trajectory-started_on": "2026-06-15",
        "trajectory-regie": Regie.CASE,
        "trajectory-age_exception_reason": "",
    }
    return data | changes


def test_registration_plans_the_schedule_once_and_a_second_sync_changes_nothing(
    caseworker_client, caseworker
):
    response = caseworker_client.post(reverse("cases:client-create"), registration_data(caseworker))

    assert response.status_code == 302
    trajectory = Trajectory.objects.get(client__last_name="de Vries")
    wanted = plan(trajectory)
    stored = moments(trajectory)
    assert {key: row.planned_on for key, row in stored.items()} == wanted
    assert {row.status for row in stored.values()} == {M.OPEN}
    assert stored[(K.INTAKE, 0)].planned_on == D(2026, 6, 15)
    assert stored[(K.RELEASE_DAY, 0)].due_on == D(2026, 11, 16)
    line = followup_lines(trajectory).get()
    assert line.by == caseworker
    assert line.title == f"Follow-upschema: {len(wanted)} gepland, 0 verschoven, 0 vervallen"

    again = sync_schedule(trajectory, by=caseworker)

    assert again.changed == 0
    assert FollowUpMoment.objects.filter(trajectory=trajectory).count() == len(wanted)
    assert followup_lines(trajectory).count() == 1  # nothing changed, nothing to say


def test_sync_creates_each_moment_once_and_is_idempotent(caseworker):
    trajectory = make_trajectory(
        caseworker,
        sync=False,
        detention_start=D(2026, 1, 12),
        started_on=D(2026, 1, 12),
        expected_release=D(2026, 10, 12),
    )
    wanted = plan(trajectory)

    first = sync_schedule(trajectory)

    assert (first.created, first.moved, first.cancelled, first.reopened) == (len(wanted), 0, 0, 0)
    assert not followup_lines(trajectory).exists()  # no user: the nightly check is silent
    before = list(FollowUpMoment.objects.filter(trajectory=trajectory).values().order_by("pk"))

    assert sync_schedule(trajectory).changed == 0
    assert sync_schedules([trajectory.pk, trajectory.pk]).changed == 0

    after = list(FollowUpMoment.objects.filter(trajectory=trajectory).values().order_by("pk"))
    assert after == before
    keys = [(row["kind"], row["sequence"]) for row in after]
    assert len(keys) == len(set(keys)) == len(wanted)


def test_the_database_refuses_a_second_row_for_the_same_moment(caseworker):
    trajectory = make_trajectory(caseworker)
    intake = moment(trajectory, K.INTAKE)

    with pytest.raises(IntegrityError, match="followup_moment_once"), transaction.atomic():
        FollowUpMoment.objects.create(
            trajectory=trajectory,
            kind=K.INTAKE,
            sequence=0,
            planned_on=intake.planned_on,
            due_on=intake.due_on,
        )


# --- Changing the dates through the edit form -----------------------------------------------------


def edit_data(browser, trajectory, **changes) -> dict:
    """The edit form's own values (hidden version included), with some changed."""
    response = browser.get(reverse("cases:trajectory-update", args=[trajectory.pk]))
    assert response.status_code == 200
    form = page_form(response)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            value = ""
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = value
    assert data["version"] == trajectory.version
    return data | changes


def edit(browser, trajectory, **changes):
    trajectory.refresh_from_db()
    data = edit_data(browser, trajectory, **changes)
    return browser.post(reverse("cases:trajectory-update", args=[trajectory.pk]), data)


MONTHLY = K.DETENTION_MONTHLY


def test_an_earlier_expected_release_moves_open_moments_keeps_done_ones_and_cancels_the_rest(
    caseworker_client, caseworker
):
    trajectory = make_trajectory(
        caseworker,
        detention_start=D(2026, 1, 12),
        started_on=D(2026, 1, 12),
        expected_release=D(2026, 12, 14),
    )
    moment(trajectory, K.INTAKE).mark_done(on=D(2026, 1, 13), by=caseworker)
    moment(trajectory, MONTHLY, 1).mark_done(on=D(2026, 2, 11), by=caseworker)
    before = moments(trajectory)
    assert before[(MONTHLY, 9)].status == M.OPEN  # 12-10, under the old release
    assert before[(K.RELEASE_DAY, 0)].planned_on == D(2026, 12, 14)

    response = edit(caseworker_client, trajectory, expected_release="2026-09-14")

    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.expected_release == D(2026, 9, 14)
    after = moments(trajectory)
    # Done moments are history: untouched.
    for key, done_on in [((K.INTAKE, 0), D(2026, 1, 13)), ((MONTHLY, 1), D(2026, 2, 11))]:
        assert after[key].status == M.DONE
        assert after[key].done_on == done_on
        assert after[key].planned_on == before[key].planned_on
    # Open moments moved to the new date (14-09-2026 is a Monday).
    assert after[(K.RELEASE_DAY, 0)].planned_on == D(2026, 9, 14)
    assert after[(K.RELEASE_DAY, 0)].due_on == D(2026, 9, 14)
    assert after[(K.RELEASE_MINUS_3M, 0)].planned_on == D(2026, 6, 14)
    assert after[(K.RELEASE_MINUS_3M, 0)].due_on == D(2026, 6, 12)  # Sunday → Friday
    assert after[(K.AFTER_24M, 0)].planned_on == D(2028, 9, 14)
    # Monthly contacts the new date no longer has are cancelled today, not deleted.
    for key in [(MONTHLY, 5), (MONTHLY, 7), (MONTHLY, 9)]:
        assert after[key].pk == before[key].pk
        assert after[key].status == M.CANCELLED, key
        assert after[key].cancelled_on == TODAY
    assert after[(MONTHLY, 4)].status == M.OPEN
    assert after[(MONTHLY, 6)].status == M.OPEN
    assert_in_line_with_plan(trajectory)
    line = followup_lines(trajectory).get()
    assert line.by == caseworker
    assert line.title == "Follow-upschema: 0 gepland, 11 verschoven, 3 vervallen"


def test_moving_the_release_back_reopens_the_cancelled_moments(caseworker_client, caseworker):
    trajectory = make_trajectory(
        caseworker,
        detention_start=D(2026, 1, 12),
        started_on=D(2026, 1, 12),
        expected_release=D(2026, 12, 14),
    )
    original = {key: (row.pk, row.planned_on) for key, row in moments(trajectory).items()}
    assert edit(caseworker_client, trajectory, expected_release="2026-09-14").status_code == 302
    assert moment(trajectory, MONTHLY, 9).status == M.CANCELLED

    response = edit(caseworker_client, trajectory, expected_release="2026-12-14")

    assert response.status_code == 302
    after = moments(trajectory)
    assert {key: (row.pk, row.planned_on) for key, row in after.items()} == original
    assert {row.status for row in after.values()} == {M.OPEN}
    assert all(row.cancelled_on is None for row in after.values())
    titles = list(followup_lines(trajectory).order_by("pk").values_list("title", flat=True))
    assert titles == [
        "Follow-upschema: 0 gepland, 11 verschoven, 3 vervallen",
        "Follow-upschema: 3 gepland, 11 verschoven, 0 vervallen",
    ]


def test_an_edit_that_leaves_the_dates_alone_writes_no_followup_line(caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker, expected_release=D(2026, 12, 14))
    before = list(FollowUpMoment.objects.filter(trajectory=trajectory).values().order_by("pk"))

    response = edit(caseworker_client, trajectory, penitentiary_institution="PI Zaanstad")

    assert response.status_code == 302
    after = list(FollowUpMoment.objects.filter(trajectory=trajectory).values().order_by("pk"))
    assert after == before
    assert not followup_lines(trajectory).exists()


# --- Release, DJI, closing, re-detention ----------------------------------------------------------


@pytest.fixture
def in_detention(caseworker):
    """In detention since 12-01-2026, expected out on 14-09-2026; the intake is done."""
    trajectory = make_trajectory(
        caseworker,
        detention_start=D(2026, 1, 12),
        started_on=D(2026, 1, 12),
        expected_release=D(2026, 9, 14),
    )
    moment(trajectory, K.INTAKE).mark_done(on=D(2026, 1, 14), by=caseworker)
    return trajectory


def assert_moved_to_release_on(trajectory, release: D, caseworker):
    trajectory.refresh_from_db()
    assert trajectory.status == S.AFTERCARE
    assert trajectory.actual_release == release
    assert moment(trajectory, K.RELEASE_DAY).planned_on == release
    assert moment(trajectory, K.AFTER_1W).planned_on == release + datetime.timedelta(weeks=1)
    assert moment(trajectory, K.AFTER_24M).planned_on == release.replace(year=release.year + 2)
    intake = moment(trajectory, K.INTAKE)
    assert (intake.status, intake.done_on) == (M.DONE, D(2026, 1, 14))
    # Monthly contacts after "a month before the release" no longer apply.
    cutoff = release.replace(month=release.month - 1)
    for row in FollowUpMoment.objects.filter(trajectory=trajectory, kind=MONTHLY):
        if row.planned_on >= cutoff:
            assert row.status == M.CANCELLED, row.sequence
    assert_in_line_with_plan(trajectory)
    assert followup_lines(trajectory).filter(by=caseworker).count() == 1


def test_the_release_action_moves_the_schedule_to_the_actual_release(
    caseworker_client, caseworker, in_detention
):
    response = caseworker_client.post(
        reverse("cases:trajectory-transition", args=[in_detention.pk]),
        {"to": S.AFTERCARE, "on": "2026-06-12"},
    )

    assert response.status_code == 302
    assert_moved_to_release_on(in_detention, D(2026, 6, 12), caseworker)
    # 12-03 is now next to the -3m moment (12-03), 12-05 is past the -1m moment (12-05).
    assert moment(in_detention, MONTHLY, 2).status == M.CANCELLED
    assert moment(in_detention, MONTHLY, 4).status == M.CANCELLED
    assert moment(in_detention, MONTHLY, 3).status == M.OPEN


def dji_release(browser, trajectory, release_date: str):
    return browser.post(
        reverse("cases:dji-create", args=[trajectory.pk]),
        {
            "kind": DJIMessage.Kind.DETENTION_END,
            "received_on": TODAY.isoformat(),
            "release_date": release_date,
            "summary": "Ontslagbericht van de PI.",
            "apply_release_date": "on",
        },
    )


def test_a_dji_release_message_moves_the_schedule_to_the_release(
    caseworker_client, caseworker, in_detention
):
    response = dji_release(caseworker_client, in_detention, "2026-06-12")

    assert response.status_code == 302
    assert_moved_to_release_on(in_detention, D(2026, 6, 12), caseworker)


def test_a_dji_message_with_a_later_release_date_moves_the_schedule_to_it(
    caseworker_client, caseworker, in_detention
):
    response = dji_release(caseworker_client, in_detention, "2026-11-16")

    assert response.status_code == 302
    in_detention.refresh_from_db()
    assert in_detention.status == S.DETENTION
    assert in_detention.expected_release == D(2026, 11, 16)
    assert moment(in_detention, K.RELEASE_DAY).planned_on == D(2026, 11, 16)
    assert moment(in_detention, K.RELEASE_MINUS_1M).planned_on == D(2026, 10, 16)
    # A later release makes room for monthly contacts that were not there before.
    assert moment(in_detention, MONTHLY, 8).status == M.OPEN  # 12-09
    assert_in_line_with_plan(in_detention)
    assert followup_lines(in_detention).filter(by=caseworker).count() == 1


def test_closing_cancels_every_open_moment_and_keeps_done_ones(
    caseworker_client, caseworker, in_detention
):
    open_before = FollowUpMoment.objects.filter(trajectory=in_detention, status=M.OPEN).count()
    assert open_before > 10

    response = caseworker_client.post(
        reverse("cases:trajectory-close", args=[in_detention.pk]),
        {"ended_on": TODAY.isoformat(), "end_reason": Trajectory.EndReason.MOVED, "end_note": ""},
    )

    assert response.status_code == 302
    in_detention.refresh_from_db()
    assert in_detention.status == S.CLOSED
    rows = FollowUpMoment.objects.filter(trajectory=in_detention)
    assert not rows.filter(status=M.OPEN).exists()
    assert rows.filter(status=M.CANCELLED, cancelled_on=TODAY).count() == open_before
    intake = moment(in_detention, K.INTAKE)
    assert (intake.status, intake.done_on) == (M.DONE, D(2026, 1, 14))
    assert followup_lines(in_detention).get().title == (
        f"Follow-upschema: 0 gepland, 0 verschoven, {open_before} vervallen"
    )


def test_a_new_trajectory_after_re_detention_closes_the_old_schedule_and_plans_a_new_one(
    caseworker_client, caseworker, in_detention
):
    client = in_detention.client
    open_before = FollowUpMoment.objects.filter(trajectory=in_detention, status=M.OPEN).count()
    data = {
        "situation": S.DETENTION,
        "caseworker": caseworker.pk,
        "offences": [Trajectory.Offence.BURGLARY],
        "penitentiary_institution": "PI Krimpen",
        "detention_start": "2026-06-10",
        "expected_release": "2026-12-10",
        "actual_release": "",
        "started_on": "2026-06-15",
        "regie": Regie.CASE,
        "age_exception_reason": "",
    }

    response = caseworker_client.post(reverse("cases:trajectory-create", args=[client.pk]), data)

    assert response.status_code == 302
    in_detention.refresh_from_db()
    assert in_detention.status == S.CLOSED
    old = FollowUpMoment.objects.filter(trajectory=in_detention)
    assert not old.filter(status=M.OPEN).exists()
    assert old.filter(status=M.CANCELLED).count() == open_before
    assert old.get(status=M.DONE).kind == K.INTAKE
    new = client.trajectories.open().get()
    assert new.pk != in_detention.pk
    stored = moments(new)
    assert {key: row.planned_on for key, row in stored.items()} == plan(new)
    assert {row.status for row in stored.values()} == {M.OPEN}
    assert stored[(K.INTAKE, 0)].planned_on == D(2026, 6, 15)
    assert stored[(K.RELEASE_DAY, 0)].planned_on == D(2026, 12, 10)


# --- Handover moves unread reminders --------------------------------------------------------------


def notify(trajectory, row, recipient, *, read: bool) -> Notification:
    return Notification.objects.create(
        recipient=recipient,
        trajectory=trajectory,
        kind=Notification.Kind.MOMENT_DUE,
        ref=row.pk,
        due_on=row.due_on,
        moment=row,
        read_at=timezone.now() if read else None,
    )


def hand_over_one(browser, trajectory, caseworker, to):
    """The handover of one trajectory; it redirects to the dossier."""
    return browser.post(
        reverse("cases:trajectory-handover", args=[trajectory.pk]),
        {"to": to.pk, "note": "Ik ga met verlof; de PI weet ervan."},
    )


def hand_over_caseload(browser, trajectory, caseworker, to):
    """The handover of a whole caseload; it shows a summary page."""
    return browser.post(
        reverse("cases:caseload-handover"),
        {"source": caseworker.pk, "to": to.pk, "note": "Ik ga met verlof."},
    )


@pytest.mark.parametrize(("hand_over", "status"), [(hand_over_one, 302), (hand_over_caseload, 200)])
def test_a_handover_gives_the_unread_reminders_to_the_new_caseworker(
    caseworker_client, caseworker, colleague, in_detention, hand_over, status
):
    unread = notify(in_detention, moment(in_detention, MONTHLY, 4), caseworker, read=False)
    read = notify(in_detention, moment(in_detention, K.RELEASE_MINUS_3M), caseworker, read=True)
    read_at = read.read_at

    response = hand_over(caseworker_client, in_detention, caseworker, colleague)

    assert response.status_code == status
    in_detention.refresh_from_db()
    assert in_detention.caseworker == colleague
    unread.refresh_from_db()
    read.refresh_from_db()
    assert unread.recipient == colleague
    assert unread.read_at is None
    assert read.recipient == caseworker
    assert read.read_at == read_at
    assert list(Notification.objects.for_user(colleague).unread()) == [unread]


# --- The sweep is queued after commit -------------------------------------------------------------


def test_a_trajectory_change_queues_one_sweep_after_commit_and_nothing_before(
    caseworker_client, caseworker, django_capture_on_commit_callbacks, monkeypatch
):
    trajectory = make_trajectory(caseworker, expected_release=D(2026, 12, 14))
    # The broker is the boundary: record what would be sent instead of sending it. Set on
    # the task object itself, so it is removed again afterwards, not restored over it.
    sent = []
    task = tasks.sweep_trajectory._get_current_object()
    monkeypatch.setitem(vars(task), "delay", lambda *args: sent.append(args))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = edit(caseworker_client, trajectory, expected_release="2026-11-16")
        assert response.status_code == 302
        assert moment(trajectory, K.RELEASE_DAY).planned_on == D(2026, 11, 16)
        assert sent == []

    assert sent == []
    assert len(callbacks) == 1
    (callback,) = callbacks
    assert isinstance(callback, functools.partial)
    assert callback.func is tasks._send
    assert callback.args == (tasks.sweep_trajectory, trajectory.pk)

    callback()

    assert sent == [(trajectory.pk,)]
