"""Demo accounts: two municipalities, a team each, users of every role.

All people are fictional. `manage.py seed_demo` calls `seed()` of every
app's `demo` module in INSTALLED_APPS order, so accounts come first.
"""

from __future__ import annotations

from accounts.models import Municipality, Team, User

DEMO_PASSWORD = "rio-demo"  # noqa: S105 - documented demo password, refused with DEBUG off

MUNICIPALITIES = [
    # name, CBS code, team name
    ("Dordrecht", "GM0505", "RIO Dordrecht"),
    ("Rotterdam", "GM0599", "RIO Rotterdam"),
]
# Municipalities around them without a RIO team in the demo: where some of the
# young people of the demo history (reports.demo) settle after release.
NEIGHBOURS = [
    ("Zwijndrecht", "GM0642"),
    ("Papendrecht", "GM0590"),
    ("Sliedrecht", "GM0610"),
    ("Schiedam", "GM0606"),
    ("Vlaardingen", "GM0622"),
    ("Capelle aan den IJssel", "GM0502"),
]

USERS = [
    # username, first name, last name, role, municipality index
    ("rio1", "Samira", "El Amrani", User.Role.CASEWORKER, 0),
    ("rio1b", "Jeroen", "Visser", User.Role.CASEWORKER, 0),
    ("rio2", "Kevin", "Martina", User.Role.CASEWORKER, 1),
    ("rio2b", "Fleur", "de Groot", User.Role.CASEWORKER, 1),
    ("manager1", "Marleen", "Bakker", User.Role.MANAGER, 0),
    ("manager2", "Hans", "Verbeek", User.Role.MANAGER, 1),
    ("admin", "Ayla", "Yilmaz", User.Role.ADMIN, None),
]


# Hands over the caseload of a colleague, e.g. when someone leaves the team.
TEAM_COORDINATORS = {"rio1"}


def seed() -> None:
    teams: list[Team] = []
    municipalities: list[Municipality] = []
    for name, cbs_code, team_name in MUNICIPALITIES:
        municipality, _ = Municipality.objects.update_or_create(
            cbs_code=cbs_code, defaults={"name": name}
        )
        team, _ = Team.objects.get_or_create(municipality=municipality, name=team_name)
        municipalities.append(municipality)
        teams.append(team)
    for name, cbs_code in NEIGHBOURS:
        Municipality.objects.update_or_create(cbs_code=cbs_code, defaults={"name": name})

    for username, first_name, last_name, role, index in USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.org",
                "role": role,
                "team": teams[index] if role == User.Role.CASEWORKER else None,
                "municipality": municipalities[index] if role == User.Role.MANAGER else None,
                "is_team_coordinator": username in TEAM_COORDINATORS,
                "is_staff": role == User.Role.ADMIN,
                "is_superuser": role == User.Role.ADMIN,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
