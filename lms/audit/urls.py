from django.urls import path

from . import admin_views

app_name = "audit"
urlpatterns = [
    path("", admin_views.audit_log, name="entries"),
]
