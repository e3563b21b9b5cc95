"""Who keeps the shared partner registry: the caseworkers of an organisation's own
municipality or region; national organisations only the admins. Every change is
versioned (RF-4) and in the change history."""

import pytest
from django.contrib.postgres.forms import SimpleArrayField
from django.test import Client
from django.urls import reverse

from cases.forms import CONFLICT_MESSAGE
from partners.models import ContactPerson, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def dordrecht_partner(municipality):
    organisation = Organisation.objects.create(
        name="Woonkracht10", kind="housing", domains=["housing"], municipality=municipality
    )
    ContactPerson.objects.create(organisation=organisation, name="Ingrid Visser")
    return organisation


@pytest.fixture
def rotterdam_partner(other_municipality):
    organisation = Organisation.objects.create(
        name="Woonstad Rotterdam", kind="housing", municipality=other_municipality
    )
    ContactPerson.objects.create(organisation=organisation, name="Dennis Hoek")
    return organisation


@pytest.fixture
def national_partner():
    organisation = Organisation.objects.create(name="CJIB", kind="other", region="Landelijk")
    ContactPerson.objects.create(organisation=organisation, name="Loket")
    return organisation


@pytest.fixture
def dordrecht_region(municipality):
    organisation = Organisation.objects.create(
        name="Yulius GGZ", kind="mental_health", region="Zuid-Holland-Zuid"
    )
    organisation.region_municipalities.set([municipality])
    ContactPerson.objects.create(organisation=organisation, name="Dr. M. Peeters")
    return organisation


def organisation_data(organisation, **changes) -> dict:
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "domains": organisation.domains,
        "municipality": organisation.municipality_id or "",
        "region": organisation.region,
        "region_municipalities": [m.pk for m in organisation.region_municipalities.all()],
        "is_active": "on",
        "version": organisation.version,
    }
    return {**data, **changes}


def edit_urls(organisation) -> list[str]:
    contact = organisation.contacts.get()
    return [
        reverse("partners:organisation-update", args=[organisation.pk]),
        reverse("partners:contact-create", args=[organisation.pk]),
        reverse("partners:contact-update", args=[contact.pk]),
    ]


def test_a_caseworker_edits_an_organisation_of_their_own_municipality(
    caseworker_client, dordrecht_partner
):
    response = caseworker_client.post(
        reverse("partners:organisation-update", args=[dordrecht_partner.pk]),
        organisation_data(dordrecht_partner, phone="078-1234567"),
    )
    assert response.status_code == 302
    dordrecht_partner.refresh_from_db()
    assert dordrecht_partner.phone == "078-1234567"
    assert dordrecht_partner.version == 2


def test_a_caseworker_edits_a_regional_organisation_of_their_region(
    client, caseworker, other_caseworker, dordrecht_region
):
    url = reverse("partners:organisation-update", args=[dordrecht_region.pk])
    client.force_login(caseworker)
    response = client.post(url, organisation_data(dordrecht_region, phone="088-1"))
    assert response.status_code == 302
    # Rotterdam is not in this region: its caseworkers only read it.
    client.force_login(other_caseworker)
    assert client.get(url).status_code == 403
    dordrecht_region.refresh_from_db()
    assert dordrecht_region.phone == "088-1"


@pytest.mark.parametrize("partner", ["rotterdam_partner", "national_partner"])
def test_another_municipalitys_or_a_national_organisation_is_read_only(
    request, caseworker_client, partner
):
    organisation = request.getfixturevalue(partner)
    detail = caseworker_client.get(reverse("partners:organisation-detail", args=[organisation.pk]))
    content = detail.content.decode()
    assert detail.status_code == 200
    assert organisation.contacts.get().name in content
    for url in edit_urls(organisation):
        assert url not in content
        assert caseworker_client.get(url).status_code == 403, url
        assert caseworker_client.post(url, {"name": "Overgenomen"}).status_code == 403, url
    organisation.refresh_from_db()
    assert organisation.name != "Overgenomen"
    assert organisation.version == 1
    assert organisation.contacts.get().name != "Overgenomen"


def test_the_detail_page_offers_editing_to_the_keepers(caseworker_client, dordrecht_partner):
    content = caseworker_client.get(
        reverse("partners:organisation-detail", args=[dordrecht_partner.pk])
    ).content.decode()
    for url in edit_urls(dordrecht_partner):
        assert url in content


