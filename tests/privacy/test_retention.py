"""Retention (PR-1): a closed dossier's personal data is destroyed after its period, with a
moved clock; the dashboards' figures stay; the verklaring van vernietiging is kept for ever;
the audit trail is purged after its own period, by the one delete its tables allow."""

import datetime
import io
from pathlib import Path

import pghistory.models
import pytest
import time_machine
from django.contrib.postgres.fields import ArrayField
from django.core.management import call_command
from django.db import ProgrammingError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AccessLogEntry
from cases.models import (
    Client,
    ContactMoment,
    Document,
    NetworkMember,
    TimelineEvent,
    Trajectory,
    age_on,
)
from followup.models import Notification
from lifedomains.models import DomainScore, Goal, ReadinessItem, ReadinessItemEvent
from partners.models import Bottleneck, BottleneckEvent, PartnerRequest
from privacy import retention
from privacy.models import DestroyedTrajectory, DestructionStatement
from privacy.tasks import apply_retention, purge_audit_trail
from reports.indicators import Period, Scope, cells, counts, dashboard
from tests.client_models import path_to_client
from tests.factories import ClientFactory, ContactFactory, TrajectoryFactory
from tests.test_dossier import fill

pytestmark = pytest.mark.django_db

D = datetime.date
S = Trajectory.Status
TODAY = D(2031, 6, 15)
FIVE_YEARS_AND_A_DAY = D(2026, 6, 14)
FIVE_YEARS_LESS_A_DAY = D(2026, 6, 16)
NINE_MONTHS_AND_A_DAY = D(2030, 9, 14)
NINE_MONTHS_LESS_A_DAY = D(2030, 9, 16)
PERIOD = Period(D(2025, 1, 1), D(2025, 12, 31))


def on(day: datetime.date):
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())
    return time_machine.travel(noon, tick=False)


def closed(client, caseworker, *, ended_on, guided=True, **fields):
    """A closed trajectory; unguided: never detained or released, no contact."""
    if not guided:
        fields |= {"detention_start": None, "expected_release": None, "actual_release": None}
    defaults = {
        "started_on": ended_on - datetime.timedelta(days=200),
        "detention_start": ended_on - datetime.timedelta(days=220),
        "expected_release": ended_on - datetime.timedelta(days=100),
        "actual_release": ended_on - datetime.timedelta(days=100),
    }
    return TrajectoryFactory(
        client=client,
        caseworker=caseworker,
        status=S.CLOSED,
        ended_on=ended_on,
        end_reason=Trajectory.EndReason.COMPLETED,
        **(defaults | fields),
    )


@pytest.fixture
def destroyed(team, caseworker):
    """Samira: one trajectory in 2025, every section of the dossier filled, closed five
    years and a day before TODAY. Born 1 August 2004: 20 at the start of guidance (15 July
    2025), 21 at release; a birth date of 1 July would make her 21 at the start."""
    with on(D(2025, 8, 1)):
        client = ClientFactory(
            team=team,
            first_name="Samira",
            last_name="Bakkerveld",
            date_of_birth=D(2004, 8, 1),
            with_bsn=True,
            phone="06-12345678",
            street="Voorstraat 12",
            postcode="3311 AB",
            strengths="Ik kan goed koken",
        )
        trajectory = TrajectoryFactory(
            client=client,
            caseworker=caseworker,
            started_on=D(2025, 7, 15),
            detention_start=D(2025, 7, 1),
            expected_release=D(2025, 10, 1),
            end_note="",
        )
        fill(trajectory, scale=1)
        Notification.objects.create(
            recipient=caseworker, trajectory=trajectory, kind="no_contact", due_on=D(2025, 8, 1)
        )
    with on(D(2025, 10, 1)):
        trajectory.release(on=D(2025, 10, 1), by=caseworker)
    with on(FIVE_YEARS_AND_A_DAY):
        trajectory.close(
            on=FIVE_YEARS_AND_A_DAY,
            reason=Trajectory.EndReason.COMPLETED,
            by=caseworker,
            note="Samira woont nu bij haar tante in Zwijndrecht",
        )
    return client


