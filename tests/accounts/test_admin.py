"""The functional admin keeps the users in Django admin, the team coordinator too."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def change_data(response) -> dict:
    """What the admin's change form posts back when nothing is touched."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if name == "date_joined":
            data["date_joined_0"], data["date_joined_1"] = value.strftime(
                "%Y-%m-%d %H:%M:%S"
            ).split()
        elif value is None:
            data[name] = ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    return data


def test_admin_makes_a_caseworker_team_coordinator(admin_client, colleague):
    url = reverse("admin:accounts_user_change", args=[colleague.pk])
    page = admin_client.get(url)
    assert 'name="is_team_coordinator"' in page.content.decode()

    response = admin_client.post(url, {**change_data(page), "is_team_coordinator": "on"})

    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_team_coordinator


def test_admin_cannot_make_a_manager_team_coordinator(admin_client, manager):
    url = reverse("admin:accounts_user_change", args=[manager.pk])
    page = admin_client.get(url)

    response = admin_client.post(url, {**change_data(page), "is_team_coordinator": "on"})

    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("is_team_coordinator")
    manager.refresh_from_db()
    assert not manager.is_team_coordinator
