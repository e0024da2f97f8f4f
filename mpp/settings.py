"""Settings of the MPP platform, read from the environment only (see docs/operations.md).

Safe defaults run the embedded set-up (SQLite, one process, in-process channel layer) on
127.0.0.1; a public host with debug on or with the default secret refuses to start.
"""

from __future__ import annotations

import ipaddress
import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("MPP_DATA_DIR", BASE_DIR / "var"))

DEFAULT_SECRET_KEY = "mpp-insecure-demo-key-change-me-in-production"  # noqa: S105 - detected below


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: use 1/0, true/false, yes/no or on/off.")


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver", "0.0.0.0"}  # noqa: S104
_public_hosts = [h for h in ALLOWED_HOSTS if h not in LOCAL_HOSTS]
if _public_hosts and DEBUG:
    raise ImproperlyConfigured(
        "Unsafe settings: DEBUG is on while ALLOWED_HOSTS names a public host "
        f"({', '.join(_public_hosts)}). Set DEBUG=0 for a public server."
    )
if _public_hosts and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "Unsafe settings: SECRET_KEY is the built-in demo key while ALLOWED_HOSTS names a public "
        f"host ({', '.join(_public_hosts)}). Set SECRET_KEY to a long random value."
    )
if _public_hosts and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("Unsafe settings: SECRET_KEY must be at least 32 characters.")

# Demo only: the malls take numbers around the clock, whatever their hours, holidays and days,
# so that a newcomer can try the queue at any hour. Refused on a public host.
MPP_DEMO_ALWAYS_OPEN = _env_bool("MPP_DEMO_ALWAYS_OPEN", False)
if _public_hosts and MPP_DEMO_ALWAYS_OPEN:
    raise ImproperlyConfigured("Unsafe settings: MPP_DEMO_ALWAYS_OPEN is a demo setting.")

# The region data package loaded by `mpp load-region` and `mpp demo` (see mpp/regions/).
MPP_REGION = os.environ.get("MPP_REGION", "kukar")
# Bookings one address may make in an hour (appointments.api, docs/adr/0035); the booking
# bench raises it to send 500 requests from one machine.
MPP_BOOKINGS_PER_HOUR = int(os.environ.get("MPP_BOOKINGS_PER_HOUR", "10"))

INSTALLED_APPS = [
    "daphne",  # gives runserver ASGI and websockets in development; never used in production
    "mpp.accounts.apps.StaffAdminConfig",  # django.contrib.admin, kiosk devices kept out
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "ninja",  # serves the API explorer (/api/v1/docs) from local static files, no CDN
    "csp",  # django-csp: its system checks of CONTENT_SECURITY_POLICY
    "mpp.core",
    "mpp.accounts",
    "mpp.malls",
    "mpp.notifications",
    "mpp.catalog",
    "mpp.appointments",
    "mpp.applications",
    "mpp.complaints",
    "mpp.queueing",
    "mpp.displays",
    "mpp.investment",
    "mpp.surveys",
    "mpp.metapers",
    "mpp.rollout",
    "mpp.programs",
    "mpp.regions",
    "axes",  # sign-in throttling per account and per address (docs/adr/0018)
]
try:  # daphne is a development dependency: keep production installs free of it
    import daphne  # noqa: F401
except ImportError:  # pragma: no cover - depends on the install
    INSTALLED_APPS.remove("daphne")

MIDDLEWARE = [
    # First: every response is counted and timed for /metrics, refusals of the others included.
    "mpp.core.metrics.CountRequests",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every response (see below)
    # NUL and control characters, non-JSON API bodies: refused before sessions or views read them
    "mpp.core.malformed.RefuseMalformedRequests",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: a locked-out sign-in page answers 429 (accounts.signin).
    "axes.middleware.AxesMiddleware",
]

# Threads serving HTTP in each process (mpp/asgi.py); each keeps its database connection.
HTTP_THREADS = int(os.environ.get("MPP_HTTP_THREADS", "4"))

ROOT_URLCONF = "mpp.urls"
ASGI_APPLICATION = "mpp.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mpp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL when DATABASE_URL is set.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL)
    if _db["ENGINE"] == "django.db.backends.postgresql":
        # HTTP runs in a fixed pool of HTTP_THREADS threads per process (mpp/asgi.py, a2wsgi):
        # each keeps its connection between requests, where a pool's check-out and return cost
        # every request that touches the database (docs/adr/0011). FIELD-NOTES' advice for a
        # pool held when Django's ASGI handler ran each request in a new thread.
        _db["CONN_MAX_AGE"] = 600
    DATABASES = {"default": _db}
