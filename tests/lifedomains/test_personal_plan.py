"""“Mijn plan”: the easy-read page, its PDF, and the appointment form behind it."""

import datetime
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import AccessLogEntry
from cases.models import Trajectory
from lifedomains.domains import Level
from lifedomains.models import Action, Assessment, DomainScore, Goal, PersonalPlan
from tests.factories import ClientFactory, NetworkMemberFactory, TrajectoryFactory, days
from tests.pages import page_form

pytestmark = pytest.mark.django_db

BSN = "123456782"
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
# Session, user, MFA check, trajectory, goals, their actions, the personal plan,
# the network, the access log insert, the user's team, the inbox's unread count and
# the session save (3).
QUERIES = 14


def url(name: str, trajectory: Trajectory) -> str:
    return reverse(f"lifedomains:{name}", args=[trajectory.pk])


def in_a_week_at(hour: int, minute: int) -> datetime.datetime:
    local = timezone.localtime() + datetime.timedelta(days=7)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def plan_body(response) -> str:
    """The easy-read part of the page, without the app's header and footer."""
    html = response.content.decode()
    return html[html.index('class="rio-plan-doc"') : html.index("</main>")]


def goal_sections(response) -> list[str]:
    """The HTML of each goal block, in page order."""
    blocks = plan_body(response).split('<section class="rio-plan-goal"')[1:]
    return [block[: block.index("</section>")] for block in blocks]


def action_lists(section: str) -> dict[str, str]:
    """The goal's action lists by owner modifier: client, caseworker, others."""
    return dict(re.findall(r'rio-plan-goal__actions--(\w+)">(.*?)</ul>', section, flags=re.DOTALL))


