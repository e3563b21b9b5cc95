from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Clients and trajectories")

    def ready(self) -> None:
        from cases.dossier import register_section

        # The dossier's own sections; other apps add theirs between these.
        register_section("cases/sections/network.html", order=30)
        register_section("cases/sections/contacts.html", order=50)
        register_section("cases/sections/documents.html", order=70)
        register_section("cases/sections/dji.html", order=80)
        register_section("cases/sections/timeline.html", order=90)
