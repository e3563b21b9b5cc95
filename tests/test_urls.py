"""AC-1: every URL needs login except the explicitly public ones.

The URL list is generated from the URLconf, so a new route cannot escape.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Public on purpose: login, password reset, health, language switch, and
# allauth's own flows for people who are not logged in yet.
PUBLIC_PREFIXES = (
    "/health/",
    "/i18n/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/logout/",
    "/accounts/2fa/authenticate/",
    "/accounts/inactive/",
    "/accounts/confirm-email/",
    "/accounts/login/code/",
    "/accounts/reauthenticate/",
)


def walk(patterns, prefix="/"):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def concrete(route: str) -> str:
    """Turn a route pattern into a URL with plausible values for its parameters."""
    route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    route = re.sub(r"<(?:int:)?\w*pk>|<int:\w+>", "1", route)
    route = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000001", route)
    route = re.sub(r"<(?:str:|slug:|path:)?\w+>", "x", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    route = re.sub(r"[()?*+|\[\]]", "", route)
    return route


ALL_URLS = sorted({concrete(route) for route in walk(get_resolver().url_patterns)})
PROTECTED_URLS = [url for url in ALL_URLS if not url.startswith(PUBLIC_PREFIXES)]


def test_the_url_walk_finds_the_project_pages():
    assert "/jongeren/" in ALL_URLS
    assert "/reports/" in ALL_URLS
    assert "/health/" in ALL_URLS
    assert len(ALL_URLS) > 40


@pytest.mark.parametrize("url", PROTECTED_URLS)
def test_anonymous_user_is_sent_to_login_or_refused(client, url):
    response = client.get(url)
    if response.status_code in (301, 302):
        location = response["Location"]
        assert "/accounts/login/" in location or "/beheer/login/" in location, location
    else:
        assert response.status_code in (401, 404, 405), (url, response.status_code)


@pytest.mark.parametrize("url", ["/health/", "/accounts/login/", "/accounts/password/reset/"])
def test_public_pages_answer_without_login(client, url):
    assert client.get(url).status_code == 200
