import pytest
from django.urls import reverse

from lifedomains.models import LevelDescription

pytestmark = pytest.mark.django_db


def test_every_domain_has_five_level_descriptions_from_the_start():
    assert LevelDescription.objects.count() == 25
    assert set(LevelDescription.objects.values_list("level", flat=True)) == {1, 2, 3, 4, 5}


def test_admin_rewords_a_level_description(admin_client):
    row = LevelDescription.objects.get(domain="housing", level=1)
    url = reverse("admin:lifedomains_leveldescription_change", args=[row.pk])
    response = admin_client.post(
        url, {"domain": "housing", "level": 1, "description": "Slaapt op straat."}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.description == "Slaapt op straat."


def test_the_assessment_form_shows_the_reworded_description(caseworker_client, caseworker):
    from tests.factories import TrajectoryFactory

    LevelDescription.objects.filter(domain="housing", level=1).update(
        description="Slaapt op straat."
    )
    trajectory = TrajectoryFactory(client__team=caseworker.team, caseworker=caseworker)
    response = caseworker_client.get(reverse("lifedomains:assessment-create", args=[trajectory.pk]))
    assert "Slaapt op straat." in response.content.decode()


def test_admin_cannot_add_or_delete_level_descriptions(admin_client):
    assert admin_client.get(reverse("admin:lifedomains_leveldescription_add")).status_code == 403
    row = LevelDescription.objects.first()
    url = reverse("admin:lifedomains_leveldescription_delete", args=[row.pk])
    assert admin_client.get(url).status_code == 403
