"""The access overview and the subject-access export, for functional admins only.

Caseworkers and managers get 404, as for any page their role may not open
(`accounts.access`). Admins reach these pages from Django admin
(`privacy/admin.py`); every one of them writes its own access log line.
"""

from __future__ import annotations

import weasyprint
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.access import functional_admin_required
from audit.models import AccessLogEntry
from cases.models import Client
from lifedomains.personal_plan import STATIC_BASE_URL
from privacy.access_overview import Line, lines_of
from privacy.export import build_zip

Log = AccessLogEntry.Action

# Lines per page of the access overview; the PDF has them all.
PAGE_SIZE = 50


def client_or_404(pk: int) -> Client:
    """Any client: a functional admin answers an inzageverzoek for every team."""
    return get_object_or_404(Client.objects.select_related("team__municipality"), pk=pk)


def private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@functional_admin_required
def access_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """Who opened or changed the client's data, oldest first, a page at a time."""
    client = client_or_404(pk)
    page = Paginator(lines_of(client.pk), PAGE_SIZE).get_page(request.GET.get("page"))
    lines = [Line.of(entry) for entry in page.object_list]
    AccessLogEntry.write(request, action=Log.VIEW, what="access overview", client=client)
    return private(
        render(
            request,
            "privacy/access_overview.html",
            {"client": client, "page": page, "lines": lines},
        )
    )


@require_GET
@functional_admin_required
def access_overview_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole overview as a tagged PDF (PDF/UA-1), to send with the answer."""
    client = client_or_404(pk)
    lines = [Line.of(entry) for entry in lines_of(client.pk)]
    html = render_to_string(
        "privacy/access_overview_pdf.html",
        {"client": client, "lines": lines, "made_on": timezone.localdate()},
        request,
    )
    pdf = weasyprint.HTML(string=html, base_url=STATIC_BASE_URL).write_pdf(pdf_variant="pdf/ua-1")
    AccessLogEntry.write(request, action=Log.EXPORT, what="access overview pdf", client=client)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="toegangsoverzicht-{client.pk}.pdf"'
    return private(response)


@require_GET
@functional_admin_required
def subject_access_export(request: HttpRequest, pk: int) -> FileResponse:
    """Everything stored about the client as a zip: a PDF, a JSON file and the files."""
    client = client_or_404(pk)
    spool = build_zip(client, request)
    AccessLogEntry.write(request, action=Log.EXPORT, what="subject access export", client=client)
    response = FileResponse(
        spool,
        as_attachment=True,
        filename=f"inzage-{client.pk}.zip",
        content_type="application/zip",
    )
    return private(response)
