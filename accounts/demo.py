"""Demo accounts: two municipalities, two teams each, users of every role.

All people are fictional. `manage.py seed_demo` calls `seed()` of every
app's `demo` module in INSTALLED_APPS order, so accounts come first.
"""

from __future__ import annotations

from accounts.models import Municipality, Team, User

DEMO_PASSWORD = "rio-demo"  # noqa: S105 - documented demo password, seeded only in the demo

MUNICIPALITIES = [
    # name, CBS code
    ("Dordrecht", "GM0505"),
    ("Rotterdam", "GM0599"),
]
TEAMS = [
    # name, municipality
    ("RIO Dordrecht", "Dordrecht"),
    ("RIO Rotterdam", "Rotterdam"),
    # A second team per municipality carries the three years of history behind the
    # managers' dashboards (reports.demo), so the first teams' caseloads stay small.
    ("RIO Drechtsteden", "Dordrecht"),
    ("RIO Rotterdam-Zuid", "Rotterdam"),
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
    # username, first name, last name, role, team (caseworker) or municipality (manager)
    ("rio1", "Samira", "El Amrani", User.Role.CASEWORKER, "RIO Dordrecht"),
    ("rio1b", "Jeroen", "Visser", User.Role.CASEWORKER, "RIO Dordrecht"),
    ("rio1c", "Nadia", "Bouali", User.Role.CASEWORKER, "RIO Drechtsteden"),
    ("rio1d", "Ruben", "van Dijk", User.Role.CASEWORKER, "RIO Drechtsteden"),
    ("rio2", "Kevin", "Martina", User.Role.CASEWORKER, "RIO Rotterdam"),
    ("rio2b", "Fleur", "de Groot", User.Role.CASEWORKER, "RIO Rotterdam"),
    ("rio2c", "Dewi", "Soekhai", User.Role.CASEWORKER, "RIO Rotterdam-Zuid"),
    ("rio2d", "Bram", "Hoekstra", User.Role.CASEWORKER, "RIO Rotterdam-Zuid"),
    ("manager1", "Marleen", "Bakker", User.Role.MANAGER, "Dordrecht"),
    ("manager2", "Hans", "Verbeek", User.Role.MANAGER, "Rotterdam"),
    ("admin", "Ayla", "Yilmaz", User.Role.ADMIN, None),
]


# Hands over the caseload of a colleague, e.g. when someone leaves the team.
TEAM_COORDINATORS = {"rio1"}


def seed() -> None:
    municipalities: dict[str, Municipality] = {}
    for name, cbs_code in MUNICIPALITIES:
        municipalities[name], _ = Municipality.objects.update_or_create(
            cbs_code=cbs_code, defaults={"name": name}
        )
    teams: dict[str, Team] = {}
    for team_name, municipality in TEAMS:
        teams[team_name], _ = Team.objects.get_or_create(
            municipality=municipalities[municipality], name=team_name
        )
    for name, cbs_code in NEIGHBOURS:
        Municipality.objects.update_or_create(cbs_code=cbs_code, defaults={"name": name})

    for username, first_name, last_name, role, where in USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.org",
                "role": role,
                "team": teams[where] if role == User.Role.CASEWORKER else None,
                "municipality": municipalities[where] if role == User.Role.MANAGER else None,
                "is_team_coordinator": username in TEAM_COORDINATORS,
                "is_staff": role == User.Role.ADMIN,
                "is_superuser": role == User.Role.ADMIN,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
