"""Settings shared by every environment; all configuration comes from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- Core -------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "django_celery_beat",
    "accounts",
    "programmes",
    "learners",
    "coaching",
    "intervision",
    "notifications",
    "harvest",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "leertraject.locale.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "leertraject.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "leertraject.urls"
WSGI_APPLICATION = "leertraject.wsgi.application"

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
                "leertraject.context_processors.layout",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database that does not answer (rather than refuse) fails a request in seconds, with the
    # 503 page, instead of holding a web worker until gunicorn's timeout (docs/resilience.md).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
    # PostgreSQL's planner assumes by default that reading a row by index costs four times a
    # sequential read, as on spinning disks. On SSDs, and with the data in memory, it is not so:
    # it then scans every account to join a programme's hundred members (2 ms, and growing with
    # every organisation on the server) instead of looking them up (0.3 ms). 1.1 is the usual
    # setting for SSDs; it is sent when connecting, so an empty value leaves the server's own
    # (e.g. behind a PgBouncer that refuses startup options). docs/performance.md.
    random_page_cost = env.str("DATABASE_RANDOM_PAGE_COST", default="1.1")
    if random_page_cost:
        options.setdefault("options", f"-c random_page_cost={float(random_page_cost)}")
    # Behind a PgBouncer in transaction mode a cursor may not outlive its transaction (README).
    no_server_side_cursors = env.bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False)
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = no_server_side_cursors
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # A cache must never take pages down: while Redis is unreachable (found out within a second,
    # logged), the cache falls back to each process's memory (leertraject/cache.py), so pages and
    # sign-in keep working and failed sign-ins stay limited, per process until Redis is back.
    CACHES = {
        "default": {
            "BACKEND": "leertraject.cache.RedisWithLocalFallback",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered harvest reports, each under a version that changes with any row it is made of
# (harvest/report_cache.py): in each process's own memory, so that a deploy starts afresh. A
# report is some 80 KB for a programme of a hundred people and 320 KB for a thousand, so a
# hundred of them take a web process 8 to 32 MB at most; the least recently read go first.
CACHES["reports"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "harvest-reports",
    "TIMEOUT": 24 * 60 * 60,
    "OPTIONS": {"MAX_ENTRIES": 100},
}

# --- Accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.StaffModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id (memory-hard, Django's recommended hasher) with OWASP's parameters for new and changed
# passwords (accounts/hashers.py); a password still stored with PBKDF2 is checked as before and
# rehashed with Argon2 when its owner signs in. PBKDF2's million rounds cost a core half a second
# per sign-in (docs/performance.md).
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Leertraject] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Failed logins are limited per address and per account; see allauth's rate limits.
ACCOUNT_RATE_LIMITS = {
    # Sign-ins per client address (allauth's default, 30 a minute). A municipality's staff often
    # share one NAT address, so a busy morning may need more; failed sign-ins stay limited below.
    "login": env.str("LOGIN_RATE_LIMIT", default="30/m/ip"),
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
# Behind the TLS proxy every request comes from the proxy's address: with the number of proxies
# in front, allauth takes the client's address from X-Forwarded-For, so one person's failed
# sign-ins do not lock out everyone. Leave 0 when nothing trusted sets that header (it can be forged).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
# Single sign-on: each organisation links its own OpenID Connect or SAML app in the admin
# (accounts.IdentityProvider); the adapter matches people by verified email within that organisation.
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Leertraject"

# --- Forms and layout ---------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_TAGS = {40: "danger"}

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
# Our own catalogues first (`make messages` writes to the first entry); then formal Dutch ("u")
# for django-allauth's messages, which it translates with "je". Both win over installed apps.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_allauth"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "leertraject_language"

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Email ------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A mail server that accepts the connection and then hangs must not hold a worker for minutes.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Leertraject <noreply@leertraject.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people report accessibility problems and privacy questions (the two statements).
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="support@leertraject.nl")

# --- Celery -----------------------------------------------------------------
# Without REDIS_URL there is no broker: tasks run in process (make run, tests).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A page that queues a task must not hang while Redis is down: give up quickly (the outbox
# row stays and the sweep queues it later).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# Beat copies these into its database schedule when it starts (django-celery-beat).
CELERY_BEAT_SCHEDULE = {
    "remind-unanswered-feedback": {
        "task": "learners.tasks.remind_unanswered_feedback_task",
        "schedule": crontab(hour=9, minute=0),
    },
    # Feedback asks whose mail never went out (learners.feedback.send_unsent).
    "send-unsent-feedback": {
        "task": "learners.tasks.send_unsent_feedback_task",
        "schedule": crontab(minute=35),
    },
    # Reminders and digests (notifications.kinds): recorded under their natural key, so a
    # tick that runs twice sends nothing twice; the daily ones at 7:00, session reminders hourly.
    "plan-daily-notifications": {
        "task": "notifications.tasks.plan_daily_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "plan-hourly-notifications": {
        "task": "notifications.tasks.plan_hourly_task",
        "schedule": crontab(minute=5),
    },
    # Personal data of programmes closed longer than the organisation's retention period (privacy.retention).
    "apply-retention": {
        "task": "privacy.tasks.apply_retention_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # Retries with backoff, and anything a lost task or an unreachable broker left behind.
    "deliver-due-notifications": {
        "task": "notifications.tasks.enqueue_due_task",
        "schedule": crontab(),
    },
    # Harvest report PDFs are snapshots, kept an hour (harvest.report_exports).
    "delete-expired-report-exports": {
        "task": "harvest.tasks.delete_expired_report_exports_task",
        "schedule": crontab(minute=15),
    },
}

# --- Security (tightened further in production) -----------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A sign-in ends SESSION_COOKIE_AGE seconds after signing in however active, and earlier
# when unused for SESSION_IDLE_TIMEOUT minutes (leertraject.middleware.SessionTimeoutMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# django-csp: scripts only from our own static files; the one inline <style> (the
# organisation's colour in base.html) carries the request's nonce. Style attributes (a
# progress bar's width) stay allowed: they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": env.str("CSP_REPORT_URI", default="") or None,
    },
}
# django-permissions-policy: the site needs none of these browser features.
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every step and page of a PDF at INFO: only its warnings matter.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
