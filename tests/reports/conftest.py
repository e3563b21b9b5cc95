"""One year of factory data whose figures are worked out by hand in the tests.

The period is 2025. Letters name the trajectories; their status on 31 December
2025, read from the dates, and their age at the start of guidance:

| | team | started | status 31-12-2025 | age at start | in 2025 |
| --- | --- | --- | --- | --- | --- |
| A | Dordrecht | 2025-03-01 | registered | 18 (birthday that day) | started |
| B | Dordrecht | 2025-02-01 | detention | 20 (21 the next day) | started |
| C | Dordrecht | 2024-06-01 | detention (released 2026) | | |
| D | Dordrecht | 2025-01-10 | aftercare | 24 (birthday that day) | started |
| E | Dordrecht | 2024-01-01 | closed (2025-05-01, completed) | | ended |
| F | Dordrecht | 2025-04-01 | aftercare (closed 2026) | 27 (28 the next day) | started |
| G | Dordrecht | 2026-01-02 | not yet started | | |
| H | Dordrecht | 2023-01-01 | closed before 2025: not counted | | |
| I | Dordrecht | 2025-07-01 | registered | 28 (birthday that day) | started |
| J | Dordrecht | 2025-08-01 | detention | 21 | started |
| K | Dordrecht | 2025-02-28 | registered | 20 (born 29 February 2004) | started |
| L | Dordrecht | 2025-09-01 | registered | 17 (18 the next day) | started |
| M | Rotterdam | 2025-05-01 | registered | 21 | started |
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.utils import translation
from django.utils.formats import date_format
from hypothesis import strategies as st

from cases.models import Client, Trajectory
from tests.factories import ClientFactory, TrajectoryFactory, UserFactory

D = datetime.date
S = Trajectory.Status


@pytest.fixture
def year_2025(team, other_team, caseworker, colleague, other_caseworker, municipality):
    other_municipality = other_team.municipality

    def make(letter, *, team=team, by=caseworker, client=None, **fields):
        client_fields = {f"client__{name}": value for name, value in (client or {}).items()}
        fields.setdefault("expected_release", None)
        return TrajectoryFactory(
            client__team=team,
            client__first_name=f"Jongere{letter}",
            caseworker=by,
            **client_fields,
            **fields,
        )

    found = {
        "A": make(
            "A",
            status=S.REGISTERED,
            started_on=D(2025, 3, 1),
            detention_start=None,
            offences=["robbery", "violence"],
            client={
                "date_of_birth": D(2007, 3, 1),
                "lvb": Client.LVB.YES,
                "municipality_of_settlement": municipality,
            },
        ),
        "B": make(
            "B",
            status=S.DETENTION,
            started_on=D(2025, 2, 1),
            detention_start=D(2025, 1, 15),
            offences=[],
            client={
                "date_of_birth": D(2004, 2, 2),
                "lvb": Client.LVB.SUSPECTED,
                "address_kind": Client.AddressKind.POSTAL,
                "municipality_of_settlement": municipality,
            },
        ),
        "C": make(
            "C",
            status=S.AFTERCARE,
            started_on=D(2024, 6, 1),
            detention_start=D(2024, 5, 1),
            actual_release=D(2026, 1, 10),
        ),
        "D": make(
            "D",
            by=colleague,
            status=S.AFTERCARE,
            started_on=D(2025, 1, 10),
            detention_start=D(2024, 12, 1),
            actual_release=D(2025, 6, 1),
            client={
                "date_of_birth": D(2001, 1, 10),
                "lvb": Client.LVB.NO,
                "address_kind": Client.AddressKind.NONE,
                "municipality_of_settlement": other_municipality,
            },
        ),
        "E": make(
            "E",
            status=S.CLOSED,
            started_on=D(2024, 1, 1),
            detention_start=D(2023, 12, 1),
            actual_release=D(2024, 6, 1),
            ended_on=D(2025, 5, 1),
            end_reason=Trajectory.EndReason.COMPLETED,
        ),
        "F": make(
            "F",
            status=S.CLOSED,
            started_on=D(2025, 4, 1),
            detention_start=D(2025, 3, 1),
            actual_release=D(2025, 9, 1),
            ended_on=D(2026, 1, 5),
            end_reason=Trajectory.EndReason.MOVED,
            client={"date_of_birth": D(1997, 4, 2)},
        ),
        "G": make(
            "G", by=colleague, status=S.REGISTERED, started_on=D(2026, 1, 2), detention_start=None
        ),
        "H": make(
            "H",
            status=S.CLOSED,
            started_on=D(2023, 1, 1),
            detention_start=D(2022, 12, 1),
            actual_release=D(2023, 6, 1),
            ended_on=D(2024, 12, 31),
            end_reason=Trajectory.EndReason.NEW_DETENTION,
        ),
        "I": make(
            "I",
            status=S.REGISTERED,
            started_on=D(2025, 7, 1),
            detention_start=None,
            client={"date_of_birth": D(1997, 7, 1)},
        ),
        "J": make(
            "J",
            status=S.DETENTION,
            started_on=D(2025, 8, 1),
            detention_start=D(2025, 8, 1),
            client={"date_of_birth": D(2004, 8, 1)},
        ),
        "K": make(
            "K",
            status=S.REGISTERED,
            started_on=D(2025, 2, 28),
            detention_start=None,
            client={"date_of_birth": D(2004, 2, 29)},
        ),
        "L": make(
            "L",
            status=S.REGISTERED,
            started_on=D(2025, 9, 1),
            detention_start=None,
            client={"date_of_birth": D(2007, 9, 2)},
        ),
        "M": make(
            "M",
            team=other_team,
            by=other_caseworker,
            status=S.REGISTERED,
            started_on=D(2025, 5, 1),
            detention_start=None,
            client={"date_of_birth": D(2004, 1, 1), "municipality_of_settlement": municipality},
        ),
    }
    return found


# Whatever a user may type into the filter's fields (as GET parameters).
FILTER_INPUT = st.dictionaries(
    st.sampled_from(["year", "quarter", "start", "end", "team", "municipality"]),
    st.one_of(st.text(max_size=30), st.integers().map(str), st.dates().map(str)),
)


def long_date(day: datetime.date) -> str:
    with translation.override("nl"):
        return date_format(day, "j F Y")


@dataclass
class PersonalData:
    """Young people with everything a report must never show, and the users who look."""

    manager: object
    admin: object
    searched: list[str]

    def assert_absent_from(self, text: str) -> None:
        for secret in self.searched:
            assert not re.search(rf"\b{re.escape(secret)}\b", text), secret


@pytest.fixture
def personal_data(municipality, team, other_team) -> PersonalData:
    # Staff without names (the page shows their username), so a client's name found in
    # a report cannot be a colleague's by chance.
    nameless = {"first_name": "", "last_name": ""}
    manager = UserFactory(username="manager-d", manager=True, municipality=municipality, **nameless)
    admin_user = UserFactory(username="beheer-d", admin=True, **nameless)
    caseworkers = {
        team: UserFactory(username="werker-d", team=team, **nameless),
        other_team: UserFactory(username="werker-r", team=other_team, **nameless),
    }
    people = [
        ClientFactory(team=team, with_bsn=True, street="Geheimstraat 1", strengths="Geheimtalent"),
        *ClientFactory.create_batch(6, team=team, dreams="Geheime droom"),
        *ClientFactory.create_batch(3, team=other_team),
    ]
    for person in people:
        TrajectoryFactory(
            client=person, caseworker=caseworkers[person.team], end_note="Geheime notitie"
        )
    searched = ["Geheimstraat", "Geheimtalent", "Geheime droom", "Geheime notitie", "123456782"]
    for person in people:
        born = person.date_of_birth
        searched += [
            person.first_name,
            person.last_name,
            born.isoformat(),
            born.strftime("%d-%m-%Y"),
            long_date(born),
        ]
    return PersonalData(manager, admin_user, searched)
