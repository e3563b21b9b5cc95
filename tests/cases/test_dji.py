"""Messages from the prison service (DJI) and what they change on the trajectory."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import DJIMessage, Document, TimelineEvent, Trajectory
from tests.factories import MINIMAL_PDF, TrajectoryFactory, days
from tests.pages import page_form

pytestmark = pytest.mark.django_db

S = Trajectory.Status
K = DJIMessage.Kind


@pytest.fixture
def trajectory(caseworker):
    """In detention since 120 days, expected release in 10 days."""
    return TrajectoryFactory(caseworker=caseworker, client__team=caseworker.team)


def post_message(browser, trajectory, **data):
    url = reverse("cases:dji-create", args=[trajectory.pk])
    payload = {
        "kind": K.DETENTION_END,
        "received_on": timezone.localdate().isoformat(),
        "release_date": "",
        "summary": "Ontslagbericht van de PI.",
        "apply_release_date": "on",
    }
    payload.update(data)
    return browser.post(url, {key: value for key, value in payload.items() if value is not None})


def timeline_kinds(trajectory) -> list[str]:
    return list(
        TimelineEvent.objects.filter(trajectory=trajectory)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def test_end_of_detention_in_the_past_records_the_release(caseworker_client, trajectory):
    response = post_message(caseworker_client, trajectory, release_date=days(-2).isoformat())

    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == S.AFTERCARE
    assert trajectory.actual_release == days(-2)
    message = DJIMessage.objects.get()
    assert message.trajectory == trajectory
    assert message.release_date == days(-2)
    assert message.summary == "Ontslagbericht van de PI."
    assert timeline_kinds(trajectory) == [
        TimelineEvent.Kind.DJI,
        TimelineEvent.Kind.STATUS,
        TimelineEvent.Kind.FOLLOW_UP,  # the schedule moved to the release date
    ]


def test_end_of_detention_today_records_the_release(caseworker_client, trajectory):
    response = post_message(
        caseworker_client, trajectory, release_date=timezone.localdate().isoformat()
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == S.AFTERCARE
    assert trajectory.actual_release == timezone.localdate()


def test_end_of_detention_in_the_future_sets_the_expected_release(caseworker_client, trajectory):
    response = post_message(caseworker_client, trajectory, release_date=days(20).isoformat())

    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == S.DETENTION
    assert trajectory.expected_release == days(20)
    assert trajectory.actual_release is None
    assert timeline_kinds(trajectory) == [
        TimelineEvent.Kind.DJI,
        TimelineEvent.Kind.CHANGE,
        TimelineEvent.Kind.FOLLOW_UP,  # the schedule planned around the release
    ]


def test_without_apply_release_date_the_trajectory_is_left_alone(caseworker_client, trajectory):
    expected = trajectory.expected_release

    response = post_message(
        caseworker_client, trajectory, release_date=days(-2).isoformat(), apply_release_date=None
    )

    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == S.DETENTION
    assert trajectory.actual_release is None
    assert trajectory.expected_release == expected
    assert DJIMessage.objects.get().release_date == days(-2)
    assert timeline_kinds(trajectory) == [TimelineEvent.Kind.DJI]


def test_end_of_detention_without_a_release_date_is_a_form_error(caseworker_client, trajectory):
    response = post_message(caseworker_client, trajectory, release_date="")

    assert response.status_code == 200
    assert page_form(response).has_error("release_date")
    assert not DJIMessage.objects.exists()
    trajectory.refresh_from_db()
    assert trajectory.status == S.DETENTION
    assert timeline_kinds(trajectory) == []


def test_a_release_date_before_the_start_of_detention_is_a_form_error(
    caseworker_client, trajectory
):
    before_start = trajectory.detention_start - datetime.timedelta(days=1)
    response = post_message(caseworker_client, trajectory, release_date=before_start.isoformat())
    assert page_form(response).has_error("release_date")
    assert not DJIMessage.objects.exists()
    trajectory.refresh_from_db()
    assert trajectory.status == S.DETENTION


def test_a_past_release_for_a_trajectory_not_in_detention_is_a_form_error(
    caseworker_client, caseworker
):
    registered = TrajectoryFactory(
        caseworker=caseworker, client__team=caseworker.team, registered=True
    )
    response = post_message(caseworker_client, registered, release_date=days(-2).isoformat())
    assert page_form(response).has_error("apply_release_date")
    assert not DJIMessage.objects.exists()
    registered.refresh_from_db()
    assert registered.status == S.REGISTERED


@pytest.mark.parametrize("value", [1, 30])
def test_received_on_in_the_future_is_refused(caseworker_client, trajectory, value):
    response = post_message(
        caseworker_client,
        trajectory,
        kind=K.RR_PLAN,
        received_on=days(value).isoformat(),
        apply_release_date=None,
    )
    assert response.status_code == 200
    assert page_form(response).has_error("received_on", code="future")
    assert not DJIMessage.objects.exists()


@pytest.mark.parametrize("value", ["2023-02-30", "", "gisteren"])
def test_an_impossible_received_on_is_a_form_error(caseworker_client, trajectory, value):
    response = post_message(
        caseworker_client, trajectory, kind=K.RR_PLAN, received_on=value, apply_release_date=None
    )
    assert response.status_code == 200
    assert page_form(response).has_error("received_on")
    assert not DJIMessage.objects.exists()


@pytest.mark.parametrize("kind", [K.DETENTION_START, K.DETENTION_END, K.RR_PLAN])
def test_every_message_writes_a_dji_timeline_line(caseworker_client, trajectory, kind):
    release = days(5).isoformat() if kind == K.DETENTION_END else ""

    response = post_message(
        caseworker_client,
        trajectory,
        kind=kind,
        release_date=release,
        summary="<b>Samenvatting</b>",
    )

    assert response.status_code == 302
    message = DJIMessage.objects.get()
    assert message.kind == kind
    event = TimelineEvent.objects.get(trajectory=trajectory, kind=TimelineEvent.Kind.DJI)
    # The line shows the message's text; it keeps no copy.
    assert event.dji_message == message
    assert event.shown_text == "<b>Samenvatting</b>"
    assert event.text == ""


@pytest.mark.parametrize("kind", [K.DETENTION_START, K.RR_PLAN])
def test_only_an_end_of_detention_changes_the_release(caseworker_client, trajectory, kind):
    expected = trajectory.expected_release

    response = post_message(
        caseworker_client, trajectory, kind=kind, release_date=days(-2).isoformat()
    )

    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == S.DETENTION
    assert trajectory.actual_release is None
    assert trajectory.expected_release == expected


def test_a_message_with_a_pdf_creates_a_dji_document_linked_from_the_message(
    caseworker_client, caseworker, trajectory
):
    upload = SimpleUploadedFile("DR-plan-Noor.pdf", MINIMAL_PDF, content_type="application/pdf")

    response = post_message(
        caseworker_client, trajectory, kind=K.RR_PLAN, apply_release_date=None, file=upload
    )

    assert response.status_code == 302
    message = DJIMessage.objects.get()
    document = Document.objects.get()
    assert message.document == document
    assert document.kind == Document.Kind.DJI
    assert document.client == trajectory.client
    assert document.trajectory == trajectory
    assert document.uploaded_by == caseworker
    assert document.content_type == "application/pdf"
    assert "Noor" not in document.file.name
    assert document.file.read() == MINIMAL_PDF
    document.file.close()


def test_a_message_with_a_disallowed_file_saves_nothing(caseworker_client, trajectory):
    upload = SimpleUploadedFile("plan.pdf", b"<html><script>x</script></html>")

    response = post_message(
        caseworker_client, trajectory, release_date=days(-2).isoformat(), file=upload
    )

    assert response.status_code == 200
    assert page_form(response).has_error("file", code="type")
    assert not DJIMessage.objects.exists()
    assert not Document.objects.exists()
    trajectory.refresh_from_db()
    assert trajectory.status == S.DETENTION


def test_other_team_gets_404_on_a_dji_message(other_caseworker_client, trajectory):
    response = post_message(other_caseworker_client, trajectory, release_date=days(-2).isoformat())
    assert response.status_code == 404
    assert not DJIMessage.objects.exists()
    trajectory.refresh_from_db()
    assert trajectory.status == S.DETENTION
