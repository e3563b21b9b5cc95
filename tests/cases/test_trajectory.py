"""A trajectory's lifecycle: status changes, closing, a new trajectory, handovers."""

import datetime

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.handover import hand_over_caseload
from cases.locking import ConflictError
from cases.models import TimelineEvent, Trajectory
from followup.models import FollowUpMoment
from lifedomains.domains import Regie
from tests.factories import ClientFactory, TrajectoryFactory, UserFactory, days
from tests.pages import page_form

pytestmark = pytest.mark.django_db

S = Trajectory.Status
R = Trajectory.EndReason


def message_levels(response) -> list[int]:
    return [message.level for message in get_messages(response.wsgi_request)]


def timeline(trajectory, kind):
    return TimelineEvent.objects.filter(trajectory=trajectory, kind=kind)


def make_trajectory(caseworker, *traits, **kwargs):
    kwargs.setdefault("client", ClientFactory(team=caseworker.team))
    return TrajectoryFactory(caseworker=caseworker, **dict.fromkeys(traits, True), **kwargs)


# --- Status changes ------------------------------------------------------------------------


def transition(browser, trajectory, to, on):
    url = reverse("cases:trajectory-transition", args=[trajectory.pk])
    return browser.post(url, {"to": to, "on": on.isoformat() if on else ""})


def test_registered_to_detention_records_the_start_and_a_status_line(caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker, "registered")

    response = transition(caseworker_client, trajectory, S.DETENTION, days(-2))

    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("cases:client-detail", args=[trajectory.client.pk])
    )
    trajectory.refresh_from_db()
    assert trajectory.status == S.DETENTION
    assert trajectory.detention_start == days(-2)
    assert timeline(trajectory, TimelineEvent.Kind.STATUS).count() == 1
    assert messages.ERROR not in message_levels(response)


def test_detention_to_aftercare_records_the_release_and_a_status_line(
    caseworker_client, caseworker
):
    trajectory = make_trajectory(caseworker)

    response = transition(caseworker_client, trajectory, S.AFTERCARE, days(-1))

    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == S.AFTERCARE
    assert trajectory.actual_release == days(-1)
    assert trajectory.version == 2
    assert timeline(trajectory, TimelineEvent.Kind.STATUS).count() == 1


def test_aftercare_back_to_detention_is_refused(caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker, "released")
    before = trajectory.detention_start

    response = transition(caseworker_client, trajectory, S.DETENTION, days(-1))

    assert response.status_code == 302
    assert messages.ERROR in message_levels(response)
    trajectory.refresh_from_db()
    assert trajectory.status == S.AFTERCARE
    assert trajectory.detention_start == before
    assert trajectory.version == 1
    assert not timeline(trajectory, TimelineEvent.Kind.STATUS).exists()


def test_release_before_the_start_of_detention_is_refused(caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker, detention_start=days(-10))

    response = transition(caseworker_client, trajectory, S.AFTERCARE, days(-20))

    assert messages.ERROR in message_levels(response)
    trajectory.refresh_from_db()
    assert trajectory.status == S.DETENTION
    assert trajectory.actual_release is None
    assert not timeline(trajectory, TimelineEvent.Kind.STATUS).exists()


@pytest.mark.parametrize("to", [S.DETENTION, S.AFTERCARE])
def test_a_status_change_in_the_future_is_refused(caseworker_client, caseworker, to):
    trajectory = make_trajectory(caseworker, "registered")

    response = transition(caseworker_client, trajectory, to, days(1))

    assert messages.ERROR in message_levels(response)
    trajectory.refresh_from_db()
    assert trajectory.status == S.REGISTERED
    assert trajectory.detention_start is None
    assert trajectory.actual_release is None


@pytest.mark.parametrize(
    "data",
    [
        {"to": S.CLOSED, "on": "2024-01-01"},
        {"to": "nonsense", "on": "2024-01-01"},
        {"to": S.AFTERCARE, "on": "2023-02-30"},
        {"to": S.AFTERCARE, "on": ""},
        {},
    ],
)
def test_a_bad_status_change_is_refused_with_a_message(caseworker_client, caseworker, data):
    trajectory = make_trajectory(caseworker)
    url = reverse("cases:trajectory-transition", args=[trajectory.pk])

    response = caseworker_client.post(url, data)

    assert response.status_code == 302
    assert messages.ERROR in message_levels(response)
    trajectory.refresh_from_db()
    assert trajectory.status == S.DETENTION


