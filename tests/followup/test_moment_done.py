"""Marking a follow-up moment done, and where the schedule shows: dossier and caseload."""

import datetime
import re
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from cases.models import TimelineEvent
from followup.models import FollowUpMoment, Notification
from followup.schedule import sync_schedule
from lifedomains.models import Assessment
from tests.factories import ClientFactory, ContactFactory, TrajectoryFactory
from tests.pages import page_form

pytestmark = pytest.mark.django_db

K = FollowUpMoment.Kind
M = FollowUpMoment.Status
D = datetime.date
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
TODAY = D(2026, 6, 15)  # a Monday


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=AMSTERDAM), tick=False)
    return TODAY


def scheduled(caseworker, **fields):
    fields.setdefault("client", ClientFactory(team=caseworker.team))
    trajectory = TrajectoryFactory(caseworker=caseworker, **fields)
    sync_schedule(trajectory)
    return trajectory


@pytest.fixture
def trajectory(caseworker):
    """In detention since Monday 12-01-2026, expected out on Monday 14-09-2026."""
    return scheduled(
        caseworker,
        client=ClientFactory(team=caseworker.team, first_name="Jayden", last_name="Verhoef"),
        detention_start=D(2026, 1, 12),
        started_on=D(2026, 1, 12),
        expected_release=D(2026, 9, 14),
    )


def moment(trajectory, kind, sequence=0) -> FollowUpMoment:
    return FollowUpMoment.objects.get(trajectory=trajectory, kind=kind, sequence=sequence)


@pytest.fixture
def intake(trajectory):
    return moment(trajectory, K.INTAKE)


def url(row) -> str:
    return reverse("followup:moment-done", args=[row.pk])


def dossier(trajectory, anchor="") -> str:
    address = reverse("cases:client-detail", args=[trajectory.client.pk])
    return f"{address}#{anchor}" if anchor else address


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def done_lines(trajectory):
    return TimelineEvent.objects.filter(
        trajectory=trajectory, kind=TimelineEvent.Kind.FOLLOW_UP, title__startswith="Follow-up g"
    )


def done_log(caseworker):
    return AccessLogEntry.objects.filter(user=caseworker, what="follow-up done")


def notify(trajectory, row, recipient) -> Notification:
    return Notification.objects.create(
        recipient=recipient,
        trajectory=trajectory,
        kind=Notification.Kind.MOMENT_DUE,
        ref=row.pk,
        due_on=row.due_on,
        moment=row,
    )


def assert_still_open(row):
    row.refresh_from_db()
    assert row.status == M.OPEN
    assert row.done_on is None
    assert row.done_by is None
    assert row.contact is None
    assert row.assessment is None


# --- The form -------------------------------------------------------------------------------------


def test_the_form_opens_in_dutch_with_only_this_trajectorys_records(
    caseworker_client, caseworker, trajectory, intake
):
    own = ContactFactory(trajectory=trajectory, date=D(2026, 1, 13))
    elsewhere = ContactFactory(
        trajectory=scheduled(caseworker, expected_release=D(2026, 9, 1)), date=D(2026, 1, 13)
    )

    response = caseworker_client.get(url(intake))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Intake en T0-meting met Jayden Verhoef" in content
    for label in ("Gehouden op", "Contact waarin het gebeurde", "Meting die erbij hoort"):
        assert label in content
    assert "Markeren als gedaan" in content
    form = page_form(response)
    assert form["done_on"].value() == D(2026, 1, 12)  # the due date, being before today
    assert list(form.fields["contact"].queryset) == [own]
    assert elsewhere not in form.fields["contact"].queryset


