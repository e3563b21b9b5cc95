"""Measuring, planning and the release checklist. Scoped like the dossier:
another team gets 404 on every page here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import caseworker_required
from audit.models import AccessLogEntry
from cases.forms import CONFLICT_MESSAGE
from cases.locking import ConflictError
from cases.models import TimelineEvent, get_trajectory_for_user_or_404
from cases.pages import dossier_url, edit_page, log_view, render_form_page
from cases.scoping import get_for_user_or_404
from lifedomains.domains import Domain
from lifedomains.forms import (
    ActionForm,
    AgreementActionForm,
    AssessmentForm,
    DomainScoreForm,
    GoalForm,
    ReadinessItemForm,
)
from lifedomains.models import (
    Action,
    Assessment,
    DomainScore,
    LevelDescription,
    ReadinessItem,
    get_action_for_user_or_404,
    get_assessment_for_user_or_404,
    get_goal_for_user_or_404,
)
from partners.models import Agreement

Log = AccessLogEntry.Action


def level_texts() -> dict[str, dict[int, str]]:
    texts: dict[str, dict[int, str]] = {domain: {} for domain in Domain.values}
    for row in LevelDescription.objects.all():
        texts[row.domain][row.level] = row.description
    return texts


def score_forms(data, *, scores: dict[str, DomainScore], initial: dict[str, dict]):
    texts = level_texts()
    return [
        DomainScoreForm(
            data,
            domain=domain,
            levels=texts[domain],
            instance=scores.get(domain),
            initial=initial.get(domain),
        )
        for domain in Domain.values
    ]


def render_assessment(request, *, trajectory, form, domain_forms, title, status=200):
    log_view(request, client=trajectory.client)
    return render(
        request,
        "lifedomains/assessment_form.html",
        {
            "trajectory": trajectory,
            "client": trajectory.client,
            "form": form,
            "domain_forms": domain_forms,
            "title": title,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Measure the five domains. The previous scores and wishes are pre-filled."""
    trajectory = get_trajectory_for_user_or_404(request, pk)
    previous = trajectory.assessments.prefetch_related("scores").order_by("-date", "-pk").first()
    initial = {}
    if previous is not None:
        initial = {
            score.domain: {
                "score": score.score,
                "discussed": score.discussed,
                "wish": score.wish,
                "wish_strength": score.wish_strength,
            }
            for score in previous.scores.all()
        }
    moment = Assessment.Moment.INTERIM if previous else Assessment.Moment.T0
    form = AssessmentForm(request.POST or None, trajectory=trajectory, initial={"moment": moment})
    domain_forms = score_forms(request.POST or None, scores={}, initial=initial)
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in domain_forms):
        try:
            save_assessment(request, trajectory, form, domain_forms)
        except IntegrityError:
            # A colleague saved the same moment between the check and the save.
            form.add_error("moment", _("This moment has already been measured."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            AccessLogEntry.write(
                request, action=Log.CREATE, what="assessment", client=trajectory.client
            )
            messages.success(request, _("The assessment is saved."))
            return redirect(dossier_url(trajectory.client, "leefgebieden"))
    return render_assessment(
        request,
        trajectory=trajectory,
        form=form,
        domain_forms=domain_forms,
        title=_("Measure the life domains of %(name)s") % {"name": trajectory.client.full_name},
    )


@transaction.atomic
def save_assessment(request, trajectory, form, domain_forms) -> Assessment:
    """The assessment, its five scores and a timeline line: all or nothing."""
    assessment = form.save(commit=False)
    assessment.created_by = request.user
    trajectory.attach(
        assessment,
        by=request.user,
        timeline_kind=TimelineEvent.Kind.LIFE_DOMAINS,
        timeline_title=_("Assessment recorded: %(moment)s") % {"moment": assessment},
    )
    for domain_form in domain_forms:
        score = domain_form.save(commit=False)
        score.assessment = assessment
        score.domain = domain_form.domain
        score.save()
    return assessment


@require_http_methods(["GET", "POST"])
@caseworker_required
def assessment_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the most recent assessment; earlier ones are history and stay as they are."""
    assessment = get_assessment_for_user_or_404(request, pk)
    trajectory = assessment.trajectory
    if not assessment.is_latest():
        messages.error(request, _("Only the most recent assessment can be changed."))
        return redirect(dossier_url(trajectory.client, "leefgebieden"))
    scores = {score.domain: score for score in assessment.scores.all()}
    form = AssessmentForm(request.POST or None, instance=assessment, trajectory=trajectory)
    domain_forms = score_forms(request.POST or None, scores=scores, initial={})
    status = 200
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in domain_forms):
        try:
            with transaction.atomic():
                form.save_versioned()
                for domain_form in domain_forms:
                    score = domain_form.save(commit=False)
                    score.assessment = assessment
                    score.domain = domain_form.domain
                    score.save()
        except ConflictError:
            form.add_error(None, CONFLICT_MESSAGE)
            status = 409
        else:
            AccessLogEntry.write(
                request, action=Log.UPDATE, what="assessment", client=trajectory.client
            )
            messages.success(request, _("The assessment is saved."))
            return redirect(dossier_url(trajectory.client, "leefgebieden"))
    return render_assessment(
        request,
        trajectory=trajectory,
        form=form,
        domain_forms=domain_forms,
        title=_("Change the assessment of %(name)s") % {"name": trajectory.client.full_name},
        status=status,
    )


# --- Plan -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@caseworker_required
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    trajectory = get_trajectory_for_user_or_404(request, pk)
    client = trajectory.client
    form = GoalForm(request.POST or None, initial={"domain": request.GET.get("domain")})
    if request.method == "POST" and form.is_valid():
        goal = form.save(commit=False)
        goal.created_by = request.user
        try:
            trajectory.attach(
                goal,
                by=request.user,
                timeline_kind=TimelineEvent.Kind.LIFE_DOMAINS,
                # The domain, not the goal's words: the timeline cannot be
                # corrected, the goal can (PR-2).
                timeline_title=_("Goal added: %(domain)s") % {"domain": goal.get_domain_display()},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            AccessLogEntry.write(request, action=Log.CREATE, what="goal", client=client)
            messages.success(request, _("The goal is saved. Add what will be done to reach it."))
            return redirect(reverse("lifedomains:action-create", args=[goal.pk]))
    return render_form_page(
        request,
        title=_("New goal for %(name)s") % {"name": client.full_name},
        forms=[form],
        client=client,
        submit=_("Save goal"),
        cancel_url=dossier_url(client, "plan"),
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def goal_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a goal while the trajectory is open. After closing the plan stays as it was
    at the end: it is what the end evaluation and the reports look back on, and what
    happens later is recorded as a contact or an assessment."""
    goal = get_goal_for_user_or_404(request, pk)
    client = goal.trajectory.client
    return edit_page(
        request,
        form=GoalForm(request.POST or None, instance=goal),
        client=client,
        trajectory=goal.trajectory,
        what="goal",
        saved=_("The goal is saved."),
        title=_("Change goal"),
        next_url=dossier_url(client, "plan"),
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal_for_user_or_404(request, pk)
    client = goal.trajectory.client
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.goal = goal
        try:
            goal.trajectory.attach(action, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            AccessLogEntry.write(request, action=Log.CREATE, what="action", client=client)
            messages.success(request, _("The action is saved."))
            return redirect(dossier_url(client, "plan"))
    return render_form_page(
        request,
        title=_("What will be done for: %(goal)s") % {"goal": goal.text},
        forms=[form],
        client=client,
        submit=_("Save action"),
        cancel_url=dossier_url(client, "plan"),
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an action while the trajectory is open; refused after closing, like a goal."""
    action = get_action_for_user_or_404(request, pk)
    client = action.goal.trajectory.client
    return edit_page(
        request,
        form=ActionForm(request.POST or None, instance=action),
        client=client,
        trajectory=action.goal.trajectory,
        what="action",
        saved=_("The action is saved."),
        title=_("Change action"),
        next_url=dossier_url(client, "plan"),
    )


@require_POST
@caseworker_required
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick an action off as done today (from the plan, with htmx in place); refused after
    closing, like any change to the plan."""
    action = get_action_for_user_or_404(request, pk)
    client = action.goal.trajectory.client
    try:
        action.goal.trajectory.ensure_accepts(action)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        if request.htmx:
            # The whole page again, so the message shows; not the dossier inside one item.
            return HttpResponseClientRedirect(dossier_url(client, "plan"))
        return redirect(dossier_url(client, "plan"))
    if action.done_on is None:
        # Bumps the version too, so an edit form opened before sees the change.
        Action.objects.filter(pk=action.pk, done_on__isnull=True).update(
            done_on=timezone.localdate(), version=F("version") + 1
        )
        action.refresh_from_db()
        AccessLogEntry.write(request, action=Log.UPDATE, what="action done", client=client)
    if request.htmx:
        return render(
            request,
            "lifedomains/action_item.html",
            {"action": action, "today": timezone.localdate(), "plan_editable": True},
        )
    messages.success(request, _("Marked as done."))
    return redirect(dossier_url(client, "plan"))


# --- Release readiness -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@caseworker_required
def readiness_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The checklist of basic conditions and practical matters before release."""
    trajectory = get_trajectory_for_user_or_404(request, pk)
    client = trajectory.client
    stored = {item.item: item for item in trajectory.readiness_items.all()}
    forms = [
        ReadinessItemForm(
            request.POST or None,
            item=code,
            instance=stored.get(code) or ReadinessItem(trajectory=trajectory, item=code),
        )
        for code in ReadinessItem.Item.values
    ]
    # What is stored now, before the forms put the posted values on the instances.
    current = {
        form.item: (form.instance.status, form.instance.date, form.instance.note) for form in forms
    }
    status = 200
    if request.method == "POST" and all(form.is_valid() for form in forms):
        changed = [form for form in forms if form.posted() != (form.seen() or current[form.item])]
        if any(form.seen() not in (None, current[form.item]) for form in changed):
            # Someone saved one of these items after this page was opened.
            messages.error(request, CONFLICT_MESSAGE)
            status = 409
        else:
            try:
                with transaction.atomic():
                    trajectory.ensure_accepts(ReadinessItem)
                    for form in changed:
                        trajectory.attach(form.instance, by=request.user)
            except ValidationError as error:
                messages.error(request, error.messages[0])
                return redirect(dossier_url(client, "basisvoorwaarden"))
            AccessLogEntry.write(request, action=Log.UPDATE, what="readiness", client=client)
            messages.success(request, _("The checklist is saved."))
            return redirect(dossier_url(client, "basisvoorwaarden"))
    log_view(request, client=client)
    return render(
        request,
        "lifedomains/readiness_form.html",
        {
            "trajectory": trajectory,
            "client": client,
            "basic_forms": [form for form in forms if form.is_basic],
            "other_forms": [form for form in forms if not form.is_basic],
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@caseworker_required
def agreement_action_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Make an action in the plan out of an agreement from a case conference."""
    agreement = get_for_user_or_404(
        request,
        Agreement.objects.visible_to(request.user).select_related(
            "conference__trajectory__client", "organisation"
        ),
        pk,
        what="agreement",
        client_of="conference__trajectory__client_id",
    )
    trajectory = agreement.conference.trajectory
    client = trajectory.client
    form = AgreementActionForm(request.POST or None, trajectory=trajectory, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.agreement = agreement
        try:
            trajectory.attach(action, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            AccessLogEntry.write(
                request, action=Log.CREATE, what="action from agreement", client=client
            )
            messages.success(request, _("The agreement is now an action in the plan."))
            return redirect(dossier_url(client, "plan"))
    return render_form_page(
        request,
        title=_("Make an action of: %(agreement)s") % {"agreement": agreement.text},
        forms=[form],
        client=client,
        submit=_("Save action"),
        cancel_url=dossier_url(client, "plan"),
        intro=_("Agreed at the case conference of %(date)s.")
        % {"date": agreement.conference.held_on.strftime("%d-%m-%Y")},
    )
