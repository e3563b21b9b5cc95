"""`manage.py changepassword`, as Django's, plus what an admin's reset does.

Whoever sets someone else's password from the shell knows it, just as an admin
who sets it in Django admin does: the owner gets an e-mail and must enrol a new
TOTP before any dossier opens (`User.password_set_by`).
"""

from __future__ import annotations

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import changepassword


class Command(changepassword.Command):
    help = changepassword.Command.help + (
        " The owner is e-mailed and must set up two-factor authentication again."
    )

    def handle(self, *args, **options):
        username = options["username"] or getpass.getuser()
        result = super().handle(*args, **options)
        model = get_user_model()
        user = model._default_manager.using(options["database"]).get(
            **{model.USERNAME_FIELD: username}
        )
        user.password_set_by(None)
        return result
