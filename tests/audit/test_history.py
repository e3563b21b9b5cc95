"""The change history: who changed what, when and from where, by database triggers."""

import pghistory.models
import pytest
from django.apps import apps
from django.db import ProgrammingError, transaction
from django.urls import reverse

from cases.models import ContactMoment
from tests.cases.test_dossier import contact_data
from tests.client_models import client_bound_models
from tests.factories import ContactFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

# Client-bound models that keep their own append-only record instead.
OWN_RECORD = {
    "cases.TimelineEvent",  # the timeline is itself an append-only record
    "lifedomains.ReadinessItem",  # its status history (ReadinessItemEvent) is kept already
    "partners.BottleneckEvent",  # a bottleneck's own append-only event list
    "followup.Notification",  # a reminder, not dossier data; purged a year after reading
    "followup.FollowUpSchedule",  # which rules version planned the moments; they keep a history
}


def test_every_model_with_a_path_to_a_client_keeps_a_change_history():
    bound = client_bound_models({"cases", "partners", "lifedomains", "followup"})
    assert {"cases.Client", "lifedomains.DomainScore", "followup.FollowUpMoment"} <= bound
    untracked = {
        label for label in bound - OWN_RECORD if not hasattr(apps.get_model(label), "history")
    }
    assert not untracked


def test_a_bulk_update_is_recorded_with_the_values_before_and_after(team, caseworker):
    contact = ContactFactory(
        trajectory=TrajectoryFactory(client__team=team, caseworker=caseworker),
        summary="Eerste versie",
    )
    ContactMoment.objects.filter(pk=contact.pk).update(summary="Gecorrigeerd")
    history = list(contact.history.order_by("pgh_id").values_list("pgh_label", "summary"))
    assert history == [("insert", "Eerste versie"), ("update", "Gecorrigeerd")]
    diff = pghistory.models.Events.objects.tracks(contact).get(pgh_label="update")
    assert diff.pgh_diff["summary"] == ["Eerste versie", "Gecorrigeerd"]


def test_a_change_through_a_page_records_who_and_from_which_address(
    caseworker_client, caseworker, team
):
    trajectory = TrajectoryFactory(client__team=team, caseworker=caseworker)
    caseworker_client.post(
        reverse("cases:contact-create", args=[trajectory.pk]),
        contact_data(),
        REMOTE_ADDR="192.0.2.7",
    )
    event = ContactMoment.objects.get().history.get()
    assert event.pgh_context.metadata["user"] == caseworker.pk
    assert event.pgh_context.metadata["ip"] == "192.0.2.7"
    assert event.pgh_context.metadata["url"].startswith("/")


def test_a_delete_is_recorded_and_the_history_cannot_be_changed(team, caseworker):
    contact = ContactFactory(trajectory=TrajectoryFactory(client__team=team, caseworker=caseworker))
    history = type(contact).history.rel.related_model
    contact.delete()
    assert list(history.objects.values_list("pgh_label", flat=True).order_by("pgh_id")) == [
        "insert",
        "delete",
    ]
    with pytest.raises(ProgrammingError), transaction.atomic():
        history.objects.update(summary="weggepoetst")
    with pytest.raises(ProgrammingError), transaction.atomic():
        history.objects.all().delete()


def test_who_and_from_where_of_a_change_cannot_be_altered_or_deleted(
    caseworker_client, caseworker, team
):
    trajectory = TrajectoryFactory(client__team=team, caseworker=caseworker)
    caseworker_client.post(
        reverse("cases:contact-create", args=[trajectory.pk]),
        contact_data(summary="Verslag"),
        REMOTE_ADDR="192.0.2.9",
    )
    contexts = pghistory.models.Context.objects.filter(metadata__ip="192.0.2.9")
    context = contexts.get()
    assert context.metadata["user"] == caseworker.pk

    for forged in ({"user": None}, {"ip": "10.0.0.1"}, {"url": "/elders/"}):
        with pytest.raises(ProgrammingError), transaction.atomic():
            contexts.update(metadata={**context.metadata, **forged})
    with pytest.raises(ProgrammingError), transaction.atomic():
        contexts.update(metadata={})
    with pytest.raises(ProgrammingError), transaction.atomic():
        contexts.delete()
    # Adding a key, as pghistory does within the request that wrote it, is allowed.
    contexts.update(metadata={**context.metadata, "label": "extra"})
    assert contexts.get().metadata["user"] == caseworker.pk
