from django.urls import path

from amiable.core.access import PUBLIC, access
from amiable.web import account_views, preference_views, views

app_name = "web"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("login/", access(PUBLIC)(views.LoginView.as_view()), name="login"),
    path("login/verify/", views.signin_verify_view, name="signin_verify"),
    path("logout/", access(PUBLIC)(views.LogoutView.as_view()), name="logout"),
    path(
        "account/security/",
        account_views.account_security_view,
        name="account_security",
    ),
    path(
        "account/security/two-factor/",
        account_views.two_factor_enrol_view,
        name="two_factor_enrol",
    ),
    path(
        "account/security/two-factor/confirm/",
        account_views.two_factor_confirm_view,
        name="two_factor_confirm",
    ),
    path(
        "account/security/two-factor/off/",
        account_views.two_factor_disable_view,
        name="two_factor_disable",
    ),
    path(
        "account/security/recovery-codes/",
        account_views.recovery_codes_view,
        name="recovery_codes",
    ),
    path(
        "account/notifications/",
        preference_views.account_notifications_view,
        name="account_notifications",
    ),
    path(
        "account/security/sign-out-everywhere/",
        account_views.sessions_end_view,
        name="sessions_end",
    ),
]
