"""Release readiness: the checklist of basic conditions, on the dossier and the caseload."""

import re

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils.html import strip_tags

from cases.models import Trajectory
from lifedomains.models import ReadinessItem
from lifedomains.progress import readiness_of
from tests.factories import ClientFactory, TrajectoryFactory, days

pytestmark = pytest.mark.django_db

ITEM = ReadinessItem.Item
STATUS = ReadinessItem.Status
BASIC = [str(item) for item in ReadinessItem.BASIC]
PRACTICAL = [item for item in ITEM.values if item not in BASIC]
CASELOAD = reverse("cases:caseload")


@pytest.fixture
def trajectory(team, caseworker):
    return TrajectoryFactory(
        client=ClientFactory(team=team, first_name="Jayden", last_name="Verhoef"),
        caseworker=caseworker,
        expected_release=days(10),
    )


def update_url(trajectory) -> str:
    return reverse("lifedomains:readiness-update", args=[trajectory.pk])


def dossier_url(trajectory) -> str:
    return reverse("cases:client-detail", args=[trajectory.client.pk])


def checklist_data(seen: dict | None = None, **items) -> dict:
    """The form as a browser posts it: every item as (status, date, note), with
    `items` changed, plus what the page showed when it was opened (`seen`, by
    default the untouched checklist) in Django's hidden "initial-" fields."""
    data = {}
    for item in ITEM.values:
        status, date, note = items.get(item, (STATUS.NEEDED, None, ""))
        old_status, old_date, old_note = (seen or {}).get(item, (STATUS.NEEDED, None, ""))
        data |= {
            f"{item}-status": status,
            f"{item}-date": date.isoformat() if date else "",
            f"{item}-note": note,
            f"initial-{item}-status": old_status,
            f"initial-{item}-date": old_date.isoformat() if old_date else "",
            f"initial-{item}-note": old_note,
        }
    return data


def mark(trajectory, statuses: dict[str, str]) -> None:
    for item, status in statuses.items():
        ReadinessItem.objects.create(trajectory=trajectory, item=item, status=status)


def numbers(text: str) -> list[int]:
    return [int(number) for number in re.findall(r"\d+", strip_tags(text))]


def section(content: str, anchor: str) -> str:
    start = content.index(f'<section id="{anchor}"')
    return content[start : content.index("</section>", start)]


def dossier_count(content: str) -> list[int]:
    """The numbers in the "N of 5 basic conditions" line of the readiness section."""
    html = section(content, "basisvoorwaarden")
    return numbers(re.search(r"<strong>(.*?)</strong>", html, re.S).group(1))


def readiness_cell(content: str, client) -> str:
    """The release-readiness cell of one client's caseload row."""
    href = f'href="{reverse("cases:client-detail", args=[client.pk])}"'
    rows = [row for row in re.findall(r"<tr>(.*?)</tr>", content, re.S) if href in row]
    assert len(rows) == 1, client
    # age, status, release, last contact, readiness, then the other apps' columns
    return re.findall(r"<td>(.*?)</td>", rows[0], re.S)[4]


def caseload_row(response, client) -> dict:
    (row,) = [row for row in response.context["rows"] if row["client"] == client]
    return row


# --- The checklist page ---------------------------------------------------------------------------


def test_the_checklist_lists_all_ten_items_with_the_five_basic_conditions_first(
    caseworker_client, trajectory
):
    response = caseworker_client.get(update_url(trajectory))

    assert response.status_code == 200
    assert [form.item for form in response.context["basic_forms"]] == BASIC
    assert [form.item for form in response.context["other_forms"]] == PRACTICAL
    content = response.content.decode()
    positions = [content.index(f'name="{item}-status"') for item in [*BASIC, *PRACTICAL]]
    assert positions == sorted(positions)
    assert len(positions) == len(ITEM.values) == 10
    for form in [*response.context["basic_forms"], *response.context["other_forms"]]:
        assert form["status"].value() == STATUS.NEEDED


def test_the_checklist_shows_what_was_stored_before(caseworker_client, trajectory):
    ReadinessItem.objects.create(
        trajectory=trajectory, item=ITEM.DIGID, status=STATUS.IN_PROGRESS, note="Brief onderweg"
    )

    response = caseworker_client.get(update_url(trajectory))

    (digid,) = [form for form in response.context["other_forms"] if form.item == ITEM.DIGID]
    assert digid["status"].value() == STATUS.IN_PROGRESS
    assert digid["note"].value() == "Brief onderweg"
    assert "Brief onderweg" in response.content.decode()