@pytest.fixture
def kept(team, caseworker):
    """Closed five years less a day before TODAY: still within its period."""
    client = ClientFactory(team=team, first_name="Kees", date_of_birth=D(2000, 1, 1))
    trajectory = closed(client, caseworker, ended_on=FIVE_YEARS_LESS_A_DAY)
    ContactFactory(trajectory=trajectory, date=trajectory.started_on, summary="Kees belt zelf")
    return client


def personal_markers() -> list[str]:
    return ["Samira", "Bakkerveld", "123456782", "Voorstraat", "Ik kan goed koken", "Zwijndrecht"]


def every_history_row() -> str:
    return "\n".join(str(list(history.objects.values())) for history in retention.history_models())


# --- The rule, at its boundaries ---------------------------------------------------


def test_closed_five_years_and_a_day_ago_is_destroyed_and_less_a_day_is_kept(destroyed, kept):
    with on(TODAY):
        assert set(Client.objects.past_retention(TODAY)) == {destroyed}
        destroyed_count = apply_retention()
    destroyed.refresh_from_db()
    kept.refresh_from_db()
    assert destroyed.destroyed_on == TODAY
    assert destroyed.first_name == ""
    assert kept.destroyed_on is None
    assert kept.first_name == "Kees"
    assert ContactMoment.objects.get(trajectory__client=kept).summary == "Kees belt zelf"
    assert destroyed_count == 1  # one trajectory


def test_never_started_is_destroyed_nine_months_and_a_day_after_its_end(team, caseworker):
    gone = ClientFactory(team=team)
    closed(gone, caseworker, ended_on=NINE_MONTHS_AND_A_DAY, guided=False)
    within = ClientFactory(team=team)
    closed(within, caseworker, ended_on=NINE_MONTHS_LESS_A_DAY, guided=False)
    # Met once, so guidance was given: the five years apply.
    met = ClientFactory(team=team)
    ContactFactory(
        trajectory=closed(met, caseworker, ended_on=NINE_MONTHS_AND_A_DAY, guided=False),
        date=NINE_MONTHS_AND_A_DAY,
    )
    with on(TODAY):
        apply_retention()
    assert set(Client.objects.filter(destroyed_on=TODAY)) == {gone}
    line = DestroyedTrajectory.objects.get()
    assert (line.client_ref, line.rule) == (gone.pk, DestroyedTrajectory.Rule.NO_GUIDANCE)


def test_the_periods_are_settings(team, caseworker, settings):
    client = ClientFactory(team=team)
    closed(client, caseworker, ended_on=D(2029, 6, 1))
    settings.RIO_RETENTION_YEARS = 2
    assert list(Client.objects.past_retention(TODAY)) == [client]
    settings.RIO_RETENTION_YEARS = 5
    assert not Client.objects.past_retention(TODAY).exists()


def test_a_young_person_with_another_trajectory_open_is_kept_whole(team, caseworker):
    client = ClientFactory(team=team, first_name="Noah")
    old = closed(client, caseworker, ended_on=D(2020, 1, 1))
    ContactFactory(trajectory=old, date=D(2019, 12, 1), summary="Oud gesprek")
    TrajectoryFactory(client=client, caseworker=caseworker, started_on=D(2031, 1, 1))
    with on(TODAY):
        assert apply_retention() == 0
    client.refresh_from_db()
    assert client.first_name == "Noah"
    assert ContactMoment.objects.get(trajectory=old).summary == "Oud gesprek"


def test_a_young_person_with_another_trajectory_within_its_period_is_kept_whole(team, caseworker):
    client = ClientFactory(team=team, first_name="Noah")
    closed(client, caseworker, ended_on=D(2020, 1, 1))
    closed(client, caseworker, ended_on=D(2029, 1, 1))
    with on(TODAY):
        assert apply_retention() == 0
    assert Client.objects.get(pk=client.pk).first_name == "Noah"


# --- What destruction removes and what it keeps --------------------------------------


