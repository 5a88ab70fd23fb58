"""Settings for the LMS, read from the environment in this one module.

With nothing set the project runs embedded: SQLite in the project folder, Celery tasks run
in-process, email printed to the console. ``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL``
to a Redis broker and cache. ``DJANGO_ENV=production`` turns on every deployment safeguard and
refuses to start without the secrets it needs. See docs/configuration.md.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return default if value is None else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DJANGO_ENV = env("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env("DJANGO_SECRET_KEY")
    if not SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_ENV=production.")
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-development-key-never-use-in-production")

DEBUG = False if PRODUCTION else env_bool("DJANGO_DEBUG", False)

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "csp",
    "accounts",
    "audit",
    "jobs",
    "courses",
    "quizzes",
    "certificates",
    "notifications",
    "reports",
    "teaching",
    # Above every app: seeds demo data through their services.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The language rule (accounts/language.py) needs the signed-in user, so it runs here and
    # replaces Django's LocaleMiddleware.
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "lms.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

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
                "django.template.context_processors.i18n",
                "notifications.context_processors.unread_notifications",
                "reports.context_processors.reports_link",
                "teaching.context_processors.teaching_link",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL names another.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Parameters sent apart from the SQL (server-side binding), and a statement run a few times
    # on a connection prepared there, so PostgreSQL neither parses nor plans it again: about
    # half of the database's CPU for a short query, and the HR report's planning. Restart the
    # web and worker processes after a migration (prepared plans belong to the old schema).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=env_int("DATABASE_PREPARE_THRESHOLD", 2)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")

# One cache shared by every process, so allauth's rate limits hold across web workers.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "lms.cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lms_cache",
        }
    }

# With Redis, sessions are read from the cache and written through to the database.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "courses:my_learning"

# django-allauth: email is the sign-in, verified before first use; no account enumeration.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Rate limits count per client address. Behind a load balancer or TLS proxy every request comes
# from the proxy, so say how many proxies append to X-Forwarded-For; otherwise one busy
# morning of sign-ins from the whole training centre shares one address's limit.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("LMS_TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("LMS_MFA_ISSUER", "LMS")
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_PROVIDERS = {}
if env("OIDC_SERVER_URL"):
    # A ministry's single sign-on, configured by settings alone.
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": env("OIDC_PROVIDER_ID", "ministry"),
                "name": env("OIDC_PROVIDER_NAME", "Ministry SSO"),
                "client_id": env("OIDC_CLIENT_ID"),
                "secret": env("OIDC_CLIENT_SECRET"),
                "settings": {"server_url": env("OIDC_SERVER_URL")},
            }
        ]
    }

# Trainers, HR officers and administrators must have TOTP before any page opens for them.
# Always on in production; `make run` turns it off for the demo (see README).
LMS_REQUIRE_MFA_FOR_PRIVILEGED = True if PRODUCTION else env_bool("LMS_REQUIRE_MFA", True)

# Languages: English, Serbian Cyrillic, Serbian Latin, Korean.
LANGUAGE_CODE = "en"
# Each name is written in its own language and never translated: the switcher, the course
# language filter and every language choice show them as they are (docs/translation.md).
LANGUAGES = [
    ("en", "English"),
    ("sr", "Српски"),
    ("sr-latn", "Srpski"),
    ("ko", "한국어"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates, times and numbers as each language writes them (lms/formats/).
FORMAT_MODULE_PATH = ["lms.formats"]
USE_I18N = True
TIME_ZONE = env("DJANGO_TIME_ZONE", "Europe/Belgrade")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# The site's name and public address, used in emails (accounts/adapter.py) and printed under
# certificates' QR codes (accounts/site.py). Without LMS_SITE_URL, links in emails use the address
# the request came to, and work done outside a request (a worker) uses `make run`'s address. In
# production it defaults to https:// and the first allowed host.
LMS_SITE_NAME = env("LMS_SITE_NAME") or _("ICT Training Centre")
LMS_SITE_URL = env(
    "LMS_SITE_URL", f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else ""
)

# Email: console unless an SMTP host is given.
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "LMS <no-reply@lms.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Celery: Redis when REDIS_URL is set, otherwise tasks run in-process (the embedded default).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task must finish well before Redis re-delivers an unacknowledged message.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SOFT_TIME_LIMIT = 600
CELERY_TASK_TIME_LIMIT = 900
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "certificates.*": {"queue": "certificates"},
    "notifications.*": {"queue": "notifications"},
    "reports.*": {"queue": "reports"},
}
CELERY_BEAT_SCHEDULE = {
    "close-expired-quiz-attempts": {
        "task": "quizzes.close_expired_attempts",
        "schedule": 60.0,
    },
    "requeue-pending-certificates": {
        "task": "certificates.requeue_pending",
        "schedule": 120.0,
    },
    "start-recertification-cycles": {
        "task": "certificates.start_recertification",
        "schedule": 6 * 3600.0,
    },
    "delete-expired-job-results": {
        "task": "jobs.delete_expired_results",
        "schedule": 3600.0,
    },
    "verify-audit-chain": {
        "task": "audit.verify_chain",
        "schedule": 24 * 60 * 60.0,
    },
    # Reminders: the sweep every hour (each person hears only inside their sending window),
    # the HR digest on Monday mornings. Both run on the notifications queue.
    "notifications-sweep": {
        "task": "notifications.sweep",
        "schedule": float(env_int("NOTIFICATIONS_SWEEP_SECONDS", 3600)),
        "options": {"queue": "notifications"},
    },
    "notifications-hr-digest": {
        "task": "notifications.send_hr_digest",
        "schedule": crontab(minute=5, hour=8, day_of_week="mon"),
        "options": {"queue": "notifications"},
    },
}
CELERY_TIMEZONE = TIME_ZONE

# Lessons: attachments and video embeds.
LMS_ATTACHMENT_MAX_BYTES = env_int("LMS_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
LMS_ATTACHMENT_EXTENSIONS = env_list(
    "LMS_ATTACHMENT_EXTENSIONS",
    ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv", "png", "jpg", "jpeg"],
)
LMS_VIDEO_HOSTS = env_list(
    "LMS_VIDEO_HOSTS",
    ["www.youtube.com", "youtube.com", "youtu.be", "vimeo.com", "player.vimeo.com"],
)
# Hosts lesson images may be loaded from (https only); empty means images from this site only.
LMS_LESSON_IMAGE_HOSTS = [host.lower() for host in env_list("LMS_LESSON_IMAGE_HOSTS", [])]
LMS_CATALOGUE_PAGE_SIZE = env_int("LMS_CATALOGUE_PAGE_SIZE", 12)
# Course cover images: PNG, JPEG or WebP (checked by content) of at most this size.
LMS_COVER_IMAGE_MAX_BYTES = env_int("LMS_COVER_IMAGE_MAX_BYTES", 2 * 1024 * 1024)

# Quiz regrades: attempts graded in one transaction (the job's progress moves between them).
LMS_REGRADE_BATCH_SIZE = env_int("LMS_REGRADE_BATCH_SIZE", 200)

# Certificates: verification look-ups a minute from one address.
LMS_VERIFY_RATE_LIMIT = env_int("LMS_VERIFY_RATE_LIMIT", 30)
# Behind a reverse proxy: the request header holding the client's address, as Django names it
# (HTTP_X_FORWARDED_FOR); empty means REMOTE_ADDR.
LMS_CLIENT_IP_HEADER = env("LMS_CLIENT_IP_HEADER", "")
# Content-Security-Policy (django-csp), in every environment so the browser tier sees what
# production sends. Templates carry no inline scripts, styles or event handlers. Lessons frame
# the players that courses.validators.video_embed_url links to, on the allowed video hosts
# only (YouTube links are embedded from youtube-nocookie.com). See docs/security.md.
_VIDEO_PLAYER_HOSTS = {
    "www.youtube.com": "www.youtube-nocookie.com",
    "youtube.com": "www.youtube-nocookie.com",
    "youtu.be": "www.youtube-nocookie.com",
    "vimeo.com": "player.vimeo.com",
}
LMS_VIDEO_FRAME_SOURCES = sorted(
    {f"https://{_VIDEO_PLAYER_HOSTS.get(host, host)}" for host in LMS_VIDEO_HOSTS}
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # allauth shows the TOTP set-up QR code as a data: image.
        "img-src": ["'self'", "data:", *(f"https://{host}" for host in LMS_LESSON_IMAGE_HOSTS)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "frame-src": LMS_VIDEO_FRAME_SOURCES or ["'none'"],
    }
}

# Reminders and notifications (docs/notifications.md). A course may override the due-soon and
# inactivity days.
NOTIFICATIONS_DUE_SOON_DAYS = [int(d) for d in env_list("NOTIFICATIONS_DUE_SOON_DAYS", ["7", "1"])]
NOTIFICATIONS_OVERDUE_REPEAT_DAYS = env_int("NOTIFICATIONS_OVERDUE_REPEAT_DAYS", 7)
NOTIFICATIONS_OVERDUE_MAX_REMINDERS = env_int("NOTIFICATIONS_OVERDUE_MAX_REMINDERS", 4)
NOTIFICATIONS_INACTIVITY_DAYS = env_int("NOTIFICATIONS_INACTIVITY_DAYS", 14)
NOTIFICATIONS_CERTIFICATE_EXPIRY_DAYS = [
    int(d) for d in env_list("NOTIFICATIONS_CERTIFICATE_EXPIRY_DAYS", ["60", "14"])
]
NOTIFICATIONS_ATTEMPT_CLOSED_LOOKBACK_DAYS = env_int(
    "NOTIFICATIONS_ATTEMPT_CLOSED_LOOKBACK_DAYS", 7
)
# Sending window, in hours of the recipient's own time zone: [start, end).
NOTIFICATIONS_WINDOW_START_HOUR = env_int("NOTIFICATIONS_WINDOW_START_HOUR", 8)
NOTIFICATIONS_WINDOW_END_HOUR = env_int("NOTIFICATIONS_WINDOW_END_HOUR", 20)
# At most 100 recipients per task, and a ceiling on the relay's load across all workers.
NOTIFICATIONS_BATCH_SIZE = env_int("NOTIFICATIONS_BATCH_SIZE", 100)
NOTIFICATIONS_MAX_PER_MINUTE = env_int("NOTIFICATIONS_MAX_PER_MINUTE", 600)
# A relay that is down: retry after 5, 10, 20, 40 minutes, then give up and mark it failed.
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 300)
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 5)
# A row still "being sent" after this long belonged to a worker that died mid-send.
NOTIFICATIONS_SENDING_STALE_SECONDS = env_int("NOTIFICATIONS_SENDING_STALE_SECONDS", 3600)
NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS = env_int("NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS", 365)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    MFA_TRUST_COOKIE_SECURE = True

# One handler, on the root: every line printed once. Django's default configuration gives the
# "django" logger a console handler of its own (under DEBUG), which printed each of its lines a
# second time through the root; "handlers": [] removes it. "django.server" (runserver's
# access log) keeps Django's own handler and does not propagate, so it too prints once.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "lms.log_filters.ClientErrorWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors"]}},
    "loggers": {"django": {"handlers": [], "propagate": True}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}

# Completion exports with more rows than this are built by a background job (queue "reports").
LMS_REPORT_EXPORT_ASYNC_THRESHOLD = env_int("LMS_REPORT_EXPORT_ASYNC_THRESHOLD", 5000)
