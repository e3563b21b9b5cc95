"""The chain partners the RIO works with: a registry shared by every team.

Organisations and their contact people are reference data, not client data:
every caseworker sees and maintains them, admins too (in Django admin).
What partners do on a trajectory (involvement, requests, legal bases, case
conferences, bottlenecks) is team-owned and arrives with those features.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality
from lifedomains.domains import Domain


class OrganisationQuerySet(models.QuerySet):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)

    def serving(self, municipality: Municipality | None) -> OrganisationQuerySet:
        """Organisations of this municipality, plus regional and national ones."""
        if municipality is None:
            return self
        return self.filter(Q(municipality=municipality) | Q(municipality__isnull=True))


class Organisation(models.Model):
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
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
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

    def __str__(self) -> str:
        return self.name

    def domain_labels(self) -> list[str]:
        return [str(Domain(code).label) for code in self.domains]


class ContactPerson(models.Model):
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
