"""Session lifetime and the MFA requirement, checked on every request."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

LOGIN_AT_KEY = "rio_login_at"


class SessionLifetimeMiddleware:
    """End a session 12 hours after login, however active it is (AS-5).

    The idle limit is the session's own expiry (SESSION_COOKIE_AGE, renewed on
    every request); this adds the absolute limit on top.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            login_at = request.session.setdefault(LOGIN_AT_KEY, now)
            if now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


# What a user without TOTP may still reach: setting it up, logging out, the
# language switch and the public endpoints.
MFA_EXEMPT_URL_NAMES = (
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_reauthenticate",
    "account_reauthenticate",
    "account_logout",
    "set_language",
    "health",
)


class RequireMFAMiddleware:
    """Send every logged-in user without TOTP to the TOTP set-up page (AS-3).

    Also a user whose password someone else set after their TOTP was enrolled
    (`User.needs_totp_enrolment`): allauth's set-up page first has them remove
    the old one.

    On unless RIO_REQUIRE_MFA is false, which only the local demo sets.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.RIO_REQUIRE_MFA
            and request.user.is_authenticated
            and not self._is_exempt(request.path)
            and request.user.needs_totp_enrolment()
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _is_exempt(path: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        return any(path == reverse(name) for name in MFA_EXEMPT_URL_NAMES)


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on every response to a logged-in user.

    What a logged-in user sees names clients: neither the browser's cache (a
    shared laptop, the back button after logout) nor a proxy may keep a copy.
    A response that sets its own Cache-Control (a download, /health/) keeps
    it. Static files never get here: WhiteNoise answers them earlier in
    MIDDLEWARE, so they keep caching; so do anonymous pages such as login.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the user chose another language with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so
    a caseworker with an English browser would get an English interface
    without asking for it. Here only the switch's cookie counts.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
