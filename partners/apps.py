from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Chain partners")

    def ready(self) -> None:
        from cases.dossier import register_section

        register_section("partners/sections/partners.html", order=40)
        register_section("partners/sections/bottlenecks.html", order=45)
