"""The caseworker's inbox and marking a follow-up moment done."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import caseworker_required
from audit.models import AccessLogEntry
from cases.pages import dossier_url, log_view, render_form_page
from followup.forms import InboxFilterForm, MomentDoneForm
from followup.models import (
    Notification,
    get_moment_for_user_or_404,
    get_notification_for_user_or_404,
)

Log = AccessLogEntry.Action


@require_GET
@caseworker_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The caseworker's reminders, unread first by default."""
    form = InboxFilterForm(request.GET or None)
    show = form.cleaned_data["show"] if form.is_valid() and form.cleaned_data["show"] else "unread"
    notifications = Notification.objects.for_user(request.user).select_related(
        "trajectory__client", "moment", "action", "basis__organisation"
    )
    if show == "unread":
        notifications = notifications.unread()
    # Unread first (by due date), then the most recently read.
    ordered = notifications.order_by(F("read_at").desc(nulls_first=True), "due_on", "pk")
    page = Paginator(ordered, settings.CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    # One line for the page, not one per young person it names.
    log_view(request, what=f"inbox ({len(page.object_list)} notifications)")
    return render(
        request,
        "followup/inbox.html",
        {
            "page": page,
            "show": show,
            "today": timezone.localdate(),
            "no_contact_days": settings.RIO_NO_CONTACT_WARNING_DAYS,
        },
    )


@require_POST
@caseworker_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one reminder read (in place with htmx)."""
    notification = get_notification_for_user_or_404(request, pk)
    notification.mark_read()
    if request.htmx:
        return render(
            request,
            "followup/notification_item.html",
            {
                "notification": notification,
                "today": timezone.localdate(),
                "no_contact_days": settings.RIO_NO_CONTACT_WARNING_DAYS,
                # The count in the menu follows along (an out-of-band swap).
                "unread_badge": Notification.objects.for_user(request.user).unread().count(),
            },
        )
    messages.success(request, _("Marked as read."))
    return redirect("followup:inbox")


@require_POST
@caseworker_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a reminder read and go to the place in the dossier where it is dealt with."""
    notification = get_notification_for_user_or_404(request, pk)
    notification.mark_read()
    return redirect(dossier_url(notification.trajectory.client, notification.anchor))


@require_POST
@caseworker_required
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    messages.success(request, _("%(n)s reminders marked as read.") % {"n": count})
    return redirect("followup:inbox")


@require_http_methods(["GET", "POST"])
@caseworker_required
def moment_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a follow-up moment took place."""
    moment = get_moment_for_user_or_404(request, pk)
    client = moment.trajectory.client
    back = dossier_url(client, "followup")
    if moment.status != moment.Status.OPEN:
        messages.info(request, _("This moment is no longer open."))
        return redirect(back)
    form = MomentDoneForm(request.POST or None, moment=moment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moment.mark_done(
                on=data["done_on"],
                by=request.user,
                contact=data["contact"],
                assessment=data["assessment"],
                note=data["note"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(back)
        AccessLogEntry.write(request, action=Log.UPDATE, what="follow-up done", client=client)
        messages.success(request, _("“%(moment)s” is done.") % {"moment": moment})
        return redirect(back)
    return render_form_page(
        request,
        title=_("%(moment)s with %(name)s") % {"moment": moment, "name": client.full_name},
        forms=[form],
        client=client,
        submit=_("Mark as done"),
        cancel_url=back,
        status=400 if form.is_bound else 200,
    )
