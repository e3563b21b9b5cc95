"""The caseworker's pages. Each view: scoped lookup → form → one model method
or workflow call → message → redirect or render. Another team gets 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import caseworker_required
from accounts.models import User
from audit.models import AccessLogEntry
from cases import dossier
from cases.dji import record_dji_message
from cases.forms import (
    CONFLICT_MESSAGE,
    BSNSearchForm,
    CaseloadFilterForm,
    CaseloadHandoverForm,
    ClientForm,
    CloseTrajectoryForm,
    ContactForm,
    DJIMessageForm,
    DocumentForm,
    HandoverForm,
    NetworkMemberForm,
    NewTrajectoryForm,
    TimelineFilterForm,
    TrajectoryForm,
    TransitionForm,
)
from cases.handover import hand_over_caseload
from cases.locking import ConflictError
from cases.models import (
    Client,
    ContactMoment,
    Document,
    NetworkMember,
    Trajectory,
    get_client_for_user_or_404,
    get_trajectory_for_user_or_404,
)
from cases.pages import dossier_url, edit_page, log_view, perform_action, render_form_page
from cases.registration import register_client, start_new_trajectory
from cases.scoping import get_for_user_or_404, get_trajectory_record_for_user_or_404
from cases.sections import CONTACTS, contacts_of

Action = AccessLogEntry.Action


# --- Caseload -------------------------------------------------------------------------


@require_GET
@caseworker_required
def caseload(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CaseloadFilterForm(request.GET or None, user=user)
    today = timezone.localdate()
    clients = Client.objects.visible_to(user).with_current_trajectory().with_contact_warning(today)
    sort = ""
    status = form.cleaned_data["status"] if form.is_valid() else ""
    if status == "":
        clients = clients.filter(current_open=True)
    elif status != "all":
        clients = clients.filter(current_status=status)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            clients = clients.search(data["q"])
        if data["caseworker"]:
            clients = clients.filter(current_caseworker_id=data["caseworker"].pk)
        sort = data["sort"]
    if sort in CaseloadFilterForm.SORTS:
        clients = clients.order_by(*CaseloadFilterForm.SORTS[sort], "pk")
    else:
        # The caseworker's own young people first, then the rest of the team.
        clients = clients.annotate(
            mine=Case(
                When(current_caseworker_id=user.pk, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("mine", "last_name", "first_name", "pk")
    columns = dossier.caseload_columns()
    for column in columns:
        clients = column.annotate(clients, today=today)
    page = Paginator(clients, settings.CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    caseworkers = {member.pk: member for member in form.fields["caseworker"].queryset}
    rows = [caseload_row(client, caseworkers, today) for client in page]
    # One line for the page, never one per row: a search says how many it found.
    if form.is_valid() and form.cleaned_data["q"]:
        AccessLogEntry.write(
            request, action=Action.SEARCH, what=f"caseload search: {page.paginator.count} results"
        )
    else:
        log_view(request, what=f"caseload ({len(rows)} clients)")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "bsn_form": BSNSearchForm(),
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "team": user.team,
        "no_contact_days": settings.RIO_NO_CONTACT_WARNING_DAYS,
        "release_warning_days": settings.RIO_RELEASE_WARNING_DAYS,
        "columns": columns,
        "today": today,
    }
    template = "cases/caseload.html#results" if request.htmx else "cases/caseload.html"
    return render(request, template, context)


def caseload_row(client: Client, caseworkers: dict[int, User], today) -> dict:
    """What one row shows; every flag on it comes from a QuerySet rule annotated on `client`."""
    status = client.current_status
    release = client.current_release
    row = {
        "client": client,
        "age": client.age(today),
        "status": Trajectory.Status(status).label if status else _("No trajectory"),
        "status_code": status or "",
        "is_open": client.current_open,
        "caseworker": caseworkers.get(client.current_caseworker_id),
        "last_contact": client.last_contact,
        "no_contact_warning": client.out_of_contact,
        "release": release,
        "days_to_release": None,
        "days_since_release": None,
    }
    if client.current_released:
        row["days_since_release"] = (today - client.current_released).days
    elif release:
        row["days_to_release"] = (release - today).days
    return row


@require_POST
@caseworker_required
def client_search_bsn(request: HttpRequest) -> HttpResponse:
    """Open the dossier of the team's client with this BSN.

    A POST, so the BSN is never in a URL, the browser history or a server log.
    """
    form = BSNSearchForm(request.POST)
    if not form.is_valid():
        for message in form.errors["bsn"]:
            messages.error(request, message)
        return redirect("cases:caseload")
    client = Client.objects.visible_to(request.user).with_bsn(form.cleaned_data["bsn"]).first()
    AccessLogEntry.write(
        request,
        action=Action.SEARCH,
        what="BSN search",
        client=client,
        result=AccessLogEntry.Result.FOUND if client else AccessLogEntry.Result.NOT_FOUND,
    )
    if client is None:
        messages.info(request, _("No young person of your team has this BSN."))
        return redirect("cases:caseload")
    return redirect(dossier_url(client))


# --- Client -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@caseworker_required
def client_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    client_form = ClientForm(
        request.POST or None, prefix="client", instance=Client(team_id=user.team_id)
    )
    date_of_birth = None
    if client_form.is_bound and client_form.is_valid():
        date_of_birth = client_form.cleaned_data["date_of_birth"]
    trajectory_form = NewTrajectoryForm(
        request.POST or None, prefix="trajectory", user=user, date_of_birth=date_of_birth
    )
    if request.method == "POST":
        client_ok = client_form.is_valid()
        if client_ok and trajectory_form.is_valid():
            try:
                client = register_client(
                    client=client_form.instance,
                    trajectory=trajectory_form.instance,
                    situation=trajectory_form.cleaned_data["situation"],
                    by=user,
                )
            except IntegrityError as error:
                # A colleague registered the same BSN between the check and the save.
                if "client_bsn_unique_per_team" not in str(error):
                    raise
                client_form.instance.pk = None
                client_form.check_bsn_is_new_to_the_team(client_form.cleaned_data["bsn_input"])
            else:
                AccessLogEntry.write(request, action=Action.CREATE, what="client", client=client)
                messages.success(request, _("%(name)s is registered.") % {"name": client.full_name})
                return redirect(dossier_url(client))
    return render_form_page(
        request,
        title=_("Register a young person"),
        forms=[client_form, trajectory_form],
        submit=_("Register"),
        cancel_url=reverse("cases:caseload"),
        form_titles=[_("The young person"), _("The trajectory")],
    )


@require_GET
@caseworker_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole dossier: every section of `RIO_DOSSIER_SECTIONS`, each loading its own data
    through its `context()` here, so the page's queries are all made (and pinned) in this view."""
    client = get_client_for_user_or_404(request, pk)
    trajectories = list(client.trajectories.select_related("caseworker"))
    AccessLogEntry.write(request, action=Action.VIEW, what="dossier", client=client)
    current = dossier.Dossier(
        client=client,
        trajectory=trajectories[0] if trajectories else None,
        trajectories=trajectories,
        user=request.user,
        today=timezone.localdate(),
    )
    context = {
        "client": client,
        "trajectory": current.trajectory,
        "trajectories": trajectories,
        "today": current.today,
        "sections": dossier.sections(),
        **dossier.section_context(current),
    }
    return render(request, "cases/client_detail.html", context)