def test_a_caseworker_cannot_move_an_organisation_out_of_their_municipality(
    caseworker_client, dordrecht_partner, other_municipality
):
    for changes in (
        {"municipality": other_municipality.pk},  # to Rotterdam
        {"municipality": ""},  # national
        {"municipality": "", "region_municipalities": [other_municipality.pk]},
    ):
        response = caseworker_client.post(
            reverse("partners:organisation-update", args=[dordrecht_partner.pk]),
            organisation_data(dordrecht_partner, **changes),
        )
        assert response.status_code == 200, changes
        assert "Landelijke organisaties worden beheerd" in response.content.decode()
        dordrecht_partner.refresh_from_db()
        assert dordrecht_partner.municipality.name == "Dordrecht"
        assert list(dordrecht_partner.region_municipalities.all()) == []
        assert dordrecht_partner.version == 1


def test_a_caseworker_cannot_add_a_national_or_another_municipalitys_organisation(
    caseworker_client, other_municipality
):
    for municipality in ("", other_municipality.pk):
        response = caseworker_client.post(
            reverse("partners:organisation-create"),
            {"name": "Elders", "kind": "other", "municipality": municipality, "is_active": "on"},
        )
        assert response.status_code == 200
        assert "Landelijke organisaties worden beheerd" in response.content.decode()
    assert not Organisation.objects.filter(name="Elders").exists()


