"""Measurement, plan and release readiness on the five life domains.

Everything hangs off a trajectory and so belongs to its client's team; each
QuerySet's `visible_to(user)` builds on `Trajectory.objects.visible_to`.
"""

from __future__ import annotations

import datetime

import pghistory
import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.history import tracked
from cases.fields import SHORT_TEXT, FreeTextField
from cases.locking import Versioned
from cases.models import Trajectory
from cases.scoping import get_for_user_or_404, get_trajectory_record_for_user_or_404
from lifedomains.domains import Domain, Level
from partners.models import Agreement, Organisation

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class LevelDescription(models.Model):
    """What a level means on one domain, in this project's own words; admins edit them."""

    domain = models.CharField(_("life domain"), max_length=10, choices=Domain.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    description = FreeTextField(_("description"), max_length=SHORT_TEXT)

    class Meta:
        ordering = ["domain", "level"]
        verbose_name = _("level description")
        verbose_name_plural = _("level descriptions")
        constraints = [
            models.UniqueConstraint(fields=["domain", "level"], name="level_description_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="level_description_level_1_5"
            ),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(
            condition=Q(domain__in=Domain.values), name="level_description_domain_valid"
        ),
    ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()} {self.level}"


# --- Assessment ---------------------------------------------------------------------


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> AssessmentQuerySet:
        return self.filter(trajectory__in=Trajectory.objects.visible_to(user))


@tracked
class Assessment(Versioned):
    class Moment(models.TextChoices):
        T0 = "t0", _("T0 – intake")
        RELEASE = "release", _("At release")
        M6 = "m6", _("6 months after release")
        M12 = "m12", _("12 months after release")
        M24 = "m24", _("24 months after release")
        INTERIM = "interim", _("In between")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="assessments")
    moment = models.CharField(_("moment"), max_length=10, choices=Moment.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    note = FreeTextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            # Each fixed moment once per trajectory; "in between" as often as needed.
            models.UniqueConstraint(
                fields=["trajectory", "moment"],
                condition=~Q(moment="interim"),
                name="assessment_moment_once_per_trajectory",
                violation_error_message=_("This moment has already been measured."),
            ),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(
            condition=Q(moment__in=Moment.values), name="assessment_moment_valid"
        ),
    ]

    def __str__(self) -> str:
        return f"{self.get_moment_display()} ({self.date:%d-%m-%Y})"

    def is_latest(self) -> bool:
        latest = self.trajectory.assessments.order_by("-date", "-pk").values_list("pk", flat=True)
        return latest.first() == self.pk


def get_assessment_for_user_or_404(request, pk: int) -> Assessment:
    return get_trajectory_record_for_user_or_404(request, Assessment, pk, what="assessment")


def with_t0_before_release(trajectories):
    """Annotate `t0_before_release`: the intake assessment (T0) is dated before the day of
    release, so measured during detention. False while not released or without a T0."""
    t0 = Assessment.objects.filter(
        trajectory=OuterRef("pk"),
        moment=Assessment.Moment.T0,
        date__lt=OuterRef("actual_release"),
    )
    return trajectories.annotate(t0_before_release=Exists(t0))


class DomainScoreQuerySet(models.QuerySet):
    def with_change_since_t0(self) -> DomainScoreQuerySet:
        """Annotate `t0_score`, the score the same trajectory had on the same domain at
        its T0 measurement, and `change_since_t0`, this score less that one.

        Both are None when the trajectory has no T0, when the domain was not
        discussed at T0, or when it is not discussed now: "not discussed" is never
        a score. On the T0 measurement itself the change is 0.
        """
        t0 = DomainScore.objects.filter(
            assessment__trajectory=OuterRef("assessment__trajectory"),
            assessment__moment=Assessment.Moment.T0,
            domain=OuterRef("domain"),
            score__isnull=False,
        )
        # One T0 per trajectory (a database rule), so no order is needed.
        t0 = t0.order_by().values("score")[:1]
        return self.annotate(t0_score=Subquery(t0)).annotate(
            change_since_t0=F("score") - F("t0_score")
        )


