from django.conf import settings
from django.utils.translation import gettext_lazy as _


def navigation(request) -> dict:
    """The navigation that fits the user's role."""
    user = getattr(request, "user", None)
    items: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        if user.is_caseworker:
            items.append(("cases:caseload", _("My young people")))
            items.append(("partners:bottleneck-list", _("Bottlenecks")))
            items.append(("partners:organisation-list", _("Chain partners")))
        elif user.is_manager:
            items.append(("reports:index", _("Reports")))
        elif user.is_functional_admin:
            items.append(("admin:index", _("Administration")))
            items.append(("reports:index", _("Reports")))
    return {"nav_items": items, "mfa_required": settings.RIO_REQUIRE_MFA}
