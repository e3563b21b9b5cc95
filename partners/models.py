"""The chain partners the RIO works with: a registry shared by every team.

Organisations and their contact people are reference data, not client data:
every caseworker sees them; each is kept by the caseworkers of its own
municipality or region, national ones by the admins (`editable_by`), with a
version check (RF-4) and a change history.
What partners do on a trajectory (involvement, requests, legal bases, case
conferences, bottlenecks) is team-owned and arrives with those features.
"""

from __future__ import annotations

import datetime

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from audit.history import tracked
from cases.fields import LONG_TEXT, SHORT_TEXT, FreeTextField
from cases.locking import Versioned
from cases.models import Document, Trajectory
from lifedomains.domains import Domain, Regie
from lifedomains.domains import labels as labels_of


class OrganisationQuerySet(models.QuerySet):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)

    def serving(self, municipality: Municipality | None) -> OrganisationQuerySet:
        """Organisations of this municipality, plus regional and national ones."""
        if municipality is None:
            return self
        return self.filter(Q(municipality=municipality) | Q(municipality__isnull=True))

    def editable_by(self, user) -> OrganisationQuerySet:
        """The organisations `user` may change, with their contact persons.

        The registry is shared by every team, so each organisation is kept by the
        people it belongs to: a caseworker keeps those of their own municipality
        and of the regions it is part of; national organisations, and everything
        in Django admin, are the functional admins'. Everyone else only reads.
        """
        if user.is_functional_admin:
            return self
        if not user.is_caseworker or user.team_id is None:
            return self.none()
        municipality_id = user.team.municipality_id
        in_region = Organisation.region_municipalities.through.objects.filter(
            organisation_id=OuterRef("pk"), municipality_id=municipality_id
        )
        return self.filter(Q(municipality_id=municipality_id) | Exists(in_region))


@tracked
class Organisation(Versioned):
    class Kind(models.TextChoices):
        PENITENTIARY = "penitentiary", _("Penitentiary institution")
        POLICE = "police", _("Police")
        PROBATION = "probation", _("Probation service (Reclassering)")
        MUNICIPALITY = "municipality", _("Municipality (department)")
        SAFETY_HOUSE = "safety_house", _("Zorg- en Veiligheidshuis")
        HOUSING = "housing", _("Housing corporation")
        DEBT_HELP = "debt_help", _("Debt assistance")
        UWV = "uwv", _("UWV")
        MENTAL_HEALTH = "mental_health", _("Care provider / mental health (GGZ)")
        ADDICTION = "addiction", _("Addiction care")
        LVB_CARE = "lvb_care", _("Care for mild intellectual disability (LVB)")
        EDUCATION = "education", _("Education")
        EMPLOYER = "employer", _("Employer")
        OTHER = "other", _("Other")

    class Scope(models.TextChoices):
        """Whom it works for, and so who keeps it (`editable_by`): it follows from
        `municipality` and `region_municipalities` (`scope`), never stored apart."""

        MUNICIPALITY = "municipality", _("One municipality")
        REGION = "region", _("A region")
        NATIONAL = "national", _("National")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    domains = ArrayField(
        models.CharField(max_length=10, choices=Domain.choices),
        verbose_name=_("life domains served"),
        default=list,
        blank=True,
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
        help_text=_("Empty for a regional or national organisation."),
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    # The municipalities a regional organisation works for: their caseworkers
    # keep it. Neither these nor `municipality`: a national organisation.
    region_municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="regional_organisations",
        verbose_name=_("municipalities of the region"),
        help_text=_(
            "Only for a regional organisation, the municipalities it works for. Leave "
            "this and the municipality empty for a national organisation, which only "
            "the functional admins keep."
        ),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = FreeTextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "municipality"],
                name="organisation_unique_name_per_municipality",
                nulls_distinct=False,
                violation_error_message=_("This organisation is already in the registry."),
            ),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(condition=Q(kind__in=Kind.values), name="organisation_kind_valid"),
        models.CheckConstraint(
            condition=Q(domains__contained_by=Domain.values), name="organisation_domains_valid"
        ),
    ]

    def __str__(self) -> str:
        return self.name

    def domain_labels(self) -> list[str]:
        return labels_of(self.domains)

    @property
    def scope(self) -> str:
        """`Scope.MUNICIPALITY`, `REGION` or `NATIONAL` (prefetch `region_municipalities`)."""
        if self.municipality_id is not None:
            return self.Scope.MUNICIPALITY
        if self.region_municipalities.all():
            return self.Scope.REGION
        return self.Scope.NATIONAL

    def get_scope_display(self) -> str:
        return self.Scope(self.scope).label

    def can_be_edited_by(self, user) -> bool:
        """Whether `user` may change this organisation and its contact persons
        (`OrganisationQuerySet.editable_by`)."""
        return type(self).objects.editable_by(user).filter(pk=self.pk).exists()


