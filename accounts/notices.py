"""The e-mail a user gets when someone else changed their account (AS-3).

An admin who sets a caseworker's password, or changes their role or team,
could step into that account and reach dossiers. The change history records
it (audit.UserHistory); this tells the person whose account it is, so they
notice what they did not do themselves.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

# What changed, in the words of the e-mail; the keys are what callers pass.
CHANGE_LABELS = {
    "password": lambda: _("your password was set"),
    "role": lambda: _("your role was changed"),
    "team": lambda: _("your team was changed"),
    "email": lambda: _("your e-mail address was changed"),
}


def send_account_change_notice(
    *, user, changes: list[str], at: datetime.datetime, also_to: str | None = None
) -> None:
    """E-mail `user` (in Dutch) that someone else made `changes` to their account at `at`,
    and `also_to` (the address before an e-mail change) as well.

    Sent once the change is committed, so a change that is rolled back sends nothing.
    """
    recipients = list(dict.fromkeys(a for a in (user.email, also_to) if a))
    if not recipients or not changes:
        return
    with translation.override(settings.LANGUAGE_CODE):
        when = formats.date_format(timezone.localtime(at), "DATETIME_FORMAT")
        subject = _("Your RIO account was changed")
        body = _(
            "Hello %(name)s,\n\n"
            "On %(when)s a functional admin made this change to your RIO account: "
            "%(what)s.\n\n"
            "%(password)s"
            "Did you not ask for this? Tell your functional admin and your privacy "
            "officer at once.\n"
        ) % {
            "name": user.get_full_name() or user.username,
            "when": when,
            "what": ", ".join(CHANGE_LABELS[change]() for change in changes),
            "password": _(
                "Because someone else set your password, you set up two-factor "
                "authentication again the next time you log in.\n\n"
            )
            if "password" in changes
            else "",
        }
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
