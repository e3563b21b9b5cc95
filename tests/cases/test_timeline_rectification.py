"""The timeline refers to the records it is about, so rectification and erasure reach it (PR-2).

A contact's, DJI message's or document's line shows that record's current text; a
corrected record reads corrected on the timeline, and a deleted one leaves no copy.
"""

import pytest
from django.db import ProgrammingError, connection, transaction
from django.urls import reverse

from cases.dji import record_dji_message
from cases.models import ContactMoment, DJIMessage, Document, TimelineEvent
from tests.cases.test_dossier import contact_data
from tests.factories import ContactFactory, DJIMessageFactory, DocumentFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

OLD = "Jayden vertelde over zijn schuld bij Kees de Vries."
CORRECTED = "Gesprek over schulden."
# The whole timeline page; the lines come with their records in one query.
TIMELINE_QUERIES = 12


@pytest.fixture
def trajectory(team, caseworker):
    return TrajectoryFactory(client__team=team, caseworker=caseworker)


def timeline_page(client, trajectory) -> str:
    return client.get(reverse("cases:timeline", args=[trajectory.pk])).content.decode()


def dossier_page(client, trajectory) -> str:
    return client.get(reverse("cases:client-detail", args=[trajectory.client.pk])).content.decode()


def stored_text() -> list[str]:
    """Every text and title the timeline table holds, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, text FROM cases_timelineevent")
        return [value for row in cursor.fetchall() for value in row]


def log_contact(caseworker_client, trajectory, summary=OLD) -> ContactMoment:
    caseworker_client.post(
        reverse("cases:contact-create", args=[trajectory.pk]), contact_data(summary=summary)
    )
    return ContactMoment.objects.get(trajectory=trajectory)


def test_a_corrected_contact_reads_corrected_on_the_timeline_and_the_dossier(
    caseworker_client, trajectory
):
    contact = log_contact(caseworker_client, trajectory)
    assert OLD in timeline_page(caseworker_client, trajectory)

    response = caseworker_client.post(
        reverse("cases:contact-update", args=[contact.pk]),
        {
            **contact_data(summary=CORRECTED, kind=ContactMoment.Kind.HOME_VISIT),
            "version": contact.version,
        },
    )

    assert response.status_code == 302
    timeline = timeline_page(caseworker_client, trajectory)
    assert CORRECTED in timeline
    assert "Huisbezoek" in timeline  # the corrected kind too
    assert OLD not in timeline
    assert OLD not in dossier_page(caseworker_client, trajectory)
    assert OLD not in stored_text()


def test_a_deleted_contact_leaves_its_line_without_any_copy_of_its_text(
    caseworker_client, trajectory
):
    contact = log_contact(caseworker_client, trajectory)

    contact.delete()

    event = TimelineEvent.objects.get(trajectory=trajectory, kind=TimelineEvent.Kind.CONTACT)
    assert event.contact is None
    assert event.shown_text == ""
    assert OLD not in timeline_page(caseworker_client, trajectory)
    assert OLD not in stored_text()


def test_an_anonymised_contact_is_anonymised_on_the_timeline(caseworker_client, trajectory):
    contact = log_contact(caseworker_client, trajectory)

    # What retention does: blank the free text in bulk, past the models' verbs.
    ContactMoment.objects.filter(pk=contact.pk).update(summary="")

    assert OLD not in timeline_page(caseworker_client, trajectory)
    assert OLD not in stored_text()


def test_dji_message_and_document_lines_show_their_record_and_keep_no_copy(
    caseworker_client, caseworker, trajectory
):
    message = record_dji_message(
        trajectory=trajectory,
        message=DJIMessage(kind=DJIMessage.Kind.RR_PLAN, summary=OLD),
        uploaded=None,
        apply_release_date=False,
        by=caseworker,
    )
    document = DocumentFactory(client=trajectory.client, trajectory=trajectory, title="Brief")
    TimelineEvent.record(
        trajectory=trajectory, kind="document", by=caseworker, title="Brief", about=document
    )
    DJIMessage.objects.filter(pk=message.pk).update(summary=CORRECTED)
    Document.objects.filter(pk=document.pk).update(title="Brief van de woningcorporatie")

    timeline = timeline_page(caseworker_client, trajectory)
    assert CORRECTED in timeline
    assert "Brief van de woningcorporatie" in timeline
    assert OLD not in timeline

    message.delete()
    document.delete()
    assert set(TimelineEvent.objects.values_list("dji_message", "document")) == {(None, None)}
    assert OLD not in stored_text()


def test_the_database_allows_only_losing_a_reference_or_blanking_a_note(trajectory, caseworker):
    contact = ContactFactory(trajectory=trajectory)
    other = ContactFactory(trajectory=trajectory)
    line = TimelineEvent.record(
        trajectory=trajectory, kind="contact", by=caseworker, title="Gesprek", about=contact
    )
    note = TimelineEvent.record(
        trajectory=trajectory, kind="handover", by=caseworker, title="Overgedragen", text=OLD
    )
    lines = TimelineEvent.objects.filter(pk=line.pk)
    for change in [{"contact": other}, {"title": "x"}, {"at": note.at}, {"text": "ander"}]:
        with pytest.raises(ProgrammingError, match="pgtrigger"), transaction.atomic():
            lines.update(**change)
    with pytest.raises(ProgrammingError, match="pgtrigger"), transaction.atomic():
        TimelineEvent.objects.filter(pk=note.pk).update(text="Iets anders")

    assert TimelineEvent.objects.filter(pk=note.pk).blank_text() == 1
    lines.update(contact=None)

    assert list(TimelineEvent.objects.order_by("pk").values_list("contact", "text")) == [
        (None, ""),
        (None, ""),
    ]


def test_a_line_refers_only_to_a_contact_a_dji_message_or_a_document(trajectory, caseworker):
    with pytest.raises(TypeError):
        TimelineEvent.record(
            trajectory=trajectory, kind="change", by=caseworker, title="x", about=trajectory
        )


def test_the_timeline_page_makes_as_many_queries_with_more_lines(
    caseworker_client, caseworker, trajectory, django_assert_num_queries
):
    def add_lines():
        for _ in range(3):
            contact = ContactFactory(trajectory=trajectory)
            TimelineEvent.record(
                trajectory=trajectory, kind="contact", by=caseworker, title="c", about=contact
            )
            message = DJIMessageFactory(trajectory=trajectory)
            TimelineEvent.record(
                trajectory=trajectory, kind="dji", by=caseworker, title="d", about=message
            )

    url = reverse("cases:timeline", args=[trajectory.pk])
    for _ in range(2):
        add_lines()
        with django_assert_num_queries(TIMELINE_QUERIES):
            response = caseworker_client.get(url)
        assert response.status_code == 200