def test_destruction_removes_personal_data_and_free_text_everywhere(destroyed, media_root):
    files = [Path(media_root, name) for name in Document.objects.values_list("file", flat=True)]
    assert files
    assert all(path.exists() for path in files)
    trajectory = destroyed.trajectories.get()
    contacts = trajectory.contacts.count()
    with on(TODAY):
        apply_retention()
    client = Client.objects.get(pk=destroyed.pk)
    assert (client.first_name, client.last_name, client.bsn, client.bsn_index) == ("", "", "", "")
    assert (client.phone, client.street, client.postcode, client.city) == ("", "", "", "")
    assert client.strengths == ""
    with translation.override("nl"):
        assert str(client) == f"Vernietigd (nr. {client.pk})"
    assert not Document.objects.exists()
    assert not any(path.exists() for path in files)
    assert not NetworkMember.objects.exists()
    assert not TimelineEvent.objects.filter(trajectory=trajectory).exists()
    assert not Notification.objects.exists()
    assert not Bottleneck.trajectories.through.objects.exists()
    assert Bottleneck.objects.exists()  # a bottleneck is the team's; only the link goes
    # The rows the dashboards count stay, emptied.
    assert trajectory.contacts.count() == contacts
    assert set(trajectory.contacts.values_list("summary", flat=True)) == {""}
    assert set(Goal.objects.values_list("text", flat=True)) == {""}
    assert set(PartnerRequest.objects.values_list("question", flat=True)) == {""}
    assert set(
        PartnerRequest.objects.exclude(answered_on=None).values_list("answer", flat=True)
    ) == {retention.PLACEHOLDER}
    assert (
        DomainScore.objects.filter(assessment__trajectory=trajectory).exclude(score=None).exists()
    )
    trajectory.refresh_from_db()
    assert trajectory.end_note == ""
    assert trajectory.end_reason == Trajectory.EndReason.COMPLETED
    assert trajectory.penitentiary_institution == ""


def test_the_age_in_whole_years_at_start_and_release_is_unchanged(destroyed):
    trajectory = destroyed.trajectories.get()
    with on(TODAY):
        apply_retention()
    born = Client.objects.get(pk=destroyed.pk).date_of_birth
    assert born != D(2004, 8, 1)
    assert born.year == 2004
    assert age_on(born, trajectory.started_on) == 20
    assert age_on(born, trajectory.actual_release) == 21


def test_the_history_keeps_no_copy_of_the_personal_data(destroyed):
    assert all(marker in every_history_row() for marker in personal_markers())
    with on(TODAY):
        apply_retention()
    rows = every_history_row()
    assert not [marker for marker in personal_markers() if marker in rows]
    history = retention.history_of(Client)
    assert set(history.objects.values_list("first_name", "bsn")) == {("", "")}
    assert not retention.history_of(NetworkMember).objects.exists()
    assert not retention.history_of(Document).objects.exists()


def test_the_checklists_status_history_keeps_no_note(destroyed):
    item = ReadinessItem.objects.filter(trajectory__client=destroyed).first()
    ReadinessItem.objects.filter(pk=item.pk).update(note="Schuld bij Kees de Vries")
    ReadinessItem.objects.filter(pk=item.pk).update(note="Schuld bij Kees en Anna de Vries")
    events = ReadinessItemEvent.objects.filter(pgh_obj_id=item.pk)
    assert events.filter(note__contains="Kees").count() == 2
    count = events.count()

    with on(TODAY):
        apply_retention()

    assert set(events.values_list("note", flat=True)) == {""}
    # The status history stays, for the dashboards; the blanking is one more row.
    assert events.count() == count + 1


def test_the_access_log_is_kept(destroyed, caseworker):
    line = AccessLogEntry.objects.create(
        user=caseworker, action="view", client_ref=destroyed.pk, what="dossier"
    )
    with on(TODAY):
        apply_retention()
    assert AccessLogEntry.objects.get(pk=line.pk).client_ref == destroyed.pk


def dashboard_figures(team):
    scope = Scope(team=team)
    figures = dashboard(scope, PERIOD)
    return (
        counts(scope, cells(PERIOD)),
        [(table.key, table.rows, table.total) for table in figures.tables],
    )


def test_the_dashboard_figures_do_not_change(destroyed, kept, team):
    with on(TODAY):
        before = dashboard_figures(team)
        assert before[0]["age"]["18_20"] == (1, 1)
        assert before[0]["started"]["started"] == (2, 2)
        apply_retention()
        assert Client.objects.get(pk=destroyed.pk).destroyed_on == TODAY
        assert dashboard_figures(team) == before


# --- Safe to run again, and the dry run ----------------------------------------------


def test_running_twice_destroys_nothing_new(destroyed, team, caseworker):
    with on(TODAY):
        assert apply_retention() == 1
        assert apply_retention() == 0
    assert DestructionStatement.objects.count() == 1
    assert DestroyedTrajectory.objects.count() == 1


