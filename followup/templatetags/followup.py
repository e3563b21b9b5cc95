from django import template

from followup.models import FollowUpMoment

register = template.Library()


@register.simple_tag
def moment_label(kind: str, sequence: int = 0) -> str:
    """The label of a moment from its stored code (for annotated rows); no query."""
    if not kind:
        return ""
    return str(FollowUpMoment(kind=kind, sequence=sequence))
