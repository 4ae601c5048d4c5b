from django.urls import path

from amiable.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list_view, name="list"),
    path("new/", views.customer_create_view, name="create"),
    path("<int:pk>/", views.customer_detail_view, name="detail"),
    path("<int:pk>/edit/", views.customer_edit_view, name="edit"),
    path("<int:pk>/identities/", views.identity_add_view, name="identity_add"),
    path(
        "<int:pk>/identities/<int:identity_pk>/remove/",
        views.identity_remove_view,
        name="identity_remove",
    ),
    path("<int:pk>/addresses/", views.address_add_view, name="address_add"),
    path(
        "<int:pk>/addresses/<int:address_pk>/edit/",
        views.address_edit_view,
        name="address_edit",
    ),
    path(
        "<int:pk>/addresses/<int:address_pk>/remove/",
        views.address_remove_view,
        name="address_remove",
    ),
    path("<int:pk>/consents/", views.consent_record_view, name="consent_record"),
    path("duplicates/", views.customer_duplicates_view, name="duplicates"),
    path("merge/", views.customer_merge_view, name="merge"),
    path(
        "merges/<int:pk>/undo/",
        views.customer_merge_undo_view,
        name="merge_undo",
    ),
]
