"""Uploaded documents: which files are allowed, checked on their content (AS-7).

The browser's content type and the file name are not trusted: the first
bytes decide. Files are stored under a generated name; the original name is
kept only as data.
"""

from __future__ import annotations

import uuid
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str


PDF = FileType("application/pdf", "pdf", "PDF")
PNG = FileType("image/png", "png", "PNG")
JPEG = FileType("image/jpeg", "jpg", "JPEG")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word"
)
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", "OpenDocument")
ALLOWED = (PDF, PNG, JPEG, DOCX, ODT)


def sniff(uploaded) -> FileType | None:
    """Recognise an allowed type from the file's content, or None."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return DOCX
                if "mimetype" in names and archive.read("mimetype") == ODT.content_type.encode():
                    return ODT
        except (
            zipfile.BadZipFile,
            zlib.error,
            NotImplementedError,
            RuntimeError,
            ValueError,
            EOFError,
            OSError,
            KeyError,
        ):
            # A damaged or unusual archive is simply not an allowed document.
            return None
        finally:
            uploaded.seek(0)
    return None


def validate_upload(uploaded) -> FileType:
    if uploaded.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES),
            },
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    file_type = sniff(uploaded)
    if file_type is None:
        raise ValidationError(
            _("This type of file is not allowed. Upload a PDF, Word, OpenDocument, PNG or JPEG."),
            code="type",
        )
    return file_type


def generated_name(instance, filename: str) -> str:
    """Storage name: a random UUID, never the uploaded name."""
    extension = getattr(instance, "extension", "") or "bin"
    return f"documents/{uuid.uuid4().hex}.{extension}"
