"""Indicator 4, ready on the day of release, against figures worked out by hand.

The period is 2025; "today" is 1 February 2026, so the six months of a trajectory
count when they ended by 31 December 2025: released by 30 June 2025. Each
trajectory's checklist is dated by its status history (Dutch time). "✓" is
arranged or not needed at the end of the day; "✗" is not.

Unless said otherwise, an item was arranged 20 days before release, at 10:00.

| | team | released | ID | housing | income | debts | care | all | +6 months |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
| T1 | Dordrecht | 2025-03-10 | ✓ | ✓ set back 5 days after | ✓ | ✓ | ✓ | ✓ | housing ✗, not all |
| T2 | Dordrecht | 2025-04-15 | ✓ | ✗ arranged the next day | ✓ | ✓ | ✓ | ✗ | all ✓ |
| T3 | Dordrecht | 2025-05-20 | ✓ | ✓ | ✓ | ✓ not needed | ✓ at 23:30 that day | ✓ | all ✓ |
| T4 | Dordrecht | 2025-06-30 | ✓ | ✓ | ✓ | ✓ | ✗ arranged 2025-09-01 | ✗ | all ✓ |
| T5 | Dordrecht | 2025-07-01 | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | not counted |
| T6 | Dordrecht | 2025-09-01 | ✓ | ✓ | ✗ refused | ✓ | ✗ removed 7 days before | ✗ | not counted |
| T7 | Dordrecht | 2025-12-31 | ✗ | ✗ | ✗ | ✗ | ✗ untouched | ✗ | not counted |
| R1 | Rotterdam | 2025-02-01 | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | all ✓ |
| R2 | Rotterdam | 2025-08-01 | ✗ | ✗ | ✗ | ✗ | ✗ | ✗ | not counted |
| R3 | Rotterdam | 2025-03-01 | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | all ✓ |

Not counted: released on 2024-12-20 and not yet released, both with all five done.

| on release | Dordrecht (of 7) | the Netherlands (of 10) |
| --- | --- | --- |
| ID | 6: 86% | 8: 80% |
| housing | 5 (not T2 T7): 71% | 7: 70% |
| income | 5 (not T6 T7): 71% | 7: 70% |
| debts | 6: 86% | 8: 80% |
| care | 4 (T1 T2 T3 T5): <5 | 6: 60% |
| all five | 3 (T1 T3 T5): <5 | 5: 50% |

At +6 months Dordrecht counts T1 to T4 (4, too few to show); the country adds R1 R3
(6): ID, income, debts and care 6 (100%), housing and all five 5 (83%).
"""

import datetime

import pytest
from django.utils import translation

from cases.models import Trajectory
from lifedomains.models import ReadinessItem
from reports import indicators
from reports.indicators import Period, Scope, readiness
from tests.factories import TrajectoryFactory
from tests.lifedomains.test_readiness_history import at, changed_at, set_status

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = Period(start=D(2025, 1, 1), end=D(2025, 12, 31))
TODAY = D(2026, 2, 1)
ITEM, STATUS = ReadinessItem.Item, ReadinessItem.Status
ALL = dict.fromkeys(ReadinessItem.BASIC, STATUS.ARRANGED)


