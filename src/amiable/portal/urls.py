from django.urls import path

from amiable.portal import privacy_views, views

app_name = "portal"
urlpatterns = [
    path("", views.portal_home_view, name="home"),
    path("l/<str:token>/", views.portal_link_view, name="link"),
    path("code/", views.portal_code_request_view, name="code_request"),
    path("code/verify/", views.portal_code_verify_view, name="code_verify"),
    path("sign-out/", views.portal_sign_out_view, name="sign_out"),
    path("sign-out-links/", views.portal_links_revoke_view, name="links_revoke"),
    path("orders/<int:order_id>/", views.portal_order_view, name="order"),
    path("cases/<int:case_id>/", views.portal_case_view, name="case"),
    path("requests/new/", views.portal_request_new_view, name="request_new"),
    path(
        "requests/<int:case_id>/sent/",
        views.portal_request_sent_view,
        name="request_sent",
    ),
    path("promises/", views.portal_promises_view, name="promises"),
    path("files/<int:attachment_id>/", views.portal_attachment_view, name="attachment"),
    path(
        "my-data/",
        privacy_views.portal_privacy_export_view,
        name="privacy_export",
    ),
    path(
        "my-data/<int:request_id>/",
        privacy_views.portal_privacy_archive_view,
        name="privacy_archive",
    ),
]
