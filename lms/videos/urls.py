from django.urls import path

from . import views

app_name = "videos"

urlpatterns = [
    path("<int:pk>/", views.watch, name="watch"),
    path("<int:pk>/status.json", views.status, name="status"),
    path("<int:pk>/progress/", views.watch_report, name="report"),
    path("<int:pk>/files/<str:name>", views.processed_file, name="file"),
]
