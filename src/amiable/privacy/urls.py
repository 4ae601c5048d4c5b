from django.urls import path

from amiable.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.data_request_list_view, name="list"),
    path(
        "customers/<int:customer_id>/requests/",
        views.customer_request_view,
        name="customer_request",
    ),
    path("requests/<int:pk>/archive/", views.data_request_archive_view, name="archive"),
]