@tracked
class DomainScore(models.Model):
    """One domain of one assessment: the score, the young person's wish, a note.

    A score is never silently missing: a domain is either scored or marked
    "not discussed" with a reason (a database rule).
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.CharField(_("life domain"), max_length=10, choices=Domain.choices)
    discussed = models.BooleanField(_("discussed"), default=True)
    score = models.PositiveSmallIntegerField(
        _("score"), choices=Level.choices, null=True, blank=True, validators=ONE_TO_FIVE
    )
    not_discussed_reason = models.CharField(_("why not discussed"), max_length=200, blank=True)
    wish = FreeTextField(_("what do you want?"), max_length=SHORT_TEXT, blank=True)
    wish_strength = models.PositiveSmallIntegerField(
        _("how much do you want it? (1–5)"), null=True, blank=True, validators=ONE_TO_FIVE
    )
    note = FreeTextField(_("note"), blank=True)

    objects = DomainScoreQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "domain"]
        verbose_name = _("domain score")
        verbose_name_plural = _("domain scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="domain_score_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="domain_score_1_5",
            ),
            models.CheckConstraint(
                condition=Q(wish_strength__isnull=True)
                | Q(wish_strength__gte=1, wish_strength__lte=5),
                name="domain_score_wish_strength_1_5",
            ),
            models.CheckConstraint(
                condition=Q(discussed=True, score__isnull=False)
                | (Q(discussed=False, score__isnull=True) & ~Q(not_discussed_reason="")),
                name="domain_score_scored_or_reason",
            ),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(
            condition=Q(domain__in=Domain.values), name="domain_score_domain_valid"
        ),
    ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.score or '–'}"


# --- Plan ---------------------------------------------------------------------------


class GoalQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> GoalQuerySet:
        return self.filter(trajectory__in=Trajectory.objects.visible_to(user))


@tracked
class Goal(Versioned):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACHIEVED = "achieved", _("Achieved")
        ADJUSTED = "adjusted", _("Adjusted")
        STOPPED = "stopped", _("Stopped")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("life domain"), max_length=10, choices=Domain.choices)
    text = models.CharField(
        _("goal, in the young person's words"),
        max_length=300,
        help_text=_("E.g. “I want a room of my own”."),
    )
    wish_strength = models.PositiveSmallIntegerField(
        _("how much do you want it? (1–5)"), null=True, blank=True, validators=ONE_TO_FIVE
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["domain", "target_date", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(wish_strength__isnull=True)
                | Q(wish_strength__gte=1, wish_strength__lte=5),
                name="goal_wish_strength_1_5",
            ),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(condition=Q(domain__in=Domain.values), name="goal_domain_valid"),
        models.CheckConstraint(condition=Q(status__in=Status.values), name="goal_status_valid"),
    ]

    def __str__(self) -> str:
        return self.text


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ActionQuerySet:
        return self.filter(goal__trajectory__in=Trajectory.objects.visible_to(user))

    def open(self) -> ActionQuerySet:
        return self.filter(done_on__isnull=True)

    def overdue(self, today: datetime.date) -> ActionQuerySet:
        return self.open().filter(due_date__lt=today)


@tracked
class Action(Versioned):
    class Owner(models.TextChoices):
        CLIENT = "client", _("The young person")
        CASEWORKER = "caseworker", _("The RIO")
        NETWORK = "network", _("Someone from the network")
        PARTNER = "partner", _("A chain partner")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("what will be done"), max_length=300)
    owner = models.CharField(_("who does it"), max_length=12, choices=Owner.choices)
    owner_name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("Who exactly, e.g. the uncle or the housing corporation."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("chain partner"),
        help_text=_("For an action of a chain partner: the organisation from the registry."),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        editable=False,
        help_text=_("The case-conference agreement this action comes from."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["done_on", "due_date", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(owner="partner"),
                name="action_organisation_only_for_partner",
            ),
        ]
        indexes = [
            # The sweep's `Action.objects.overdue` per chunk of trajectories (through each
            # goal): only the open actions, by due date.
            models.Index(
                fields=["goal", "due_date"],
                condition=Q(done_on__isnull=True),
                name="action_open_due",
            ),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(condition=Q(owner__in=Owner.values), name="action_owner_valid"),
    ]

    def __str__(self) -> str:
        return self.description

    @property
    def owner_label(self) -> str:
        """Who does it, as specific as known: the organisation, the name, or the role."""
        return str(self.organisation or self.owner_name or self.get_owner_display())

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return (
            self.done_on is None
            and self.due_date is not None
            and self.due_date < (today or timezone.localdate())
        )


# --- Release readiness -----------------------------------------------------------------


class ReadinessQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ReadinessQuerySet:
        return self.filter(trajectory__in=Trajectory.objects.visible_to(user))


class ReadinessItem(models.Model):
    """One basic condition or practical matter to arrange before release.

    A trajectory's checklist has a row only for items someone has touched;
    an item without a row is "needed".
    """

    class Item(models.TextChoices):
        # The five basic conditions (basisvoorwaarden) ...
        ID_DOCUMENT = "id_document", _("Identity document")
        HOUSING = "housing", _("A place to stay on the day of release")
        INCOME = "income", _("Income from day one (benefit or work)")
        DEBTS = "debts", _("Debts in view / debt assistance")
        CARE = "care", _("Care arranged (insurance, GP, follow-up care)")
        # ... and the practical matters that make them work (regelzaken).
        BRP = "brp", _("Registration in the BRP / postal address")
        DIGID = "digid", _("DigiD")
        BANK_ACCOUNT = "bank_account", _("Bank account")
        HEALTH_INSURANCE = "health_insurance", _("Health insurance")
        CJIB = "cjib", _("Payment arrangement with the CJIB")

    class Status(models.TextChoices):
        NEEDED = "needed", _("Needed")
        NOT_NEEDED = "not_needed", _("Not needed")
        IN_PROGRESS = "in_progress", _("In progress")
        ARRANGED = "arranged", _("Arranged")
        REFUSED = "refused", _("Refused")

    BASIC = (Item.ID_DOCUMENT, Item.HOUSING, Item.INCOME, Item.DEBTS, Item.CARE)
    DONE = (Status.ARRANGED, Status.NOT_NEEDED)
    # The crosswalk from each item to its life domain, kept in this one place.
    DOMAIN = {
        Item.ID_DOCUMENT: Domain.ADMIN,
        Item.HOUSING: Domain.HOUSING,
        Item.INCOME: Domain.WORK,
        Item.DEBTS: Domain.FINANCES,
        Item.CARE: Domain.CARE,
        Item.BRP: Domain.ADMIN,
        Item.DIGID: Domain.ADMIN,
        Item.BANK_ACCOUNT: Domain.FINANCES,
        Item.HEALTH_INSURANCE: Domain.CARE,
        Item.CJIB: Domain.FINANCES,
    }

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="readiness_items"
    )
    item = models.CharField(_("item"), max_length=20, choices=Item.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEEDED
    )
    date = models.DateField(_("date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReadinessQuerySet.as_manager()

    class Meta:
        ordering = ["trajectory", "item"]
        verbose_name = _("readiness item")
        verbose_name_plural = _("release readiness")
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "item"], name="readiness_item_unique"),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(condition=Q(item__in=Item.values), name="readiness_item_item_valid"),
        models.CheckConstraint(
            condition=Q(status__in=Status.values), name="readiness_item_status_valid"
        ),
    ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.get_status_display()}"

    @property
    def domain(self) -> str:
        return self.DOMAIN[self.item]

    @property
    def is_done(self) -> bool:
        return self.status in self.DONE


class ReadinessItemEvent(
    pghistory.create_event_model(
        ReadinessItem,
        pghistory.InsertEvent(trigger_name="readiness_history_insert"),
        # When one of `fields` changes, the note included, so a changed note has
        # its before and after too (AL-2).
        pghistory.UpdateEvent(trigger_name="readiness_history_update"),
        pghistory.DeleteEvent(trigger_name="readiness_history_delete"),
        # What "as it stood on day D" needs, and the note, which destruction
        # blanks here as on the item (privacy.retention).
        fields=["trajectory", "item", "status", "date", "note"],
        obj_field=pghistory.ObjForeignKey(related_name="events"),
    )
):
    """The status history of the release checklist: one row per change of a
    readiness item's status or date, written by database triggers (so
    `.update()` and bulk writes are caught too) and never changed afterwards.

    `pgh_label` says what happened: "insert", "update", "delete" (the row as it
    was before it was removed), or "initial" for the state found when the
    history started (migration 0007). `pgh_context` says who, for changes made
    through the web app.
    """

    INITIAL = "initial"
    DELETE = "delete"
    # The pgtrigger URI of the append-only trigger below, for the few writers that
    # must lift it (the demo's back-dating, retention's blanking of the note).
    APPEND_ONLY = "lifedomains.ReadinessItemEvent:readiness_event_append_only"

    class Meta:
        verbose_name = _("readiness item change")
        verbose_name_plural = _("readiness item changes")
        indexes = [
            # "The latest change of this item before that moment."
            models.Index(
                fields=["trajectory", "item", "pgh_created_at"], name="readiness_event_as_of"
            ),
        ]
        # A copy of what the checklist's own checks allowed.
        constraints = [
            models.CheckConstraint(
                condition=Q(item__in=ReadinessItem.Item.values),
                name="readiness_event_item_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReadinessItem.Status.values),
                name="readiness_event_status_valid",
            ),
        ]
        # Append-only: the database refuses to change or remove a recorded change.
        triggers = [
            pgtrigger.Protect(
                name="readiness_event_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pgh_label} {self.get_item_display()}: {self.get_status_display()}"


@tracked
class PersonalPlan(Versioned):
    """What only "Mijn plan" needs: the next appointment and a word from the RIO."""

    trajectory = models.OneToOneField(
        Trajectory, on_delete=models.CASCADE, related_name="personal_plan"
    )
    next_appointment = models.DateTimeField(_("next appointment"), null=True, blank=True)
    appointment_place = models.CharField(_("where"), max_length=200, blank=True)
    message = FreeTextField(
        _("a few words from the RIO"),
        max_length=SHORT_TEXT,
        blank=True,
        help_text=_("Short sentences, simple words."),
    )

    class Meta:
        verbose_name = _("personal plan")
        verbose_name_plural = _("personal plans")

    def __str__(self) -> str:
        return f"Mijn plan · {self.trajectory}"


def basic_conditions_done(trajectory: OuterRef):
    """An expression: how many basic conditions of `trajectory` are done (0 to 5)."""
    done = (
        ReadinessItem.objects.filter(
            trajectory=trajectory,
            item__in=ReadinessItem.BASIC,
            status__in=ReadinessItem.DONE,
        )
        .order_by()
        .values("trajectory")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(done), 0)


# The readiness rules. They take and return a Trajectory QuerySet (so they chain
# with its methods) and live here, not on TrajectoryQuerySet, because `cases`
# does not know the checklist.


def with_readiness(trajectories):
    """Annotate `readiness_done`: how many basic conditions are done (arranged or not needed)."""
    return trajectories.annotate(readiness_done=basic_conditions_done(OuterRef("pk")))


def readiness_open(trajectories):
    """The trajectories with at least one basic condition not yet done."""
    return with_readiness(trajectories).filter(readiness_done__lt=len(ReadinessItem.BASIC))


def release_warning(trajectories, today: datetime.date):
    """Release within `RIO_RELEASE_WARNING_DAYS` with a basic condition still open.

    The dossier's warning, the caseload's flag and the daily reminder are this one rule.
    """
    return readiness_open(trajectories.release_soon(today))


# --- The checklist as it stood on a past day (from its status history) ---------------


class StartOfNextDay(Func):
    """The moment the day after `day` begins in Dutch time (`TIME_ZONE`), in SQL.

    A change recorded before it was made on `day` or earlier, even at 23:59 in
    Amsterdam; one made just after midnight was not.
    """

    arity = 1
    output_field = models.DateTimeField()

    def as_sql(self, compiler, connection, **extra_context):
        day, params = compiler.compile(self.source_expressions[0])
        return (
            f"((({day})::date + 1)::timestamp AT TIME ZONE %s)",
            (*params, settings.TIME_ZONE),
        )


class MonthsAfter(Func):
    """`day` plus a number of calendar months, in SQL. A day the month lacks becomes
    its last day (31 August + 6 months is 28 or 29 February), as `relativedelta` does."""

    output_field = models.DateField()

    def __init__(self, day, months: int):
        super().__init__(day, Value(months))

    def as_sql(self, compiler, connection, **extra_context):
        (day, day_params), (months, months_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return f"(({day}) + make_interval(months => {months}))::date", (
            *day_params,
            *months_params,
        )


def basic_condition_done_before(item: str, *, trajectory: OuterRef, moment: OuterRef):
    """An expression: was checklist item `item` of `trajectory` done (arranged or not
    needed) by the last change recorded before `moment`?

    False when nothing was recorded before it (an untouched item is "needed"), when
    the item had been removed, and when `moment` is empty.
    """
    last = (
        ReadinessItemEvent.objects.filter(
            trajectory=trajectory, item=item, pgh_created_at__lt=moment
        )
        .order_by("-pgh_created_at", "-pgh_id")
        .annotate(
            done=ExpressionWrapper(
                Q(status__in=ReadinessItem.DONE) & ~Q(pgh_label=ReadinessItemEvent.DELETE),
                output_field=BooleanField(),
            )
        )
        .values("done")[:1]
    )
    return Coalesce(Subquery(last), Value(False))


def with_readiness_at_end_of(trajectories, day, *, prefix: str):
    """Annotate per basic condition `<prefix>_<item>` (e.g. `done_on_release_housing`):
    True when it was done, arranged or not needed, as the checklist stood at the end
    of `day` (Dutch time), whatever it says today. Also `<prefix>_until`, the moment
    that day ended.

    `day` is a date or an expression on the trajectory: `F("actual_release")`, or
    `MonthsAfter("actual_release", 6)` for the figure six months later. A trajectory
    whose `day` is empty gets False for every condition.

    The history starts when it was installed (migration 0007): of an item stored
    before then, only the state it had at that moment is known, so a day before it
    counts as untouched.
    """
    if isinstance(day, datetime.date):
        day = Value(day, output_field=models.DateField())
    until = f"{prefix}_until"
    return trajectories.annotate(**{until: StartOfNextDay(day)}).annotate(
        **{
            f"{prefix}_{item}": basic_condition_done_before(
                item, trajectory=OuterRef("pk"), moment=OuterRef(until)
            )
            for item in ReadinessItem.BASIC
        }
    )


def with_readiness_on_release(trajectories):
    """Annotate per basic condition `done_on_release_<item>` (`_id_document`, `_housing`,
    `_income`, `_debts`, `_care`): done (arranged or not needed) on the day of release, as
    the checklist stood at the end of `actual_release` -- not as it stands today. An item
    arranged the day after release does not count; one arranged before it counts even if
    it was later set back. Not yet released: False throughout."""
    return with_readiness_at_end_of(trajectories, F("actual_release"), prefix="done_on_release")


def annotate_readiness(clients, *, today: datetime.date):
    """Add per client, for the current trajectory: `readiness_done` and `readiness_total`,
    `before_release` (the checklist still matters) and `release_warning`."""
    current = Trajectory.objects.filter(pk=OuterRef("current_trajectory_id"))
    return clients.annotate(
        readiness_done=basic_conditions_done(OuterRef("current_trajectory_id")),
        readiness_total=Value(len(ReadinessItem.BASIC)),
        before_release=Exists(current.before_release()),
        release_warning=Exists(release_warning(current, today)),
    )


def annotate_next_action(clients, *, today: datetime.date):
    """Add `next_action_due`, `next_action` and `next_action_overdue`: the first open
    action with a date of the current trajectory."""
    first_open = (
        Action.objects.open()
        .filter(goal__trajectory=OuterRef("current_trajectory_id"), due_date__isnull=False)
        .order_by("due_date", "pk")
    )
    return clients.annotate(
        next_action_due=Subquery(first_open.values("due_date")[:1]),
        next_action=Subquery(first_open.values("description")[:1]),
        next_action_overdue=Exists(
            Action.objects.overdue(today).filter(goal__trajectory=OuterRef("current_trajectory_id"))
        ),
    )


def get_goal_for_user_or_404(request, pk: int) -> Goal:
    return get_trajectory_record_for_user_or_404(request, Goal, pk, what="goal")


def get_action_for_user_or_404(request, pk: int) -> Action:
    return get_for_user_or_404(
        request,
        Action.objects.visible_to(request.user).select_related("goal__trajectory__client"),
        pk,
        what="action",
        client_of="goal__trajectory__client_id",
    )
