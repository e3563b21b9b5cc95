"""“Mijn plan”: the plan in easy Dutch for the young person, as a page and a PDF.

Placeholder views; the full pages are being written.
"""

from django.http import Http404


def personal_plan(request, pk):
    raise Http404


def personal_plan_pdf(request, pk):
    raise Http404


def personal_plan_update(request, pk):
    raise Http404