def test_start_of_detention_after_the_expected_release_is_refused_not_a_500(
    caseworker_client, caseworker
):
    # Registered with an expected release already on file (e.g. from the court).
    trajectory = make_trajectory(caseworker, "registered", expected_release=days(-10))

    response = transition(caseworker_client, trajectory, S.DETENTION, days(-2))

    assert response.status_code == 302
    assert messages.ERROR in message_levels(response)
    trajectory.refresh_from_db()
    assert trajectory.status == S.REGISTERED


def test_other_team_gets_404_on_a_status_change(other_caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker)
    response = transition(other_caseworker_client, trajectory, S.AFTERCARE, days(-1))
    assert response.status_code == 404
    trajectory.refresh_from_db()
    assert trajectory.status == S.DETENTION


def test_a_status_change_needs_post(caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker)
    url = reverse("cases:trajectory-transition", args=[trajectory.pk])
    assert caseworker_client.get(url).status_code == 405


STATE_TRAITS = {
    S.REGISTERED: ("registered",),
    S.DETENTION: (),
    S.AFTERCARE: ("released",),
    S.CLOSED: ("closed",),
}


def change(trajectory, to, by):
    if to == S.DETENTION:
        trajectory.start_detention(on=days(-1), by=by)
    elif to == S.AFTERCARE:
        trajectory.release(on=days(-1), by=by)
    else:
        trajectory.close(on=timezone.localdate(), reason=R.COMPLETED, by=by)


@pytest.mark.parametrize("start", list(STATE_TRAITS))
@pytest.mark.parametrize("to", [S.DETENTION, S.AFTERCARE, S.CLOSED])
def test_model_methods_follow_the_transitions_table(caseworker, start, to):
    trajectory = make_trajectory(caseworker, *STATE_TRAITS[start])
    allowed = to in Trajectory.TRANSITIONS[start]
    assert trajectory.can_transition_to(to) is allowed

    if allowed:
        change(trajectory, to, caseworker)
        trajectory.refresh_from_db()
        assert trajectory.status == to
        assert timeline(trajectory, TimelineEvent.Kind.STATUS).count() == 1
    else:
        with pytest.raises(ValidationError):
            change(trajectory, to, caseworker)
        trajectory.refresh_from_db()
        assert trajectory.status == start
        assert not timeline(trajectory, TimelineEvent.Kind.STATUS).exists()


def test_a_closed_trajectory_can_go_nowhere():
    assert Trajectory.TRANSITIONS[S.CLOSED] == ()
    assert all(
        S.CLOSED in targets
        for status, targets in Trajectory.TRANSITIONS.items()
        if status != S.CLOSED
    )


# --- Closing -------------------------------------------------------------------------------


def close(browser, trajectory, **data):
    return browser.post(reverse("cases:trajectory-close", args=[trajectory.pk]), data)


def close_data(**overrides):
    data = {
        "ended_on": timezone.localdate().isoformat(),
        "end_reason": R.COMPLETED,
        "end_note": "Woont zelfstandig, werkt bij een hovenier.",
    }
    data.update(overrides)
    return data


def assert_still_open(trajectory, status=S.AFTERCARE):
    trajectory.refresh_from_db()
    assert trajectory.status == status
    assert trajectory.ended_on is None
    assert trajectory.end_reason == ""


def test_a_valid_close_sets_status_end_date_reason_and_a_timeline_line(
    caseworker_client, caseworker
):
    trajectory = make_trajectory(caseworker, "released")

    response = close(caseworker_client, trajectory, **close_data(ended_on=days(-1).isoformat()))

    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == S.CLOSED
    assert trajectory.ended_on == days(-1)
    assert trajectory.end_reason == R.COMPLETED
    assert trajectory.end_note == "Woont zelfstandig, werkt bij een hovenier."
    event = timeline(trajectory, TimelineEvent.Kind.STATUS).get()
    assert event.text == "Woont zelfstandig, werkt bij een hovenier."


