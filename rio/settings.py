"""Settings for the RIO case management system.

One file, read top to bottom, driven by environment variables. Every variable
is documented in `.env.example` and the README. Defaults are the safe choice:
DEBUG is off, cookies are secure, MFA is required. The demo (`make run`) turns
off what it must, explicitly.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from rio.demo import local_key

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local `.env` is a convenience for developers; the environment wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Where the demo and the embedded services keep their files (database, redis,
# uploads, the demo's keys). Kept short: PostgreSQL's unix socket path is
# limited to ~107 chars.
VAR_DIR = Path(env.str("RIO_VAR_DIR", default=str(BASE_DIR / "var")))

# The local demo is recognised by what it is, not by a switch someone could set
# in production: no DATABASE_URL means the embedded PostgreSQL under VAR_DIR,
# which exists only on a developer's machine. Production always sets one.
RIO_DEMO = not env.str("DATABASE_URL", default="")

# Production refuses to start without a real secret: a default secret would
# let anyone forge sessions and password-reset links. The demo (and a DEBUG
# run) generates one once and keeps it in VAR_DIR/keys, never a constant.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (RIO_DEMO or DEBUG):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (see .env.example); "
            "only the local demo or a DEBUG=true development run may go without one."
        )
    SECRET_KEY = local_key(VAR_DIR, "secret_key")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Debug pages show settings, posted forms (a BSN) and every URL pattern, so
# DEBUG is refused unless the app answers only to this machine's own names: a
# production start has a real host name and so can never have it on.
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]", "testserver", ".localhost"}
if DEBUG and not set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS:
    raise ImproperlyConfigured(
        "DEBUG=true is refused with ALLOWED_HOSTS other than this machine's own names "
        f"({', '.join(sorted(LOOPBACK_HOSTS))}): debug pages must never reach a real host."
    )

# The project's own apps, in the direction of their imports: an app imports
# only apps listed before it (see DESIGN.md).
PROJECT_APPS = [
    "accounts",
    "audit",
    "cases",
    "partners",
    "lifedomains",
    "followup",
    "reports",
    "privacy",
]

INSTALLED_APPS = [
    # First, so that its `changepassword` replaces Django's (management
    # commands of earlier apps win): a password set from the shell is treated
    # like one set by an admin (accounts/management/commands/changepassword.py).
    "accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "pgtrigger",
    # The change history (the checklist's status history, later the audit
    # trail): database triggers write an event row for every insert, update
    # and delete, so `.update()` and bulk writes are recorded too.
    "pghistory",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "csp",
    *[app for app in PROJECT_APPS if app != "accounts"],
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Dutch by default; English only when chosen with the language switch.
    "accounts.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after the user is known, so it covers every response to a
    # logged-in user (redirects of the checks below too); after WhiteNoise,
    # so static files keep caching.
    "accounts.middleware.PrivateNoStoreMiddleware",
    # Stamps the change history's events with who (user id), where (path) and
    # from which address (audit/history.py)
    # on POST, PUT, PATCH and DELETE requests. It adds no query: the context
    # rides along in the statements that write; GET requests are untouched.
    "audit.history.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Every view needs a login unless marked @login_not_required (AC-1).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    # A page refused for the user's role (404) writes a `denied` line (AL-3).
    "audit.middleware.RoleDeniedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, so it sees the outcome of authentication in the views (AS-4).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rio.urls"
WSGI_APPLICATION = "rio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accounts.context_processors.navigation",
                "followup.context_processors.inbox",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# PostgreSQL only: the audit triggers, constraints and locking rely on it.
# Without DATABASE_URL the embedded PostgreSQL (pgserver, a dev dependency)
# under VAR_DIR is used; manage.py and the test run start it when needed.
EMBEDDED_PG_DIR = VAR_DIR / "pg"
if not RIO_DEMO:
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "postgres",
            "USER": "postgres",
            "HOST": str(EMBEDDED_PG_DIR),
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Short-lived connections by default; set CONN_MAX_AGE behind a pooler.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A kept connection is checked before a request uses it, so after a database
# restart the first request reconnects instead of failing on the dead one.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DATABASES["default"].setdefault("OPTIONS", {})
# A database host that does not answer (a broken network) must not hold a
# worker for the operating system's TCP timeout (seconds, libpq's own option).
DATABASES["default"]["OPTIONS"].setdefault(
    "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5)
)
# A query that hangs must not hold a worker forever (milliseconds).
DATABASES["default"]["OPTIONS"].setdefault(
    "options", f"-c statement_timeout={env.int('DB_STATEMENT_TIMEOUT_MS', default=30000)}"
)
# While the database cannot be reached, a request gets the styled 503 page
# (rio/outage.py) with this Retry-After, in seconds: a restart takes about that.
RIO_UNAVAILABLE_RETRY_AFTER = env.int("RIO_UNAVAILABLE_RETRY_AFTER", default=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis and Celery -----------------------------------------------------
# Redis carries only the Celery queue. Sessions, lockouts and the cache are in
# the database or in memory, so the web app keeps working when Redis is down.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# redis-py speaks "unix://path", Celery's transport "redis+socket://path".
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL",
    default=REDIS_URL.replace("unix://", "redis+socket://", 1),
)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# No result backend: tasks write their results to the database themselves.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Tasks are idempotent, so a message is acknowledged only after the task ran:
# a worker that crashes mid-task leaves the message for another worker.
# Prefetch 1 keeps one long task from holding a queue of others hostage.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A stuck task is stopped instead of blocking the worker forever (seconds).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# A web request that saves a trajectory queues a task after its commit; a
# broker that is down or hangs must not hold that request. A closed port fails
# at once, but a Redis that hangs (its process stopped, or behind a broken
# network: the connection is accepted and no answer ever comes) would block a
# socket read forever. So every connect and every read gives up after
# CELERY_BROKER_TIMEOUT seconds, and a publish is retried CELERY_PUBLISH_RETRIES
# times, back to back: a save costs at most about (2 + retries) x timeout (the
# pooled connection, its reconnect, each retry: 1.5 s with the defaults, 1.0 s
# once no pooled connection is left) before `followup.tasks._send` logs the
# failure; the nightly sweep catches up. A healthy Redis answers in well under a
# millisecond. Only the Celery queue uses Redis (no cache, no result backend);
# /health/ checks it with its own 1-second timeouts (rio/health.py).
_broker_timeout = env.float("CELERY_BROKER_TIMEOUT", default=0.5)
_publish_retries = env.int("CELERY_PUBLISH_RETRIES", default=1)
# Retry at once, then after 0.2 s: the retries are there for a connection that
# was dropped (a Redis restart), not for waiting out an outage.
_retry_policy = {
    "max_retries": _publish_retries,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = _retry_policy
# kombu copies the publish retry policy into the transport options on the
# first retried publish; they are the same from the start, so a connection
# (re)established for a publish is bounded the same way.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": _broker_timeout,
    "socket_connect_timeout": _broker_timeout,
    **_retry_policy,
}
# The total time spent (re)connecting, over all attempts.
CELERY_BROKER_CONNECTION_TIMEOUT = _broker_timeout * (1 + _publish_retries)
# The worker and beat wait for a broker that is not up yet instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Amsterdam"
# The nightly follow-up sweep is fanned out as one `followup.sweep_chunk` task per
# this many open trajectories (by id), each with its own time limits (seconds), so a
# slow or failing chunk costs only its own trajectories their reminders, until the
# next night; the soft limit rolls the chunk back before the hard one kills it.
RIO_SWEEP_CHUNK_SIZE = env.int("RIO_SWEEP_CHUNK_SIZE", default=2000)
RIO_SWEEP_CHUNK_SOFT_TIME_LIMIT = env.int("RIO_SWEEP_CHUNK_SOFT_TIME_LIMIT", default=120)
RIO_SWEEP_CHUNK_TIME_LIMIT = env.int("RIO_SWEEP_CHUNK_TIME_LIMIT", default=150)
# The beat schedule lives here, in code. Reminders are rows with a due date
# that this daily sweep turns into notifications, never Celery ETAs years
# ahead (Redis would redeliver them after its visibility timeout). Run beat
# exactly once: two beats would send every task twice (harmless, since the
# tasks are idempotent, but wasteful).
CELERY_BEAT_SCHEDULE = {
    "followup-daily-sweep": {
        "task": "followup.daily_sweep",
        "schedule": crontab(
            hour=env.int("RIO_SWEEP_HOUR", default=5),
            minute=env.int("RIO_SWEEP_MINUTE", default=30),
        ),
    },
    "followup-purge-read-notifications": {
        "task": "followup.purge_read_notifications",
        "schedule": crontab(hour=env.int("RIO_SWEEP_HOUR", default=5), minute=10),
    },
    # Before the follow-up sweep, so it never reminds about a destroyed dossier.
    "privacy-apply-retention": {
        "task": "privacy.apply_retention",
        "schedule": crontab(hour=env.int("RIO_RETENTION_HOUR", default=4), minute=30),
    },
    "privacy-purge-audit-trail": {
        "task": "privacy.purge_audit_trail",
        "schedule": crontab(hour=env.int("RIO_RETENTION_HOUR", default=4), minute=50),
    },
    "followup-email-digests": {
        "task": "followup.send_digests",
        "schedule": crontab(hour=env.int("RIO_DIGEST_HOUR", default=7), minute=0),
    },
}

# --- Authentication -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out logins before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: username login, no self sign-up (admins create accounts).
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
# Failed logins are limited by django-axes (below), in the database and so
# across every web process; allauth's own per-process counter would only
# give a second, inconsistent message. Its other rate limits stay on.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# Users log in with TOTP (and recovery codes); WebAuthn is not offered.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="RIO casusregie")
# Every account must set up TOTP before it can use the app (AS-3). Only the
# local demo turns this off (its users have no TOTP), and it says so on the
# login page; a start with a DATABASE_URL and DEBUG off refuses it, so no
# production configuration can weaken the login.
RIO_REQUIRE_MFA = env.bool("RIO_REQUIRE_MFA", default=True)
if not RIO_REQUIRE_MFA and not (RIO_DEMO or DEBUG):
    raise ImproperlyConfigured(
        "RIO_REQUIRE_MFA=false is refused with DEBUG off and a DATABASE_URL: two-factor "
        "authentication can be switched off only for the local demo (embedded database)."
    )

# Brute-force protection (AS-4): lock a username+IP pair after 5 failures for
# 30 minutes, stored in the database so it holds across web processes.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "accounts.lockout.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# The client's address, for the lockout and the access log (axes + ipware).
# A client can send any X-Forwarded-For, so it is read only when the number of
# trusted proxies in front of the app is configured; otherwise REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# --- Sessions (AS-5, RF-1) ------------------------------------------------
# Sessions live in the database so logins survive a Redis outage and logout
# removes them server-side.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Success messages name people; the default cookie storage is signed but
# readable by anyone holding the cookie, so messages stay server-side.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)  # seconds
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_SAVE_EVERY_REQUEST = True  # slides the idle window on every request
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- HTTPS and security headers (AS-1, AS-2) -------------------------------
# TLS ends at the load balancer; these are on unless DEBUG is on. The demo
# serves plain http on 127.0.0.1 and sets the first three to false itself,
# saying so (rio/demo.py DEMO_ENVIRONMENT).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload directive only takes effect once the domain owner submits the
# domain to the browsers' list; sending it costs nothing and check --deploy wants it.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    # Only behind a proxy that sets this header itself (never from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere: htmx reads its config from a meta tag and its
# indicator styles are switched off, so 'self' is enough.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded documents live outside the web root and are only ever served
    # through a scoped view, never by URL (AS-7).
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))},
    },
    # Hashed, compressed files in production; plain storage where
    # collectstatic has not run (DEBUG and the test run).
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        ),
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Non-file form data; uploaded files are limited by DOCUMENT_MAX_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Client data ----------------------------------------------------------
# Fernet keys for encrypted fields (the BSN); the first encrypts, all decrypt,
# so a key is rotated by putting a new one first. The blind-index key makes
# exact BSN lookups possible without storing the BSN in the clear. Both are
# required in production, separate from SECRET_KEY so that rotating one does
# not make the other's data unreadable.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default="")
if not (FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY):
    if not (RIO_DEMO or DEBUG):
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY must be set (see .env.example)."
        )
    # The demo's own keys, generated once and kept in VAR_DIR/keys so its data
    # survives restarts. An embedded database made before the demo had its
    # own keys keeps the ones its BSNs were encrypted with (rio/demo.py).
    existing_data = RIO_DEMO and (EMBEDDED_PG_DIR / "PG_VERSION").exists()
    FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or [
        local_key(VAR_DIR, "field_encryption_key", existing_data=existing_data)
    ]
    BLIND_INDEX_KEY = BLIND_INDEX_KEY or local_key(
        VAR_DIR, "blind_index_key", existing_data=existing_data
    )
# Largest uploaded document, in bytes.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# --- The dossier's wiring ------------------------------------------------------
# The dossier's sections and the caseload's columns, in the order shown, and
# what runs whenever a trajectory's facts change. `cases` loads them from here
# by dotted path, so it never imports the apps to its right (DESIGN.md).
RIO_DOSSIER_SECTIONS = [
    "cases.sections.TRAJECTORY",
    "lifedomains.sections.READINESS",
    "lifedomains.sections.PROGRESS",
    "followup.sections.SCHEDULE",
    "lifedomains.sections.PLAN",
    "cases.sections.NETWORK",
    "partners.sections.PARTNERS",
    "partners.sections.BOTTLENECKS",
    "cases.sections.CONTACTS",
    "cases.sections.DOCUMENTS",
    "cases.sections.DJI",
    "cases.sections.TIMELINE",
]
RIO_CASELOAD_COLUMNS = [
    "lifedomains.sections.READINESS_COLUMN",
    "lifedomains.sections.NEXT_ACTION_COLUMN",
    "followup.sections.NEXT_MOMENT_COLUMN",
]
RIO_TRAJECTORY_LISTENERS = ["followup.tasks.keep_followup_current"]

# --- The business rules' day counts -------------------------------------------
# Each is read by one QuerySet method that the caseload, the dossier, the
# daily sweep and the dashboards all call, so they cannot disagree.
# An open trajectory without contact for this many days is flagged and reminded.
RIO_NO_CONTACT_WARNING_DAYS = env.int("RIO_NO_CONTACT_WARNING_DAYS", default=30)
# Release within this many days with a basic condition still open is a warning.
RIO_RELEASE_WARNING_DAYS = env.int("RIO_RELEASE_WARNING_DAYS", default=14)
# A follow-up moment is reminded about this many days before it is due.
RIO_FOLLOWUP_REMIND_DAYS = env.int("RIO_FOLLOWUP_REMIND_DAYS", default=7)
# A legal basis for sharing data "expires soon" this many days before its end.
RIO_BASIS_EXPIRING_DAYS = env.int("RIO_BASIS_EXPIRING_DAYS", default=30)
# A trajectory is still in contact on a day (the dashboard asks it 12 and 24 months
# after release) when it had a contact in this many days before it.
RIO_STILL_IN_CONTACT_DAYS = env.int("RIO_STILL_IN_CONTACT_DAYS", default=60)
# A notification read this many days ago is deleted by the daily purge (a
# reminder has no use once dealt with; unread ones are kept).
RIO_NOTIFICATION_RETENTION_DAYS = env.int("RIO_NOTIFICATION_RETENTION_DAYS", default=365)
# Retention of a closed trajectory's personal data, counted from its end date
# (Selectielijst gemeenten 2020): years when guidance was given, months when it
# ended without guidance (registered, never started). Then the daily retention
# run destroys it, keeping the anonymous remainder the dashboards count.
RIO_RETENTION_YEARS = env.int("RIO_RETENTION_YEARS", default=5)
RIO_RETENTION_NO_GUIDANCE_MONTHS = env.int("RIO_RETENTION_NO_GUIDANCE_MONTHS", default=9)
# The access log and the change history are kept this many years after a line was
# written (NEN 7513 practice), then purged: the only delete their tables allow.
RIO_AUDIT_RETENTION_YEARS = env.int("RIO_AUDIT_RETENTION_YEARS", default=7)
# Rows per page on the caseload.
CASELOAD_PAGE_SIZE = 25

# --- Follow-up --------------------------------------------------------------
# A daily e-mail per caseworker with the number of new reminders (no names:
# e-mail leaves the municipality's systems). Off unless configured.
RIO_EMAIL_DIGEST = env.bool("RIO_EMAIL_DIGEST", default=False)
# The address users reach the app on, for the link in that e-mail.
RIO_SITE_URL = env.str("RIO_SITE_URL", default="http://127.0.0.1:8000")

# --- Forms ----------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ---------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="RIO casusregie <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging --------------------------------------------------------------
# Plain lines on stderr; the platform collects them. No personal data is
# logged by the application itself.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # The embedded PostgreSQL narrates every start and stop at INFO.
        "pgserver": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}
