"""Role checks for views. A wrong role gets 404, like a wrong team (AC-2).

Object scoping per team lives on each model's QuerySet (`visible_to(user)`);
these decorators only decide which kind of page a role may open at all.
"""

from __future__ import annotations

from functools import wraps

from django.http import Http404

from accounts.models import User


class RoleDenied(Http404):
    """A page the user's role may not open: answered 404 like any other, and written to
    the access log as `denied` by `audit.middleware.RoleDeniedMiddleware` (AL-3), which
    this app, left of `audit`, cannot write to itself."""


def role_required(*roles: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.role not in roles:
                raise RoleDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


caseworker_required = role_required(User.Role.CASEWORKER)
manager_required = role_required(User.Role.MANAGER)
# The dashboards: a manager for their own municipality, a functional admin for any.
reports_required = role_required(User.Role.MANAGER, User.Role.ADMIN)
# What only a functional admin may do, such as the pseudonymised research export.
functional_admin_required = role_required(User.Role.ADMIN)
