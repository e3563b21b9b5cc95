"""The public health endpoint for load balancers and monitoring (RF-6).

200 while the database answers, 503 when it does not. Redis being down is
reported but is not fatal: the web app works without the queue. Nothing else
is revealed (no versions, hosts or settings).
"""

import logging

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means: not usable now
        logger.warning("health: database check failed", exc_info=True)
        return False


def redis_is_up() -> bool:
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # connection refused, timeout, bad URL: all mean down
        logger.warning("health: redis check failed", exc_info=True)
        return False


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    database_ok = database_is_up()
    body = {
        "status": "ok" if database_ok else "error",
        "database": "ok" if database_ok else "down",
        "redis": "ok" if redis_is_up() else "down",
    }
    return JsonResponse(body, status=200 if database_ok else 503)
