"""Wijzigingen: who changed what when in one trajectory's plan, assessments and
release checklist, read from the change history (AL-2).

The caseworker's view of the same history an admin reads per client in admin,
narrowed to the records a caseworker corrects on the dossier.
"""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import Truncator
from django.views.decorators.http import require_GET

from accounts.access import caseworker_required
from accounts.models import User
from audit.history import SHOWN_CHARACTERS, changes, record_events, record_label
from cases.models import get_trajectory_for_user_or_404
from cases.pages import log_view
from lifedomains.models import Action, Assessment, DomainScore, Goal, PersonalPlan, ReadinessItem

# Changes per page.
PAGE_SIZE = 50

# The records shown, each with the field that says which one it is.
SHOWN = {
    Goal: "text",
    Action: "description",
    Assessment: "moment",
    DomainScore: "domain",
    PersonalPlan: None,
    ReadinessItem: "item",
}


def event_models() -> list:
    """The history model of each record shown (the checklist keeps its own)."""
    return [
        ReadinessItem.events.rel.related_model
        if model is ReadinessItem
        else model.history.rel.related_model
        for model in SHOWN
    ]


class PageForm(forms.Form):
    # Bounded, so a typed page number cannot overflow the database's offset.
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)


def which(event) -> str:
    """The record's kind and number, with the words that name it (a goal's text,
    an item's label) as the event row has them."""
    label = record_label(event)
    model = apps.get_model(event.pgh_obj_model)
    name = SHOWN.get(model)
    value = (event.pgh_data or {}).get(name) if name else None
    if not value:
        return label
    field = model._meta.get_field(name)
    shown = dict(field.flatchoices).get(value, value) if field.choices else value
    return f"{label}: {Truncator(str(shown)).chars(SHOWN_CHARACTERS)}"


@require_GET
@caseworker_required
def change_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The trajectory's wijzigingen, newest first, a page at a time (no count over
    the history: one query a page, whatever its length)."""
    trajectory = get_trajectory_for_user_or_404(request, pk)
    form = PageForm(request.GET)
    page = (form.cleaned_data["page"] if form.is_valid() else None) or 1
    events = record_events("cases.Trajectory", trajectory.pk, event_models())
    start = (page - 1) * PAGE_SIZE
    # One more than a page tells whether there is a next one, without a count.
    found = list(events[start : start + PAGE_SIZE + 1])
    users = User.objects.in_bulk({(e.pgh_context or {}).get("user") for e in found} - {None})
    rows = [
        {
            "event": event,
            "record": which(event),
            "user": users.get((event.pgh_context or {}).get("user")),
            "changes": changes(event),
        }
        for event in found[:PAGE_SIZE]
    ]
    log_view(request, client=trajectory.client)
    return render(
        request,
        "lifedomains/changes.html",
        {
            "trajectory": trajectory,
            "client": trajectory.client,
            "rows": rows,
            "page": page,
            "has_next": len(found) > PAGE_SIZE,
        },
    )
