"""Indicator 6, follow-up kept, against figures worked out by hand.

The period is 2025 and today is 15 December 2025.

Follow-up moments due in 2025 (one Dordrecht trajectory, one Rotterdam):

| | Dordrecht | Rotterdam | the Netherlands |
| --- | --- | --- | --- |
| done on time (4 on the due day itself, 2 before it) | 6 | 5 | 11 |
| done late (the day after the due date) | 1 | 0 | 1 |
| overdue: open, due 12 and 14 December | 2 | 0 | 2 |
| open, not yet due: due today and 31 December | 2 | 0 | 2 |
| cancelled | 1 | 1 | 2 |
| total | 12 | 6 | 18 |

Not counted: a moment due 31 December 2024 and one due 2 January 2026.

Still in contact (`RIO_STILL_IN_CONTACT_DAYS` = 60), Dordrecht; the day 12 or 24 months
after release, and the last contact before or around it:

| | released | day | contact | in contact |
| --- | --- | --- | --- | --- |
| C1 | 2024-03-01 | +12: 2025-03-01 | 60 days before | yes |
| C2 (closed 1-2-2025) | 2024-04-01 | +12: 2025-04-01 | 61 days before | no |
| C3 | 2024-05-01 | +12: 2025-05-01 | that day | yes |
| C4 | 2024-06-01 | +12: 2025-06-01 | the day after | no |
| C5 | 2024-07-01 | +12: 2025-07-01 | 30 days before | yes |
| C6 | 2024-09-15 | +12: 2025-09-15 | 14 days before | yes |
| C7 | 2024-02-29 | +12: 2025-02-28 (no 29th) | 2024-12-30, 60 days before | yes |
| C8 | 2024-12-20 | +12: 2025-12-20, after today | | not counted |
| C9 | 2023-12-31 | +12 in 2024, +24: 2025-12-31, after today | | not counted |
| C10 | 2023-02-28 | +24: 2025-02-28 | 58 days before | yes |
| C11 | 2023-08-31 | +24: 2025-08-31 | none | no |

12 months: 7 reached, 5 in contact: 71%. 24 months: 2 reached, fewer than 5: not shown.
Rotterdam's R1, released 2024-10-01, had a contact the day before +12: the country has
8 reached at 12 months, 6 in contact: 75%.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from cases.models import Trajectory
from followup.models import FollowUpMoment
from lifedomains.models import MonthsAfter
from reports.indicators import Period, Scope, followup
from tests.factories import ContactFactory, TrajectoryFactory
from tests.reports.test_dashboard import URL, YEAR_2025, rows

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = Period(start=D(2025, 1, 1), end=D(2025, 12, 31))
TODAY = D(2025, 12, 15)
Status = FollowUpMoment.Status

DORDRECHT_MOMENTS = [
    # (due, status, done on)
    (D(2025, 1, 10), Status.DONE, D(2025, 1, 10)),
    (D(2025, 2, 10), Status.DONE, D(2025, 2, 3)),
    (D(2025, 3, 10), Status.DONE, D(2025, 3, 10)),
    (D(2025, 4, 10), Status.DONE, D(2025, 4, 10)),
    (D(2025, 5, 12), Status.DONE, D(2025, 5, 12)),
    (D(2025, 6, 10), Status.DONE, D(2025, 6, 1)),
    (D(2025, 7, 10), Status.DONE, D(2025, 7, 11)),
    (D(2025, 12, 12), Status.OPEN, None),
    (D(2025, 12, 14), Status.OPEN, None),
    (D(2025, 12, 15), Status.OPEN, None),
    (D(2025, 12, 31), Status.OPEN, None),
    (D(2025, 8, 11), Status.CANCELLED, None),
    (D(2024, 12, 31), Status.DONE, D(2024, 12, 31)),
    (D(2026, 1, 2), Status.OPEN, None),
]
ROTTERDAM_MOMENTS = [
    *((D(2025, month, 10), Status.DONE, D(2025, month, 10)) for month in range(1, 6)),
    (D(2025, 6, 10), Status.CANCELLED, None),
]

# letter: (release, months, days from that day to the contact, or None)
RELEASED = {
    "C1": (D(2024, 3, 1), 12, -60),
    "C2": (D(2024, 4, 1), 12, -61),
    "C3": (D(2024, 5, 1), 12, 0),
    "C4": (D(2024, 6, 1), 12, 1),
    "C5": (D(2024, 7, 1), 12, -30),
    "C6": (D(2024, 9, 15), 12, -14),
    "C7": (D(2024, 2, 29), 12, -60),
    "C8": (D(2024, 12, 20), 12, -10),
    "C9": (D(2023, 12, 31), 12, -1),
    "C10": (D(2023, 2, 28), 24, -58),
    "C11": (D(2023, 8, 31), 24, None),
}


@pytest.fixture
def today(time_machine):
    time_machine.move_to(
        datetime.datetime(2025, 12, 15, 12, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False
    )
    return TODAY


def plan(trajectory, moments):
    for sequence, (due, status, done_on) in enumerate(moments, start=1):
        FollowUpMoment.objects.create(
            trajectory=trajectory,
            kind=FollowUpMoment.Kind.DETENTION_MONTHLY,
            sequence=sequence,
            planned_on=due,
            due_on=due,
            status=status,
            done_on=done_on,
            cancelled_on=due if status == Status.CANCELLED else None,
        )


def released(team, release, **fields):
    fields = {
        "status": Trajectory.Status.AFTERCARE,
        "started_on": D(2022, 1, 1),
        "detention_start": D(2022, 1, 1),
        "expected_release": None,
        "actual_release": release,
        **fields,
    }
    return TrajectoryFactory(client__team=team, **fields)


def months_after(release, months):
    return (
        Trajectory.objects.annotate(day=MonthsAfter("actual_release", months))
        .filter(actual_release=release)
        .values_list("day", flat=True)[0]
    )


@pytest.fixture
def kept(today, team, other_team):
    plan(TrajectoryFactory(client__team=team), DORDRECHT_MOMENTS)
    plan(TrajectoryFactory(client__team=other_team), ROTTERDAM_MOMENTS)
    for letter, (release, months, offset) in RELEASED.items():
        closed = (
            {"status": Trajectory.Status.CLOSED, "ended_on": D(2025, 2, 1), "end_reason": "moved"}
            if letter == "C2"
            else {}
        )
        trajectory = released(team, release, **closed)
        if offset is not None:
            day = months_after(release, months)
            ContactFactory(trajectory=trajectory, date=day + datetime.timedelta(days=offset))
    r1 = released(other_team, D(2024, 10, 1))
    ContactFactory(trajectory=r1, date=D(2025, 9, 30))


def test_moments_due_in_the_period_by_their_state_today(kept, municipality):
    assert followup.moment_counts(Scope(municipality=municipality), YEAR, TODAY) == {
        "on_time": (6, 11),
        "late": (1, 1),
        "overdue": (2, 2),
        "not_yet_due": (2, 2),
        "cancelled": (1, 2),
    }


def test_the_moments_table_is_suppressed_per_column(kept, municipality, other_municipality):
    def cells(scope):
        with translation.override("nl"):
            table = followup.moments_table(scope, YEAR, TODAY)
        return [(row.label, *map(str, row.cells)) for row in [*table.rows, table.total]]

    assert cells(Scope(municipality=municipality)) == [
        ("Op tijd gedaan", "6", "11"),
        ("Te laat gedaan", "<5", "<5"),
        ("Te laat (nog open)", "<5", "<5"),
        ("Open, datum nog niet voorbij", "<5", "<5"),
        ("Vervallen", "<5", "<5"),
        ("Totaal", "12", "18"),
    ]
    # Rotterdam: 5 on time and 1 cancelled; the one small cell hides the 5 too.
    assert cells(Scope(municipality=other_municipality))[0] == ("Op tijd gedaan", "verborgen", "11")
    assert cells(Scope(municipality=other_municipality))[-2:] == [
        ("Vervallen", "<5", "<5"),
        ("Totaal", "6", "18"),
    ]


def test_still_in_contact_counts_the_days_before_12_and_24_months(kept, municipality):
    assert followup.contact_counts(Scope(municipality=municipality), YEAR, TODAY) == {
        12: {"reached": (7, 8), "in_contact": (5, 6)},
        24: {"reached": (2, 2), "in_contact": (1, 1)},
    }


def test_the_contact_window_is_a_setting(kept, municipality, settings):
    settings.RIO_STILL_IN_CONTACT_DAYS = 30
    # C1 and C7 (60 days before) and C10 (58) drop out; C5 (30) stays.
    found = followup.contact_counts(Scope(municipality=municipality), YEAR, TODAY)
    assert found[12]["in_contact"] == (3, 4)
    assert found[24]["in_contact"] == (0, 0)


def test_a_day_after_today_is_not_judged_yet(kept, municipality):
    # Until C8's day (20 December 2025) has passed, it is not counted.
    later = followup.contact_counts(Scope(municipality=municipality), YEAR, D(2025, 12, 31))
    assert later[12]["reached"] == (8, 9)
    assert later[24]["reached"] == (3, 3)


def test_shares_in_contact_not_shown_over_fewer_than_five(kept, municipality):
    with translation.override("nl"):
        table = followup.contact_table(Scope(municipality=municipality), YEAR, TODAY)
    assert [(row.label, *map(str, row.cells)) for row in table.rows] == [
        # The rest of the country is one trajectory: its share is not shown beside ours.
        ("12 maanden na ontslag", "71%", "–"),
        ("24 maanden na ontslag", "–", "–"),
    ]
    assert "60 dagen" in table.explanation


def test_follow_up_kept_is_counted_in_two_queries(kept, municipality, django_assert_num_queries):
    with django_assert_num_queries(2):
        followup.sections(Scope(municipality=municipality), YEAR)


def test_the_dashboard_shows_follow_up_kept(manager_client, kept):
    content = manager_client.get(URL, YEAR_2025).content.decode()
    assert "Follow-up nagekomen" in content
    assert rows(content, "followup-moments")[0] == ["Op tijd gedaan", "6", "11"]
    assert rows(content, "followup-moments")[-1] == ["Totaal", "12", "18"]
    assert rows(content, "still-in-contact") == [
        ["12 maanden na ontslag", "71%", "–"],
        ["24 maanden na ontslag", "–", "–"],
    ]
