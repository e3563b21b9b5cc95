"""Factories for the test suite. Traits give the lifecycle states and roles."""

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from factory.django import DjangoModelFactory

from accounts.models import Municipality, Team, User

TEST_PASSWORD = "correct horse battery staple"


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("cbs_code",)

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    cbs_code = factory.Sequence(lambda n: f"GM{n % 10000:04d}")


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"RIO-team {n}")
    municipality = factory.SubFactory(MunicipalityFactory)


class UserFactory(DjangoModelFactory):
    """A caseworker by default; traits `manager` and `admin` give the other roles.

    Every user has TOTP set up (`totp_secret` keeps the secret), because tests
    run with MFA required, as production does. `mfa=False` leaves it out.
    """

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    class Params:
        manager = factory.Trait(
            role=User.Role.MANAGER,
            team=None,
            municipality=factory.SubFactory(MunicipalityFactory),
        )
        admin = factory.Trait(
            role=User.Role.ADMIN,
            team=None,
            is_staff=True,
            is_superuser=True,
        )

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    role = User.Role.CASEWORKER
    team = factory.SubFactory(TeamFactory)
    municipality = None
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def mfa(user, create, extracted, **kwargs):
        user.save()
        if extracted is False or not create:
            user.totp_secret = None
            return
        user.totp_secret = generate_totp_secret()
        TOTP.activate(user, user.totp_secret)
