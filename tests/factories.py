"""Factories for the test suite. Traits give the lifecycle states and roles."""

import datetime

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Municipality, Team, User
from cases import bsn as bsn_rules
from cases.models import Client, ContactMoment, DJIMessage, Document, NetworkMember, Trajectory

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
    """A caseworker by default; traits `manager` and `admin` give the other roles,
    `coordinator` a caseworker who is their team's coordinator.

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
        coordinator = factory.Trait(is_team_coordinator=True)
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


# --- cases ---------------------------------------------------------------------------

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def days(offset: int) -> datetime.date:
    """Today plus (or minus) a number of days."""
    return timezone.localdate() + datetime.timedelta(days=offset)


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    team = factory.SubFactory(TeamFactory)
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = factory.LazyFunction(lambda: years_ago(21, days=40))
    city = "Dordrecht"

    class Params:
        with_bsn = factory.Trait(
            bsn="123456782",
            bsn_index=factory.LazyAttribute(lambda o: bsn_rules.blind_index(o.bsn)),
        )


class TrajectoryFactory(DjangoModelFactory):
    """A trajectory in detention by default; traits for the other lifecycle states."""

    class Meta:
        model = Trajectory

    client = factory.SubFactory(ClientFactory)
    caseworker = factory.SubFactory(
        UserFactory, team=factory.SelfAttribute("..client.team"), mfa=False
    )
    status = Trajectory.Status.DETENTION
    offences = factory.LazyFunction(lambda: [Trajectory.Offence.STREET_ROBBERY])
    penitentiary_institution = "PI Dordrecht"
    detention_start = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=120)
    )
    expected_release = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=10)
    )
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))

    class Params:
        registered = factory.Trait(status=Trajectory.Status.REGISTERED, detention_start=None)
        released = factory.Trait(
            status=Trajectory.Status.AFTERCARE,
            actual_release=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=30)
            ),
        )
        closed = factory.Trait(
            status=Trajectory.Status.CLOSED,
            actual_release=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=60)
            ),
            ended_on=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=1)
            ),
            end_reason=Trajectory.EndReason.COMPLETED,
        )


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = ContactMoment

    trajectory = factory.SubFactory(TrajectoryFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    kind = ContactMoment.Kind.PRISON_VISIT
    with_whom = factory.LazyFunction(lambda: [ContactMoment.With.CLIENT])
    domains = factory.LazyFunction(lambda: ["housing"])
    summary = "Gesprek in de PI over een woonplek na ontslag."


class NetworkMemberFactory(DjangoModelFactory):
    class Meta:
        model = NetworkMember

    client = factory.SubFactory(ClientFactory)
    name = factory.Faker("name", locale="nl_NL")
    relation = "moeder"
    influence = NetworkMember.Influence.SUPPORTIVE


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    client = factory.SubFactory(ClientFactory)
    title = "D&R-plan"
    kind = Document.Kind.DJI
    original_name = "plan.pdf"
    content_type = "application/pdf"
    extension = "pdf"
    size = len(MINIMAL_PDF)
    file = factory.LazyFunction(lambda: ContentFile(MINIMAL_PDF, name="plan.pdf"))


class DJIMessageFactory(DjangoModelFactory):
    class Meta:
        model = DJIMessage

    trajectory = factory.SubFactory(TrajectoryFactory)
    kind = DJIMessage.Kind.DETENTION_START
    summary = "Melding begin detentie ontvangen."
