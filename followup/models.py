"""The two-year follow-up: planned moments and the notifications that remind about them.

A trajectory's moments are rows with a due date (never Celery ETAs); the
schedule in `followup.schedule` keeps them current when the trajectory's
dates change. Notifications are made by the daily sweep in
`followup.reminders`, at most once per (trajectory, kind, subject, due date).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.history import tracked
from cases.models import ContactMoment, TimelineEvent, Trajectory
from cases.scoping import get_for_user_or_404, get_trajectory_record_for_user_or_404
from lifedomains.models import Action, Assessment
from partners.models import SharingBasis


def _remind_until(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.RIO_FOLLOWUP_REMIND_DAYS)


class FollowUpMomentQuerySet(models.QuerySet):
    """The follow-up rules. Each is a condition (`Q`) used both to filter and, for the
    schedule on the dossier, to annotate one flag per row, so the two cannot disagree."""

    def visible_to(self, user: User) -> FollowUpMomentQuerySet:
        return self.filter(trajectory__in=Trajectory.objects.visible_to(user))

    @staticmethod
    def overdue_condition(today: datetime.date) -> Q:
        """Open and due before today."""
        return Q(status=FollowUpMoment.Status.OPEN, due_on__lt=today)

    @staticmethod
    def due_soon_condition(today: datetime.date) -> Q:
        """Open and due today or within `RIO_FOLLOWUP_REMIND_DAYS`."""
        return Q(
            status=FollowUpMoment.Status.OPEN, due_on__gte=today, due_on__lte=_remind_until(today)
        )

    @staticmethod
    def not_yet_due_condition(today: datetime.date) -> Q:
        """Open and due today or later: not (yet) overdue."""
        return Q(status=FollowUpMoment.Status.OPEN, due_on__gte=today)

    @staticmethod
    def done_on_time_condition() -> Q:
        """Done on or before its due date. No grace: from the day after, the moment was
        shown as overdue (`overdue_condition`), so done then is late."""
        return Q(status=FollowUpMoment.Status.DONE, done_on__lte=F("due_on"))

    @staticmethod
    def done_late_condition() -> Q:
        """Done after its due date, when it had been overdue."""
        return Q(status=FollowUpMoment.Status.DONE, done_on__gt=F("due_on"))

    @staticmethod
    def cancelled_condition() -> Q:
        """Cancelled: no longer needed (the dates changed, or the trajectory closed)."""
        return Q(status=FollowUpMoment.Status.CANCELLED)

    def open(self) -> FollowUpMomentQuerySet:
        return self.filter(status=FollowUpMoment.Status.OPEN)

    def done_on_time(self) -> FollowUpMomentQuerySet:
        return self.filter(self.done_on_time_condition())

    def done_late(self) -> FollowUpMomentQuerySet:
        return self.filter(self.done_late_condition())

    def overdue(self, today: datetime.date) -> FollowUpMomentQuerySet:
        return self.filter(self.overdue_condition(today))

    def due_soon(self, today: datetime.date) -> FollowUpMomentQuerySet:
        return self.filter(self.due_soon_condition(today))

    def due_for_followup(self, today: datetime.date, trajectories=None) -> FollowUpMomentQuerySet:
        """Overdue or due soon, of an open trajectory: what the caseworker is reminded about.

        `trajectories` narrows it to those (the sweep's chunk), so the query starts from
        them instead of from every open trajectory."""
        trajectories = Trajectory.objects.all() if trajectories is None else trajectories
        # Open, and due by the end of the reminder window: what both conditions share,
        # stated once more outside the OR so the open-moments index can search by it
        # (and the planner estimate it, which it cannot do for the OR).
        return self.open().filter(
            self.overdue_condition(today) | self.due_soon_condition(today),
            due_on__lte=_remind_until(today),
            trajectory__in=trajectories.open(),
        )

    def with_state(self, today: datetime.date) -> FollowUpMomentQuerySet:
        """Annotate the flags `overdue` and `due_soon` by the rules above."""
        return self.annotate(
            overdue=ExpressionWrapper(self.overdue_condition(today), output_field=BooleanField()),
            due_soon=ExpressionWrapper(self.due_soon_condition(today), output_field=BooleanField()),
        )


@tracked
class FollowUpMoment(models.Model):
    """One planned follow-up contact of a trajectory."""

    class Kind(models.TextChoices):
        INTAKE = "intake", _("Intake and T0 measurement")
        DETENTION_MONTHLY = "detention_monthly", _("Monthly contact in detention")
        RELEASE_MINUS_3M = "release_-3m", _("Release preparation, 3 months before")
        RELEASE_MINUS_1M = "release_-1m", _("Release preparation, 1 month before")
        RELEASE_MINUS_1W = "release_-1w", _("Release preparation, 1 week before")
        RELEASE_DAY = "release_day", _("Release day (gate talk)")
        AFTER_1W = "after_1w", _("1 week after release")
        AFTER_1M = "after_1m", _("1 month after release")
        AFTER_3M = "after_3m", _("3 months after release")
        AFTER_6M = "after_6m", _("6 months after release")
        AFTER_12M = "after_12m", _("12 months after release")
        AFTER_18M = "after_18m", _("18 months after release")
        AFTER_24M = "after_24m", _("End evaluation, 24 months after release")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    # The life-domain measurement that belongs to a moment (the life-domains issue).
    MEASUREMENT = {
        Kind.INTAKE: Assessment.Moment.T0,
        Kind.RELEASE_DAY: Assessment.Moment.RELEASE,
        Kind.AFTER_6M: Assessment.Moment.M6,
        Kind.AFTER_12M: Assessment.Moment.M12,
        Kind.AFTER_24M: Assessment.Moment.M24,
    }

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="followup_moments",
        # No index of its own: `followup_moment_once` starts with the trajectory and
        # serves every look-up by it; a second one drew the sweep's plan away from the
        # open-moments index (`followup_moment_open_due`), three times slower.
        db_index=False,
    )
    kind = models.CharField(_("moment"), max_length=20, choices=Kind.choices)
    # Numbers the monthly contacts in detention (1, 2, ...); 0 for the others.
    sequence = models.PositiveSmallIntegerField(default=0)
    # The date the rule gives, and the working day it is due on.
    planned_on = models.DateField(_("planned date"))
    due_on = models.DateField(_("due"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        ContactMoment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("measurement"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    cancelled_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowUpMomentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "sequence", "pk"]
        verbose_name = _("follow-up moment")
        verbose_name_plural = _("follow-up moments")
        constraints = [
            # The schedule is recomputed, never appended to: one row per moment.
            models.UniqueConstraint(
                fields=["trajectory", "kind", "sequence"], name="followup_moment_once"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="done", done_on__isnull=False)
                    | (~Q(status="done") & Q(done_on__isnull=True))
                ),
                name="followup_moment_done_has_date",
            ),
        ]
        indexes = [
            # The sweep's `due_for_followup` per chunk of trajectories and the caseload's
            # next open moment (`annotate_next_moment`): only the open ones, a small part
            # of all moments once a schedule is under way.
            models.Index(
                fields=["trajectory", "due_on"],
                condition=Q(status="open"),
                name="followup_moment_open_due",
            ),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(
            condition=Q(kind__in=Kind.values), name="followup_moment_kind_valid"
        ),
        models.CheckConstraint(
            condition=Q(status__in=Status.values), name="followup_moment_status_valid"
        ),
    ]

    def __str__(self) -> str:
        if self.kind == self.Kind.DETENTION_MONTHLY:
            return _("Monthly contact in detention, month %(n)s") % {"n": self.sequence}
        return str(self.get_kind_display())

    @property
    def measurement(self) -> str:
        """The label of the life-domain measurement due at this moment, or ''."""
        code = self.MEASUREMENT.get(self.kind)
        return str(Assessment.Moment(code).label) if code else ""

    @transaction.atomic
    def mark_done(
        self,
        *,
        on: datetime.date,
        by: User,
        contact: ContactMoment | None = None,
        assessment: Assessment | None = None,
        note: str = "",
    ) -> None:
        """Record that the moment took place; refused when it is no longer open, or when
        its trajectory is closed (`Trajectory.ensure_accepts`).

        A conditional update claims the row, so a double submit or a colleague
        doing the same at once records it once.
        """
        self.trajectory.ensure_accepts(self)
        claimed = FollowUpMoment.objects.filter(pk=self.pk, status=self.Status.OPEN).update(
            status=self.Status.DONE,
            done_on=on,
            done_by=by,
            contact=contact,
            assessment=assessment,
            note=note,
        )
        if not claimed:
            raise ValidationError(_("This moment is no longer open."), code="not_open")
        self.status, self.done_on, self.done_by = self.Status.DONE, on, by
        self.contact, self.assessment, self.note = contact, assessment, note
        Notification.objects.unread().filter(moment=self).update(read_at=timezone.now())
        TimelineEvent.record(
            trajectory=self.trajectory,
            kind=TimelineEvent.Kind.FOLLOW_UP,
            by=by,
            title=_("Follow-up done: %(moment)s") % {"moment": self},
            text=note,
        )


def get_moment_for_user_or_404(request, pk: int) -> FollowUpMoment:
    return get_trajectory_record_for_user_or_404(
        request, FollowUpMoment, pk, what="follow-up moment"
    )


class FollowUpSchedule(models.Model):
    """Which version of the schedule rules (`followup.schedule.RULES_VERSION`) last
    planned a trajectory's moments.

    Written by every sync (`sync_schedules`). The nightly sweep re-plans only the open
    trajectories without a row at the current version: those never planned, and all of
    them once after the rules or the holiday table changed. The others were kept current
    when they were written (`keep_followup_current`); a plan depends on nothing else.
    """

    trajectory = models.OneToOneField(
        Trajectory, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    rules_version = models.CharField(max_length=64)
    synced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow-up schedule")
        verbose_name_plural = _("follow-up schedules")

    def __str__(self) -> str:
        return f"{self.trajectory_id} · {self.rules_version}"


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user: User) -> NotificationQuerySet:
        """The user's own notifications about young people they may still see."""
        return self.filter(recipient=user, trajectory__in=Trajectory.objects.visible_to(user))

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def past_retention(self, now=None) -> NotificationQuerySet:
        """Read more than `RIO_NOTIFICATION_RETENTION_DAYS` ago: due to be purged.

        Unread ones are kept however old. A reminder about something still
        open (an action long past its date) may come back on the next sweep;
        that is the sweep telling the truth, not a lost purge.
        """
        days = datetime.timedelta(days=settings.RIO_NOTIFICATION_RETENTION_DAYS)
        return self.filter(read_at__lt=(now or timezone.now()) - days)


class Notification(models.Model):
    """A reminder in a caseworker's inbox."""

    class Kind(models.TextChoices):
        MOMENT_DUE = "moment_due", _("Follow-up moment due")
        RELEASE_READINESS = "release_readiness", _("Release soon, basic conditions open")
        ACTION_OVERDUE = "action_overdue", _("Action past its date")
        NO_CONTACT = "no_contact", _("No contact for too long")
        BASIS_EXPIRING = "basis_expiring", _("Legal basis expires soon")
        END_REACHED = "end_reached", _("Two years after release: evaluate and close")

    # Where in the dossier each kind is dealt with.
    ANCHOR = {
        Kind.MOMENT_DUE: "followup",
        Kind.RELEASE_READINESS: "basisvoorwaarden",
        Kind.ACTION_OVERDUE: "plan",
        Kind.NO_CONTACT: "contacten",
        Kind.BASIS_EXPIRING: "partners",
        Kind.END_REACHED: "followup",
    }

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The id of what the notification is about (moment, action, legal basis),
    # 0 when it is about the trajectory itself; part of the unique key.
    ref = models.PositiveBigIntegerField(default=0)
    due_on = models.DateField(_("date"))
    moment = models.ForeignKey(
        FollowUpMoment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    basis = models.ForeignKey(
        SharingBasis, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "due_on", "pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # Idempotency by construction (RF-2): a second sweep, or a second
            # worker at the same time, cannot create the same reminder again.
            models.UniqueConstraint(
                fields=["trajectory", "kind", "ref", "due_on"], name="notification_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(condition=Q(kind__in=Kind.values), name="notification_kind_valid"),
    ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.due_on:%d-%m-%Y}"

    @property
    def anchor(self) -> str:
        return self.ANCHOR[self.kind]

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = timezone.now()
            Notification.objects.filter(pk=self.pk, read_at__isnull=True).update(
                read_at=self.read_at
            )


def purge_read_notifications(*, now=None, batch_size: int = 10_000) -> int:
    """Delete the notifications past retention, in batches; returns how many went.

    Safe to run twice or on two workers at once: each batch deletes rows by id,
    and a row another run deleted first is simply not counted again.
    """
    purged = 0
    while ids := list(
        Notification.objects.past_retention(now).values_list("pk", flat=True)[:batch_size]
    ):
        purged += Notification.objects.filter(pk__in=ids).delete()[0]
    return purged


def get_notification_for_user_or_404(request, pk: int) -> Notification:
    return get_for_user_or_404(
        request,
        Notification.objects.for_user(request.user).select_related("trajectory__client"),
        pk,
        what="notification",
        client_of="trajectory__client_id",
    )


class DigestLog(models.Model):
    """That a caseworker's daily e-mail digest went out, so it goes out once a day."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("e-mail digest")
        verbose_name_plural = _("e-mail digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.day:%d-%m-%Y}"


def annotate_next_moment(clients, *, today: datetime.date):
    """Add `next_moment_due`, `_kind`, `_sequence` and `next_moment_overdue` per client:
    the first open moment of the current trajectory."""
    first_open = (
        FollowUpMoment.objects.open()
        .filter(trajectory=OuterRef("current_trajectory_id"))
        .order_by("due_on", "sequence", "pk")
    )
    return clients.annotate(
        next_moment_due=Subquery(first_open.values("due_on")[:1]),
        next_moment_kind=Subquery(first_open.values("kind")[:1]),
        next_moment_sequence=Subquery(first_open.values("sequence")[:1]),
        next_moment_overdue=Exists(
            FollowUpMoment.objects.overdue(today).filter(
                trajectory=OuterRef("current_trajectory_id")
            )
        ),
    )
