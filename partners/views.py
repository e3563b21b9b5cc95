"""Chain partners for caseworkers.

The registry is shared by all teams (reference data: no team scoping, but
caseworkers only; each organisation is changed only by those who keep it,
`Organisation.objects.editable_by`); what partners do on a trajectory is client data and is
scoped to the client's team like every dossier page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import caseworker_required
from audit.models import AccessLogEntry
from cases.forms import CONFLICT_MESSAGE
from cases.locking import ConflictError
from cases.models import TimelineEvent, Trajectory, get_trajectory_for_user_or_404
from cases.pages import dossier_url, edit_page, log_view, perform_action, render_form_page
from cases.scoping import get_for_user_or_404, get_trajectory_record_for_user_or_404
from partners.forms import (
    AgreementFormSet,
    AnswerForm,
    BottleneckFilterForm,
    BottleneckForm,
    BottleneckStatusForm,
    CaseConferenceForm,
    ContactPersonForm,
    DetentionPlaceForm,
    EscalateForm,
    InvolvementForm,
    OrganisationFilterForm,
    OrganisationForm,
    PartnerRequestForm,
    SharingBasisForm,
)
from partners.models import (
    Bottleneck,
    BottleneckEvent,
    ContactPerson,
    DetentionPlace,
    Involvement,
    Organisation,
    PartnerRequest,
    SharingBasis,
    get_organisation_for_editing_or_403,
)


@require_GET
@caseworker_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    organisations = Organisation.objects.select_related("municipality")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            organisations = organisations.filter(name__icontains=data["q"].strip())
        if data["kind"]:
            organisations = organisations.filter(kind=data["kind"])
        if data["domain"]:
            organisations = organisations.filter(domains__contains=[data["domain"]])
    page = Paginator(organisations.order_by("-is_active", "name"), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    log_view(request, what="partner registry")
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = (
        "partners/organisation_list.html#results"
        if request.htmx
        else "partners/organisation_list.html"
    )
    return render(request, template, context)


@require_GET
@caseworker_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("municipality").prefetch_related(
            "region_municipalities"
        ),
        pk=pk,
    )
    log_view(request, what="partner registry")
    return render(
        request,
        "partners/organisation_detail.html",
        {
            "organisation": organisation,
            "contacts": organisation.contacts.all(),
            "can_edit": organisation.can_be_edited_by(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(
        request.POST or None,
        user=request.user,
        initial={"municipality": request.user.home_municipality},
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation = form.save_new()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(name)s is added to the registry.") % {"name": organisation}
            )
            return redirect("partners:organisation-detail", pk=organisation.pk)
    return render_form_page(
        request,
        title=_("Add an organisation"),
        forms=[form],
        submit=_("Add"),
        cancel_url=reverse("partners:organisation-list"),
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def organisation_update(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_editing_or_403(request.user, pk)
    return edit_page(
        request,
        form=OrganisationForm(request.POST or None, instance=organisation, user=request.user),
        client=None,
        what=f"organisation {organisation.pk}",
        saved=_("The organisation is saved."),
        title=_("Edit %(name)s") % {"name": organisation},
        next_url=reverse("partners:organisation-detail", args=[organisation.pk]),
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_editing_or_403(request.user, pk)
    form = ContactPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.organisation = organisation
        form.save()
        messages.success(request, _("The contact person is saved."))
        return redirect("partners:organisation-detail", pk=organisation.pk)
    return render_form_page(
        request,
        title=_("New contact person at %(name)s") % {"name": organisation},
        forms=[form],
        submit=_("Add"),
        cancel_url=reverse("partners:organisation-detail", args=[organisation.pk]),
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def contact_update(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(ContactPerson, pk=pk)
    organisation = get_organisation_for_editing_or_403(request.user, contact.organisation_id)
    return edit_page(
        request,
        form=ContactPersonForm(request.POST or None, instance=contact),
        client=None,
        what=f"contact person {contact.pk} of organisation {organisation.pk}",
        saved=_("The contact person is saved."),
        title=_("Edit %(name)s") % {"name": contact.name},
        next_url=reverse("partners:organisation-detail", args=[organisation.pk]),
    )


# --- Per trajectory: scoped to the client's team; anyone else gets 404 ---------------


def create_on_trajectory(request, *, pk, form_class, what, title, submit, saved, timeline_title):
    """Save a new partner record on a trajectory, with its timeline line and log line."""
    trajectory = get_trajectory_for_user_or_404(request, pk)
    client = trajectory.client
    form = form_class(request.POST or None, trajectory=trajectory)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        try:
            trajectory.attach(
                record,
                by=request.user,
                timeline_kind=TimelineEvent.Kind.PARTNERS,
                timeline_title=timeline_title(record),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            AccessLogEntry.write(
                request, action=AccessLogEntry.Action.CREATE, what=what, client=client
            )
            messages.success(request, saved)
            return redirect(dossier_url(client, "partners"))
    return render_form_page(
        request,
        title=title % {"name": client.full_name},
        forms=[form],
        client=client,
        submit=submit,
        cancel_url=dossier_url(client, "partners"),
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def involvement_create(request: HttpRequest, pk: int) -> HttpResponse:
    return create_on_trajectory(
        request,
        pk=pk,
        form_class=InvolvementForm,
        what="involvement",
        title=_("Add a partner to the trajectory of %(name)s"),
        submit=_("Add partner"),
        saved=_("The partner is added."),
        timeline_title=lambda record: _("Partner involved: %(partner)s") % {"partner": record},
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def involvement_update(request: HttpRequest, pk: int) -> HttpResponse:
    involvement = get_trajectory_record_for_user_or_404(
        request, Involvement, pk, what="involvement"
    )
    client = involvement.trajectory.client
    return edit_page(
        request,
        form=InvolvementForm(
            request.POST or None, instance=involvement, trajectory=involvement.trajectory
        ),
        client=client,
        what="involvement",
        saved=_("The involvement is saved."),
        title=_("Edit involvement of %(partner)s") % {"partner": involvement.organisation},
        next_url=dossier_url(client, "partners"),
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def basis_create(request: HttpRequest, pk: int) -> HttpResponse:
    return create_on_trajectory(
        request,
        pk=pk,
        form_class=SharingBasisForm,
        what="legal basis",
        title=_("Record a legal basis for sharing data of %(name)s"),
        submit=_("Save legal basis"),
        saved=_("The legal basis is saved."),
        timeline_title=lambda record: _("Legal basis: %(basis)s") % {"basis": record},
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def basis_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a legal basis, e.g. record that the young person withdrew consent."""
    basis = get_trajectory_record_for_user_or_404(request, SharingBasis, pk, what="legal basis")
    client = basis.trajectory.client
    return edit_page(
        request,
        form=SharingBasisForm(request.POST or None, instance=basis, trajectory=basis.trajectory),
        client=client,
        what="legal basis",
        saved=_("The legal basis is saved."),
        title=_("Edit legal basis for %(partner)s") % {"partner": basis.organisation},
        next_url=dossier_url(client, "partners"),
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    return create_on_trajectory(
        request,
        pk=pk,
        form_class=PartnerRequestForm,
        what="partner request",
        title=_("Ask a partner something for %(name)s"),
        submit=_("Save request"),
        saved=_("The request is saved."),
        timeline_title=lambda record: (
            _("Request to %(partner)s") % {"partner": record.organisation}
        ),
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    partner_request = get_trajectory_record_for_user_or_404(
        request, PartnerRequest, pk, what="partner request", related=["organisation"]
    )
    client = partner_request.trajectory.client
    return edit_page(
        request,
        form=AnswerForm(request.POST or None, instance=partner_request),
        client=client,
        what="partner answer",
        saved=_("The answer is saved."),
        title=_("Answer of %(partner)s") % {"partner": partner_request.organisation},
        next_url=dossier_url(client, "partners"),
        intro=partner_request.question,
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def conference_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a case conference with its agreements, all or nothing."""
    trajectory = get_trajectory_for_user_or_404(request, pk)
    client = trajectory.client
    form = CaseConferenceForm(request.POST or None, trajectory=trajectory)
    agreements = AgreementFormSet(request.POST or None, prefix="agreements")
    if request.method == "POST" and form.is_valid() and agreements.is_valid():
        conference = form.save(commit=False)
        conference.created_by = request.user
        try:
            with transaction.atomic():
                trajectory.attach(
                    conference,
                    by=request.user,
                    timeline_kind=TimelineEvent.Kind.PARTNERS,
                    timeline_title=_("Case conference: %(conference)s")
                    % {"conference": conference},
                    # No copy of the summary: it is read (and corrected, and erased)
                    # on the conference itself.
                )
                form.save_m2m()
                agreements.instance = conference
                agreements.save()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            AccessLogEntry.write(
                request, action=AccessLogEntry.Action.CREATE, what="case conference", client=client
            )
            messages.success(request, _("The case conference is saved."))
            return redirect(dossier_url(client, "partners"))
    log_view(request, client=client)
    return render(
        request,
        "partners/conference_form.html",
        {"client": client, "trajectory": trajectory, "form": form, "agreements": agreements},
    )


# --- Bottlenecks: team-owned; another team gets 404 -----------------------------------


def get_bottleneck_for_user_or_404(request, pk: int, queryset=None) -> Bottleneck:
    """A bottleneck of the user's team. It may block several young people's trajectories,
    so a refused request names no client."""
    queryset = Bottleneck.objects if queryset is None else queryset
    return get_for_user_or_404(
        request, queryset.visible_to(request.user), pk, what="bottleneck", client_of=None
    )


@require_GET
@caseworker_required
def bottleneck_list(request: HttpRequest) -> HttpResponse:
    form = BottleneckFilterForm(request.GET or None)
    bottlenecks = Bottleneck.objects.visible_to(request.user).prefetch_related("organisations")
    status = form.cleaned_data["status"] if form.is_valid() else ""
    if status == "":
        bottlenecks = bottlenecks.unresolved()
    elif status != "all":
        bottlenecks = bottlenecks.filter(status=status)
    if form.is_valid():
        data = form.cleaned_data
        if data["level"]:
            bottlenecks = bottlenecks.filter(level=data["level"])
        if data["category"]:
            bottlenecks = bottlenecks.filter(category=data["category"])
        if data["organisation"]:
            bottlenecks = bottlenecks.filter(organisations=data["organisation"])
    page = Paginator(bottlenecks.order_by("raised_on", "pk"), 50).get_page(request.GET.get("page"))
    log_view(request, what=f"bottlenecks ({len(page.object_list)} shown)")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "today": timezone.localdate(),
    }
    template = (
        "partners/bottleneck_list.html#results" if request.htmx else "partners/bottleneck_list.html"
    )
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@caseworker_required
def bottleneck_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    asked = request.GET.get("trajectory", "")
    # ASCII only: str.isdigit() also accepts "²", which int() refuses.
    if asked.isascii() and asked.isdigit():
        initial["trajectories"] = [get_trajectory_for_user_or_404(request, int(asked))]
    form = BottleneckForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            bottleneck = form.save(commit=False)
            bottleneck.team_id = request.user.team_id
            bottleneck.raised_by = request.user
            bottleneck.save()
            form.save_m2m()
            BottleneckEvent.objects.create(
                bottleneck=bottleneck,
                kind=BottleneckEvent.Kind.RAISED,
                change=bottleneck.get_level_display(),
                note=bottleneck.description,
                by=request.user,
            )
        messages.success(request, _("The bottleneck is registered."))
        return redirect("partners:bottleneck-detail", pk=bottleneck.pk)
    return render_form_page(
        request,
        title=_("Register a bottleneck"),
        forms=[form],
        # The form offers the team's open trajectories by the young person's name.
        log_as="bottleneck form",
        submit=_("Register"),
        cancel_url=reverse("partners:bottleneck-list"),
        intro=_(
            "Something that blocks re-integration and that the professionals cannot solve "
            "alone. It starts at case level and can be raised to process and administrative "
            "level."
        ),
    )


@require_GET
@caseworker_required
def bottleneck_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bottleneck = get_bottleneck_for_user_or_404(
        request,
        pk,
        Bottleneck.objects.prefetch_related(
            "organisations",
            Prefetch(
                "trajectories",
                # Only trajectories the user may see, even if one moved to another team.
                queryset=Trajectory.objects.visible_to(request.user).select_related("client"),
            ),
            Prefetch("events", queryset=BottleneckEvent.objects.select_related("by")),
        ),
    )
    # One line, not one per young person it names; they are all of the user's team.
    clients = len(bottleneck.trajectories.all())
    log_view(request, what=f"bottleneck {bottleneck.pk} ({clients} clients)")
    return render(
        request,
        "partners/bottleneck_detail.html",
        {
            "bottleneck": bottleneck,
            "escalate_form": EscalateForm(bottleneck=bottleneck)
            if bottleneck.next_level()
            else None,
            "status_form": BottleneckStatusForm(bottleneck=bottleneck),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def bottleneck_update(request: HttpRequest, pk: int) -> HttpResponse:
    bottleneck = get_bottleneck_for_user_or_404(request, pk)
    form = BottleneckForm(request.POST or None, instance=bottleneck, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            form.save_versioned()
        except ConflictError:
            form.add_error(None, CONFLICT_MESSAGE)
            status = 409
        else:
            messages.success(request, _("The bottleneck is saved."))
            return redirect("partners:bottleneck-detail", pk=bottleneck.pk)
    return render_form_page(
        request,
        title=_("Edit bottleneck"),
        forms=[form],
        log_as=f"bottleneck {bottleneck.pk} form",
        submit=_("Save"),
        cancel_url=reverse("partners:bottleneck-detail", args=[bottleneck.pk]),
        status=status,
    )


def bottleneck_action(request, bottleneck, form, act) -> HttpResponse:
    """Run an escalation or status change; errors come back as messages on the page."""
    if perform_action(request, form, act):
        messages.success(request, _("The bottleneck is updated."))
    return redirect("partners:bottleneck-detail", pk=bottleneck.pk)


@require_POST
@caseworker_required
def bottleneck_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    bottleneck = get_bottleneck_for_user_or_404(request, pk)
    form = EscalateForm(request.POST, bottleneck=bottleneck)
    return bottleneck_action(
        request,
        bottleneck,
        form,
        lambda data: bottleneck.escalate(
            to=data["to"], by=request.user, note=data["note"], skip_reason=data["skip_reason"]
        ),
    )


@require_POST
@caseworker_required
def bottleneck_status(request: HttpRequest, pk: int) -> HttpResponse:
    bottleneck = get_bottleneck_for_user_or_404(request, pk)
    form = BottleneckStatusForm(request.POST, bottleneck=bottleneck)
    return bottleneck_action(
        request,
        bottleneck,
        form,
        lambda data: bottleneck.change_status(
            to=data["to"], by=request.user, note=data["note"], resolution=data["resolution"]
        ),
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def detention_place_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the trajectory to its penitentiary institution in the registry."""
    trajectory = get_trajectory_for_user_or_404(request, pk)
    client = trajectory.client
    place = DetentionPlace.objects.filter(trajectory=trajectory).first()
    form = DetentionPlaceForm(
        request.POST or None, instance=place or DetentionPlace(trajectory=trajectory)
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                trajectory.ensure_accepts(DetentionPlace)
                place = form.save()
                TimelineEvent.record(
                    trajectory=trajectory,
                    kind=TimelineEvent.Kind.PARTNERS,
                    by=request.user,
                    title=_("Penitentiary institution: %(name)s") % {"name": place.organisation},
                )
                # The trajectory shows the institution by name; keep it the same.
                trajectory.update_facts(
                    penitentiary_institution=place.organisation.name, by=request.user
                )
        except ValidationError as error:
            form.add_error(None, error)
        except ConflictError:
            form.add_error(None, CONFLICT_MESSAGE)
            status = 409
        else:
            AccessLogEntry.write(
                request, action=AccessLogEntry.Action.UPDATE, what="detention place", client=client
            )
            messages.success(request, _("The penitentiary institution is linked."))
            return redirect(dossier_url(client, "partners"))
    return render_form_page(
        request,
        title=_("Penitentiary institution of %(name)s") % {"name": client.full_name},
        forms=[form],
        client=client,
        submit=_("Save"),
        cancel_url=dossier_url(client, "partners"),
        status=status,
    )
