"""Root URL configuration: web UI, REST API and admin."""

from django.contrib import admin
from django.urls import include, path

from amiable.api.instance import api
from amiable.web.views import admin_login_view

urlpatterns = [
    # One sign-in for everyone, throttled and with the second step: the admin's
    # own login page would skip both.
    path("admin/login/", admin_login_view, name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
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
