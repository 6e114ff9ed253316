from django.contrib.auth import views as auth_views
from django.urls import path

from . import second_factor, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("otp/setup/", second_factor.otp_setup, name="otp_setup"),
    path("otp/", second_factor.otp_verify, name="otp_verify"),
]
