"""The subject-access export (PR-2): everything stored about one client, and nothing more."""

import io
import json
import zipfile

import pytest
from django.conf import settings
from django.urls import reverse

from audit.models import AccessLogEntry
from privacy.export import PARTS, document_path
from tests.client_models import client_bound_models
from tests.factories import MINIMAL_PDF
from tests.routes import namespace_routes

pytestmark = pytest.mark.django_db

EXPORTED = {part.label for part in PARTS}


def download(http, client):
    response = http.get(reverse("privacy:export", args=[client.pk]))
    assert response.status_code == 200, response
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_every_model_with_a_path_to_a_client_is_in_the_export():
    bound = client_bound_models(settings.PROJECT_APPS)
    # The walk works: it finds models over foreign keys and over many-to-many.
    assert {"cases.Client", "lifedomains.DomainScore", "partners.Bottleneck"} <= bound
    # The change history (`<Model>History`, pghistory events) is not a model of its own
    # here: the JSON carries it beside the rows it follows. The access log knows clients
    # by number, not by a key, and is in the export as `audit.AccessLogEntry`.
    assert not bound - EXPORTED, sorted(bound - EXPORTED)


def test_the_export_lists_only_models_that_exist():
    for part in PARTS:
        assert part.model._meta.label == part.label


def test_the_json_has_a_row_of_every_model_and_nothing_of_another_client(
    admin_client, subject, bystander
):
    _response, archive = download(admin_client, subject)
    data = json.loads(archive.read("gegevens.json"))

    assert data["client_number"] == subject.pk
    for part in PARTS:
        assert data["records"][part.label], f"no {part.label} in the export"
        key = part.model._meta.pk.attname  # `pgh_id` for the checklist's status history
        mine = {row[key] for row in data["records"][part.label]}
        theirs = set(part.rows(bystander.pk).values_list("pk", flat=True))
        assert theirs, f"the bystander has no {part.label}: the check would prove nothing"
        assert not mine & theirs, part.label
    text = archive.read("gegevens.json").decode()
    assert "Anderman" not in text
    assert "Bakker" in text


def test_the_json_shows_every_field_with_the_bsn_decrypted_and_iso_dates(admin_client, subject):
    _response, archive = download(admin_client, subject)
    data = json.loads(archive.read("gegevens.json"))
    (client,) = data["records"]["cases.Client"]
    assert client["bsn"] == "123456782"
    assert client["phone"] == "0612345678"
    assert client["date_of_birth"] == subject.date_of_birth.isoformat()
    assert client["team_id"] == subject.team_id
    # The change history of the client's rows, with who changed them.
    assert data["history"]["cases.ClientHistory"][0]["pgh_label"] == "insert"
    assert data["history"]["cases.ContactMomentHistory"]
    # The access overview, with names.
    assert data["access_overview"][0]["what"] == "dossier"


def test_a_bottleneck_lists_only_this_clients_trajectories(admin_client, subject, bystander):
    from partners.models import Bottleneck

    shared = Bottleneck.objects.filter(trajectories__client=subject).first()
    shared.trajectories.add(bystander.trajectories.get())
    _response, archive = download(admin_client, subject)
    data = json.loads(archive.read("gegevens.json"))
    row = next(r for r in data["records"]["partners.Bottleneck"] if r["id"] == shared.pk)
    assert row["trajectories"] == [subject.trajectories.get().pk]


def test_the_zip_holds_the_pdf_the_json_and_the_uploaded_files(admin_client, subject):
    response, archive = download(admin_client, subject)

    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    assert f"inzage-{subject.pk}.zip" in response["Content-Disposition"]
    names = set(archive.namelist())
    assert {"inzage.pdf", "gegevens.json"} <= names
    assert archive.read("inzage.pdf").startswith(b"%PDF")
    documents = list(subject.documents.all())
    assert documents
    for document in documents:
        assert archive.read(document_path(document)) == MINIMAL_PDF
    files = json.loads(archive.read("gegevens.json"))["files"]
    assert {f["path"] for f in files} == {document_path(d) for d in documents}


def test_a_file_missing_on_disk_is_listed_as_missing_not_a_500(admin_client, subject):
    document = subject.documents.first()
    document.file.storage.delete(document.file.name)
    _response, archive = download(admin_client, subject)
    files = json.loads(archive.read("gegevens.json"))["files"]
    assert {"document_id": document.pk, "path": None, "missing": True} in files


def test_the_export_writes_an_export_line(admin_client, admin_user, subject):
    download(admin_client, subject)
    line = AccessLogEntry.objects.get(user=admin_user)
    assert (line.action, line.client_ref, line.what) == (
        "export",
        subject.pk,
        "subject access export",
    )


@pytest.mark.parametrize("name", namespace_routes("privacy")[0])
@pytest.mark.parametrize(
    "role_client", ["caseworker_client", "manager_client", "other_caseworker_client"]
)
def test_only_a_functional_admin_opens_a_privacy_page(request, team, name, role_client):
    """Every client-bound route of the app, from the URLconf: 404 for every other role."""
    from tests.factories import ClientFactory

    client = ClientFactory(team=team)
    http = request.getfixturevalue(role_client)
    assert http.get(reverse(f"privacy:{name}", args=[client.pk])).status_code == 404
    assert not AccessLogEntry.objects.filter(action="export").exists()
