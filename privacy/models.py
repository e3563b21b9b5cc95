"""Privacy owns no data of its own yet: it reads every app about one client."""

from django.utils.translation import gettext_lazy as _

from cases.models import Client


class SubjectAccessClient(Client):
    """The young people as Django admin lists them for an inzageverzoek: a way to find
    the client and open their access overview and export; never their dossier."""

    class Meta:
        proxy = True
        verbose_name = _("young person (subject access)")
        verbose_name_plural = _("subject access and access overview")
