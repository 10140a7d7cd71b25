from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import EmailAuthenticationForm

app_name = "accounts"

urlpatterns = [
    path("", views.account_view, name="account"),
    path("signup/", views.signup_view, name="signup"),
    path(
        "login/",
        views.PureiLoginView.as_view(authentication_form=EmailAuthenticationForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Email change: ask (new address + current password), then the emailed link.
    path("email/", views.email_change_view, name="email-change"),
    path(
        "email/confirm/<str:token>/",
        views.email_change_confirm_view,
        name="email-change-confirm",
    ),
    path("password/", views.password_change_view, name="password-change"),
    # Password reset by email (Django's views, our templates and email).
    path("password-reset/", views.password_reset_view, name="password-reset"),
    path(
        "password-reset/sent/",
        views.password_reset_done_view,
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm_view,
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        views.password_reset_complete_view,
        name="password-reset-complete",
    ),
    # The link emailed with an invitation: accept it (creating an account if needed).
    path(
        "invitations/<str:token>/",
        views.invitation_accept_view,
        name="invitation-accept",
    ),
]