else:
    # SQLite cannot create the folder of its file; every command (migrate, test) needs it.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "mpp.sqlite3"),
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait (busy_timeout)
            # instead of failing half-way with "database is locked" (FIELD-NOTES).
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                ),
            },
            # One test database per test process: two suites run at once in one checkout (a
            # developer and an editor's test runner) must not share, and corrupt, one file.
            "TEST": {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")},
            # Each of the server's HTTP threads keeps its connection (see PostgreSQL above).
            "CONN_MAX_AGE": 600,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def redis_channel_layer_config(url: str) -> dict[str, Any]:
    """The Redis channel layer's CONFIG for `url`.

    channels-redis waits for a message with BZPOPMIN for `brpop_timeout` (5 s). redis-py's
    default socket timeout is also 5 s, which dropped every idle screen after five seconds
    (TimeoutError, channels_redis#422). Any socket timeout also makes redis-py send through
    `asyncio.wait_for`, which on Python 3.11 can swallow a cancellation (a screen that closes
    while its first connection opens then keeps polling Redis for ever). So: no read timeout —
    the server ends every blocking pop itself — a bounded connect, and TCP keepalive to notice a
    dead peer.
    """
    return {
        "hosts": [
            {
                "address": url,
                "socket_timeout": None,
                "socket_connect_timeout": 5,
                "socket_keepalive": True,
            }
        ]
    }


REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": redis_channel_layer_config(REDIS_URL),
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # One pool per process, not one connection per request (core/redis_pool.py).
                "pool_class": "mpp.core.redis_pool.SharedConnectionPool",
                # A Redis that does not answer fails fast; requests go on without it (ADR 0017).
                "socket_connect_timeout": 2,
                "socket_timeout": 2,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# This process's own memory: rate limits count here while Redis is out of reach (core/ratelimit).
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mpp"}

# --- Background jobs (core/jobs.py, docs/adr/0020) -------------------------------------------
# huey: on the embedded default its queue is a SQLite file beside the database (no server to
# run); with REDIS_URL it is that Redis. `mpp worker` consumes it and runs the periodic work.
HUEY: dict[str, Any] = {
    "name": "mpp",
    "immediate": _env_bool("MPP_JOBS_IMMEDIATE", False),  # never DEBUG's default: a demo too
    "utc": True,
    "consumer": {"workers": int(os.environ.get("MPP_JOB_WORKERS", "2")), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY.update(huey_class="huey.RedisHuey", url=REDIS_URL)
else:
    # Every process opens the queue's file (the heartbeat hook, core/apps.py), also a command
    # run against PostgreSQL without Redis: its folder must exist, as for the database's.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    HUEY.update(huey_class="huey.SqliteHuey", filename=str(DATA_DIR / "jobs.sqlite3"))
# Audit entries are kept this long, then deleted by the nightly retention job: five years, the
# retention of "arsip aktif" most regencies' archive schedules (JRA) give to service records,
# and long enough for the BPK's audit of any budget year still open.
MPP_AUDIT_RETENTION_DAYS = int(os.environ.get("MPP_AUDIT_RETENTION_DAYS", str(5 * 366)))
# A job that failed in a way the next attempt may not meet (a database busy) is tried again after
# this many seconds, as many times as its kind allows (core/jobs.py).
MPP_JOB_RETRY_SECONDS = int(os.environ.get("MPP_JOB_RETRY_SECONDS", "30"))
# A job's uploaded and produced files (imports, exports) are deleted after this many days.
MPP_JOB_FILE_DAYS = int(os.environ.get("MPP_JOB_FILE_DAYS", "14"))
# Sign-in failures django-axes counted are deleted after this many days (lockouts last minutes).
MPP_SIGN_IN_RECORD_DAYS = int(os.environ.get("MPP_SIGN_IN_RECORD_DAYS", "90"))

# --- Messages to citizens: the outbox and its channels (docs/adr/0033) -----------------------
# A channel is used only when its variables are set; without any, messages are written with the
# status "not configured" (the admin shows them) and nothing is sent.
# E-mail over SMTP: MPP_SMTP_TLS is "starttls" (port 587), "ssl" (port 465) or "none".
EMAIL_HOST = os.environ.get("MPP_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("MPP_SMTP_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("MPP_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MPP_SMTP_PASSWORD", "")
_SMTP_TLS = os.environ.get("MPP_SMTP_TLS", "starttls").lower()
if _SMTP_TLS not in {"starttls", "ssl", "none"}:
    raise ImproperlyConfigured(f"MPP_SMTP_TLS={_SMTP_TLS!r}: use starttls, ssl or none.")
EMAIL_USE_TLS = _SMTP_TLS == "starttls"
EMAIL_USE_SSL = _SMTP_TLS == "ssl"
DEFAULT_FROM_EMAIL = os.environ.get("MPP_MAIL_FROM", "MPP Kukar <noreply@localhost>")
MPP_SMTP_MSGID_DOMAIN = os.environ.get("MPP_SMTP_MSGID_DOMAIN", "")
# WhatsApp Business Cloud API (Meta): a system user's token and the sender's phone number id.
MPP_WHATSAPP_TOKEN = os.environ.get("MPP_WHATSAPP_TOKEN", "")
MPP_WHATSAPP_PHONE_NUMBER_ID = os.environ.get("MPP_WHATSAPP_PHONE_NUMBER_ID", "")
MPP_WHATSAPP_API_BASE = os.environ.get("MPP_WHATSAPP_API_BASE", "https://graph.facebook.com")
MPP_WHATSAPP_API_VERSION = os.environ.get("MPP_WHATSAPP_API_VERSION", "v23.0")
# Fonnte, an Indonesian WhatsApp gateway: used for phone numbers when the Cloud API is not set.
MPP_FONNTE_TOKEN = os.environ.get("MPP_FONNTE_TOKEN", "")
MPP_FONNTE_URL = os.environ.get("MPP_FONNTE_URL", "https://api.fonnte.com/send")
# Every call to a gateway or SMTP server gives up after this many seconds (then retried).
MPP_MESSAGE_TIMEOUT_SECONDS = float(os.environ.get("MPP_MESSAGE_TIMEOUT_SECONDS", "10"))
# Attempts in all before a message is given up; the wait doubles from the first retry's.
MPP_MESSAGE_MAX_ATTEMPTS = int(os.environ.get("MPP_MESSAGE_MAX_ATTEMPTS", "6"))
MPP_MESSAGE_RETRY_SECONDS = int(os.environ.get("MPP_MESSAGE_RETRY_SECONDS", "60"))
# A message's recipient (number or address) is blanked this many days after it was written.
MPP_MESSAGE_RECIPIENT_DAYS = int(os.environ.get("MPP_MESSAGE_RECIPIENT_DAYS", "30"))

# --- Sign-in, passwords and API tokens (docs/adr/0018) ---------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Staff accounts of a government system: 10 characters at least (Django's default is 8).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # "kukar2026", "Tenggarong#1", "mpp-admin": the region's and the platform's own words.
    {"NAME": "mpp.accounts.passwords.LocalWordsValidator"},
    # Not a rule: Django calls its password_changed() on every new password (revokes tokens).
    {"NAME": "mpp.accounts.passwords.RevokeTokensOnPasswordChange"},
]
# django-axes refuses a locked-out sign-in before the password is hashed (its backend first).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After this many failures within the cool-off, per account and per client address, every try
# is refused (the right password too) until the cool-off has passed since the last failure.
AXES_FAILURE_LIMIT = int(os.environ.get("MPP_SIGN_IN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("MPP_SIGN_IN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Refused tries are not counted: the cool-off ends a fixed time after the last counted failure
# (the page and Retry-After can say when) and a flood of refusals writes nothing.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success does not wipe the count: it would also wipe the address's count of other accounts.
AXES_RESET_ON_SUCCESS = False
# The database handler: shared by every app server, kept across restarts (Redis may be absent).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "mpp.accounts.signin.client_address"
AXES_LOCKOUT_CALLABLE = "mpp.accounts.signin.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # no unbounded log of every sign-in; failures are kept
AXES_ENABLE_ADMIN = False  # accounts.admin shows lockouts to the regency administrator
AXES_VERBOSE = False
# API tokens live this long: a person's for a working day, a kiosk device's for a season.
MPP_TOKEN_LIFETIME = timedelta(hours=int(os.environ.get("MPP_TOKEN_HOURS", "12")))
MPP_KIOSK_TOKEN_LIFETIME = timedelta(days=int(os.environ.get("MPP_KIOSK_TOKEN_DAYS", "90")))
LOGIN_URL = "admin:login"
# A sign-in without a `next` lands on the role's own page (console, supervisor, kiosk, admin).
LOGIN_REDIRECT_URL = "accounts:staff-home"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "mpp" / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# A source checkout collects beside its sources; an installed package (the wheel, ADR 0022) has
# no checkout to write into, so it collects into its data folder unless told otherwise.
_IS_CHECKOUT = (BASE_DIR / "manage.py").is_file()
STATIC_ROOT = Path(
    os.environ.get(
        "MPP_STATIC_ROOT", BASE_DIR / "staticfiles" if _IS_CHECKOUT else DATA_DIR / "static"
    )
)
# Browser libraries come from npm (package.json); only their built files are published. A
# checkout serves htmx from node_modules; the wheel carries a copy in mpp/static/vendor/htmx
# (`make dist`), so a production host needs no Node.js.
STATICFILES_DIRS: list[Any] = [BASE_DIR / "mpp" / "static"]
if (BASE_DIR / "node_modules" / "htmx.org" / "dist").is_dir():
    STATICFILES_DIRS.insert(0, ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"))
# Files users upload and files the platform makes (job results, exports) go through Django's
# storage API (`default_storage`), never a path of their own: a deployment with several app
# servers points MPP_FILES_DIR at a shared folder, or names another backend class in
# MPP_FILES_STORAGE with its OPTIONS as JSON in MPP_FILES_STORAGE_OPTIONS (e.g. django-storages'
# S3 backend and '{"bucket_name": "mpp"}'). `mpp backup` saves and `mpp restore` brings back
# every file of this storage (ADR 0023).
MEDIA_ROOT = Path(os.environ.get("MPP_FILES_DIR", DATA_DIR / "files"))
MEDIA_URL = "/berkas/"  # not served as such: files reach users through views that check access
_FILES_BACKEND = os.environ.get("MPP_FILES_STORAGE", "")
STORAGES: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": _FILES_BACKEND,
            "OPTIONS": json.loads(os.environ.get("MPP_FILES_STORAGE_OPTIONS", "{}")),
        }
        if _FILES_BACKEND
        else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(MEDIA_ROOT)},
        }
    ),
    "staticfiles": {
        "BACKEND": (
            "servestatic.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
SERVESTATIC_KEEP_ONLY_HASHED_FILES = False

# --- Uploads and the spreadsheets read from them (core/sheets.py, issue 16) ---------------------
# Every bound is checked before a file is parsed; a refusal names the limit it broke.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # a request's form fields (Django's default, said here)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # a larger uploaded file is spooled to disk, not memory
# A multipart request longer than this is refused before it is read (files are not counted in
# DATA_UPLOAD_MAX_MEMORY_SIZE): the largest import form's limit and room for its fields.
MPP_UPLOAD_MAX_BYTES = 21 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "mpp.core.sheets.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
MPP_SURVEY_IMPORT_MAX_BYTES = 5 * 1024 * 1024  # ≈ 40,000 paper sheets: years of one mall
MPP_INVESTMENT_IMPORT_MAX_BYTES = 20 * 1024 * 1024  # a regency's year of LKPM is ≈ 4 MB
MPP_AUDIT_FILE_MAX_BYTES = 512 * 1024 * 1024  # `mpp ikm compute`: a regency's year is ≈ 70 MB
# An XLSX is a ZIP of XML: its parts, each part and all of them unpacked, then the sheet: the
# rows and cells (rows × columns from A1) its <dimension> declares and its cells reach. A 1.6 KB
# file with one far cell made the reader allocate 52 GB; these keep it under ≈ 0.5 GB, and the
# scan of a sheet's tags (rows + cells of them at most) to a few seconds.
MPP_SHEET_MAX_PARTS = 1_000
MPP_SHEET_MAX_PART_BYTES = 64 * 1024 * 1024
MPP_SHEET_MAX_UNPACKED_BYTES = 128 * 1024 * 1024
MPP_SHEET_MAX_ROWS = 100_000  # a regency's year of LKPM is ≈ 20,000 rows
MPP_SHEET_MAX_CELLS = 2_000_000
MPP_SHEET_MAX_LINE_BYTES = 64 * 1024  # a CSV line

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", bool(_public_hosts))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A form sent after its page aged out (a phone left open overnight) gets our Indonesian 403,
# saying to reload, not Django's English "CSRF verification failed".
CSRF_FAILURE_VIEW = "mpp.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy of every page (django-csp; docs/adr/0013). Scripts come only from our
# own static files: no inline script, no eval, so an injected <script> or onclick= never runs.
# Styles may be inline (brand colours from the database, Django's admin, Swagger UI, htmx):
# CSS cannot run script, and markup injection, the only way to add a style, is what escaping and
# the SVG cleaner stop. 'self' in connect-src covers the site's own ws:// and wss:// (CSP 3).
# Files users supply are served with core.usercontent.USER_FILE_CSP instead.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],  # the data: icons of Swagger UI's CSS (/api/v1/docs)
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],  # the phone pages' service worker
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}


# --- Reverse proxy (core/proxies.py, docs/adr/0017) ---------------------------------------------
# The proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: addresses or networks,
# comma-separated ("127.0.0.1" for nginx on this machine). None by default: the headers are then
# ignored, the client is the connection's peer, and no one can choose their own address.
def _env_networks(name: str) -> list[str]:
    found = _env_list(name, "")
    for item in found:
        try:
            ipaddress.ip_network(item)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or network (e.g. 127.0.0.1, 10.0.0.0/8)."
            ) from None
    return found


MPP_TRUSTED_PROXIES = _env_networks("MPP_TRUSTED_PROXIES")
# --- Observability (docs/adr/0024) --------------------------------------------------------------
# Who may read /metrics (the client's address as believed above): Prometheus scrapes each app
# server on its own port, from this machine by default. Anyone else gets a 404.
MPP_METRICS_ALLOWED = (
    _env_networks("MPP_METRICS_ALLOWED")
    if os.environ.get("MPP_METRICS_ALLOWED")
    else ["127.0.0.1", "::1"]
)
# Django learns of HTTPS from the scheme the trusted proxy reported (core/proxies.py rewrites the
# ASGI scope for that peer only), so SECURE_PROXY_SSL_HEADER stays unset: Django would believe
# that header from any peer, a client talking to the server directly included.

# --- HTTPS on a public host (`mpp check --deploy` is clean; docs/operations.md) -----------------
# Plain HTTP is redirected to HTTPS, except the health endpoints, which monitors on the machine
# call over plain HTTP (paths without their leading slash).
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", bool(_public_hosts))
SECURE_REDIRECT_EXEMPT = [r"^livez$", r"^readyz$", r"^healthz$", r"^metrics$"]
# HSTS: browsers that saw the site over HTTPS refuse plain HTTP to it for this long. A year on a
# public host (what the HSTS preload list asks as a minimum); 0 locally, where there is no TLS.
# Lower it (e.g. 3600) for a first deployment whose HTTPS is not yet proven: browsers keep it.
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600 if _public_hosts else 0))
)
# Subdomains of the site's own host name (mpp.kukarkab.go.id), not of the regency's domain.
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is decided for a whole registrable domain (kukarkab.go.id) by its owner, not by one
# application on a subdomain: off unless asked for, and Django's reminder of it silenced below.
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Metapers presence (metapers/presence.py) ----------------------------------------------------
# Sockets of one client address counted in a hall at most: a household or an office behind one
# address counts, a script holding 200 idle sockets does not make the hall look full.
MPP_PRESENCE_PER_ADDRESS = int(os.environ.get("MPP_PRESENCE_PER_ADDRESS", "10"))

# Log lines: plain text by default; one JSON object a line with MPP_LOG_FORMAT=json (what a log
# collector reads: time, level, logger, message, the request id; core/requestid.py).
MPP_LOG_FORMAT = os.environ.get("MPP_LOG_FORMAT", "text")
if MPP_LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"MPP_LOG_FORMAT={MPP_LOG_FORMAT!r}: use text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "refusals": {"()": "mpp.core.logging.RefusalsWithoutTraceback"},
        "request_id": {"()": "mpp.core.requestid.WithRequestId"},
    },
    "formatters": {
        "text": {"format": "%(message)s"},
        "json": {
            "()": "mpp.core.logging.JsonLines",
            "fmt": ["levelname", "name", "message", "request_id"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "refusals"],
            "formatter": MPP_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Server errors to a Sentry-compatible service when SENTRY_DSN is set (core/sentry.py).
from mpp.core.sentry import init_from_environment  # noqa: E402 - settings first, then this

init_from_environment()
