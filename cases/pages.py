"""The simple pages every app's views share: a form page, an edit page with
optimistic locking, a small posted action, and the way back to the dossier.

They hold no business rule; each view still does its own scoped lookup and
calls its own model method.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.models import AccessLogEntry
from cases.forms import CONFLICT_MESSAGE
from cases.locking import ConflictError
from cases.models import Client

Action = AccessLogEntry.Action


def dossier_url(client: Client, anchor: str = "") -> str:
    url = reverse("cases:client-detail", args=[client.pk])
    return f"{url}#{anchor}" if anchor else url


def log_view(request, *, client: Client | None = None, what: str = "") -> None:
    """The one access log line of a page that shows client data (AL-1).

    The rule on every page: each request that renders client data writes exactly
    one line. A GET writes a VIEW line; a POST that changes something writes its
    CREATE or UPDATE line and redirects; a POST whose errors bring the form back
    shows the data again and writes a VIEW line. `what` defaults to the route
    ("cases:trajectory-close"); list pages name how many clients they show.
    """
    AccessLogEntry.write(
        request,
        action=Action.VIEW,
        what=what or request.resolver_match.view_name,
        client=client,
    )


def render_form_page(
    request,
    *,
    title,
    forms,
    client=None,
    submit,
    cancel_url,
    status=200,
    form_titles=(),
    log_as="",
    **extra,
):
    """One template for the simple form pages: title, forms, submit and cancel.

    `form_titles` puts each form in a fieldset with that legend. A page about a
    `client` writes its VIEW line (`log_view`); a page without one client that
    still shows client data (a choice of the team's young people) says so with
    `log_as`, the line's `what`.
    """
    if client is not None or log_as:
        log_view(request, client=client, what=log_as)
    titles = list(form_titles) or [""] * len(forms)
    context = {
        "title": title,
        "sections": list(zip(titles, forms, strict=True)),
        "client": client,
        "submit_label": submit,
        "cancel_url": cancel_url,
        "multipart": any(form.is_multipart() for form in forms),
        **extra,
    }
    return render(request, "cases/form_page.html", context, status=status)


def edit_page(
    request, *, form, client, what, saved, title, next_url, trajectory=None, **extra
) -> HttpResponse:
    """An edit form: saved only if nobody saved in between (RF-4), else a 409 that says so.

    With `trajectory`, the edit is refused (a form error) when that trajectory is closed
    and no longer takes this kind of record (`Trajectory.ensure_accepts`).
    """
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            if trajectory is not None:
                trajectory.ensure_accepts(form.instance)
            form.save_versioned()
        except ValidationError as error:
            form.add_error(None, error)
        except ConflictError:
            form.add_error(None, CONFLICT_MESSAGE)
            status = 409
        else:
            AccessLogEntry.write(request, action=Action.UPDATE, what=what, client=client)
            messages.success(request, saved)
            return redirect(next_url)
    return render_form_page(
        request,
        title=title,
        forms=[form],
        client=client,
        submit=_("Save"),
        cancel_url=next_url,
        status=status,
        **extra,
    )


def perform_action(request, form, act) -> bool:
    """Run a small action posted from a page (a status change, an escalation).

    Bad input, a refused change or a conflicting edit come back as messages on
    the page the user came from; returns whether the action was carried out.
    """
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return False
    try:
        act(form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    except ConflictError:
        messages.error(request, CONFLICT_MESSAGE)
        return False
    return True