def pdf_text(pdf: bytes) -> bytes:
    """The PDF with every compressed stream inflated, to search its structure."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.fixture
def trajectory(team, caseworker):
    return TrajectoryFactory(
        client=ClientFactory(team=team, first_name="Jayden", last_name="Verhoef", with_bsn=True),
        caseworker=caseworker,
        penitentiary_institution="PI Dordrecht",
        expected_release=days(40),
        offences=[Trajectory.Offence.STREET_ROBBERY, Trajectory.Offence.BURGLARY],
    )


@pytest.fixture
def housing_goal(trajectory):
    goal = Goal.objects.create(
        trajectory=trajectory, domain="housing", text="Ik wil een eigen kamer"
    )
    Action.objects.create(
        goal=goal, description="Inschrijven bij Woonkeus", owner="client", due_date=days(10)
    )
    Action.objects.create(
        goal=goal, description="Bellen met de woningcorporatie", owner="caseworker"
    )
    Action.objects.create(
        goal=goal,
        description="Helpen met de verhuizing",
        owner="network",
        owner_name="Oom Ricardo",
    )
    Action.objects.create(
        goal=goal, description="Formulier al ingevuld", owner="client", done_on=days(-2)
    )
    return goal


@pytest.fixture
def full_plan(trajectory, caseworker, housing_goal):
    client = trajectory.client
    Goal.objects.create(trajectory=trajectory, domain="work", text="Ik wil een baan in de bouw")
    Goal.objects.create(
        trajectory=trajectory, domain="admin", text="Een ID-kaart", status="achieved"
    )
    Goal.objects.create(trajectory=trajectory, domain="care", text="Gestopt doel", status="stopped")
    PersonalPlan.objects.create(
        trajectory=trajectory,
        next_appointment=in_a_week_at(14, 30),
        appointment_place="Stadskantoor, Spuiboulevard 300",
        message="Goed bezig! Neem je ID-kaart mee.",
    )
    NetworkMemberFactory(
        client=client, name="Oma Truus", relation="oma", influence="supportive", phone="0612345678"
    )
    NetworkMemberFactory(
        client=client, name="Tante Zonder", relation="tante", influence="supportive", phone=""
    )
    NetworkMemberFactory(
        client=client, name="Neef Kevin", relation="neef", influence="risk", phone="0687654321"
    )
    NetworkMemberFactory(
        client=client, name="Buurman Piet", relation="buurman", influence="neutral", phone="06111"
    )
    assessment = Assessment.objects.create(
        trajectory=trajectory, moment="t0", date=days(-20), note="Notitie bij de meting"
    )
    DomainScore.objects.create(
        assessment=assessment, domain="housing", score=1, wish="Wens uit de meting"
    )
    return trajectory


# --- The page ---------------------------------------------------------------------


def test_page_shows_open_goals_with_actions_split_by_owner(caseworker_client, full_plan):
    response = caseworker_client.get(url("personal-plan", full_plan))

    assert response.status_code == 200
    body = plan_body(response)
    assert "Jayden" in body
    assert "Ik wil een eigen kamer" in body
    assert "Ik wil een baan in de bouw" in body
    assert "Gestopt doel" not in body
    housing, work = goal_sections(response)  # in domain order: housing before work
    lists = action_lists(housing)
    assert "Inschrijven bij Woonkeus" in lists["client"]
    assert "Bellen met de woningcorporatie" in lists["caseworker"]
    assert "Oom Ricardo" in lists["others"]
    assert "Helpen met de verhuizing" in lists["others"]
    assert "Formulier al ingevuld" not in body  # done actions are left out
    assert "Ik wil een baan in de bouw" in work
    assert action_lists(work) == {}


def test_page_shows_the_due_date_in_words(caseworker_client, full_plan):
    response = caseworker_client.get(url("personal-plan", full_plan))

    (housing, _work) = goal_sections(response)
    assert date_format(days(10), "j F") in action_lists(housing)["client"]


def test_achieved_goals_are_listed_apart(caseworker_client, full_plan):
    response = caseworker_client.get(url("personal-plan", full_plan))

    assert [block["goal"].text for block in response.context["achieved_goals"]] == ["Een ID-kaart"]
    assert "Een ID-kaart" in plan_body(response)
    assert all("Een ID-kaart" not in section for section in goal_sections(response))


def test_page_shows_the_next_appointment_and_the_message(caseworker_client, full_plan):
    appointment = full_plan.personal_plan.next_appointment

    body = plan_body(caseworker_client.get(url("personal-plan", full_plan)))

    assert date_format(timezone.localtime(appointment), "j F") in body
    assert "14:30" in body
    assert "Stadskantoor, Spuiboulevard 300" in body
    assert "Goed bezig! Neem je ID-kaart mee." in body


def test_page_without_a_personal_plan_says_there_is_no_appointment(
    caseworker_client, trajectory, housing_goal
):
    response = caseworker_client.get(url("personal-plan", trajectory))

    assert response.status_code == 200
    assert response.context["plan"] is None
    assert response.context["appointment"] is None
    assert 'id="plan-message"' not in plan_body(response)


def test_an_appointment_that_has_passed_is_not_shown(caseworker_client, trajectory):
    passed = timezone.now() - datetime.timedelta(days=1)
    PersonalPlan.objects.create(
        trajectory=trajectory, next_appointment=passed, appointment_place="Oude plek"
    )

    response = caseworker_client.get(url("personal-plan", trajectory))

    assert response.context["appointment"] is None
    assert "Oude plek" not in plan_body(response)


def test_page_shows_the_rio_and_supportive_people_with_a_phone(
    caseworker_client, caseworker, full_plan
):
    body = plan_body(caseworker_client.get(url("personal-plan", full_plan)))

    assert caseworker.get_full_name() in body
    assert "Oma Truus" in body
    assert "0612345678" in body
    assert 'href="tel:0612345678"' in body
    assert "Tante Zonder" not in body  # no phone number to call


def test_page_never_shows_risk_or_neutral_network_members(caseworker_client, full_plan):
    content = caseworker_client.get(url("personal-plan", full_plan)).content.decode()

    assert "Neef Kevin" not in content
    assert "0687654321" not in content
    assert "Buurman Piet" not in content


def test_page_never_shows_scores_offences_bsn_or_the_institution(caseworker_client, full_plan):
    client = full_plan.client

    content = caseworker_client.get(url("personal-plan", full_plan)).content.decode()

    assert BSN not in content
    assert client.masked_bsn not in content
    assert "PI Dordrecht" not in content
    for label in full_plan.offence_labels():
        assert label not in content
    for code in full_plan.offences:
        assert str(Trajectory.Offence(code).label) not in content
    assert str(Level.ACUTE.label) not in content
    assert "Notitie bij de meting" not in content
    assert "Wens uit de meting" not in content
    assert full_plan.expected_release.strftime("%d-%m-%Y") not in content
    assert date_format(full_plan.expected_release, "j F") not in content


def test_free_text_is_escaped(caseworker_client, trajectory):
    goal = Goal.objects.create(trajectory=trajectory, domain="care", text=SCRIPT)
    Action.objects.create(goal=goal, description=SCRIPT, owner="partner", owner_name=SCRIPT)
    PersonalPlan.objects.create(
        trajectory=trajectory,
        next_appointment=in_a_week_at(10, 0),
        appointment_place=SCRIPT,
        message=SCRIPT,
    )
    NetworkMemberFactory(client=trajectory.client, name=SCRIPT, relation=SCRIPT, phone="06<b>1</b>")

    content = caseworker_client.get(url("personal-plan", trajectory)).content.decode()

    assert SCRIPT not in content
    assert "<b>1</b>" not in content
    assert content.count(ESCAPED) >= 7


def test_page_links_to_the_pdf_the_form_and_the_dossier(caseworker_client, trajectory):
    content = caseworker_client.get(url("personal-plan", trajectory)).content.decode()

    assert f'href="{url("personal-plan-pdf", trajectory)}"' in content
    assert f'href="{url("personal-plan-update", trajectory)}"' in content
    assert reverse("cases:client-detail", args=[trajectory.client.pk]) in content


def test_page_icons_are_inline_and_hidden_from_screen_readers(caseworker_client, full_plan):
    body = plan_body(caseworker_client.get(url("personal-plan", full_plan)))

    icons = re.findall(r"<svg[^>]*>", body)
    assert len(icons) == 2  # one per open goal
    assert all('aria-hidden="true"' in icon for icon in icons)
    assert "style=" not in body  # the CSP allows no inline style


def test_page_query_count_does_not_grow_with_the_plan(
    caseworker_client, full_plan, django_assert_num_queries
):
    with django_assert_num_queries(QUERIES):
        caseworker_client.get(url("personal-plan", full_plan))
    goal = Goal.objects.create(trajectory=full_plan, domain="finances", text="Schulden op een rij")
    Action.objects.create(goal=goal, description="Brieven meenemen", owner="client")
    NetworkMemberFactory(client=full_plan.client, phone="0600000000")

    with django_assert_num_queries(QUERIES):
        caseworker_client.get(url("personal-plan", full_plan))


def test_viewing_the_page_is_logged(caseworker_client, caseworker, trajectory):
    caseworker_client.get(url("personal-plan", trajectory))

    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.what, entry.client_ref) == (
        caseworker,
        "view",
        "personal plan",
        trajectory.client.pk,
    )


# --- The PDF -----------------------------------------------------------------------


def test_pdf_is_a_tagged_pdf_download(caseworker_client, full_plan):
    response = caseworker_client.get(url("personal-plan-pdf", full_plan))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="mijn-plan.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    structure = pdf_text(pdf)
    assert b"/StructTreeRoot" in structure
    assert b"/MarkInfo" in structure
    assert b"pdfuaid" in structure  # declares PDF/UA conformance in its metadata


def test_pdf_download_is_logged(caseworker_client, caseworker, trajectory):
    caseworker_client.get(url("personal-plan-pdf", trajectory))

    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.what, entry.client_ref) == (
        caseworker,
        "download",
        "personal plan pdf",
        trajectory.client.pk,
    )


# --- Who may open it -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["personal-plan", "personal-plan-pdf", "personal-plan-update"])
def test_other_team_gets_404(other_caseworker_client, trajectory, name):
    assert other_caseworker_client.get(url(name, trajectory)).status_code == 404


@pytest.mark.parametrize("name", ["personal-plan", "personal-plan-pdf", "personal-plan-update"])
def test_manager_gets_404(manager_client, trajectory, name):
    assert manager_client.get(url(name, trajectory)).status_code == 404


def test_other_team_cannot_create_a_personal_plan(other_caseworker_client, trajectory):
    response = other_caseworker_client.post(
        url("personal-plan-update", trajectory), {"appointment_place": "Ergens"}
    )

    assert response.status_code == 404
    assert not PersonalPlan.objects.exists()


def test_pdf_refuses_post(caseworker_client, trajectory):
    assert caseworker_client.post(url("personal-plan-pdf", trajectory)).status_code == 405


# --- The appointment and message form -----------------------------------------------------


def test_form_page_does_not_create_a_plan(caseworker_client, trajectory):
    response = caseworker_client.get(url("personal-plan-update", trajectory))

    assert response.status_code == 200
    assert not PersonalPlan.objects.exists()


def test_valid_post_creates_the_personal_plan(caseworker_client, caseworker, trajectory):
    appointment = in_a_week_at(9, 15)

    response = caseworker_client.post(
        url("personal-plan-update", trajectory),
        {
            "next_appointment": appointment.strftime("%Y-%m-%dT%H:%M"),
            "appointment_place": "Bij jou thuis",
            "message": "Tot dan!",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url("personal-plan", trajectory)
    plan = PersonalPlan.objects.get(trajectory=trajectory)
    assert plan.next_appointment == appointment
    assert (plan.appointment_place, plan.message, plan.version) == ("Bij jou thuis", "Tot dan!", 1)
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.what) == (caseworker, "create", "personal plan")


def test_a_past_appointment_is_refused_and_nothing_is_saved(caseworker_client, trajectory):
    yesterday = timezone.localtime() - datetime.timedelta(days=1)

    response = caseworker_client.post(
        url("personal-plan-update", trajectory),
        {"next_appointment": yesterday.strftime("%Y-%m-%dT%H:%M"), "appointment_place": "Hier"},
    )

    assert response.status_code == 200
    assert "next_appointment" in page_form(response).errors
    assert not PersonalPlan.objects.exists()
    # The form is shown again with what was typed: a VIEW line, no change line.
    assert list(AccessLogEntry.objects.values_list("action", flat=True)) == ["view"]


def test_existing_plan_is_updated_with_its_version(caseworker_client, caseworker, trajectory):
    plan = PersonalPlan.objects.create(trajectory=trajectory, message="Oud bericht")
    appointment = in_a_week_at(11, 0)

    response = caseworker_client.post(
        url("personal-plan-update", trajectory),
        {
            "next_appointment": appointment.strftime("%Y-%m-%dT%H:%M"),
            "appointment_place": "Wijkcentrum",
            "message": "Nieuw bericht",
            "version": plan.version,
        },
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.message, plan.appointment_place, plan.version) == (
        "Nieuw bericht",
        "Wijkcentrum",
        2,
    )
    assert plan.next_appointment == appointment
    assert PersonalPlan.objects.count() == 1
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.what) == (caseworker, "update", "personal plan")


def test_existing_plan_refuses_a_past_appointment(caseworker_client, trajectory):
    plan = PersonalPlan.objects.create(trajectory=trajectory, message="Oud bericht")
    yesterday = timezone.localtime() - datetime.timedelta(days=1)

    response = caseworker_client.post(
        url("personal-plan-update", trajectory),
        {
            "next_appointment": yesterday.strftime("%Y-%m-%dT%H:%M"),
            "message": "Nieuw bericht",
            "version": plan.version,
        },
    )

    assert response.status_code == 200
    assert "next_appointment" in page_form(response).errors
    plan.refresh_from_db()
    assert (plan.message, plan.next_appointment, plan.version) == ("Oud bericht", None, 1)


def test_a_passed_appointment_may_stay_while_the_message_changes(caseworker_client, trajectory):
    passed = (timezone.localtime() - datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    plan = PersonalPlan.objects.create(trajectory=trajectory, next_appointment=passed)

    response = caseworker_client.post(
        url("personal-plan-update", trajectory),
        {
            "next_appointment": passed.strftime("%Y-%m-%dT%H:%M"),
            "message": "Alleen het bericht is nieuw",
            "version": plan.version,
        },
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.message == "Alleen het bericht is nieuw"
    assert plan.next_appointment == passed


def test_stale_version_gives_409_and_keeps_the_other_change(caseworker_client, trajectory):
    plan = PersonalPlan.objects.create(trajectory=trajectory, message="Van een collega")
    PersonalPlan.objects.filter(pk=plan.pk).update(version=2)

    response = caseworker_client.post(
        url("personal-plan-update", trajectory),
        {"appointment_place": "Mijn wijziging", "message": "Mijn bericht", "version": 1},
    )

    assert response.status_code == 409
    plan.refresh_from_db()
    assert (plan.message, plan.appointment_place, plan.version) == ("Van een collega", "", 2)
    # The form is shown again with what was typed: a VIEW line, no change line.
    assert list(AccessLogEntry.objects.values_list("action", flat=True)) == ["view"]


def test_free_text_is_escaped_in_the_pdf(caseworker_client, trajectory, monkeypatch):
    """BI-3 in the print view: the HTML the PDF is made from shows script as text."""
    import weasyprint

    from lifedomains import personal_plan

    rendered = []
    real_html = weasyprint.HTML

    def capture(*, string, **kwargs):
        rendered.append(string)
        return real_html(string=string, **kwargs)

    monkeypatch.setattr(personal_plan.weasyprint, "HTML", capture)
    goal = Goal.objects.create(trajectory=trajectory, domain="care", text=SCRIPT)
    Action.objects.create(goal=goal, description=SCRIPT, owner="partner", owner_name=SCRIPT)
    PersonalPlan.objects.create(
        trajectory=trajectory,
        next_appointment=in_a_week_at(10, 0),
        appointment_place=SCRIPT,
        message=SCRIPT,
    )

    response = caseworker_client.get(url("personal-plan-pdf", trajectory))

    assert response.status_code == 200
    (html,) = rendered
    assert SCRIPT not in html
    assert html.count(ESCAPED) >= 5