def test_a_caseworker_adds_a_regional_organisation_with_their_municipality(
    caseworker_client, municipality, other_municipality
):
    response = caseworker_client.post(
        reverse("partners:organisation-create"),
        {
            "name": "Politie Zuid-Holland-Zuid",
            "kind": "police",
            "region": "Zuid-Holland-Zuid",
            "region_municipalities": [municipality.pk, other_municipality.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Politie Zuid-Holland-Zuid")
    assert organisation.scope == Organisation.Scope.REGION


def test_one_municipality_and_a_region_at_once_is_a_form_error(caseworker_client, municipality):
    response = caseworker_client.post(
        reverse("partners:organisation-create"),
        {
            "name": "Beide",
            "kind": "other",
            "municipality": municipality.pk,
            "region_municipalities": [municipality.pk],
        },
    )
    form = response.context["sections"][0][1]
    assert form.has_error("region_municipalities")
    assert not Organisation.objects.filter(name="Beide").exists()


def test_editable_by_is_the_one_rule(
    caseworker,
    other_caseworker,
    manager,
    admin_user,
    dordrecht_partner,
    rotterdam_partner,
    national_partner,
    dordrecht_region,
):
    def editable(user):
        return set(Organisation.objects.editable_by(user).values_list("name", flat=True))

    assert editable(caseworker) == {"Woonkracht10", "Yulius GGZ"}
    assert editable(other_caseworker) == {"Woonstad Rotterdam"}
    assert editable(manager) == set()
    assert editable(admin_user) == {"Woonkracht10", "Yulius GGZ", "Woonstad Rotterdam", "CJIB"}
    assert national_partner.can_be_edited_by(admin_user)
    assert not national_partner.can_be_edited_by(caseworker)


def admin_change_data(page) -> dict:
    """What the admin's change form posts back, with its inline formsets."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(field, SimpleArrayField):
                data[key] = ",".join(value or [])
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is None:
                data[key] = ""
            else:
                data[key] = value

    add(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def test_an_admin_keeps_a_national_organisation_and_moves_its_version_on(
    admin_client, national_partner
):
    url = reverse("admin:partners_organisation_change", args=[national_partner.pk])
    data = admin_change_data(admin_client.get(url))
    response = admin_client.post(url, {**data, "phone": "058-2050505"})
    assert response.status_code == 302
    national_partner.refresh_from_db()
    assert national_partner.phone == "058-2050505"
    assert national_partner.version == 2


def test_the_second_of_two_concurrent_edits_gets_the_conflict_message(
    caseworker_client, colleague, client, dordrecht_partner
):
    url = reverse("partners:organisation-update", args=[dordrecht_partner.pk])
    opened_at = organisation_data(dordrecht_partner)
    first = caseworker_client.post(url, {**opened_at, "phone": "078-1111111"})
    assert first.status_code == 302

    client.force_login(colleague)
    second = client.post(url, {**opened_at, "phone": "078-2222222"})

    assert second.status_code == 409
    assert str(CONFLICT_MESSAGE) in second.content.decode()
    dordrecht_partner.refresh_from_db()
    assert dordrecht_partner.phone == "078-1111111"
    assert dordrecht_partner.version == 2


def test_a_contact_person_edit_is_versioned_too(caseworker_client, dordrecht_partner):
    contact = dordrecht_partner.contacts.get()
    url = reverse("partners:contact-update", args=[contact.pk])
    opened_at = {"name": contact.name, "is_active": "on", "version": contact.version}
    assert caseworker_client.post(url, {**opened_at, "role": "woonconsulent"}).status_code == 302
    second = caseworker_client.post(url, {**opened_at, "role": "teamleider"})
    assert second.status_code == 409
    assert str(CONFLICT_MESSAGE) in second.content.decode()
    contact.refresh_from_db()
    assert (contact.role, contact.version) == ("woonconsulent", 2)


def test_an_edit_through_the_page_is_in_the_history_with_its_user(
    caseworker_client, caseworker, dordrecht_partner
):
    caseworker_client.post(
        reverse("partners:organisation-update", args=[dordrecht_partner.pk]),
        organisation_data(dordrecht_partner, name="Woonkracht10 Dordrecht"),
    )
    contact = dordrecht_partner.contacts.get()
    caseworker_client.post(
        reverse("partners:contact-update", args=[contact.pk]),
        {"name": contact.name, "role": "teamleider", "version": contact.version},
    )
    event = dordrecht_partner.history.filter(pgh_label="update").get()
    assert event.name == "Woonkracht10 Dordrecht"
    assert event.pgh_context.metadata["user"] == caseworker.pk
    contact_event = contact.history.filter(pgh_label="update").get()
    assert contact_event.role == "teamleider"
    assert contact_event.pgh_context.metadata["user"] == caseworker.pk


def test_an_admin_save_over_a_newer_change_is_refused(admin_client, caseworker, dordrecht_partner):
    caseworker_client = Client()  # admin_client is the `client` fixture, logged in as admin
    caseworker_client.force_login(caseworker)
    url = reverse("admin:partners_organisation_change", args=[dordrecht_partner.pk])
    opened_at = admin_change_data(admin_client.get(url))
    # A caseworker saves the organisation after the admin opened it.
    saved = caseworker_client.post(
        reverse("partners:organisation-update", args=[dordrecht_partner.pk]),
        {**organisation_data(dordrecht_partner), "phone": "078-1111111"},
    )
    assert saved.status_code == 302

    response = admin_client.post(url, {**opened_at, "phone": "078-2222222"})

    assert response.status_code == 200
    assert str(CONFLICT_MESSAGE) in response.content.decode()
    dordrecht_partner.refresh_from_db()
    assert (dordrecht_partner.phone, dordrecht_partner.version) == ("078-1111111", 2)


def test_an_admin_save_over_a_newer_contact_person_change_is_refused(
    admin_client, caseworker, dordrecht_partner
):
    caseworker_client = Client()  # admin_client is the `client` fixture, logged in as admin
    caseworker_client.force_login(caseworker)
    contact = dordrecht_partner.contacts.get()
    url = reverse("admin:partners_organisation_change", args=[dordrecht_partner.pk])
    opened_at = admin_change_data(admin_client.get(url))
    saved = caseworker_client.post(
        reverse("partners:contact-update", args=[contact.pk]),
        {"name": contact.name, "role": "woonconsulent", "version": contact.version},
    )
    assert saved.status_code == 302

    response = admin_client.post(url, {**opened_at, "contacts-0-role": "teamleider"})

    assert response.status_code == 200
    assert str(CONFLICT_MESSAGE) in response.content.decode()
    contact.refresh_from_db()
    assert (contact.role, contact.version) == ("woonconsulent", 2)
    # The organisation itself was not saved either: one transaction.
    dordrecht_partner.refresh_from_db()
    assert dordrecht_partner.version == 1


def test_a_change_to_the_region_is_in_the_history_with_its_user(
    caseworker_client, caseworker, dordrecht_region, other_municipality
):
    from audit.history import history_of
    from partners.models import OrganisationRegion

    history = history_of(OrganisationRegion)
    before = set(dordrecht_region.region_municipalities.values_list("pk", flat=True))
    response = caseworker_client.post(
        reverse("partners:organisation-update", args=[dordrecht_region.pk]),
        organisation_data(dordrecht_region, region_municipalities=[*before, other_municipality.pk]),
    )
    assert response.status_code == 302

    added = history.objects.get(pgh_label="insert", municipality_id=other_municipality.pk)
    assert added.organisation_id == dordrecht_region.pk
    assert added.pgh_context.metadata["user"] == caseworker.pk
