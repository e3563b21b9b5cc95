"""The chain-partner registry: shared by every team, open to caseworkers only."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from partners.models import ContactPerson, Organisation

pytestmark = pytest.mark.django_db

LIST = reverse("partners:organisation-list")


@pytest.fixture
def woonkracht(municipality):
    organisation = Organisation.objects.create(
        name="Woonkracht10", kind="housing", domains=["housing"], municipality=municipality
    )
    ContactPerson.objects.create(
        organisation=organisation, name="Ingrid Visser", role="woonconsulent"
    )
    return organisation


@pytest.fixture
def uwv():
    return Organisation.objects.create(name="UWV", kind="uwv", domains=["work"], region="Landelijk")


def registry_urls(organisation) -> list[str]:
    contact = organisation.contacts.first()
    return [
        LIST,
        reverse("partners:organisation-create"),
        reverse("partners:organisation-detail", args=[organisation.pk]),
        reverse("partners:organisation-update", args=[organisation.pk]),
        reverse("partners:contact-create", args=[organisation.pk]),
        reverse("partners:contact-update", args=[contact.pk]),
    ]


def test_every_caseworker_sees_the_registry_and_its_contacts(
    client, caseworker, other_caseworker, woonkracht
):
    # Reference data, not client data: a caseworker of any team may read it, and
    # one of its own municipality keep it (tests/partners/test_registry_keeping.py).
    client.force_login(caseworker)
    for url in registry_urls(woonkracht):
        assert client.get(url).status_code == 200, url
    client.force_login(other_caseworker)
    for url in registry_urls(woonkracht)[:3]:
        assert client.get(url).status_code == 200, url
    content = client.get(
        reverse("partners:organisation-detail", args=[woonkracht.pk])
    ).content.decode()
    assert "Ingrid Visser" in content


@pytest.mark.parametrize("role", ["manager", "admin_user"])
def test_managers_and_admins_get_404_in_the_app_registry(request, client, woonkracht, role):
    client.force_login(request.getfixturevalue(role))
    for url in registry_urls(woonkracht):
        assert client.get(url).status_code == 404, url


def test_list_filters_by_name_kind_and_domain(caseworker_client, woonkracht, uwv):
    def names(params):
        response = caseworker_client.get(LIST, params)
        return [organisation.name for organisation in response.context["page"]]

    assert names({}) == ["UWV", "Woonkracht10"]
    assert names({"q": "woon"}) == ["Woonkracht10"]
    assert names({"kind": "uwv"}) == ["UWV"]
    assert names({"domain": "housing"}) == ["Woonkracht10"]
    assert names({"domain": "care"}) == []


def test_htmx_filter_returns_only_the_results(caseworker_client, woonkracht):
    response = caseworker_client.get(LIST, {"q": "woon"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.strip().startswith('<div id="organisation-results"')
    assert "<html" not in content


def test_caseworker_adds_an_organisation_with_domains(caseworker_client, municipality):
    response = caseworker_client.post(
        reverse("partners:organisation-create"),
        {
            "name": "Stichting Schuldhulp",
            "kind": "debt_help",
            "domains": ["finances"],
            "municipality": municipality.pk,
            "is_active": "on",
        },
    )
    organisation = Organisation.objects.get(name="Stichting Schuldhulp")
    assert response["Location"] == reverse("partners:organisation-detail", args=[organisation.pk])
    assert organisation.domains == ["finances"]


def test_the_same_name_twice_in_one_municipality_is_a_form_error(caseworker_client, woonkracht):
    response = caseworker_client.post(
        reverse("partners:organisation-create"),
        {"name": "Woonkracht10", "kind": "housing", "municipality": woonkracht.municipality_id},
    )
    assert response.status_code == 200
    assert Organisation.objects.filter(name="Woonkracht10").count() == 1
    form = response.context["sections"][0][1]
    assert form.non_field_errors() or form.errors


def test_an_unknown_kind_or_domain_is_refused(caseworker_client):
    response = caseworker_client.post(
        reverse("partners:organisation-create"),
        {"name": "X", "kind": "bank", "domains": ["money"]},
    )
    form = response.context["sections"][0][1]
    assert form.has_error("kind")
    assert form.has_error("domains")
    assert not Organisation.objects.filter(name="X").exists()


def test_contact_people_are_added_and_edited(caseworker_client, woonkracht):
    response = caseworker_client.post(
        reverse("partners:contact-create", args=[woonkracht.pk]),
        {
            "name": "Dennis Hoek",
            "role": "woonconsulent",
            "email": "niet-een-adres",
            "is_active": "on",
        },
    )
    assert response.context["sections"][0][1].has_error("email")
    caseworker_client.post(
        reverse("partners:contact-create", args=[woonkracht.pk]),
        {
            "name": "Dennis Hoek",
            "role": "woonconsulent",
            "email": "d.hoek@example.org",
            "is_active": "on",
        },
    )
    contact = woonkracht.contacts.get(name="Dennis Hoek")
    caseworker_client.post(
        reverse("partners:contact-update", args=[contact.pk]),
        {
            "name": "Dennis Hoek",
            "role": "teamleider",
            "email": "d.hoek@example.org",
            "version": contact.version,
        },
    )
    contact.refresh_from_db()
    assert contact.role == "teamleider"
    assert contact.is_active is False


def test_free_text_is_escaped(caseworker_client, woonkracht):
    Organisation.objects.filter(pk=woonkracht.pk).update(notes="<script>alert(1)</script>")
    content = caseworker_client.get(
        reverse("partners:organisation-detail", args=[woonkracht.pk])
    ).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content


def test_list_query_count_does_not_grow(caseworker_client, municipality, django_assert_num_queries):
    for number in range(3):
        Organisation.objects.create(
            name=f"Partner {number}", kind="other", municipality=municipality
        )
    # One more than without the access log line of the page ("partner registry").
    with django_assert_num_queries(11) as small:
        caseworker_client.get(LIST)
    for number in range(3, 30):
        Organisation.objects.create(
            name=f"Partner {number}", kind="other", municipality=municipality
        )
    with django_assert_num_queries(len(small.captured_queries)):
        caseworker_client.get(LIST)


def test_demo_registry_has_the_partners_of_both_municipalities(settings):
    call_command("seed_demo", force=True)
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {
        "penitentiary",
        "police",
        "probation",
        "municipality",
        "safety_house",
        "housing",
        "debt_help",
        "uwv",
        "mental_health",
        "lvb_care",
        "employer",
    } <= kinds
    assert Organisation.objects.filter(municipality__name="Dordrecht", kind="housing").exists()
    assert Organisation.objects.filter(municipality__name="Rotterdam", kind="housing").exists()
    count = Organisation.objects.count()
    call_command("seed_demo", force=True)
    assert Organisation.objects.count() == count
