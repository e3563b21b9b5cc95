"""AS-7: uploads are checked on content and size, stored under a generated name outside
the web root, and served only through the scoped download view."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AccessLogEntry
from cases.models import Document, TimelineEvent
from rio import settings as project_settings
from tests.factories import MINIMAL_PDF, DocumentFactory, TrajectoryFactory
from tests.pages import page_form

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 24
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 24
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 48
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
TEXT = b"Dit is gewoon een tekstbestand met een .pdf-extensie.\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def zip_bytes(entries: dict[str, bytes], compression=zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zip_bytes(
    {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "word/document.xml": b'<?xml version="1.0"?><w:document/>',
    }
)
ODT = zip_bytes(
    {
        "mimetype": b"application/vnd.oasis.opendocument.text",
        "content.xml": b'<?xml version="1.0"?><office:document-content/>',
    }
)
# A zip that is neither Word nor OpenDocument (e.g. a renamed .jar or .apk).
OTHER_ZIP = zip_bytes({"classes.dex": b"dex\n035\x00", "META-INF/MANIFEST.MF": b"x"})


def odt_with_unsupported_compression() -> bytes:
    """An ODT-shaped zip whose entry claims a compression method Python cannot read."""
    data = bytearray(ODT)
    data[8] = 99  # local file header: compression method
    central = data.find(b"PK\x01\x02")
    data[central + 10] = 99  # central directory: compression method
    return bytes(data)


def odt_with_corrupt_deflate_data() -> bytes:
    data = bytearray(
        zip_bytes(
            {"mimetype": b"application/vnd.oasis.opendocument.text" * 4},
            compression=zipfile.ZIP_DEFLATED,
        )
    )
    start = data.find(b"mimetype") + len("mimetype")
    for position in range(start, start + 12):
        data[position] ^= 0xFF
    return bytes(data)


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def trajectory(caseworker):
    return TrajectoryFactory(caseworker=caseworker, client__team=caseworker.team)


@pytest.fixture
def client_record(trajectory):
    return trajectory.client


def upload(browser, client, name, content, content_type="application/pdf", **data):
    url = reverse("cases:document-create", args=[client.pk])
    return browser.post(
        url,
        {
            "title": "D&R-plan",
            "kind": Document.Kind.PLAN,
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            **data,
        },
    )


# --- Upload -------------------------------------------------------------------------------


def test_a_real_pdf_is_stored_under_a_generated_name_outside_the_web_root(
    caseworker_client, caseworker, client_record, trajectory, media_root
):
    response = upload(caseworker_client, client_record, "verslag-Noor-Bakker.pdf", MINIMAL_PDF)

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.client == client_record
    assert document.trajectory == trajectory
    assert document.uploaded_by == caseworker
    assert document.original_name == "verslag-Noor-Bakker.pdf"
    assert document.content_type == "application/pdf"
    assert document.extension == "pdf"
    assert document.size == len(MINIMAL_PDF)
    assert document.file.name.startswith("documents/")
    assert "verslag" not in document.file.name
    assert "Noor" not in document.file.name
    path = Path(document.file.path).resolve()
    assert path.read_bytes() == MINIMAL_PDF
    assert path.is_relative_to(media_root.resolve())
    assert not path.is_relative_to(Path(django_settings.STATIC_ROOT).resolve())
    assert TimelineEvent.objects.filter(
        trajectory=trajectory, kind=TimelineEvent.Kind.DOCUMENT
    ).exists()


def test_two_uploads_with_the_same_name_get_different_storage_names(
    caseworker_client, client_record
):
    upload(caseworker_client, client_record, "plan.pdf", MINIMAL_PDF)
    upload(caseworker_client, client_record, "plan.pdf", MINIMAL_PDF)
    first, second = Document.objects.all()
    assert first.file.name != second.file.name


def test_the_configured_media_root_is_outside_the_web_root():
    location = Path(project_settings.STORAGES["default"]["OPTIONS"]["location"]).resolve()
    web_roots = [Path(project_settings.STATIC_ROOT), *map(Path, project_settings.STATICFILES_DIRS)]
    for root in web_roots:
        assert not location.is_relative_to(root.resolve())
    assert not getattr(project_settings, "MEDIA_URL", "")


def test_the_type_comes_from_the_content_not_from_the_browser(caseworker_client, client_record):
    response = upload(
        caseworker_client, client_record, "scan.bin", MINIMAL_PDF, content_type="text/html"
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == "application/pdf"
    assert document.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        (
            "plan.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        ("plan.odt", ODT, "application/vnd.oasis.opendocument.text", "odt"),
        ("id.png", PNG, "image/png", "png"),
        ("id.jpg", JPEG, "image/jpeg", "jpg"),
    ],
)
def test_allowed_types_are_accepted(
    caseworker_client, client_record, name, content, content_type, extension
):
    response = upload(caseworker_client, client_record, name, content, content_type=content_type)

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == content_type
    assert document.extension == extension
    assert document.file.name.endswith(f".{extension}")


@pytest.mark.parametrize(
    "content",
    [EXECUTABLE, ELF, HTML, TEXT, SVG, OTHER_ZIP, b"PK\x03\x04 not really a zip"],
    ids=["exe", "elf", "html", "text", "svg", "other-zip", "broken-zip"],
)
def test_a_pdf_name_with_other_content_is_rejected(
    caseworker_client, client_record, content, media_root
):
    response = upload(caseworker_client, client_record, "report.pdf", content)

    assert response.status_code == 200
    assert page_form(response).has_error("file", code="type")
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    "content",
    [odt_with_unsupported_compression(), odt_with_corrupt_deflate_data()],
    ids=["unsupported-compression", "corrupt-deflate"],
)
def test_a_damaged_office_file_is_rejected_not_a_500(
    caseworker_client, client_record, content, media_root
):
    response = upload(caseworker_client, client_record, "plan.odt", content)

    assert response.status_code == 200
    assert page_form(response).has_error("file")
    assert not Document.objects.exists()


def test_a_file_over_the_size_limit_is_rejected(
    caseworker_client, client_record, settings, media_root
):
    settings.DOCUMENT_MAX_BYTES = len(MINIMAL_PDF) - 1

    response = upload(caseworker_client, client_record, "plan.pdf", MINIMAL_PDF)

    assert response.status_code == 200
    assert page_form(response).has_error("file", code="too_large")
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_at_the_size_limit_is_accepted(caseworker_client, client_record, settings):
    settings.DOCUMENT_MAX_BYTES = len(MINIMAL_PDF)
    response = upload(caseworker_client, client_record, "plan.pdf", MINIMAL_PDF)
    assert response.status_code == 302
    assert Document.objects.count() == 1


def test_an_empty_file_is_rejected(caseworker_client, client_record):
    response = upload(caseworker_client, client_record, "plan.pdf", b"")
    assert response.status_code == 200
    assert page_form(response).has_error("file")
    assert not Document.objects.exists()


def test_an_upload_without_a_file_is_rejected(caseworker_client, client_record):
    url = reverse("cases:document-create", args=[client_record.pk])
    response = caseworker_client.post(url, {"title": "Plan", "kind": Document.Kind.PLAN})
    assert response.status_code == 200
    assert page_form(response).has_error("file", code="required")
    assert not Document.objects.exists()


def test_other_team_cannot_upload(other_caseworker_client, client_record):
    response = upload(other_caseworker_client, client_record, "plan.pdf", MINIMAL_PDF)
    assert response.status_code == 404
    assert not Document.objects.exists()


# --- Download -----------------------------------------------------------------------------


@pytest.fixture
def document(client_record):
    return DocumentFactory(client=client_record, title="D&R-plan")


def download(browser, document):
    return browser.get(reverse("cases:document-download", args=[document.pk]))


def test_download_is_a_private_attachment_with_the_stored_type(
    caseworker_client, caseworker, document, client_record
):
    response = download(caseworker_client, document)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    # Reading the content closes the file (and the response) the way a server would.
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.DOWNLOAD)
    assert entry.client_ref == client_record.pk
    assert entry.user == caseworker


def test_download_of_an_uploaded_png_keeps_its_type(caseworker_client, client_record):
    upload(caseworker_client, client_record, "id.png", PNG, content_type="image/png")
    response = download(caseworker_client, Document.objects.get())
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PNG


def test_a_title_with_quotes_and_newlines_gives_a_safe_download_name(
    caseworker_client, client_record
):
    document = DocumentFactory(client=client_record, title='plan"\r\nSet-Cookie: x=1')
    response = download(caseworker_client, document)
    assert response.status_code == 200
    assert "\n" not in response["Content-Disposition"]
    assert "\r" not in response["Content-Disposition"]
    assert not response.cookies.get("x")
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_other_team_gets_404_on_download(other_caseworker_client, document):
    response = download(other_caseworker_client, document)
    assert response.status_code == 404
    assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.DOWNLOAD).exists()


def test_anonymous_download_goes_to_login(client, document):
    response = download(client, document)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