def get_organisation_for_editing_or_403(user, pk: int) -> Organisation:
    """The organisation to change: 404 when there is none, 403 when `user` may only read it.

    Not 404 for an organisation of another municipality: the registry is open to
    every caseworker to read, so its existence is no secret.
    """
    organisation = get_object_or_404(Organisation.objects.select_related("municipality"), pk=pk)
    if not organisation.can_be_edited_by(user):
        raise PermissionDenied
    return organisation


@tracked
class OrganisationRegion(Organisation.region_municipalities.through):
    """A municipality in an organisation's region: it decides who may edit the
    organisation, so adding or removing one is in the change history too."""

    class Meta:
        proxy = True
        verbose_name = _("municipality in an organisation's region")
        verbose_name_plural = _("municipalities in organisations' regions")


@tracked
class ContactPerson(Versioned):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


# --- Per trajectory ----------------------------------------------------------------


class TrajectoryBoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(trajectory__in=Trajectory.objects.visible_to(user))


class SharingBasisQuerySet(TrajectoryBoundQuerySet):
    def with_state(self, day: datetime.date) -> SharingBasisQuerySet:
        """Annotate `basis_state`: the `state()` of each row on `day`, in the database,
        by the same rule (the first that applies: withdrawn, not yet valid, expired,
        expires soon; otherwise valid). `tests/partners/test_sharing_state.py` checks
        that the two agree on every boundary."""
        state = SharingBasis.State
        expiring_until = day + datetime.timedelta(days=settings.RIO_BASIS_EXPIRING_DAYS)
        return self.annotate(
            basis_state=Case(
                When(withdrawn_on__lte=day, then=Value(state.WITHDRAWN)),
                When(valid_from__gt=day, then=Value(state.NOT_YET)),
                When(valid_until__lt=day, then=Value(state.EXPIRED)),
                When(valid_until__lte=expiring_until, then=Value(state.EXPIRING)),
                default=Value(state.VALID),
                output_field=models.CharField(),
            )
        )

    def expiring(self, today: datetime.date) -> SharingBasisQuerySet:
        """In force today and ending within `RIO_BASIS_EXPIRING_DAYS`: the rows whose
        `state()` is "expires soon"."""
        return self.filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today),
            valid_from__lte=today,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=settings.RIO_BASIS_EXPIRING_DAYS),
        )


class InvolvementQuerySet(TrajectoryBoundQuerySet):
    def involved_on(self, day: datetime.date) -> InvolvementQuerySet:
        """Working on the trajectory on `day`: started by then, and not ended before it
        (the "until" day itself still counts)."""
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day), started_on__lte=day)

    def with_sharing_state(self, day: datetime.date) -> InvolvementQuerySet:
        """Annotate `sharing_state`: the best state on `day` among the legal bases for
        this partner on this trajectory (`SharingBasis.STATE_ORDER`), or
        `Involvement.NO_BASIS` without any. The dossier and the dashboard both read it."""
        rank = Case(
            *(
                When(basis_state=state, then=Value(index))
                for index, state in enumerate(SharingBasis.STATE_ORDER)
            ),
            output_field=models.IntegerField(),
        )
        best = (
            SharingBasis.objects.filter(
                trajectory=OuterRef("trajectory_id"), organisation=OuterRef("organisation_id")
            )
            .with_state(day)
            .order_by(rank)
            .values("basis_state")[:1]
        )
        return self.annotate(
            sharing_state=Coalesce(
                Subquery(best), Value(Involvement.NO_BASIS), output_field=models.CharField()
            )
        )


