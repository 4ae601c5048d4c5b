"""Django settings for Amiable.

Every value that changes between deployments is read from the environment here, in
one place, and a bad value stops the process at start-up with a readable message.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
import phonenumbers
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from amiable.core.encryption_keys import keys_parse
from amiable.core.money import Money
from amiable.core.storage_settings import s3_storage_from_environment

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("AMIABLE_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("AMIABLE_VAR_DIR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def _env_money(name: str, default: str) -> Money:
    """``"38.50 EUR"`` -> Money; fails fast on anything else."""
    raw = os.environ.get(name) or default
    amount, _space, currency = raw.strip().partition(" ")
    try:
        return Money(Decimal(amount), currency.strip().upper() or "EUR")
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"{name} must be an amount and a currency, e.g. '38.50 EUR', got {raw!r}"
        ) from exc


def _secret_key() -> str:
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", default=False)
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
        ","
    )
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "amiable.core",
    "amiable.accounts",
    "amiable.audit",
    "amiable.events",
    "amiable.schedules",
    "amiable.notifications",
    "amiable.jobs",
    "amiable.sla",
    "amiable.customers",
    "amiable.commerce",
    "amiable.conversations",
    "amiable.cases",
    "amiable.feedback",
    "amiable.gestures",
    "amiable.disputes",
    "amiable.quality",
    "amiable.promises",
    "amiable.portal",
    "amiable.inbound",
    "amiable.privacy",
    "amiable.demo",
    "amiable.macros",
    "amiable.api",
    "amiable.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "amiable.core.middleware.RequestIdMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "amiable.config.urls"
WSGI_APPLICATION = "amiable.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASE_URL = (
    os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'amiable.sqlite3'}"
)
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=60)
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid URL: {exc}") from exc
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, the write transactions of a process queued (core/sqlite).
    _database["ENGINE"] = "amiable.core.sqlite"
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=20000; PRAGMA mmap_size=268435456; "
            "PRAGMA cache_size=-64000; PRAGMA secure_delete=ON;"
        ),
    }
    # A file, not :memory: — in-memory shared-cache SQLite fails concurrent
    # transactions with "table is locked" instead of waiting like a real deployment.
    # One per process, so parallel test runs never share (or inherit) a file.
    _database.setdefault("TEST", {})["NAME"] = os.environ.get(
        "AMIABLE_TEST_SQLITE"
    ) or str(Path(tempfile.gettempdir()) / f"amiable-test-{os.getpid()}.sqlite3")
DATABASES = {"default": _database}
DATABASE_VENDOR = "postgresql" if "postgresql" in _database["ENGINE"] else "sqlite"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "cases:inbox"
LOGOUT_REDIRECT_URL = "web:login"

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "fr")
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
if LANGUAGE_CODE not in {code for code, _name in LANGUAGES}:
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be fr or en, got {LANGUAGE_CODE!r}")
# Every catalogue of ours, ahead of the installed apps' own: Django looks in
# LOCALE_PATHS first, so "Change" reads "Changer" on our pages, not the admin's
# "Modification". The shared catalogue of the foundation apps, then each app's.
LOCALE_PATHS = [
    PACKAGE_DIR / "locale",
    *sorted(path for path in PACKAGE_DIR.glob("*/locale") if path.is_dir()),
]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(f"TIME_ZONE is not a known zone: {TIME_ZONE!r}") from exc
USE_I18N = True
USE_TZ = True
# Django's English writes « 12/07/2026 1:48 a.m. »: ours, in config/formats/.
FORMAT_MODULE_PATH = ["amiable.config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
NODE_MODULES_DIR = Path(
    os.environ.get("AMIABLE_NODE_MODULES", BASE_DIR / "node_modules")
)
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES_DIR / "htmx.org" / "dist"),
    ("vendor/pico", NODE_MODULES_DIR / "@picocss" / "pico" / "css"),
    ("vendor/chartjs", NODE_MODULES_DIR / "chart.js" / "dist"),
]
STATICFILES_DIRS = [entry for entry in STATICFILES_DIRS if entry[1].is_dir()]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

ATTACHMENT_MAX_BYTES = _env_int("AMIABLE_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
ATTACHMENT_ALLOWED_TYPES = [
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/plain",
    "text/csv",
    "text/calendar",
    "message/rfc822",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.oasis.opendocument.text",
    "audio/mpeg",
    "audio/wav",
]

# Task backend: see the « Several machines » block below for Redis (RQ).
AMIABLE_TASKS = os.environ.get("AMIABLE_TASKS", "database")
if AMIABLE_TASKS == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif AMIABLE_TASKS == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif AMIABLE_TASKS != "redis":
    raise ImproperlyConfigured(
        f"AMIABLE_TASKS must be database, redis or immediate, got {AMIABLE_TASKS!r}"
    )
# What an hour of staff time costs, for the cost of cases and disputes.
STAFF_HOURLY_COST = _env_money("AMIABLE_STAFF_HOURLY_COST", "38.00 EUR")
CASE_AUTOCLOSE_DAYS = _env_int("AMIABLE_CASE_AUTOCLOSE_DAYS", 7)
# How long a merge or a split of cases can be undone, in hours.
CASE_MERGE_UNDO_HOURS = _env_int("AMIABLE_CASE_MERGE_UNDO_HOURS", 72)
# Personal data (amiable.privacy): how long an export can be downloaded, and the
# retention policies (years; 0 turns one off), erasing at most a batch per run.
AMIABLE_PRIVACY_EXPORT_DAYS = _env_int("AMIABLE_PRIVACY_EXPORT_DAYS", 30)
AMIABLE_RETENTION_PROSPECT_YEARS = _env_int("AMIABLE_RETENTION_PROSPECT_YEARS", 3)
AMIABLE_RETENTION_CLOSED_CASE_YEARS = _env_int("AMIABLE_RETENTION_CLOSED_CASE_YEARS", 5)
AMIABLE_RETENTION_BATCH = _env_int("AMIABLE_RETENTION_BATCH", 200)
TASK_MAX_ATTEMPTS = _env_int("AMIABLE_TASK_MAX_ATTEMPTS", 5)
TASK_BACKOFF_SECONDS = _env_int("AMIABLE_TASK_BACKOFF_SECONDS", 30)
# A database-backend worker beats every HEARTBEAT seconds; a task it runs is retried
# by another worker when it has not beaten for LEASE seconds (it died mid-task).
AMIABLE_WORKER_HEARTBEAT_SECONDS = _env_int("AMIABLE_WORKER_HEARTBEAT_SECONDS", 10)
AMIABLE_WORKER_LEASE_SECONDS = _env_int("AMIABLE_WORKER_LEASE_SECONDS", 60)
if AMIABLE_WORKER_LEASE_SECONDS < 2 * AMIABLE_WORKER_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "AMIABLE_WORKER_LEASE_SECONDS must be at least twice "
        "AMIABLE_WORKER_HEARTBEAT_SECONDS"
    )
# Long imports run in batches of at most this many rows and about this long (the
# write lock a batch holds on SQLite), one transaction each.
AMIABLE_IMPORT_BATCH_ROWS = _env_int("AMIABLE_IMPORT_BATCH_ROWS", 500)
AMIABLE_IMPORT_BATCH_MILLISECONDS = _env_int("AMIABLE_IMPORT_BATCH_MILLISECONDS", 500)
# Remote images of messages, shown on request through our server
# (conversations/image_proxy.py); private addresses only for tests.
AMIABLE_IMAGE_PROXY_MAX_BYTES = _env_int("AMIABLE_IMAGE_PROXY_MAX_BYTES", 5_000_000)
AMIABLE_IMAGE_PROXY_TIMEOUT_SECONDS = _env_int("AMIABLE_IMAGE_PROXY_TIMEOUT_SECONDS", 5)
AMIABLE_IMAGE_PROXY_ALLOW_PRIVATE = _env_bool(
    "AMIABLE_IMAGE_PROXY_ALLOW_PRIVATE", default=False
)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# The file backend's folder: ``amiable run`` writes outgoing mail there unless
# EMAIL_BACKEND says otherwise, so the demo's messages do not bury its banner.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "support@amiable.localhost")
# Inbound and outbound channels (amiable.inbound, amiable.conversations.sms).
AMIABLE_SMS_BACKEND = os.environ.get(
    "AMIABLE_SMS_BACKEND", "amiable.conversations.sms.ConsoleSmsBackend"
)
AMIABLE_SMS_SENDER = os.environ.get("AMIABLE_SMS_SENDER", "Amiable")
# The country whose national numbers ("06 12 34 56 78") phone identities and the
# search read; numbers written with + or 00 are read as international anyway.
AMIABLE_PHONE_REGION = (os.environ.get("AMIABLE_PHONE_REGION") or "FR").strip().upper()
if AMIABLE_PHONE_REGION not in phonenumbers.SUPPORTED_REGIONS:
    raise ImproperlyConfigured(
        f"AMIABLE_PHONE_REGION must be a country code such as FR or BE, "
        f"got {AMIABLE_PHONE_REGION!r}"
    )
AMIABLE_SMTP_LISTEN = os.environ.get("AMIABLE_SMTP_LISTEN", "")
AMIABLE_INBOUND_MAX_BYTES = _env_int("AMIABLE_INBOUND_MAX_BYTES", 30 * 1024 * 1024)
AMIABLE_INBOUND_ACKNOWLEDGE = _env_bool("AMIABLE_INBOUND_ACKNOWLEDGE", default=True)
AMIABLE_AUTO_MESSAGES_PER_ADDRESS_PER_DAY = _env_int(
    "AMIABLE_AUTO_MESSAGES_PER_ADDRESS_PER_DAY", 3
)
AMIABLE_WEBHOOK_TOLERANCE_SECONDS = _env_int("AMIABLE_WEBHOOK_TOLERANCE_SECONDS", 300)
# The address customers reach the public pages at (survey links in emails).
AMIABLE_PUBLIC_URL = os.environ.get("AMIABLE_PUBLIC_URL", "http://127.0.0.1:8000")
# Carrier tracking webhooks are HMAC-signed with this secret (empty: refused).
TRACKING_WEBHOOK_SECRET = os.environ.get("AMIABLE_TRACKING_WEBHOOK_SECRET", "")
# Secrets stored in the database (IMAP passwords, webhook signing secrets) are
# encrypted with these Fernet keys: the first encrypts, every one decrypts (rotation).
# Unset: one key derived from SECRET_KEY (amiable.core.encryption).
try:
    AMIABLE_SECRETS_KEYS = keys_parse(os.environ.get("AMIABLE_SECRETS_KEY", ""))
except ValueError as exc:
    raise ImproperlyConfigured(f"AMIABLE_SECRETS_KEY: {exc}") from exc

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

API_PAGE_SIZE_DEFAULT = 50
API_PAGE_SIZE_MAX = 200
API_IDEMPOTENCY_TTL_HOURS = 24
NINJA_PAGINATION_MAX_LIMIT = API_PAGE_SIZE_MAX

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Empty: each demo database gets a random demo password of its own (amiable.demo).
AMIABLE_DEMO_PASSWORD = os.environ.get("AMIABLE_DEMO_PASSWORD", "")

# ---------------------------------------------------------------------------
# Sign-in, sessions and HTTP hardening (issue 16). Kept in one block: every value
# from the environment, checked here, so a typo stops the start-up.
# ---------------------------------------------------------------------------


def _env_count(name: str, default: int, *, minimum: int = 0) -> int:
    value = _env_int(name, default)
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def _env_networks(
    name: str,
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for part in os.environ.get(name, "").split(","):
        if not part.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must list addresses or networks (CIDR), got {part!r}"
            ) from exc
    return tuple(networks)


# Reverse proxies whose X-Forwarded-For names the real client (CIDRs, comma
# separated). Empty: the connecting address is the client, the header is ignored.
AMIABLE_TRUSTED_PROXIES = _env_networks("AMIABLE_TRUSTED_PROXIES")
# Wrong passwords within the window that lock an account for one client address;
# that lock does not stop the account's owner signing in from elsewhere.
SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = _env_count(
    "AMIABLE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS", 20, minimum=1
)
# Wrong passwords (any account, API tokens too) that lock one client address.
SIGNIN_FAILURES_PER_ADDRESS = _env_count("AMIABLE_SIGNIN_FAILURES_PER_ADDRESS", 100)
# Wrong passwords from every address that lock the account everywhere (0: never):
# a guard against guessing spread over many addresses.
SIGNIN_FAILURES_PER_ACCOUNT = _env_count("AMIABLE_SIGNIN_FAILURES_PER_ACCOUNT", 500)
SIGNIN_WINDOW_MINUTES = _env_count("AMIABLE_SIGNIN_WINDOW_MINUTES", 15, minimum=1)
SIGNIN_LOCK_MINUTES = _env_count("AMIABLE_SIGNIN_LOCK_MINUTES", 15, minimum=1)

PASSWORD_MIN_LENGTH = _env_count("AMIABLE_PASSWORD_MIN_LENGTH", 12, minimum=12)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id for new passwords; older hashes still verify and are upgraded at sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Staff sessions end after this many hours (and at « sign out everywhere »).
SESSION_COOKIE_AGE = _env_count("AMIABLE_SESSION_HOURS", 12, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = _env_bool(
    "AMIABLE_SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False
)
# The second step after the password (TOTP code) must come within these minutes.
TWO_FACTOR_PENDING_MINUTES = 5
TWO_FACTOR_ISSUER = os.environ.get("AMIABLE_TWO_FACTOR_ISSUER", "Amiable")

# HTTPS: set these behind TLS (a reverse proxy terminating it sets the header).
_SECURE = _env_bool("AMIABLE_SECURE_COOKIES", default=False)
SESSION_COOKIE_SECURE = _SECURE
CSRF_COOKIE_SECURE = _SECURE
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = _env_bool("AMIABLE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = _env_count("AMIABLE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool(
    "AMIABLE_HSTS_INCLUDE_SUBDOMAINS", default=False
)
SECURE_HSTS_PRELOAD = _env_bool("AMIABLE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "same-origin"
_PROXY_SSL_HEADER = os.environ.get("AMIABLE_PROXY_SSL_HEADER", "").strip()
if _PROXY_SSL_HEADER:
    if not re.fullmatch(r"[A-Za-z0-9-]+", _PROXY_SSL_HEADER):
        raise ImproperlyConfigured(
            "AMIABLE_PROXY_SSL_HEADER must be a header name such as "
            f"X-Forwarded-Proto, got {_PROXY_SSL_HEADER!r}"
        )
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"),
        "https",
    )
# No inline script, no inline style, nothing from elsewhere: a strict policy
# (amiable.core.middleware.ContentSecurityPolicyMiddleware sends it).
CONTENT_SECURITY_POLICY = os.environ.get("AMIABLE_CONTENT_SECURITY_POLICY") or (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
MIDDLEWARE += [
    "amiable.core.middleware.ContentSecurityPolicyMiddleware",
    "amiable.web.middleware.TwoFactorEnrolmentMiddleware",
]

# Portal: links in messages, one-time codes (per e-mail and client address).
PORTAL_LINK_DAYS = _env_count("AMIABLE_PORTAL_LINK_DAYS", 14, minimum=1)
PORTAL_SESSION_HOURS = _env_count("AMIABLE_PORTAL_SESSION_HOURS", 12, minimum=1)
PORTAL_CODES_PER_EMAIL_AND_ADDRESS = _env_count(
    "AMIABLE_PORTAL_CODES_PER_EMAIL_AND_ADDRESS", 3, minimum=1
)
PORTAL_CODES_PER_EMAIL = _env_count("AMIABLE_PORTAL_CODES_PER_EMAIL", 10, minimum=1)
PORTAL_CODES_PER_ADDRESS = _env_count("AMIABLE_PORTAL_CODES_PER_ADDRESS", 20, minimum=1)
# New requests a customer may open from the portal within an hour.
PORTAL_REQUESTS_PER_HOUR = _env_count("AMIABLE_PORTAL_REQUESTS_PER_HOUR", 5, minimum=1)

# A refused request (401, 403, 404…) is logged as one line, without traceback.
LOGGING = {
    **LOGGING,
    "filters": {
        "one_line_refusals": {"()": "amiable.core.log_filters.OneLineRefusals"}
    },
    "loggers": {
        **cast(dict[str, object], LOGGING["loggers"]),
        "django.request": {"filters": ["one_line_refusals"]},
    },
}

# ---------------------------------------------------------------------------
# Several machines (issue 21): tasks on Redis (django-tasks-rq), the cache on Redis,
# media and raw e-mail sources in an S3-compatible bucket (django-storages). Every
# value from the environment, checked here; docs/DEPLOYMENT.md lists them.
# ---------------------------------------------------------------------------


def _env_redis_url(name: str, default: str = "") -> str:
    raw = (os.environ.get(name) or default).strip()
    if raw and not re.fullmatch(r"(rediss?|unix)://\S+", raw):
        raise ImproperlyConfigured(
            f"{name} must be a redis://, rediss:// or unix:// URL, got {raw!r}"
        )
    return raw


REDIS_URL = _env_redis_url("REDIS_URL")
if AMIABLE_TASKS == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("AMIABLE_TASKS=redis needs REDIS_URL")
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "amiable.core.rq_backend.RetryingRQBackend"}}
    # A task running longer than this is stopped by its worker (RQ's job timeout).
    RQ_QUEUES = {
        "default": {
            "URL": REDIS_URL,
            "DEFAULT_TIMEOUT": _env_count(
                "AMIABLE_TASK_TIMEOUT_SECONDS", 600, minimum=1
            ),
        }
    }
    RQ = {"WORKER_CLASS": "amiable.core.rq_backend.LeasedWorker"}

# An event still missing a delivery this long after it happened is relayed once
# (a process lost between commit and enqueue): amiable.events.relay.
AMIABLE_EVENTS_RELAY_AFTER_SECONDS = _env_count(
    "AMIABLE_EVENTS_RELAY_AFTER_SECONDS", 120, minimum=1
)

# The cache: shared by every process when on Redis (sign-in limits, config copies).
# Default: REDIS_URL when set, else memory of each process.
AMIABLE_CACHE_URL = _env_redis_url("AMIABLE_CACHE_URL", REDIS_URL)
if AMIABLE_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": AMIABLE_CACHE_URL,
            "KEY_PREFIX": os.environ.get("AMIABLE_CACHE_KEY_PREFIX", "amiable"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Files (attachments, raw e-mail sources, import uploads) go through Django's
# storage API: ``default_storage`` / each FileField's storage. "filesystem" keeps
# them under MEDIA_ROOT; "s3" in a private bucket of any S3-compatible service.
AMIABLE_STORAGE = (os.environ.get("AMIABLE_STORAGE") or "filesystem").strip().lower()
_STATIC_STORAGE: dict[str, object] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
if AMIABLE_STORAGE == "filesystem":
    STORAGES: dict[str, dict[str, object]] = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": _STATIC_STORAGE,
    }
elif AMIABLE_STORAGE == "s3":
    try:
        STORAGES = {
            "default": s3_storage_from_environment(os.environ),
            "staticfiles": _STATIC_STORAGE,
        }
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from exc
else:
    raise ImproperlyConfigured(
        f"AMIABLE_STORAGE must be filesystem or s3, got {AMIABLE_STORAGE!r}"
    )

# The SMTP relay outgoing mail goes through (EMAIL_BACKEND=…smtp.EmailBackend).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _env_count("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = _env_count("EMAIL_TIMEOUT", 30, minimum=1)