def after(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


@pytest.fixture
def checklists(time_machine, team, other_team):
    def released(on, team=team, **fields):
        return TrajectoryFactory(
            client__team=team,
            status=Trajectory.Status.AFTERCARE,
            detention_start=after(on, -120),
            started_on=after(on, -100),
            expected_release=None,
            actual_release=on,
            **fields,
        )

    def change(trajectory, moment, statuses):
        with changed_at(time_machine, moment):
            for item, status in statuses.items():
                set_status(trajectory, item, status)

    def before(trajectory, statuses):
        change(trajectory, at(after(trajectory.actual_release, -20), 10), statuses)

    found = {}
    found["T1"] = t1 = released(D(2025, 3, 10))
    before(t1, ALL)
    change(t1, at(after(t1.actual_release, 5), 10), {ITEM.HOUSING: STATUS.IN_PROGRESS})

    found["T2"] = t2 = released(D(2025, 4, 15))
    before(t2, {**ALL, ITEM.HOUSING: STATUS.IN_PROGRESS})
    change(t2, at(after(t2.actual_release, 1), 9), {ITEM.HOUSING: STATUS.ARRANGED})

    found["T3"] = t3 = released(D(2025, 5, 20))
    before(t3, {**ALL, ITEM.DEBTS: STATUS.NOT_NEEDED, ITEM.CARE: STATUS.IN_PROGRESS})
    change(t3, at(t3.actual_release, 23, 30), {ITEM.CARE: STATUS.ARRANGED})

    found["T4"] = t4 = released(D(2025, 6, 30))
    before(t4, {item: status for item, status in ALL.items() if item != ITEM.CARE})
    change(t4, at(D(2025, 9, 1), 10), {ITEM.CARE: STATUS.ARRANGED})

    found["T5"] = t5 = released(D(2025, 7, 1))
    before(t5, ALL)

    found["T6"] = t6 = released(D(2025, 9, 1))
    before(t6, {**ALL, ITEM.INCOME: STATUS.REFUSED})
    with changed_at(time_machine, at(after(t6.actual_release, -7), 10)):
        ReadinessItem.objects.filter(trajectory=t6, item=ITEM.CARE).delete()

    found["T7"] = released(D(2025, 12, 31))

    found["R1"] = r1 = released(D(2025, 2, 1), team=other_team)
    before(r1, ALL)
    found["R2"] = released(D(2025, 8, 1), team=other_team)
    found["R3"] = r3 = released(D(2025, 3, 1), team=other_team)
    before(r3, ALL)

    # Outside the period: released before it, and not yet released.
    before(released(D(2024, 12, 20)), ALL)
    not_yet = TrajectoryFactory(client__team=team, expected_release=D(2025, 6, 1))
    change(not_yet, at(D(2025, 5, 1), 10), ALL)

    time_machine.move_to(at(TODAY, 12), tick=False)
    return found


def test_each_condition_is_counted_as_it_stood_on_the_day_of_release(checklists, municipality):
    found = readiness.counts(Scope(municipality=municipality), YEAR, TODAY)
    assert found[readiness.ON_RELEASE] == {
        "counted": (7, 10),
        "id_document": (6, 8),
        "housing": (5, 7),
        "income": (5, 7),
        "debts": (6, 8),
        "care": (4, 6),
        "all": (3, 5),
    }


def test_six_months_later_counts_only_those_whose_six_months_have_passed(checklists, municipality):
    found = readiness.counts(Scope(municipality=municipality), YEAR, TODAY)
    assert found[readiness.LATER] == {
        "counted": (4, 6),
        "id_document": (4, 6),
        "housing": (3, 5),
        "income": (4, 6),
        "debts": (4, 6),
        "care": (4, 6),
        "all": (3, 5),
    }


def test_while_the_period_runs_six_months_must_have_passed_before_today(checklists, municipality):
    # On 1 December 2025 the last day read is 30 November: released by 30 May (T1 T2 T3,
    # R1 R3); T4's six months end only on 30 December.
    found = readiness.counts(Scope(municipality=municipality), YEAR, D(2025, 12, 1))
    assert found[readiness.LATER]["counted"] == (3, 5)
    # On 21 November 2025 T3's day (20 November) has just ended; on the 20th it has not.
    assert readiness.counts(Scope(), YEAR, D(2025, 11, 21))[readiness.LATER]["counted"] == (5, 5)
    assert readiness.counts(Scope(), YEAR, D(2025, 11, 20))[readiness.LATER]["counted"] == (4, 4)


def test_the_tables_show_the_shares_beside_the_country(checklists, municipality):
    with translation.override("nl"):
        dashboard = indicators.dashboard(Scope(municipality=municipality), YEAR)
        on_release = dashboard.table("release-readiness")
        later = dashboard.table("readiness-six-months")
        assert [(row.label, str(row.own), str(row.national)) for row in on_release.rows] == [
            # The rest of the country is three of Rotterdam: too few for a national share
            # beside Dordrecht's (the counts are checked above).
            ("Identiteitsbewijs", "86%", "–"),
            ("Onderdak op de dag van ontslag", "71%", "–"),
            ("Inkomen vanaf dag één (uitkering of werk)", "71%", "–"),
            ("Schulden in beeld / schuldhulp", "86%", "–"),
            ("Zorg geregeld (verzekering, huisarts, vervolgzorg)", "<5", "–"),
            ("Alle vijf basisvoorwaarden", "<5", "–"),
        ]
        # Four of Dordrecht's: too few to show any share; the rest of the country is two.
        assert [(str(row.own), str(row.national)) for row in later.rows] == [("–", "–")] * 6
    assert on_release.columns == ("Dordrecht", "Nederland")
    assert on_release.chart_data()["datasets"][0]["data"] == [
        85.71,
        71.43,
        71.43,
        85.71,
        None,
        None,
    ]


def test_the_whole_country_is_one_column(checklists):
    table = indicators.dashboard(Scope(), YEAR).table("readiness-six-months")
    assert len(table.columns) == 1
    assert [str(row.own) for row in table.rows] == ["100%", "83%", "100%", "100%", "100%", "83%"]


def test_another_municipality_counts_only_its_own(checklists, other_municipality):
    found = readiness.counts(Scope(municipality=other_municipality), YEAR, TODAY)
    assert found[readiness.ON_RELEASE]["counted"] == (3, 10)
    assert found[readiness.ON_RELEASE]["all"] == (2, 5)
    assert found[readiness.LATER]["counted"] == (2, 6)


def test_beside_rotterdam_the_national_shares_are_shown(checklists, other_municipality):
    with translation.override("nl"):
        table = indicators.dashboard(Scope(municipality=other_municipality), YEAR).table(
            "release-readiness"
        )
    # Rotterdam's 3 are too few; the rest of the country is Dordrecht's 7, so the
    # country's shares (of 10) are shown, except where Dordrecht's part is 1 to 4.
    assert [(str(row.own), str(row.national)) for row in table.rows] == [
        ("–", "80%"),
        ("–", "70%"),
        ("–", "70%"),
        ("–", "80%"),
        ("–", "–"),
        ("–", "–"),
    ]
