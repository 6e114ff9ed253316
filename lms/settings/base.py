"""Settings shared by every environment; values come from environment variables."""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "lms.core",
    "lms.accounts",
    "lms.people",
    "lms.portal",
    "lms.classes",
    "lms.quizzes",
    "lms.videos",
    "lms.budget",
    "lms.trips",
    "lms.certificates",
    "lms.notifications",
    "lms.audit",
    "lms.api",
    "lms.evaluations",
    "courses",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "ninja",  # serves the API docs (Swagger UI) from its bundled static files, not a CDN
    "axes",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lms.accounts.middleware.IdleSessionTimeoutMiddleware",
    "lms.audit.middleware.AuditContextMiddleware",
    "lms.accounts.middleware.SecondFactorMiddleware",
    "lms.accounts.middleware.ForcePasswordChangeMiddleware",
    "lms.accounts.middleware.LearnerAdminGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

# See lms/core/csp.py; media-src and worker-src allow blob: for the HLS player's MediaSource.
CONTENT_SECURITY_POLICY = env("CONTENT_SECURITY_POLICY", default=(
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob:; worker-src 'self' blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
))

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lms.notifications.context_processors.unread_messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The embedded default is shared by the web process and the worker: WAL lets readers go on while one
# writes, the busy timeout makes a writer wait its turn, and IMMEDIATE transactions take the write lock
# at BEGIN, so two transactions that read then write never deadlock into "database is locked".
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "lms.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "lms.accounts.passwords.NotPhoneNumberValidator"},
    {"NAME": "lms.accounts.passwords.NotDemoPasswordValidator"},
]
# Production turns this on: the demo password is refused and signing in with it forces a change.
REFUSE_DEMO_PASSWORD = env.bool("REFUSE_DEMO_PASSWORD", default=False)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in throttling: a lock per account and, separately, per address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lms.accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

# Audit log (lms/audit): entries are kept this many days (等保 2.0 asks for at least 180).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)
# Trusted reverse proxies in front of the site, for the client address recorded in the audit log.
AUDIT_PROXY_COUNT = env.int("AUDIT_PROXY_COUNT", default=0)
AUDITLOG_STORE_JSON_CHANGES = True

# 等保 2.0: staff and officers are signed out after this many idle minutes; learners after LEARNER_IDLE_MINUTES.
STAFF_IDLE_MINUTES = env.int("STAFF_IDLE_MINUTES", default=30)
LEARNER_IDLE_MINUTES = env.int("LEARNER_IDLE_MINUTES", default=7 * 24 * 60)
# A TOTP second factor (django-otp) for staff, officers and organisers: required when True.
REQUIRE_SECOND_FACTOR = env.bool("REQUIRE_SECOND_FACTOR", default=False)
OTP_TOTP_ISSUER = "县乡党校干部培训平台"

# REST API (lms/api): requests per minute per token (or per signed-in session), and token lifetime.
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=120)
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 200

LANGUAGE_CODE = "zh-hans"
# No LocaleMiddleware: every page is Chinese whatever the browser asks for; staff may still
# choose English for the Wagtail admin in their account settings.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "lms" / "locale", BASE_DIR / "lms" / "locale_wagtail"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = False

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": env("DEFAULT_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Private files go out through django-sendfile2 after the view's permission check: streamed by Django here,
# handed to the proxy's internal location by X-Accel-Redirect in production (lms/core/files.py).
SENDFILE_BACKEND = env("SENDFILE_BACKEND", default="lms.core.sendfile_simple")
SENDFILE_ROOT = str(MEDIA_ROOT)
SENDFILE_URL = env("SENDFILE_URL", default="/protected-media")
# Documents (lesson plans, readings) through Wagtail's view, checked by lms.classes.documents.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://lms"),
}