def test_batches_and_a_second_worker_take_each_young_person_once(team, caseworker):
    clients = [ClientFactory(team=team) for _ in range(5)]
    for client in clients:
        closed(client, caseworker, ended_on=D(2020, 1, 1))
    with on(TODAY):
        statement = retention.apply_retention(batch_size=2)
        assert retention.apply_retention(batch_size=2) is None
    assert sorted(statement.trajectories.values_list("client_ref", flat=True)) == sorted(
        client.pk for client in clients
    )


def test_dry_run_lists_what_would_go_and_changes_nothing(destroyed, kept):
    trajectory = destroyed.trajectories.get()
    out = io.StringIO()
    with on(TODAY):
        call_command("retention", "--dry-run", stdout=out)
    assert f"client {destroyed.pk}  trajectory {trajectory.pk}  ended 2026-06-14" in out.getvalue()
    assert f"client {kept.pk} " not in out.getvalue()
    assert Client.objects.get(pk=destroyed.pk).first_name == "Samira"
    assert Document.objects.exists()
    assert not DestructionStatement.objects.exists()


def test_the_command_without_dry_run_destroys(destroyed):
    out = io.StringIO()
    with on(TODAY):
        call_command("retention", stdout=out)
    assert "1 trajectories destroyed" in out.getvalue()
    statement = DestructionStatement.objects.get()
    assert statement.started_by == DestructionStatement.StartedBy.COMMAND


# --- The verklaring van vernietiging -------------------------------------------------


def test_the_statement_says_what_went_when_and_under_which_rule(destroyed):
    trajectory = destroyed.trajectories.get()
    with on(TODAY):
        apply_retention()
    statement = DestructionStatement.objects.get()
    assert (statement.day, statement.retention_years, statement.no_guidance_months) == (
        TODAY,
        5,
        9,
    )
    assert statement.started_by == DestructionStatement.StartedBy.TASK
    line = statement.trajectories.get()
    assert (line.client_ref, line.trajectory_ref, line.ended_on, line.rule) == (
        destroyed.pk,
        trajectory.pk,
        FIVE_YEARS_AND_A_DAY,
        DestroyedTrajectory.Rule.GUIDED,
    )


def test_the_statement_cannot_be_changed_or_deleted(destroyed):
    with on(TODAY):
        apply_retention()
    for model in (DestructionStatement, DestroyedTrajectory):
        with pytest.raises(ProgrammingError), transaction.atomic():
            model.objects.update(id=models.F("id"))
        with pytest.raises(ProgrammingError), transaction.atomic():
            model.objects.all()._raw_delete(model.objects.db)
    assert DestroyedTrajectory.objects.count() == 1


