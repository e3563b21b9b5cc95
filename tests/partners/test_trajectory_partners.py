"""Partners on a trajectory: who is involved, on which legal basis (PR-3), what was asked
of them, and what was agreed at case conferences."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from cases.models import TimelineEvent
from lifedomains.domains import Regie
from lifedomains.models import Action, Goal
from partners.models import (
    Agreement,
    CaseConference,
    ContactPerson,
    DetentionPlace,
    Involvement,
    Organisation,
    PartnerRequest,
    SharingBasis,
)
from tests.factories import ClientFactory, DocumentFactory, TrajectoryFactory, days
from tests.pages import page_form

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
STATE = SharingBasis.State


@pytest.fixture
def trajectory(team, caseworker):
    return TrajectoryFactory(
        client__team=team,
        client__first_name="Anouk",
        client__last_name="Aarts",
        caseworker=caseworker,
        started_on=days(-100),
    )


@pytest.fixture
def reclassering():
    organisation = Organisation.objects.create(
        name="Reclassering Nederland", kind=Organisation.Kind.PROBATION, domains=["care"]
    )
    ContactPerson.objects.create(organisation=organisation, name="Sanne Vermeulen")
    return organisation


@pytest.fixture
def woonkracht(municipality):
    organisation = Organisation.objects.create(
        name="Woonkracht10",
        kind=Organisation.Kind.HOUSING,
        domains=["housing"],
        municipality=municipality,
    )
    ContactPerson.objects.create(organisation=organisation, name="Ingrid Visser")
    return organisation


def dossier(client_, trajectory) -> str:
    response = client_.get(reverse("cases:client-detail", args=[trajectory.client_id]))
    assert response.status_code == 200
    return response.content.decode()


def sharing_state_on_dossier(content: str, organisation: Organisation) -> str:
    """The rio-sharing--<state> class in the partner table row of this organisation."""
    row = re.search(
        rf'<th scope="row"><a [^>]*>{re.escape(organisation.name)}</a>.*?'
        r'class="rio-sharing rio-sharing--([a-z_]+)"',
        content,
        re.DOTALL,
    )
    assert row, f"no partner row for {organisation}"
    return row.group(1)


def involve(trajectory, organisation, **extra) -> Involvement:
    return Involvement.objects.create(
        trajectory=trajectory,
        organisation=organisation,
        role=extra.pop("role", "begeleider"),
        started_on=extra.pop("started_on", days(-30)),
        **extra,
    )


def basis_for(trajectory, organisation, **extra) -> SharingBasis:
    return SharingBasis.objects.create(
        trajectory=trajectory,
        organisation=organisation,
        basis=extra.pop("basis", SharingBasis.Basis.CONSENT),
        scope=extra.pop("scope", ["care"]),
        valid_from=extra.pop("valid_from", days(-30)),
        **extra,
    )


def in_dutch(singular: str, plural: str, count: int) -> str:
    with translation.override("nl"):
        return translation.ngettext(singular, plural, count) % {"days": count}


# --- Involvement ---------------------------------------------------------------------------


def involvement_data(organisation, **extra) -> dict:
    return {
        "organisation": organisation.pk,
        "contact_person": organisation.contacts.get().pk,
        "role": "reclasseringswerker",
        "domains": ["care", "work"],
        "started_on": days(-3).isoformat(),
        **extra,
    }


def involvement_create(trajectory) -> str:
    return reverse("partners:involvement-create", args=[trajectory.pk])


def test_adding_a_partner_saves_the_involvement_and_a_timeline_line(
    caseworker_client, caseworker, trajectory, reclassering
):
    response = caseworker_client.post(
        involvement_create(trajectory), involvement_data(reclassering)
    )

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("cases:client-detail", args=[trajectory.client_id]) + "#partners"
    )
    involvement = Involvement.objects.get()
    assert involvement.trajectory == trajectory
    assert involvement.organisation == reclassering
    assert involvement.contact_person.name == "Sanne Vermeulen"
    assert involvement.domains == ["care", "work"]
    assert involvement.started_on == days(-3)
    assert involvement.ended_on is None
    event = TimelineEvent.objects.get(trajectory=trajectory)
    assert event.kind == TimelineEvent.Kind.PARTNERS
    assert event.by == caseworker


def test_a_contact_person_of_another_organisation_is_a_form_error(
    caseworker_client, trajectory, reclassering, woonkracht
):
    data = involvement_data(reclassering, contact_person=woonkracht.contacts.get().pk)

    response = caseworker_client.post(involvement_create(trajectory), data)

    assert response.status_code == 200
    assert page_form(response).has_error("contact_person")
    assert not Involvement.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_until_before_from_is_a_form_error(caseworker_client, trajectory, reclassering):
    data = involvement_data(
        reclassering, started_on=days(-3).isoformat(), ended_on=days(-4).isoformat()
    )

    response = caseworker_client.post(involvement_create(trajectory), data)

    assert response.status_code == 200
    assert page_form(response).has_error("ended_on")
    assert not Involvement.objects.exists()


def test_the_same_organisation_twice_while_current_is_a_form_error(
    caseworker_client, trajectory, reclassering
):
    involve(trajectory, reclassering)

    response = caseworker_client.post(
        involvement_create(trajectory), involvement_data(reclassering)
    )

    assert response.status_code == 200
    assert page_form(response).has_error("organisation")
    assert Involvement.objects.count() == 1


def test_an_organisation_can_be_involved_again_after_its_involvement_ended(
    caseworker_client, trajectory, reclassering
):
    involve(trajectory, reclassering, started_on=days(-60), ended_on=days(-30))

    response = caseworker_client.post(
        involvement_create(trajectory), involvement_data(reclassering)
    )

    assert response.status_code == 302
    assert Involvement.objects.filter(ended_on__isnull=True).count() == 1


def test_the_database_refuses_the_same_organisation_twice_while_current(trajectory, reclassering):
    involve(trajectory, reclassering)

    with pytest.raises(IntegrityError), transaction.atomic():
        involve(trajectory, reclassering, role="tweede keer")


# --- Legal bases (PR-3) ------------------------------------------------------------------------


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (at(2024, 12, 31), STATE.NOT_YET),
        (at(2025, 1, 1), STATE.VALID),
        (at(2025, 11, 30), STATE.VALID),  # 31 days left
        (at(2025, 12, 1), STATE.EXPIRING),  # 30 days left
        (at(2025, 12, 31), STATE.EXPIRING),  # the last valid day
        (at(2026, 1, 1), STATE.EXPIRED),  # the day after valid_until
    ],
)
def test_a_legal_basis_is_valid_expiring_or_expired_at_its_boundaries(
    time_machine, trajectory, reclassering, today, state
):
    basis = basis_for(
        trajectory, reclassering, valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2025, 12, 31)
    )
    time_machine.move_to(today, tick=False)

    assert basis.state() == state
    assert basis.allows_sharing() is (state in (STATE.VALID, STATE.EXPIRING))


@pytest.mark.parametrize(
    ("today", "state"),
    [(at(2025, 2, 28), STATE.VALID), (at(2025, 3, 1), STATE.WITHDRAWN)],
)
def test_a_legal_basis_is_withdrawn_from_the_day_of_withdrawal(
    time_machine, trajectory, reclassering, today, state
):
    basis = basis_for(
        trajectory, reclassering, valid_from=dt.date(2025, 1, 1), withdrawn_on=dt.date(2025, 3, 1)
    )
    time_machine.move_to(today, tick=False)

    assert basis.state() == state
    assert basis.allows_sharing() is (state == STATE.VALID)


def test_a_basis_without_end_stays_valid(time_machine, trajectory, reclassering):
    basis = basis_for(trajectory, reclassering, valid_from=dt.date(2025, 1, 1))
    time_machine.move_to(at(2035, 1, 1), tick=False)

    assert basis.state() == STATE.VALID


def test_the_dossier_shows_per_partner_whether_sharing_is_allowed(caseworker_client, trajectory):
    def partner(name: str) -> Organisation:
        organisation = Organisation.objects.create(name=name, kind=Organisation.Kind.OTHER)
        involve(trajectory, organisation)
        return organisation

    valid, expiring, expired, withdrawn, none, not_yet = (
        partner(name)
        for name in ("Geldig", "Verloopt bijna", "Verlopen", "Ingetrokken", "Zonder", "Nog niet")
    )
    basis_for(trajectory, valid, valid_until=days(200))
    basis_for(trajectory, expiring, valid_until=days(10))
    basis_for(trajectory, expired, valid_from=days(-400), valid_until=days(-1))
    basis_for(trajectory, withdrawn, withdrawn_on=days(0))
    basis_for(trajectory, not_yet, valid_from=days(5))

    content = dossier(caseworker_client, trajectory)

    assert sharing_state_on_dossier(content, valid) == "valid"
    assert sharing_state_on_dossier(content, expiring) == "expiring"
    assert sharing_state_on_dossier(content, expired) == "expired"
    assert sharing_state_on_dossier(content, withdrawn) == "withdrawn"
    assert sharing_state_on_dossier(content, none) == "none"
    assert sharing_state_on_dossier(content, not_yet) == "not_yet"


def test_an_expired_basis_next_to_a_valid_one_still_allows_sharing(
    caseworker_client, trajectory, reclassering
):
    involve(trajectory, reclassering)
    basis_for(trajectory, reclassering, valid_from=days(-400), valid_until=days(-40))
    basis_for(trajectory, reclassering, valid_from=days(-39))

    content = dossier(caseworker_client, trajectory)

    assert sharing_state_on_dossier(content, reclassering) == "valid"
    # The list of bases still shows the old one as expired (PR-3).
    assert 'class="rio-sharing rio-sharing--expired"' in content


def test_a_partner_without_legal_basis_can_be_added_and_is_marked(
    caseworker_client, trajectory, reclassering
):
    response = caseworker_client.post(
        involvement_create(trajectory), involvement_data(reclassering)
    )

    assert response.status_code == 302
    assert not SharingBasis.objects.exists()
    assert sharing_state_on_dossier(dossier(caseworker_client, trajectory), reclassering) == "none"


def basis_data(organisation, **extra) -> dict:
    return {
        "organisation": organisation.pk,
        "basis": SharingBasis.Basis.CONSENT,
        "scope": ["care"],
        "valid_from": days(-3).isoformat(),
        "valid_until": days(360).isoformat(),
        **extra,
    }


def basis_create(trajectory) -> str:
    return reverse("partners:basis-create", args=[trajectory.pk])


def basis_update(basis) -> str:
    return reverse("partners:basis-update", args=[basis.pk])


def test_recording_a_legal_basis_saves_it_with_a_timeline_line(
    caseworker_client, trajectory, reclassering
):
    document = DocumentFactory(client=trajectory.client, title="Toestemmingsformulier")

    response = caseworker_client.post(
        basis_create(trajectory), basis_data(reclassering, document=document.pk)
    )

    assert response.status_code == 302
    basis = SharingBasis.objects.get()
    assert (basis.trajectory, basis.organisation, basis.document) == (
        trajectory,
        reclassering,
        document,
    )
    assert basis.scope == ["care"]
    assert basis.valid_until == days(360)
    assert TimelineEvent.objects.get().kind == TimelineEvent.Kind.PARTNERS


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"valid_from": days(-3).isoformat(), "valid_until": days(-4).isoformat()}, "valid_until"),
        ({"basis": SharingBasis.Basis.OTHER, "note": ""}, "note"),
        ({"scope": []}, "scope"),
    ],
    ids=["until-before-from", "other-without-note", "empty-scope"],
)
def test_an_invalid_legal_basis_is_a_form_error(
    caseworker_client, trajectory, reclassering, extra, field
):
    response = caseworker_client.post(basis_create(trajectory), basis_data(reclassering, **extra))

    assert response.status_code == 200
    assert page_form(response).has_error(field)
    assert not SharingBasis.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_basis_other_with_a_note_is_saved(caseworker_client, trajectory, reclassering):
    data = basis_data(reclassering, basis=SharingBasis.Basis.OTHER, note="Convenant Jeugd")

    response = caseworker_client.post(basis_create(trajectory), data)

    assert response.status_code == 302
    assert SharingBasis.objects.get().note == "Convenant Jeugd"


def test_recording_a_withdrawal_shows_the_partner_as_withdrawn(
    caseworker_client, trajectory, reclassering
):
    involve(trajectory, reclassering)
    basis = basis_for(trajectory, reclassering, valid_from=days(-30))

    response = caseworker_client.post(
        basis_update(basis),
        basis_data(
            reclassering,
            valid_from=days(-30).isoformat(),
            withdrawn_on=days(0).isoformat(),
            version=basis.version,
        ),
    )

    assert response.status_code == 302
    basis.refresh_from_db()
    assert basis.withdrawn_on == days(0)
    assert basis.state() == STATE.WITHDRAWN
    content = dossier(caseworker_client, trajectory)
    assert sharing_state_on_dossier(content, reclassering) == "withdrawn"


@pytest.mark.parametrize(
    ("withdrawn_on", "reason"),
    [(days(1), "in the future"), (days(-31), "before the basis started")],
    ids=["future", "before-start"],
)
def test_an_impossible_withdrawal_is_an_error_on_the_withdrawal_date(
    caseworker_client, trajectory, reclassering, withdrawn_on, reason
):
    basis = basis_for(trajectory, reclassering, valid_from=days(-30))

    response = caseworker_client.post(
        basis_update(basis),
        basis_data(
            reclassering,
            valid_from=days(-30).isoformat(),
            withdrawn_on=withdrawn_on.isoformat(),
            version=basis.version,
        ),
    )

    assert response.status_code == 200
    assert page_form(response).has_error("withdrawn_on"), reason
    basis.refresh_from_db()
    assert basis.withdrawn_on is None
    assert basis.version == 1


def test_a_new_basis_cannot_be_withdrawn_at_once(caseworker_client, trajectory, reclassering):
    response = caseworker_client.get(basis_create(trajectory))

    assert "withdrawn_on" not in page_form(response).fields


def test_the_document_choices_only_offer_this_clients_documents(
    caseworker_client, team, other_team, trajectory, reclassering
):
    own = DocumentFactory(client=trajectory.client, title="Toestemming Anouk")
    same_team = DocumentFactory(client=ClientFactory(team=team), title="Toestemming Cas")
    other = DocumentFactory(client=ClientFactory(team=other_team), title="Toestemming Bram")

    response = caseworker_client.get(basis_create(trajectory))

    assert set(page_form(response).fields["document"].queryset) == {own}
    content = response.content.decode()
    assert "Toestemming Cas" not in content
    assert "Toestemming Bram" not in content
    for document in (same_team, other):
        response = caseworker_client.post(
            basis_create(trajectory), basis_data(reclassering, document=document.pk)
        )
        assert response.status_code == 200
        assert page_form(response).has_error("document")
    assert not SharingBasis.objects.exists()


def test_editing_a_basis_with_a_stale_version_gives_409(
    caseworker_client, colleague, trajectory, reclassering
):
    basis = basis_for(trajectory, reclassering, valid_from=days(-30))
    other_tab = HttpClient()
    other_tab.force_login(colleague)
    first = other_tab.post(
        basis_update(basis),
        basis_data(reclassering, valid_from=days(-30).isoformat(), note="Eerst", version=1),
    )
    assert first.status_code == 302

    response = caseworker_client.post(
        basis_update(basis),
        basis_data(reclassering, valid_from=days(-30).isoformat(), note="Daarna", version=1),
    )

    assert response.status_code == 409
    assert page_form(response).non_field_errors()
    basis.refresh_from_db()
    assert basis.note == "Eerst"
    assert basis.version == 2


# --- Requests ----------------------------------------------------------------------------------


def request_data(organisation, **extra) -> dict:
    return {
        "organisation": organisation.pk,
        "contact_person": organisation.contacts.get().pk,
        "domain": "care",
        "question": "Welke bijzondere voorwaarden gelden na ontslag?",
        "asked_on": days(-5).isoformat(),
        **extra,
    }


def request_answer(partner_request) -> str:
    return reverse("partners:request-answer", args=[partner_request.pk])


def an_open_request(trajectory, organisation, asked_on) -> PartnerRequest:
    return PartnerRequest.objects.create(
        trajectory=trajectory,
        organisation=organisation,
        domain="care",
        question="Wanneer is de eerste meldplicht?",
        asked_on=asked_on,
    )


def test_a_request_is_asked_and_answered(caseworker_client, trajectory, reclassering):
    response = caseworker_client.post(
        reverse("partners:request-create", args=[trajectory.pk]), request_data(reclassering)
    )
    assert response.status_code == 302
    partner_request = PartnerRequest.objects.get()
    assert partner_request.answered_on is None
    assert partner_request.days_open() == 5

    response = caseworker_client.post(
        request_answer(partner_request),
        {"answered_on": days(-1).isoformat(), "answer": "Meldplicht wekelijks.", "version": 1},
    )

    assert response.status_code == 302
    partner_request.refresh_from_db()
    assert partner_request.answered_on == days(-1)
    assert partner_request.answer == "Meldplicht wekelijks."
    assert partner_request.days_to_answer == 4
    assert partner_request.days_open() is None
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.PARTNERS).count() == 1


@pytest.mark.parametrize(
    "answered_on", [days(-6), days(1)], ids=["before-the-request", "in-the-future"]
)
def test_an_impossible_answer_date_is_a_form_error(
    caseworker_client, trajectory, reclassering, answered_on
):
    partner_request = an_open_request(trajectory, reclassering, asked_on=days(-5))

    response = caseworker_client.post(
        request_answer(partner_request),
        {"answered_on": answered_on.isoformat(), "answer": "Ja.", "version": 1},
    )

    assert response.status_code == 200
    assert page_form(response).has_error("answered_on")
    partner_request.refresh_from_db()
    assert partner_request.answered_on is None
    assert partner_request.answer == ""


def test_an_answer_needs_text(caseworker_client, trajectory, reclassering):
    partner_request = an_open_request(trajectory, reclassering, asked_on=days(-5))

    response = caseworker_client.post(
        request_answer(partner_request),
        {"answered_on": days(0).isoformat(), "answer": "", "version": 1},
    )

    assert response.status_code == 200
    assert page_form(response).has_error("answer")
    partner_request.refresh_from_db()
    assert partner_request.answered_on is None


def test_a_request_asked_in_the_future_is_a_form_error(caseworker_client, trajectory, reclassering):
    response = caseworker_client.post(
        reverse("partners:request-create", args=[trajectory.pk]),
        request_data(reclassering, asked_on=days(1).isoformat()),
    )

    assert response.status_code == 200
    assert page_form(response).has_error("asked_on")
    assert not PartnerRequest.objects.exists()


def test_a_request_to_a_contact_of_another_organisation_is_a_form_error(
    caseworker_client, trajectory, reclassering, woonkracht
):
    response = caseworker_client.post(
        reverse("partners:request-create", args=[trajectory.pk]),
        request_data(reclassering, contact_person=woonkracht.contacts.get().pk),
    )

    assert response.status_code == 200
    assert page_form(response).has_error("contact_person")
    assert not PartnerRequest.objects.exists()


def test_the_dossier_shows_how_long_requests_are_open_and_took_to_answer(
    caseworker_client, trajectory, reclassering, woonkracht
):
    an_open_request(trajectory, reclassering, asked_on=days(-6))
    answered = an_open_request(trajectory, woonkracht, asked_on=days(-9))
    PartnerRequest.objects.filter(pk=answered.pk).update(answered_on=days(-2), answer="Geregeld.")

    content = dossier(caseworker_client, trajectory)

    assert in_dutch("open for %(days)s day", "open for %(days)s days", 6) in content
    assert in_dutch("answered after %(days)s day", "answered after %(days)s days", 7) in content
    assert reverse("partners:request-answer", args=[answered.pk]) not in content


# --- Case conferences --------------------------------------------------------------------------


def conference_data(*rows: dict, **extra) -> dict:
    data = {
        "held_on": days(-1).isoformat(),
        "regie": Regie.PROCESS,
        "other_attendees": "moeder",
        "client_present": "on",
        "summary": "MDO over wonen en inkomen.",
        "agreements-TOTAL_FORMS": str(len(rows)),
        "agreements-INITIAL_FORMS": "0",
        "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for index, row in enumerate(rows):
        data |= {f"agreements-{index}-{key}": value for key, value in row.items()}
    return data


def conference_create(trajectory) -> str:
    return reverse("partners:conference-create", args=[trajectory.pk])


def nothing_of_a_conference_saved() -> bool:
    return not (
        CaseConference.objects.exists()
        or Agreement.objects.exists()
        or CaseConference.organisations.through.objects.exists()
        or TimelineEvent.objects.exists()
    )


def test_a_case_conference_is_saved_with_its_organisations_and_agreements(
    caseworker_client, caseworker, trajectory, reclassering, woonkracht
):
    data = conference_data(
        {"text": "Reclassering belt de jongere", "organisation": reclassering.pk,
         "due_date": days(14).isoformat()},
        {"text": "Woonkracht zoekt een kamer", "organisation": woonkracht.pk, "due_date": ""},
        {"text": "", "organisation": "", "due_date": ""},
        organisations=[reclassering.pk, woonkracht.pk],
    )  # fmt: skip

    response = caseworker_client.post(conference_create(trajectory), data)

    assert response.status_code == 302
    conference = CaseConference.objects.get()
    assert conference.trajectory == trajectory
    assert conference.created_by == caseworker
    assert conference.held_on == days(-1)
    assert conference.client_present is True
    assert set(conference.organisations.all()) == {reclassering, woonkracht}
    assert [(a.text, a.organisation, a.due_date) for a in conference.agreements.all()] == [
        ("Reclassering belt de jongere", reclassering, days(14)),
        ("Woonkracht zoekt een kamer", woonkracht, None),
    ]
    assert TimelineEvent.objects.get().kind == TimelineEvent.Kind.PARTNERS


@pytest.mark.parametrize(
    "bad_row",
    [
        {"text": "", "organisation": "", "due_date": days(3).isoformat()},
        {"text": "Te lang " * 50, "organisation": "", "due_date": ""},
        {"text": "Bellen", "organisation": "999999", "due_date": ""},
        {"text": "Bellen", "organisation": "", "due_date": "31-02-2025"},
    ],
    ids=["no-text", "text-too-long", "unknown-organisation", "impossible-date"],
)
def test_an_invalid_agreement_saves_nothing_of_the_conference(
    caseworker_client, trajectory, reclassering, bad_row
):
    data = conference_data(
        {"text": "Reclassering belt de jongere", "organisation": reclassering.pk, "due_date": ""},
        bad_row,
        organisations=[reclassering.pk],
    )

    response = caseworker_client.post(conference_create(trajectory), data)

    assert response.status_code == 200
    assert response.context["form"].is_valid()
    assert not response.context["agreements"].is_valid()
    assert response.context["agreements"].errors[1]
    assert nothing_of_a_conference_saved()


def test_a_failure_while_saving_a_conference_leaves_nothing_half_saved(
    caseworker_client, trajectory, reclassering, monkeypatch
):
    def fail(**kwargs):
        raise RuntimeError("the timeline is unavailable")

    monkeypatch.setattr(TimelineEvent, "record", fail)
    data = conference_data(
        {"text": "Reclassering belt de jongere", "organisation": reclassering.pk, "due_date": ""},
        organisations=[reclassering.pk],
    )

    with pytest.raises(RuntimeError):
        caseworker_client.post(conference_create(trajectory), data)

    assert nothing_of_a_conference_saved()


def test_a_case_conference_in_the_future_is_a_form_error(caseworker_client, trajectory):
    data = conference_data(
        {"text": "Bellen", "organisation": "", "due_date": ""}, held_on=days(1).isoformat()
    )

    response = caseworker_client.post(conference_create(trajectory), data)

    assert response.status_code == 200
    assert response.context["form"].has_error("held_on")
    assert nothing_of_a_conference_saved()


def test_the_conference_offers_the_municipalitys_regional_and_involved_partners(
    caseworker_client, trajectory, reclassering, woonkracht, other_municipality
):
    woonstad = Organisation.objects.create(
        name="Woonstad Rotterdam", kind="housing", municipality=other_municipality
    )
    kredietbank = Organisation.objects.create(
        name="Kredietbank Rotterdam", kind="debt_help", municipality=other_municipality
    )
    involve(trajectory, kredietbank)

    response = caseworker_client.get(conference_create(trajectory))

    offered = set(response.context["form"].fields["organisations"].queryset)
    assert offered == {reclassering, woonkracht, kredietbank}
    assert woonstad not in offered


# --- Agreements become actions in the plan -------------------------------------------------------


@pytest.fixture
def agreement(trajectory, reclassering):
    conference = CaseConference.objects.create(trajectory=trajectory, held_on=days(-2))
    return Agreement.objects.create(
        conference=conference,
        text="Reclassering regelt de meldplicht",
        organisation=reclassering,
        due_date=days(10),
    )


@pytest.fixture
def goal(trajectory):
    return Goal.objects.create(
        trajectory=trajectory, domain="care", text="Ik wil rust in mijn hoofd"
    )


def agreement_action(agreement) -> str:
    return reverse("lifedomains:agreement-action-create", args=[agreement.pk])


def action_data(agreement, goal, **extra) -> dict:
    return {
        "goal": goal.pk,
        "description": agreement.text,
        "owner": Action.Owner.PARTNER,
        "organisation": agreement.organisation_id,
        "due_date": days(10).isoformat(),
        **extra,
    }


def test_the_plan_lists_agreements_until_they_are_actions(
    caseworker_client, trajectory, agreement, goal, reclassering
):
    assert agreement_action(agreement) in dossier(caseworker_client, trajectory)

    response = caseworker_client.post(agreement_action(agreement), action_data(agreement, goal))

    assert response.status_code == 302
    action = Action.objects.get()
    assert action.agreement == agreement
    assert action.organisation == reclassering
    assert action.owner == Action.Owner.PARTNER
    assert action.goal == goal
    assert action.description == "Reclassering regelt de meldplicht"
    assert agreement_action(agreement) not in dossier(caseworker_client, trajectory)


def test_the_action_form_starts_from_the_agreement(caseworker_client, agreement, goal):
    response = caseworker_client.get(agreement_action(agreement))

    form = page_form(response)
    assert form.initial["description"] == agreement.text
    assert form.initial["owner"] == Action.Owner.PARTNER
    assert form.initial["organisation"] == agreement.organisation_id
    assert set(form.fields["goal"].queryset) == {goal}


def test_an_action_with_an_organisation_but_not_of_a_partner_is_a_form_error(
    caseworker_client, agreement, goal
):
    response = caseworker_client.post(
        agreement_action(agreement), action_data(agreement, goal, owner=Action.Owner.CASEWORKER)
    )

    assert response.status_code == 200
    assert page_form(response).has_error("organisation")
    assert not Action.objects.exists()


def test_the_database_refuses_an_organisation_on_an_action_not_of_a_partner(goal, reclassering):
    with (
        pytest.raises(IntegrityError, match="action_organisation_only_for_partner"),
        transaction.atomic(),
    ):
        Action.objects.create(
            goal=goal,
            description="Zelf bellen",
            owner=Action.Owner.CASEWORKER,
            organisation=reclassering,
        )


# --- The penitentiary institution as a link into the registry --------------------------


def test_the_penitentiary_institution_is_linked_to_the_registry(caseworker_client, caseworker):

    trajectory = TrajectoryFactory(
        client__team=caseworker.team, caseworker=caseworker, penitentiary_institution="PI D"
    )
    institution = Organisation.objects.create(name="PI Dordrecht", kind="penitentiary")
    housing = Organisation.objects.create(name="Woonkracht10", kind="housing")
    url = reverse("partners:detention-place-update", args=[trajectory.pk])

    choices = list(
        caseworker_client.get(url).context["sections"][0][1].fields["organisation"].queryset
    )
    assert choices == [institution]

    refused = caseworker_client.post(url, {"organisation": housing.pk})
    assert refused.status_code == 200
    assert not DetentionPlace.objects.exists()

    response = caseworker_client.post(url, {"organisation": institution.pk})
    assert response.status_code == 302
    assert DetentionPlace.objects.get(trajectory=trajectory).organisation == institution
    trajectory.refresh_from_db()
    assert trajectory.penitentiary_institution == "PI Dordrecht"
    dossier = caseworker_client.get(reverse("cases:client-detail", args=[trajectory.client.pk]))
    assert (
        reverse("partners:organisation-detail", args=[institution.pk]) in dossier.content.decode()
    )
