from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifedomainsConfig(AppConfig):
    name = "lifedomains"
    verbose_name = _("Life domains")

    def ready(self) -> None:
        from cases.dossier import register_caseload_column, register_section
        from lifedomains.models import annotate_next_action, annotate_readiness

        register_section("lifedomains/sections/readiness.html", order=10)
        register_section("lifedomains/sections/progress.html", order=20)
        register_section("lifedomains/sections/plan.html", order=25)
        register_caseload_column(
            template="lifedomains/caseload_readiness.html",
            header=_("Release readiness"),
            annotate=annotate_readiness,
            order=10,
        )
        register_caseload_column(
            template="lifedomains/caseload_next_action.html",
            header=_("Next action"),
            annotate=annotate_next_action,
            order=20,
        )
