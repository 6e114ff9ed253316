"""Public verification and learners' own certificates."""

from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("<int:pk>/download/", views.download, name="download"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
