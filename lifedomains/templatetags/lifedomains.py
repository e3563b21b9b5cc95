"""Template tags the life-domain sections of the dossier use.

The dossier (app `cases`) does not know this app; its section templates get
what they show from these tags, each a fixed number of queries.
"""

from django import template
from django.utils import timezone

from lifedomains import progress as progress_module

register = template.Library()


@register.simple_tag
def progress_for(trajectory):
    return progress_module.progress_of(trajectory) if trajectory else None


@register.simple_tag
def plan_for(trajectory):
    return progress_module.plan_of(trajectory) if trajectory else []


@register.simple_tag
def readiness_for(trajectory):
    if trajectory is None:
        return None
    return progress_module.readiness_of(trajectory, timezone.localdate())


@register.simple_tag
def open_agreements_for(trajectory):
    return progress_module.open_agreements(trajectory) if trajectory else []
