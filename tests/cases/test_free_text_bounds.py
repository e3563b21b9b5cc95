"""Free text has a bound, in the form and in the database (no 100 000-character note)."""

import pghistory.models
import pytest
from django.apps import apps
from django.db import DataError, models, transaction
from django.urls import reverse

from cases.fields import LONG_TEXT, FreeTextField
from cases.models import ContactMoment
from tests.cases.test_dossier import contact_data
from tests.factories import ContactFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trajectory(team, caseworker):
    return TrajectoryFactory(client__team=team, caseworker=caseworker)


def test_a_100_000_character_contact_note_is_refused_with_a_dutch_message(
    caseworker_client, trajectory
):
    response = caseworker_client.post(
        reverse("cases:contact-create", args=[trajectory.pk]),
        contact_data(summary="x" * 100_000),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.context["contact_form"].has_error("summary")
    assert f"niet meer dan {LONG_TEXT} tekens" in response.content.decode()
    assert not ContactMoment.objects.exists()


def test_a_note_at_the_bound_is_kept_whole(caseworker_client, trajectory):
    caseworker_client.post(
        reverse("cases:contact-create", args=[trajectory.pk]),
        contact_data(summary="x" * LONG_TEXT),
    )
    assert len(ContactMoment.objects.get().summary) == LONG_TEXT


def test_the_database_holds_every_writer_to_the_bound(db, trajectory):
    contact = ContactFactory(trajectory=trajectory)
    with pytest.raises(DataError), transaction.atomic():
        ContactMoment.objects.filter(pk=contact.pk).update(summary="x" * (LONG_TEXT + 1))


def test_no_project_model_keeps_unbounded_free_text():
    """Every text field of a project model is bounded (a new TextField fails here)."""
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in {"cases", "partners", "lifedomains", "followup", "accounts"}
        # pghistory's own event columns (its label) are not free text people type.
        if not issubclass(model, pghistory.models.Event)
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField)
        and field.get_internal_type() == "TextField"
        and type(field).__name__ != "EncryptedCharField"
    ]
    assert not unbounded
    assert any(isinstance(f, FreeTextField) and f.max_length for f in ContactMoment._meta.fields)
