"""The state of a legal basis in the database agrees with `SharingBasis.state()`, and a
partner's state (`Involvement.objects.with_sharing_state`) is the best of its bases'."""

import datetime

import pytest

from partners.models import Involvement, Organisation, SharingBasis
from tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

D = datetime.date
STATE = SharingBasis.State

# Every boundary of the rule, with RIO_BASIS_EXPIRING_DAYS = 30: valid from 1 March
# 2025 until 31 December 2025 (expiring from 1 December), or withdrawn on 1 June.
BASES = [
    {"valid_from": D(2025, 3, 1)},
    {"valid_from": D(2025, 3, 1), "valid_until": D(2025, 12, 31)},
    {"valid_from": D(2025, 3, 1), "valid_until": D(2025, 3, 1)},
    {"valid_from": D(2025, 3, 1), "withdrawn_on": D(2025, 6, 1)},
    {"valid_from": D(2025, 3, 1), "valid_until": D(2025, 12, 31), "withdrawn_on": D(2025, 3, 1)},
]
DAYS = [
    D(2025, 2, 28),
    D(2025, 3, 1),
    D(2025, 3, 2),
    D(2025, 5, 31),
    D(2025, 6, 1),
    D(2025, 11, 30),
    D(2025, 12, 1),
    D(2025, 12, 31),
    D(2026, 1, 1),
]


@pytest.fixture
def trajectory(team, caseworker):
    return TrajectoryFactory(client__team=team, caseworker=caseworker)


def organisation(name: str) -> Organisation:
    return Organisation.objects.create(name=name, kind=Organisation.Kind.OTHER)


def basis_for(trajectory, partner, **dates) -> SharingBasis:
    return SharingBasis.objects.create(
        trajectory=trajectory, organisation=partner, basis="consent", scope=["care"], **dates
    )


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_state_in_the_database_is_the_state_of_the_row(trajectory, day):
    for index, dates in enumerate(BASES):
        basis_for(trajectory, organisation(f"Partner {index}"), **dates)

    annotated = SharingBasis.objects.with_state(day).order_by("pk")

    assert [basis.basis_state for basis in annotated] == [basis.state(day) for basis in annotated]


def test_the_boundaries_give_every_state(trajectory):
    basis = basis_for(trajectory, organisation("Reclassering"), **BASES[1])
    states = {day: SharingBasis.objects.with_state(day).get().basis_state for day in DAYS}
    assert [states[day] for day in DAYS] == [
        STATE.NOT_YET,
        STATE.VALID,
        STATE.VALID,
        STATE.VALID,
        STATE.VALID,
        STATE.VALID,  # 31 days left
        STATE.EXPIRING,  # 30 days left
        STATE.EXPIRING,  # the last day
        STATE.EXPIRED,
    ]
    assert [basis.state(day) for day in DAYS] == [states[day] for day in DAYS]


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_a_partners_state_is_the_best_of_its_bases(trajectory, day):
    # Every pair of bases (and each alone, and none) for one partner each.
    combinations = [[], *([dates] for dates in BASES)]
    combinations += [[a, b] for i, a in enumerate(BASES) for b in BASES[i + 1 :]]
    for index, bases in enumerate(combinations):
        partner = organisation(f"Partner {index}")
        Involvement.objects.create(trajectory=trajectory, organisation=partner, role="begeleider")
        for dates in bases:
            basis_for(trajectory, partner, **dates)

    found = Involvement.objects.with_sharing_state(day).order_by("organisation__name")
    for involvement in found:
        states = {
            basis.state(day)
            for basis in SharingBasis.objects.filter(
                trajectory=trajectory, organisation=involvement.organisation
            )
        }
        best = next((state for state in SharingBasis.STATE_ORDER if state in states), "none")
        assert involvement.sharing_state == best, involvement.organisation.name


@pytest.mark.parametrize(
    ("started", "ended", "involved"),
    [
        (D(2025, 6, 1), None, True),
        (D(2025, 6, 2), None, False),
        (D(2025, 1, 1), D(2025, 6, 1), True),
        (D(2025, 1, 1), D(2025, 5, 31), False),
    ],
    ids=["started that day", "starts the next day", "until that day", "ended the day before"],
)
def test_a_partner_is_involved_from_its_start_until_its_end(trajectory, started, ended, involved):
    Involvement.objects.create(
        trajectory=trajectory,
        organisation=organisation("Reclassering"),
        role="begeleider",
        started_on=started,
        ended_on=ended,
    )
    assert Involvement.objects.involved_on(D(2025, 6, 1)).exists() is involved
