"""Root URL configuration: web UI, REST API and admin."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from amiable.api.instance import api
from amiable.core.access import ADMIN, PUBLIC, Access, Audience, access, rule
from amiable.web.views import admin_login_view

# Who may open the pages of a namespace whose views are not ours to decorate.
NAMESPACE_ACCESS: dict[str, Access] = {"admin": ADMIN}

urlpatterns = [
    # One sign-in for everyone, throttled and with the second step: the admin's
    # own login page would skip both.
    path(
        "admin/login/",
        access(rule(Audience.ANONYMOUS, Audience.CUSTOMER))(admin_login_view),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/setlang/", access(PUBLIC)(set_language), name="set_language"),
    path("cases/", include("amiable.cases.urls")),
    path("customers/", include("amiable.customers.urls")),
    path("attachments/", include("amiable.conversations.urls")),
    path("feedback/", include("amiable.feedback.urls")),
    path("gestures/", include("amiable.gestures.urls")),
    path("disputes/", include("amiable.disputes.urls")),
    path("quality/", include("amiable.quality.urls")),
    path("inbound/", include("amiable.inbound.urls")),
    path("notifications/", include("amiable.notifications.urls")),
    path("imports/", include("amiable.jobs.urls")),
    path("promises/", include("amiable.promises.urls")),
    path("macros/", include("amiable.macros.urls")),
    path("privacy/", include("amiable.privacy.urls")),
    path("portal/", include("amiable.portal.urls")),
    path("s/", include("amiable.feedback.public_urls")),
    path("r/", include("amiable.quality.public_urls")),
    path("", include("amiable.web.urls")),
]