def test_marking_done_records_it_and_goes_back_to_the_schedule(
    caseworker_client, caseworker, trajectory, intake
):
    contact = ContactFactory(trajectory=trajectory, date=D(2026, 1, 13))
    assessment = Assessment.objects.create(
        trajectory=trajectory, moment=Assessment.Moment.T0, date=D(2026, 1, 14)
    )
    reminder = notify(trajectory, intake, caseworker)
    other_reminder = notify(trajectory, moment(trajectory, K.DETENTION_MONTHLY, 1), caseworker)

    response = caseworker_client.post(
        url(intake),
        {
            "done_on": "2026-01-14",
            "contact": contact.pk,
            "assessment": assessment.pk,
            "note": "Kennismaking in de PI, T0 samen ingevuld.",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == dossier(trajectory, "followup")
    assert texts(response) == ["“Intake en T0-meting” is gedaan."]
    intake.refresh_from_db()
    assert intake.status == M.DONE
    assert intake.done_on == D(2026, 1, 14)
    assert intake.done_by == caseworker
    assert intake.contact == contact
    assert intake.assessment == assessment
    assert intake.note == "Kennismaking in de PI, T0 samen ingevuld."
    line = done_lines(trajectory).get()
    assert line.title == "Follow-up gedaan: Intake en T0-meting"
    assert line.text == "Kennismaking in de PI, T0 samen ingevuld."
    assert line.by == caseworker
    entry = done_log(caseworker).get()
    assert entry.action == AccessLogEntry.Action.UPDATE
    assert entry.client_ref == trajectory.client.pk
    reminder.refresh_from_db()
    other_reminder.refresh_from_db()
    assert reminder.read_at == timezone.now()
    assert other_reminder.read_at is None


def test_marking_done_with_only_a_date(caseworker_client, caseworker, trajectory):
    monthly = moment(trajectory, K.DETENTION_MONTHLY, 1)

    response = caseworker_client.post(url(monthly), {"done_on": "2026-02-11"})

    assert response.status_code == 302
    monthly.refresh_from_db()
    assert (monthly.status, monthly.done_on) == (M.DONE, D(2026, 2, 11))
    assert monthly.contact is None
    assert monthly.assessment is None
    assert done_lines(trajectory).get().title == (
        "Follow-up gedaan: Maandelijks contact in detentie, maand 1"
    )


# --- Refused input --------------------------------------------------------------------------------


@pytest.fixture
def elsewhere(caseworker):
    """A trajectory of another young person of the same team, with a contact and a T0."""
    other = scheduled(caseworker, expected_release=D(2026, 9, 1))
    contact = ContactFactory(trajectory=other, date=D(2026, 5, 1))
    assessment = Assessment.objects.create(
        trajectory=other, moment=Assessment.Moment.T0, date=D(2026, 5, 1)
    )
    return {"contact": contact.pk, "assessment": assessment.pk}


INVALID_CHOICE = "Selecteer een geldige keuze. Deze keuze is niet beschikbaar."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("done_on", "2026-06-16", "De datum kan niet in de toekomst liggen."),
        ("done_on", "2026-01-11", "De datum kan niet voor de start van de begeleiding liggen."),
        ("done_on", "2026-02-30", "Voer een geldige datum in."),
        ("contact", "elsewhere", INVALID_CHOICE),
        ("assessment", "elsewhere", INVALID_CHOICE),
    ],
)
def test_bad_input_is_a_400_with_a_dutch_error_at_the_field_and_saves_nothing(
    caseworker_client, caseworker, trajectory, intake, elsewhere, field, value, message
):
    reminder = notify(trajectory, intake, caseworker)
    data = {"done_on": "2026-01-14", "note": "Poging"}
    data[field] = elsewhere[field] if value == "elsewhere" else value

    response = caseworker_client.post(url(intake), data)

    assert response.status_code == 400
    form = page_form(response)
    assert form.errors == {field: [message]}
    content = response.content.decode()
    # The message is rendered with the field it belongs to.
    field_html = re.search(
        rf'<div[^>]*id="div_id_{field}".*?(?=<div[^>]*id="div_id_|<div class="rio-actions")',
        content,
        re.S,
    )
    assert field_html is not None
    assert message in field_html.group(0)
    assert_still_open(intake)
    assert not done_lines(trajectory).exists()
    assert not done_log(caseworker).exists()
    reminder.refresh_from_db()
    assert reminder.read_at is None


# --- Done once, and only for the own team ---------------------------------------------------------


def test_posting_again_on_a_done_moment_changes_nothing(caseworker_client, caseworker, intake):
    assert caseworker_client.post(url(intake), {"done_on": "2026-01-14"}).status_code == 302

    response = caseworker_client.post(url(intake), {"done_on": "2026-01-20", "note": "Nog eens"})

    assert response.status_code == 302
    assert response["Location"] == dossier(intake.trajectory, "followup")
    assert texts(response)[-1] == "Dit moment staat niet meer open."
    intake.refresh_from_db()
    assert intake.done_on == D(2026, 1, 14)
    assert intake.note == ""
    assert done_lines(intake.trajectory).count() == 1
    assert done_log(caseworker).count() == 1
    # The form does not open for it either.
    response = caseworker_client.get(url(intake))
    assert response.status_code == 302
    assert response["Location"] == dossier(intake.trajectory, "followup")


def test_a_cancelled_moment_cannot_be_marked_done(caseworker_client, trajectory):
    cancelled = moment(trajectory, K.DETENTION_MONTHLY, 6)
    FollowUpMoment.objects.filter(pk=cancelled.pk).update(status=M.CANCELLED, cancelled_on=TODAY)

    response = caseworker_client.post(url(cancelled), {"done_on": "2026-06-12"})

    assert response.status_code == 302
    assert texts(response) == ["Dit moment staat niet meer open."]
    cancelled.refresh_from_db()
    assert cancelled.status == M.CANCELLED
    assert cancelled.done_on is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_team_gets_404(other_caseworker_client, intake, method):
    response = getattr(other_caseworker_client, method)(url(intake), {"done_on": "2026-01-14"})
    assert response.status_code == 404
    assert_still_open(intake)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_manager_gets_404(manager_client, intake, method):
    response = getattr(manager_client, method)(url(intake), {"done_on": "2026-01-14"})
    assert response.status_code == 404
    assert_still_open(intake)


def test_an_unknown_moment_is_404(caseworker_client):
    assert caseworker_client.get(reverse("followup:moment-done", args=[999999])).status_code == 404


# --- Where the schedule shows ---------------------------------------------------------------------


