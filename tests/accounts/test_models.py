import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from tests.factories import MunicipalityFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_caseworker_without_team_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(team=None, mfa=False)


def test_manager_with_a_team_is_refused_by_the_database(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(manager=True, team=team, mfa=False)


def test_manager_without_municipality_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(manager=True, municipality=None, mfa=False)


def test_only_admins_may_be_staff(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(team=team, is_staff=True, mfa=False)


def test_unknown_role_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("x", role="boss")


def test_createsuperuser_makes_a_functional_admin():
    user = User.objects.create_superuser("root", "root@example.org", "a-long-password-1")
    assert user.role == User.Role.ADMIN
    assert user.is_staff


def test_clean_explains_each_role_rule_in_dutch(team):
    user = User(username="x", role=User.Role.CASEWORKER)
    with pytest.raises(ValidationError) as excinfo:
        user.clean()
    assert "team" in excinfo.value.message_dict
    assert "moet bij een team horen" in excinfo.value.message_dict["team"][0]

    manager = User(username="y", role=User.Role.MANAGER, team=team)
    with pytest.raises(ValidationError) as excinfo:
        manager.clean()
    assert set(excinfo.value.message_dict) == {"team", "municipality"}


def test_home_municipality_follows_the_team_for_caseworkers(caseworker, manager, team):
    assert caseworker.home_municipality == team.municipality
    assert manager.home_municipality == manager.municipality


def test_cbs_code_must_be_gm_and_four_digits():
    municipality = MunicipalityFactory.build(cbs_code="0505")
    with pytest.raises(ValidationError):
        municipality.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityFactory(cbs_code="GM05X5")


def test_team_names_are_unique_per_municipality(municipality):
    TeamFactory(name="RIO", municipality=municipality)
    TeamFactory(name="RIO")  # same name elsewhere is fine
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamFactory(name="RIO", municipality=municipality)


# --- Which colleagues can be chosen -----------------------------------------------------------


def test_caseworkers_of_a_team_are_its_active_caseworkers_by_name(
    team, other_team, caseworker, colleague, other_caseworker, manager, admin_user
):
    UserFactory(username="rio1-weg", team=team, is_active=False, mfa=False)
    anton = UserFactory(username="rio1c", first_name="Anton", team=team, mfa=False)

    caseworkers = list(User.objects.caseworkers_of(team))

    assert set(caseworkers) == {caseworker, colleague, anton}
    assert caseworkers[0] == anton
    assert list(User.objects.caseworkers_of(team.pk)) == caseworkers
    assert list(User.objects.caseworkers_of(other_team)) == [other_caseworker]


def test_caseworkers_of_a_team_can_include_deactivated_colleagues(team, caseworker):
    gone = UserFactory(username="rio1-weg", team=team, is_active=False, mfa=False)

    assert set(User.objects.caseworkers_of(team, active_only=False)) == {caseworker, gone}


def test_caseworkers_of_no_team_is_nobody(caseworker):
    assert not User.objects.caseworkers_of(None).exists()


# --- The team coordinator ------------------------------------------------------------------


def test_only_a_caseworker_can_be_team_coordinator_in_the_database(manager):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=manager.pk).update(is_team_coordinator=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(admin=True, is_team_coordinator=True, mfa=False)


def test_clean_explains_that_only_a_caseworker_coordinates(manager):
    manager.is_team_coordinator = True
    with pytest.raises(ValidationError) as excinfo:
        manager.clean()
    assert "Alleen een RIO" in excinfo.value.message_dict["is_team_coordinator"][0]


def test_a_caseworker_may_hand_over_only_their_own_caseload(
    caseworker, colleague, other_caseworker, manager
):
    assert caseworker.may_hand_over_caseload_of(caseworker)
    assert not caseworker.may_hand_over_caseload_of(colleague)
    assert not caseworker.may_hand_over_caseload_of(other_caseworker)
    assert not manager.may_hand_over_caseload_of(caseworker)
    assert not manager.may_hand_over_caseload_of(manager)


def test_the_coordinator_may_hand_over_the_caseload_of_any_colleague_of_the_team(
    team, coordinator, caseworker, other_caseworker, manager
):
    gone = UserFactory(username="rio1-weg", team=team, is_active=False, mfa=False)

    assert coordinator.may_hand_over_caseload_of(coordinator)
    assert coordinator.may_hand_over_caseload_of(caseworker)
    assert coordinator.may_hand_over_caseload_of(gone)
    assert not coordinator.may_hand_over_caseload_of(other_caseworker)
    assert not coordinator.may_hand_over_caseload_of(manager)