@tracked
class Involvement(Versioned):
    """Which partner works on this trajectory, in which role, for which domains."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="involvements"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="involvements",
        verbose_name=_("organisation"),
    )
    contact_person = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    role = models.CharField(
        _("role"), max_length=200, help_text=_("E.g. probation officer, debt counsellor.")
    )
    domains = ArrayField(
        models.CharField(max_length=10, choices=Domain.choices),
        verbose_name=_("life domains"),
        default=list,
        blank=True,
    )
    started_on = models.DateField(_("from"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    # The sharing state of a partner without any legal basis (`with_sharing_state`).
    NO_BASIS = "none"

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        ordering = ["ended_on", "organisation__name"]
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="involvement_end_not_before_start",
            ),
            models.UniqueConstraint(
                fields=["trajectory", "organisation"],
                condition=Q(ended_on__isnull=True),
                name="involvement_once_while_current",
                violation_error_message=_("This organisation is already involved."),
            ),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(
            condition=Q(domains__contained_by=Domain.values), name="involvement_domains_valid"
        ),
    ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.role})"

    def domain_labels(self) -> list[str]:
        return labels_of(self.domains)


@tracked
class SharingBasis(Versioned):
    """The legal basis for exchanging a young person's data with one partner (PR-3)."""

    class Basis(models.TextChoices):
        CONSENT = "consent", _("Consent of the young person")
        PBW_18A = "pbw_18a", _("Art. 18a Pbw / detention and reintegration plan")
        WJSG_51C = "wjsg_51c", _("Art. 51c Wjsg")
        SAFETY_HOUSE = "safety_house", _("Covenant Zorg- en Veiligheidshuis")
        MUNICIPAL_TASK = "municipal_task", _("Statutory task of the municipality")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRING = "expiring", _("Expires soon")
        NOT_YET = "not_yet", _("Not yet valid")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Best first: of a partner's bases, the first state found in this order is the
    # partner's (`Involvement.objects.with_sharing_state`).
    STATE_ORDER = (State.VALID, State.EXPIRING, State.NOT_YET, State.WITHDRAWN, State.EXPIRED)
    # The states in which data may be shared.
    ALLOWING = (State.VALID, State.EXPIRING)

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="sharing_bases"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    basis = models.CharField(_("legal basis"), max_length=20, choices=Basis.choices)
    scope = ArrayField(
        models.CharField(max_length=10, choices=Domain.choices),
        verbose_name=_("scope (life domains)"),
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SharingBasisQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "-valid_from"]
        verbose_name = _("legal basis for sharing")
        verbose_name_plural = _("legal bases for sharing")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="sharing_basis_until_not_before_from",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("valid_from")),
                name="sharing_basis_withdrawn_not_before_from",
            ),
            models.CheckConstraint(condition=~Q(scope=[]), name="sharing_basis_has_scope"),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(
            condition=Q(basis__in=Basis.values), name="sharing_basis_basis_valid"
        ),
        models.CheckConstraint(
            condition=Q(scope__contained_by=Domain.values), name="sharing_basis_scope_valid"
        ),
    ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_basis_display()}"

    def state(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.withdrawn_on and self.withdrawn_on <= today:
            return self.State.WITHDRAWN
        if self.valid_from > today:
            return self.State.NOT_YET
        if self.valid_until and self.valid_until < today:
            return self.State.EXPIRED
        if self.valid_until and (self.valid_until - today).days <= settings.RIO_BASIS_EXPIRING_DAYS:
            return self.State.EXPIRING
        return self.State.VALID

    def allows_sharing(self, today: datetime.date | None = None) -> bool:
        return self.state(today) in self.ALLOWING

    def get_state_display(self) -> str:
        return str(self.State(self.state()).label)

    def scope_labels(self) -> list[str]:
        return labels_of(self.scope)


@tracked
class PartnerRequest(Versioned):
    """What was asked of a partner, and when and how they answered."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="partner_requests"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("organisation"),
    )
    contact_person = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    domain = models.CharField(_("life domain"), max_length=10, choices=Domain.choices)
    question = FreeTextField(_("request"))
    asked_on = models.DateField(_("asked on"), default=timezone.localdate)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = FreeTextField(_("answer"), blank=True)

    objects = TrajectoryBoundQuerySet.as_manager()

    class Meta:
        ordering = ["answered_on", "-asked_on", "-pk"]
        verbose_name = _("request to a partner")
        verbose_name_plural = _("requests to partners")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("asked_on")),
                name="partner_request_answer_not_before_question",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | ~Q(answer=""),
                name="partner_request_answered_has_answer",
            ),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(
            condition=Q(domain__in=Domain.values), name="partner_request_domain_valid"
        ),
    ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.question[:50]}"

    @property
    def days_to_answer(self) -> int | None:
        """Days between question and answer; kept for response times per partner."""
        return (self.answered_on - self.asked_on).days if self.answered_on else None

    def days_open(self, today: datetime.date | None = None) -> int | None:
        if self.answered_on:
            return None
        return ((today or timezone.localdate()) - self.asked_on).days


@tracked
class CaseConference(models.Model):
    """A case conference (MDO / casusoverleg) about one trajectory, and what was agreed."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="case_conferences"
    )
    held_on = models.DateField(_("date"), default=timezone.localdate)
    regie = models.CharField(
        _("kind of direction"), max_length=20, choices=Regie.choices, default=Regie.CASE
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="+", blank=True, verbose_name=_("organisations present")
    )
    other_attendees = models.CharField(
        _("other people present"),
        max_length=300,
        blank=True,
        help_text=_("E.g. the mother, the RIO's team leader."),
    )
    client_present = models.BooleanField(_("the young person was present"), default=False)
    summary = FreeTextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrajectoryBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(regie__in=Regie.values), name="case_conference_regie_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_regie_display()} {self.held_on:%d-%m-%Y}"


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(conference__trajectory__in=Trajectory.objects.visible_to(user))


