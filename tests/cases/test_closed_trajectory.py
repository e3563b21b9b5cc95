"""What a closed trajectory still takes (Trajectory.ACCEPTED_AFTER_CLOSING) and what it refuses."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from cases.models import ContactMoment, DJIMessage, Document, TimelineEvent, Trajectory
from followup.models import FollowUpMoment
from lifedomains.models import Action, Assessment, Goal, PersonalPlan, ReadinessItem
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
from tests.factories import MINIMAL_PDF, TrajectoryFactory

pytestmark = pytest.mark.django_db

DOMAINS = ["housing", "admin", "care", "finances", "work"]


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def refusal(what: str) -> str:
    return f"Dit traject is afgesloten: er kan geen {what} meer worden toegevoegd of gewijzigd."


@pytest.fixture
def closed(caseworker):
    return TrajectoryFactory(caseworker=caseworker, client__team=caseworker.team, closed=True)


@pytest.fixture
def organisation():
    organisation = Organisation.objects.create(
        name="Reclassering Nederland", kind=Organisation.Kind.PROBATION, domains=["care"]
    )
    ContactPerson.objects.create(organisation=organisation, name="Sanne Vermeulen")
    return organisation


@pytest.fixture
def goal(closed):
    return Goal.objects.create(trajectory=closed, domain="care", text="Ik wil rust in mijn hoofd")


# --- The map and the verb ----------------------------------------------------------------


def test_a_closed_trajectory_takes_only_what_the_map_lists(closed):
    assert closed.accepts(ContactMoment)
    assert closed.accepts("lifedomains.assessment")
    assert closed.accepts(Document(client=closed.client))
    assert not closed.accepts(Goal)
    assert not closed.accepts("partners.involvement")


def test_an_open_trajectory_takes_everything(caseworker):
    trajectory = TrajectoryFactory(caseworker=caseworker, client__team=caseworker.team)
    trajectory.ensure_accepts(Goal)
    trajectory.ensure_accepts("followup.followupmoment")


def test_the_refusal_names_the_record_in_dutch(closed):
    with pytest.raises(ValidationError) as refused, override("nl"):
        closed.ensure_accepts("lifedomains.goal")
    with override("nl"):
        assert refused.value.messages == [refusal("doel")]


def test_attach_rereads_the_status_so_a_stale_copy_cannot_add(caseworker, closed):
    stale = Trajectory.objects.get(pk=closed.pk)
    stale.status = Trajectory.Status.AFTERCARE
    goal = Goal(domain="care", text="Te laat")

    with pytest.raises(ValidationError):
        stale.attach(goal, by=caseworker, timeline_kind=TimelineEvent.Kind.LIFE_DOMAINS)

    assert not Goal.objects.exists()
    assert not TimelineEvent.objects.filter(trajectory=closed).exists()


# --- Refused after closing -----------------------------------------------------------------


def test_a_goal_is_refused(caseworker_client, closed):
    response = caseworker_client.post(
        reverse("lifedomains:goal-create", args=[closed.pk]),
        {"domain": "work", "text": "Ik wil werken", "status": Goal.Status.OPEN},
    )
    assert response.status_code == 200
    assert refusal("doel") in response.content.decode()
    assert not Goal.objects.exists()
    assert not TimelineEvent.objects.filter(trajectory=closed).exists()


def test_an_action_is_refused(caseworker_client, goal):
    response = caseworker_client.post(
        reverse("lifedomains:action-create", args=[goal.pk]),
        {"description": "Bellen met het UWV", "owner": Action.Owner.CASEWORKER},
    )
    assert response.status_code == 200
    assert refusal("actie") in response.content.decode()
    assert not Action.objects.exists()


def test_changing_a_goal_is_refused(caseworker_client, goal):
    response = caseworker_client.post(
        reverse("lifedomains:goal-update", args=[goal.pk]),
        {
            "domain": "care",
            "text": "Anders",
            "status": Goal.Status.ACHIEVED,
            "version": goal.version,
        },
    )
    assert response.status_code == 200
    assert refusal("doel") in response.content.decode()
    goal.refresh_from_db()
    assert goal.text == "Ik wil rust in mijn hoofd"


def test_ticking_an_action_done_is_refused(caseworker_client, goal):
    action = Action.objects.create(goal=goal, description="Huisarts bellen", owner="client")

    response = caseworker_client.post(
        reverse("lifedomains:action-done", args=[action.pk]), follow=True
    )

    assert refusal("actie") in response.content.decode()
    action.refresh_from_db()
    assert action.done_on is None


def test_an_action_from_an_agreement_is_refused(caseworker_client, closed, goal, organisation):
    conference = CaseConference.objects.create(trajectory=closed, held_on=days(-30), summary="MDO")
    agreement = Agreement.objects.create(
        conference=conference, text="Reclassering belt de huisarts", organisation=organisation
    )
    response = caseworker_client.post(
        reverse("lifedomains:agreement-action-create", args=[agreement.pk]),
        {
            "goal": goal.pk,
            "description": agreement.text,
            "owner": Action.Owner.PARTNER,
            "organisation": organisation.pk,
        },
    )
    assert response.status_code == 200
    assert refusal("actie") in response.content.decode()
    assert not Action.objects.exists()


def test_a_change_to_the_checklist_is_refused(caseworker_client, closed):
    data = {}
    for item in ReadinessItem.Item.values:
        status = "arranged" if item == "housing" else "needed"
        data |= {
            f"{item}-status": status,
            f"{item}-date": "",
            f"{item}-note": "",
            f"initial-{item}-status": "needed",
            f"initial-{item}-date": "",
            f"initial-{item}-note": "",
        }
    response = caseworker_client.post(
        reverse("lifedomains:readiness-update", args=[closed.pk]), data, follow=True
    )
    assert response.status_code == 200
    assert refusal("onderdeel basisvoorwaarden") in response.content.decode()
    assert not ReadinessItem.objects.exists()


@pytest.mark.parametrize(
    ("name", "model", "what", "data"),
    [
        (
            "partners:involvement-create",
            Involvement,
            "betrokkenheid",
            lambda org: {
                "organisation": org.pk,
                "contact_person": org.contacts.get().pk,
                "role": "reclasseringswerker",
                "domains": ["care"],
                "started_on": days(-3).isoformat(),
            },
        ),
        (
            "partners:basis-create",
            SharingBasis,
            "grondslag voor gegevensdeling",
            lambda org: {
                "organisation": org.pk,
                "basis": SharingBasis.Basis.CONSENT,
                "scope": ["care"],
                "valid_from": days(-3).isoformat(),
                "valid_until": days(360).isoformat(),
            },
        ),
        (
            "partners:request-create",
            PartnerRequest,
            "verzoek aan een partner",
            lambda org: {
                "organisation": org.pk,
                "contact_person": org.contacts.get().pk,
                "domain": "care",
                "question": "Welke voorwaarden gelden?",
                "asked_on": days(-5).isoformat(),
            },
        ),
    ],
)
def test_a_partner_record_is_refused(
    caseworker_client, closed, organisation, name, model, what, data
):
    response = caseworker_client.post(reverse(name, args=[closed.pk]), data(organisation))
    assert response.status_code == 200
    assert refusal(what) in response.content.decode()
    assert not model.objects.exists()
    assert not TimelineEvent.objects.filter(trajectory=closed).exists()


def test_a_case_conference_is_refused_with_its_agreements(caseworker_client, closed, organisation):
    response = caseworker_client.post(
        reverse("partners:conference-create", args=[closed.pk]),
        {
            "held_on": days(-1).isoformat(),
            "regie": "process",
            "summary": "MDO over wonen.",
            "agreements-TOTAL_FORMS": "1",
            "agreements-INITIAL_FORMS": "0",
            "agreements-MIN_NUM_FORMS": "0",
            "agreements-MAX_NUM_FORMS": "1000",
            "agreements-0-text": "Reclassering belt",
            "agreements-0-organisation": organisation.pk,
        },
    )
    assert response.status_code == 200
    assert refusal("casusoverleg") in response.content.decode()
    assert not CaseConference.objects.exists()
    assert not Agreement.objects.exists()


def test_marking_a_follow_up_moment_done_is_refused(caseworker_client, closed):
    moment = FollowUpMoment.objects.create(
        trajectory=closed, kind=FollowUpMoment.Kind.AFTER_24M, planned_on=days(-2), due_on=days(-2)
    )
    response = caseworker_client.post(
        reverse("followup:moment-done", args=[moment.pk]),
        {"done_on": days(-1).isoformat()},
        follow=True,
    )
    assert response.status_code == 200
    assert refusal("follow-upmoment") in response.content.decode()
    moment.refresh_from_db()
    assert moment.status == FollowUpMoment.Status.OPEN


def test_the_personal_plan_is_refused(caseworker_client, closed):
    url = reverse("lifedomains:personal-plan-update", args=[closed.pk])

    response = caseworker_client.post(url, {"appointment_place": "Stadskantoor"})

    assert response.status_code == 200
    assert refusal("Mijn plan") in response.content.decode()
    assert not PersonalPlan.objects.exists()


def test_changing_the_personal_plan_is_refused(caseworker_client, closed):
    plan = PersonalPlan.objects.create(trajectory=closed, appointment_place="Stadskantoor")
    url = reverse("lifedomains:personal-plan-update", args=[closed.pk])

    response = caseworker_client.post(url, {"appointment_place": "Elders", "version": plan.version})

    assert response.status_code == 200
    assert refusal("Mijn plan") in response.content.decode()
    plan.refresh_from_db()
    assert plan.appointment_place == "Stadskantoor"


# --- Still taken after closing ---------------------------------------------------------------


def test_a_contact_is_taken(caseworker_client, closed):
    response = caseworker_client.post(
        reverse("cases:contact-create", args=[closed.pk]),
        {
            "date": days(0).isoformat(),
            "kind": ContactMoment.Kind.PHONE,
            "with_whom": [ContactMoment.With.CLIENT],
            "regie": "case",
            "summary": "Nagebeld na de afsluiting.",
        },
    )
    assert response.status_code == 302
    assert closed.contacts.count() == 1
    assert closed.timeline.filter(kind=TimelineEvent.Kind.CONTACT).exists()


def test_a_document_is_taken(caseworker_client, closed):
    response = caseworker_client.post(
        reverse("cases:document-create", args=[closed.client.pk]),
        {
            "title": "Eindverslag",
            "kind": Document.Kind.PLAN,
            "file": SimpleUploadedFile("eind.pdf", MINIMAL_PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    assert Document.objects.get().trajectory == closed


def test_a_dji_message_is_taken_but_does_not_move_the_dates(caseworker_client, closed):
    url = reverse("cases:dji-create", args=[closed.pk])
    data = {
        "kind": DJIMessage.Kind.DETENTION_END,
        "received_on": days(0).isoformat(),
        "release_date": days(20).isoformat(),
        "summary": "Ontslagbericht.",
    }

    refused = caseworker_client.post(url, data | {"apply_release_date": "on"})
    taken = caseworker_client.post(url, data)

    assert refused.status_code == 200
    assert "Dit traject is afgesloten: de ontslagdatum blijft zoals hij is." in (
        refused.content.decode()
    )
    assert taken.status_code == 302
    assert DJIMessage.objects.get().trajectory == closed
    closed.refresh_from_db()
    assert closed.expected_release != days(20)
    assert closed.status == Trajectory.Status.CLOSED


def test_the_end_evaluation_is_taken(caseworker_client, closed):
    data = {"moment": "m24", "date": days(0).isoformat(), "note": ""}
    for domain in DOMAINS:
        data |= {
            f"{domain}-score": "4",
            f"{domain}-discussed": "on",
            f"{domain}-not_discussed_reason": "",
            f"{domain}-wish": "",
            f"{domain}-wish_strength": "",
            f"{domain}-note": "",
        }
    response = caseworker_client.post(
        reverse("lifedomains:assessment-create", args=[closed.pk]), data
    )
    assert response.status_code == 302
    assert Assessment.objects.get().trajectory == closed


def test_the_dossier_hides_the_add_links_of_refused_kinds(caseworker_client, closed, goal):
    content = caseworker_client.get(reverse("cases:client-detail", args=[closed.client.pk]))
    content = content.content.decode()
    assert reverse("lifedomains:goal-create", args=[closed.pk]) not in content
    assert reverse("lifedomains:action-create", args=[goal.pk]) not in content
    assert reverse("partners:involvement-create", args=[closed.pk]) not in content
    assert reverse("partners:conference-create", args=[closed.pk]) not in content
    # What a closed trajectory still takes keeps its way in.
    assert reverse("cases:contact-create", args=[closed.pk]) in content
    assert reverse("lifedomains:assessment-create", args=[closed.pk]) in content


def test_a_closed_trajectory_shows_no_way_to_change_its_plan_or_checklist(
    caseworker_client, closed, goal
):
    content = caseworker_client.get(reverse("cases:client-detail", args=[closed.client.pk]))
    content = content.content.decode()
    assert reverse("lifedomains:goal-update", args=[goal.pk]) not in content
    assert reverse("lifedomains:readiness-update", args=[closed.pk]) not in content
    assert reverse("partners:detention-place-update", args=[closed.pk]) not in content


def test_linking_the_institution_of_a_closed_trajectory_is_refused(caseworker_client, closed):
    institution = Organisation.objects.create(name="PI Zaanstad", kind="penitentiary")

    response = caseworker_client.post(
        reverse("partners:detention-place-update", args=[closed.pk]),
        {"organisation": institution.pk},
    )

    assert response.status_code == 200
    assert "Dit traject is afgesloten" in response.content.decode()
    assert not DetentionPlace.objects.exists()
    closed.refresh_from_db()
    assert closed.penitentiary_institution != "PI Zaanstad"
