"""One client's change history in admin: across all their records, filtered, paged (AL-3)."""

import pytest
from django.test import Client as Browser
from django.urls import reverse

from cases.models import Client, ContactMoment
from tests.cases.test_dossier import contact_data
from tests.factories import ClientFactory, ContactFactory, TrajectoryFactory
from tests.partners.test_bottlenecks import raise_bottleneck

pytestmark = pytest.mark.django_db

BSN = "123456782"
# Session, admin and MFA checks, the page of events (one query over every history
# table), their users, the access log line in its savepoint, the session kept alive.
HISTORY_QUERIES = 9


def history_url(client, **params) -> str:
    url = reverse("admin:audit_client_history", args=[client.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def caseworker_browser(caseworker):
    """The caseworker in a browser of their own (the admin has the test's `client`)."""
    browser = Browser()
    browser.force_login(caseworker)
    return browser


@pytest.fixture
def trajectory(team, caseworker):
    client = ClientFactory(team=team, with_bsn=True)
    client.set_bsn(BSN)
    client.save()
    return TrajectoryFactory(client=client, caseworker=caseworker)


def test_the_history_shows_changes_to_every_record_of_the_client_and_no_other(
    admin_client, caseworker_browser, trajectory, team, caseworker
):
    caseworker_browser.post(
        reverse("cases:contact-create", args=[trajectory.pk]),
        contact_data(summary="Eerste versie van het verslag"),
        REMOTE_ADDR="192.0.2.7",
    )
    contact = ContactMoment.objects.get()
    ContactMoment.objects.filter(pk=contact.pk).update(summary="Gecorrigeerd verslag")
    ContactFactory(
        trajectory=TrajectoryFactory(client__team=team, caseworker=caseworker),
        summary="Iemand anders",
    )

    response = admin_client.get(history_url(trajectory.client))

    content = response.content.decode()
    assert response.status_code == 200
    assert f"Contactmoment {contact.pk}" in content
    assert f"Traject {trajectory.pk}" in content
    assert f"Jongere {trajectory.client.pk}" in content
    assert "Samenvatting: Eerste versie van het verslag → Gecorrigeerd verslag" in content
    assert "Telefonisch" in content  # a choice by its label
    assert "192.0.2.7" in content
    assert str(caseworker) in content
    assert "Iemand anders" not in content


def test_the_bsn_never_shows_in_clear_encrypted_or_as_its_index(admin_client, trajectory):
    stored = Client.objects.filter(pk=trajectory.client.pk).values("bsn_index").get()
    Client.objects.filter(pk=trajectory.client.pk).update(first_name="Anders")

    content = admin_client.get(history_url(trajectory.client)).content.decode()

    assert "Voornaam" in content
    assert BSN not in content
    assert stored["bsn_index"] not in content
    assert "gAAAA" not in content  # Fernet ciphertext
    assert "BSN" not in content


def test_long_free_text_is_cut_short(admin_client, trajectory):
    ContactFactory(trajectory=trajectory, summary="lang " * 100)

    content = admin_client.get(history_url(trajectory.client)).content.decode()

    assert "lang " * 100 not in content
    assert "…" in content


def test_the_history_filters_by_user_and_period(
    admin_client, caseworker_browser, trajectory, caseworker, admin_user
):
    caseworker_browser.post(
        reverse("cases:contact-create", args=[trajectory.pk]), contact_data(summary="Via de site")
    )
    contact = ContactMoment.objects.get()

    mine = admin_client.get(
        history_url(trajectory.client, username=caseworker.username)
    ).content.decode()
    theirs = admin_client.get(
        history_url(trajectory.client, username=admin_user.username)
    ).content.decode()
    later = admin_client.get(
        history_url(trajectory.client, date_from="2999-01-01", date_to="2999-01-02")
    ).content.decode()
    wrong = admin_client.get(
        history_url(trajectory.client, date_from="2024-02-01", date_to="2024-01-01")
    )

    assert f"Contactmoment {contact.pk}" in mine
    assert f"Contactmoment {contact.pk}" not in theirs
    assert f"Contactmoment {contact.pk}" not in later
    assert wrong.status_code == 200
    assert "Het einde van de periode ligt voor het begin." in wrong.content.decode()
    unknown = admin_client.get(history_url(trajectory.client, username="niemand"))
    assert unknown.status_code == 200
    assert "Er is geen gebruiker met deze gebruikersnaam." in unknown.content.decode()
    assert f"Contactmoment {contact.pk}" not in unknown.content.decode()


def test_the_history_takes_as_many_queries_whatever_the_number_of_changes(
    admin_client, trajectory, django_assert_num_queries
):
    url = history_url(trajectory.client)
    admin_client.get(url)  # the session's first request stamps it
    for size in (3, 60):
        for _ in range(size):
            ContactFactory(trajectory=trajectory)
        with django_assert_num_queries(HISTORY_QUERIES):
            response = admin_client.get(url)
        assert response.status_code == 200
    assert response.context["has_next"]
    assert len(response.context["rows"]) == 50
    older = admin_client.get(history_url(trajectory.client, page=2))
    assert older.context["rows"]
    assert not {r["event"].pgh_slug for r in older.context["rows"]} & {
        r["event"].pgh_slug for r in response.context["rows"]
    }


def test_the_access_log_links_to_the_history_and_only_admins_open_it(
    admin_client, caseworker_browser, trajectory
):
    caseworker_browser.get(reverse("cases:client-detail", args=[trajectory.client.pk]))

    log = admin_client.get(reverse("admin:audit_accesslogentry_changelist")).content.decode()

    assert history_url(trajectory.client) in log
    assert caseworker_browser.get(history_url(trajectory.client)).status_code == 302


def test_linking_and_unlinking_a_bottleneck_is_in_the_clients_history(
    admin_client, trajectory, team, caseworker
):
    # The link is a row of the many-to-many table, which only its own history reaches.
    bottleneck = raise_bottleneck(team, caseworker)
    other = TrajectoryFactory(client__team=team)
    bottleneck.trajectories.add(trajectory, other)
    bottleneck.trajectories.remove(trajectory)

    content = admin_client.get(history_url(trajectory.client)).content.decode()

    assert content.count("Traject gekoppeld aan een knelpunt") == 2  # linked, then unlinked
    assert "aangemaakt" in content
    assert "verwijderd" in content
    assert "Traject gekoppeld aan een knelpunt" not in (
        admin_client.get(history_url(ClientFactory(team=team))).content.decode()
    )


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_far_off_period_is_a_message_not_a_500(admin_client, trajectory, day):
    response = admin_client.get(history_url(trajectory.client, date_from=day, date_to=day))
    assert response.status_code == 200
    assert "Vul een datum in tussen" in response.content.decode()
