"""“Mijn plan”: the plan in easy words for the young person, as a page and a PDF.

Only what helps the young person act: their open goals, who does what and when,
the next appointment and the people to call. Never scores, offences, detention
details or the BSN — the context below simply does not carry them.
"""

from __future__ import annotations

import datetime

import weasyprint
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import caseworker_required
from audit.models import AccessLogEntry
from cases.forms import CONFLICT_MESSAGE
from cases.models import NetworkMember, Trajectory, get_trajectory_for_user_or_404
from cases.pages import edit_page, render_form_page
from lifedomains.domains import Domain
from lifedomains.forms import PersonalPlanForm
from lifedomains.models import Action, Goal, PersonalPlan

Log = AccessLogEntry.Action

# One short everyday word per domain; the official labels are too long for easy reading.
SIMPLE_LABELS = {
    Domain.HOUSING: gettext_lazy("Housing"),
    Domain.ADMIN: gettext_lazy("Practical affairs"),
    Domain.CARE: gettext_lazy("Care"),
    # Translators: one easy word for the domain "finances and debts" (nl: Geld).
    Domain.FINANCES: gettext_lazy("Money"),
    # Translators: one easy word for the domain "work and income" (nl: Werk).
    Domain.WORK: gettext_lazy("Work"),
}
DOMAIN_ORDER = {code: index for index, code in enumerate(Domain.values)}

# WeasyPrint resolves the PDF template's font URLs against the static folder.
STATIC_BASE_URL = (settings.BASE_DIR / "static").as_uri() + "/"


def goal_block(goal: Goal) -> dict:
    actions = list(goal.actions.all())
    return {
        "goal": goal,
        "label": SIMPLE_LABELS[goal.domain],
        "icon": f"lifedomains/icons/{goal.domain}.svg",
        "mine": [a for a in actions if a.owner == Action.Owner.CLIENT],
        "rio": [a for a in actions if a.owner == Action.Owner.CASEWORKER],
        "others": [a for a in actions if a.owner in (Action.Owner.NETWORK, Action.Owner.PARTNER)],
    }


def plan_context(trajectory: Trajectory, *, now: datetime.datetime | None = None) -> dict:
    """What the page and the PDF show, in four queries."""
    now = now or timezone.now()
    goals = sorted(
        trajectory.goals.filter(status__in=[Goal.Status.OPEN, Goal.Status.ACHIEVED])
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.open()
                .select_related("organisation")
                .order_by("due_date", "pk"),
            )
        )
        .order_by("target_date", "pk"),
        key=lambda goal: DOMAIN_ORDER[goal.domain],
    )
    plan = PersonalPlan.objects.filter(trajectory=trajectory).first()
    appointment = plan.next_appointment if plan else None
    if appointment and appointment < now:
        appointment = None  # gone by: the young person should not go there again
    people = trajectory.client.network.filter(influence=NetworkMember.Influence.SUPPORTIVE).exclude(
        phone=""
    )
    caseworker = trajectory.caseworker
    return {
        "trajectory": trajectory,
        "first_name": trajectory.client.first_name,
        "open_goals": [goal_block(g) for g in goals if g.status == Goal.Status.OPEN],
        "achieved_goals": [goal_block(g) for g in goals if g.status == Goal.Status.ACHIEVED],
        "plan": plan,
        "appointment": appointment,
        "caseworker_name": caseworker.get_full_name() or caseworker.username,
        "people": list(people),
        "this_year": timezone.localdate(now).year,
    }


@require_GET
@caseworker_required
def personal_plan(request: HttpRequest, pk: int) -> HttpResponse:
    trajectory = get_trajectory_for_user_or_404(request, pk)
    context = plan_context(trajectory)
    AccessLogEntry.write(request, action=Log.VIEW, what="personal plan", client=trajectory.client)
    return render(
        request,
        "lifedomains/personal_plan.html",
        {**context, "client": trajectory.client},
    )


@require_GET
@caseworker_required
def personal_plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same plan as a tagged PDF (PDF/UA-1), for printing or sending."""
    trajectory = get_trajectory_for_user_or_404(request, pk)
    html = render_to_string(
        "lifedomains/personal_plan_pdf.html", {**plan_context(trajectory), "pdf": True}, request
    )
    pdf = weasyprint.HTML(string=html, base_url=STATIC_BASE_URL).write_pdf(pdf_variant="pdf/ua-1")
    AccessLogEntry.write(
        request, action=Log.DOWNLOAD, what="personal plan pdf", client=trajectory.client
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="mijn-plan.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@caseworker_required
def personal_plan_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The next appointment and a word from the RIO; the first save creates the plan."""
    trajectory = get_trajectory_for_user_or_404(request, pk)
    client = trajectory.client
    plan_url = reverse("lifedomains:personal-plan", args=[trajectory.pk])
    title = _("Appointment and message in “My plan” of %(name)s") % {"name": client.first_name}
    saved = _("“My plan” is saved.")
    plan = PersonalPlan.objects.filter(trajectory=trajectory).first()
    if plan is not None:
        return edit_page(
            request,
            form=PersonalPlanForm(request.POST or None, instance=plan),
            client=client,
            trajectory=trajectory,
            what="personal plan",
            saved=saved,
            title=title,
            next_url=plan_url,
        )
    form = PersonalPlanForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        plan = form.save(commit=False)
        try:
            trajectory.attach(plan, by=request.user)
        except IntegrityError:
            # A colleague created the plan after this form was opened.
            form.add_error(None, CONFLICT_MESSAGE)
            status = 409
        except ValidationError as error:
            form.add_error(None, error)
        else:
            AccessLogEntry.write(request, action=Log.CREATE, what="personal plan", client=client)
            messages.success(request, saved)
            return redirect(plan_url)
    return render_form_page(
        request,
        title=title,
        forms=[form],
        client=client,
        submit=_("Save"),
        cancel_url=plan_url,
        status=status,
    )
