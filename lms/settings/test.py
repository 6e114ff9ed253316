"""Tests: fast hashing, eager Celery unless a real broker is given."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
ALLOWED_HOSTS = ["*"]
# Tasks run in-process except in tests marked `worker`, whose fixture turns eager mode off and
# starts a real worker on this broker: the in-memory transport by default, Redis in CI's
# PostgreSQL run (CELERY_BROKER_URL=redis://...).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="cache+memory://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
# SMS of the file backend go to a temporary folder, never to var/ (tests override it per test too).
NOTIFICATIONS_SMS_DIR = Path(tempfile.gettempdir()) / "lms-test-sms"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The test database is an in-memory SQLite shared between the test and the live server's threads:
# there BEGIN IMMEDIATE fails at once with "database table is locked" (shared-cache locks do not wait),
# so tests keep Django's deferred transactions. The file database of every other setting keeps IMMEDIATE,
# and tests/core/test_sqlite_concurrency.py checks it with separate processes.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["OPTIONS"].pop("transaction_mode", None)  # noqa: F405
