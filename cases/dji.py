"""Messages from the prison service (DJI) and what they change."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import DJIMessage, Document, TimelineEvent, Trajectory
from cases.uploads import FileType


@transaction.atomic
def record_dji_message(
    *,
    message: DJIMessage,
    trajectory: Trajectory,
    by: User,
    apply_release_date: bool,
    uploaded=None,
    file_type: FileType | None = None,
) -> DJIMessage:
    """Save the message (and its document); optionally take over its release date.

    A release date in the future becomes the expected release; today or
    earlier records the release itself, moving the trajectory to aftercare.
    A closed trajectory still takes the message, but its dates no longer move:
    asking for that is refused before anything is saved.
    """
    if apply_release_date and message.release_date and not trajectory.is_open:
        raise ValidationError(
            {"apply_release_date": _("This trajectory is closed: its release date stays as it is.")}
        )
    if uploaded is not None and file_type is not None:
        message.document = Document.store(
            client=trajectory.client,
            trajectory=trajectory,
            title=message.get_kind_display(),
            kind=Document.Kind.DJI,
            uploaded=uploaded,
            file_type=file_type,
            by=by,
        )
    message.created_by = by
    trajectory.attach(
        message,
        by=by,
        timeline_kind=TimelineEvent.Kind.DJI,
        timeline_title=str(message),
        timeline_about=message,
    )
    if apply_release_date and message.release_date:
        if message.release_date > timezone.localdate():
            TimelineEvent.record(
                trajectory=trajectory,
                kind=TimelineEvent.Kind.CHANGE,
                by=by,
                title=_("Expected release set to %(date)s")
                % {"date": message.release_date.strftime("%d-%m-%Y")},
            )
            trajectory.update_facts(expected_release=message.release_date, by=by)
        elif trajectory.status == Trajectory.Status.DETENTION:
            trajectory.release(on=message.release_date, by=by)
    return message