def test_saving_stores_only_the_items_that_were_changed_or_stored_before(
    caseworker_client, trajectory
):
    ReadinessItem.objects.create(trajectory=trajectory, item=ITEM.DIGID, status=STATUS.NEEDED)
    data = checklist_data(
        id_document=(STATUS.ARRANGED, days(-3), ""),
        housing=(STATUS.IN_PROGRESS, days(5), "Bij de tante"),
        bank_account=(STATUS.NEEDED, None, "Afspraak bij de bank"),
        digid=(STATUS.ARRANGED, days(-1), ""),
    )

    response = caseworker_client.post(update_url(trajectory), data)

    assert response.status_code == 302
    assert response["Location"] == f"{dossier_url(trajectory)}#basisvoorwaarden"
    stored = {row.item: row for row in trajectory.readiness_items.all()}
    assert set(stored) == {"id_document", "housing", "bank_account", "digid"}
    assert stored["id_document"].status == STATUS.ARRANGED
    assert stored["id_document"].date == days(-3)
    assert stored["housing"].status == STATUS.IN_PROGRESS
    assert stored["housing"].note == "Bij de tante"
    assert stored["bank_account"].note == "Afspraak bij de bank"
    assert stored["digid"].status == STATUS.ARRANGED
    readiness = readiness_of(trajectory, days(0))
    assert (readiness.done, readiness.total) == (1, 5)


def test_after_saving_the_dossier_counts_the_basic_conditions_done(caseworker_client, trajectory):
    data = checklist_data(
        id_document=(STATUS.ARRANGED, days(-3), ""),
        housing=(STATUS.IN_PROGRESS, None, ""),
        care=(STATUS.REFUSED, None, ""),
        # Practical matters are not basic conditions: they do not count.
        digid=(STATUS.ARRANGED, days(-2), ""),
        bank_account=(STATUS.NOT_NEEDED, None, ""),
    )
    assert caseworker_client.post(update_url(trajectory), data).status_code == 302

    content = caseworker_client.get(dossier_url(trajectory)).content.decode()

    assert dossier_count(content) == [1, 5]
    html = section(content, "basisvoorwaarden")
    # Untouched items show as needed.
    assert html.count("rio-checklist__item--needed") == 2 + 3
    assert html.count("rio-checklist__item--arranged") == 2
    assert html.count("rio-checklist__item--refused") == 1


def test_an_untouched_checklist_counts_every_basic_condition_as_needed(
    caseworker_client, trajectory
):
    content = caseworker_client.get(dossier_url(trajectory)).content.decode()

    assert dossier_count(content) == [0, 5]
    assert section(content, "basisvoorwaarden").count("rio-checklist__item--needed") == 10
    assert not ReadinessItem.objects.exists()


def test_something_arranged_with_a_date_in_the_future_is_an_error_and_nothing_is_saved(
    caseworker_client, trajectory
):
    ReadinessItem.objects.create(trajectory=trajectory, item=ITEM.CJIB, status=STATUS.NEEDED)
    data = checklist_data(
        housing=(STATUS.ARRANGED, days(-1), ""),
        income=(STATUS.ARRANGED, days(3), ""),
        cjib=(STATUS.IN_PROGRESS, None, "Regeling aangevraagd"),
    )

    response = caseworker_client.post(update_url(trajectory), data)

    assert response.status_code == 200
    forms = {form.item: form for form in response.context["basic_forms"]}
    assert forms["income"].errors
    assert not forms["housing"].errors
    assert "alert-danger" in response.content.decode()
    assert list(ReadinessItem.objects.values_list("item", "status", "note")) == [
        ("cjib", "needed", "")
    ]


def test_something_in_progress_may_have_a_date_ahead(caseworker_client, trajectory):
    data = checklist_data(housing=(STATUS.IN_PROGRESS, days(3), "Intake opvang"))

    response = caseworker_client.post(update_url(trajectory), data)

    assert response.status_code == 302
    assert trajectory.readiness_items.get().date == days(3)


@pytest.mark.parametrize(("field", "value"), [("status", "done"), ("date", "2025-02-30")])
def test_an_impossible_status_or_date_is_an_error_and_nothing_is_saved(
    caseworker_client, trajectory, field, value
):
    data = checklist_data(housing=(STATUS.ARRANGED, days(-1), ""))
    data[f"income-{field}"] = value

    response = caseworker_client.post(update_url(trajectory), data)

    assert response.status_code == 200
    forms = {form.item: form for form in response.context["basic_forms"]}
    assert forms["income"].has_error(field)
    assert not ReadinessItem.objects.exists()


