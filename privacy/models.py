"""Privacy's own records: the verklaring van vernietiging (what retention destroyed, by
number, when and why) and the admin's way in to an inzageverzoek.

PR-1 (Selectielijst gemeenten 2020). Each retention run that destroys something
writes one statement, with a line per trajectory it destroyed. Both tables are
append-only in the database: the statement is the proof that records were
destroyed, so nobody may change or remove it. They hold numbers and dates only,
never a name: the record outlives the data it speaks of.
"""

from __future__ import annotations

import pgtrigger
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Client


class DestructionStatement(models.Model):
    """One retention run that destroyed something, with the settings it applied."""

    class StartedBy(models.TextChoices):
        TASK = "task", _("Daily task")
        COMMAND = "command", _("Management command")

    at = models.DateTimeField(_("run at"), default=timezone.now)
    day = models.DateField(_("rule applied on"))
    started_by = models.CharField(_("started by"), max_length=10, choices=StartedBy.choices)
    retention_years = models.PositiveSmallIntegerField(_("retention with guidance (years)"))
    no_guidance_months = models.PositiveSmallIntegerField(_("retention without guidance (months)"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("statement of destruction")
        verbose_name_plural = _("statements of destruction")
        triggers = [
            pgtrigger.Protect(
                name="destruction_statement_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints = [
        models.CheckConstraint(
            condition=Q(started_by__in=StartedBy.values),
            name="destruction_statement_started_by_valid",
        ),
    ]

    def __str__(self) -> str:
        return _("Destruction of %(day)s (run %(number)s)") % {
            "day": f"{self.day:%d-%m-%Y}",
            "number": self.pk,
        }


class DestroyedTrajectory(models.Model):
    """One trajectory whose personal data a run destroyed, and under which rule."""

    class Rule(models.TextChoices):
        GUIDED = "guided", _("Guidance given: RIO_RETENTION_YEARS after the end")
        NO_GUIDANCE = (
            "no_guidance",
            _("Ended without guidance: RIO_RETENTION_NO_GUIDANCE_MONTHS after the end"),
        )

    statement = models.ForeignKey(
        DestructionStatement,
        on_delete=models.PROTECT,
        related_name="trajectories",
        verbose_name=_("statement"),
    )
    # Numbers, not foreign keys: the statement speaks of rows whose content is gone.
    client_ref = models.PositiveBigIntegerField(_("client number"), db_index=True)
    trajectory_ref = models.PositiveBigIntegerField(_("trajectory number"))
    started_on = models.DateField(_("start of guidance"))
    ended_on = models.DateField(_("end date"))
    rule = models.CharField(_("rule"), max_length=12, choices=Rule.choices)

    class Meta:
        ordering = ["statement", "client_ref", "trajectory_ref"]
        verbose_name = _("destroyed trajectory")
        verbose_name_plural = _("destroyed trajectories")
        constraints = [
            # A trajectory is destroyed once (a second run finds nothing left to do).
            models.UniqueConstraint(fields=["trajectory_ref"], name="destroyed_trajectory_once"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="destroyed_trajectory_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(
            condition=Q(rule__in=Rule.values), name="destroyed_trajectory_rule_valid"
        ),
    ]

    def __str__(self) -> str:
        return f"{self.client_ref} / {self.trajectory_ref}"


class SubjectAccessClient(Client):
    """The young people as Django admin lists them for an inzageverzoek: a way to find
    the client and open their access overview and export; never their dossier."""

    class Meta:
        proxy = True
        verbose_name = _("young person (subject access)")
        verbose_name_plural = _("subject access and access overview")
