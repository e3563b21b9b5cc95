from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are created by functional admins, never by sign-up.
        return False


def axes_username(request, credentials: dict | None) -> str | None:
    """The username django-axes locks on.

    allauth's form field is `login` but it calls authenticate() with
    `username=`; axes looks in one place only, so it is told both.
    """
    if credentials:
        username = credentials.get("username") or credentials.get("login")
        if username:
            return username
    return request.POST.get("login") if request is not None else None
