"""The dossier page, its timeline, logging a contact from it, and the append-only tables."""

import datetime
import re

import pytest
from django.db import ProgrammingError, transaction
from django.urls import reverse

from audit.models import AccessLogEntry
from cases.models import ContactMoment, TimelineEvent
from lifedomains.domains import Regie
from tests.factories import (
    ClientFactory,
    ContactFactory,
    DJIMessageFactory,
    DocumentFactory,
    NetworkMemberFactory,
    TrajectoryFactory,
    days,
    years_ago,
)

pytestmark = pytest.mark.django_db

BSN = "123456782"
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def d(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def dossier_url(client) -> str:
    return reverse("cases:client-detail", args=[client.pk])


@pytest.fixture
def trajectory(team, caseworker):
    return TrajectoryFactory(
        client=ClientFactory(
            team=team,
            first_name="Jayden",
            last_name="Verhoef",
            date_of_birth=years_ago(20, days=100),
            city="Zwijndrecht",
            strengths="Kan goed koken",
            dreams="Een eigen kapperszaak",
            with_bsn=True,
        ),
        caseworker=caseworker,
        detention_start=days(-90),
        expected_release=days(14),
        started_on=days(-80),
        penitentiary_institution="PI Dordrecht",
    )


@pytest.fixture
def full_dossier(trajectory, caseworker):
    client = trajectory.client
    NetworkMemberFactory(client=client, name="Oma Truus", relation="oma", influence="supportive")
    NetworkMemberFactory(client=client, name="Neef Kevin", relation="neef", influence="risk")
    ContactFactory(
        trajectory=trajectory,
        date=days(-6),
        summary="Gesprek over schulden bij het CJIB.",
        created_by=caseworker,
    )
    DocumentFactory(client=client, trajectory=trajectory, title="Kopie paspoort")
    DJIMessageFactory(
        trajectory=trajectory,
        received_on=days(-85),
        summary="Melding begin detentie uit PI Dordrecht.",
    )
    TimelineEvent.record(
        trajectory=trajectory,
        kind=TimelineEvent.Kind.STATUS,
        by=caseworker,
        title="Aangemeld door de wijkagent",
    )
    return client


# --- What the dossier shows ----------------------------------------------------------------


def test_the_dossier_shows_the_client_card_and_the_current_trajectory(
    caseworker_client, trajectory, full_dossier
):
    response = caseworker_client.get(dossier_url(full_dossier))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Jayden Verhoef" in content
    assert d(full_dossier.date_of_birth) in content
    assert "Zwijndrecht" in content
    assert "Kan goed koken" in content
    assert "Een eigen kapperszaak" in content
    assert d(trajectory.started_on) in content
    assert d(trajectory.detention_start) in content
    assert d(trajectory.expected_release) in content
    assert "PI Dordrecht" in content
    assert 'class="rio-status rio-status--detention"' in content


def test_the_dossier_shows_network_contacts_documents_dji_messages_and_timeline(
    caseworker_client, full_dossier
):
    response = caseworker_client.get(dossier_url(full_dossier))

    content = response.content.decode()
    assert "Oma Truus" in content
    assert "rio-influence--supportive" in content
    assert "Neef Kevin" in content
    assert "rio-influence--risk" in content
    assert "Gesprek over schulden bij het CJIB." in content
    assert d(days(-6)) in content
    document = full_dossier.documents.get()
    assert "Kopie paspoort" in content
    assert f'href="{reverse("cases:document-download", args=[document.pk])}"' in content
    assert "Melding begin detentie uit PI Dordrecht." in content
    assert d(days(-85)) in content
    assert "Aangemeld door de wijkagent" in content


def test_the_bsn_is_shown_masked_and_never_in_full(caseworker_client, full_dossier):
    content = caseworker_client.get(dossier_url(full_dossier)).content.decode()

    assert "******782" in content
    assert BSN not in content


def test_free_text_is_escaped_on_the_dossier_and_the_timeline(
    caseworker_client, trajectory, caseworker
):
    client = trajectory.client
    client.dreams = f"Dromen {SCRIPT}"
    client.save()
    NetworkMemberFactory(client=client, notes=f"Netwerk {SCRIPT}")
    contact = ContactFactory(trajectory=trajectory, summary=f"Contact {SCRIPT}")
    # What logging the contact puts on the timeline.
    TimelineEvent.record(
        trajectory=trajectory,
        kind=TimelineEvent.Kind.CONTACT,
        by=caseworker,
        title=f"Titel {SCRIPT}",
        text=contact.summary,
    )

    dossier = caseworker_client.get(dossier_url(client)).content.decode()
    timeline = caseworker_client.get(
        reverse("cases:timeline", args=[trajectory.pk])
    ).content.decode()

    assert SCRIPT not in dossier
    for text in ["Dromen", "Netwerk", "Contact", "Titel"]:
        assert f"{text} {ESCAPED}" in dossier
    assert SCRIPT not in timeline
    assert f"Titel {ESCAPED}" in timeline
    assert f"Contact {ESCAPED}" in timeline


def test_viewing_the_dossier_writes_one_access_log_line(
    caseworker_client, caseworker, full_dossier
):
    caseworker_client.get(dossier_url(full_dossier))

    entry = AccessLogEntry.objects.get()
    assert entry.action == AccessLogEntry.Action.VIEW
    assert entry.client_ref == full_dossier.pk
    assert entry.user == caseworker
    assert entry.result == "ok"
    assert BSN not in entry.what


# --- The timeline page -------------------------------------------------------------------------


@pytest.fixture
def events(trajectory, caseworker):
    TimelineEvent.record(
        trajectory=trajectory, kind="contact", by=caseworker, title="Telefoontje met Jayden"
    )
    TimelineEvent.record(
        trajectory=trajectory, kind="status", by=caseworker, title="Status gewijzigd naar nazorg"
    )


def test_the_timeline_filters_by_kind(caseworker_client, trajectory, events):
    url = reverse("cases:timeline", args=[trajectory.pk])

    everything = caseworker_client.get(url).content.decode()
    contacts = caseworker_client.get(url, {"kind": "contact"}).content.decode()

    assert "Telefoontje met Jayden" in everything
    assert "Status gewijzigd naar nazorg" in everything
    assert "Telefoontje met Jayden" in contacts
    assert "Status gewijzigd naar nazorg" not in contacts


def test_an_htmx_request_gets_only_the_timeline_events(caseworker_client, trajectory, events):
    response = caseworker_client.get(
        reverse("cases:timeline", args=[trajectory.pk]),
        {"kind": "status"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert content.strip().startswith('<div id="timeline-events"')
    assert "<html" not in content
    assert "<form" not in content
    assert "Status gewijzigd naar nazorg" in content
    assert "Telefoontje met Jayden" not in content


# --- Append-only tables ---------------------------------------------------------------------


def test_timeline_events_cannot_be_updated(trajectory, caseworker):
    event = TimelineEvent.record(
        trajectory=trajectory, kind="status", by=caseworker, title="Aangemeld"
    )

    with pytest.raises(ProgrammingError, match="pgtrigger"), transaction.atomic():
        TimelineEvent.objects.filter(pk=event.pk).update(title="x")

    event.refresh_from_db()
    assert event.title == "Aangemeld"


@pytest.fixture
def log_entry(caseworker, trajectory):
    return AccessLogEntry.objects.create(
        user=caseworker, action="view", client_ref=trajectory.client.pk, what="dossier"
    )


def test_access_log_entries_cannot_be_updated(log_entry):
    with pytest.raises(ProgrammingError, match="pgtrigger"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=log_entry.pk).update(what="niets gezien")

    log_entry.refresh_from_db()
    assert log_entry.what == "dossier"


def test_access_log_entries_cannot_be_deleted(log_entry):
    with pytest.raises(ProgrammingError, match="pgtrigger"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=log_entry.pk).delete()

    assert AccessLogEntry.objects.filter(pk=log_entry.pk).exists()


# --- Logging a contact from the dossier ---------------------------------------------------


def contact_data(**changes) -> dict:
    data = {
        "date": days(-1).isoformat(),
        "kind": ContactMoment.Kind.PHONE,
        "with_whom": [ContactMoment.With.CLIENT, ContactMoment.With.NETWORK],
        "domains": ["housing", "finances"],
        "regie": Regie.CASE,
        "summary": "Gebeld met Jayden en zijn moeder over de uitkering.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def field_block(content: str, field: str) -> str:
    """The crispy wrapper of one field, up to the next field."""
    match = re.search(rf'id="div_id_{field}".*?(?=id="div_id_|</form>)', content, re.S)
    assert match, field
    return match.group(0)


def test_logging_a_contact_with_htmx_returns_the_contacts_section(
    caseworker_client, trajectory, caseworker
):
    response = caseworker_client.post(
        reverse("cases:contact-create", args=[trajectory.pk]),
        contact_data(),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert content.strip().startswith('<section id="contacten"')
    assert "<html" not in content
    assert "Gebeld met Jayden en zijn moeder over de uitkering." in content
    assert d(days(-1)) in content
    # A fresh, empty form for the next contact.
    assert not response.context["contact_form"].is_bound
    assert re.search(r'<textarea name="summary"[^>]*>\s*</textarea>', content)
    contact = ContactMoment.objects.get()
    assert contact.trajectory == trajectory
    assert contact.created_by == caseworker
    assert contact.with_whom == ["client", "network"]
    assert contact.domains == ["housing", "finances"]
    event = TimelineEvent.objects.get()
    assert event.kind == TimelineEvent.Kind.CONTACT
    assert event.trajectory == trajectory
    # The line refers to the contact and shows its text; it keeps no copy.
    assert event.contact == contact
    assert event.text == ""
    assert event.shown_text == contact.summary


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("date", {"date": days(1).isoformat()}),
        ("with_whom", {"with_whom": None}),
        ("kind", {"kind": "tarot"}),
    ],
)
def test_an_invalid_htmx_contact_shows_the_error_at_the_field_and_saves_nothing(
    caseworker_client, trajectory, field, changes
):
    response = caseworker_client.post(
        reverse("cases:contact-create", args=[trajectory.pk]),
        contact_data(**changes),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert content.strip().startswith('<section id="contacten"')
    assert response.context["contact_form"].has_error(field)
    assert f'id="id_{field}_error"' in field_block(content, field)
    # What was typed is kept.
    assert "Gebeld met Jayden en zijn moeder over de uitkering." in content
    assert not ContactMoment.objects.exists()
    assert not TimelineEvent.objects.exists()
    # The form is shown again with what was typed: a VIEW line, no change line.
    assert list(AccessLogEntry.objects.values_list("action", flat=True)) == ["view"]


def test_logging_a_contact_without_htmx_redirects_to_the_dossier(caseworker_client, trajectory):
    response = caseworker_client.post(
        reverse("cases:contact-create", args=[trajectory.pk]), contact_data()
    )

    assert response.status_code == 302
    assert response["Location"].split("#")[0] == dossier_url(trajectory.client)
    assert ContactMoment.objects.filter(trajectory=trajectory).count() == 1
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.CONTACT).count() == 1


def test_the_access_log_keeps_the_address_the_request_came_from(caseworker_client, caseworker):
    trajectory = TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker)
    url = reverse("cases:client-detail", args=[trajectory.client.pk])

    # Without trusted proxies a forwarded-for header, which anyone can send, is ignored.
    caseworker_client.get(url, REMOTE_ADDR="10.1.2.3", headers={"x-forwarded-for": "203.0.113.7"})

    assert AccessLogEntry.objects.get().ip_address == "10.1.2.3"


def test_behind_a_trusted_proxy_the_access_log_keeps_the_clients_address(
    caseworker_client, caseworker, settings
):
    # The same rule as the login lockout: trust X-Forwarded-For only for the
    # configured number of proxies (TRUSTED_PROXY_COUNT).
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    trajectory = TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker)
    url = reverse("cases:client-detail", args=[trajectory.client.pk])

    caseworker_client.get(
        url, REMOTE_ADDR="10.0.0.1", headers={"x-forwarded-for": "203.0.113.7, 10.0.0.1"}
    )

    assert AccessLogEntry.objects.get().ip_address == "203.0.113.7"
