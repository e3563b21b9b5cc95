"""The young person, their trajectories and everything the RIO records.

Every row here belongs to a team through its client. The one access rule,
`visible_to(user)`, is defined on each QuerySet and used by every view, form
choice and export; `get_..._for_user_or_404` builds on it.
"""

from __future__ import annotations

import datetime
import functools
import operator

import pgtrigger
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import (
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Func,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality, Team, User
from audit.history import tracked
from cases import bsn as bsn_rules

# Imported so that app loading registers the access log's model with `cases`.
from cases.dossier import trajectory_changed
from cases.encryption import EncryptedCharField
from cases.fields import SHORT_TEXT, FreeTextField
from cases.locking import Versioned
from cases.scoping import get_for_user_or_404
from cases.uploads import generated_name
from lifedomains.domains import Domain, Regie
from lifedomains.domains import labels as labels_of

# A trajectory is directed as one case or as a process; bestuurlijke regie is the level
# of bottlenecks, not of one young person.
TRAJECTORY_REGIE = (Regie.CASE, Regie.PROCESS)

TARGET_AGE_MIN = 18
TARGET_AGE_MAX = 27


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


# --- Client -----------------------------------------------------------------


class ClientQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ClientQuerySet:
        """Clients of the user's own team; nothing for anyone else (AC-2)."""
        if not user.is_authenticated or not user.is_caseworker or not user.team_id:
            return self.none()
        return self.filter(team_id=user.team_id)

    def with_current_trajectory(self) -> ClientQuerySet:
        """Annotate the latest trajectory's status, caseworker and dates.

        The latest trajectory is found once per client, in the condition of one
        LEFT JOIN (`latest_trajectory`), and every annotation reads that joined row:
        a subquery per annotation would repeat the search for the latest trajectory
        in each of them (and in every caseload column built on
        `current_trajectory_id`), about twelve times a row. A client without a
        trajectory keeps its row, with empty annotations.
        """
        latest = Trajectory.objects.filter(client=OuterRef("pk")).order_by("-started_on", "-pk")
        return self.annotate(
            latest_trajectory=FilteredRelation(
                "trajectories", condition=Q(trajectories__pk=Subquery(latest.values("pk")[:1]))
            ),
            current_trajectory_id=F("latest_trajectory__pk"),
            current_status=F("latest_trajectory__status"),
            current_caseworker_id=F("latest_trajectory__caseworker_id"),
            current_release=Coalesce(
                "latest_trajectory__actual_release", "latest_trajectory__expected_release"
            ),
            current_released=F("latest_trajectory__actual_release"),
            current_open=Exists(
                Trajectory.objects.open().filter(pk=OuterRef("current_trajectory_id"))
            ),
            # Stored on the trajectory (kept by the contacts' triggers).
            last_contact=F("latest_trajectory__last_contact_on"),
        )

    def with_contact_warning(self, today: datetime.date) -> ClientQuerySet:
        """Annotate `out_of_contact`: the current trajectory is `Trajectory.out_of_contact`."""
        current = Trajectory.objects.filter(pk=OuterRef("current_trajectory_id"))
        return self.annotate(out_of_contact=Exists(current.out_of_contact(today)))

    def search(self, text: str) -> ClientQuerySet:
        """Every word of the text is in the first or last name."""
        condition = Q()
        for word in text.split():
            condition &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        return self.filter(condition)

    def past_retention(self, today: datetime.date) -> ClientQuerySet:
        """Due for destruction (PR-1): not destroyed yet, and every trajectory closed and
        past its retention period (`Trajectory.objects.past_retention`). A young person with
        another trajectory still open or within its period is kept whole."""
        kept = Trajectory.objects.filter(client=OuterRef("pk")).exclude(
            pk__in=Trajectory.objects.past_retention(today).values("pk")
        )
        return self.filter(
            Exists(Trajectory.objects.filter(client=OuterRef("pk"))),
            ~Exists(kept),
            destroyed_on__isnull=True,
        )

    def with_bsn(self, value: str) -> ClientQuerySet:
        """Exactly this BSN, found through the blind index; nothing for an invalid one."""
        if not bsn_rules.is_valid(value):
            return self.none()
        return self.filter(bsn_index=bsn_rules.blind_index(value))


@tracked
class Client(Versioned):
    # Never shown in the change history, in clear, encrypted or as its blind index.
    HIDDEN_IN_HISTORY = ("bsn", "bsn_index")

    class AddressKind(models.TextChoices):
        ADDRESS = "address", _("Home address")
        POSTAL = "postal", _("Postal address (no fixed address)")
        NONE = "none", _("No address yet")

    class LVB(models.TextChoices):
        UNKNOWN = "unknown", _("Unknown")
        NO = "no", _("No")
        SUSPECTED = "suspected", _("Suspected")
        YES = "yes", _("Yes, indicated")

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="clients", verbose_name=_("team")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    bsn = EncryptedCharField(
        _("BSN"),
        blank=True,
        help_text=_("Optional. Only when the work needs it; stored encrypted."),
    )
    bsn_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address_kind = models.CharField(
        _("address"), max_length=10, choices=AddressKind.choices, default=AddressKind.ADDRESS
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    municipality_of_origin = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality of origin"),
    )
    municipality_of_settlement = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality of settlement"),
        help_text=_("Where the young person will live after release."),
    )
    lvb = models.CharField(
        _("mild intellectual disability (LVB)"),
        max_length=10,
        choices=LVB.choices,
        default=LVB.UNKNOWN,
    )
    strengths = FreeTextField(_("strengths"), max_length=SHORT_TEXT, blank=True)
    talents = FreeTextField(_("talents"), max_length=SHORT_TEXT, blank=True)
    dreams = FreeTextField(_("dreams"), max_length=SHORT_TEXT, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    # Set when retention destroyed the personal data (privacy.retention): what is left
    # is the anonymous remainder the dashboards count, and it is never processed again.
    destroyed_on = models.DateField(_("destroyed on"), null=True, blank=True, editable=False)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("young person")
        verbose_name_plural = _("young people")
        constraints = [
            models.CheckConstraint(
                condition=Q(bsn="", bsn_index="") | (~Q(bsn="") & ~Q(bsn_index="")),
                name="client_bsn_has_index",
            ),
            # One dossier per person in a team; another team may know them too.
            models.UniqueConstraint(
                fields=["team", "bsn_index"],
                condition=~Q(bsn_index=""),
                name="client_bsn_unique_per_team",
            ),
        ]

    # Built from the TextChoices here, below Meta, because Meta's body cannot
    # see the names of the class around it; so the checks cannot drift.
    Meta.constraints += [
        models.CheckConstraint(
            condition=Q(address_kind__in=AddressKind.values), name="client_address_kind_valid"
        ),
        models.CheckConstraint(condition=Q(lvb__in=LVB.values), name="client_lvb_valid"),
    ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        if self.destroyed_on:
            return _("Destroyed (no. %(number)s)") % {"number": self.pk}
        return f"{self.first_name} {self.last_name}"

    def age(self, on: datetime.date | None = None) -> int:
        return age_on(self.date_of_birth, on or timezone.localdate())

    @property
    def masked_bsn(self) -> str:
        return bsn_rules.mask(self.bsn)

    def set_bsn(self, value: str) -> None:
        self.bsn = bsn_rules.normalise(value)
        self.bsn_index = bsn_rules.blind_index(self.bsn)

    def clean(self) -> None:
        super().clean()
        if self.date_of_birth and self.date_of_birth >= timezone.localdate():
            raise ValidationError({"date_of_birth": _("The date of birth must be in the past.")})
        if self.address_kind == self.AddressKind.POSTAL and not self.street:
            raise ValidationError(
                {"street": _("Enter the postal address (e.g. the municipality's address).")}
            )

    @property
    def current_trajectory(self) -> Trajectory | None:
        return self.trajectories.order_by("-started_on", "-pk").first()


def get_client_for_user_or_404(request, pk: int) -> Client:
    return get_for_user_or_404(
        request,
        Client.objects.visible_to(request.user).select_related("team"),
        pk,
        what="client",
        client_of="pk",
    )


# --- Trajectory -------------------------------------------------------------


class TrajectoryQuerySet(models.QuerySet):
    """The trajectory rules, each written once and called by every page, task and report."""

    def visible_to(self, user: User) -> TrajectoryQuerySet:
        return self.filter(client__in=Client.objects.visible_to(user))

    def open(self) -> TrajectoryQuerySet:
        """Not closed: registered, in detention or in aftercare."""
        return self.exclude(status=Trajectory.Status.CLOSED)

    def without_guidance(self) -> TrajectoryQuerySet:
        """Closed without guidance: registered but never started. No detention and no
        release recorded (so, by the dates `status_on` reads, it never left registration)
        and never a contact with the young person themself. In doubt it counts as
        guided, the longer period."""
        met = ContactMoment.objects.with_young_person().filter(trajectory=OuterRef("pk"))
        return self.filter(
            ~Exists(met),
            status=Trajectory.Status.CLOSED,
            detention_start__isnull=True,
            actual_release__isnull=True,
        )

    def past_retention(self, today: datetime.date) -> TrajectoryQuerySet:
        """Closed, and its retention period counted from `ended_on` is over today (PR-1,
        Selectielijst gemeenten 2020): `RIO_RETENTION_NO_GUIDANCE_MONTHS` months when it
        ended without guidance (`without_guidance`), `RIO_RETENTION_YEARS` years otherwise.
        The last day of the period itself is still kept."""
        guided_until = today - relativedelta(years=settings.RIO_RETENTION_YEARS)
        unguided_until = today - relativedelta(months=settings.RIO_RETENTION_NO_GUIDANCE_MONTHS)
        closed = self.filter(status=Trajectory.Status.CLOSED)
        unguided = Trajectory.objects.without_guidance().values("pk")
        return closed.filter(
            Q(ended_on__lt=guided_until) | Q(ended_on__lt=unguided_until, pk__in=unguided)
        )

    def before_release(self) -> TrajectoryQuerySet:
        """Open and not yet released (registered or in detention)."""
        return self.open().filter(actual_release__isnull=True)

    def release_within(self, days: int, today: datetime.date) -> TrajectoryQuerySet:
        """Open, not yet released, expected to be released today or in the next `days` days."""
        return self.before_release().filter(
            expected_release__gte=today,
            expected_release__lte=today + datetime.timedelta(days=days),
        )

    def release_soon(self, today: datetime.date) -> TrajectoryQuerySet:
        """Release within the warning window (`RIO_RELEASE_WARNING_DAYS`)."""
        return self.release_within(settings.RIO_RELEASE_WARNING_DAYS, today)

    def with_last_contact(self) -> TrajectoryQuerySet:
        """Annotate `last_contact`: the date of the trajectory's latest contact, or None
        (the stored `last_contact_on`)."""
        return self.annotate(last_contact=F("last_contact_on"))

    def recount_last_contact(self) -> int:
        """Set `last_contact_on` from the contacts themselves: for rows written with the
        triggers off (seed_scale's COPY), as the contacts' triggers would have."""
        latest = (
            ContactMoment.objects.filter(trajectory=OuterRef("pk"))
            .order_by()
            .values("trajectory")
            .annotate(latest=Max("date"))
            .values("latest")
        )
        return self.update(last_contact_on=Subquery(latest))

    def with_first_contact(self) -> TrajectoryQuerySet:
        """Annotate `first_contact`: the date of the trajectory's earliest contact with the
        young person themself (`ContactMoment.objects.with_young_person()`), or None.

        Unlike the last contact, a meeting about the young person with partners or the
        network only is not the start of the contact: guidance starts with the young person.
        """
        return self.annotate(first_contact=first_contact_of(OuterRef("pk")))

    def with_guidance_started_before_release(self) -> TrajectoryQuerySet:
        """Annotate `guidance_started_before_release`: guidance (`started_on`) began before
        the day of release, so during detention. False while not released."""
        return self.annotate(
            guidance_started_before_release=ExpressionWrapper(
                Q(actual_release__isnull=False, started_on__lt=F("actual_release")),
                output_field=models.BooleanField(),
            )
        )

    def without_contact_since(self, day: datetime.date) -> TrajectoryQuerySet:
        """Open, guidance begun on or before `day`, and no contact dated after `day`
        (read from the stored date of the latest contact, `last_contact_on`)."""
        return self.open().filter(
            Q(last_contact_on__isnull=True) | Q(last_contact_on__lte=day), started_on__lte=day
        )

    def out_of_contact(self, today: datetime.date) -> TrajectoryQuerySet:
        """No contact for `RIO_NO_CONTACT_WARNING_DAYS` days or more (or ever, since the start)."""
        return self.without_contact_since(no_contact_day(today))

    def in_contact_before(self, day: datetime.date | str) -> TrajectoryQuerySet:
        """A contact in the `RIO_STILL_IN_CONTACT_DAYS` days before `day`, `day` itself
        included (see `contact_before`)."""
        return self.filter(contact_before(OuterRef("pk"), day))

    def with_contact_before(self, day: datetime.date | str, *, name: str) -> TrajectoryQuerySet:
        """Annotate `name`: True when the trajectory had a contact in the
        `RIO_STILL_IN_CONTACT_DAYS` days before `day`, as `in_contact_before`."""
        return self.annotate(**{name: contact_before(OuterRef("pk"), day)})


def first_contact_of(trajectory: OuterRef) -> Subquery:
    """An expression: the date of the earliest contact with the young person of `trajectory`,
    or None."""
    earliest = (
        ContactMoment.objects.with_young_person().filter(trajectory=trajectory).order_by("date")
    )
    return Subquery(earliest.values("date")[:1])


class DaysBefore(Func):
    """`day` less a number of days, a date, in SQL (PostgreSQL's date - integer)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = models.DateField()

    def __init__(self, day, days: int):
        super().__init__(day, Value(days))


def contact_before(trajectory: OuterRef, day: datetime.date | str, *, days: int | None = None):
    """An expression: did `trajectory` have a contact dated from `days` days before `day`
    up to and including `day`? `days` is `RIO_STILL_IN_CONTACT_DAYS` unless given.

    `day` is a date, or the name of a date field or annotation of the trajectory
    (e.g. the day twelve months after its release), so one query can ask it of
    every trajectory at its own date. An empty `day` gives False.
    """
    days = settings.RIO_STILL_IN_CONTACT_DAYS if days is None else days
    until = (
        Value(day, output_field=models.DateField())
        if isinstance(day, datetime.date)
        else OuterRef(day)
    )
    return Exists(
        ContactMoment.objects.filter(
            trajectory=trajectory, date__lte=until, date__gte=DaysBefore(until, days)
        )
    )


def status_on(day: datetime.date) -> dict[str, Q]:
    """Per status, the condition that a trajectory had it at the end of `day`.

    Only today's status is stored, so a past day is read from the dates its
    changes record -- closed once `ended_on` has passed, aftercare once
    `actual_release` has, detention once `detention_start` has, registered
    before that -- but never beyond the status reached today: a status only moves
    forward, so a trajectory still registered today (its detention started, the
    step not yet recorded) was registered on every day before. On today's date
    this is the stored status, so the caseload and the dashboard agree.
    """
    order = list(Trajectory.Status.values)

    def reached(status: str) -> Q:
        return Q(status__in=order[order.index(status) :])

    closed = Q(ended_on__lte=day) & reached(Trajectory.Status.CLOSED)
    aftercare = ~closed & Q(actual_release__lte=day) & reached(Trajectory.Status.AFTERCARE)
    detention = (
        ~closed & ~aftercare & Q(detention_start__lte=day) & reached(Trajectory.Status.DETENTION)
    )
    return {
        Trajectory.Status.REGISTERED.value: ~closed & ~aftercare & ~detention,
        Trajectory.Status.DETENTION.value: detention,
        Trajectory.Status.AFTERCARE.value: aftercare,
        Trajectory.Status.CLOSED.value: closed,
    }


def no_contact_day(today: datetime.date) -> datetime.date:
    """The last day whose contact still counts as recent enough today."""
    return today - datetime.timedelta(days=settings.RIO_NO_CONTACT_WARNING_DAYS)


# `last_contact_on` is derived from the contacts, whose own history records every change.
@tracked(exclude=("last_contact_on",))
class Trajectory(Versioned):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registration")
        DETENTION = "detention", _("In detention")
        AFTERCARE = "aftercare", _("Aftercare")
        CLOSED = "closed", _("Closed")

    class Offence(models.TextChoices):
        ROBBERY = "robbery", _("Robbery (overval)")
        STREET_ROBBERY = "street_robbery", _("Street robbery")
        BURGLARY = "burglary", _("Burglary")
        VIOLENCE = "violence", _("Violence")
        OTHER = "other", _("Other")

    class EndReason(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        MOVED = "moved", _("Moved away")
        NEW_DETENTION = "new_detention", _("New detention")
        STOPPED_BY_CLIENT = "stopped_by_client", _("Stopped by the young person")
        DECEASED = "deceased", _("Deceased")
        OTHER = "other", _("Other")

    # What `update_facts` may change; everything else has a verb of its own.
    FACTS = (
        "offences",
        "penitentiary_institution",
        "detention_start",
        "expected_release",
        "actual_release",
        "started_on",
        "regie",
        "age_exception_reason",
    )

    # The allowed status changes; closing is a separate verb with a reason.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.REGISTERED: (Status.DETENTION, Status.AFTERCARE, Status.CLOSED),
        Status.DETENTION: (Status.AFTERCARE, Status.CLOSED),
        Status.AFTERCARE: (Status.CLOSED,),
        Status.CLOSED: (),
    }

    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        related_name="trajectories",
        verbose_name=_("young person"),
    )
    caseworker = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="trajectories", verbose_name=_("caseworker")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    offences = ArrayField(
        models.CharField(max_length=20, choices=Offence.choices),
        verbose_name=_("offences"),
        default=list,
        blank=True,
    )
    penitentiary_institution = models.CharField(
        _("penitentiary institution"), max_length=200, blank=True
    )
    detention_start = models.DateField(_("start of detention"), null=True, blank=True)
    expected_release = models.DateField(_("expected release"), null=True, blank=True)
    actual_release = models.DateField(_("actual release"), null=True, blank=True)
    started_on = models.DateField(_("start of guidance"), default=timezone.localdate)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = FreeTextField(_("note on ending"), blank=True)
    regie = models.CharField(
        _("kind of direction"),
        max_length=10,
        choices=[(regie.value, regie.label) for regie in TRAJECTORY_REGIE],
        default=Regie.CASE,
    )
    age_exception_reason = FreeTextField(
        _("reason for the age exception"),
        max_length=SHORT_TEXT,
        blank=True,
        help_text=_("Required when the young person is not 18 to 27 at the start of guidance."),
    )
    # The date of the latest contact (`ContactMoment.date`), None without one. Stored so
    # the "no contact" rule reads one column instead of aggregating millions of contacts
    # each night; kept by the database (the triggers on `ContactMoment`), so every writer
    # -- the contact verbs, a form, a bulk insert, a seed, a cascade -- keeps it right.
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=~Q(status="closed"),
                name="trajectory_one_open_per_client",
                violation_error_message=_("This young person already has an open trajectory."),
            ),
            models.CheckConstraint(
                condition=Q(detention_start__isnull=True)
                | Q(actual_release__isnull=True)
                | Q(detention_start__lte=F("actual_release")),
                name="trajectory_detention_before_release",
            ),
            models.CheckConstraint(
                condition=Q(detention_start__isnull=True)
                | Q(expected_release__isnull=True)
                | Q(detention_start__lte=F("expected_release")),
                name="trajectory_detention_before_expected_release",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="trajectory_end_not_before_start",
            ),
            # Closed exactly when it has an end date and a reason.
            models.CheckConstraint(
                condition=(
                    Q(status="closed", ended_on__isnull=False) & ~Q(end_reason="")
                    | (~Q(status="closed") & Q(ended_on__isnull=True, end_reason=""))
                ),
                name="trajectory_closed_has_end",
            ),
            models.CheckConstraint(
                condition=~Q(status="aftercare") | Q(actual_release__isnull=False),
                name="trajectory_aftercare_after_release",
            ),
            models.CheckConstraint(
                condition=Q(regie__in=[regie.value for regie in TRAJECTORY_REGIE]),
                name="trajectory_regie_valid",
            ),
        ]
        indexes = [
            # `Trajectory.objects.open()` by id: the sweep's chunks (`followup.reminders.
            # chunks` and each chunk's range), a small part of all trajectories once the
            # closed ones accumulate over the years.
            models.Index(fields=["id"], condition=~Q(status="closed"), name="trajectory_open"),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(
            condition=Q(status__in=Status.values), name="trajectory_status_valid"
        ),
        models.CheckConstraint(
            condition=Q(offences__contained_by=Offence.values), name="trajectory_offences_valid"
        ),
        # Empty while the trajectory is open.
        models.CheckConstraint(
            condition=Q(end_reason="") | Q(end_reason__in=EndReason.values),
            name="trajectory_end_reason_valid",
        ),
    ]

    def __str__(self) -> str:
        return f"{self.client} · {self.started_on:%d-%m-%Y}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def is_before_release(self) -> bool:
        """Open and not yet released: the row version of `Trajectory.objects.before_release()`."""
        return self.is_open and self.actual_release is None

    @property
    def next_status(self) -> str | None:
        """The next step the dossier records: detention after registration, aftercare after
        detention (closing is its own verb); None when there is none."""
        return next((to for to in self.TRANSITIONS[self.status] if to != self.Status.CLOSED), None)

    def offence_labels(self) -> list[str]:
        return [str(self.Offence(code).label) for code in self.offences]

    @property
    def release_date(self) -> datetime.date | None:
        return self.actual_release or self.expected_release

    def days_to_release(self, today: datetime.date | None = None) -> int | None:
        if self.actual_release or not self.expected_release:
            return None
        return (self.expected_release - (today or timezone.localdate())).days

    def days_since_release(self, today: datetime.date | None = None) -> int | None:
        if not self.actual_release:
            return None
        return ((today or timezone.localdate()) - self.actual_release).days

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    def _change_status(self, status: str, *, by: User, note: str = "", fields=()) -> None:
        if not self.can_transition_to(status):
            raise ValidationError(
                _("A trajectory cannot go from “%(old)s” to “%(new)s”."),
                params={
                    "old": self.get_status_display(),
                    "new": self.Status(status).label,
                },
                code="transition",
            )
        old = self.get_status_display()
        self.status = status
        self.save_versioned(update_fields=["status", *fields])
        TimelineEvent.record(
            trajectory=self,
            kind=TimelineEvent.Kind.STATUS,
            by=by,
            title=_("Status: %(old)s → %(new)s") % {"old": old, "new": self.get_status_display()},
            text=note,
        )
        trajectory_changed(self, by=by)

    @transaction.atomic
    def start_detention(self, *, on: datetime.date, by: User) -> None:
        if self.expected_release and on > self.expected_release:
            raise ValidationError(
                {
                    "detention_start": _(
                        "The start of detention cannot be after the expected release."
                    )
                }
            )
        self.detention_start = self.detention_start or on
        self._change_status(self.Status.DETENTION, by=by, fields=["detention_start"])

    @transaction.atomic
    def release(self, *, on: datetime.date, by: User) -> None:
        if self.detention_start and on < self.detention_start:
            raise ValidationError(
                {"actual_release": _("The release cannot be before the start of detention.")}
            )
        self.actual_release = on
        self._change_status(self.Status.AFTERCARE, by=by, fields=["actual_release"])

    @transaction.atomic
    def close(self, *, on: datetime.date, reason: str, by: User, note: str = "") -> None:
        if on < self.started_on:
            raise ValidationError(
                {"ended_on": _("The end date cannot be before the start of guidance.")}
            )
        self.ended_on = on
        self.end_reason = reason
        self.end_note = note
        self._change_status(
            self.Status.CLOSED,
            by=by,
            note=note,
            fields=["ended_on", "end_reason", "end_note"],
        )

    @transaction.atomic
    def update_facts(self, *, by: User, version: int | None = None, **facts) -> None:
        """Change the trajectory's facts (`FACTS`), if nobody saved since `version`
        (ConflictError otherwise), and let the listeners follow (the follow-up schedule).

        The status and the caseworker are not facts: they change through `release`,
        `close`, `hand_over` and the other verbs, each with its timeline line.
        """
        if unknown := facts.keys() - set(self.FACTS):
            raise TypeError(f"Not a fact of a trajectory: {sorted(unknown)}")
        if version is not None:
            self.version = version
        for name, value in facts.items():
            setattr(self, name, value)
        self.save_versioned(update_fields=list(facts))
        trajectory_changed(self, by=by)

    @transaction.atomic
    def hand_over(self, *, to: User, by: User, note: str) -> None:
        """Give the trajectory to another caseworker of the same team (warm handover)."""
        if to.team_id != self.client.team_id or not to.is_caseworker:
            raise ValidationError(
                {"caseworker": _("Hand over only to a caseworker of the same team.")}
            )
        previous = self.caseworker
        self.caseworker = to
        self.save_versioned(update_fields=["caseworker"])
        TimelineEvent.record(
            trajectory=self,
            kind=TimelineEvent.Kind.HANDOVER,
            by=by,
            title=_("Handed over from %(old)s to %(new)s") % {"old": previous, "new": to},
            text=note,
        )
        trajectory_changed(self, by=by)

    def log_contact(self, contact: ContactMoment, *, by: User) -> ContactMoment:
        """Save a contact moment on this trajectory with its timeline line."""
        contact.created_by = by
        return self.attach(
            contact,
            by=by,
            timeline_kind=TimelineEvent.Kind.CONTACT,
            timeline_title=contact.timeline_title(),
            timeline_about=contact,
        )

    # What a closed trajectory still takes, by model label (so `cases` names no app to its
    # right): the work that happens after the last day, a last contact, a document, a DJI
    # notice, the end evaluation. Any other record, today's or a future one, is refused.
    ACCEPTED_AFTER_CLOSING = frozenset(
        {"cases.contactmoment", "cases.document", "cases.djimessage", "lifedomains.assessment"}
    )

    def accepts(self, model) -> bool:
        """Whether a record of `model` (a class, an instance or a label) may be added to
        this trajectory, or a plan record changed: always while open, after closing only
        what is listed. Corrections to existing involvements, legal bases and requests
        stay possible after closing (a withdrawn consent, a late answer)."""
        label = model if isinstance(model, str) else model._meta.label_lower
        return self.is_open or label in self.ACCEPTED_AFTER_CLOSING

    def ensure_accepts(self, model) -> None:
        """Raise a ValidationError that says so when this trajectory refuses `model`."""
        if self.accepts(model):
            return
        what = (apps.get_model(model) if isinstance(model, str) else model)._meta.verbose_name
        raise ValidationError(
            _("This trajectory is closed: no %(what)s can be added or changed any more."),
            params={"what": what},
            code="closed",
        )

    @transaction.atomic
    def attach(
        self,
        record,
        *,
        by: User,
        timeline_kind=None,
        timeline_title="",
        timeline_text="",
        timeline_about=None,
    ):
        """Save `record` on this trajectory with its timeline line, if the trajectory takes it.

        The status is read again under a row lock, so a colleague closing the trajectory
        meanwhile is seen and the record waits for, or refuses after, the close. A record
        with a `trajectory` field is put on this one; `timeline_kind=None` writes no line.
        A line `timeline_about` a contact, DJI message or document shows that record's
        text instead of a copy (`TimelineEvent.record`).
        """
        type(self).objects.select_for_update().only("status").get(pk=self.pk).ensure_accepts(record)
        if any(field.name == "trajectory" for field in record._meta.concrete_fields):
            record.trajectory = self
        record.save()
        if timeline_kind is not None:
            TimelineEvent.record(
                trajectory=self,
                kind=timeline_kind,
                by=by,
                title=timeline_title,
                text=timeline_text,
                about=timeline_about,
            )
        return record


def get_trajectory_for_user_or_404(request, pk: int) -> Trajectory:
    return get_for_user_or_404(
        request,
        Trajectory.objects.visible_to(request.user).select_related("client", "caseworker"),
        pk,
        what="trajectory",
    )


# --- What hangs off a trajectory or client ----------------------------------


class ContactMomentQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ContactMomentQuerySet:
        return self.filter(trajectory__client__in=Client.objects.visible_to(user))

    def with_young_person(self) -> ContactMomentQuerySet:
        """The contacts the young person took part in (any kind: a conversation, a visit in
        prison, a call), not those with partners or the network alone."""
        return self.filter(with_whom__contains=[ContactMoment.With.CLIENT])


# The bodies of the triggers that keep `Trajectory.last_contact_on` (see ContactMoment).
CONTACT_INSERTED = """
    UPDATE cases_trajectory t SET last_contact_on = n.latest
    FROM (SELECT trajectory_id, max(date) AS latest FROM new_rows GROUP BY trajectory_id) n
    WHERE t.id = n.trajectory_id AND (t.last_contact_on IS NULL OR t.last_contact_on < n.latest);
    RETURN NULL;
"""
CONTACT_RECOUNT = """
    PERFORM 1 FROM cases_trajectory WHERE id IN ({changed}) ORDER BY id FOR UPDATE;
    UPDATE cases_trajectory t SET last_contact_on = c.latest
    FROM (
        SELECT changed.id, (SELECT max(date) FROM cases_contactmoment m
                            WHERE m.trajectory_id = changed.id) AS latest
        FROM ({changed}) AS changed (id)
    ) c
    WHERE t.id = c.id AND t.last_contact_on IS DISTINCT FROM c.latest;
    RETURN NULL;
"""


@tracked
class ContactMoment(Versioned):
    class Kind(models.TextChoices):
        CONVERSATION = "conversation", _("Conversation")
        HOME_VISIT = "home_visit", _("Home visit")
        PRISON_VISIT = "prison_visit", _("Visit in prison")
        PHONE = "phone", _("Phone call")
        DIGITAL = "digital", _("Digital (chat, video, e-mail)")
        PARTNER_MEETING = "partner_meeting", _("Meeting with a partner")
        CASE_CONFERENCE = "case_conference", _("Case conference (MDO)")

    class With(models.TextChoices):
        CLIENT = "client", _("Young person")
        NETWORK = "network", _("Network")
        PARTNER = "partner", _("Chain partner")

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("trajectory")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("kind of contact"), max_length=20, choices=Kind.choices)
    with_whom = ArrayField(
        models.CharField(max_length=10, choices=With.choices),
        verbose_name=_("with whom"),
        default=list,
    )
    domains = ArrayField(
        models.CharField(max_length=10, choices=Domain.choices),
        verbose_name=_("life domains"),
        default=list,
        blank=True,
    )
    regie = models.CharField(
        _("kind of direction"), max_length=20, choices=Regie.choices, default=Regie.CASE
    )
    summary = FreeTextField(_("summary"))
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContactMomentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        # A trajectory's contacts in the order shown (the dossier's latest ones),
        # its last contact (the triggers that keep `Trajectory.last_contact_on`) and
        # "a contact after day X" (`without_contact_since`): one index range each.
        indexes = [
            models.Index(fields=["trajectory", "-date", "-id"], name="contact_trajectory_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(with_whom=[]), name="contact_with_someone"),
            models.CheckConstraint(condition=Q(regie__in=Regie.values), name="contact_regie_valid"),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(condition=Q(kind__in=Kind.values), name="contact_kind_valid"),
        models.CheckConstraint(
            condition=Q(with_whom__contained_by=With.values), name="contact_with_whom_valid"
        ),
        models.CheckConstraint(
            condition=Q(domains__contained_by=Domain.values), name="contact_domains_valid"
        ),
    ]
    Meta.triggers = [
        # Keep `Trajectory.last_contact_on` equal to the latest contact's date for every
        # writer, once per statement (a bulk insert of millions is one UPDATE). A new
        # contact can only raise it: the comparison is re-checked on the latest row
        # version, so two inserts at once both count. An edit or a delete may lower it:
        # the trajectories are locked first, so the recount that follows (a new snapshot)
        # sees every contact committed meanwhile.
        pgtrigger.Trigger(
            name="last_contact_on_insert",
            operation=pgtrigger.Insert,
            when=pgtrigger.After,
            level=pgtrigger.Statement,
            referencing=pgtrigger.Referencing(new="new_rows"),
            func=CONTACT_INSERTED,
        ),
        pgtrigger.Trigger(
            name="last_contact_on_update",
            operation=pgtrigger.Update,
            when=pgtrigger.After,
            level=pgtrigger.Statement,
            referencing=pgtrigger.Referencing(old="old_rows", new="new_rows"),
            func=CONTACT_RECOUNT.format(
                changed="SELECT o.trajectory_id FROM old_rows o JOIN new_rows n ON n.id = o.id"
                " WHERE n.date <> o.date OR n.trajectory_id <> o.trajectory_id"
                " UNION SELECT n.trajectory_id FROM old_rows o JOIN new_rows n ON n.id = o.id"
                " WHERE n.date <> o.date OR n.trajectory_id <> o.trajectory_id"
            ),
        ),
        pgtrigger.Trigger(
            name="last_contact_on_delete",
            operation=pgtrigger.Delete,
            when=pgtrigger.After,
            level=pgtrigger.Statement,
            referencing=pgtrigger.Referencing(old="old_rows"),
            func=CONTACT_RECOUNT.format(changed="SELECT DISTINCT trajectory_id FROM old_rows"),
        ),
    ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"

    def domain_labels(self) -> list[str]:
        return labels_of(self.domains)

    def with_whom_labels(self) -> list[str]:
        return [str(self.With(code).label) for code in self.with_whom]

    def timeline_title(self) -> str:
        """How the contact reads on the timeline: its kind and with whom."""
        return f"{self.get_kind_display()} ({', '.join(self.with_whom_labels())})"


class NetworkMemberQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> NetworkMemberQuerySet:
        return self.filter(client__in=Client.objects.visible_to(user))


@tracked
class NetworkMember(Versioned):
    class Influence(models.TextChoices):
        SUPPORTIVE = "supportive", _("Supportive")
        NEUTRAL = "neutral", _("Neutral")
        RISK = "risk", _("Risk")

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="network", verbose_name=_("young person")
    )
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(
        _("relation"), max_length=100, help_text=_("E.g. mother, uncle, coach.")
    )
    influence = models.CharField(_("influence"), max_length=12, choices=Influence.choices)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    notes = FreeTextField(_("notes"), blank=True)

    objects = NetworkMemberQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network member")
        verbose_name_plural = _("network")

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints = [
        models.CheckConstraint(
            condition=Q(influence__in=Influence.values), name="network_member_influence_valid"
        ),
    ]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> DocumentQuerySet:
        return self.filter(client__in=Client.objects.visible_to(user))


@tracked
class Document(models.Model):
    class Kind(models.TextChoices):
        ID = "id", _("Identity document")
        DJI = "dji", _("Prison service (DJI) document")
        PLAN = "plan", _("Plan or report")
        CONSENT = "consent", _("Consent form")
        LETTER = "letter", _("Letter")
        OTHER = "other", _("Other")

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="documents", verbose_name=_("young person")
    )
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to=generated_name, max_length=200)
    original_name = models.CharField(max_length=255, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    size = models.PositiveIntegerField(editable=False)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints = [
        models.CheckConstraint(condition=Q(kind__in=Kind.values), name="document_kind_valid"),
    ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def store(cls, *, client, trajectory, title: str, kind: str, uploaded, file_type, by):
        """Save an uploaded (already validated) file under a generated name."""
        document = cls(
            client=client,
            trajectory=trajectory,
            title=title,
            kind=kind,
            original_name=uploaded.name[:255],
            content_type=file_type.content_type,
            extension=file_type.extension,
            size=uploaded.size,
            uploaded_by=by,
        )
        if trajectory is not None:
            trajectory.ensure_accepts(cls)
        document.file.save("upload", uploaded, save=False)
        if trajectory is None:
            document.save()
            return document
        return trajectory.attach(
            document,
            by=by,
            timeline_kind=TimelineEvent.Kind.DOCUMENT,
            # The title is shown from the document; the line keeps only its kind.
            timeline_title=document.get_kind_display(),
            timeline_about=document,
        )


class DJIMessageQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> DJIMessageQuerySet:
        return self.filter(trajectory__client__in=Client.objects.visible_to(user))


@tracked
class DJIMessage(models.Model):
    """What arrives from the prison service (Dienst Justitiële Inrichtingen)."""

    class Kind(models.TextChoices):
        DETENTION_START = "detention_start", _("Notice of start of detention")
        DETENTION_END = "detention_end", _("Notice of end of detention")
        RR_PLAN = "rr_plan", _("Detention and reintegration plan (D&R-plan)")

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="dji_messages"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    summary = FreeTextField(_("summary"), blank=True)
    release_date = models.DateField(
        _("release date in the notice"),
        null=True,
        blank=True,
        help_text=_("For a notice of end of detention: the date of release."),
    )
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DJIMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("DJI message")
        verbose_name_plural = _("DJI messages")

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints = [
        models.CheckConstraint(condition=Q(kind__in=Kind.values), name="dji_message_kind_valid"),
    ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%d-%m-%Y}"


class TimelineEventQuerySet(models.QuerySet):
    def for_display(self) -> TimelineEventQuerySet:
        """The lines with who wrote them and the records they refer to, in one query."""
        return self.select_related("by", "contact", "dji_message", "document")

    def blank_text(self) -> int:
        """Erase the free text these lines carry themselves (a handover or closing note):
        the one change the append-only timeline allows besides losing a record it refers to."""
        return self.exclude(text="").update(text="")


class TimelineEvent(models.Model):
    """One dated line on a trajectory's timeline. Append-only.

    A line about a contact, a DJI message or a document refers to that record and
    shows its current text rather than a copy, so correcting the record corrects
    the timeline and erasing it leaves no copy behind (PR-2, AVG art. 16 and 17).
    The database allows exactly two changes: a reference set to NULL when its
    record is deleted, and the line's own text blanked (`blank_text`).
    """

    class Kind(models.TextChoices):
        STATUS = "status", _("Status")
        CONTACT = "contact", _("Contact")
        DOCUMENT = "document", _("Document")
        DJI = "dji", _("DJI message")
        HANDOVER = "handover", _("Handover")
        CHANGE = "change", _("Change")
        LIFE_DOMAINS = "lifedomains", _("Life domains")
        PARTNERS = "partners", _("Partners")
        FOLLOW_UP = "followup", _("Follow-up")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    text = FreeTextField(blank=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    # The record the line is about; its text is shown, never copied.
    contact = models.ForeignKey(
        ContactMoment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dji_message = models.ForeignKey(
        DJIMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TimelineEventQuerySet.as_manager()

    # The references a deleted record sets to NULL, and the line's own text that may be blanked.
    REFERENCES = ("contact", "dji_message", "document")

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline")
        # A trajectory's timeline newest first (the dossier's section, the timeline
        # page): without it the planner walked the index on `at` backwards past
        # every other trajectory's lines.
        indexes = [
            models.Index(fields=["trajectory", "-at", "-id"], name="timeline_trajectory_at"),
        ]

    Meta.triggers = [
        pgtrigger.Protect(
            name="timeline_append_only",
            operation=pgtrigger.Update,
            # Refused: any other column changed, a text changed to anything but
            # empty, or a reference changed to anything but NULL.
            condition=functools.reduce(
                operator.or_,
                [
                    *(
                        pgtrigger.Q(**{f"old__{name}__df": pgtrigger.F(f"new__{name}")})
                        for name in ("id", "trajectory", "at", "kind", "title", "by")
                    ),
                    pgtrigger.Q(old__text__df=pgtrigger.F("new__text"))
                    & ~pgtrigger.Q(new__text=""),
                    *(
                        pgtrigger.Q(**{f"old__{name}__df": pgtrigger.F(f"new__{name}")})
                        & pgtrigger.Q(**{f"new__{name}__isnull": False})
                        for name in REFERENCES
                    ),
                ],
            ),
        ),
    ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints = [
        models.CheckConstraint(condition=Q(kind__in=Kind.values), name="timeline_event_kind_valid"),
    ]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        """The title as the record it refers to reads now (a corrected kind shows corrected)."""
        if self.contact is not None:
            return self.contact.timeline_title()
        if self.document is not None:
            return self.document.title
        return self.title

    @property
    def shown_text(self) -> str:
        """The record's current text, or the line's own note; nothing once the record is gone."""
        if self.contact is not None:
            return self.contact.summary
        if self.dji_message is not None:
            return self.dji_message.summary
        return self.text

    @classmethod
    def record(
        cls,
        *,
        trajectory: Trajectory,
        kind: str,
        by: User | None,
        title: str,
        text: str = "",
        about: models.Model | None = None,
    ):
        """Write a line; `about` is the contact, DJI message or document it refers to,
        whose text is then shown from the record and not copied into `text`."""
        references = {
            name: about
            for name in cls.REFERENCES
            if about is not None and isinstance(about, cls._meta.get_field(name).related_model)
        }
        if about is not None and not references:
            raise TypeError(f"A timeline line cannot refer to {type(about).__name__}")
        return cls.objects.create(
            trajectory=trajectory,
            kind=kind,
            by=by,
            title=str(title)[:300],
            text="" if references else text,
            **references,
        )
