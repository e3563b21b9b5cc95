"""The five life domains (leefgebieden) of the RIO approach, and the three kinds of
direction (regie) a RIO works at.

A leaf module: it imports nothing of the project, so every app may use it to
tag contacts, partners and legal bases with domains, and trajectories,
contacts, case conferences and bottlenecks with their regie.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    HOUSING = "housing", _("Housing")
    ADMIN = "admin", _("Practical affairs")
    CARE = "care", _("Care")
    FINANCES = "finances", _("Finances and debts")
    WORK = "work", _("Work and income")


DESCRIPTIONS = {
    Domain.HOUSING: _(
        "A place to sleep on the day of release, a registered address, a stable home."
    ),
    Domain.ADMIN: _(
        "ID document, DigiD, bank account, health insurance, registration at the municipality."
    ),
    Domain.CARE: _(
        "Mental health care, addiction care, support for a mild intellectual "
        "disability, physical health, a GP."
    ),
    Domain.FINANCES: _("Debts in view, debt assistance, budgeting, benefits paid."),
    Domain.WORK: _("Income on day one, benefit, education, a job."),
}


class Regie(models.TextChoices):
    """Casusregie (lead coach of one young person), procesregie (coordinating several
    organisations), bestuurlijke regie (raising bottlenecks with those accountable)."""

    CASE = "case", _("Case (casus)")
    PROCESS = "process", _("Process (proces)")
    ADMINISTRATIVE = "administrative", _("Administrative (bestuurlijk)")


class Level(models.IntegerChoices):
    """One self-sufficiency scale for every domain."""

    ACUTE = 1, _("1 – acute problem")
    NOT_SELF_SUFFICIENT = 2, _("2 – not self-sufficient")
    LIMITED = 3, _("3 – limited self-sufficiency")
    SUFFICIENT = 4, _("4 – sufficiently self-sufficient")
    FULLY = 5, _("5 – fully self-sufficient")


def labels(codes: list[str]) -> list[str]:
    """The labels of domain codes, in the current language, for display."""
    return [str(Domain(code).label) for code in codes]
