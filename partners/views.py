"""The partner registry for caseworkers: shared by all teams, so no team scoping,
but only caseworkers (admins use Django admin; managers see aggregates)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import caseworker_required
from cases.views import render_form_page
from partners.forms import ContactPersonForm, OrganisationFilterForm, OrganisationForm
from partners.models import ContactPerson, Organisation


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
    organisation = get_object_or_404(Organisation.objects.select_related("municipality"), pk=pk)
    return render(
        request,
        "partners/organisation_detail.html",
        {"organisation": organisation, "contacts": organisation.contacts.all()},
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(
        request.POST or None, initial={"municipality": request.user.home_municipality}
    )
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, _("%(name)s is added to the registry.") % {"name": organisation})
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
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The organisation is saved."))
        return redirect("partners:organisation-detail", pk=organisation.pk)
    return render_form_page(
        request,
        title=_("Edit %(name)s") % {"name": organisation},
        forms=[form],
        submit=_("Save"),
        cancel_url=reverse("partners:organisation-detail", args=[organisation.pk]),
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
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
    contact = get_object_or_404(ContactPerson.objects.select_related("organisation"), pk=pk)
    form = ContactPersonForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The contact person is saved."))
        return redirect("partners:organisation-detail", pk=contact.organisation_id)
    return render_form_page(
        request,
        title=_("Edit %(name)s") % {"name": contact.name},
        forms=[form],
        submit=_("Save"),
        cancel_url=reverse("partners:organisation-detail", args=[contact.organisation_id]),
    )