# Celery: embedded default is the filesystem transport under var/, so no broker
# service is needed; set CELERY_BROKER_URL=redis://... for separate worker hosts.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=f"file://{VAR_DIR / 'celery-results'}")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "celery-broker"),
        "data_folder_out": str(VAR_DIR / "celery-broker"),
        "control_folder": str(VAR_DIR / "celery-control"),
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    # Redis hands an unacknowledged job to another worker after this long: longer than the longest job
    # (a lecture of several hours transcodes in about an hour per core), so a slow job is never run twice;
    # a worker that died sooner is caught by the watchdog below through the job's heartbeat.
    else {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=4 * 3600)}
)
# A waiting or running job without a heartbeat for this long is sent again by the watchdog.
JOBS_STALE_AFTER_SECONDS = env.int("JOBS_STALE_AFTER_SECONDS", default=600)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
NOTIFICATION_BEAT_SCHEDULE = {
    "notifications-send-due": {"task": "notifications.send_due", "schedule": 60.0},
    "notifications-session-tomorrow": {"task": "notifications.session_tomorrow",
                                       "schedule": crontab(hour=16, minute=0)},
    "notifications-quiz-windows": {"task": "notifications.quiz_windows", "schedule": crontab(minute=10)},
    "notifications-leave-report-back": {"task": "notifications.leave_report_back",
                                        "schedule": crontab(hour=9, minute=0)},
    "notifications-trip-itineraries": {"task": "notifications.trip_itineraries", "schedule": crontab(minute=20)},
    "notifications-credit-shortfall": {"task": "notifications.credit_shortfall",
                                       "schedule": crontab(day_of_month=1, month_of_year="10-12", hour=9, minute=30)},
    "notifications-staff-waiting": {"task": "notifications.staff_waiting", "schedule": crontab(hour=8, minute=30)},
    "notifications-organiser-digest": {"task": "notifications.organiser_digest",
                                       "schedule": crontab(day_of_week=1, hour=8, minute=0)},
}
# Periodic jobs (run `celery -A lms beat`, or a worker with -B on one host only).
CELERY_BEAT_SCHEDULE = {
    "quizzes-close-expired": {"task": "quizzes.close_expired_attempts", "schedule": 300.0},
    "videos-requeue-stalled": {"task": "videos.requeue_stalled", "schedule": 60.0},
    "certificates-requeue-stalled": {"task": "certificates.requeue_stalled", "schedule": 60.0},
    **NOTIFICATION_BEAT_SCHEDULE,
    "audit-purge-expired": {"task": "audit.purge_expired_entries", "schedule": 24 * 3600.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

WAGTAIL_SITE_NAME = "县乡党校干部培训平台"
# The dashboard banner links to the English release notes.
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_BASE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Substring search (see courses/search.py): a word index cannot split Chinese, so "廉政" would find nothing.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database.fallback"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "doc", "docx", "odt", "pdf", "ppt", "pptx", "rtf", "txt", "xls", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILADMIN_LOGIN_URL = "accounts:login"
WAGTAIL_PASSWORD_RESET_ENABLED = False

# Notifications: SMS through a file under var/sms/ (console), Aliyun or Tencent Cloud; e-mail through Django's backend.
NOTIFICATIONS_SMS_BACKEND = env("SMS_BACKEND", default="console")
NOTIFICATIONS_SMS_SIGN_NAME = env("SMS_SIGN_NAME", default="县委党校")
NOTIFICATIONS_SMS_DIR = env.path("SMS_DIR", default=str(VAR_DIR / "sms"))
# Provider template codes per message type (type=code,type=code); a code set in the admin wins.
NOTIFICATIONS_SMS_TEMPLATE_CODES = env.dict("SMS_TEMPLATE_CODES", default={})
ALIYUN_SMS_ACCESS_KEY_ID = env("ALIYUN_SMS_ACCESS_KEY_ID", default="")
ALIYUN_SMS_ACCESS_KEY_SECRET = env("ALIYUN_SMS_ACCESS_KEY_SECRET", default="")
ALIYUN_SMS_ENDPOINT = env("ALIYUN_SMS_ENDPOINT", default="dysmsapi.aliyuncs.com")
TENCENT_SMS_SECRET_ID = env("TENCENT_SMS_SECRET_ID", default="")
TENCENT_SMS_SECRET_KEY = env("TENCENT_SMS_SECRET_KEY", default="")
TENCENT_SMS_SDK_APP_ID = env("TENCENT_SMS_SDK_APP_ID", default="")
TENCENT_SMS_REGION = env("TENCENT_SMS_REGION", default="ap-guangzhou")
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@dangxiao.local")
# Officers hear of claims submitted longer ago than this.
NOTIFICATIONS_CLAIM_WAIT_DAYS = env.int("NOTIFICATIONS_CLAIM_WAIT_DAYS", default=3)
# A failed SMS or e-mail is tried this many times, waiting 1, 2, 4, 8... minutes in between.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)

# Empty: the first county's name + 委党校 (see lms.people.selectors.school_name).
SCHOOL_NAME = env("SCHOOL_NAME", default="")

# Leave (请假) is approved by the class teacher up to the first length, by 教务 up to the second, else by the
# school's deputy head (分管校长); learners absent without leave for the third length are withdrawn.
LEAVE_CLASS_TEACHER_MAX_DAYS = env("LEAVE_CLASS_TEACHER_MAX_DAYS", default="0.5")
LEAVE_ACADEMIC_MAX_DAYS = env("LEAVE_ACADEMIC_MAX_DAYS", default="1")
# 评教: a teacher whose average (1–4) is below EVALUATION_LOW_SCORE from at least EVALUATION_MIN_RESPONSES
# ratings is flagged; teachers see their own results only from that many ratings on.
EVALUATION_LOW_SCORE = env("EVALUATION_LOW_SCORE", default="3.0")
EVALUATION_MIN_RESPONSES = env.int("EVALUATION_MIN_RESPONSES", default=5)
LEAVE_WITHDRAW_UNEXCUSED_DAYS = env("LEAVE_WITHDRAW_UNEXCUSED_DAYS", default="2")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
