"""Production: refuses to start without a secret key; secure cookies and HSTS."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# 等保 2.0: the demo accounts' shared password is refused and must be changed at the next sign-in.
REFUSE_DEMO_PASSWORD = True
SESSION_COOKIE_HTTPONLY = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
# Wagtail's live preview shows the site's own pages in a frame, so SAMEORIGIN is needed, not DENY.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SENDFILE_BACKEND = env("SENDFILE_BACKEND", default="django_sendfile.backends.nginx")
LOGGING["root"]["level"] = env("LOG_LEVEL", default="INFO")  # noqa: F405