def test_closing_requires_a_reason(caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker, "released")
    response = close(caseworker_client, trajectory, **close_data(end_reason=""))
    assert response.status_code == 200
    assert page_form(response).has_error("end_reason", code="required")
    assert_still_open(trajectory)


def test_closing_with_an_unknown_reason_is_refused(caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker, "released")
    response = close(caseworker_client, trajectory, **close_data(end_reason="vanished"))
    assert page_form(response).has_error("end_reason", code="invalid_choice")
    assert_still_open(trajectory)


@pytest.mark.parametrize("reason", [R.STOPPED_BY_CLIENT, R.OTHER])
@pytest.mark.parametrize("note", ["", "   "])
def test_some_reasons_require_a_note(caseworker_client, caseworker, reason, note):
    trajectory = make_trajectory(caseworker, "released")
    response = close(caseworker_client, trajectory, **close_data(end_reason=reason, end_note=note))
    assert response.status_code == 200
    assert page_form(response).has_error("end_note")
    assert_still_open(trajectory)


@pytest.mark.parametrize("reason", [R.STOPPED_BY_CLIENT, R.OTHER])
def test_those_reasons_close_with_a_note(caseworker_client, caseworker, reason):
    trajectory = make_trajectory(caseworker, "released")
    response = close(
        caseworker_client,
        trajectory,
        **close_data(end_reason=reason, end_note="Verhuisd naar familie."),
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == S.CLOSED
    assert trajectory.end_reason == reason


@pytest.mark.parametrize("reason", [R.COMPLETED, R.MOVED, R.DECEASED, R.NEW_DETENTION])
def test_other_reasons_do_not_require_a_note(caseworker_client, caseworker, reason):
    trajectory = make_trajectory(caseworker, "released")
    response = close(caseworker_client, trajectory, **close_data(end_reason=reason, end_note=""))
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == S.CLOSED


def test_end_date_before_the_start_of_guidance_is_refused(caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker, "released", started_on=days(-50))
    response = close(caseworker_client, trajectory, **close_data(ended_on=days(-51).isoformat()))
    assert page_form(response).has_error("ended_on")
    assert_still_open(trajectory)


def test_end_date_in_the_future_is_refused(caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker, "released")
    response = close(caseworker_client, trajectory, **close_data(ended_on=days(1).isoformat()))
    assert page_form(response).has_error("ended_on", code="future")
    assert_still_open(trajectory)


@pytest.mark.parametrize("value", ["2023-02-30", "", "morgen"])
def test_an_impossible_end_date_is_a_form_error(caseworker_client, caseworker, value):
    trajectory = make_trajectory(caseworker, "released")
    response = close(caseworker_client, trajectory, **close_data(ended_on=value))
    assert response.status_code == 200
    assert page_form(response).has_error("ended_on")
    assert_still_open(trajectory)


def test_closing_a_closed_trajectory_changes_nothing(caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker, "closed")
    ended_on = trajectory.ended_on
    response = close(caseworker_client, trajectory, **close_data(end_reason=R.MOVED))
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.end_reason == R.COMPLETED
    assert trajectory.ended_on == ended_on


def test_other_team_gets_404_on_closing(other_caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker, "released")
    assert close(other_caseworker_client, trajectory, **close_data()).status_code == 404
    assert_still_open(trajectory)


# --- A new trajectory after re-detention ------------------------------------------------------


def new_trajectory_data(caseworker, **overrides):
    data = {
        "situation": S.DETENTION,
        "caseworker": caseworker.pk,
        "offences": [Trajectory.Offence.BURGLARY],
        "penitentiary_institution": "PI Krimpen",
        "detention_start": days(-3).isoformat(),
        "expected_release": days(90).isoformat(),
        "actual_release": "",
        "started_on": timezone.localdate().isoformat(),
        "regie": Regie.CASE,
        "age_exception_reason": "",
    }
    data.update(overrides)
    return data


def test_a_new_trajectory_closes_the_open_one_with_new_detention(caseworker_client, caseworker):
    old = make_trajectory(caseworker, "released")
    client = old.client
    url = reverse("cases:trajectory-create", args=[client.pk])

    response = caseworker_client.post(url, new_trajectory_data(caseworker))

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == S.CLOSED
    assert old.end_reason == R.NEW_DETENTION
    assert old.ended_on == timezone.localdate()
    new = client.trajectories.open().get()
    assert new.pk != old.pk
    assert new.status == S.DETENTION
    assert new.detention_start == days(-3)
    assert new.offences == [Trajectory.Offence.BURGLARY]
    assert client.trajectories.count() == 2
    assert timeline(old, TimelineEvent.Kind.STATUS).count() == 1
    assert timeline(new, TimelineEvent.Kind.STATUS).count() == 1


def test_a_new_trajectory_for_a_client_without_an_open_one_just_starts(
    caseworker_client, caseworker
):
    old = make_trajectory(caseworker, "closed")
    url = reverse("cases:trajectory-create", args=[old.client.pk])

    response = caseworker_client.post(url, new_trajectory_data(caseworker))

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.end_reason == R.COMPLETED
    assert old.client.trajectories.open().count() == 1


def test_an_invalid_new_trajectory_leaves_the_open_one_alone(caseworker_client, caseworker):
    old = make_trajectory(caseworker, "released")
    url = reverse("cases:trajectory-create", args=[old.client.pk])

    response = caseworker_client.post(url, new_trajectory_data(caseworker, detention_start=""))

    assert response.status_code == 200
    assert page_form(response).has_error("detention_start")
    assert_still_open(old)
    assert old.client.trajectories.count() == 1


def test_other_team_gets_404_on_a_new_trajectory(other_caseworker_client, caseworker):
    old = make_trajectory(caseworker, "released")
    url = reverse("cases:trajectory-create", args=[old.client.pk])
    assert other_caseworker_client.post(url, new_trajectory_data(caseworker)).status_code == 404
    assert_still_open(old)


def test_the_database_allows_only_one_open_trajectory_per_client(caseworker):
    old = make_trajectory(caseworker, "released")
    with (
        pytest.raises(IntegrityError, match="trajectory_one_open_per_client"),
        transaction.atomic(),
    ):
        TrajectoryFactory(client=old.client, caseworker=caseworker)
    TrajectoryFactory(client=old.client, caseworker=caseworker, closed=True)
    assert old.client.trajectories.open().count() == 1


# --- Handover of one trajectory ------------------------------------------------------------------


def hand_over(browser, trajectory, **data):
    return browser.post(reverse("cases:trajectory-handover", args=[trajectory.pk]), data)


def test_handover_moves_the_caseworker_and_writes_the_note_on_the_timeline(
    caseworker_client, caseworker, colleague
):
    trajectory = make_trajectory(caseworker)
    note = "Afspraak met de PI op dinsdag; <script>alert(1)</script> en schuldhulp loopt."

    response = hand_over(caseworker_client, trajectory, to=colleague.pk, note=note)

    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.caseworker == colleague
    event = timeline(trajectory, TimelineEvent.Kind.HANDOVER).get()
    assert event.text == note
    assert event.by == caseworker


def test_handover_requires_a_note(caseworker_client, caseworker, colleague):
    trajectory = make_trajectory(caseworker)
    response = hand_over(caseworker_client, trajectory, to=colleague.pk, note="")
    assert response.status_code == 200
    assert page_form(response).has_error("note", code="required")
    trajectory.refresh_from_db()
    assert trajectory.caseworker == caseworker
    assert not timeline(trajectory, TimelineEvent.Kind.HANDOVER).exists()


def test_handover_to_a_caseworker_of_another_team_is_a_form_error(
    caseworker_client, caseworker, other_caseworker
):
    trajectory = make_trajectory(caseworker)
    response = hand_over(caseworker_client, trajectory, to=other_caseworker.pk, note="Over.")
    assert response.status_code == 200
    assert page_form(response).has_error("to", code="invalid_choice")
    trajectory.refresh_from_db()
    assert trajectory.caseworker == caseworker


def test_handover_to_the_current_caseworker_is_a_form_error(caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker)
    response = hand_over(caseworker_client, trajectory, to=caseworker.pk, note="Over.")
    assert page_form(response).has_error("to")
    assert not timeline(trajectory, TimelineEvent.Kind.HANDOVER).exists()


def test_handover_to_a_manager_is_a_form_error(caseworker_client, caseworker, manager):
    trajectory = make_trajectory(caseworker)
    response = hand_over(caseworker_client, trajectory, to=manager.pk, note="Over.")
    assert page_form(response).has_error("to")
    trajectory.refresh_from_db()
    assert trajectory.caseworker == caseworker


def test_the_model_refuses_a_handover_to_another_team(caseworker, other_caseworker):
    trajectory = make_trajectory(caseworker)
    with pytest.raises(ValidationError):
        trajectory.hand_over(to=other_caseworker, by=caseworker, note="Over.")
    trajectory.refresh_from_db()
    assert trajectory.caseworker == caseworker


def test_other_team_gets_404_on_a_handover(other_caseworker_client, caseworker, other_caseworker):
    trajectory = make_trajectory(caseworker)
    response = hand_over(other_caseworker_client, trajectory, to=other_caseworker.pk, note="x")
    assert response.status_code == 404
    trajectory.refresh_from_db()
    assert trajectory.caseworker == caseworker


# --- Handover of a caseload ----------------------------------------------------------------------

CASELOAD = reverse("cases:caseload-handover")


def test_caseload_handover_moves_every_open_trajectory_and_shows_a_summary(
    caseworker_client, caseworker, colleague, team
):
    in_detention = make_trajectory(caseworker, client=ClientFactory(team=team, last_name="Aydin"))
    in_aftercare = make_trajectory(
        caseworker, "released", client=ClientFactory(team=team, last_name="Bos")
    )
    closed = make_trajectory(
        caseworker, "closed", client=ClientFactory(team=team, last_name="Claes")
    )
    someone_elses = make_trajectory(colleague, client=ClientFactory(team=team, last_name="Dekker"))
    note = "Ik ga met verlof; alle afspraken staan in de agenda."

    response = caseworker_client.post(
        CASELOAD, {"source": caseworker.pk, "to": colleague.pk, "note": note}
    )

    assert response.status_code == 200
    assert {t.pk for t in response.context["moved"]} == {in_detention.pk, in_aftercare.pk}
    content = response.content.decode()
    assert in_detention.client.full_name in content
    assert in_aftercare.client.full_name in content
    assert closed.client.full_name not in content
    assert someone_elses.client.full_name not in content
    for trajectory in (in_detention, in_aftercare):
        trajectory.refresh_from_db()
        assert trajectory.caseworker == colleague
        assert timeline(trajectory, TimelineEvent.Kind.HANDOVER).get().text == note
    closed.refresh_from_db()
    assert closed.caseworker == caseworker
    assert not timeline(closed, TimelineEvent.Kind.HANDOVER).exists()
    assert not timeline(someone_elses, TimelineEvent.Kind.HANDOVER).exists()


def test_caseload_handover_requires_a_note(caseworker_client, caseworker, colleague):
    trajectory = make_trajectory(caseworker)
    response = caseworker_client.post(CASELOAD, {"source": caseworker.pk, "to": colleague.pk})
    assert response.status_code == 200
    assert page_form(response).has_error("note", code="required")
    trajectory.refresh_from_db()
    assert trajectory.caseworker == caseworker


def test_caseload_handover_to_the_same_caseworker_is_a_form_error(caseworker_client, caseworker):
    make_trajectory(caseworker)
    response = caseworker_client.post(
        CASELOAD, {"source": caseworker.pk, "to": caseworker.pk, "note": "Over."}
    )
    assert page_form(response).has_error("to")
    assert not TimelineEvent.objects.filter(kind=TimelineEvent.Kind.HANDOVER).exists()


def test_caseload_handover_cannot_take_or_give_to_another_team(
    caseworker_client, caseworker, other_caseworker, colleague
):
    theirs = TrajectoryFactory(caseworker=other_caseworker, client__team=other_caseworker.team)
    response = caseworker_client.post(
        CASELOAD, {"source": other_caseworker.pk, "to": colleague.pk, "note": "Over."}
    )
    assert page_form(response).has_error("source", code="invalid_choice")
    response = caseworker_client.post(
        CASELOAD, {"source": caseworker.pk, "to": other_caseworker.pk, "note": "Over."}
    )
    assert page_form(response).has_error("to", code="invalid_choice")
    theirs.refresh_from_db()
    assert theirs.caseworker == other_caseworker


# --- Who may hand over whose caseload ---------------------------------------------------------


def moved_anything() -> bool:
    return TimelineEvent.objects.filter(kind=TimelineEvent.Kind.HANDOVER).exists()


def test_the_team_coordinator_hands_over_a_colleagues_caseload(
    coordinator_client, caseworker, colleague
):
    theirs = make_trajectory(colleague)

    response = coordinator_client.post(
        CASELOAD, {"source": colleague.pk, "to": caseworker.pk, "note": "Cor is met verlof."}
    )

    assert response.status_code == 200
    assert [t.pk for t in response.context["moved"]] == [theirs.pk]
    theirs.refresh_from_db()
    assert theirs.caseworker == caseworker


def test_the_team_coordinator_hands_over_the_caseload_of_a_deactivated_colleague(
    coordinator_client, team, caseworker
):
    gone = UserFactory(username="rio1-weg", last_name="Vertrokken", team=team, is_active=False)
    left_behind = make_trajectory(gone)

    page = coordinator_client.get(CASELOAD)
    response = coordinator_client.post(
        CASELOAD, {"source": gone.pk, "to": caseworker.pk, "note": "Uit dienst."}
    )

    assert escape(f"{gone} (niet actief)") in page.content.decode()
    assert response.status_code == 200
    left_behind.refresh_from_db()
    assert left_behind.caseworker == caseworker


def test_a_caseworker_is_offered_only_their_own_caseload_to_hand_over(
    caseworker_client, caseworker, colleague
):
    response = caseworker_client.get(CASELOAD)

    source = page_form(response)["source"]
    content = str(source)
    assert f'value="{caseworker.pk}"' in content
    assert f'value="{colleague.pk}"' not in content
    assert "Alleen de teamcoördinator" in response.content.decode()
    assert "Mijn caseload overdragen" in response.content.decode()


def test_a_caseworker_cannot_hand_over_a_colleagues_caseload(
    caseworker_client, caseworker, colleague
):
    theirs = make_trajectory(colleague)

    response = caseworker_client.post(
        CASELOAD, {"source": colleague.pk, "to": caseworker.pk, "note": "Geef maar aan mij."}
    )

    assert response.status_code == 200
    form = page_form(response)
    assert form.has_error("source", code="not_own_caseload")
    assert "U kunt alleen uw eigen caseload overdragen" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.caseworker == colleague
    assert not moved_anything()


def test_a_coordinator_of_another_team_cannot_hand_over_this_teams_caseload(
    client, other_team, caseworker, colleague
):
    client.force_login(UserFactory(username="rio2k", team=other_team, coordinator=True))
    mine = make_trajectory(caseworker)

    response = client.post(CASELOAD, {"source": caseworker.pk, "to": colleague.pk, "note": "Over."})

    # Not one of their team: the same answer as for a caseworker who does not exist.
    assert page_form(response).has_error("source", code="invalid_choice")
    mine.refresh_from_db()
    assert mine.caseworker == caseworker
    assert not moved_anything()


def test_the_caseload_page_names_the_coordinators_link_for_any_caseload(coordinator_client):
    content = coordinator_client.get(reverse("cases:caseload")).content.decode()
    assert "Caseload overdragen" in content
    assert "Mijn caseload overdragen" not in content


def test_the_workflow_refuses_a_colleagues_caseload_without_the_coordinator(
    caseworker, colleague, coordinator
):
    theirs = make_trajectory(colleague)

    with pytest.raises(PermissionDenied):
        hand_over_caseload(source=colleague, to=caseworker, by=caseworker, note="Over.")

    theirs.refresh_from_db()
    assert theirs.caseworker == colleague
    assert not moved_anything()
    assert hand_over_caseload(source=colleague, to=caseworker, by=coordinator, note="Over.") == [
        theirs
    ]


# --- Editing the facts ----------------------------------------------------------------------------


def edit(browser, trajectory, **overrides):
    data = {
        "caseworker": trajectory.caseworker_id,
        "offences": trajectory.offences,
        "penitentiary_institution": trajectory.penitentiary_institution,
        "detention_start": trajectory.detention_start.isoformat()
        if trajectory.detention_start
        else "",
        "expected_release": trajectory.expected_release.isoformat()
        if trajectory.expected_release
        else "",
        "actual_release": trajectory.actual_release.isoformat()
        if trajectory.actual_release
        else "",
        "started_on": trajectory.started_on.isoformat(),
        "regie": trajectory.regie,
        "age_exception_reason": trajectory.age_exception_reason,
        "version": trajectory.version,
    }
    data.update(overrides)
    return browser.post(reverse("cases:trajectory-update", args=[trajectory.pk]), data)


def test_editing_the_facts_saves_them(caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker)
    response = edit(caseworker_client, trajectory, penitentiary_institution="PI Zaanstad")
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.penitentiary_institution == "PI Zaanstad"
    assert trajectory.status == S.DETENTION


def test_editing_cannot_record_a_release_while_in_detention(caseworker_client, caseworker):
    trajectory = make_trajectory(caseworker)
    response = edit(caseworker_client, trajectory, actual_release=days(-1).isoformat())
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.actual_release is None
    assert trajectory.status == S.DETENTION


def test_editing_the_expected_release_before_the_detention_is_a_form_error(
    caseworker_client, caseworker
):
    trajectory = make_trajectory(caseworker)
    before = trajectory.detention_start - datetime.timedelta(days=1)
    response = edit(caseworker_client, trajectory, expected_release=before.isoformat())
    assert response.status_code == 200
    assert page_form(response).has_error("expected_release")


def test_clearing_the_release_date_in_aftercare_is_a_form_error_not_a_500(
    caseworker_client, caseworker
):
    trajectory = make_trajectory(caseworker, "released")
    released = trajectory.actual_release

    response = edit(caseworker_client, trajectory, actual_release="")

    assert response.status_code == 200
    assert page_form(response).has_error("actual_release")
    trajectory.refresh_from_db()
    assert trajectory.actual_release == released


def test_moving_the_start_of_guidance_after_the_end_date_is_a_form_error_not_a_500(
    caseworker_client, caseworker
):
    trajectory = make_trajectory(caseworker, "closed", started_on=days(-100))

    response = edit(caseworker_client, trajectory, started_on=timezone.localdate().isoformat())

    assert response.status_code == 200
    assert page_form(response).has_error("started_on")
    trajectory.refresh_from_db()
    assert trajectory.started_on == days(-100)


# --- Trajectory.update_facts: the one way a trajectory's facts change -------------------------


def test_update_facts_saves_the_facts_and_keeps_the_follow_up_current(caseworker):
    trajectory = TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker)

    trajectory.update_facts(expected_release=days(40), by=caseworker)

    trajectory.refresh_from_db()
    assert trajectory.expected_release == days(40)
    release_day = FollowUpMoment.objects.get(
        trajectory=trajectory, kind=FollowUpMoment.Kind.RELEASE_DAY
    )
    assert release_day.planned_on == days(40)


def test_update_facts_refuses_what_is_not_a_fact(caseworker):
    trajectory = TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker)

    with pytest.raises(TypeError, match="caseworker"):
        trajectory.update_facts(caseworker=caseworker, by=caseworker)


def test_update_facts_on_a_stale_version_is_a_conflict_and_saves_nothing(caseworker):
    trajectory = TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker)
    stale = Trajectory.objects.get(pk=trajectory.pk)
    trajectory.update_facts(penitentiary_institution="PI Vught", by=caseworker)

    with pytest.raises(ConflictError):
        stale.update_facts(penitentiary_institution="PI Zwolle", by=caseworker)

    trajectory.refresh_from_db()
    assert trajectory.penitentiary_institution == "PI Vught"
