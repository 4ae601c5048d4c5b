"""URLs of the ``customers`` namespace (views in the interface layer, see
customer_views)."""

from django.urls import path

from amiable.customers import views as customers_views
from amiable.web import customer_views

app_name = "customers"
urlpatterns = [
    path("", customer_views.customer_list_view, name="list"),
    path("<int:pk>/", customer_views.customer_detail_view, name="detail"),
    path("duplicates/", customers_views.customer_duplicates_view, name="duplicates"),
    path("merge/", customers_views.customer_merge_view, name="merge"),
    path(
        "merges/<int:pk>/undo/",
        customers_views.customer_merge_undo_view,
        name="merge_undo",
    ),
]
