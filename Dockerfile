# Production image: gunicorn serves the app; the same image runs the Celery
# worker and beat (see docker-compose.yml). Only production dependencies.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=rio.settings

# WeasyPrint needs Pango; gettext is not needed (compiled .mo files are committed).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 curl \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 rio
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=rio:rio . .
# collectstatic needs settings but no database or real secret.
RUN DEBUG=false SECRET_KEY=collectstatic-only DATABASE_URL=postgres://x@localhost/x \
    FIELD_ENCRYPTION_KEYS=Y29sbGVjdHN0YXRpYy1vbmx5LWtleS0wMTIzNDU2Nzg= BLIND_INDEX_KEY=collectstatic-only \
    python manage.py collectstatic --noinput \
 && mkdir -p /var/lib/rio/documents && chown rio:rio /var/lib/rio/documents

USER rio
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD curl -fsS http://127.0.0.1:8000/health/ -H "Host: ${HEALTHCHECK_HOST:-localhost}" || exit 1
CMD ["gunicorn", "rio.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