def test_admins_read_the_statement_and_cannot_add_change_or_delete_it(destroyed, admin_client):
    with on(TODAY):
        apply_retention()
    statement = DestructionStatement.objects.get()
    page = admin_client.get(
        reverse("admin:privacy_destructionstatement_change", args=[statement.pk])
    )
    assert page.status_code == 200
    assert str(destroyed.pk) in page.content.decode()
    assert admin_client.get(reverse("admin:privacy_destructionstatement_add")).status_code == 403
    delete = reverse("admin:privacy_destructionstatement_delete", args=[statement.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert DestructionStatement.objects.exists()


# --- Every client-bound model is covered --------------------------------------------


def test_every_model_with_a_path_to_a_client_is_anonymised_or_deleted():
    from django.apps import apps

    covered = {rule.model for rule in (*retention.ANONYMISED, *retention.DELETED)}
    # A bottleneck (and its event list) belongs to the team and may block several young
    # people: it reaches a client only through its many-to-many link to their
    # trajectories, and destruction deletes that link (`Bottleneck.trajectories.through`).
    covered |= {Bottleneck, BottleneckEvent}
    bound = {
        model
        for model in apps.get_models()
        if model._meta.app_label in {"cases", "partners", "lifedomains", "followup"}
        and path_to_client(model)
        and model is not Client
        and not issubclass(model, pghistory.models.Event)
        # A proxy's rows are its concrete model's (BottleneckTrajectory: that link).
        and not model._meta.proxy
    }
    assert not {model._meta.label for model in bound - covered}


def text_fields(model):
    for field in model._meta.concrete_fields:
        inner = field.base_field if isinstance(field, ArrayField) else field
        if isinstance(inner, models.CharField | models.TextField | models.FileField) and not (
            inner.choices
        ):
            yield field


def test_every_free_text_field_of_a_kept_row_is_emptied_or_named_as_kept():
    unnamed = []
    for rule in retention.ANONYMISED:
        for field in text_fields(rule.model):
            label = f"{rule.model._meta.label}.{field.name}"
            if field.name not in rule.blanked and label not in retention.KEPT_TEXT:
                unnamed.append(label)
    for field in text_fields(Client):
        if field.name not in retention.CLIENT_BLANKED:
            unnamed.append(f"cases.Client.{field.name}")
    assert not unnamed


def test_the_replacement_birth_date_is_the_one_nearest_1_july_with_the_same_ages():
    assert retention.anonymous_birth_date(D(2000, 3, 3), [D(2020, 9, 1)]) == D(2000, 7, 1)
    assert retention.anonymous_birth_date(D(2000, 3, 3), [D(2020, 5, 1)]) == D(2000, 5, 1)
    # Starts on 15 July, birthday 1 August: 1 July would add a year.
    born = retention.anonymous_birth_date(D(2000, 8, 1), [D(2020, 7, 15)])
    assert born == D(2000, 7, 16)
    assert retention.anonymous_birth_date(D(2000, 2, 29), []) == D(2000, 7, 1)


# --- The audit trail's own retention --------------------------------------------------

SEVEN_YEARS = datetime.timedelta(days=7 * 366)


def test_an_ordinary_delete_of_the_audit_trail_still_fails(caseworker):
    contact = ContactFactory(trajectory=TrajectoryFactory(caseworker=caseworker))
    AccessLogEntry.objects.create(user=caseworker, action="view", what="dossier")
    history = retention.history_of(ContactMoment)
    for model in (AccessLogEntry, history):
        with pytest.raises(ProgrammingError), transaction.atomic():
            model.objects.all().delete()
    assert AccessLogEntry.objects.exists()
    assert history.objects.filter(pgh_obj_id=contact.pk).exists()


def test_the_purge_deletes_the_audit_trail_past_its_period_only(caseworker):
    contact = ContactFactory(trajectory=TrajectoryFactory(caseworker=caseworker))
    old = AccessLogEntry.objects.create(user=caseworker, action="view", what="dossier")
    history = retention.history_of(ContactMoment)
    assert history.objects.exists()
    now = old.at
    with time_machine.travel(now + datetime.timedelta(days=7 * 365), tick=False):
        assert purge_audit_trail() == 0  # seven years less a day or two: kept
    later = now + SEVEN_YEARS
    with time_machine.travel(later, tick=False):
        recent = AccessLogEntry.objects.create(user=caseworker, action="view", what="dossier")
        assert purge_audit_trail() > 0
    assert list(AccessLogEntry.objects.all()) == [recent]
    assert not history.objects.filter(pgh_obj_id=contact.pk).exists()
    # The purge lifted the protection for itself only.
    with pytest.raises(ProgrammingError), transaction.atomic():
        AccessLogEntry.objects.all().delete()


# --- The demo -----------------------------------------------------------------------


def test_the_demo_dry_run_lists_its_long_closed_trajectories():
    call_command("seed_demo", force=True)
    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    listed = out.getvalue()
    for team in ("RIO Dordrecht", "RIO Rotterdam"):
        mine = Trajectory.objects.filter(client__team__name=team)
        moved = mine.get(end_reason=Trajectory.EndReason.MOVED)
        never = mine.get(end_reason=Trajectory.EndReason.OTHER)
        assert f"trajectory {moved.pk}  ended {moved.ended_on:%Y-%m-%d}  rule guided" in listed
        assert f"trajectory {never.pk}  ended {never.ended_on:%Y-%m-%d}  rule no_guidance" in (
            listed
        )
    # Nothing else of the caseloads is due.
    assert (
        not Client.objects.past_retention(timezone.localdate())
        .exclude(
            trajectories__end_reason__in=[Trajectory.EndReason.MOVED, Trajectory.EndReason.OTHER]
        )
        .exists()
    )
    assert not DestructionStatement.objects.exists()
