"""Top-level URLs: learner portal, accounts, health, Wagtail admin and course pages."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

PUBLIC_MEDIA_FOLDERS = ("original_images", "images")
"""The MEDIA_ROOT folders a proxy (or runserver) may serve by URL; the README's nginx example lists the same."""

urlpatterns = [
    path("", include("lms.portal.urls")),
    path("accounts/", include("lms.accounts.urls")),
    path("", include("lms.core.urls")),
    path("classes/", include("lms.classes.urls")),
    path("quizzes/", include("lms.quizzes.urls")),
    path("videos/", include("lms.videos.urls")),
    path("budget/", include("lms.budget.urls")),
    path("trips/", include("lms.trips.urls")),
    path("certificates/", include("lms.certificates.urls")),
    path("messages/", include("lms.notifications.urls")),
    path("api/", include("lms.api.urls")),
    path("evaluations/", include("lms.evaluations.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only Wagtail's images are public media; every other upload goes through a permission-checked view.
    for folder in PUBLIC_MEDIA_FOLDERS:
        urlpatterns += static(f"{settings.MEDIA_URL}{folder}/", document_root=f"{settings.MEDIA_ROOT}/{folder}")

urlpatterns += [path("courses/", include(wagtail_urls))]
