"""Settings for CTG.

Every setting that differs between a laptop and production comes from the environment, with a safe
development default: SQLite in the repository, DEBUG on, a development secret key.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY doit être défini en production.")
    SECRET_KEY = "dev-only-insecure-key-not-for-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The address people reach the site at: links in e-mails and in the .ics feed are read outside any request.
SITE_URL = os.environ.get("CTG_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "health_check",
    "jobs",
    "core",
    "accounts",
    "territories",
    "conventions",
    "actions",
    "evaluation",
    "agenda",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor authentication (issue 17): request.user.is_verified(), then administrators are held until
    # they give a code (or enrol). Rules: accounts/twofactor.py.
    "django_otp.middleware.OTPMiddleware",
    "accounts.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A body declared larger than MAX_REQUEST_BODY: a French 413 page before it is read (no middleware above
    # reads the body; CSRF reads it in process_view, after this).
    "core.middleware.RefuseLargeBodiesMiddleware",
    # A NUL byte or a control character in a query string or a NUL in a posted value: a French 400 page.
    "core.middleware.RefuseControlCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns repeated failed logins into a lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ctg.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Tests turn this into an error: an unknown variable in a template is a bug.
            "string_if_invalid": os.environ.get("DJANGO_TEMPLATE_STRING_IF_INVALID", ""),
        },
    },
]

WSGI_APPLICATION = "ctg.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
IS_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# Background jobs (jobs/). On PostgreSQL they go to Procrastinate's queue and run in workers
# (`manage.py jobs_worker`, as many as needed, on any machine); on SQLite (the demo) they run in a thread of
# the web process, since Procrastinate needs PostgreSQL. "sync" runs them at once inside the request (tests).
JOBS_EXECUTION = os.environ.get("CTG_JOBS_EXECUTION", "worker" if IS_POSTGRESQL else "thread")
if JOBS_EXECUTION not in {"worker", "thread", "sync"}:
    raise ImproperlyConfigured("CTG_JOBS_EXECUTION vaut « worker », « thread » ou « sync ».")
if JOBS_EXECUTION == "worker" and not IS_POSTGRESQL:
    raise ImproperlyConfigured("CTG_JOBS_EXECUTION=worker demande PostgreSQL (DATABASE_URL=postgres://…).")
# A tableau de suivi above this size is checked and imported by a job rather than inside the request.
IMPORT_INLINE_MAX_BYTES = env_int("CTG_IMPORT_INLINE_MAX_BYTES", 100_000)
JOBS_KIND_MODULES: list[str] = []  # modules that register job kinds, besides every app's job_kinds.py
if IS_POSTGRESQL:
    INSTALLED_APPS.append("procrastinate.contrib.django")
# A worker writes a heartbeat every CTG_WORKER_HEARTBEAT_SECONDS; one silent for CTG_WORKER_STALLED_SECONDS is
# dead, and the jobs it was running are queued again by the periodic check (every CTG_JOBS_STALLED_CHECK_CRON).
JOBS_WORKER_STALLED_SECONDS = float(os.environ.get("CTG_WORKER_STALLED_SECONDS", "30"))
JOBS_STALLED_CHECK_CRON = os.environ.get("CTG_JOBS_STALLED_CHECK_CRON", "* * * * * */10")  # 6th field: seconds
# The weekly digests (agenda/digests.py): Monday at 7:00 by default.
AGENDA_DIGEST_CRON = os.environ.get("CTG_DIGEST_CRON", "0 7 * * 1")
PROCRASTINATE_WORKER_DEFAULTS = {
    "concurrency": env_int("CTG_WORKER_CONCURRENCY", 1),  # a convention PDF takes ~400 MB: one at a time
    "update_heartbeat_interval": float(os.environ.get("CTG_WORKER_HEARTBEAT_SECONDS", "10")),
    "stalled_worker_timeout": JOBS_WORKER_STALLED_SECONDS,
    "delete_jobs": "successful",  # jobs.Job keeps the record the UI shows; the queue keeps only what is left to do
    "shutdown_graceful_timeout": float(os.environ.get("CTG_WORKER_GRACEFUL_SECONDS", "60")),
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling (django-axes), checked first
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one e-mail from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the login form names its e-mail field "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# TOTP second factor (django-otp): the name authenticator apps show.
OTP_TOTP_ISSUER = "CTG"
LOGIN_URL = "accounts:login"
# Invitation and « mot de passe oublié » links (accounts.passwords): one use, three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
LOGIN_REDIRECT_URL = "conventions:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploads, frozen documents and job results go through Django's storage API: a folder on a single machine,
# an S3-compatible bucket (django-storages) when several app servers and workers share them. Credentials come
# from the standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables, read by boto3.
STORAGE_BACKEND = os.environ.get("DJANGO_STORAGE", "filesystem")
if STORAGE_BACKEND == "filesystem":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    if not os.environ.get("DJANGO_S3_BUCKET"):
        raise ImproperlyConfigured("DJANGO_S3_BUCKET doit être défini avec DJANGO_STORAGE=s3.")
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["DJANGO_S3_BUCKET"],
            "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DJANGO_S3_REGION") or None,
            "location": os.environ.get("DJANGO_S3_PREFIX", ""),
            "addressing_style": os.environ.get("DJANGO_S3_ADDRESSING_STYLE") or None,  # "path" for MinIO
            "default_acl": None,  # the bucket stays private: files are served by views that check access
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured("DJANGO_STORAGE vaut « filesystem » ou « s3 ».")
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Bodies: a form without files may be 2.5 MB at most (Django refuses more with a 400); uploaded files above
# 2.5 MB are spooled to a temporary file instead of memory. The forms refuse deliberations above 10 MB and
# tableaux de suivi above 5 MB; the reverse proxy should refuse bodies above 12 MB (see README, Production).
# Any body declared larger than this is refused before it is read (core.middleware.RefuseLargeBodiesMiddleware).
MAX_REQUEST_BODY = env_int("CTG_MAX_REQUEST_BODY", 12 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A session lasts a working day, and by default ends when the browser closes (shared computers in Caf offices).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 10 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
# HTTPS: redirect and HSTS when DEBUG is off. Behind a TLS proxy, DJANGO_SECURE_PROXY_SSL_HEADER names the header
# the proxy sets (e.g. "HTTP_X_FORWARDED_PROTO,https"): only set it if the proxy overwrites that header.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]  # load balancers probe app servers over plain HTTP
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Submitting a domain to the browsers' preload list is its owner's decision, not the application's.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
if proxy_header := env_list("DJANGO_SECURE_PROXY_SSL_HEADER"):
    if len(proxy_header) != 2:
        raise ImproperlyConfigured("DJANGO_SECURE_PROXY_SSL_HEADER s'écrit « HTTP_X_FORWARDED_PROTO,https ».")
    SECURE_PROXY_SSL_HEADER = tuple(proxy_header)
# Content-Security-Policy (django-csp): scripts and styles only from our own static files. The style=""
# attributes still in some templates need style-src-attr until they move to classes (see README).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],  # Bootstrap draws its form icons with data: SVG
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): the application uses none of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# E-mail: printed on the console in development, sent by SMTP in production (Django's test runner uses locmem).
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "CTG <ne-pas-repondre@ctg.localhost>")
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Shown on the contact page and in the accessibility statement (whom to write to when a page cannot be used).
CTG_CONTACT_EMAIL = os.environ.get("CTG_CONTACT_EMAIL", "contact@ctg.localhost")
# Who is told of server errors and failed jobs: "Nom <adresse>, Autre <adresse>".
ADMINS = getaddresses(env_list("DJANGO_ADMINS"))

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Logs go to standard output (the process manager or the container platform collects them); errors of the
# jobs are also mailed to ADMINS when DEBUG is off.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "jobs": {"handlers": ["mail_admins"], "level": "INFO"},  # and the console, through the root logger
        "procrastinate": {"level": os.environ.get("CTG_WORKER_LOG_LEVEL", "WARNING")},
    },
}