def test_posting_trajectory_or_item_fields_has_no_effect(
    caseworker_client, trajectory, other_team, other_caseworker
):
    theirs = TrajectoryFactory(client__team=other_team, caseworker=other_caseworker)
    data = checklist_data(housing=(STATUS.ARRANGED, days(-1), ""))
    data |= {"trajectory": theirs.pk, "housing-trajectory": theirs.pk, "housing-item": "cjib"}

    response = caseworker_client.post(update_url(trajectory), data)

    assert response.status_code == 302
    row = ReadinessItem.objects.get()
    assert row.trajectory == trajectory
    assert row.item == ITEM.HOUSING
    assert not theirs.readiness_items.exists()


# --- The dossier's warning -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("release_in", "done", "warning"),
    [
        (10, 2, True),
        (0, 4, True),
        (14, 0, True),
        (10, 5, False),
        (15, 0, False),
        (30, 2, False),
    ],
)
def test_the_dossier_warns_when_release_is_within_14_days_and_items_are_open(
    caseworker_client, team, caseworker, release_in, done, warning
):
    trajectory = TrajectoryFactory(
        client__team=team, caseworker=caseworker, expected_release=days(release_in)
    )
    mark(trajectory, dict.fromkeys(BASIC[:done], STATUS.ARRANGED))

    content = caseworker_client.get(dossier_url(trajectory)).content.decode()

    html = section(content, "basisvoorwaarden")
    assert ("rio-alert--warning" in html) == warning
    assert dossier_count(content) == [done, 5]
    if warning:
        alert = re.search(r'rio-alert--warning">(.*?)</div>', html, re.S).group(1)
        assert release_in in numbers(alert)


def test_the_dossier_does_not_warn_after_release(caseworker_client, team, caseworker):
    trajectory = TrajectoryFactory(
        client__team=team, caseworker=caseworker, released=True, expected_release=days(-25)
    )

    content = caseworker_client.get(dossier_url(trajectory)).content.decode()

    assert "rio-alert--warning" not in section(content, "basisvoorwaarden")


def test_the_dossier_counts_the_current_trajectory_only(caseworker_client, team, caseworker):
    client = older_and_current(team, caseworker)

    content = caseworker_client.get(
        reverse("cases:client-detail", args=[client.pk])
    ).content.decode()

    assert dossier_count(content) == [1, 5]


# --- The caseload -----------------------------------------------------------------------------


def older_and_current(team, caseworker):
    """A client whose closed trajectory had everything arranged, and a new one with one item."""
    old = TrajectoryFactory(
        client__team=team,
        client__first_name="Oscar",
        client__last_name="Opnieuw",
        caseworker=caseworker,
        closed=True,
        started_on=days(-400),
        detention_start=days(-420),
        expected_release=days(-300),
        actual_release=days(-300),
        ended_on=days(-200),
    )
    mark(old, dict.fromkeys(ITEM.values, STATUS.ARRANGED))
    current = TrajectoryFactory(client=old.client, caseworker=caseworker, expected_release=days(10))
    mark(current, {ITEM.HOUSING: STATUS.ARRANGED, ITEM.DIGID: STATUS.ARRANGED})
    return old.client


def test_the_caseload_counts_the_basic_conditions_of_the_current_trajectory_only(
    caseworker_client, team, caseworker
):
    client = older_and_current(team, caseworker)

    response = caseworker_client.get(CASELOAD)

    assert caseload_row(response, client)["client"].readiness_done == 1
    cell = readiness_cell(response.content.decode(), client)
    assert numbers(cell)[:2] == [1, 5]
    assert "rio-flag--readiness" in cell