def section(content: str) -> str:
    match = re.search(r'<section id="followup".*?</section>', content, re.S)
    assert match, "no follow-up section in the dossier"
    return match.group(0)


def row_of(html: str, row: FollowUpMoment) -> str:
    match = re.search(rf'<tr[^>]*id="moment-{row.pk}".*?</tr>', html, re.S)
    assert match, f"no row for {row}"
    return match.group(0)


def test_the_dossier_shows_the_schedule_with_overdue_done_and_open_moments(
    caseworker_client, caseworker, trajectory, intake
):
    monthly_1 = moment(trajectory, K.DETENTION_MONTHLY, 1)
    monthly_1.mark_done(on=D(2026, 2, 13), by=caseworker)
    cancelled = moment(trajectory, K.DETENTION_MONTHLY, 6)
    FollowUpMoment.objects.filter(pk=cancelled.pk).update(status=M.CANCELLED, cancelled_on=TODAY)
    release_day = moment(trajectory, K.RELEASE_DAY)

    response = caseworker_client.get(dossier(trajectory))

    assert response.status_code == 200
    html = section(response.content.decode())
    assert "Nazorgplanning" in html
    overdue = row_of(html, intake)
    assert "Intake en T0-meting" in overdue
    assert "Te laat" in overdue
    assert f'href="{url(intake)}"' in overdue
    assert "markeren als gedaan" in overdue
    done = row_of(html, monthly_1)
    assert "gedaan 13-02-2026" in done
    assert "markeren als gedaan" not in done
    assert "Te laat" not in done
    planned = row_of(html, release_day)
    assert "Dag van ontslag (poortgesprek)" in planned
    assert "Gepland" in planned
    assert "Te laat" not in planned
    assert f'href="{url(release_day)}"' in planned
    assert f'id="moment-{cancelled.pk}"' not in html
    assert "Maandelijks contact in detentie, maand 6" not in html
    # One row per moment that still counts, each open one with its link.
    open_count = trajectory.followup_moments.filter(status=M.OPEN).count()
    assert html.count("markeren als gedaan") == open_count
    assert html.count('id="moment-') == open_count + 1


def test_a_moment_moved_off_a_weekend_shows_its_planned_date(caseworker_client, trajectory):
    minus_3m = moment(trajectory, K.RELEASE_MINUS_3M)
    assert (minus_3m.planned_on, minus_3m.due_on) == (D(2026, 6, 14), D(2026, 6, 12))

    html = section(caseworker_client.get(dossier(trajectory)).content.decode())

    row = row_of(html, minus_3m)
    assert "12-06-2026" in row  # due on Friday
    assert "14-06-2026" in row  # planned on Sunday, said next to it
    assert "14-06-2026" not in row_of(html, moment(trajectory, K.RELEASE_DAY))


def caseload_row(content: str, client) -> str:
    match = re.search(rf"<tr>\s*<th[^>]*>\s*<a[^>]*/jongeren/{client.pk}/.*?</tr>", content, re.S)
    assert match, f"{client.full_name} not in the caseload"
    return match.group(0)


def test_the_caseload_shows_the_next_follow_up(caseworker_client, caseworker, trajectory, intake):
    upcoming = scheduled(
        caseworker, registered=True, started_on=D(2026, 6, 19), expected_release=None
    )

    content = caseworker_client.get(reverse("cases:caseload")).content.decode()

    assert "Volgende follow-up" in content
    row = caseload_row(content, trajectory.client)
    assert "Intake en T0-meting" in row
    assert "te laat sinds 12-01-2026" in row
    row = caseload_row(content, upcoming.client)
    assert "Intake en T0-meting" in row
    assert "uiterlijk 19-06-2026" in row
    assert "te laat" not in row

    caseworker_client.post(url(intake), {"done_on": "2026-01-14"})
    content = caseworker_client.get(reverse("cases:caseload")).content.decode()

    row = caseload_row(content, trajectory.client)
    assert "Maandelijks contact in detentie, maand 1" in row
    assert "te laat sinds 12-02-2026" in row
    assert "Intake en T0-meting" not in row


# --- A start on a weekend -------------------------------------------------------------------------


def test_the_prefilled_date_is_accepted_for_an_intake_that_started_on_a_saturday(
    caseworker_client, caseworker
):
    # Guidance and detention began on Saturday 10-01-2026: the intake is planned on
    # that day, and due on the working day on or before it.
    trajectory = scheduled(
        caseworker,
        detention_start=D(2026, 1, 10),
        started_on=D(2026, 1, 10),
        expected_release=D(2026, 9, 14),
    )
    intake = moment(trajectory, K.INTAKE)
    form = page_form(caseworker_client.get(url(intake)))
    prefilled = form["done_on"].value()

    response = caseworker_client.post(url(intake), {"done_on": prefilled.isoformat()})

    # The form offers a date it then refuses: the due date is Friday 09-01, a day
    # before guidance began, and that is what it prefills.
    assert response.status_code == 302, page_form(response).errors
    intake.refresh_from_db()
    assert intake.status == M.DONE
    assert intake.due_on >= trajectory.started_on
