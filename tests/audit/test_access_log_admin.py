"""The access log in admin: an admin filters it per client and per user (AL-3) and cannot add,
change or delete a line there (AL-2)."""

import pytest
from django.urls import reverse

from audit.models import AccessLogEntry

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:audit_accesslogentry_changelist"


@pytest.fixture
def entries(caseworker, other_caseworker):
    def line(user, client_ref):
        return AccessLogEntry.objects.create(
            user=user, action=AccessLogEntry.Action.VIEW, client_ref=client_ref, what="dossier"
        )

    return {
        "mine 11": line(caseworker, 11),
        "mine 12": line(caseworker, 12),
        "theirs 11": line(other_caseworker, 11),
    }


def shown(response) -> set[AccessLogEntry]:
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_admin_lists_the_lines_of_one_client(admin_client, entries):
    response = admin_client.get(reverse(CHANGELIST), {"client": "11"})

    assert shown(response) == {entries["mine 11"], entries["theirs 11"]}


def test_admin_lists_the_lines_of_one_user(admin_client, entries, caseworker):
    response = admin_client.get(reverse(CHANGELIST), {"user__id__exact": caseworker.pk})

    assert shown(response) == {entries["mine 11"], entries["mine 12"]}


def test_admin_cannot_add_change_or_delete_a_line(admin_client, entries):
    entry = entries["mine 11"]
    change = reverse("admin:audit_accesslogentry_change", args=[entry.pk])

    assert admin_client.get(reverse("admin:audit_accesslogentry_add")).status_code == 403
    assert admin_client.post(change, {"what": "niets gezien", "client_ref": 99}).status_code == 403
    delete = reverse("admin:audit_accesslogentry_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    # The list offers no bulk delete either.
    listing = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert "delete_selected" not in listing
    # The line can still be read.
    assert admin_client.get(change).status_code == 200
    entry.refresh_from_db()
    assert (entry.what, entry.client_ref) == ("dossier", 11)
    assert AccessLogEntry.objects.count() == 3