@pytest.mark.parametrize(
    ("release_in", "statuses", "warning"),
    [
        (10, [STATUS.ARRANGED] * 4, True),
        (10, [STATUS.ARRANGED] * 3 + [STATUS.NOT_NEEDED] * 2, False),
        (10, [STATUS.ARRANGED] * 4 + [STATUS.REFUSED], True),
        (10, [STATUS.IN_PROGRESS] * 5, True),
        (0, [], True),
        (14, [STATUS.NOT_NEEDED] * 4, True),
        (15, [], False),
        (30, [], False),
        (-3, [], False),
    ],
    ids=[
        "10d-4-done",
        "10d-5-done",
        "10d-one-refused",
        "10d-in-progress",
        "today",
        "14d",
        "15d",
        "30d",
        "release-date-passed",
    ],
)
def test_the_caseload_warns_only_when_release_is_within_14_days_and_not_ready(
    caseworker_client, team, caseworker, release_in, statuses, warning
):
    trajectory = TrajectoryFactory(
        client__team=team, caseworker=caseworker, expected_release=days(release_in)
    )
    mark(trajectory, dict(zip(BASIC, statuses, strict=False)))
    # Practical matters arranged do not make up for a basic condition.
    mark(trajectory, dict.fromkeys(PRACTICAL, STATUS.ARRANGED))
    done = sum(status in ReadinessItem.DONE for status in statuses)

    response = caseworker_client.get(CASELOAD)

    assert caseload_row(response, trajectory.client)["client"].readiness_done == done
    cell = readiness_cell(response.content.decode(), trajectory.client)
    assert numbers(cell)[:2] == [done, 5]
    assert ("rio-flag--readiness" in cell) == warning


def test_a_registered_young_person_with_release_ahead_gets_the_readiness_cell(
    caseworker_client, team, caseworker
):
    trajectory = TrajectoryFactory(
        client__team=team, caseworker=caseworker, registered=True, expected_release=days(7)
    )
    mark(trajectory, {ITEM.INCOME: STATUS.ARRANGED})

    response = caseworker_client.get(CASELOAD)

    cell = readiness_cell(response.content.decode(), trajectory.client)
    assert numbers(cell)[:2] == [1, 5]
    assert "rio-flag--readiness" in cell


def test_after_release_the_caseload_shows_no_readiness(caseworker_client, team, caseworker):
    trajectory = TrajectoryFactory(
        client__team=team, caseworker=caseworker, released=True, expected_release=days(-25)
    )
    mark(trajectory, {ITEM.INCOME: STATUS.ARRANGED})

    response = caseworker_client.get(CASELOAD)

    assert trajectory.status == Trajectory.Status.AFTERCARE
    cell = readiness_cell(response.content.decode(), trajectory.client)
    assert numbers(cell) == []
    assert "rio-flag--readiness" not in cell
    assert strip_tags(cell).strip() == "—"


# --- Two people on one checklist (RF-4) ----------------------------------------------------------


def test_saving_a_checklist_opened_before_a_colleagues_save_does_not_undo_their_change(
    caseworker_client, colleague, trajectory
):
    # Both open the empty checklist; the colleague arranges the ID document and saves.
    opened = caseworker_client.get(update_url(trajectory))
    assert all(form["status"].value() == STATUS.NEEDED for form in opened.context["basic_forms"])
    other = HttpClient()
    other.force_login(colleague)
    theirs = checklist_data(id_document=(STATUS.ARRANGED, days(-1), "Paspoort opgehaald"))
    assert other.post(update_url(trajectory), theirs).status_code == 302

    # The caseworker then saves the page as it was opened, with only housing changed.
    mine = checklist_data(housing=(STATUS.IN_PROGRESS, None, "Bij de tante"))
    response = caseworker_client.post(update_url(trajectory), mine)

    # Either a clear conflict, or a save that leaves the colleague's item alone;
    # never a silent overwrite of an item this person did not touch.
    assert response.status_code in (302, 409)
    id_document = trajectory.readiness_items.get(item=ITEM.ID_DOCUMENT)
    assert id_document.status == STATUS.ARRANGED
    assert id_document.note == "Paspoort opgehaald"


def test_changing_an_item_a_colleague_changed_in_between_is_a_conflict(
    caseworker_client, colleague, trajectory
):
    other = HttpClient()
    other.force_login(colleague)
    theirs = checklist_data(id_document=(STATUS.ARRANGED, days(-1), "Paspoort opgehaald"))
    assert other.post(update_url(trajectory), theirs).status_code == 302

    # The caseworker's page still shows the ID as needed, and they change it too.
    mine = checklist_data(id_document=(STATUS.IN_PROGRESS, None, "Aanvraag loopt"))
    response = caseworker_client.post(update_url(trajectory), mine)

    assert response.status_code == 409
    assert len(list(response.context["messages"])) == 1
    id_document = trajectory.readiness_items.get(item=ITEM.ID_DOCUMENT)
    assert id_document.status == STATUS.ARRANGED
    assert id_document.note == "Paspoort opgehaald"
