from django import template

from followup.models import FollowUpMoment

register = template.Library()


@register.simple_tag
def schedule_for(trajectory) -> list[FollowUpMoment]:
    """The trajectory's moments that still count (open and done), in date order."""
    if trajectory is None:
        return []
    return list(
        trajectory.followup_moments.exclude(status=FollowUpMoment.Status.CANCELLED)
        .select_related("contact", "assessment")
        .order_by("due_on", "sequence", "pk")
    )


@register.simple_tag
def moment_label(kind: str, sequence: int = 0) -> str:
    """The label of a moment from its stored code (for annotated rows)."""
    if not kind:
        return ""
    return str(FollowUpMoment(kind=kind, sequence=sequence))
