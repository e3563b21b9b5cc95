"""Issue 12: far-off dates (9999-12-31, 0001-01-01) are a form error next to the field, not a 500.

Every form with a date gets the range from `rio/dates.py`; these four are the ones whose
release date feeds the follow-up schedule.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Client, DJIMessage, Trajectory
from followup.models import FollowUpMoment
from rio.dates import PLAUSIBLE_YEARS, plausible_range, years_from
from tests.cases.test_client_forms import create_data
from tests.cases.test_trajectory import new_trajectory_data
from tests.factories import ClientFactory, TrajectoryFactory
from tests.pages import page_form, page_forms

pytestmark = pytest.mark.django_db

FAR_OFF = ["9999-12-31", "0001-01-01"]
RANGE_ERROR = "Vul een datum in tussen"


def last_inside():
    return plausible_range()[1] - timezone.timedelta(days=1)


def first_inside():
    return plausible_range()[0] + timezone.timedelta(days=1)


def assert_range_error(form, field):
    assert any(RANGE_ERROR in message for message in form.errors[field]), form.errors


def test_the_range_is_thirty_years_either_way():
    first, last = plausible_range()
    today = timezone.localdate()
    assert PLAUSIBLE_YEARS == 30
    assert (first, last) == (years_from(today, -30), years_from(today, 30))


# --- Registration -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", FAR_OFF)
def test_registration_refuses_a_far_off_release(caseworker_client, caseworker, value):
    data = create_data(caseworker, **{"trajectory-expected_release": value})

    response = caseworker_client.post(reverse("cases:client-create"), data)

    assert response.status_code == 200
    _client_form, trajectory_form = page_forms(response)
    assert_range_error(trajectory_form, "expected_release")
    assert Client.objects.count() == 0
    assert Trajectory.objects.count() == 0
    assert FollowUpMoment.objects.count() == 0


@pytest.mark.parametrize("value", FAR_OFF)
def test_registration_refuses_a_far_off_date_of_birth(caseworker_client, caseworker, value):
    data = create_data(caseworker, **{"client-date_of_birth": value})

    response = caseworker_client.post(reverse("cases:client-create"), data)

    assert response.status_code == 200
    client_form, _trajectory_form = page_forms(response)
    assert client_form.errors["date_of_birth"]
    assert Client.objects.count() == 0


def test_registration_accepts_a_release_one_day_inside_the_range(caseworker_client, caseworker):
    data = create_data(caseworker, **{"trajectory-expected_release": last_inside().isoformat()})

    response = caseworker_client.post(reverse("cases:client-create"), data)

    assert response.status_code == 302
    assert Trajectory.objects.get().expected_release == last_inside()


def test_registration_accepts_a_detention_start_one_day_inside_the_range(
    caseworker_client, caseworker
):
    data = create_data(caseworker, **{"trajectory-detention_start": first_inside().isoformat()})

    response = caseworker_client.post(reverse("cases:client-create"), data)

    assert response.status_code == 302
    assert Trajectory.objects.get().detention_start == first_inside()


def test_a_date_of_birth_over_a_century_ago_is_refused(caseworker_client, caseworker):
    too_old = years_from(timezone.localdate(), -100) - timezone.timedelta(days=1)
    data = create_data(caseworker, **{"client-date_of_birth": too_old.isoformat()})

    response = caseworker_client.post(reverse("cases:client-create"), data)

    assert response.status_code == 200
    client_form, _trajectory_form = page_forms(response)
    assert client_form.errors["date_of_birth"]
    assert Client.objects.count() == 0


# --- Editing a trajectory ---------------------------------------------------------------------


def edit(browser, trajectory, **overrides):
    data = {
        "caseworker": trajectory.caseworker_id,
        "offences": trajectory.offences,
        "penitentiary_institution": trajectory.penitentiary_institution,
        "detention_start": trajectory.detention_start.isoformat(),
        "expected_release": trajectory.expected_release.isoformat(),
        "started_on": trajectory.started_on.isoformat(),
        "regie": trajectory.regie,
        "age_exception_reason": "",
        "version": trajectory.version,
    }
    data.update(overrides)
    return browser.post(reverse("cases:trajectory-update", args=[trajectory.pk]), data)


@pytest.fixture
def trajectory(caseworker):
    return TrajectoryFactory(caseworker=caseworker, client__team=caseworker.team)


@pytest.mark.parametrize("value", FAR_OFF)
def test_trajectory_edit_refuses_a_far_off_release(caseworker_client, trajectory, value):
    before = trajectory.expected_release

    response = edit(caseworker_client, trajectory, expected_release=value)

    assert response.status_code == 200
    assert_range_error(page_form(response), "expected_release")
    trajectory.refresh_from_db()
    assert trajectory.expected_release == before


def test_trajectory_edit_accepts_a_release_one_day_inside_the_range(caseworker_client, trajectory):
    response = edit(caseworker_client, trajectory, expected_release=last_inside().isoformat())

    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.expected_release == last_inside()


# --- A new trajectory -------------------------------------------------------------------------


@pytest.fixture
def released_client(caseworker):
    client = ClientFactory(team=caseworker.team)
    TrajectoryFactory(caseworker=caseworker, client=client, released=True)
    return client


@pytest.mark.parametrize("value", FAR_OFF)
def test_new_trajectory_refuses_a_far_off_release(
    caseworker_client, caseworker, released_client, value
):
    url = reverse("cases:trajectory-create", args=[released_client.pk])

    response = caseworker_client.post(url, new_trajectory_data(caseworker, expected_release=value))

    assert response.status_code == 200
    assert_range_error(page_form(response), "expected_release")
    assert released_client.trajectories.count() == 1


def test_new_trajectory_accepts_a_release_one_day_inside_the_range(
    caseworker_client, caseworker, released_client
):
    url = reverse("cases:trajectory-create", args=[released_client.pk])
    data = new_trajectory_data(caseworker, expected_release=last_inside().isoformat())

    response = caseworker_client.post(url, data)

    assert response.status_code == 302
    assert released_client.trajectories.open().get().expected_release == last_inside()


# --- The DJI end-of-detention message ---------------------------------------------------------


def post_end_of_detention(browser, trajectory, release_date):
    return browser.post(
        reverse("cases:dji-create", args=[trajectory.pk]),
        {
            "kind": DJIMessage.Kind.DETENTION_END,
            "received_on": timezone.localdate().isoformat(),
            "release_date": release_date,
            "summary": "Ontslagbericht van de PI.",
            "apply_release_date": "on",
        },
    )


@pytest.mark.parametrize("value", FAR_OFF)
def test_dji_message_refuses_a_far_off_release(caseworker_client, trajectory, value):
    before = trajectory.expected_release

    response = post_end_of_detention(caseworker_client, trajectory, value)

    assert response.status_code == 200
    assert_range_error(page_form(response), "release_date")
    assert DJIMessage.objects.count() == 0
    trajectory.refresh_from_db()
    assert trajectory.expected_release == before


def test_dji_message_accepts_a_release_one_day_inside_the_range(caseworker_client, trajectory):
    response = post_end_of_detention(caseworker_client, trajectory, last_inside().isoformat())

    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.expected_release == last_inside()


# --- Every form -------------------------------------------------------------------------------


def project_forms():
    """Every form class the project's apps define."""
    import importlib

    from django import forms as django_forms

    from rio.settings import PROJECT_APPS

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for app in PROJECT_APPS:
        try:
            importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
    return {
        form
        for form in subclasses(django_forms.BaseForm)
        if form.__module__.split(".")[0] in PROJECT_APPS
    }