@require_http_methods(["GET", "POST"])
@caseworker_required
def client_update(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_client_for_user_or_404(request, pk)
    return edit_page(
        request,
        form=ClientForm(request.POST or None, instance=client),
        client=client,
        what="client",
        saved=_("The details are saved."),
        title=_("Edit details of %(name)s") % {"name": client.full_name},
        next_url=dossier_url(client),
    )


# --- Trajectory ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@caseworker_required
def trajectory_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a new trajectory for a client, e.g. after a new detention."""
    client = get_client_for_user_or_404(request, pk)
    form = NewTrajectoryForm(
        request.POST or None, user=request.user, date_of_birth=client.date_of_birth
    )
    current = client.trajectories.open().first()
    if request.method == "POST" and form.is_valid():
        try:
            start_new_trajectory(
                client=client,
                trajectory=form.instance,
                situation=form.cleaned_data["situation"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            AccessLogEntry.write(request, action=Action.CREATE, what="trajectory", client=client)
            messages.success(request, _("The new trajectory has started."))
            return redirect(dossier_url(client))
    return render_form_page(
        request,
        title=_("New trajectory for %(name)s") % {"name": client.full_name},
        forms=[form],
        client=client,
        submit=_("Start trajectory"),
        cancel_url=dossier_url(client),
        intro=_(
            "The current trajectory (since %(date)s) will be closed with the reason "
            "“new detention”."
        )
        % {"date": current.started_on.strftime("%d-%m-%Y")}
        if current
        else "",
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def trajectory_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the trajectory's facts. The caseworker changes only by a handover."""
    trajectory = get_trajectory_for_user_or_404(request, pk)
    client = trajectory.client
    form = TrajectoryForm(
        request.POST or None,
        instance=trajectory,
        user=request.user,
        date_of_birth=client.date_of_birth,
    )
    next_url = dossier_url(client, "traject")
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            trajectory.update_facts(
                by=request.user, version=form.cleaned_data["version"], **form.facts()
            )
        except ConflictError:
            form.add_error(None, CONFLICT_MESSAGE)
            status = 409
        else:
            AccessLogEntry.write(request, action=Action.UPDATE, what="trajectory", client=client)
            messages.success(request, _("The trajectory is saved."))
            return redirect(next_url)
    return render_form_page(
        request,
        title=_("Edit trajectory of %(name)s") % {"name": client.full_name},
        forms=[form],
        client=client,
        submit=_("Save"),
        cancel_url=next_url,
        status=status,
    )


@require_POST
@caseworker_required
def trajectory_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the young person went into detention or was released."""
    trajectory = get_trajectory_for_user_or_404(request, pk)
    form = TransitionForm(request.POST)

    def record(data) -> None:
        if data["to"] == Trajectory.Status.DETENTION:
            trajectory.start_detention(on=data["on"], by=request.user)
        else:
            trajectory.release(on=data["on"], by=request.user)

    if perform_action(request, form, record):
        AccessLogEntry.write(
            request, action=Action.UPDATE, what="trajectory status", client=trajectory.client
        )
        messages.success(
            request,
            _("Status changed to %(status)s.") % {"status": trajectory.get_status_display()},
        )
    return redirect(dossier_url(trajectory.client, "traject"))


@require_http_methods(["GET", "POST"])
@caseworker_required
def trajectory_close(request: HttpRequest, pk: int) -> HttpResponse:
    trajectory = get_trajectory_for_user_or_404(request, pk)
    client = trajectory.client
    if not trajectory.is_open:
        messages.info(request, _("This trajectory is already closed."))
        return redirect(dossier_url(client, "traject"))
    form = CloseTrajectoryForm(request.POST or None, trajectory=trajectory)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            trajectory.close(
                on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["end_reason"],
                note=form.cleaned_data["end_note"],
                by=request.user,
            )
        except ConflictError:
            form.add_error(None, CONFLICT_MESSAGE)
            status = 409
        else:
            AccessLogEntry.write(
                request, action=Action.UPDATE, what="trajectory closed", client=client
            )
            messages.success(request, _("The trajectory is closed."))
            return redirect(dossier_url(client, "traject"))
    return render_form_page(
        request,
        title=_("Close the trajectory of %(name)s") % {"name": client.full_name},
        forms=[form],
        client=client,
        submit=_("Close trajectory"),
        cancel_url=dossier_url(client, "traject"),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def trajectory_handover(request: HttpRequest, pk: int) -> HttpResponse:
    trajectory = get_trajectory_for_user_or_404(request, pk)
    client = trajectory.client
    form = HandoverForm(request.POST or None, user=request.user, exclude=trajectory.caseworker)
    if request.method == "POST" and form.is_valid():
        try:
            trajectory.hand_over(
                to=form.cleaned_data["to"], by=request.user, note=form.cleaned_data["note"]
            )
        except ConflictError:
            form.add_error(None, CONFLICT_MESSAGE)
        else:
            AccessLogEntry.write(request, action=Action.UPDATE, what="handover", client=client)
            messages.success(
                request,
                _("%(name)s is handed over to %(to)s.")
                % {"name": client.full_name, "to": form.cleaned_data["to"]},
            )
            return redirect(dossier_url(client, "traject"))
    return render_form_page(
        request,
        title=_("Hand over %(name)s") % {"name": client.full_name},
        forms=[form],
        client=client,
        submit=_("Hand over"),
        cancel_url=dossier_url(client, "traject"),
        intro=_("Now with %(caseworker)s.") % {"caseworker": trajectory.caseworker},
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def caseload_handover(request: HttpRequest) -> HttpResponse:
    """Hand over every open trajectory of one caseworker to another (warm handover)."""
    form = CaseloadHandoverForm(
        request.POST or None, user=request.user, initial={"source": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        moved = hand_over_caseload(
            source=form.cleaned_data["source"],
            to=form.cleaned_data["to"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
        AccessLogEntry.write_many(
            request,
            action=Action.UPDATE,
            what="handover",
            clients=[trajectory.client for trajectory in moved],
        )
        return render(
            request,
            "cases/handover_done.html",
            {"moved": moved, "source": form.cleaned_data["source"], "to": form.cleaned_data["to"]},
        )
    return render_form_page(
        request,
        title=_("Hand over a caseload")
        if request.user.is_team_coordinator
        else _("Hand over my caseload"),
        forms=[form],
        submit=_("Hand over all open trajectories"),
        cancel_url=reverse("cases:caseload"),
        intro=_(
            "Every open trajectory of the chosen caseworker moves to the new caseworker. "
            "The note lands on each timeline."
        ),
    )


@require_GET
@caseworker_required
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    trajectory = get_trajectory_for_user_or_404(request, pk)
    form = TimelineFilterForm(request.GET or None)
    events = trajectory.timeline.for_display()
    if form.is_valid() and form.cleaned_data["kind"]:
        events = events.filter(kind=form.cleaned_data["kind"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    AccessLogEntry.write(request, action=Action.VIEW, what="timeline", client=trajectory.client)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "trajectory": trajectory,
        "client": trajectory.client,
        "form": form,
        "page": page,
        "query": query.urlencode(),
    }
    template = "cases/timeline.html#events" if request.htmx else "cases/timeline.html"
    return render(request, template, context)


# --- Contacts ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@caseworker_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a contact. From the dossier with htmx it stays on the page."""
    trajectory = get_trajectory_for_user_or_404(request, pk)
    client = trajectory.client
    form = ContactForm(request.POST or None)
    saved = False
    if request.method == "POST" and form.is_valid():
        trajectory.log_contact(form.instance, by=request.user)
        AccessLogEntry.write(request, action=Action.CREATE, what="contact", client=client)
        if not request.htmx:
            messages.success(request, _("The contact is saved."))
            return redirect(dossier_url(client, "contacten"))
        saved, form = True, ContactForm()
    if request.htmx:
        if not saved:
            log_view(request, client=client)
        # The dossier's contacts section again, as the dossier shows it.
        context = {
            "client": client,
            "trajectory": trajectory,
            **contacts_of(trajectory, timezone.localdate()),
            "contact_form": form,
            "contact_saved": saved,
        }
        return render(request, CONTACTS.template, context)
    return render_form_page(
        request,
        title=_("Log a contact with %(name)s") % {"name": client.full_name},
        forms=[form],
        client=client,
        submit=_("Save contact"),
        cancel_url=dossier_url(client, "contacten"),
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def contact_update(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_trajectory_record_for_user_or_404(request, ContactMoment, pk, what="contact")
    client = contact.trajectory.client
    return edit_page(
        request,
        form=ContactForm(request.POST or None, instance=contact),
        client=client,
        what="contact",
        saved=_("The contact is saved."),
        title=_("Edit contact"),
        next_url=dossier_url(client, "contacten"),
    )


# --- Network ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@caseworker_required
def network_create(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_client_for_user_or_404(request, pk)
    form = NetworkMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.client = client
        form.save()
        AccessLogEntry.write(request, action=Action.CREATE, what="network member", client=client)
        messages.success(
            request, _("%(name)s is added to the network.") % {"name": form.instance.name}
        )
        return redirect(dossier_url(client, "netwerk"))
    return render_form_page(
        request,
        title=_("Add someone to the network of %(name)s") % {"name": client.full_name},
        forms=[form],
        client=client,
        submit=_("Add"),
        cancel_url=dossier_url(client, "netwerk"),
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def network_update(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_for_user_or_404(
        request,
        NetworkMember.objects.visible_to(request.user).select_related("client"),
        pk,
        what="network member",
    )
    client = member.client
    return edit_page(
        request,
        form=NetworkMemberForm(request.POST or None, instance=member),
        client=client,
        what="network member",
        saved=_("The network is saved."),
        title=_("Edit %(name)s") % {"name": member.name},
        next_url=dossier_url(client, "netwerk"),
        delete_url=reverse("cases:network-delete", args=[member.pk]),
    )


@require_POST
@caseworker_required
def network_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_for_user_or_404(
        request,
        NetworkMember.objects.visible_to(request.user).select_related("client"),
        pk,
        what="network member",
    )
    client = member.client
    member.delete()
    AccessLogEntry.write(
        request, action=Action.UPDATE, what="network member removed", client=client
    )
    messages.success(request, _("%(name)s is removed from the network.") % {"name": member.name})
    return redirect(dossier_url(client, "netwerk"))


# --- Documents and DJI messages ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@caseworker_required
def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_client_for_user_or_404(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        Document.store(
            client=client,
            trajectory=client.trajectories.first(),
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            uploaded=form.cleaned_data["file"],
            file_type=form.file_type,
            by=request.user,
        )
        AccessLogEntry.write(request, action=Action.CREATE, what="document", client=client)
        messages.success(request, _("The document is saved."))
        return redirect(dossier_url(client, "documenten"))
    return render_form_page(
        request,
        title=_("Upload a document for %(name)s") % {"name": client.full_name},
        forms=[form],
        client=client,
        submit=_("Upload"),
        cancel_url=dossier_url(client, "documenten"),
    )


@require_GET
@caseworker_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_for_user_or_404(
        request,
        Document.objects.visible_to(request.user).select_related("client"),
        pk,
        what="document",
    )
    AccessLogEntry.write(request, action=Action.DOWNLOAD, what="document", client=document.client)
    filename = f"{document.title}.{document.extension}"
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@caseworker_required
def dji_create(request: HttpRequest, pk: int) -> HttpResponse:
    trajectory = get_trajectory_for_user_or_404(request, pk)
    client = trajectory.client
    form = DJIMessageForm(request.POST or None, request.FILES or None, trajectory=trajectory)
    if request.method == "POST" and form.is_valid():
        try:
            record_dji_message(
                message=form.instance,
                trajectory=trajectory,
                by=request.user,
                apply_release_date=form.cleaned_data["apply_release_date"],
                uploaded=form.cleaned_data.get("file"),
                file_type=form.file_type,
            )
        except ConflictError:
            form.add_error(None, CONFLICT_MESSAGE)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            AccessLogEntry.write(request, action=Action.CREATE, what="DJI message", client=client)
            messages.success(request, _("The DJI message is saved."))
            return redirect(dossier_url(client, "dji"))
    return render_form_page(
        request,
        title=_("Record a DJI message for %(name)s") % {"name": client.full_name},
        forms=[form],
        client=client,
        submit=_("Save message"),
        cancel_url=dossier_url(client, "dji"),
    )
