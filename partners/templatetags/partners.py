from django import template
from django.utils import timezone

from partners.overview import overview_of

register = template.Library()


@register.simple_tag
def partners_for(trajectory):
    return overview_of(trajectory, timezone.localdate()) if trajectory else None
