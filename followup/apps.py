from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from cases.dossier import (
            register_caseload_column,
            register_section,
            register_trajectory_listener,
        )
        from followup.models import annotate_next_moment
        from followup.tasks import keep_followup_current

        register_trajectory_listener(keep_followup_current)
        register_section("followup/sections/schedule.html", order=22)
        register_caseload_column(
            template="followup/caseload_next_moment.html",
            header=_("Next follow-up"),
            annotate=annotate_next_moment,
            order=30,
        )
