"""Every choice field of `partners` is checked by the database, from its TextChoices.

The kinds of direction (Bottleneck.level, CaseConference.regie) are left to
the change that redefines them.
"""

import pytest

from partners.models import (
    Bottleneck,
    BottleneckEvent,
    Involvement,
    Organisation,
    PartnerRequest,
    SharingBasis,
)
from tests.constraints import assert_database_refuses
from tests.factories import TeamFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db


def an_organisation() -> Organisation:
    return Organisation.objects.create(
        name="Reclassering Nederland", kind=Organisation.Kind.PROBATION, domains=["care"]
    )


def an_involvement() -> Involvement:
    return Involvement.objects.create(
        trajectory=TrajectoryFactory(), organisation=an_organisation(), role="reclasseringswerker"
    )


def a_sharing_basis() -> SharingBasis:
    return SharingBasis.objects.create(
        trajectory=TrajectoryFactory(),
        organisation=an_organisation(),
        basis=SharingBasis.Basis.CONSENT,
        scope=["housing"],
    )


def a_partner_request() -> PartnerRequest:
    return PartnerRequest.objects.create(
        trajectory=TrajectoryFactory(),
        organisation=an_organisation(),
        domain="finances",
        question="Kan de schuldhulp starten?",
    )


def a_bottleneck() -> Bottleneck:
    return Bottleneck.objects.create(
        team=TeamFactory(),
        title="Geen kamer na ontslag",
        description="De wachtlijst is te lang.",
        category=Bottleneck.Category.CAPACITY,
    )


def a_bottleneck_event() -> BottleneckEvent:
    return BottleneckEvent.objects.create(
        bottleneck=a_bottleneck(), kind=BottleneckEvent.Kind.RAISED
    )


CHECKS = [
    (an_organisation, "kind", "church", "organisation_kind_valid"),
    (an_organisation, "domains", ["care", "leisure"], "organisation_domains_valid"),
    (an_involvement, "domains", ["leisure"], "involvement_domains_valid"),
    (a_sharing_basis, "basis", "hunch", "sharing_basis_basis_valid"),
    (a_sharing_basis, "scope", ["housing", "leisure"], "sharing_basis_scope_valid"),
    (a_partner_request, "domain", "leisure", "partner_request_domain_valid"),
    (a_bottleneck, "category", "weather", "bottleneck_category_valid"),
    (a_bottleneck, "domain", "leisure", "bottleneck_domain_valid"),
    # A status must be open or closed: one in neither group is refused.
    (a_bottleneck, "status", "parked", "bottleneck_closed_has_resolution"),
    (a_bottleneck_event, "kind", "deleted", "bottleneck_event_kind_valid"),
]


@pytest.mark.parametrize(
    ("make", "field", "value", "constraint"),
    CHECKS,
    ids=[f"{field}-{constraint}" for _make, field, _value, constraint in CHECKS],
)
def test_the_database_refuses_a_value_outside_the_choices(make, field, value, constraint):
    assert_database_refuses(make(), field, value, constraint)


def test_a_bottleneck_may_be_about_no_domain_or_any_one():
    bottleneck = a_bottleneck()
    assert bottleneck.domain == ""
    for domain in ["", "housing", "work"]:
        Bottleneck.objects.filter(pk=bottleneck.pk).update(domain=domain)