# Forms whose dates have a rule of their own instead of the plausible range.
OWN_DATE_RULES = {
    "reports.forms.ReportFilterForm": "a period from 1 January 2000 until today (its clean)",
}


def test_every_form_with_a_date_field_checks_its_range():
    from django import forms as django_forms

    from rio.dates import PlausibleDatesMixin

    dated = {
        form
        for form in project_forms()
        if any(isinstance(f, django_forms.DateField) for f in form.base_fields.values())
    }
    assert dated  # the walk found the forms
    unchecked = {
        f"{form.__module__}.{form.__name__}"
        for form in dated
        if not issubclass(form, PlausibleDatesMixin)
    }
    assert unchecked == set(OWN_DATE_RULES)


@pytest.mark.parametrize("value", FAR_OFF)
def test_the_readiness_checklist_refuses_a_far_off_date(value):
    from lifedomains.forms import ReadinessItemForm
    from lifedomains.models import ReadinessItem

    item = ReadinessItem.Item.ID_DOCUMENT
    form = ReadinessItemForm(
        {
            f"{item}-status": ReadinessItem.Status.ARRANGED,
            f"{item}-date": value,
            f"{item}-note": "",
        },
        item=item,
        instance=ReadinessItem(item=item),
    )
    assert not form.is_valid()
    assert_range_error(form, "date")
