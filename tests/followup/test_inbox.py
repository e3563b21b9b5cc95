"""The caseworker's inbox: the own unread reminders, marking them read, the count in the menu."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from followup.models import FollowUpMoment, Notification
from lifedomains.domains import Domain
from lifedomains.models import Action, Goal
from partners.models import SharingBasis
from tests.factories import ClientFactory, TrajectoryFactory, days
from tests.partners.test_scoping import reclassering

pytestmark = pytest.mark.django_db

Kind = Notification.Kind

INBOX = reverse("followup:inbox")


def nl(text: str) -> str:
    """A message as the Dutch interface shows it; it must be translated."""
    with translation.override("nl"):
        dutch_text = translation.gettext(text)
    assert dutch_text != text, f"{text!r} is not translated"
    return dutch_text


def dutch(kind: str) -> str:
    """The kind's label as the Dutch interface shows it (the wording is the translators')."""
    with translation.override("nl"):
        label = str(Kind(kind).label)
    with translation.override("en"):
        assert label != str(Kind(kind).label), f"{kind} is not translated"
    return label


# --- Building reminders ----------------------------------------------------------------------


def a_trajectory(team, caseworker, first_name="Anouk", last_name="Aarts", **kwargs):
    return TrajectoryFactory(
        client=ClientFactory(team=team, first_name=first_name, last_name=last_name),
        caseworker=caseworker,
        **kwargs,
    )


def notify(trajectory, kind=Kind.NO_CONTACT, *, recipient=None, n=0, read=False) -> Notification:
    """A reminder of `kind` with what it is about; `n` keeps several of a kind apart."""
    due_on = days(-n)
    extra = {}
    if kind == Kind.MOMENT_DUE:
        moment = FollowUpMoment.objects.create(
            trajectory=trajectory,
            kind=FollowUpMoment.Kind.DETENTION_MONTHLY,
            sequence=n + 1,
            planned_on=due_on,
            due_on=due_on,
        )
        extra = {"moment": moment, "ref": moment.pk}
    elif kind == Kind.ACTION_OVERDUE:
        goal = Goal.objects.create(
            trajectory=trajectory,
            domain=Domain.HOUSING,
            text="Een eigen kamer",
            created_by=trajectory.caseworker,
        )
        action = Action.objects.create(
            goal=goal,
            description=f"Inschrijven bij de woningcorporatie {n}",
            owner=Action.Owner.CLIENT,
            due_date=due_on,
        )
        extra = {"action": action, "ref": action.pk}
    elif kind == Kind.BASIS_EXPIRING:
        basis = SharingBasis.objects.create(
            trajectory=trajectory,
            organisation=reclassering(),
            basis=SharingBasis.Basis.PBW_18A,
            scope=["care"],
            valid_from=days(-200),
            valid_until=days(20),
        )
        extra = {"basis": basis, "ref": basis.pk}
    return Notification.objects.create(
        recipient=recipient or trajectory.caseworker,
        trajectory=trajectory,
        kind=kind,
        due_on=due_on,
        read_at=timezone.now() if read else None,
        **extra,
    )


def mixed_notifications(trajectories, count: int) -> list[Notification]:
    """`count` unread reminders of every kind, spread over the trajectories."""
    kinds = list(Kind)
    return [
        notify(trajectories[i % len(trajectories)], kinds[i % len(kinds)], n=i)
        for i in range(count)
    ]


def items(response) -> list[int]:
    """The pks of the reminders listed on the page, in order."""
    return [
        int(pk)
        for pk in re.findall(
            r'<li class="rio-notification[^"]*" id="notification-(\d+)"', response.content.decode()
        )
    ]


def read_url(notification) -> str:
    return reverse("followup:notification-read", args=[notification.pk])


def open_url(notification) -> str:
    return reverse("followup:notification-open", args=[notification.pk])


def dossier(trajectory, anchor: str) -> str:
    return reverse("cases:client-detail", args=[trajectory.client.pk]) + f"#{anchor}"


# --- The list --------------------------------------------------------------------------------


def test_the_inbox_lists_the_own_unread_reminders(caseworker_client, team, caseworker):
    mine = a_trajectory(team, caseworker)
    unread = notify(mine, Kind.MOMENT_DUE)
    read = notify(a_trajectory(team, caseworker, "Bram", "Bakker"), Kind.NO_CONTACT, read=True)

    response = caseworker_client.get(INBOX)

    assert response.status_code == 200
    content = response.content.decode()
    assert items(response) == [unread.pk]
    assert "Anouk Aarts" in content
    assert dutch(Kind.MOMENT_DUE) in content
    assert '<span class="rio-tag">nieuw</span>' in content
    # A form to open the dossier, and one to mark it read.
    assert f'action="{open_url(unread)}"' in content
    assert "Dossier openen" in content
    assert f'action="{read_url(unread)}"' in content
    assert "Alles als gelezen markeren" in content
    assert "Bram Bakker" not in content
    assert open_url(read) not in content


def test_show_all_lists_the_read_reminders_too(caseworker_client, team, caseworker):
    unread = notify(a_trajectory(team, caseworker), Kind.MOMENT_DUE)
    read = notify(a_trajectory(team, caseworker, "Bram", "Bakker"), Kind.NO_CONTACT, read=True)

    response = caseworker_client.get(INBOX, {"show": "all"})

    assert response.status_code == 200
    # Unread first.
    assert items(response) == [unread.pk, read.pk]
    content = response.content.decode()
    assert "Bram Bakker" in content
    assert dutch(Kind.NO_CONTACT) in content
    # A read reminder can be opened, not marked read again.
    assert f'action="{open_url(read)}"' in content
    assert read_url(read) not in content
    assert "Alles als gelezen markeren" not in content


def test_an_unknown_filter_shows_the_unread_ones(caseworker_client, team, caseworker):
    unread = notify(a_trajectory(team, caseworker), Kind.MOMENT_DUE)
    notify(a_trajectory(team, caseworker, "Bram", "Bakker"), Kind.NO_CONTACT, read=True)

    response = caseworker_client.get(INBOX, {"show": "everything<script>"})

    assert response.status_code == 200
    assert items(response) == [unread.pk]


def test_every_kind_is_shown_in_dutch_with_what_it_is_about(caseworker_client, team, caseworker):
    trajectory = a_trajectory(team, caseworker)
    notifications = mixed_notifications([trajectory], len(Kind))

    response = caseworker_client.get(INBOX)

    assert sorted(items(response)) == sorted(n.pk for n in notifications)
    content = response.content.decode()
    for kind in Kind:
        assert dutch(kind) in content
    assert "Inschrijven bij de woningcorporatie" in content
    assert "Reclassering Nederland" in content
    assert "Maandelijks contact in detentie, maand 1" in content


def test_the_empty_inbox_says_so(caseworker_client):
    response = caseworker_client.get(INBOX)

    assert response.status_code == 200
    assert items(response) == []
    assert "Alles als gelezen markeren" not in response.content.decode()


def test_the_inbox_is_paginated(caseworker_client, team, caseworker):
    trajectories = [a_trajectory(team, caseworker, "Jongere", f"Nummer{i}") for i in range(3)]
    mixed_notifications(trajectories, 30)
    size = settings.CASELOAD_PAGE_SIZE
    assert size == 25

    first = caseworker_client.get(INBOX)
    second = caseworker_client.get(INBOX, {"show": "unread", "page": 2})

    assert len(items(first)) == size
    assert len(items(second)) == 30 - size
    assert not set(items(first)) & set(items(second))
    assert 'href="?show=unread&amp;page=2"' in first.content.decode()
    # Ordered by due date, oldest first, over the pages.
    due = dict(Notification.objects.values_list("pk", "due_on"))
    listed = [due[pk] for pk in items(first) + items(second)]
    assert listed == sorted(listed)


# --- Marking read ----------------------------------------------------------------------------


def test_marking_read_redirects_to_the_inbox_with_a_message(caseworker_client, team, caseworker):
    notification = notify(a_trajectory(team, caseworker), Kind.MOMENT_DUE)

    response = caseworker_client.post(read_url(notification))

    assert response.status_code == 302
    assert response["Location"] == INBOX
    notification.refresh_from_db()
    assert notification.read_at is not None
    page = caseworker_client.get(response["Location"])
    assert nl("Marked as read.") in page.content.decode()
    assert items(page) == []


def test_marking_read_with_htmx_returns_the_item_in_place(caseworker_client, team, caseworker):
    notification = notify(a_trajectory(team, caseworker), Kind.MOMENT_DUE)

    response = caseworker_client.post(read_url(notification), headers={"HX-Request": "true"})

    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith(
        f'<li class="rio-notification" id="notification-{notification.pk}"'
    )
    assert "<html" not in content
    assert "Anouk Aarts" in content
    assert dutch(Kind.MOMENT_DUE) in content
    # Now read: no "new" tag and no mark-read form, the open form stays.
    assert "rio-notification--unread" not in content
    assert "nieuw" not in content
    assert read_url(notification) not in content
    assert open_url(notification) in content
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_read_twice_keeps_the_first_time(caseworker_client, team, caseworker):
    notification = notify(a_trajectory(team, caseworker), Kind.MOMENT_DUE)
    caseworker_client.post(read_url(notification))
    notification.refresh_from_db()
    first = notification.read_at

    response = caseworker_client.post(read_url(notification))

    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at == first


def test_read_all_marks_only_the_own_reminders(
    caseworker_client, team, caseworker, colleague, other_caseworker
):
    mine = [
        notify(a_trajectory(team, caseworker, "Jongere", f"Nummer{i}"), kind)
        for i, kind in enumerate([Kind.MOMENT_DUE, Kind.NO_CONTACT, Kind.END_REACHED])
    ]
    colleagues = notify(a_trajectory(team, colleague, "Cas", "Collega"), Kind.NO_CONTACT)
    other_team = notify(
        a_trajectory(other_caseworker.team, other_caseworker, "Ralf", "Rotterdam"),
        Kind.NO_CONTACT,
    )

    response = caseworker_client.post(reverse("followup:inbox-read-all"))

    assert response.status_code == 302
    assert response["Location"] == INBOX
    assert all(
        read_at is not None
        for read_at in Notification.objects.filter(pk__in=[n.pk for n in mine]).values_list(
            "read_at", flat=True
        )
    )
    for other in (colleagues, other_team):
        other.refresh_from_db()
        assert other.read_at is None
    page = caseworker_client.get(INBOX)
    assert nl("%(n)s reminders marked as read.") % {"n": 3} in page.content.decode()
    assert items(page) == []


@pytest.mark.parametrize("kind", list(Kind))
def test_open_marks_read_and_goes_to_the_right_place_in_the_dossier(
    caseworker_client, team, caseworker, kind
):
    trajectory = a_trajectory(team, caseworker)
    notification = notify(trajectory, kind)

    response = caseworker_client.post(open_url(notification))

    assert response.status_code == 302
    anchor = Notification.ANCHOR[kind]
    assert response["Location"] == dossier(trajectory, anchor)
    notification.refresh_from_db()
    assert notification.read_at is not None
    # The anchor exists on the dossier page.
    page = caseworker_client.get(response["Location"].split("#")[0])
    assert page.status_code == 200
    assert f'id="{anchor}"' in page.content.decode()


def test_the_anchors_cover_every_kind():
    assert set(Notification.ANCHOR) == set(Kind)


@pytest.mark.parametrize("name", ["notification-read", "notification-open", "inbox-read-all"])
def test_get_on_the_post_routes_is_405(caseworker_client, team, caseworker, name):
    notification = notify(a_trajectory(team, caseworker), Kind.MOMENT_DUE)
    args = [] if name == "inbox-read-all" else [notification.pk]

    response = caseworker_client.get(reverse(f"followup:{name}", args=args))

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


# --- The count in the menu -------------------------------------------------------------------


def badge(response) -> int | None:
    match = re.search(r'id="inbox-unread">(\d+)<', response.content.decode())
    return int(match.group(1)) if match else None


def test_the_menu_shows_the_unread_count_of_the_own_reminders(
    caseworker_client, team, other_team, caseworker, colleague, other_caseworker
):
    notify(a_trajectory(team, caseworker, "Jongere", "Een"), Kind.MOMENT_DUE)
    notify(a_trajectory(team, caseworker, "Jongere", "Twee"), Kind.NO_CONTACT)
    notify(a_trajectory(team, caseworker, "Jongere", "Drie"), Kind.NO_CONTACT, read=True)
    notify(a_trajectory(team, colleague, "Cas", "Collega"), Kind.NO_CONTACT)
    notify(a_trajectory(other_team, other_caseworker, "Ralf", "Rotterdam"), Kind.NO_CONTACT)

    response = caseworker_client.get(reverse("cases:caseload"))

    assert response.status_code == 200
    content = response.content.decode()
    assert f'href="{INBOX}"' in content
    assert ">Meldingen" in content
    assert badge(response) == 2
    assert '<span class="visually-hidden"> ongelezen</span>' in content


def test_the_menu_count_follows_marking_read(caseworker_client, team, caseworker):
    first = notify(a_trajectory(team, caseworker, "Jongere", "Een"), Kind.MOMENT_DUE)
    notify(a_trajectory(team, caseworker, "Jongere", "Twee"), Kind.NO_CONTACT)
    assert badge(caseworker_client.get(INBOX)) == 2

    caseworker_client.post(read_url(first))
    assert badge(caseworker_client.get(INBOX)) == 1

    caseworker_client.post(reverse("followup:inbox-read-all"))
    response = caseworker_client.get(INBOX)
    assert badge(response) is None
    # The link stays, with an empty, hidden badge that htmx can fill again.
    assert re.search(
        r'>Meldingen <span class="rio-badge" hidden id="inbox-unread"></span></a>',
        response.content.decode(),
    )


@pytest.mark.parametrize(
    ("role", "start"), [("manager", "reports:index"), ("admin_user", "admin:index")]
)
def test_the_menu_has_no_inbox_for_managers_and_admins(
    request, client, team, caseworker, role, start
):
    notify(a_trajectory(team, caseworker), Kind.MOMENT_DUE)
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse(start))

    assert response.status_code == 200
    content = response.content.decode()
    assert INBOX not in content
    assert "Meldingen" not in content
    assert badge(response) is None


# --- Queries ---------------------------------------------------------------------------------


# The session, the user, their MFA, the page's count, the count in the menu, the user's
# team (navigation), the page's rows with everything they show, the access log line (one
# for the page, not one per reminder), and saving the session (savepoint, update,
# release): a fixed number, whatever the number of reminders.
INBOX_QUERIES = 11


@pytest.mark.parametrize("count", [3, 30])
def test_the_inbox_takes_a_fixed_number_of_queries(
    caseworker_client, django_assert_num_queries, team, caseworker, count
):
    trajectories = [a_trajectory(team, caseworker, "Jongere", f"Nummer{i}") for i in range(3)]
    mixed_notifications(trajectories, count)

    with django_assert_num_queries(INBOX_QUERIES):
        response = caseworker_client.get(INBOX)

    assert response.status_code == 200
    assert len(items(response)) == min(count, settings.CASELOAD_PAGE_SIZE)
    assert badge(response) == count


# --- A handover moves the unread reminders --------------------------------------------------


def test_a_handover_moves_the_unread_reminders_to_the_new_caseworker(
    caseworker_client, client, team, caseworker, colleague
):
    trajectory = a_trajectory(team, caseworker)
    unread = notify(trajectory, Kind.NO_CONTACT)
    read = notify(trajectory, Kind.RELEASE_READINESS, read=True)

    response = caseworker_client.post(
        reverse("cases:trajectory-handover", args=[trajectory.pk]),
        {"to": colleague.pk, "note": "Warme overdracht."},
    )

    assert response.status_code == 302
    unread.refresh_from_db()
    read.refresh_from_db()
    assert unread.recipient == colleague
    assert read.recipient == caseworker
    assert items(caseworker_client.get(INBOX)) == []
    assert caseworker_client.post(open_url(unread)).status_code == 404
    caseworker_client.logout()
    client.force_login(colleague)
    response = client.get(INBOX)
    assert items(response) == [unread.pk]
    assert badge(response) == 1


# --- A young person who moved to another team ------------------------------------------------


def test_a_reminder_about_a_young_person_of_another_team_now_is_not_shown(
    caseworker_client, team, other_team, caseworker
):
    stays = notify(a_trajectory(team, caseworker, "Anouk", "Aarts"), Kind.MOMENT_DUE)
    moved_trajectory = a_trajectory(team, caseworker, "Mo", "Verhuisd")
    moved = notify(moved_trajectory, Kind.NO_CONTACT)
    client = moved_trajectory.client
    client.team = other_team
    client.save()

    for show in ("unread", "all"):
        response = caseworker_client.get(INBOX, {"show": show})
        assert items(response) == [stays.pk]
        assert "Mo Verhuisd" not in response.content.decode()
    assert badge(response) == 1
    for url in (read_url(moved), open_url(moved)):
        assert caseworker_client.post(url).status_code == 404
    caseworker_client.post(reverse("followup:inbox-read-all"))
    moved.refresh_from_db()
    assert moved.read_at is None
