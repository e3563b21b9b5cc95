"""Registering and editing a young person: BI-1, BI-2, BI-5, AC-5, RF-4, RF-5."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cases import bsn as bsn_rules
from cases.forms import ClientForm
from cases.models import Client, ContactMoment, TimelineEvent, Trajectory
from lifedomains.domains import Regie
from tests.factories import (
    ClientFactory,
    ContactFactory,
    TrajectoryFactory,
    UserFactory,
    days,
    years_ago,
)
from tests.pages import page_form, page_forms

pytestmark = pytest.mark.django_db

CREATE = reverse("cases:client-create")


def create_data(caseworker, **overrides) -> dict:
    data = {
        "client-first_name": "Sem",
        "client-last_name": "de Vries",
        "client-date_of_birth": years_ago(20, days=30).isoformat(),
        "client-bsn_input": "",
        "client-phone": "0612345678",
        "client-email": "",
        "client-address_kind": Client.AddressKind.ADDRESS,
        "client-street": "Voorstraat 1",
        "client-postcode": "3311 AB",
        "client-city": "Dordrecht",
        "client-lvb": Client.LVB.UNKNOWN,
        "client-strengths": "",
        "client-talents": "",
        "client-dreams": "",
        "trajectory-situation": Trajectory.Status.DETENTION,
        "trajectory-caseworker": caseworker.pk,
        "trajectory-offences": [Trajectory.Offence.STREET_ROBBERY, Trajectory.Offence.VIOLENCE],
        "trajectory-penitentiary_institution": "PI Dordrecht",
        "trajectory-detention_start": days(-30).isoformat(),
        "trajectory-expected_release": days(60).isoformat(),
        "trajectory-actual_release": "",
        "trajectory-started_on": timezone.localdate().isoformat(),
        "trajectory-regie": Regie.CASE,
        "trajectory-age_exception_reason": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def assert_nothing_saved():
    assert Client.objects.count() == 0
    assert Trajectory.objects.count() == 0
    assert TimelineEvent.objects.count() == 0


def client_forms(response):
    client_form, trajectory_form = page_forms(response)
    return client_form, trajectory_form


# --- Registering ------------------------------------------------------------------------


def test_the_registration_page_opens(caseworker_client):
    response = caseworker_client.get(CREATE)
    assert response.status_code == 200
    client_form, trajectory_form = client_forms(response)
    assert client_form.prefix == "client"
    assert trajectory_form.prefix == "trajectory"


def test_valid_registration_creates_client_trajectory_and_timeline_and_redirects(
    caseworker_client, caseworker
):
    response = caseworker_client.post(
        CREATE, create_data(caseworker, **{"client-bsn_input": "1234.56.782"})
    )

    client = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:client-detail", args=[client.pk])
    assert client.team == caseworker.team
    assert client.created_by == caseworker
    assert client.first_name == "Sem"
    assert client.bsn == "123456782"
    assert client.bsn_index == bsn_rules.blind_index("123456782")
    assert client.postcode == "3311 AB"
    trajectory = Trajectory.objects.get()
    assert trajectory.client == client
    assert trajectory.caseworker == caseworker
    assert trajectory.status == Trajectory.Status.DETENTION
    assert trajectory.detention_start == days(-30)
    assert sorted(trajectory.offences) == ["street_robbery", "violence"]
    event = TimelineEvent.objects.get(kind=TimelineEvent.Kind.STATUS)
    assert event.trajectory == trajectory
    assert event.kind == TimelineEvent.Kind.STATUS


@pytest.mark.parametrize(
    ("situation", "extra"),
    [
        (Trajectory.Status.REGISTERED, {"trajectory-detention_start": ""}),
        (Trajectory.Status.AFTERCARE, {"trajectory-actual_release": days(-3).isoformat()}),
    ],
)
def test_registration_in_the_other_situations_sets_that_status(
    caseworker_client, caseworker, situation, extra
):
    data = create_data(caseworker, **{"trajectory-situation": situation, **extra})
    response = caseworker_client.post(CREATE, data)
    assert response.status_code == 302
    assert Trajectory.objects.get().status == situation


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("bsn_input", "123456789", "bsn_elfproef"),
        ("bsn_input", "12345678a", "bsn_format"),
        ("bsn_input", "١٢٣٤٥٦٧٨٢", "bsn_format"),
        ("date_of_birth", "2999-01-01", "future"),
        ("date_of_birth", "2023-02-30", None),
        ("date_of_birth", "", None),
        ("postcode", "12345", "postcode"),
    ],
)
def test_invalid_client_input_is_a_form_error_and_saves_nothing(
    caseworker_client, caseworker, field, value, code
):
    response = caseworker_client.post(CREATE, create_data(caseworker, **{f"client-{field}": value}))

    assert response.status_code == 200
    client_form, _ = client_forms(response)
    assert client_form.has_error(field, code=code)
    assert_nothing_saved()


def test_date_of_birth_today_is_refused(caseworker_client, caseworker):
    data = create_data(caseworker, **{"client-date_of_birth": timezone.localdate().isoformat()})
    response = caseworker_client.post(CREATE, data)
    client_form, _ = client_forms(response)
    assert client_form.has_error("date_of_birth", code="future")
    assert_nothing_saved()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        # Detention starts after the expected release.
        (
            {
                "trajectory-detention_start": days(-5).isoformat(),
                "trajectory-expected_release": days(-10).isoformat(),
            },
            "expected_release",
        ),
        # In detention, but no start of detention.
        ({"trajectory-detention_start": ""}, "detention_start"),
        # Impossible date.
        ({"trajectory-detention_start": "2023-02-30"}, "detention_start"),
        # Start of detention in the future.
        ({"trajectory-detention_start": days(5).isoformat()}, "detention_start"),
        # Already released, but no release date.
        (
            {"trajectory-situation": Trajectory.Status.AFTERCARE, "trajectory-actual_release": ""},
            "actual_release",
        ),
        # Released before the detention started.
        (
            {
                "trajectory-situation": Trajectory.Status.AFTERCARE,
                "trajectory-actual_release": days(-40).isoformat(),
            },
            "actual_release",
        ),
        # A release date while still in detention.
        ({"trajectory-actual_release": days(-3).isoformat()}, "actual_release"),
        # No situation.
        ({"trajectory-situation": ""}, "situation"),
        ({"trajectory-situation": Trajectory.Status.CLOSED}, "situation"),
        # No start of guidance.
        ({"trajectory-started_on": ""}, "started_on"),
    ],
)
def test_invalid_trajectory_input_is_a_form_error_and_saves_nothing(
    caseworker_client, caseworker, overrides, field
):
    response = caseworker_client.post(CREATE, create_data(caseworker, **overrides))

    assert response.status_code == 200
    _, trajectory_form = client_forms(response)
    assert trajectory_form.has_error(field)
    assert_nothing_saved()


def test_age_outside_the_target_group_needs_a_reason(caseworker_client, caseworker):
    data = create_data(caseworker, **{"client-date_of_birth": years_ago(30).isoformat()})

    response = caseworker_client.post(CREATE, data)

    assert response.status_code == 200
    _, trajectory_form = client_forms(response)
    assert trajectory_form.has_error("age_exception_reason")
    assert_nothing_saved()


def test_age_outside_the_target_group_with_a_reason_saves(caseworker_client, caseworker):
    data = create_data(
        caseworker,
        **{
            "client-date_of_birth": years_ago(30).isoformat(),
            "trajectory-age_exception_reason": "Afspraak met de gemeente: LVB, past in de aanpak.",
        },
    )

    response = caseworker_client.post(CREATE, data)

    assert response.status_code == 302
    trajectory = Trajectory.objects.get()
    assert trajectory.age_exception_reason.startswith("Afspraak met de gemeente")


def test_a_reason_of_only_spaces_does_not_count(caseworker_client, caseworker):
    data = create_data(
        caseworker,
        **{
            "client-date_of_birth": years_ago(17).isoformat(),
            "trajectory-age_exception_reason": "   ",
        },
    )
    response = caseworker_client.post(CREATE, data)
    _, trajectory_form = client_forms(response)
    assert trajectory_form.has_error("age_exception_reason")
    assert_nothing_saved()


def test_caseworker_of_another_team_cannot_be_assigned(
    caseworker_client, caseworker, other_caseworker
):
    data = create_data(caseworker, **{"trajectory-caseworker": other_caseworker.pk})
    response = caseworker_client.post(CREATE, data)
    _, trajectory_form = client_forms(response)
    assert trajectory_form.has_error("caseworker", code="invalid_choice")
    assert_nothing_saved()


def test_registration_cannot_set_team_creator_version_index_or_status(
    caseworker_client, caseworker, other_team, other_caseworker
):
    extra = {
        "team": other_team.pk,
        "created_by": other_caseworker.pk,
        "version": 42,
        "bsn_index": "forged",
        "bsn": "999999990",
        "status": Trajectory.Status.CLOSED,
    }
    data = create_data(caseworker)
    for name, value in extra.items():
        data[f"client-{name}"] = value
        data[f"trajectory-{name}"] = value
        data[name] = value

    response = caseworker_client.post(CREATE, data)

    assert response.status_code == 302
    client = Client.objects.get()
    assert client.team == caseworker.team
    assert client.created_by == caseworker
    assert client.version == 1
    assert client.bsn == ""
    assert client.bsn_index == ""
    trajectory = Trajectory.objects.get()
    assert trajectory.status == Trajectory.Status.DETENTION
    assert trajectory.version == 1


# --- Editing ----------------------------------------------------------------------------


@pytest.fixture
def client_record(team):
    return ClientFactory(
        team=team,
        first_name="Noor",
        last_name="Bakker",
        postcode="3311 AB",
        bsn="123456782",
        bsn_index=bsn_rules.blind_index("123456782"),
    )


def edit_url(client: Client) -> str:
    return reverse("cases:client-update", args=[client.pk])


def edit_data(client: Client, **overrides) -> dict:
    data = {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "date_of_birth": client.date_of_birth.isoformat(),
        "bsn_input": "",
        "phone": client.phone,
        "email": client.email,
        "address_kind": client.address_kind,
        "street": client.street,
        "postcode": client.postcode,
        "city": client.city,
        "lvb": client.lvb,
        "strengths": client.strengths,
        "talents": client.talents,
        "dreams": client.dreams,
        "version": client.version,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def colleague_client(team) -> HttpClient:
    """A second logged-in browser: another caseworker of the same team."""
    browser = HttpClient()
    browser.force_login(UserFactory(username="rio3", team=team))
    return browser


def opened_version(browser, url) -> int:
    response = browser.get(url)
    assert response.status_code == 200
    return int(page_form(response)["version"].value())


def test_edit_page_opens_with_the_current_version(caseworker_client, client_record):
    assert opened_version(caseworker_client, edit_url(client_record)) == client_record.version


def test_valid_edit_saves_and_redirects(caseworker_client, client_record):
    data = edit_data(client_record, first_name="Noortje", city="Zwijndrecht")

    response = caseworker_client.post(edit_url(client_record), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:client-detail", args=[client_record.pk])
    client_record.refresh_from_db()
    assert client_record.first_name == "Noortje"
    assert client_record.city == "Zwijndrecht"
    assert client_record.version == 2


def test_invalid_edit_is_a_form_error_and_changes_nothing(caseworker_client, client_record):
    data = edit_data(client_record, first_name="Anders", date_of_birth="2023-02-30")

    response = caseworker_client.post(edit_url(client_record), data)

    assert response.status_code == 200
    assert page_form(response).has_error("date_of_birth")
    client_record.refresh_from_db()
    assert client_record.first_name == "Noor"
    assert client_record.version == 1


def test_other_team_gets_404_on_the_edit_page(other_caseworker_client, client_record):
    assert other_caseworker_client.get(edit_url(client_record)).status_code == 404
    response = other_caseworker_client.post(edit_url(client_record), edit_data(client_record))
    assert response.status_code == 404


def test_edit_cannot_move_the_client_or_forge_its_fields(
    caseworker_client, client_record, other_team, other_caseworker
):
    index = client_record.bsn_index
    data = edit_data(
        client_record,
        team=other_team.pk,
        created_by=other_caseworker.pk,
        bsn_index="forged",
        bsn="999999990",
    )

    response = caseworker_client.post(edit_url(client_record), data)

    assert response.status_code == 302
    client_record.refresh_from_db()
    assert client_record.team_id != other_team.pk
    assert client_record.team.name == "RIO Dordrecht"
    assert client_record.created_by is None
    assert client_record.bsn == "123456782"
    assert client_record.bsn_index == index
    assert client_record.version == 2


def test_a_forged_version_does_not_set_the_version(caseworker_client, client_record):
    data = edit_data(client_record, first_name="Anders", version=99)

    response = caseworker_client.post(edit_url(client_record), data)

    assert response.status_code == 409
    client_record.refresh_from_db()
    assert client_record.version == 1
    assert client_record.first_name == "Noor"


def test_concurrent_client_edit_gets_409_and_keeps_the_first_change(
    caseworker_client, client_record, team
):
    url = edit_url(client_record)
    colleague = colleague_client(team)
    mine = opened_version(caseworker_client, url)
    theirs = opened_version(colleague, url)
    assert mine == theirs

    first = colleague.post(url, edit_data(client_record, first_name="Eerste", version=theirs))
    assert first.status_code == 302

    second = caseworker_client.post(
        url, edit_data(client_record, first_name="Tweede", version=mine)
    )

    assert second.status_code == 409
    form = page_form(second)
    assert form.non_field_errors()
    client_record.refresh_from_db()
    assert client_record.first_name == "Eerste"
    assert client_record.version == mine + 1


def test_concurrent_trajectory_edit_gets_409_and_keeps_the_first_change(
    caseworker_client, caseworker, team
):
    trajectory = TrajectoryFactory(client__team=team, caseworker=caseworker)
    url = reverse("cases:trajectory-update", args=[trajectory.pk])
    colleague = colleague_client(team)
    mine = opened_version(caseworker_client, url)
    theirs = opened_version(colleague, url)

    def data(institution, version):
        return {
            "caseworker": caseworker.pk,
            "offences": trajectory.offences,
            "penitentiary_institution": institution,
            "detention_start": trajectory.detention_start.isoformat(),
            "expected_release": trajectory.expected_release.isoformat(),
            "started_on": trajectory.started_on.isoformat(),
            "regie": trajectory.regie,
            "age_exception_reason": "",
            "version": version,
        }

    assert colleague.post(url, data("PI Rotterdam", theirs)).status_code == 302
    second = caseworker_client.post(url, data("PI Zwolle", mine))

    assert second.status_code == 409
    assert page_form(second).non_field_errors()
    trajectory.refresh_from_db()
    assert trajectory.penitentiary_institution == "PI Rotterdam"
    assert trajectory.version == mine + 1


def test_concurrent_contact_edit_gets_409_and_keeps_the_first_change(
    caseworker_client, caseworker, team
):
    contact = ContactFactory(trajectory__client__team=team, trajectory__caseworker=caseworker)
    url = reverse("cases:contact-update", args=[contact.pk])
    colleague = colleague_client(team)
    mine = opened_version(caseworker_client, url)
    theirs = opened_version(colleague, url)

    def data(summary, version):
        return {
            "date": contact.date.isoformat(),
            "kind": contact.kind,
            "with_whom": contact.with_whom,
            "domains": contact.domains,
            "regie": contact.regie,
            "summary": summary,
            "version": version,
        }

    assert colleague.post(url, data("Eerste verslag", theirs)).status_code == 302
    second = caseworker_client.post(url, data("Tweede verslag", mine))

    assert second.status_code == 409
    assert page_form(second).non_field_errors()
    contact = ContactMoment.objects.get(pk=contact.pk)
    assert contact.summary == "Eerste verslag"
    assert contact.version == mine + 1


# --- BSN and postcode on edit -------------------------------------------------------------


def test_leaving_the_bsn_empty_keeps_the_stored_bsn(caseworker_client, client_record):
    response = caseworker_client.post(edit_url(client_record), edit_data(client_record))
    assert response.status_code == 302
    client_record.refresh_from_db()
    assert client_record.bsn == "123456782"
    assert client_record.bsn_index == bsn_rules.blind_index("123456782")


def test_typing_a_new_valid_bsn_replaces_it(caseworker_client, client_record):
    data = edit_data(client_record, bsn_input="111 222 333")

    response = caseworker_client.post(edit_url(client_record), data)

    assert response.status_code == 302
    client_record.refresh_from_db()
    assert client_record.bsn == "111222333"
    assert client_record.bsn_index == bsn_rules.blind_index("111222333")
    assert list(Client.objects.with_bsn("111222333")) == [client_record]


def test_typing_an_invalid_bsn_is_a_form_error_and_keeps_the_old_one(
    caseworker_client, client_record
):
    data = edit_data(client_record, bsn_input="123456789")

    response = caseworker_client.post(edit_url(client_record), data)

    assert response.status_code == 200
    assert page_form(response).has_error("bsn_input", code="bsn_elfproef")
    client_record.refresh_from_db()
    assert client_record.bsn == "123456782"


def test_the_remove_bsn_checkbox_removes_it(caseworker_client, client_record):
    data = edit_data(client_record, remove_bsn="on")

    response = caseworker_client.post(edit_url(client_record), data)

    assert response.status_code == 302
    client_record.refresh_from_db()
    assert client_record.bsn == ""
    assert client_record.bsn_index == ""
    assert not Client.objects.with_bsn("123456782").exists()


def test_a_bsn_can_be_added_to_a_client_without_one(caseworker_client, team):
    client = ClientFactory(team=team)
    response = caseworker_client.post(edit_url(client), edit_data(client, bsn_input="999999990"))
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.bsn == "999999990"
    assert client.bsn_index == bsn_rules.blind_index("999999990")


def test_the_bsn_is_not_shown_in_full_on_the_edit_page(caseworker_client, client_record):
    response = caseworker_client.get(edit_url(client_record))
    assert "123456782" not in response.content.decode()
    assert page_form(response)["bsn_input"].value() in (None, "")


# --- A BSN once per team -------------------------------------------------------------------


def test_registering_a_bsn_the_team_already_has_points_at_that_dossier_and_saves_nothing(
    caseworker_client, caseworker, team
):
    existing = ClientFactory(team=team, with_bsn=True)

    with translation.override("nl"):
        response = caseworker_client.post(
            CREATE, create_data(caseworker, **{"client-bsn_input": "1234 56 782"})
        )

    assert response.status_code == 200
    client_form, _ = client_forms(response)
    assert client_form.has_error("bsn_input", code="bsn_taken")
    dossier = reverse("cases:client-detail", args=[existing.pk])
    assert client_form.errors["bsn_input"] == [
        "Dit BSN hoort al bij een jongere van uw team: "
        f'<a href="{dossier}">dossier {existing.pk}</a>.'
    ]
    assert f'<a href="{dossier}">dossier {existing.pk}</a>' in response.content.decode()
    assert list(Client.objects.all()) == [existing]
    assert not Trajectory.objects.exists()


def test_a_bsn_registered_by_a_colleague_at_the_same_moment_is_a_form_error_not_a_500(
    caseworker_client, caseworker, team, monkeypatch
):
    """The colleague's save lands between this form's check and its own save."""
    check = ClientForm.check_bsn_is_new_to_the_team
    calls = []

    def too_late(form, value):
        calls.append(value)
        if len(calls) == 1:
            ClientFactory(team=team, with_bsn=True)  # the colleague, just now
            return None
        return check(form, value)

    monkeypatch.setattr(ClientForm, "check_bsn_is_new_to_the_team", too_late)

    response = caseworker_client.post(
        CREATE, create_data(caseworker, **{"client-bsn_input": "123456782"})
    )

    assert response.status_code == 200
    client_form, _ = client_forms(response)
    assert client_form.has_error("bsn_input", code="bsn_taken")
    assert Client.objects.count() == 1
    assert not Trajectory.objects.exists()


def test_registering_a_bsn_another_team_has_is_allowed(caseworker_client, caseworker, other_team):
    elsewhere = ClientFactory(team=other_team, with_bsn=True)

    response = caseworker_client.post(
        CREATE, create_data(caseworker, **{"client-bsn_input": "123456782"})
    )

    assert response.status_code == 302
    new = Client.objects.exclude(pk=elsewhere.pk).get()
    assert new.team == caseworker.team
    assert new.bsn_index == elsewhere.bsn_index


def test_giving_a_client_the_bsn_of_a_teammate_is_a_form_error_and_changes_nothing(
    caseworker_client, client_record, team
):
    other = ClientFactory(team=team)
    response = caseworker_client.post(edit_url(other), edit_data(other, bsn_input="123456782"))

    assert response.status_code == 200
    form = page_form(response)
    assert form.has_error("bsn_input", code="bsn_taken")
    assert f"dossier {client_record.pk}" in form.errors["bsn_input"][0]
    other.refresh_from_db()
    assert other.bsn == ""
    assert other.version == 1


def test_typing_the_clients_own_bsn_again_is_no_conflict(caseworker_client, client_record):
    response = caseworker_client.post(
        edit_url(client_record), edit_data(client_record, bsn_input="123 456 782")
    )
    assert response.status_code == 302
    client_record.refresh_from_db()
    assert client_record.bsn == "123456782"


def test_giving_a_client_a_bsn_known_in_another_team_is_allowed(
    caseworker_client, team, other_team
):
    ClientFactory(team=other_team, with_bsn=True)
    client = ClientFactory(team=team)

    response = caseworker_client.post(edit_url(client), edit_data(client, bsn_input="123456782"))

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.bsn == "123456782"


def test_postcode_is_normalised(caseworker_client, client_record):
    response = caseworker_client.post(
        edit_url(client_record), edit_data(client_record, postcode="3311ab")
    )
    assert response.status_code == 302
    client_record.refresh_from_db()
    assert client_record.postcode == "3311 AB"


@pytest.mark.parametrize("postcode", ["12345", "0311 AB", "3311 A1", "3311  AB"])
def test_a_wrong_postcode_is_rejected(caseworker_client, client_record, postcode):
    response = caseworker_client.post(
        edit_url(client_record), edit_data(client_record, postcode=postcode)
    )
    assert response.status_code == 200
    assert page_form(response).has_error("postcode")
    client_record.refresh_from_db()
    assert client_record.postcode == "3311 AB"


def test_a_postal_address_needs_the_address(caseworker_client, client_record):
    data = edit_data(client_record, address_kind=Client.AddressKind.POSTAL, street="")
    response = caseworker_client.post(edit_url(client_record), data)
    assert response.status_code == 200
    assert page_form(response).has_error("street")


# --- Random input (BI-5) -------------------------------------------------------------------

EDIT_FIELDS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "bsn_input",
    "remove_bsn",
    "phone",
    "email",
    "address_kind",
    "street",
    "postcode",
    "city",
    "municipality_of_origin",
    "municipality_of_settlement",
    "lvb",
    "strengths",
    "talents",
    "dreams",
    "version",
]


@pytest.mark.parametrize("field", EDIT_FIELDS)
@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text())
def test_random_text_in_any_edit_field_never_gives_a_500(
    caseworker_client, client_record, field, text
):
    client_record.refresh_from_db()
    data = edit_data(client_record, **{field: text})

    response = caseworker_client.post(edit_url(client_record), data)

    assert response.status_code in (200, 302, 409)
