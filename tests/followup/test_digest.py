"""The daily e-mail digest: counts per kind and a link, once a day, never a name."""

import datetime
import re
import smtplib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from followup import digest
from followup.digest import send_digests
from followup.models import DigestLog, Notification
from tests.factories import ClientFactory, TrajectoryFactory, UserFactory

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
NOW = datetime.datetime(2025, 3, 12, 7, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
TODAY = NOW.date()
FIRST_NAME, LAST_NAME, BSN = "Jaydillon", "Vermeulen", "123456782"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def digest_on(settings):
    settings.RIO_EMAIL_DIGEST = True
    settings.RIO_SITE_URL = "https://rio.example.nl/"


def trajectory_for(caseworker, **client):
    return TrajectoryFactory(
        client=ClientFactory(team=caseworker.team, **client), caseworker=caseworker
    )


def notify(trajectory, kind, *, ref=0, ago=datetime.timedelta(hours=1), read=False):
    created = NOW - ago
    return Notification.objects.create(
        recipient=trajectory.caseworker,
        trajectory=trajectory,
        kind=kind,
        ref=ref,
        due_on=TODAY,
        created_at=created,
        read_at=created if read else None,
    )


@pytest.fixture
def mine(caseworker):
    """A trajectory of a named young person with a BSN, and three fresh reminders."""
    trajectory = trajectory_for(
        caseworker, first_name=FIRST_NAME, last_name=LAST_NAME, with_bsn=True
    )
    notify(trajectory, Kind.ACTION_OVERDUE, ref=1)
    notify(trajectory, Kind.ACTION_OVERDUE, ref=2, ago=datetime.timedelta(hours=20))
    notify(trajectory, Kind.NO_CONTACT)
    return trajectory


def mail_to(address) -> mail.EmailMessage:
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def test_one_dutch_digest_per_caseworker_with_counts_and_a_link(
    caseworker, colleague, manager, mine
):
    # Read, or older than a day: not in the digest.
    notify(mine, Kind.MOMENT_DUE, ref=7, read=True)
    notify(mine, Kind.BASIS_EXPIRING, ref=8, ago=datetime.timedelta(days=2))
    notify(trajectory_for(colleague), Kind.BASIS_EXPIRING, ref=9)

    assert send_digests() == 2

    assert len(mail.outbox) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([caseworker.email, colleague.email])
    message = mail_to(caseworker.email)
    assert message.subject == "RIO: 3 nieuwe meldingen"
    assert "Deze meldingen staan sinds gisteren nieuw in uw RIO-meldingen:" in message.body
    assert "- Actie over de datum: 2" in message.body
    assert "- Te lang geen contact: 1" in message.body
    assert "Follow-upmoment te doen" not in message.body
    assert "Grondslag verloopt binnenkort" not in message.body
    links = re.findall(r"https?://\S+", message.body)
    assert links == ["https://rio.example.nl/meldingen/"]
    assert links[0].endswith("/meldingen/")

    theirs = mail_to(colleague.email)
    assert theirs.subject == "RIO: 1 nieuwe melding"
    assert "- Grondslag verloopt binnenkort: 1" in theirs.body
    assert "Actie over de datum" not in theirs.body
    assert not [m for m in mail.outbox if manager.email in m.to]

    logs = set(DigestLog.objects.values_list("user_id", "day", "count"))
    assert logs == {(caseworker.pk, TODAY, 3), (colleague.pk, TODAY, 1)}


def test_the_digest_names_no_young_person(caseworker, mine):
    client = mine.client
    assert client.bsn == BSN

    send_digests()

    (message,) = mail.outbox
    for secret in (FIRST_NAME, LAST_NAME, BSN, str(client), client.city):
        assert secret not in message.subject
        assert secret not in message.body
    assert mail.outbox[0].to == [caseworker.email]


def test_a_second_run_the_same_day_sends_nothing(frozen, caseworker, mine):
    assert send_digests() == 1
    notify(mine, Kind.MOMENT_DUE, ref=5, ago=datetime.timedelta(0))

    frozen.move_to(NOW + datetime.timedelta(hours=10))
    assert send_digests() == 0

    assert len(mail.outbox) == 1
    assert DigestLog.objects.get().count == 3

    frozen.move_to(NOW + datetime.timedelta(days=1))
    assert send_digests() == 1

    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "RIO: 1 nieuwe melding"
    assert DigestLog.objects.count() == 2


def test_nothing_is_sent_when_the_digest_is_off(settings, mine):
    settings.RIO_EMAIL_DIGEST = False

    assert send_digests() == 0

    assert mail.outbox == []
    assert not DigestLog.objects.exists()


def test_a_caseworker_without_e_mail_gets_none(caseworker, colleague, mine):
    caseworker.email = ""
    caseworker.save(update_fields=["email"])
    notify(trajectory_for(colleague), Kind.NO_CONTACT)

    assert send_digests() == 1

    assert [m.to for m in mail.outbox] == [[colleague.email]]
    assert list(DigestLog.objects.values_list("user_id", flat=True)) == [colleague.pk]


def test_an_inactive_caseworker_gets_none(caseworker, mine):
    caseworker.is_active = False
    caseworker.save(update_fields=["is_active"])

    assert send_digests() == 0

    assert mail.outbox == []


def test_a_caseworker_without_new_reminders_gets_none(team):
    idle = UserFactory(username="rio-idle", team=team)
    notify(trajectory_for(idle), Kind.NO_CONTACT, read=True)

    assert send_digests() == 0

    assert mail.outbox == []


def test_a_failed_send_is_tried_again_on_the_next_run(monkeypatch, caseworker, colleague, mine):
    notify(trajectory_for(colleague), Kind.NO_CONTACT)
    real_send_mail = digest.send_mail

    def mail_server_refuses_caseworker(**kwargs):
        if kwargs["recipient_list"] == [caseworker.email]:
            raise smtplib.SMTPException("mail server unreachable")
        return real_send_mail(**kwargs)

    monkeypatch.setattr(digest, "send_mail", mail_server_refuses_caseworker)

    assert send_digests() == 1

    assert [m.to for m in mail.outbox] == [[colleague.email]]
    assert not DigestLog.objects.filter(user=caseworker).exists()
    assert DigestLog.objects.filter(user=colleague, day=TODAY).exists()

    monkeypatch.undo()
    assert send_digests() == 1

    assert [m.to for m in mail.outbox] == [[colleague.email], [caseworker.email]]
    assert mail.outbox[1].subject == "RIO: 3 nieuwe meldingen"
    assert DigestLog.objects.get(user=caseworker).day == TODAY


def test_when_sending_fails_no_log_remains(monkeypatch, caseworker, mine):
    def mail_server_down(**kwargs):
        raise smtplib.SMTPException("mail server unreachable")

    monkeypatch.setattr(digest, "send_mail", mail_server_down)

    assert send_digests() == 0

    assert mail.outbox == []
    assert not DigestLog.objects.exists()

    monkeypatch.undo()
    assert send_digests() == 1

    assert [m.to for m in mail.outbox] == [[caseworker.email]]
    assert DigestLog.objects.get().count == 3


def test_the_plain_text_mail_is_not_html_escaped(caseworker, mine):
    caseworker.first_name = "D'Angelo"
    caseworker.save(update_fields=["first_name"])

    send_digests()

    (message,) = mail.outbox
    assert message.body.startswith("Hallo D'Angelo,\n")
    assert "&#x27;" not in message.body
