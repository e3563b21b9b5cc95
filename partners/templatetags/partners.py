from django import template
from django.utils import timezone

from partners.overview import overview_of

register = template.Library()


@register.simple_tag
def partners_for(trajectory):
    return overview_of(trajectory, timezone.localdate()) if trajectory else None


@register.simple_tag
def bottlenecks_for(trajectory, user):
    """The bottlenecks blocking this trajectory that this user's team owns."""
    if trajectory is None:
        return []
    return list(trajectory.bottlenecks.visible_to(user))