@tracked
class Agreement(models.Model):
    """One agreement made at a case conference; it can become an action in the plan."""

    conference = models.ForeignKey(
        CaseConference, on_delete=models.CASCADE, related_name="agreements"
    )
    text = models.CharField(_("agreement"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who does it (organisation)"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.text


# --- Bottlenecks (knelpunten) -------------------------------------------------------


class BottleneckQuerySet(models.QuerySet):
    def visible_to(self, user) -> BottleneckQuerySet:
        """A team's own bottlenecks; nothing for anyone else."""
        if not user.is_authenticated or not user.is_caseworker or not user.team_id:
            return self.none()
        return self.filter(team_id=user.team_id)

    def unresolved(self) -> BottleneckQuerySet:
        return self.filter(status__in=Bottleneck.OPEN_STATUSES)


@tracked
class Bottleneck(Versioned):
    """Something that blocks re-integration, raised and escalated along the three
    kinds of direction: casus → proces → bestuurlijk."""

    class Category(models.TextChoices):
        COLLABORATION = "collaboration", _("Collaboration")
        REGULATION = "regulation", _("Rules and regulations")
        CAPACITY = "capacity", _("Capacity")
        FUNDING = "funding", _("Funding")
        INFORMATION = "information", _("Sharing information")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SCHEDULED = "scheduled", _("On the agenda")
        RESOLVED = "resolved", _("Resolved")
        UNSOLVABLE = "unsolvable", _("Cannot be resolved")

    # The ladder a bottleneck climbs, one step at a time.
    LEVELS = [Regie.CASE, Regie.PROCESS, Regie.ADMINISTRATIVE]
    OPEN_STATUSES = (Status.OPEN, Status.SCHEDULED)
    CLOSED_STATUSES = (Status.RESOLVED, Status.UNSOLVABLE)
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.OPEN: (Status.SCHEDULED, Status.RESOLVED, Status.UNSOLVABLE),
        Status.SCHEDULED: (Status.OPEN, Status.RESOLVED, Status.UNSOLVABLE),
        Status.RESOLVED: (Status.OPEN,),
        Status.UNSOLVABLE: (Status.OPEN,),
    }

    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="bottlenecks", editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    description = FreeTextField(_("description"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    domain = models.CharField(_("life domain"), max_length=10, choices=Domain.choices, blank=True)
    level = models.CharField(
        _("level"), max_length=20, choices=Regie.choices, default=Regie.CASE, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, editable=False
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="bottlenecks", blank=True, verbose_name=_("organisations")
    )
    trajectories = models.ManyToManyField(
        Trajectory, related_name="bottlenecks", blank=True, verbose_name=_("trajectories it blocks")
    )
    raised_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    resolution = FreeTextField(_("resolution"), blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)

    objects = BottleneckQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        verbose_name = _("bottleneck")
        verbose_name_plural = _("bottlenecks")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=Regie.values),
                name="bottleneck_level_valid",
            ),
        ]

    # From the TextChoices and the status groups, which Meta's body cannot see.
    # A status in neither group is refused too.
    Meta.constraints += [
        models.CheckConstraint(
            condition=(
                Q(status__in=[*CLOSED_STATUSES], closed_on__isnull=False) & ~Q(resolution="")
            )
            | Q(status__in=[*OPEN_STATUSES], closed_on__isnull=True),
            name="bottleneck_closed_has_resolution",
        ),
        models.CheckConstraint(
            condition=Q(category__in=Category.values), name="bottleneck_category_valid"
        ),
        models.CheckConstraint(
            condition=Q(domain="") | Q(domain__in=Domain.values), name="bottleneck_domain_valid"
        ),
    ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def age_in_days(self, today: datetime.date | None = None) -> int:
        return ((self.closed_on or today or timezone.localdate()) - self.raised_on).days

    def next_level(self) -> str | None:
        index = self.LEVELS.index(self.level)
        return self.LEVELS[index + 1] if index + 1 < len(self.LEVELS) else None

    def escalate(self, *, to: str, by, note: str, skip_reason: str = "") -> None:
        """Raise the bottleneck one level up (or further, with a reason for skipping)."""
        current, target = self.LEVELS.index(self.level), self.LEVELS.index(to)
        if target <= current:
            raise ValidationError({"to": _("Escalate only to a higher level.")})
        if target - current > 1 and not skip_reason.strip():
            raise ValidationError(
                {"skip_reason": _("Explain why the level in between is skipped.")}
            )
        if not self.is_open:
            raise ValidationError(_("Reopen the bottleneck before escalating it."))
        with transaction.atomic():
            old = self.get_level_display()
            self.level = to
            self.save_versioned(update_fields=["level"])
            BottleneckEvent.objects.create(
                bottleneck=self,
                kind=BottleneckEvent.Kind.ESCALATED,
                change=f"{old} → {self.get_level_display()}",
                note="\n\n".join(part for part in (note, skip_reason) if part.strip()),
                by=by,
            )

    def change_status(self, *, to: str, by, note: str, resolution: str = "") -> None:
        if to not in self.TRANSITIONS[self.status]:
            raise ValidationError(
                {
                    "to": _("This status change is not possible from “%(status)s”.")
                    % {"status": self.get_status_display()}
                }
            )
        closing = to in self.CLOSED_STATUSES
        if closing and not resolution.strip():
            raise ValidationError({"resolution": _("Describe the resolution before closing.")})
        with transaction.atomic():
            old = self.get_status_display()
            self.status = to
            self.resolution = resolution if closing else ""
            self.closed_on = timezone.localdate() if closing else None
            self.save_versioned(update_fields=["status", "resolution", "closed_on"])
            BottleneckEvent.objects.create(
                bottleneck=self,
                kind=BottleneckEvent.Kind.STATUS,
                change=f"{old} → {self.get_status_display()}",
                note="\n\n".join(part for part in (note, resolution) if part.strip()),
                by=by,
            )


@tracked
class BottleneckTrajectory(Bottleneck.trajectories.through):
    """A trajectory linked to a bottleneck: its history puts linking and unlinking in
    the client's change history, which reaches the many-to-many table only this way."""

    class Meta:
        proxy = True
        verbose_name = _("trajectory linked to a bottleneck")
        verbose_name_plural = _("trajectories linked to bottlenecks")


class BottleneckEvent(models.Model):
    """A dated line in a bottleneck's history. Append-only."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised")
        ESCALATED = "escalated", _("Escalated")
        STATUS = "status", _("Status")

    bottleneck = models.ForeignKey(Bottleneck, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    change = models.CharField(max_length=200, blank=True)
    # An escalation's note and the reason a level was skipped, together.
    note = FreeTextField(blank=True, max_length=LONG_TEXT + SHORT_TEXT + 2)
    by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("bottleneck event")
        verbose_name_plural = _("bottleneck history")
        triggers = [
            pgtrigger.Protect(name="bottleneck_event_append_only", operation=pgtrigger.Update),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints = [
        models.CheckConstraint(
            condition=Q(kind__in=Kind.values), name="bottleneck_event_kind_valid"
        ),
    ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.change}"


@tracked
class DetentionPlace(models.Model):
    """The penitentiary institution of a trajectory, as a link into the registry.

    It lives here rather than on Trajectory because `cases` may not depend on
    `partners`; choosing it also updates the trajectory's name of the institution.
    """

    trajectory = models.OneToOneField(
        Trajectory, on_delete=models.CASCADE, related_name="detention_place"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.PENITENTIARY},
        verbose_name=_("penitentiary institution"),
    )

    objects = TrajectoryBoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("penitentiary institution of a trajectory")
        verbose_name_plural = _("penitentiary institutions of trajectories")

    def __str__(self) -> str:
        return str(self.organisation)
