import pytest
from django.core.management import CommandError, call_command

from accounts.models import Municipality, Team, User

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_outside_the_demo_with_debug_off(settings):
    settings.DEBUG = False
    settings.RIO_DEMO = False
    with pytest.raises(CommandError, match="refuses to run outside the demo"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_creates_the_demo_accounts(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    rio1 = User.objects.get(username="rio1")
    assert rio1.role == User.Role.CASEWORKER
    assert rio1.team.name == "RIO Dordrecht"
    assert rio1.check_password("rio-demo")
    assert User.objects.get(username="rio2").team.municipality.name == "Rotterdam"
    manager1 = User.objects.get(username="manager1")
    assert manager1.role == User.Role.MANAGER
    assert manager1.municipality.cbs_code == "GM0505"
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.role == User.Role.ADMIN
    assert set(
        Team.objects.filter(municipality__name="Dordrecht").values_list("name", flat=True)
    ) == {"RIO Dordrecht", "RIO Drechtsteden"}
    assert User.objects.get(username="rio1c").team.name == "RIO Drechtsteden"


def test_seed_demo_is_idempotent(settings):
    call_command("seed_demo", force=True)
    counts = (Municipality.objects.count(), Team.objects.count(), User.objects.count())
    User.objects.filter(username="rio1").update(first_name="Gewijzigd")
    call_command("seed_demo", force=True)
    assert (Municipality.objects.count(), Team.objects.count(), User.objects.count()) == counts
    assert User.objects.get(username="rio1").first_name == "Samira"


def test_seed_demo_makes_rio1_the_coordinator_of_rio_dordrecht(settings):
    call_command("seed_demo", force=True)
    call_command("seed_demo", force=True)
    coordinators = User.objects.filter(is_team_coordinator=True)
    assert [(user.username, user.team.name) for user in coordinators] == [("rio1", "RIO Dordrecht")]


def test_demo_login_works(client, settings):
    settings.RIO_REQUIRE_MFA = False
    call_command("seed_demo", force=True)
    response = client.post("/accounts/login/", {"login": "rio1", "password": "rio-demo"})
    assert response.status_code == 302
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/jongeren/"
